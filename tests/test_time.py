"""Validity windows: inclusive bounds, time zones, clock-time boundary days."""

from __future__ import annotations

import datetime as dt

import pytest

from tradecontrol import InvalidInputError, Window
from tradecontrol._time import Position, moment_on_or_before, parse_moment

EDT = dt.timezone(dt.timedelta(hours=-4))
LISTED = Window(start=dt.datetime(2019, 5, 16, 16, 15, tzinfo=EDT))
TGL = Window(start=dt.date(2019, 5, 20), end=dt.date(2020, 8, 13))


@pytest.mark.parametrize(
    ("moment", "position"),
    [
        ("2019-05-15", Position.BEFORE),
        ("2019-05-16", Position.START_DAY),
        ("2019-05-17", Position.INSIDE),
        ("2019-05-16T16:14:59-04:00", Position.BEFORE),
        ("2019-05-16T16:15-04:00", Position.INSIDE),
        ("2019-05-16T20:15Z", Position.INSIDE),
        ("2019-05-17T04:14+08:00", Position.BEFORE),
        ("2019-05-17T04:16+08:00", Position.INSIDE),
    ],
)
def test_listing_effective_at_a_clock_time(moment: str, position: Position) -> None:
    assert LISTED.position(parse_moment(moment)) is position


@pytest.mark.parametrize(
    ("moment", "inside"),
    [
        ("2019-05-19", False),
        ("2019-05-20", True),
        ("2019-05-20T00:00-04:00", True),
        ("2019-05-19T23:59-04:00", False),
        ("2019-05-20T03:59Z", False),
        ("2020-08-13", True),
        ("2020-08-13T23:59:59-04:00", True),
        ("2020-08-14T00:00-04:00", False),
        ("2020-08-14", False),
    ],
)
def test_date_bounds_are_whole_days_in_the_window_zone(moment: str, inside: bool) -> None:
    assert TGL.contains(parse_moment(moment)) is inside


def test_datetime_end_is_inclusive_and_end_day_is_flagged() -> None:
    gl = Window(end=dt.datetime(2025, 11, 21, 0, 1, tzinfo=dt.timezone(dt.timedelta(hours=-5))))
    assert gl.contains(parse_moment("2025-11-21T00:00:30-05:00"))
    assert gl.contains(parse_moment("2025-11-21T00:01-05:00"))
    assert not gl.contains(parse_moment("2025-11-21T09:00-05:00"))
    assert gl.position(dt.date(2025, 11, 21)) is Position.END_DAY


def test_windows_are_validated() -> None:
    with pytest.raises(InvalidInputError, match="ends"):
        Window(start=dt.date(2020, 1, 2), end=dt.date(2020, 1, 1))
    with pytest.raises(InvalidInputError, match="time zone"):
        Window(start=dt.datetime(2020, 1, 1, 10, 0))
    with pytest.raises(InvalidInputError, match="unknown time zone"):
        Window(zone="Mars/Olympus")


@pytest.mark.parametrize(
    ("value", "limit", "expected"),
    [
        (dt.date(2019, 5, 16), dt.date(2019, 5, 16), True),
        (dt.date(2019, 5, 17), dt.date(2019, 5, 16), False),
        (dt.date(2019, 5, 15), dt.datetime(2019, 5, 16, 16, 15, tzinfo=EDT), True),
        (dt.date(2019, 5, 16), dt.datetime(2019, 5, 16, 16, 15, tzinfo=EDT), None),
        (dt.datetime(2019, 5, 16, 12, 0, tzinfo=EDT), dt.date(2019, 5, 16), True),
        (
            dt.datetime(2019, 5, 16, 12, 0, tzinfo=EDT),
            dt.datetime(2019, 5, 16, 16, 15, tzinfo=EDT),
            True,
        ),
    ],
)
def test_fact_comparison(value: dt.date, limit: dt.date, expected: bool | None) -> None:
    assert moment_on_or_before(value, limit) is expected


@pytest.mark.parametrize("text", ["2019-05-16T10:00", "16/05/2019", "2019-05-16T25:00-04:00", ""])
def test_bad_moments(text: str) -> None:
    with pytest.raises(InvalidInputError):
        parse_moment(text)
