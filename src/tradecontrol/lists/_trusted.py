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

import datetime
import functools
import re
from typing import Any

from tradecontrol import _validators as v
from tradecontrol._time import Window
from tradecontrol.decision import ReviewPolicy
from tradecontrol.entities import Address, Entity, EntityKind, Identifier
from tradecontrol.errors import InvalidInputError
from tradecontrol.jurisdictions import Jurisdiction, jurisdiction
from tradecontrol.listings import LicenseRequirement, Listing, ListingVersion

__all__ = [
    "address",
    "checked_address",
    "checked_entity",
    "checked_identifier",
    "checked_listing",
    "entity",
    "identifier",
    "jurisdiction_or_none",
    "listing",
    "listing_version",
    "scheme_ok",
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
        return text_ok(value) and _ASCII_ALNUM.search(value) is not None
    try:
        return v.name_text(value) == value
    except InvalidInputError:
        return False


_ASCII_ALNUM = re.compile("[A-Za-z0-9]")
"""What ``str.isalnum`` accepts among ASCII characters."""


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
    """Whether :func:`tradecontrol._validators.partial_date` returns ``value`` unchanged.

    The usual dates are answered without the validator: four ASCII characters are a
    year it keeps exactly when they are digits, and ``YYYY-MM-DD`` in ASCII digits is
    kept exactly when it is a real date (``date.fromisoformat`` reads that form as the
    validator does).

    Example:
        >>> _date_ok("1962"), _date_ok("1962-02-30"), _date_ok("circa 1962"), _date_ok("62")
        (True, False, True, False)
    """
    if value.isascii():
        if len(value) == 4:
            return value.isdigit()
        if len(value) == 10 and _ISO_DAY.fullmatch(value) is not None:
            try:
                datetime.date.fromisoformat(value)
            except ValueError:
                return False
            return True
    try:
        return v.partial_date(value) == value
    except InvalidInputError:
        return False


_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


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


def listing_version(
    *,
    window: Any,
    license_requirement: Any = None,
    review_policy: Any = None,
    review_policy_text: Any = None,
    published_start: Any = False,
    citations: Any = (),
    note: Any = None,
) -> ListingVersion:
    """``ListingVersion(...)`` for values already in final form, else the validated constructor.

    Final: a :class:`~tradecontrol._time.Window`, a
    :class:`~tradecontrol.listings.LicenseRequirement` and a
    :class:`~tradecontrol.decision.ReviewPolicy` (or ``None``), texts as :func:`text_ok`,
    a bool, and a tuple of texts for the citations.

    Example:
        >>> from tradecontrol._time import Window
        >>> args = dict(window=Window(start="2024-01-01"), citations=("84 FR 22961",))
        >>> listing_version(**args) == ListingVersion(**args)
        True
    """
    if (
        type(window) is Window
        and (license_requirement is None or type(license_requirement) is LicenseRequirement)
        and (review_policy is None or type(review_policy) is ReviewPolicy)
        and (review_policy_text is None or text_ok(review_policy_text))
        and type(published_start) is bool
        and type(citations) is tuple
        and _texts_ok(citations)
        and (note is None or text_ok(note))
    ):
        out = _new(ListingVersion)
        for setter, value in zip(
            _VERSION_SLOTS,
            (window, license_requirement, review_policy, review_policy_text, published_start,
             citations, note),
            strict=True,
        ):  # fmt: skip
            setter(out, value)
        return out
    return ListingVersion(
        window=window,
        license_requirement=license_requirement,
        review_policy=review_policy,
        review_policy_text=review_policy_text,
        published_start=published_start,
        citations=citations,
        note=note,
    )


_VERSION_SLOTS = tuple(
    ListingVersion.__dict__[name].__set__
    for name in (
        "window", "license_requirement", "review_policy", "review_policy_text",
        "published_start", "citations", "note",
    )
)  # fmt: skip


# --- construction from values the caller has checked ----------------------------------
#
# The loaders' fast paths check whole rows at once (every cell printable ASCII and the row
# no longer than the text limit, so every cleaned part is a text the validators keep
# unchanged) and then set the fields here without a check per field. Each function sets
# every field through the slot's own descriptor, so it is the object ``entity``/``listing``
# above build for the same values; tests/test_lists_trusted.py compares the two.

_ENTITY_SLOTS = tuple(
    Entity.__dict__[name].__set__
    for name in (
        "name", "kind", "country", "aliases", "addresses", "identifiers", "owners",
        "weak_aliases", "birth_date", "birth_dates", "nationalities", "_depth", "_size",
    )
)  # fmt: skip
_ADDRESS_SLOTS = tuple(
    Address.__dict__[name].__set__
    for name in ("street", "city", "region", "postal_code", "country")
)
_IDENTIFIER_SLOTS = tuple(
    Identifier.__dict__[name].__set__ for name in ("scheme", "value", "country")
)
_LISTING_SLOTS = tuple(
    Listing.__dict__[name].__set__
    for name in (
        "id", "list_code", "authority", "entity", "versions", "programs", "source_url",
        "remarks",
    )
)  # fmt: skip


def checked_address(
    street: str | None,
    city: str | None,
    region: str | None,
    postal_code: str | None,
    country: Jurisdiction | None,
) -> Address:
    """An :class:`Address` from values the caller has checked (texts as :func:`text_ok`).

    Example:
        >>> checked_address("1 Main St", None, None, None, None) == Address(street="1 Main St")
        True
    """
    out = _new(Address)
    s0, s1, s2, s3, s4 = _ADDRESS_SLOTS
    s0(out, street)
    s1(out, city)
    s2(out, region)
    s3(out, postal_code)
    s4(out, country)
    return out


def checked_identifier(scheme: str, value: str, country: Jurisdiction | None) -> Identifier:
    """An :class:`Identifier` from checked values (``scheme`` lower case; texts as :func:`text_ok`).

    Example:
        >>> checked_identifier("imo", "9187629", None) == Identifier(scheme="imo", value="9187629")
        True
    """
    out = _new(Identifier)
    s0, s1, s2 = _IDENTIFIER_SLOTS
    s0(out, scheme)
    s1(out, value)
    s2(out, country)
    return out


@functools.lru_cache(maxsize=1024)
def scheme_ok(value: str) -> bool:
    """Whether ``value`` is an identifier scheme :class:`Identifier` keeps unchanged.

    Example:
        >>> scheme_ok("passport"), scheme_ok("Passport")
        (True, False)
    """
    return text_ok(value) and value == value.lower()


def checked_entity(
    name: str,
    kind: EntityKind,
    country: Jurisdiction | None,
    aliases: tuple[str, ...],
    addresses: tuple[Address, ...],
    identifiers: tuple[Identifier, ...],
    weak_aliases: tuple[str, ...],
    birth_date: str | None,
    birth_dates: tuple[str, ...],
    nationalities: tuple[Jurisdiction, ...],
) -> Entity:
    """An :class:`Entity` (no owners) from values the caller has checked are in final form.

    Every text as :func:`text_ok` (the name as :func:`name_ok`), every sequence a tuple of at
    most ``MAX_LIST`` of the field's type, dates as the validators write them, and birth dates
    and nationalities for persons only. Nothing is checked here: use :func:`entity` when
    the values are not known to be final.

    Example:
        >>> e = checked_entity("ACME", EntityKind.ORGANIZATION, None, ("A",), (), (), (),
        ...                    None, (), ())
        >>> e == Entity(name="ACME", kind="organization", aliases=["A"])
        True
    """
    out = _new(Entity)
    s0, s1, s2, s3, s4, s5, s6, s7, s8, s9, s10, s11, s12 = _ENTITY_SLOTS
    s0(out, name)
    s1(out, kind)
    s2(out, country)
    s3(out, aliases)
    s4(out, addresses)
    s5(out, identifiers)
    s6(out, _NONE)
    s7(out, weak_aliases)
    s8(out, birth_date)
    s9(out, birth_dates)
    s10(out, nationalities)
    s11(out, 1)
    s12(out, 1)
    return out


def checked_listing(
    id: str,
    list_code: str,
    authority: str,
    entity: Entity,
    versions: tuple[ListingVersion, ...],
    programs: tuple[str, ...],
    source_url: str | None,
    remarks: str | None,
) -> Listing:
    """A :class:`Listing` from values the caller has checked are in final form.

    As :func:`checked_entity`: texts as :func:`text_ok`, ``versions`` a non-empty tuple of
    :class:`ListingVersion`, ``programs`` a tuple of at most ``MAX_LIST`` texts.

    Example:
        >>> from tradecontrol._time import Window
        >>> version = ListingVersion(window=Window(start="2024-01-01"))
        >>> e = Entity(name="ACME")
        >>> checked_listing("x-1", "SDN", "US-OFAC", e, (version,), (), None, None) == Listing(
        ...     id="x-1", list_code="SDN", authority="US-OFAC", entity=e, versions=[version])
        True
    """
    out = _new(Listing)
    s0, s1, s2, s3, s4, s5, s6, s7 = _LISTING_SLOTS
    s0(out, id)
    s1(out, list_code)
    s2(out, authority)
    s3(out, entity)
    s4(out, versions)
    s5(out, programs)
    s6(out, source_url)
    s7(out, remarks)
    return out
