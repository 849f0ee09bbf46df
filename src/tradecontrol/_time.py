"""Moments and validity windows (internal).

A *moment* is a :class:`datetime.date` or a timezone-aware :class:`datetime.datetime`.
A :class:`Window` has an inclusive start and an inclusive end, each a moment or ``None``
(open). Date bounds are read in the window's time zone (``America/New_York`` for U.S.
measures), so a window that ends on a date lasts through the end of that day there.
"""

from __future__ import annotations

import enum
import functools
import re
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta, tzinfo

import attrs
from dateutil import tz

from tradecontrol._validators import locate_errors
from tradecontrol.errors import InvalidInputError

Moment = date | datetime

US_EASTERN = "America/New_York"


def parse_moment(value: object, *, path: str = "") -> Moment:
    """Parse an ISO 8601 date or aware datetime.

    Args:
        value: ``"2019-05-17"``, ``"2019-05-16T17:00-04:00"``, a ``date`` or an aware
            ``datetime``.
        path: JSON path used in error messages.

    Returns:
        A ``date`` or an aware ``datetime``.

    Raises:
        InvalidInputError: The value is not a date, or is a naive datetime.

    Example:
        >>> parse_moment("2019-05-16T16:15-04:00").isoformat()
        '2019-05-16T16:15:00-04:00'
        >>> parse_moment("2019-05-16")
        datetime.date(2019, 5, 16)
    """
    if isinstance(value, datetime):
        moment: Moment = value
    elif isinstance(value, date):
        return value
    elif isinstance(value, str):
        text = value.strip()
        try:
            moment = (
                datetime.fromisoformat(text)
                if "T" in text or " " in text
                else (date.fromisoformat(text))
            )
        except ValueError:
            raise InvalidInputError(
                f"{value!r} is not an ISO 8601 date or datetime", path=path
            ) from None
    else:
        raise InvalidInputError(
            f"expected an ISO 8601 date string, got {type(value).__name__}", path=path
        )
    if isinstance(moment, datetime) and (moment.tzinfo is None or moment.utcoffset() is None):
        raise InvalidInputError(
            f"{value!r} has no time zone; give a date or a datetime with an offset", path=path
        )
    return moment


def opt_moment(value: object) -> Moment | None:
    """Converter: ``None``, or :func:`parse_moment` of an ISO string, date or datetime."""
    return None if value is None else parse_moment(value)


def format_moment(value: Moment) -> str:
    """Return the ISO 8601 text of a moment (``2019-05-16`` or ``2019-05-16T16:15:00-04:00``)."""
    return value.isoformat()


_IANA_NAME = re.compile(r"^(?:UTC|[A-Z][A-Za-z_]+(?:/[A-Z][A-Za-z0-9_+-]+){1,2})$", re.ASCII)


def _zone(name: str) -> tzinfo:
    """An IANA zone by name (``America/New_York``, ``UTC``); never a path or the local zone."""
    zone = _known_zone(name) if isinstance(name, str) and _IANA_NAME.match(name) else None
    if zone is None:
        raise InvalidInputError(f"unknown time zone {name!r} (expected an IANA name)", path="zone")
    return zone


@functools.lru_cache(maxsize=64)
def _known_zone(name: str) -> tzinfo | None:
    """``tz.gettz`` once per zone name (zones are immutable; evaluation asks often)."""
    return tz.gettz(name)


def _start_of(day: date, zone: tzinfo) -> datetime:
    return datetime.combine(day, time(0, 0), tzinfo=zone)


class Position(enum.Enum):
    """Where a moment stands relative to a window.

    Example:
        >>> import datetime
        >>> Window(start="2019-05-20").position(datetime.date(2019, 5, 19))
        <Position.BEFORE: 'before'>
    """

    BEFORE = "before"
    INSIDE = "inside"
    AFTER = "after"
    START_DAY = "start_day"
    """Date-only moment on the day a window starts at a clock time (in force, check time)."""
    END_DAY = "end_day"
    """Date-only moment on the day a window ends at a clock time (in force, check time)."""


def _check_bound(value: Moment | None) -> None:
    if isinstance(value, datetime) and value.utcoffset() is None:
        raise InvalidInputError(f"window bound {value.isoformat()} has no time zone")


