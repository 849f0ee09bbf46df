"""Reasons for control as the Commerce Country Chart names its columns (internal).

The chart (Supplement No. 1 to 15 CFR Part 738) has 16 columns: ``CB1``–``CB3``, ``NP1``,
``NP2``, ``NS1``, ``NS2``, ``MT1``, ``RS1``, ``RS2``, ``FC1``, ``CC1``–``CC3``, ``AT1`` and
``AT2``. Codes are accepted with or without the space the regulation prints (``"NS 2"``).
"""

from __future__ import annotations

from typing import Any

from tradecontrol._validators import freeze
from tradecontrol.errors import InvalidInputError

CHART_COLUMNS: tuple[str, ...] = (
    "CB1",
    "CB2",
    "CB3",
    "NP1",
    "NP2",
    "NS1",
    "NS2",
    "MT1",
    "RS1",
    "RS2",
    "FC1",
    "CC1",
    "CC2",
    "CC3",
    "AT1",
    "AT2",
)
"""The 16 columns of the Commerce Country Chart, in the regulation's order."""


def reason_code(value: Any) -> str:
    """``"NS 2"``, ``"ns2"`` → ``"NS2"``.

    Raises:
        InvalidInputError: Not one of the 16 chart columns.
    """
    if not isinstance(value, str):
        raise InvalidInputError(f"expected a reason for control string, got {type(value).__name__}")
    code = "".join(value.split()).upper()
    if code not in CHART_COLUMNS:
        raise InvalidInputError(
            f"{value!r} is not a Commerce Country Chart column ({', '.join(CHART_COLUMNS)})"
        )
    return code


def reason_codes(values: Any) -> tuple[str, ...]:
    """Converter: a tuple of :func:`reason_code` values in chart order, without duplicates."""
    if isinstance(values, str):
        raise InvalidInputError("expected a list of reasons for control, not a string")
    codes = {reason_code(x) for x in freeze(values)}
    return tuple(c for c in CHART_COLUMNS if c in codes)
