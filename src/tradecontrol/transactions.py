"""Transactions: who (parties and their roles), what (items), where, when and why.

:meth:`Transaction.from_dict` reads the canonical JSON of DESIGN.md §4 and
:meth:`Transaction.to_dict` writes it back; the two round-trip.

Example:
    >>> from tradecontrol import Transaction
    >>> t = Transaction.from_dict({
    ...     "id": "T-1", "date": "2019-05-17", "kind": "export",
    ...     "origin": "US", "destination": "CN",
    ...     "parties": [{"role": "ultimate_consignee",
    ...                  "entity": {"name": "Huawei Technologies Co., Ltd.", "country": "CN"}}],
    ...     "items": [{"description": "USB cables", "eccn": "EAR99", "origin": "US"}]})
    >>> t.parties[0].role.value, t.items[0].eccn
    ('ultimate_consignee', 'EAR99')
    >>> Transaction.from_dict({**t.to_dict(), "colour": "red"})
    Traceback (most recent call last):
    ...
    tradecontrol.errors.InvalidInputError: colour: unknown field
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import attrs

from tradecontrol import _validators as v
from tradecontrol._canonical import CanonicalJSON
from tradecontrol._reasons import reason_codes
from tradecontrol._time import Moment, parse_moment
from tradecontrol.content import DirectProduct, UsContent, check_content_shares
from tradecontrol.entities import Entity
from tradecontrol.errors import InvalidInputError
from tradecontrol.jurisdictions import Jurisdiction, opt_jurisdiction

__all__ = [
    "MAX_ITEMS",
    "MAX_PARTIES",
    "FactValue",
    "Item",
    "Party",
    "Role",
    "Transaction",
    "TransactionKind",
]

MAX_PARTIES = 50
"""Most parties accepted in one transaction."""

MAX_ITEMS = 500
"""Most items accepted in one transaction (split larger orders into several)."""

FactValue = bool | str | Decimal | date | datetime
"""The value of a named fact: a boolean, text, a number, a date or an aware datetime."""

KNOWN_FACTS: Mapping[str, str] = {
    "contract_date": "date",
    "product_public_date": "date",
    "order_date": "date",
    "en_route_at": "moment",
    "certification_on_file": "bool",
    "recipient_certification": "bool",
    "enhances_functional_capacity": "bool",
    "third_party_network": "bool",
    "usf_funded": "bool",
    "federal_subsidy": "bool",
    "fcc_authorized": "bool",
    "fcc_authorization_date": "date",
    "fcc_authorization_limited": "bool",
    "security_purpose": "bool",
    "furnished_to_government": "bool",
    "used_by_contractor": "bool",
    "third_party_interconnection": "bool",
    "cannot_route_user_data": "bool",
}
"""Facts the bundled licence conditions test, with the type each must have."""


class Role(enum.Enum):
    """A party's role in the transaction (EAR §748.5(c)–(f) and payment roles).

    Example:
        >>> Role("end_user").value
        'end_user'
    """

    EXPORTER = "exporter"
    PURCHASER = "purchaser"
    INTERMEDIATE_CONSIGNEE = "intermediate_consignee"
    ULTIMATE_CONSIGNEE = "ultimate_consignee"
    END_USER = "end_user"
    FREIGHT_FORWARDER = "freight_forwarder"
    FINANCIAL_INSTITUTION = "financial_institution"
    BENEFICIARY = "beneficiary"
    OTHER = "other"


class TransactionKind(enum.Enum):
    """What the transaction is: export, reexport, transfer, import, service, payment, procurement.

    ``import`` also covers a U.S. buyer obtaining equipment for use in the United States
    (the FCC Covered List and equipment-authorization rules); ``procurement`` is a federal
    contract action (section 889).

    Example:
        >>> TransactionKind("reexport")
        <TransactionKind.REEXPORT: 'reexport'>
    """

    EXPORT = "export"
    REEXPORT = "reexport"
    TRANSFER = "transfer"
    IMPORT = "import"
    SERVICE = "service"
    PAYMENT = "payment"
    PROCUREMENT = "procurement"
    """A U.S. federal procurement action (an agency buys, or awards, extends or renews a
    contract; NDAA FY2019 section 889)."""


def _opt_bool(value: Any) -> bool | None:
    if value is not None and not isinstance(value, bool):
        raise InvalidInputError(f"must be true, false or null, got {_json_type(value)}")
    return value


@attrs.frozen(kw_only=True, slots=True, field_transformer=v.locate_errors)
class Party:
    """A party to the transaction: an entity in a role.

    Args:
        role: A :class:`Role` (``"ultimate_consignee"``).
        entity: The :class:`~tradecontrol.entities.Entity`.
        us_person: Whether the party is a U.S. person (31 CFR 560.314: U.S. citizen or
            permanent resident, entity organized under U.S. law or its foreign branch, any
            person in the United States); ``None`` (default) derives it from the entity's
            country or, for persons, nationality. Decides whether OFAC reaches the deal.
        eu_person: Whether the party is an EU person (national of a Member State, or body
            incorporated under a Member State's law — Regulation (EU) No 269/2014 Art. 17);
            ``None`` derives it as for ``us_person``, with membership as of the date.
        uk_person: Whether the party is a UK person (Sanctions and Anti-Money Laundering
            Act 2018 s. 21); ``None`` derives it as for ``us_person``.

    Example:
        >>> Party(role="purchaser", entity=Entity(name="Acme")).role
        <Role.PURCHASER: 'purchaser'>
        >>> Party(role="exporter", entity=Entity(name="Acme"), us_person=False).us_person
        False
    """

    role: Role = attrs.field(converter=Role)
    entity: Entity = attrs.field(validator=v.instance(Entity))
    us_person: bool | None = attrs.field(default=None, converter=_opt_bool)
    eu_person: bool | None = attrs.field(default=None, converter=_opt_bool)
    uk_person: bool | None = attrs.field(default=None, converter=_opt_bool)

    def __attrs_post_init__(self) -> None:
        entity = self.entity
        places = [
            ("entity.country", entity.country),
            *(
                (f"entity.addresses[{i}].country", a.country)
                for i, a in enumerate(entity.addresses)
            ),
            *((f"entity.nationalities[{i}]", n) for i, n in enumerate(entity.nationalities)),
        ]
        for path, place in places:
            if place is not None and place.code == "EU":
                raise InvalidInputError(
                    "'EU' is a union of countries, not a party's country, address or "
                    "nationality: give the Member State (ISO 3166-1)",
                    path=path,
                )
        country = entity.country
        if self.us_person is False and country is not None and country.country.code == "US":
            raise InvalidInputError(
                f"contradicts entity.country {country.code!r}: an entity incorporated or "
                "resident in the United States is a U.S. person (31 CFR 560.314)",
                path="us_person",
            )


@attrs.frozen(kw_only=True, slots=True, field_transformer=v.locate_errors)
class Item:
    """An item: a commodity, software or technology.

    Args:
        description: Free text.
        eccn: ECCN (``3A001.a``) or ``EAR99``; ``None`` when unknown.
        value: Value in ``currency`` (Decimal, zero or more).
        currency: ISO 4217 code; required when ``value`` is given.
        quantity: Number of units.
        origin: Country where the item was made (ISO 3166).
        us_content_percent: U.S.-controlled content, percent 0–100 of the item's value.
        producer: Name of the company that produced the item (the FCC Covered List and
            section 889 name producers, e.g. ``ZTE Corporation``).
        us_content_percent: U.S.-controlled content, percent 0–100 of the item's value:
            the share of U.S.-origin content that would need a licence to the destination
            (15 CFR 734.4, Supplement No. 2 to Part 734), for a foreign-made item.
        us_content: The U.S.-origin inputs (:class:`~tradecontrol.UsContent`), from
            which the controlled share is worked out when ``us_content_percent`` is not
            given (and which decide the inputs with no de minimis level, such as 5E002).
        direct_product: Facts for the foreign direct product rules
            (:class:`~tradecontrol.DirectProduct`); absent means unknown.
        reasons_for_control: Commerce Country Chart columns the ECCN's licence requirements
            name for this item (``NS2``, ``RS2``, ``AT1``…, 15 CFR 738.2(d)); when empty,
            the rule reads the rulebook's CCL subset by ECCN.
        food_or_medicine: The item is food or medicine, as the Part 746 exclusions for
            EAR99 food and medicine use the terms (15 CFR 746.4, 746.6, 746.9).

    Example:
        >>> Item(eccn="5d992.C", value="1200.00", currency="usd").eccn
        '5D992.c'
        >>> Item(eccn="3A001", reasons_for_control=["NS 2", "AT1"]).reasons_for_control
        ('NS2', 'AT1')
    """

    description: str | None = attrs.field(default=None, converter=v.optional_text)
    eccn: str | None = attrs.field(default=None, converter=v.opt_eccn)
    value: Decimal | None = attrs.field(default=None, converter=v.opt_non_negative_decimal)
    currency: str | None = attrs.field(default=None, converter=v.opt_currency)
    quantity: int | None = attrs.field(default=None, converter=v.opt_non_negative_int)
    origin: Jurisdiction | None = attrs.field(default=None, converter=opt_jurisdiction)
    us_content_percent: v.Percent | None = attrs.field(default=None, converter=v.opt_percent)
    producer: str | None = attrs.field(default=None, converter=v.optional_text)
    us_content: tuple[UsContent, ...] = attrs.field(
        default=(), converter=v.freeze, validator=[v.each(UsContent), v.at_most(v.MAX_LIST)]
    )
    direct_product: DirectProduct | None = attrs.field(
        default=None, validator=attrs.validators.optional(v.instance(DirectProduct))
    )
    reasons_for_control: tuple[str, ...] = attrs.field(default=(), converter=reason_codes)
    food_or_medicine: bool = attrs.field(default=False, validator=v.instance(bool))

    def __attrs_post_init__(self) -> None:
        if self.value is not None and self.currency is None:
            raise InvalidInputError("an item with a value needs a currency", path="currency")
        if self.eccn == "EAR99" and self.reasons_for_control:
            raise InvalidInputError(
                "an EAR99 item has no reasons for control (it is not on the Commerce "
                "Control List, 15 CFR 734.3(c))",
                path="reasons_for_control",
            )
        check_content_shares(self.us_content_percent, self.us_content)


def _place(value: Any) -> Jurisdiction | None:
    """A transaction's origin or destination: a country or subdivision, not ``EU``."""
    place = opt_jurisdiction(value)
    if place is not None and place.code == "EU":
        raise InvalidInputError(
            "'EU' is a union of countries, not a place goods leave from or go to: "
            "give the Member State (ISO 3166-1)"
        )
    return place


def _fact(name: str, value: Any) -> FactValue:
    kind = KNOWN_FACTS.get(name)
    try:
        if kind in ("date", "moment") and not isinstance(value, str | date):
            raise InvalidInputError(f"must be an ISO 8601 date string, got {_json_type(value)}")
        if kind == "bool" and not isinstance(value, bool):
            raise InvalidInputError(f"must be true or false, got {_json_type(value)}")
        if isinstance(value, float | int) and not isinstance(value, bool):
            value = v.decimal(value)
        if kind == "date":
            moment = parse_moment(value)
            if isinstance(moment, datetime):
                raise InvalidInputError(f"must be a date (YYYY-MM-DD), got {value!r}")
            return moment
        if kind == "moment":
            return parse_moment(value)
    except InvalidInputError as exc:
        raise InvalidInputError(exc.message, path=name) from None
    if isinstance(value, bool | Decimal | date):
        return value
    if isinstance(value, str):
        try:
            return v.text(value)
        except InvalidInputError as exc:
            raise InvalidInputError(exc.message, path=name) from None
    raise InvalidInputError(
        f"a fact must be a boolean, number, string or date, got {type(value).__name__}",
        path=name,
    )


def _json_type(value: Any) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float | Decimal):
        return "a number"
    return type(value).__name__


