"""UK Sanctions List XML loader (tradecontrol.lists.uk_xml)."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from tests._intl_lists import (
    DATA,
    FIXTURES,
    XML_EDITS,
    attack,
    check_snapshot,
    fixture_files,
    fuzz_one,
    head,
    mutated,
    needs_shared,
    problem_rows,
    shared_files,
    xml_expected_records,
)
from tradecontrol import lists
from tradecontrol.entities import EntityKind
from tradecontrol.errors import DataError
from tradecontrol.listings import Listing
from tradecontrol.lists import uk_xml

REAL = "uk/sample_uk_sanctions.xml"
FIXTURE = FIXTURES / "uk_xml" / "uk_small.xml"


_RECORDS = {"Designation": 1}
_STRUCTURE: dict[str, int] = {"DateGenerated": 1}


@pytest.fixture(scope="module")
def real() -> lists.ListSnapshot:
    return lists.load(DATA / REAL)


@needs_shared
def test_real_file_counts(real: lists.ListSnapshot) -> None:
    check_snapshot(real)
    assert real.format == "uk-sanctions-xml"
    assert real.published == datetime.date(2026, 9, 10)  # DateGenerated 10/09/2026
    assert real.records == 5
    assert problem_rows(real) == []
    assert [x.id for x in real.listings] == [
        "uk-AFG0001",
        "uk-AFG0006",
        "uk-BEL0107",
        "uk-DPR0075",
        "uk-AQD0195",
    ]
    assert real.count_by_list() == {"UK": 5}
    assert all(x.authority == "UK" for x in real.listings)
    assert all(x.versions[0].window.zone == "Europe/London" for x in real.listings)


AFG = "The Afghanistan (Sanctions) (EU Exit) Regulations 2020"

SPOT: list[tuple[str, dict[str, Any]]] = [
    (
        "uk-AFG0001",
        {
            "name": "HAJI KHAIRULLAH MONEY EXCHANGE",
            "kind": EntityKind.ORGANIZATION,
            "aliases": ("Haji Alim Hawala", "حاجی خيرالله صرافی"),
            "weak_aliases": (),
            "addresses": [
                ("Ansari Market, 2nd Floor", "Nimroz Province", None, "AF"),
                ("Branch Office 14", "Dubai", None, "AE"),
            ],
            "start": datetime.date(2012, 6, 29),
            "programs": (AFG,),
            "remarks_has": (
                "Sanctions imposed: Asset freeze",
                "Afghan Money Service Provider License Number: 044.",
                "UN reference number: TAe.010",
                "OFSI group ID: 12703",
                "Phone number: 0202-104748",
                "Email address: helmand_exchange_msp@yahoo.com",
            ),
        },
    ),
    (
        "uk-AFG0006",
        {
            "name": "MOHAMMAD HASSAN AKHUND",
            "kind": EntityKind.PERSON,
            "aliases": ("Mohammad Akhwand", "محمد حسن آخوند"),  # Primary Name Variation
            "birth_date": "1958-05-12",
            "birth_dates": ("1945", "1946"),  # dd/mm/1945 and 1946
            "nationalities": ("AF",),
            "identifiers": [("passport", "P04581926"), ("national_id", "2132370")],
            "addresses": [(None, "Kabul", None, "AF")],
            "start": datetime.date(2001, 1, 25),
            "remarks_has": (
                "Sanctions imposed: Asset freeze|Travel Ban",
                "Title: Mullah",
                "Title: Haji",
                "Position: Deputy Minister of Agriculture under the Taliban regime",
                "Town of birth: Pashmul village, Panjwai District",
                "Designation source: UK|UN",
            ),
        },
    ),
    (
        "uk-BEL0107",
        {
            "name": "BNK (UK) Ltd",
            "aliases": ("BNK UK Limited",),  # Good quality a.k.a
            "weak_aliases": ("BNK",),  # Low quality a.k.a
            "identifiers": [("registration_number", "UK Company no. 06527449")],
            "addresses": [("Salatin House, 19 Cedar Road, Sutton, Surrey", None, "SM2 5DA", "GB")],
            "start": datetime.date(2021, 6, 21),
            "programs": ("The Republic of Belarus (Sanctions) (EU Exit) Regulations 2019",),
            "remarks_has": (
                "Statement of reasons: BNK (UK) Ltd is controlled by CJSC Belarusian Oil Company",
                "Parent company: Belneftekhim",
                "Subsidiary: BNK (Deutschland) GmbH",
                "Website: http://www.belnaft.co.uk/",
            ),
        },
    ),
    (
        "uk-DPR0075",
        {
            "name": "Petrel 8",
            "kind": EntityKind.VESSEL,
            "country": "KM",  # current believed flag
            "aliases": ("Tian Tai 36",),
            "identifiers": [("imo", "9562233")],
            "start": datetime.date(2017, 10, 3),
            "remarks_has": (
                "Sanctions imposed: Prohibition of port entry",
                "Previous flag: India",
                "Type of ship: Bulk Carrier",
                "Current owner operator: Global United Shipping India",
            ),
        },
    ),
    (
        "uk-AQD0195",
        {
            "name": "Fadhil Harun",
            "birth_date": "1972",
            "birth_dates": (),
            "nationalities": ("KM",),
            "start": datetime.date(2010, 5, 13),
            "programs": (
                "Isil (Da'esh) and Al-Qaeda (United Nations Sanctions) (EU Exit) Regulations 2019",
            ),
            "remarks_has": ("Town of birth: Moroni", "UN reference number: QDi.196"),
        },
    ),
]


def _check(listing: Listing, want: dict[str, Any]) -> None:
    e = listing.entity
    got: dict[str, Any] = {
        "name": e.name,
        "kind": e.kind,
        "country": e.country.code if e.country else None,
        "aliases": e.aliases,
        "weak_aliases": e.weak_aliases,
        "birth_date": e.birth_date,
        "birth_dates": e.birth_dates,
        "nationalities": tuple(j.code for j in e.nationalities),
        "identifiers": [(i.scheme, i.value) for i in e.identifiers],
        "addresses": [
            (a.street, a.city, a.postal_code, a.country.code if a.country else None)
            for a in e.addresses
        ],
        "start": listing.versions[0].window.start,
        "programs": listing.programs,
    }
    for key, value in want.items():
        if key == "remarks_has":
            for part in value:
                assert part in (listing.remarks or ""), part
        else:
            assert got[key] == value, key


@needs_shared
@pytest.mark.parametrize(("listing_id", "want"), SPOT, ids=[s[0] for s in SPOT])
def test_real_file_spot_checks(real: lists.ListSnapshot, listing_id: str, want: Any) -> None:
    listing = {x.id: x for x in real.listings}[listing_id]
    assert listing.list_code == "UK"
    assert listing.versions[0].window.end is None
    assert listing.versions[0].citations == ()
    _check(listing, want)


@needs_shared
@pytest.mark.parametrize("path", shared_files(), ids=lambda p: str(p.relative_to(DATA)))
def test_sniff_shared_files(path: Path) -> None:
    assert uk_xml.sniff(head(path), path) is (str(path.relative_to(DATA)) == REAL)


@pytest.mark.parametrize("path", fixture_files(), ids=lambda p: p.name)
def test_sniff_fixtures(path: Path) -> None:
    assert uk_xml.sniff(head(path), path) is (path == FIXTURE)


def test_fixture() -> None:
    snap = lists.load(FIXTURE)
    check_snapshot(snap)
    assert snap.format == "uk-sanctions-xml"
    assert snap.published == datetime.date(2024, 3, 2)
    assert snap.records == 4
    assert [(p.record, p.field, p.reason, p.fatal) for p in snap.problems] == [
        (1, "DOB", "not a date of birth: 'about 1940'; kept in remarks", False),
        (1, "Nationality", "unknown country 'Atlantis'; kept in remarks", False),
        (3, "Names", "no Primary Name; the first name is used", False),
        (3, "DateDesignated", "not a DD/MM/YYYY date: 'not a date'", False),
        (4, "UniqueID", "no UniqueID", True),
    ]
    person, ship, company = snap.listings
    assert person.entity.name == "ABDUL EXAMPLE PERSON"
    assert person.entity.aliases == ("Abdul Exemplar", "عبد مثال")
    assert person.entity.weak_aliases == ("Abu Ex",)
    assert person.entity.birth_date == "1958-05-12"
    assert person.entity.birth_dates == ("1945", "1950-07", "1946")
    assert person.entity.addresses[0].street == "House 5, Street 7"
    assert person.entity.addresses[0].city == "Kabul"
    assert person.remarks is not None
    assert "Date of birth: about 1940" in person.remarks
    assert "Nationality: Atlantis" in person.remarks
    assert "Asset freeze|Travel Ban" in person.remarks
    assert "true" not in person.remarks  # SanctionsImposedIndicators are not repeated
    assert ship.entity.kind is EntityKind.VESSEL
    assert [(i.scheme, i.value) for i in ship.entity.identifiers] == [("imo", "1234567")]
    assert ship.entity.country is not None and ship.entity.country.code == "PA"
    assert company.entity.name == "Example Holdings"
    assert company.versions[0].window.start is None
    assert company.versions[0].note == "listing date not stated in the source"


@pytest.mark.parametrize("kind", ["billion_laughs", "xxe", "external_dtd"])
def test_entities_and_dtds_are_refused(tmp_path: Path, kind: str) -> None:
    path = tmp_path / "evil.xml"
    body = "<DateGenerated>01/01/2024</DateGenerated><Designation><UniqueID>X</UniqueID>"
    body += "</Designation>"
    path.write_bytes(attack(kind, "Designations", "", body))
    with pytest.raises(DataError, match="refused"):
        lists.load(path)
    with pytest.raises(DataError, match="refused"):
        lists.load(path, format=uk_xml.NAME)


def test_unreadable_publication_date(tmp_path: Path) -> None:
    path = tmp_path / "uk.xml"
    text = FIXTURE.read_text(encoding="utf-8").replace("02/03/2024", "2024-03-02")
    path.write_text(text, encoding="utf-8")
    snap = lists.load(path)
    assert snap.published is None
    assert (0, "DateGenerated", False) in [(p.record, p.field, p.fatal) for p in snap.problems]
    assert snap.records == 4


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=mutated(FIXTURE.read_bytes(), XML_EDITS))
def test_fuzz(data: bytes) -> None:
    fuzz_one(
        data,
        "list.xml",
        uk_xml.NAME,
        lambda d: xml_expected_records(d, _RECORDS, _STRUCTURE),
    )
