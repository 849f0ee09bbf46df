"""Trusted construction of the value objects the list loaders build (internal).

A list file of 10,000 entries asks for tens of thousands of ``Entity``, ``Address``,
``Identifier`` and ``Listing`` objects. Their validated constructors run a converter and a
validator per field, which is most of a load's time. The loaders' values are mostly
already in final form (cleaned text, tuples, :class:`~tradecontrol.Jurisdiction` objects,
checked dates), so each function here checks cheaply that every value is one the
validated constructor would keep *unchanged*, and then sets the fields directly (as
``decision._trusted_decision`` does). When any check fails it calls the validated
constructor with the same arguments instead, so the result, or the error raised (with its
field path), is always exactly what the validated constructor gives:
``tests/test_lists_trusted.py`` checks both, and that ``attrs.validate`` passes on every
listing of every real file.
"""

from __future__ import annotations

import functools
from typing import Any

from tradecontrol import _validators as v
from tradecontrol.entities import Address, Entity, EntityKind, Identifier
from tradecontrol.errors import InvalidInputError
from tradecontrol.jurisdictions import Jurisdiction, jurisdiction
from tradecontrol.listings import Listing, ListingVersion

__all__ = [
    "address",
    "entity",
    "identifier",
    "jurisdiction_or_none",
    "listing",
    "text_ok",
]

_NONE: tuple[()] = ()
_new = object.__new__
_set = object.__setattr__
_MAX_TEXT = v.MAX_TEXT
_MAX_LIST = v.MAX_LIST
_PERSON = EntityKind.PERSON


def text_ok(value: object) -> bool:
    r"""Whether :func:`tradecontrol._validators.text` returns ``value`` unchanged.

    Example:
        >>> text_ok("ACME Ltd."), text_ok(" ACME"), text_ok(""), text_ok("Co\u202eX")
        (True, False, False, False)
    """
    if type(value) is not str:
        return False
    if value.isascii():  # printable ASCII: the only white space is " "
        return (
            0 < len(value) <= _MAX_TEXT
            and value.isprintable()
            and value[0] != " "
            and value[-1] != " "
        )
    return _unicode_text_ok(value)


def name_ok(value: object) -> bool:
    """Whether :func:`tradecontrol._validators.name_text` returns ``value`` unchanged.

    Example:
        >>> name_ok("ACME Ltd."), name_ok("..."), name_ok("\u2026")
        (True, False, False)
    """
    if type(value) is not str:
        return False
    if value.isascii():  # printable ASCII: a letter or a digit somewhere
        return text_ok(value) and any(ch.isalnum() for ch in value)
    try:
        return v.name_text(value) == value
    except InvalidInputError:
        return False


def _unicode_text_ok(value: str) -> bool:
    try:
        return v.text(value) == value
    except InvalidInputError:
        return False


@functools.lru_cache(maxsize=256)
def _known_ok(value: str) -> bool:
    """:func:`text_ok` of the few values a field takes again and again (list codes)."""
    return text_ok(value)


def _opt_text_ok(value: object) -> bool:
    return value is None or text_ok(value)


def _texts_ok(values: Any) -> bool:
    kind = type(values)
    if kind is not tuple and kind is not list:
        return False
    return len(values) <= _MAX_LIST and all(map(text_ok, values))


def _all_of(values: Any, cls: type) -> bool:
    kind = type(values)
    if kind is not tuple and kind is not list:
        return False
    if len(values) > _MAX_LIST:
        return False
    return all(type(value) is cls for value in values)


@functools.lru_cache(maxsize=8192)
def _date_ok(value: str) -> bool:
    try:
        return v.partial_date(value) == value
    except InvalidInputError:
        return False


def _dates_ok(values: Any) -> bool:
    kind = type(values)
    if kind is not tuple and kind is not list:
        return False
    for value in values:
        if type(value) is not str or not _date_ok(value):
            return False
    return len(values) <= _MAX_LIST


@functools.lru_cache(maxsize=4096)
def jurisdiction_or_none(code: str) -> Jurisdiction | None:
    """The (shared) :class:`Jurisdiction` for a code string, ``None`` when it is not one."""
    try:
        return jurisdiction(code)
    except InvalidInputError:
        return None


def _country(value: object) -> tuple[bool, Jurisdiction | None]:
    """``(ok, jurisdiction)`` for a country field given as ``None``, a code or a Jurisdiction."""
    if value is None:
        return True, None
    if type(value) is Jurisdiction:
        return True, value
    if type(value) is str and len(value) <= 16:
        found = jurisdiction_or_none(value)
        return found is not None, found
    return False, None


def _codes(values: Any) -> Any:
    """Code strings as shared Jurisdictions (``values`` itself when one is not a code)."""
    if type(values) is not list and type(values) is not tuple:
        return values
    out = [jurisdiction_or_none(x) if type(x) is str and len(x) <= 16 else None for x in values]
    return values if None in out else out


