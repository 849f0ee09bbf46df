"""Entities, their addresses, identifiers and owners.

An :class:`Entity` is a legal or natural person, vessel or aircraft as described by a
transaction or by a list. Ownership edges (:class:`Ownership`) give share percentages
(0–100, Decimal) and an optional control flag; the ownership rules (OFAC 50 Percent Rule,
EU and UK tests) read them.

Example:
    >>> from tradecontrol import Entity
    >>> e = Entity.from_dict({"name": "Huawei Technologies Co., Ltd.", "country": "CN"})
    >>> e.country.code, e.kind.value
    ('CN', 'unknown')
"""

from __future__ import annotations

import enum
from decimal import Decimal

import attrs

from tradecontrol import _validators as v
from tradecontrol._canonical import CanonicalJSON
from tradecontrol.errors import InvalidInputError
from tradecontrol.jurisdictions import Jurisdiction, jurisdictions, opt_jurisdiction

__all__ = [
    "MAX_OWNERSHIP_DEPTH",
    "MAX_OWNERSHIP_ENTITIES",
    "Address",
    "Entity",
    "EntityKind",
    "Identifier",
    "Ownership",
    "same_entity",
]

MAX_OWNERSHIP_DEPTH = 32
"""Longest accepted chain of owners (entity, its owner, that owner's owner, ...)."""

MAX_OWNERSHIP_ENTITIES = 10_000
"""Most entities one entity's owner tree may state, counting every level (an owner stated
under several owned entities counts each time, as the tree is read that many times)."""


class EntityKind(enum.Enum):
    """What an entity is: ``organization``, ``person``, ``vessel``, ``aircraft``, ``unknown``.

    Example:
        >>> EntityKind("vessel")
        <EntityKind.VESSEL: 'vessel'>
    """

    ORGANIZATION = "organization"
    PERSON = "person"
    VESSEL = "vessel"
    AIRCRAFT = "aircraft"
    UNKNOWN = "unknown"


_opt_jurisdiction = opt_jurisdiction


@attrs.frozen(kw_only=True, slots=True, field_transformer=v.locate_errors)
class Address:
    """A postal address; every part is optional.

    Args:
        street: Street and number.
        city: City or locality.
        region: State, province or district.
        postal_code: Postal code.
        country: ISO 3166 code of the country (``CN``) or subdivision (``UA-43``).

    Example:
        >>> Address(city="Shenzhen", country="cn").country.code
        'CN'
    """

    street: str | None = attrs.field(default=None, converter=v.optional_text)
    city: str | None = attrs.field(default=None, converter=v.optional_text)
    region: str | None = attrs.field(default=None, converter=v.optional_text)
    postal_code: str | None = attrs.field(default=None, converter=v.optional_text)
    country: Jurisdiction | None = attrs.field(default=None, converter=opt_jurisdiction)


@attrs.frozen(kw_only=True, slots=True, field_transformer=v.locate_errors)
class Identifier:
    """An identifier such as an LEI, registration number, passport, IMO number.

    Args:
        scheme: Lower-case scheme name (``lei``, ``registration_number``, ``imo``,
            ``passport``).
        value: The identifier as written by the issuer.
        country: Issuing jurisdiction, if any.

    Example:
        >>> Identifier(scheme="LEI", value="5493001KJTIIGC8Y1R12").scheme
        'lei'
    """

    scheme: str = attrs.field(converter=v.lower_text)
    value: str = attrs.field(converter=v.text)
    country: Jurisdiction | None = attrs.field(default=None, converter=opt_jurisdiction)


