"""The loaders' trusted construction path builds what the validated constructors build.

``tradecontrol.lists._trusted`` sets fields directly when every value is already in final
form, and calls the validated constructor otherwise. These tests check that, for the same
arguments, it returns an equal object or raises the same error (message and field path),
and that every listing the fast loaders build from the real files passes ``attrs.validate``
and survives a round trip through the validated constructors unchanged.
"""

from __future__ import annotations

from typing import Any

import attrs
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import SHARED
from tests.ofac_support import needs_data  # under CI=true, missing data is a failure
from tradecontrol import lists
from tradecontrol._time import Window
from tradecontrol.decision import ReviewPolicy
from tradecontrol.entities import Address, Entity, EntityKind, Identifier
from tradecontrol.errors import InvalidInputError, TradeControlError
from tradecontrol.jurisdictions import Jurisdiction
from tradecontrol.listings import LicenseRequirement, Listing, ListingVersion
from tradecontrol.lists import _trusted

# Text that the validators keep, change (strip) or refuse: plain and non-ASCII names,
# surrounding and inner white space, control, bidirectional and zero-width characters,
# the empty string, over-long text, and values of other types.
TEXT = st.one_of(
    st.sampled_from(
        [
            "ACME Ltd.",
            "Co\u201dperatief",
            "HUAWEI",
            " padded ",
            "tab\there",
            "line\nbreak",
            "bidi\u202eevil",
            "\u200d",
            "\u3000wide\u3000",
            "",
            " ",
            "x" * 4096,
            "x" * 4097,
            "é" * 4097,
            "\ud800",
        ]
    ),
    st.text(max_size=12),
    st.sampled_from([None, 7, b"bytes"]),
)
TEXTS = st.one_of(st.lists(TEXT, max_size=3), st.lists(TEXT, max_size=3).map(tuple), TEXT)
COUNTRY = st.one_of(
    st.sampled_from([None, "CN", "cn", "UA-43", "XX", "", "EU", " CN", 5]),
    st.just(Jurisdiction("RU")),
)
DATE = st.sampled_from(
    ["1962", "1962-01", "1962-01-15", "circa 1962", "1960 to 1962", "1962-13", "15 Jan 1962", ""]
)
KIND = st.sampled_from([*EntityKind, "person", "organization", "vessel", "robot", None])


def outcome(build: Any, **kwargs: Any) -> tuple[str, Any]:
    """``("ok", object)`` or ``("error", (type, message, path))``."""
    try:
        return "ok", build(**kwargs)
    except InvalidInputError as exc:
        return "error", (type(exc), exc.message, exc.path)
    except (TypeError, ValueError) as exc:  # e.g. EntityKind("robot"), for both alike
        return "error", (type(exc), str(exc), "")


def same(trusted: Any, validated: Any, **kwargs: Any) -> None:
    got, want = outcome(trusted, **kwargs), outcome(validated, **kwargs)
    assert got == want
    if got[0] == "ok":
        obj = got[1]
        assert type(obj) is type(want[1])
        for field in attrs.fields(type(obj)):  # every slot is set, to an equal value
            assert getattr(obj, field.name) == getattr(want[1], field.name)
        attrs.validate(obj)


@settings(max_examples=300, deadline=None)
@given(street=TEXT, city=TEXT, region=TEXT, postal_code=TEXT, country=COUNTRY)
def test_address(**kwargs: Any) -> None:
    same(_trusted.address, Address, **kwargs)


@settings(max_examples=300, deadline=None)
@given(
    scheme=st.one_of(TEXT, st.sampled_from(["passport", "IMO", "tax_id"])),
    value=TEXT,
    country=COUNTRY,
)
def test_identifier(**kwargs: Any) -> None:
    same(_trusted.identifier, Identifier, **kwargs)