@attrs.frozen(kw_only=True, slots=True, field_transformer=locate_errors)
class Window:
    """A validity window: inclusive start, inclusive end (``None`` = open).

    Args:
        start: First moment in force (date or aware datetime), or ``None``.
        end: Last moment in force (date: through the end of that day), or ``None``.
        zone: IANA time zone in which date bounds are read, e.g. ``America/New_York``.

    Example:
        >>> import datetime
        >>> Window(start="2019-05-20", end="2020-08-13").contains(datetime.date(2020, 8, 13))
        True
    """

    start: Moment | None = attrs.field(default=None, converter=opt_moment)
    end: Moment | None = attrs.field(default=None, converter=opt_moment)
    zone: str = attrs.field(default=US_EASTERN)
    _tz: tzinfo = attrs.field(init=False, repr=False, eq=False)
    _days: tuple[date | None, bool, date | None, bool] = attrs.field(
        init=False, repr=False, eq=False
    )
    """(local start day, starts at a clock time, local end day, ends at a clock time)."""

    def __attrs_post_init__(self) -> None:
        _check_bound(self.start)
        _check_bound(self.end)
        zone = _zone(self.zone)
        object.__setattr__(self, "_tz", zone)
        start_day = None if self.start is None else _local_day(self.start, zone)
        end_day = None if self.end is None else _local_day(self.end, zone)
        object.__setattr__(
            self,
            "_days",
            (
                start_day,
                start_day is not None
                and isinstance(self.start, datetime)
                and self.start != _start_of(start_day, zone),
                end_day,
                isinstance(self.end, datetime),
            ),
        )
        if (
            self.start is not None
            and self.end is not None
            and _after_end(_first_instant(self.start, zone), self.end, zone)
        ):
            raise InvalidInputError(
                f"window ends ({self.end.isoformat()}) before it starts ({self.start.isoformat()})"
            )

    def position(self, moment: Moment) -> Position:
        """Locate ``moment`` relative to the window.

        Args:
            moment: A date or an aware datetime.

        Returns:
            A :class:`Position`. A date-only moment on the day of a clock-time bound gives
            ``START_DAY`` / ``END_DAY`` (the window counts as in force that day).
        """
        zone = self._tz
        if not isinstance(moment, date) or (
            isinstance(moment, datetime) and moment.utcoffset() is None
        ):
            raise InvalidInputError(
                f"expected a date or an aware datetime, got {str(moment)[:40]!r}", path="as_of"
            )
        if isinstance(moment, datetime):
            if self.start is not None and moment < _first_instant(self.start, zone):
                return Position.BEFORE
            if self.end is not None and _after_end(moment, self.end, zone):
                return Position.AFTER
            return Position.INSIDE
        day = moment
        start_day, starts_at_clock_time, end_day, ends_at_clock_time = self._days
        if start_day is not None:
            if day < start_day:
                return Position.BEFORE
            if day == start_day and starts_at_clock_time:
                return Position.START_DAY
        if end_day is not None:
            if day > end_day:
                return Position.AFTER
            if day == end_day and ends_at_clock_time:
                return Position.END_DAY
        return Position.INSIDE

    def contains(self, moment: Moment) -> bool:
        """True when the window is in force at ``moment`` (clock-time days count as in force)."""
        return self.position(moment) not in (Position.BEFORE, Position.AFTER)

    def describe(self) -> str:
        """Return ``'2019-05-20 through 2019-08-19'`` style text."""
        start = self.start.isoformat() if self.start is not None else "(open)"
        end = self.end.isoformat() if self.end is not None else "(open)"
        return f"{start} through {end}"


def _local_day(value: Moment, zone: tzinfo) -> date:
    if isinstance(value, datetime):
        return value.astimezone(zone).date()
    return value


def check_oldest_first(windows: Sequence[Window], path: str = "versions") -> None:
    """Refuse windows that are not in order of their starts, oldest first.

    An open start comes first. Versions of a licence or listing are read in this order
    (the last one in force wins on a shared boundary day; the first tells whether the
    licence was issued yet), so another order would silently change decisions.

    Args:
        windows: The versions' windows, in the order given.
        path: The JSON path of the versions (errors name ``<path>[i].window.start``).

    Raises:
        InvalidInputError: A window starts before the one given before it.

    Example:
        >>> check_oldest_first([Window(start="2020-01-01"), Window(start="2019-01-01")])
        Traceback (most recent call last):
        tradecontrol.errors.InvalidInputError: versions[1].window.start: versions must be \
given oldest first: 2019-01-01 is before the start of versions[0] (2020-01-01)
    """
    before: datetime | None = None
    for i, window in enumerate(windows):
        start = None if window.start is None else _first_instant(window.start, window._tz)
        if i and (start is None or (before is not None and start < before)):
            earlier = windows[i - 1].start
            raise InvalidInputError(
                "versions must be given oldest first: "
                f"{'an open start' if window.start is None else window.start.isoformat()} is "
                f"before the start of {path}[{i - 1}] "
                f"({'open' if earlier is None else earlier.isoformat()})",
                path=f"{path}[{i}].window.start",
            )
        before = start


def _first_instant(value: Moment, zone: tzinfo) -> datetime:
    """The first instant of a start bound: the datetime itself, or local midnight of the date."""
    if isinstance(value, datetime):
        return value
    return _start_of(value, zone)


def _after_end(moment: datetime, end: Moment, zone: tzinfo) -> bool:
    """True when ``moment`` is past an inclusive end bound (a date lasts through that day)."""
    if isinstance(end, datetime):
        return moment > end
    return moment >= _start_of(end + timedelta(days=1), zone)


def moment_on_or_before(value: Moment, limit: Moment, zone: str = US_EASTERN) -> bool | None:
    """Compare a fact's moment with a limit: ``True``/``False``, or ``None`` when undecidable.

    A date compared with a clock time on that same day cannot be decided.
    """
    z = _zone(zone)
    if isinstance(value, datetime) and isinstance(limit, datetime):
        return value <= limit
    if isinstance(value, datetime):
        return value.astimezone(z).date() <= limit
    if isinstance(limit, datetime):
        limit_day = limit.astimezone(z).date()
        if value != limit_day:
            return value < limit_day
        return None
    return value <= limit