@attrs.frozen(kw_only=True, slots=True, field_transformer=v.locate_errors)
class Entity(CanonicalJSON):
    """A party's identity: name, kind, aliases, country, addresses, identifiers, owners.

    Args:
        name: Primary name as written (1–4096 characters).
        kind: An :class:`EntityKind`; ``unknown`` when not given.
        country: Country (or subdivision) of the entity, ISO 3166.
        aliases: Other names (a.k.a., short names, transliterations).
        addresses: Postal addresses.
        identifiers: Registration numbers and the like.
        owners: Direct owners with their share (percent 0–100).
        weak_aliases: Low-quality names the list marks as weak (OFAC "weak a.k.a."): kept
            for screening, not matched exactly.
        birth_date: Date of birth (persons only), at the precision known: ``1962-01-15``,
            ``1962-01``, ``1962``, ``circa 1962``, ``1960 to 1962``.
        birth_dates: Further dates of birth a list gives (persons only), same forms.
        nationalities: Nationalities (persons only), ISO 3166.

    Raises:
        InvalidInputError: A field is malformed.

    Example:
        >>> e = Entity(name="Huawei Technologies Co., Ltd.", aliases=["Huawei"], country="CN")
        >>> e.names
        ('Huawei Technologies Co., Ltd.', 'Huawei')
    """

    name: str = attrs.field(converter=v.name_text)
    kind: EntityKind = attrs.field(default=EntityKind.UNKNOWN, converter=EntityKind)
    country: Jurisdiction | None = attrs.field(default=None, converter=opt_jurisdiction)
    aliases: tuple[str, ...] = attrs.field(default=(), converter=v.text_tuple)
    addresses: tuple[Address, ...] = attrs.field(
        default=(), converter=v.freeze, validator=v.each(Address)
    )
    identifiers: tuple[Identifier, ...] = attrs.field(
        default=(), converter=v.freeze, validator=v.each(Identifier)
    )
    owners: tuple[Ownership, ...] = attrs.field(default=(), converter=v.freeze)
    weak_aliases: tuple[str, ...] = attrs.field(default=(), converter=v.text_tuple)
    birth_date: str | None = attrs.field(default=None, converter=v.opt_partial_date)
    birth_dates: tuple[str, ...] = attrs.field(default=(), converter=v.partial_dates)
    nationalities: tuple[Jurisdiction, ...] = attrs.field(default=(), converter=jurisdictions)

    _depth: int = attrs.field(init=False, repr=False, eq=False, default=1)
    _size: int = attrs.field(init=False, repr=False, eq=False, default=1)

    def __attrs_post_init__(self) -> None:
        if self.owners:
            self._check_owners()
        if self.kind is not EntityKind.PERSON and (
            self.birth_date or self.birth_dates or self.nationalities
        ):
            raise InvalidInputError(
                "birth dates and nationalities are for entities of kind 'person'"
            )

    def _check_owners(self) -> None:
        for i, own in enumerate(self.owners):
            if not isinstance(own, Ownership):
                raise InvalidInputError(
                    f"expected Ownership, got {type(own).__name__}", path=f"owners[{i}]"
                )
        depth = 1 + max((o.owner._depth for o in self.owners), default=0)
        if depth > MAX_OWNERSHIP_DEPTH:
            raise InvalidInputError(
                f"ownership chain deeper than {MAX_OWNERSHIP_DEPTH} levels", path="owners"
            )
        object.__setattr__(self, "_depth", depth)
        size = 1 + sum(o.owner._size for o in self.owners)
        if size > MAX_OWNERSHIP_ENTITIES:
            raise InvalidInputError(
                f"owner tree states more than {MAX_OWNERSHIP_ENTITIES} entities", path="owners"
            )
        object.__setattr__(self, "_size", size)
        self._check_identities()
        total = sum((o.share_percent or Decimal(0) for o in self.owners), Decimal(0))
        if total > 100:
            raise InvalidInputError(
                f"owners' shares add up to {total}%, more than 100%", path="owners"
            )

    def _check_identities(self) -> None:
        """Refuse an owner stated twice, or the entity stated as its own owner.

        Entities are the same when they share an identifier, or have the same normalised
        name and country and no identifiers that tell them apart (as in the ownership
        graph). Two holdings of one owner are one share: state their sum once.
        """
        by_id: dict[tuple[str, str], int] = {}
        by_name: dict[tuple[str, str], list[tuple[set[tuple[str, str]], int]]] = {}
        my_ids, my_key = _id_keys(self), _name_key(self)
        for i, own in enumerate(self.owners):
            ids, key = _id_keys(own.owner), _name_key(own.owner)
            if ids & my_ids or (not (ids and my_ids) and key == my_key):
                raise InvalidInputError(
                    f"{own.owner.name!r} is the same entity as {self.name!r} (same identifier,"
                    " or same name and country): an entity cannot be its own owner",
                    path=f"owners[{i}]",
                )
            twins = [by_id[k] for k in ids if k in by_id]
            twins += [j for known, j in by_name.get(key, ()) if not (known and ids)]
            if twins:
                raise InvalidInputError(
                    f"{own.owner.name!r} is stated twice as an owner (also owners[{min(twins)}]);"
                    " state its whole holding once",
                    path=f"owners[{i}]",
                )
            for k in ids:
                by_id[k] = i
            by_name.setdefault(key, []).append((ids, i))

    @property
    def names(self) -> tuple[str, ...]:
        """The primary name followed by the aliases."""
        return (self.name, *self.aliases)


@attrs.frozen(kw_only=True, slots=True, field_transformer=v.locate_errors)
class Ownership:
    """A direct ownership edge: ``owner`` holds ``share_percent`` of the owned entity.

    Args:
        owner: The owning entity.
        share_percent: Share, percent 0–100 (``"30"`` or ``"30%"``); ``None`` when unknown.
        control: True when the owner controls the entity whatever its share (e.g. the
            right to appoint or remove a majority of the board; EU and UK control tests).
        joint_arrangement: A label shared by owners who act under a joint arrangement
            (OFSI guidance para 4.14): the UK test adds up the shares of owners with the
            same label; ``None`` when the owner acts alone.

    Example:
        >>> Ownership(owner=Entity(name="Holding A"), share_percent="30%").share_percent
        Decimal('30')
    """

    owner: Entity = attrs.field(validator=v.instance(Entity))
    share_percent: v.Percent | None = attrs.field(default=None, converter=v.opt_percent)
    control: bool = attrs.field(default=False)
    joint_arrangement: str | None = attrs.field(default=None, converter=v.optional_text)

    @control.validator
    def _check_control(self, _: attrs.Attribute[bool], value: bool) -> None:
        if not isinstance(value, bool):
            raise InvalidInputError("control must be true or false", path="control")


def _id_keys(entity: Entity) -> set[tuple[str, str]]:
    return {(i.scheme, i.value.strip().upper()) for i in entity.identifiers}


def _name_key(entity: Entity) -> tuple[str, str]:
    from tradecontrol.screening.normalize import normalize_name

    return normalize_name(entity.name), entity.country.code if entity.country else ""


def same_entity(a: Entity, b: Entity) -> bool:
    """True when ``a`` and ``b`` identify the same entity, as the ownership graph does.

    They share an identifier (scheme and value), or have the same normalised name and
    country and no identifiers that tell them apart.

    Args:
        a: An entity.
        b: Another entity.

    Returns:
        Whether the ownership graph would treat them as one node.

    Example:
        >>> same_entity(Entity(name="SDN  A", country="RU"), Entity(name="sdn a", country="RU"))
        True
        >>> same_entity(Entity(name="SDN A", country="RU"), Entity(name="SDN A", country="CY"))
        False
    """
    ids_a, ids_b = _id_keys(a), _id_keys(b)
    if ids_a & ids_b:
        return True
    return not (ids_a and ids_b) and _name_key(a) == _name_key(b)