ADDRESSES = st.lists(
    st.one_of(st.just(Address(city="Havana")), st.just("Havana"), st.none()), max_size=2
)
IDENTIFIERS = st.lists(
    st.one_of(st.just(Identifier(scheme="imo", value="9187629")), st.just({"a": 1})), max_size=2
)
NATIONALITIES = st.lists(
    st.one_of(st.sampled_from(["IR", "XX", "ir"]), st.just(Jurisdiction("CU"))), max_size=2
)


@settings(max_examples=500, deadline=None)
@given(
    name=TEXT,
    kind=KIND,
    country=COUNTRY,
    aliases=TEXTS,
    addresses=ADDRESSES,
    identifiers=IDENTIFIERS,
    weak_aliases=TEXTS,
    birth_date=st.one_of(st.none(), DATE),
    birth_dates=st.lists(DATE, max_size=2),
    nationalities=NATIONALITIES,
)
def test_entity(**kwargs: Any) -> None:
    same(_trusted.entity, Entity, **kwargs)


def test_entity_long_lists() -> None:
    for size in (1000, 1001):
        same(_trusted.entity, Entity, name="ACME", aliases=["A"] * size)
        same(_trusted.entity, Entity, name="ACME", addresses=[Address(city="X")] * size)


VERSION = ListingVersion(window=Window(start="2024-01-01"))


@settings(max_examples=300, deadline=None)
@given(
    id=TEXT,
    list_code=st.one_of(st.just("SDN"), TEXT),
    authority=st.one_of(st.just("US-OFAC"), TEXT),
    entity=st.one_of(st.just(Entity(name="ACME")), st.just("ACME")),
    versions=st.one_of(
        st.just([VERSION]), st.just((VERSION, VERSION)), st.just([]), st.just(["v"])
    ),
    programs=TEXTS,
    source_url=TEXT,
    remarks=TEXT,
)
def test_listing(**kwargs: Any) -> None:
    same(_trusted.listing, Listing, **kwargs)


DATA = SHARED / "data"
REAL = sorted(p for p in DATA.rglob("*") if p.is_file()) if DATA.is_dir() else []
TRUSTED_FORMATS = {"csl-csv", "ofac-csv", "ofac-xml", "ofac-enhanced-xml", "ofac-advanced-xml"}
"""The formats whose loaders build through the trusted path."""


@needs_data
def test_real_listings_validate() -> None:
    """Every listing of every real file passes attrs.validate; those built through the
    trusted path also equal their rebuild by the validated constructors."""
    rebuilt = 0
    for path in REAL:
        try:
            snap = lists.load(path)
        except TradeControlError:
            continue  # not a list file (SOURCES.md, name-matching sets, EAR tables)
        for listing in snap.listings:
            entity = listing.entity
            parts: list[Any] = [listing, entity, *entity.addresses, *entity.identifiers]
            for obj in [*parts, *listing.versions]:
                attrs.validate(obj)
            if snap.format in TRUSTED_FORMATS:
                assert Listing.from_dict(listing.to_dict()) == listing, (path, listing.id)
                rebuilt += 1
    assert rebuilt > 30_000


FINAL = st.sampled_from(["ACME Ltd.", "Co\u201dperatief", "HUAWEI", "x" * 4096, "A B"])
"""Texts in final form: what the loaders pass to the ``checked_*`` constructors."""


def same_slots(checked: Any, validated: Any) -> None:
    """Every slot of ``checked`` is set, to the validated object's value."""
    assert type(checked) is type(validated)
    for name in type(validated).__slots__:
        if name != "__weakref__":
            assert getattr(checked, name) == getattr(validated, name), name
    assert checked == validated
    attrs.validate(checked)