def _facts(value: Any) -> tuple[tuple[str, FactValue], ...]:
    if isinstance(value, tuple):
        value = dict(value)
    if not isinstance(value, Mapping):
        raise InvalidInputError(f"expected an object of facts, got {type(value).__name__}")
    if len(value) > v.MAX_LIST:
        raise InvalidInputError(f"has more than {v.MAX_LIST} facts")
    out: dict[str, FactValue] = {}
    for key, raw in value.items():
        try:
            name = v.text(key)
        except InvalidInputError as exc:
            raise InvalidInputError(f"fact name {key!r}: {exc.message}") from None
        if name in out:
            raise InvalidInputError(f"fact {name!r} is given twice", path=name)
        out[name] = _fact(name, raw)
    return tuple(sorted(out.items()))


def _licence_ids(value: Any) -> tuple[str, ...]:
    return v.unique(v.text_tuple(value), "licence id")


@attrs.frozen(kw_only=True, slots=True, field_transformer=v.locate_errors)
class Transaction(CanonicalJSON):
    """A proposed or past transaction to evaluate.

    Args:
        id: Caller's identifier, echoed in the Decision.
        date: When it happens: a date (``2019-05-17``) or an aware datetime; the default
            ``as_of`` of :func:`~tradecontrol.evaluate`. Naive datetimes are rejected.
        kind: A :class:`TransactionKind`.
        origin: Where the items leave from (ISO 3166; a country or subdivision, not ``EU``).
        destination: Where they go (ISO 3166; ``UA-43`` for Crimea; not ``EU``).
        parties: The parties and their roles.
        items: The items.
        end_use: Activity code (``existing-network-support``, ``new-product-production``…).
        facts: Named facts that licence conditions test (``contract_date``…); stored as a
            sorted tuple of pairs, read with :meth:`fact`.
        licenses: Ids of licences the exporter holds (specific licences in the rulebook).

    Raises:
        InvalidInputError: A field is malformed.

    Example:
        >>> t = Transaction(id="T-1", date="2019-05-17", destination="CN")
        >>> t.date, t.kind.value
        (datetime.date(2019, 5, 17), 'export')
    """

    id: str = attrs.field(converter=v.text)
    date: Moment = attrs.field(converter=parse_moment)
    kind: TransactionKind = attrs.field(default=TransactionKind.EXPORT, converter=TransactionKind)
    origin: Jurisdiction | None = attrs.field(default=None, converter=_place)
    destination: Jurisdiction | None = attrs.field(default=None, converter=_place)
    parties: tuple[Party, ...] = attrs.field(
        default=(), converter=v.freeze, validator=[v.each(Party), v.at_most(MAX_PARTIES)]
    )
    items: tuple[Item, ...] = attrs.field(
        default=(), converter=v.freeze, validator=[v.each(Item), v.at_most(MAX_ITEMS)]
    )
    end_use: str | None = attrs.field(default=None, converter=v.optional_text)
    facts: tuple[tuple[str, FactValue], ...] = attrs.field(default=(), converter=_facts)
    licenses: tuple[str, ...] = attrs.field(default=(), converter=_licence_ids)

    def fact(self, name: str) -> FactValue | None:
        """Return the named fact, or ``None`` when the transaction does not state it."""
        for key, value in self.facts:
            if key == name:
                return value
        return None
