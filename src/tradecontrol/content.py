"""What a foreign-made item owes to the United States: U.S.-origin content and direct products.

Two item fields feed :func:`tradecontrol.rules.subject_to_ear.subject_to_ear` for items made
outside the United States:

* ``Item.us_content`` — the U.S.-origin parts, software or technology in the item
  (:class:`UsContent`), for the de minimis rule (15 CFR 734.4, Supplement No. 2 to Part 734);
* ``Item.direct_product`` — whether the item, or the plant that made it, is a direct
  product of U.S.-origin technology or software (:class:`DirectProduct`), for the foreign
  direct product rules (15 CFR 734.9, formerly 736.2(b)(3)).

Example:
    >>> from tradecontrol import Transaction
    >>> t = Transaction.from_dict({"id": "T", "date": "2019-07-01", "items": [{
    ...     "description": "Taiwan-made router", "origin": "TW",
    ...     "us_content": [{"eccn": "3A001", "percent": "20", "reasons_for_control": ["NS2"]}],
    ...     "direct_product": {"of": []}}]})
    >>> t.items[0].us_content[0].percent, t.items[0].direct_product.of
    (Decimal('20'), ())
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import attrs

from tradecontrol import _validators as v
from tradecontrol._reasons import reason_codes
from tradecontrol._time import parse_moment
from tradecontrol.errors import InvalidInputError

__all__ = ["DirectProduct", "UsContent", "check_content_shares"]


def _opt_bool(value: Any) -> bool | None:
    if value is not None and not isinstance(value, bool):
        raise InvalidInputError(f"must be true, false or null, got {type(value).__name__}")
    return value


def _eccns(values: Any) -> tuple[str, ...]:
    return tuple(v.eccn(x) for x in v.freeze(values))


def _opt_day(value: Any) -> date | None:
    if value is None:
        return None
    day = parse_moment(value)
    if not isinstance(day, date) or hasattr(day, "hour"):
        raise InvalidInputError(f"must be a date (YYYY-MM-DD), got {value!r}")
    return day


@attrs.frozen(kw_only=True, slots=True, field_transformer=v.locate_errors)
class UsContent:
    """One U.S.-origin input of a foreign-made item, for the de minimis rule (15 CFR 734.4).

    Only content that would itself need a BIS licence if exported in that form to the
    item's destination counts (Supplement No. 2 to Part 734, (a)(1)): the Commerce Country
    Chart and Part 746 decide, never Part 744 (the Entity List).

    Args:
        eccn: ECCN of the U.S.-origin input (``3A001``) or ``EAR99``; ``5E002`` has no de
            minimis level in foreign encryption technology (§734.4(a)).
        percent: Its fair market value as a share of the item's value, percent 0–100.
        reasons_for_control: Its reasons for control (``NS2``, ``AT1``…), tested against
            the destination's Commerce Country Chart row; taken from the rulebook's CCL
            subset when not given.
        license_required: Your own finding that it would need a licence to the
            destination (Country Chart or Part 746); wins over ``reasons_for_control``.

    Raises:
        InvalidInputError: A field is malformed.

    Example:
        >>> UsContent(eccn="3a001", percent="20%", license_required=True).eccn
        '3A001'
    """

    eccn: str | None = attrs.field(default=None, converter=v.opt_eccn)
    percent: v.Percent | None = attrs.field(default=None, converter=v.opt_percent)
    reasons_for_control: tuple[str, ...] = attrs.field(default=(), converter=reason_codes)
    license_required: bool | None = attrs.field(default=None, converter=_opt_bool)

    def __attrs_post_init__(self) -> None:
        if self.eccn == "EAR99" and self.reasons_for_control:
            raise InvalidInputError(
                "an EAR99 input has no reasons for control (it is not on the Commerce "
                "Control List, 15 CFR 734.3(c))",
                path="reasons_for_control",
            )


@attrs.frozen(kw_only=True, slots=True, field_transformer=v.locate_errors)
class DirectProduct:
    """Facts for the foreign direct product rules (15 CFR 734.9; before 2020, 736.2(b)(3)).

    An empty ``DirectProduct()`` states that the item is neither a direct product of
    U.S.-origin technology or software nor made by a plant that is; leaving
    ``Item.direct_product`` out means "not known", which needs review wherever a direct
    product rule could reach the deal.

    Args:
        of: ECCNs of the U.S.-origin technology or software the item is a direct product of
            (``3E001``, ``3D991``…).
        plant_of: ECCNs of the U.S.-origin technology or software of which the plant, or a
            major component of the plant (e.g. semiconductor manufacturing equipment), that
            produced the item is a direct product.
        designed_by: Name of the entity whose design the item is produced from (the May
            2020 Huawei rule reaches items of a footnote-1 entity's design).
        incorporated_for: Name of the entity that will produce, purchase or order the part,
            component or equipment the item goes into or helps produce, when you know it
            (the August 2020 Huawei rule, 85 FR 51596).
        production_started: Date production of the item began (the May 2020 rule's
            savings clause: begun before 2020-05-15 and shipped by 2020-09-14).
        ns_controlled: Whether the item and the U.S. technology or software it (or its
            plant) is a direct product of are both controlled for national security — the
            product scope of the national security direct product rule (§734.9(b)).

    Raises:
        InvalidInputError: A field is malformed.

    Example:
        >>> DirectProduct(plant_of=["3e001"], designed_by="HiSilicon").plant_of
        ('3E001',)
    """

    of: tuple[str, ...] = attrs.field(default=(), converter=_eccns)
    plant_of: tuple[str, ...] = attrs.field(default=(), converter=_eccns)
    designed_by: str | None = attrs.field(default=None, converter=v.optional_text)
    incorporated_for: str | None = attrs.field(default=None, converter=v.optional_text)
    production_started: date | None = attrs.field(default=None, converter=_opt_day)
    ns_controlled: bool | None = attrs.field(default=None, converter=_opt_bool)

    @property
    def inputs(self) -> tuple[str, ...]:
        """The ECCNs of ``of`` and ``plant_of`` together."""
        return self.of + self.plant_of


def check_content_shares(stated: Decimal | None, contents: tuple[UsContent, ...]) -> None:
    """Reject U.S. content shares that cannot all be true (15 CFR 734.4, Supp. 2 to Part 734).

    Args:
        stated: ``Item.us_content_percent``, the U.S.-controlled share (percent 0–100), if
            given.
        contents: ``Item.us_content``.

    Raises:
        InvalidInputError: The inputs' shares add up to more than 100 percent of the item's
            value (path ``us_content``), or the inputs you mark ``license_required`` add up
            to more than the controlled share you state (path ``us_content_percent``).

    Example:
        >>> check_content_shares(None, (UsContent(percent="60"), UsContent(percent="50")))
        Traceback (most recent call last):
        ...
        tradecontrol.errors.InvalidInputError: us_content: the U.S. inputs' shares add up to 110%...
    """
    total = sum((c.percent for c in contents if c.percent is not None), Decimal(0))
    if total > 100:
        raise InvalidInputError(
            f"the U.S. inputs' shares add up to {total}%, more than the whole item (100%)",
            path="us_content",
        )
    if stated is None:
        return
    controlled = sum(
        (c.percent for c in contents if c.license_required and c.percent is not None),
        Decimal(0),
    )
    if controlled > stated:
        raise InvalidInputError(
            f"{stated}% is less than the {controlled}% of the us_content inputs marked "
            "license_required: the U.S.-controlled share cannot be smaller than its parts",
            path="us_content_percent",
        )