@settings(max_examples=200, deadline=None)
@given(
    name=FINAL,
    kind=st.sampled_from(list(EntityKind)),
    country=st.sampled_from([None, Jurisdiction("CN")]),
    aliases=st.lists(FINAL, max_size=2).map(tuple),
    weak_aliases=st.lists(FINAL, max_size=2).map(tuple),
    birth_dates=st.lists(st.sampled_from(["1962", "circa 1962", "1960 to 1962"]), max_size=2),
    street=st.one_of(st.none(), FINAL),
)
def test_checked_constructors_build_what_the_validated_ones_build(
    name: str,
    kind: EntityKind,
    country: Jurisdiction | None,
    aliases: tuple[str, ...],
    weak_aliases: tuple[str, ...],
    birth_dates: list[str],
    street: str | None,
) -> None:
    person = kind is EntityKind.PERSON
    births = tuple(birth_dates) if person else ()
    nationalities = (Jurisdiction("IR"),) if person else ()
    address = _trusted.checked_address(street, None, None, None, country)
    same_slots(address, Address(street=street, country=country))
    ident = _trusted.checked_identifier("passport", name, country)
    same_slots(ident, Identifier(scheme="passport", value=name, country=country))
    entity = _trusted.checked_entity(
        name, kind, country, aliases, (address,), (ident,), weak_aliases, None, births,
        nationalities,
    )  # fmt: skip
    same_slots(
        entity,
        Entity(
            name=name,
            kind=kind,
            country=country,
            aliases=aliases,
            addresses=[address],
            identifiers=[ident],
            weak_aliases=weak_aliases,
            birth_dates=births,
            nationalities=nationalities,
        ),
    )
    listing = _trusted.checked_listing(
        "us-sdn-36", "SDN", "US-OFAC", entity, (VERSION,), aliases, street, street
    )
    same_slots(
        listing,
        Listing(
            id="us-sdn-36",
            list_code="SDN",
            authority="US-OFAC",
            entity=entity,
            versions=[VERSION],
            programs=aliases,
            source_url=street,
            remarks=street,
        ),
    )


def _date_kept(value: str) -> bool:
    """The validator's own answer: ``partial_date`` keeps ``value`` unchanged."""
    from tradecontrol import _validators as v

    try:
        return v.partial_date(value) == value
    except InvalidInputError:
        return False


DATES = st.one_of(
    st.sampled_from(
        ["1962", "0000", "9999", "196a", "1962-01-15", "1962-02-30", "2000-02-29",
         "1900-02-29", "0000-01-01", "0001-01-01", "1962-13-01", "1962-00-10", "1962-01-00",
         "1962-1-015", "1962/01/15", "19620115", "circa 1962", "1960 to 1962", "1962-01",
         " 1962", "1962 ", "\u0661\u0669\u0666\u0662", "\u0661\u0669\u0666\u0662-01-15",
         "1962-01-1\u0665", "1962\n", "+962", "-962", "1_62", "1962-01-15 to 1962-02-30"]
    ),
    st.text(alphabet="0123456789- \u0661", min_size=0, max_size=12),
)  # fmt: skip


@settings(max_examples=1000, deadline=None)
@given(value=DATES)
def test_date_ok_is_the_validators_answer(value: str) -> None:
    assert _trusted._date_ok.__wrapped__(value) == _date_kept(value)


WINDOWS = st.sampled_from([Window(start="2024-01-01"), Window(), "2024-01-01", None])
POLICIES = st.sampled_from(
    [None, "presumption_of_denial", "case_by_case", "not a policy", *ReviewPolicy]
)
REQUIREMENTS = st.sampled_from(
    [None, LicenseRequirement(scope="as_stated", text="For all items."), "For all items."]
)


@settings(max_examples=400, deadline=None)
@given(
    window=WINDOWS,
    license_requirement=REQUIREMENTS,
    review_policy=POLICIES,
    review_policy_text=st.one_of(st.none(), TEXT),
    published_start=st.sampled_from([False, True, 0, None]),
    citations=TEXTS,
    note=st.one_of(st.none(), TEXT),
)
def test_listing_version(**kwargs: Any) -> None:
    same(_trusted.listing_version, ListingVersion, **kwargs)