def address(
    *,
    street: Any = None,
    city: Any = None,
    region: Any = None,
    postal_code: Any = None,
    country: Any = None,
) -> Address:
    """``Address(...)`` for values already in final form, else the validated constructor.

    Example:
        >>> address(city="Havana", country="CU") == Address(city="Havana", country="CU")
        True
    """
    ok, code = _country(country)
    if (
        ok
        and _opt_text_ok(street)
        and _opt_text_ok(city)
        and _opt_text_ok(region)
        and _opt_text_ok(postal_code)
    ):
        out = _new(Address)
        _set(out, "street", street)
        _set(out, "city", city)
        _set(out, "region", region)
        _set(out, "postal_code", postal_code)
        _set(out, "country", code)
        return out
    return Address(
        street=street, city=city, region=region, postal_code=postal_code, country=country
    )


def identifier(*, scheme: Any, value: Any, country: Any = None) -> Identifier:
    """``Identifier(...)`` for values already in final form, else the validated constructor.

    Example:
        >>> identifier(scheme="imo", value="9187629") == Identifier(scheme="imo", value="9187629")
        True
    """
    ok, code = _country(country)
    if ok and text_ok(scheme) and scheme == scheme.lower() and text_ok(value):
        out = _new(Identifier)
        _set(out, "scheme", scheme)
        _set(out, "value", value)
        _set(out, "country", code)
        return out
    return Identifier(scheme=scheme, value=value, country=country)


def entity(
    *,
    name: Any,
    kind: Any = EntityKind.UNKNOWN,
    country: Any = None,
    aliases: Any = (),
    addresses: Any = (),
    identifiers: Any = (),
    weak_aliases: Any = (),
    birth_date: Any = None,
    birth_dates: Any = (),
    nationalities: Any = (),
) -> Entity:
    """``Entity(...)`` (without owners) for values in final form, else the validated one.

    ``kind`` may be an :class:`~tradecontrol.entities.EntityKind` or its value; ``country``
    a code or a :class:`~tradecontrol.Jurisdiction`; sequences lists or tuples.

    Example:
        >>> entity(name="ACME", kind="organization") == Entity(name="ACME", kind="organization")
        True
    """
    if type(kind) is str:
        kind = _KINDS.get(kind, kind)
    ok, code = _country(country)
    if nationalities and type(nationalities[0]) is str:
        nationalities = _codes(nationalities)
    if (  # ``x is _NONE or ...``: the empty tuple (a singleton) needs no check
        ok
        and type(kind) is EntityKind
        and name_ok(name)
        and (aliases is _NONE or _texts_ok(aliases))
        and (addresses is _NONE or _all_of(addresses, Address))
        and (identifiers is _NONE or _all_of(identifiers, Identifier))
        and (weak_aliases is _NONE or _texts_ok(weak_aliases))
        and (birth_date is None or (type(birth_date) is str and _date_ok(birth_date)))
        and (birth_dates is _NONE or _dates_ok(birth_dates))
        and (nationalities is _NONE or _all_of(nationalities, Jurisdiction))
        and (kind is _PERSON or not (birth_date or birth_dates or nationalities))
    ):
        out = _new(Entity)
        _set(out, "name", name)
        _set(out, "kind", kind)
        _set(out, "country", code)
        _set(out, "aliases", tuple(aliases))
        _set(out, "addresses", tuple(addresses))
        _set(out, "identifiers", tuple(identifiers))
        _set(out, "owners", ())
        _set(out, "weak_aliases", tuple(weak_aliases))
        _set(out, "birth_date", birth_date)
        _set(out, "birth_dates", tuple(birth_dates))
        _set(out, "nationalities", tuple(nationalities))
        _set(out, "_depth", 1)
        _set(out, "_size", 1)
        return out
    return Entity(
        name=name,
        kind=kind,
        country=country,
        aliases=aliases,
        addresses=addresses,
        identifiers=identifiers,
        weak_aliases=weak_aliases,
        birth_date=birth_date,
        birth_dates=birth_dates,
        nationalities=nationalities,
    )


_KINDS = {kind.value: kind for kind in EntityKind}


def listing(
    *,
    id: Any,
    list_code: Any,
    authority: Any,
    entity: Any,
    versions: Any,
    programs: Any = (),
    source_url: Any = None,
    remarks: Any = None,
) -> Listing:
    """``Listing(...)`` for values already in final form, else the validated constructor.

    Example:
        >>> from tradecontrol._time import Window
        >>> args = dict(id="x-1", list_code="SDN", authority="US-OFAC",
        ...             entity=Entity(name="ACME"),
        ...             versions=[ListingVersion(window=Window(start="2024-01-01"))])
        >>> listing(**args) == Listing(**args)
        True
    """
    if (
        type(entity) is Entity
        and versions
        and _all_of(versions, ListingVersion)
        and text_ok(id)
        and type(list_code) is str
        and _known_ok(list_code)
        and type(authority) is str
        and _known_ok(authority)
        and (programs is _NONE or _texts_ok(programs))
        and (source_url is None or text_ok(source_url))
        and (remarks is None or text_ok(remarks))
    ):
        out = _new(Listing)
        _set(out, "id", id)
        _set(out, "list_code", list_code)
        _set(out, "authority", authority)
        _set(out, "entity", entity)
        _set(out, "versions", tuple(versions))
        _set(out, "programs", tuple(programs))
        _set(out, "source_url", source_url)
        _set(out, "remarks", remarks)
        return out
    return Listing(
        id=id,
        list_code=list_code,
        authority=authority,
        entity=entity,
        versions=versions,
        programs=programs,
        source_url=source_url,
        remarks=remarks,
    )
