"""Field converters shared by the value objects (internal).

Each raises :class:`~tradecontrol.errors.InvalidInputError` whose ``path`` is left for the
caller (cattrs adds the JSON path of the field).
"""

from __future__ import annotations

import datetime
import enum
import itertools
import math
import re
import unicodedata
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any, NewType, TypeVar

from tradecontrol.data import read_json
from tradecontrol.errors import InvalidInputError

T = TypeVar("T")
E = TypeVar("E", bound=enum.Enum)

Percent = NewType("Percent", Decimal)
Percent.__doc__ = """A percentage, 0–100 inclusive (a ``Decimal``).

    Example:
        >>> Percent(Decimal("30"))
        Decimal('30')
    """

MAX_TEXT = 4096
"""Longest accepted text field, in characters (names, descriptions, fact strings)."""

MAX_LIST = 1000
"""Longest accepted list (aliases, addresses, owners, licence ids, ...)."""

MAX_MAGNITUDE = 18
"""Largest accepted decimal exponent: numbers are below 10**18 (and above 10**-18)."""

_ECCN = re.compile(r"^([0-9][A-E][0-9]{3})((?:\.[a-z0-9]+)*)$", re.IGNORECASE | re.ASCII)
_BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
_NUMBER = re.compile(r"^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$", re.ASCII)


def text(value: Any) -> str:
    """A required string of at most :data:`MAX_TEXT` characters, trimmed, on one line.

    Raises:
        InvalidInputError: Not a string; empty or only invisible characters; too long;
            control characters (line breaks, escapes), bidirectional overrides (which can
            make an id or a name display as other text) or unpaired surrogates.
    """
    if not isinstance(value, str):
        raise InvalidInputError(f"expected a string, got {type(value).__name__}")
    out = value.strip()
    if len(out) > MAX_TEXT:
        raise InvalidInputError(f"is {len(out)} characters long; the limit is {MAX_TEXT}")
    if out.isascii() and out.isprintable():  # fast path: nothing invisible or control
        if not out:
            raise InvalidInputError("must not be empty")
        return out
    categories = {unicodedata.category(ch) for ch in out}
    if "Cs" in categories:
        raise InvalidInputError("contains an unpaired surrogate (invalid Unicode)")
    if "Cc" in categories:
        raise InvalidInputError("contains control characters (line breaks, tabs, escapes)")
    if "Cf" in categories and _BIDI_CONTROLS.search(out):
        raise InvalidInputError(
            "contains bidirectional embedding, override or isolate characters (U+202A-U+202E, "
            "U+2066-U+2069), which can make text display as something else"
        )
    if not out or categories <= {"Cf", "Zs", "Zl", "Zp"}:
        raise InvalidInputError("must not be empty")
    return out


def name_text(value: Any) -> str:
    """:func:`text` that holds at least one letter or digit (a name that can be screened).

    Raises:
        InvalidInputError: As :func:`text`; or no letter or digit in any script (only
            punctuation, symbols, combining marks or filler characters such as U+115F).
    """
    out = text(value)
    if any(unicodedata.category(ch)[0] in "LN" and not _FILLERS.get(ord(ch)) for ch in out):
        return out
    raise InvalidInputError(
        f"{out[:40]!r} has no letter or digit: a name made only of punctuation, symbols or "
        "marks cannot be screened"
    )


_FILLERS = dict.fromkeys((0x115F, 0x1160, 0x3164, 0xFFA0), True)
"""Hangul fillers: category Lo, but invisible and never part of a name."""


