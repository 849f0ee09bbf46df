"""Drawdown of specific licences: prior usage in, this transaction's drawdown out.

A BIS licence authorizes only the value and quantity it states (15 CFR 750.7; shipping
tolerance 15 CFR 750.11). :func:`~tradecontrol.evaluate` stays pure, so it does not keep a
running total: the caller passes what has already been shipped against each licence as
``usage={licence_id: LicenseUsage(...)}`` and the :class:`~tradecontrol.Decision` reports
in ``drawdowns`` what this transaction would take from each licence that authorized it.
The caller records it once the shipment goes ahead (e.g. adds it to its ledger).

Example:
    >>> from tradecontrol import LicenseUsage
    >>> usage = LicenseUsage.from_dict({"value": "95000", "quantity": 3})
    >>> usage.value, usage.quantity
    (Decimal('95000'), 3)
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import attrs

from tradecontrol import _validators as v
from tradecontrol._canonical import CanonicalJSON
from tradecontrol.errors import InvalidInputError

__all__ = ["Drawdown", "LicenseUsage", "drawdown_text", "usage_from_dict"]


@attrs.frozen(kw_only=True, slots=True, field_transformer=v.locate_errors)
class LicenseUsage(CanonicalJSON):
    """What has already been shipped against one licence (the caller's ledger).

    Args:
        value: Total value already shipped, in the licence's currency (zero or more).
        quantity: Total number of units already shipped (zero or more).

    Raises:
        InvalidInputError: A negative or malformed amount.

    Example:
        >>> LicenseUsage(value="95000.00").value
        Decimal('95000.00')
    """

    value: Decimal = attrs.field(default=Decimal(0), converter=v.non_negative_decimal)
    quantity: int = attrs.field(default=0, converter=v.non_negative_int)


@attrs.frozen(kw_only=True, slots=True, field_transformer=v.locate_errors)
class Drawdown:
    """What one transaction takes from a licence with a value or quantity limit.

    Args:
        license_id: The licence.
        value: Value of the items this licence authorizes in the transaction, in
            ``currency`` (``None`` when the licence has no value limit).
        quantity: Units of those items (``None`` when the licence has no quantity limit).
        currency: ISO 4217 code of the licence's value limit.
        value_used_before: Value shipped before this transaction (from ``usage``, else
            the licence's ``value_used``).
        quantity_used_before: Units shipped before this transaction.
        value_remaining: Value left under the limit after this transaction (tolerance not
            included; negative when the tolerance was used).
        quantity_remaining: Units left after this transaction.

    Example:
        >>> d = Drawdown(license_id="D123456", value=Decimal("5000"), currency="USD",
        ...              value_used_before=Decimal("95000"), value_remaining=Decimal("0"))
        >>> d.value_remaining
        Decimal('0')
    """

    license_id: str
    value: Decimal | None = None
    quantity: int | None = None
    currency: str | None = None
    value_used_before: Decimal | None = None
    quantity_used_before: int | None = None
    value_remaining: Decimal | None = None
    quantity_remaining: int | None = None


def usage_from_dict(data: Any) -> dict[str, LicenseUsage]:
    """Read ``{"licence id": {"value": "95000", "quantity": 3}, ...}`` (the CLI's usage file).

    Args:
        data: Parsed JSON: an object mapping licence ids to usage objects.

    Returns:
        A dict from licence id to :class:`LicenseUsage`.

    Raises:
        InvalidInputError: Not an object, a malformed entry (the path names the id), or one
            licence id given twice (after trimming).

    Example:
        >>> usage_from_dict({"D123456": {"value": "95000"}})["D123456"].value
        Decimal('95000')
    """
    if not isinstance(data, Mapping):
        raise InvalidInputError(
            f"expected an object of licence ids to usage, got {type(data).__name__}"
        )
    if len(data) > v.MAX_LIST:
        raise InvalidInputError(f"has more than {v.MAX_LIST} licences")
    out: dict[str, LicenseUsage] = {}
    for key, raw in data.items():
        try:
            lid = v.text(key)
        except InvalidInputError as exc:
            raise InvalidInputError(f"licence id {exc.message}", path=repr(key)[:80]) from None
        if lid in out:  # " D1" and "D1": one licence given twice
            raise InvalidInputError(f"licence {lid!r} is given twice", path=repr(key)[:80])
        try:
            out[lid] = LicenseUsage.from_dict(raw)
        except InvalidInputError as exc:
            path = f"{lid}.{exc.path}" if exc.path else lid
            raise InvalidInputError(exc.message, path=path) from None
    return out


def drawdown_text(drawdown: Drawdown) -> str:
    """What a decision draws down from a limited licence, in words.

    Args:
        drawdown: One of :attr:`Decision.drawdowns <tradecontrol.Decision.drawdowns>`
            (value in the licence's currency, units).

    Returns:
        ``"<licence id>: <currency> <value> (<currency> <left> left)"``, with
        ``"<n> units (<left> left)"`` for a quantity limit.

    Example:
        >>> from decimal import Decimal
        >>> drawdown_text(Drawdown(license_id="D1", value=Decimal("5000"), currency="USD",
        ...     value_used_before=Decimal("95000"), value_remaining=Decimal("0")))
        'D1: USD 5000 (USD 0 left)'
    """
    d = drawdown
    parts = []
    if d.value is not None:
        parts.append(f"{d.currency} {d.value} ({d.currency} {d.value_remaining} left)")
    if d.quantity is not None:
        parts.append(f"{d.quantity} units ({d.quantity_remaining} left)")
    return f"{d.license_id}: {', '.join(parts)}"
