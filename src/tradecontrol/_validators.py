"""Field converters shared by the value objects (internal).

Each raises :class:`~tradecontrol.errors.InvalidInputError` whose ``path`` is left for the
caller (cattrs adds the JSON path of the field).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any, NewType, TypeVar

from tradecontrol.data import read_json
from tradecontrol.errors import InvalidInputError

T = TypeVar("T")

Percent = NewType("Percent", Decimal)
"""A percentage, 0–100 inclusive."""

MAX_TEXT = 4096
"""Longest accepted text field, in characters (names, descriptions, fact strings)."""

_ECCN = re.compile(r"^(\d[A-E]\d{3})((?:\.[a-z0-9]+)*)$", re.IGNORECASE)


def text(value: Any) -> str:
    """A required, non-blank string of at most :data:`MAX_TEXT` characters (trimmed)."""
    if not isinstance(value, str):
        raise InvalidInputError(f"expected a string, got {type(value).__name__}")
    out = value.strip()
    if not out:
        raise InvalidInputError("must not be empty")
    if len(out) > MAX_TEXT:
        raise InvalidInputError(f"is {len(out)} characters long; the limit is {MAX_TEXT}")
    if any(unicodedata.category(ch) == "Cc" and ch not in "\t\n" for ch in out):
        raise InvalidInputError("contains control characters")
    return out


def optional_text(value: Any) -> str | None:
    """``None`` or :func:`text`; an empty string becomes ``None``."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return text(value)


def text_tuple(values: Iterable[Any]) -> tuple[str, ...]:
    """A tuple of :func:`text` values (lists are accepted)."""
    if isinstance(values, str):
        raise InvalidInputError("expected a list of strings, got a string")
    return tuple(text(v) for v in values)


def decimal(value: Any) -> Decimal:
    """A finite Decimal from a string, int or float (``"1200.00"``, ``1200``)."""
    if isinstance(value, bool):
        raise InvalidInputError("expected a decimal number, got a boolean")
    if isinstance(value, Decimal):
        out = value
    elif isinstance(value, int | float | str):
        raw = value.strip() if isinstance(value, str) else str(value)
        if len(raw) > 64:
            raise InvalidInputError("decimal number is too long")
        try:
            out = Decimal(raw)
        except InvalidOperation:
            raise InvalidInputError(f"{value!r} is not a decimal number") from None
    else:
        raise InvalidInputError(f"expected a decimal number, got {type(value).__name__}")
    if not out.is_finite():
        raise InvalidInputError(f"{value!r} is not a finite number")
    return out


def non_negative_decimal(value: Any) -> Decimal:
    """A :func:`decimal` that is zero or more."""
    out = decimal(value)
    if out < 0:
        raise InvalidInputError(f"{value!r} must not be negative")
    return out


def percent(value: Any) -> Percent:
    """A percentage 0–100 as Decimal; ``"30%"`` and ``"30"`` both give ``Decimal('30')``."""
    if isinstance(value, str) and value.strip().endswith("%"):
        value = value.strip()[:-1]
    out = decimal(value)
    if not Decimal(0) <= out <= Decimal(100):
        raise InvalidInputError(f"{out} is not a percentage between 0 and 100")
    return Percent(out)


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
    if isinstance(value, str) and value.strip().isdigit() and len(value.strip()) < 19:
        value = int(value.strip())
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if not isinstance(value, int):
        raise InvalidInputError(f"{value!r} is not a whole number")
    if value < 0:
        raise InvalidInputError(f"{value} must not be negative")
    return value


def freeze(values: Iterable[Any]) -> tuple[Any, ...]:
    """Any iterable (a list from JSON, a generator) as a tuple; a string or mapping is refused."""
    if isinstance(values, str | bytes | dict):
        raise InvalidInputError(f"expected a list, got {type(values).__name__}")
    return tuple(values)


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


def _located(name: str, fn: Any) -> Any:
    def convert(value: Any) -> Any:
        try:
            return fn(value)
        except InvalidInputError as exc:
            path = name if not exc.path else f"{name}.{exc.path}"
            raise InvalidInputError(exc.message, path=path) from None

    return convert


def locate_errors(cls: type, fields: list[Any]) -> list[Any]:
    """Attrs ``field_transformer``: converter errors name the field they came from."""
    return [
        f.evolve(converter=_located(f.name, f.converter)) if f.converter is not None else f
        for f in fields
    ]