def optional_text(value: Any) -> str | None:
    """``None`` or :func:`text`; an empty string becomes ``None``."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return text(value)


def text_tuple(values: Iterable[Any]) -> tuple[str, ...]:
    """A tuple of :func:`text` values (lists are accepted)."""
    items = freeze(values)
    try:
        return tuple(map(text, items))
    except InvalidInputError:
        pass  # find the element at fault, below
    out = []
    for i, value in enumerate(items):
        try:
            out.append(text(value))
        except InvalidInputError as exc:
            raise InvalidInputError(exc.message, path=f"[{i}]") from None
    return tuple(out)


def decimal(value: Any) -> Decimal:
    """A finite Decimal from a string, int or float (``"1200.00"``, ``1200``).

    At most :data:`MAX_MAGNITUDE` digits on either side of the decimal point, so that sums
    of such numbers stay exact in Python's default 28-digit decimal context.
    """
    if isinstance(value, bool):
        raise InvalidInputError("expected a decimal number, got a boolean")
    if isinstance(value, Decimal):
        if not value.is_finite():  # NaN, sNaN, Infinity: comparisons would raise or mislead
            raise InvalidInputError(f"{value} is not a finite number")
        out = value
    elif isinstance(value, int) and abs(value) >= 10**MAX_MAGNITUDE:
        raise InvalidInputError(f"is too large (at most {MAX_MAGNITUDE} digits)")
    elif isinstance(value, int | float | str):
        raw = value.strip() if isinstance(value, str) else repr(value)
        if isinstance(value, float) and not math.isfinite(value):
            raise InvalidInputError(f"{value!r} is not a finite number")
        if len(raw) > 64 or not _NUMBER.match(raw):
            shown = raw if len(raw) <= 64 else raw[:60] + "..."
            raise InvalidInputError(f"{shown!r} is not a decimal number")
        try:
            out = Decimal(raw)
        except InvalidOperation:  # pragma: no cover - the pattern admits only valid numbers
            raise InvalidInputError(f"{raw!r} is not a decimal number") from None
    else:
        raise InvalidInputError(f"expected a decimal number, got {type(value).__name__}")
    if out and not -MAX_MAGNITUDE <= out.adjusted() < MAX_MAGNITUDE:
        raise InvalidInputError(
            f"{str(value)[:30]!r} is out of range (10**-{MAX_MAGNITUDE} to 10**{MAX_MAGNITUDE})"
        )
    exponent = out.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -MAX_MAGNITUDE:
        # more would be rounded away in sums (28 significant digits): 25.000…01 + 0 == 25
        shown = str(value) if len(str(value)) <= 40 else str(value)[:37] + "..."
        raise InvalidInputError(
            f"{shown!r} has more than {MAX_MAGNITUDE} digits after the decimal point"
        )
    return out


def non_negative_decimal(value: Any) -> Decimal:
    """A :func:`decimal` that is zero or more."""
    out = decimal(value)
    if out < 0:
        raise InvalidInputError(f"{out} must not be negative")
    return out.copy_abs() if out.is_zero() else out  # "-0" is 0


def percent(value: Any) -> Percent:
    """A percentage 0–100 as Decimal; ``"30%"`` and ``"30"`` both give ``Decimal('30')``."""
    if isinstance(value, str) and value.strip().endswith("%"):
        value = value.strip()[:-1]
    out = decimal(value)
    if not Decimal(0) <= out <= Decimal(100):
        raise InvalidInputError(f"{out} is not a percentage between 0 and 100")
    return Percent(out.copy_abs() if out.is_zero() else out)  # "-0" is 0


def eccn(value: Any) -> str:
    """An ECCN in canonical form (``3A001.a``, ``5D992.c``) or ``EAR99``.

    Raises:
        InvalidInputError: Not an ECCN (15 CFR 738.2(d)) and not ``EAR99``.
    """
    if not isinstance(value, str):
        raise InvalidInputError(f"expected an ECCN string, got {type(value).__name__}")
    raw = value.strip()
    if raw.upper() == "EAR99":
        return "EAR99"
    match = _ECCN.match(raw)
    if not match:
        raise InvalidInputError(f"{value!r} is not an ECCN (like '3A001.a') or 'EAR99'")
    return match.group(1).upper() + match.group(2).lower()


def currency(value: Any) -> str:
    """An ISO 4217 alphabetic currency code (``USD``)."""
    if not isinstance(value, str):
        raise InvalidInputError(f"expected a currency code, got {type(value).__name__}")
    code = value.strip().upper()
    if code not in read_json("iso3166.json")["currencies"]:
        raise InvalidInputError(f"{value!r} is not an ISO 4217 currency code")
    return code


def non_negative_int(value: Any) -> int:
    """A whole number, zero or more (``1``; ``"1"`` is accepted)."""
    if isinstance(value, bool):
        raise InvalidInputError("expected a whole number, got a boolean")
    if isinstance(value, str) and re.fullmatch(r"[0-9]{1,18}", value.strip(), re.ASCII):
        value = int(value.strip())
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        value = int(value)
    if not isinstance(value, int):
        raise InvalidInputError(f"{str(value)[:30]!r} is not a whole number")
    if value < 0:
        raise InvalidInputError(f"{value} must not be negative")
    if value >= 10**MAX_MAGNITUDE:
        raise InvalidInputError(f"is too large (at most {MAX_MAGNITUDE} digits)")
    return value


def freeze(values: Iterable[Any]) -> tuple[Any, ...]:
    """Any iterable (a list from JSON, a generator) as a tuple of at most :data:`MAX_LIST`.

    Raises:
        InvalidInputError: A string, mapping or non-iterable; or too many elements.
    """
    kind = type(values)
    if kind is tuple or kind is list:  # fast path: no ABC check, no islice
        if len(values) > MAX_LIST:  # type: ignore[arg-type]
            raise InvalidInputError(f"has more than {MAX_LIST} elements")
        return values if kind is tuple else tuple(values)  # type: ignore[return-value]
    if isinstance(values, str | bytes | dict) or not isinstance(values, Iterable):
        raise InvalidInputError(f"expected a list, got {type(values).__name__}")
    out = tuple(itertools.islice(values, MAX_LIST + 1))
    if len(out) > MAX_LIST:
        raise InvalidInputError(f"has more than {MAX_LIST} elements")
    return out


def freeze_all(values: Iterable[Any]) -> tuple[Any, ...]:
    """Like :func:`freeze` without the length limit (rulebook contents)."""
    if type(values) is tuple:
        return values
    if isinstance(values, str | bytes | dict) or not isinstance(values, Iterable):
        raise InvalidInputError(f"expected a list, got {type(values).__name__}")
    return tuple(values)


_PARTIAL_DATE = re.compile(
    r"^(?:circa )?(?P<y>[0-9]{4})(?:-(?P<m>[0-9]{2})(?:-(?P<d>[0-9]{2}))?)?"
    r"(?: to (?P<y2>[0-9]{4})(?:-(?P<m2>[0-9]{2})(?:-(?P<d2>[0-9]{2}))?)?)?$",
    re.ASCII,
)


def partial_date(value: Any) -> str:
    """A date kept at the precision the source gives, never padded to a day.

    Forms: ``1962``, ``1962-01``, ``1962-01-15``, ``circa 1962``, ``1960 to 1962``.

    Raises:
        InvalidInputError: Another form, or an impossible month or day.
    """
    raw = text(value)
    match = _PARTIAL_DATE.match(raw)
    if not match:
        raise InvalidInputError(
            f"{raw!r} is not a date like 1962, 1962-01, 1962-01-15, 'circa 1962' or '1960 to 1962'"
        )
    for y, m, d in (("y", "m", "d"), ("y2", "m2", "d2")):
        if match.group(y) and match.group(m):
            try:
                datetime.date(int(match.group(y)), int(match.group(m)), int(match.group(d) or 1))
            except ValueError:
                raise InvalidInputError(f"{raw!r} is not a real date") from None
    return raw


def opt_partial_date(value: Any) -> str | None:
    """``None`` or :func:`partial_date`."""
    return None if value is None else partial_date(value)


def partial_dates(values: Any) -> tuple[str, ...]:
    """A tuple of :func:`partial_date` values."""
    return tuple(partial_date(x) for x in freeze(values))


def each(kind: type) -> Any:
    """Validator (attrs): every element of a tuple field is a ``kind``."""

    def check(_: object, attribute: Any, values: tuple[Any, ...]) -> None:
        for i, value in enumerate(values):
            if not isinstance(value, kind):
                raise InvalidInputError(
                    f"expected {kind.__name__}, got {type(value).__name__}",
                    path=f"{attribute.name}[{i}]",
                )

    return check


def instance(kind: type) -> Any:
    """Validator (attrs): the field holds a ``kind``."""

    def check(_: object, attribute: Any, value: Any) -> None:
        if not isinstance(value, kind):
            raise InvalidInputError(
                f"expected {kind.__name__}, got {type(value).__name__}", path=attribute.name
            )

    return check


def at_most(limit: int) -> Any:
    """Validator (attrs): a tuple field has at most ``limit`` elements."""

    def check(_: object, attribute: Any, values: tuple[Any, ...]) -> None:
        if len(values) > limit:
            raise InvalidInputError(
                f"has {len(values)} elements; the limit is {limit}", path=attribute.name
            )

    return check


def lower_text(value: Any) -> str:
    """:func:`text` in lower case."""
    return text(value).lower()


def opt_eccn(value: Any) -> str | None:
    """``None`` or :func:`eccn`."""
    return None if value is None else eccn(value)


def opt_currency(value: Any) -> str | None:
    """``None`` or :func:`currency`."""
    return None if value is None else currency(value)


def opt_non_negative_decimal(value: Any) -> Decimal | None:
    """``None`` or :func:`non_negative_decimal`."""
    return None if value is None else non_negative_decimal(value)


def opt_non_negative_int(value: Any) -> int | None:
    """``None`` or :func:`non_negative_int`."""
    return None if value is None else non_negative_int(value)


def opt_percent(value: Any) -> Percent | None:
    """``None`` or :func:`percent`."""
    return None if value is None else percent(value)


def unique(values: tuple[T, ...], what: str) -> tuple[T, ...]:
    """Reject duplicates in an id list."""
    seen: set[T] = set()
    for v in values:
        if v in seen:
            raise InvalidInputError(f"duplicate {what} {v!r}")
        seen.add(v)
    return values


def join_path(name: str, path: str) -> str:
    """``name`` followed by a relative JSON ``path`` (``aliases`` + ``[1]`` → ``aliases[1]``).

    Example:
        >>> join_path("aliases", "[1]"), join_path("entity", "country"), join_path("x", "")
        ('aliases[1]', 'entity.country', 'x')
    """
    if not path:
        return name
    return f"{name}{path}" if path.startswith("[") else f"{name}.{path}"


def _located(name: str, fn: Any, default: Any = None, settled: bool = False) -> Any:
    if settled:  # the default converts to itself: pass it through without a call

        def convert_or_default(value: Any) -> Any:
            if value is default:
                return value
            try:
                return fn(value)
            except InvalidInputError as exc:
                path = join_path(name, exc.path)
                raise InvalidInputError(exc.message, path=path) from None

        return convert_or_default

    def convert(value: Any) -> Any:
        try:
            return fn(value)
        except InvalidInputError as exc:
            path = join_path(name, exc.path)
            raise InvalidInputError(exc.message, path=path) from None

    return convert


_IMMUTABLE_DEFAULTS = (type(None), bool, int, str, tuple, enum.Enum)


def _settled(fn: Any, default: Any) -> bool:
    """Whether ``default`` is immutable and ``fn(default)`` is ``default`` itself."""
    if not isinstance(default, _IMMUTABLE_DEFAULTS) or (
        isinstance(default, tuple) and default != ()
    ):
        return False
    try:
        return fn(default) is default
    except Exception:  # a default the converter refuses is simply not settled
        return False


def locate_errors(cls: type, fields: list[Any]) -> list[Any]:
    """Attrs ``field_transformer``: converter errors name the field they came from.

    A field whose (immutable) default converts to itself skips the converter when it
    gets that very default object, so optional fields left out cost no conversion. An
    enum class given as the converter refuses a value it lacks with an
    :class:`InvalidInputError` listing the allowed values (not a bare ``ValueError``).
    """
    out = []
    for f in fields:
        fn = f.converter
        if fn is None:
            out.append(f)
            continue
        if isinstance(fn, type) and issubclass(fn, enum.Enum):
            fn = enum_of(fn)
        out.append(f.evolve(converter=_located(f.name, fn, f.default, _settled(fn, f.default))))
    return out


class enum_of:
    """A converter to the enum ``cls`` whose failure is an :class:`InvalidInputError`.

    Example:
        >>> import enum
        >>> class Colour(enum.Enum):
        ...     RED = "red"
        >>> enum_of(Colour)("red")
        <Colour.RED: 'red'>
        >>> enum_of(Colour)("blue")
        Traceback (most recent call last):
        ...
        tradecontrol.errors.InvalidInputError: 'blue' is not one of 'red'
    """

    __slots__ = ("cls",)

    def __init__(self, cls: type[E]) -> None:
        self.cls = cls

    def __call__(self, value: Any) -> Any:
        if isinstance(value, self.cls):
            return value
        try:
            return self.cls(value)
        except ValueError:
            allowed = ", ".join(repr(m.value) for m in self.cls)
            raise InvalidInputError(f"{value!r} is not one of {allowed}") from None
