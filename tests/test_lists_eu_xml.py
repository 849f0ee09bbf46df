"""EU Financial Sanctions Files XML loader (tradecontrol.lists.eu_xml)."""

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
from tradecontrol.lists import eu_xml

REAL = "eu/sample_eu_fsf.xml"
FIXTURE = FIXTURES / "eu_xml" / "eu_small.xml"


_RECORDS = {"sanctionEntity": 1}
_STRUCTURE: dict[str, int] = {}


@pytest.fixture(scope="module")
def real() -> lists.ListSnapshot:
    return lists.load(DATA / REAL)


@needs_shared
def test_real_file_counts(real: lists.ListSnapshot) -> None:
    check_snapshot(real)
    assert real.format == "eu-fsf-xml"
    assert real.published == datetime.date(2026, 8, 5)
    assert real.records == 5
    assert problem_rows(real) == []
    assert [x.id for x in real.listings] == ["eu-191", "eu-521", "eu-3822", "eu-6106", "eu-6177"]
    assert real.count_by_list() == {"EU": 5}
    assert all(x.authority == "EU" for x in real.listings)
    assert all(x.versions[0].window.zone == "Europe/Brussels" for x in real.listings)


KSM_URL = "https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=OJ:L_202500206"

SPOT: list[tuple[str, dict[str, Any]]] = [
    (
        "eu-191",
        {
            "name": "Khalid Sheikh MOHAMMED",
            "kind": EntityKind.PERSON,
            "aliases": (
                "Bin Khalid Fahd Bin Adballah",
                "Wadood Khalid Adbul",
                "Henin Ashraf Refaat Nabith",
                "Bin Khalid Fahd Bin Abdallah",
                "Wadood Khalid Abdul",
                "Ali Salem",
            ),
            "weak_aliases": (),
            "birth_date": "1965-04-14",
            "birth_dates": ("1964-03-01",),
            "nationalities": (),
            "identifiers": [("passport", "488555", None)],  # countryIso2Code "00"
            # No designationDate: the entry into force of the (amending) regulation.
            "start": datetime.date(2025, 2, 1),
            "note_has": "designation date not stated",
            "citations": ("2025/206 (L 202500206)", KSM_URL),
            "source_url": KSM_URL,
            "programs": ("TERR",),
            "remarks_has": ("EU reference number: EU.3579.2", "Place of birth: PAKISTAN"),
        },
    ),
    (
        "eu-521",
        {
            "name": "Ahmed Jan Akhundzada Wazir",  # the alias with a function
            "aliases": ("Haji Ahmad Jan", "Ahmed Jan Akhund"),
            "birth_date": "circa 1953 to 1958",
            "birth_dates": (),
            "nationalities": ("AF",),
            "start": datetime.date(2001, 1, 25),
            "note_has": None,
            "programs": ("AFG",),
            "citations": (
                "2017/404 (OJ L63)",
                "http://eur-lex.europa.eu/legal-content/EN/TXT/PDF/?uri=CELEX:32017R0404&from=EN",
            ),
            "remarks_has": (
                "Believed to be in Afghanistan/ Pakistan border area.",
                "Function: Minister of Water and Electricity under the Taliban regime",
                "Title: Maulavi",
                "Place of birth: Tirin Kot District, Uruzgan Province, AFGHANISTAN",
            ),
        },
    ),
    (
        "eu-3822",
        {
            "name": "Parchin Chemical Industries (PCI)",
            "kind": EntityKind.ORGANIZATION,
            "country": None,
            "aliases_include": (
                "Tionscail Ceimiceán Parchin",  # double space squashed
                "صنایع شیمیایی پارچین",  # Farsi kept as an alias
                "Parcsini Vegyipari Vállalat",
                "PCI",
            ),
            "alias_count": 15,
            "addresses_include": [
                ("Pasdaran Square, P.O. Box 16765/358", "Tehran", None, "IR"),
                ("Nobonyad Square", "Tehran", "15765-358", "IR"),
            ],
            "identifiers": [("registration_number", "892", None)],
            "start": datetime.date(2008, 6, 23),
            "programs": ("IRN",),
            "remarks_has": (
                "Designation details: UN designation:24/03/2007 (no longer valid)",
                "Web: http://icig.ir/",
                "Phone: +98 21 2258929; +98 21 35243153; +98 21 3130626",
                "Name PCF: Parchin Chemical Factories",
            ),
        },
    ),
    (
        "eu-6106",
        {
            "name": "Abu Zayd Umar DORDA",
            "aliases": ("Dorda Abuzed OE", "ABÚ ZAJD UMAR DÚRDA", "Abu Zayd Umar Hmeid Dorda"),
            "birth_date": "1944-04-04",
            "identifiers": [("passport", "FK117RK0", "LY")],
            "addresses_include": [(None, None, None, "LY")],
            "start": datetime.date(2011, 2, 26),
            "programs": ("LBY",),
            "remarks_has": (
                "UN id: LYi.006",
                "Place of birth: Alrhaybat",
                "passport FK117RK0: issued 2018-11-25, valid to 2026-11-24",
            ),
        },
    ),
    (
        "eu-6177",
        {
            "name": "Ibrahim Hassan Tali Al-Asiri",
            "weak_aliases": ("Abu-Salaah", "Abosslah", "Abu Saleh"),  # "low quality" remarks
            "alias_count": 11,
            "aliases_include": ("إبراهيم حسن طالع عسيري", "Ibrahim al-'Asiri"),
            # The ISLAMIC entry's Gregorian birthdate (1982-04-19) equals another entry.
            "birth_date": "1982-04-18",
            "birth_dates": ("1982-04-19",),
            "nationalities": ("SA",),
            "identifiers": [
                ("national_id", "1028745097", "SA"),
                ("passport", "F654645", "SA"),
            ],
            "start": datetime.date(2011, 3, 24),
            "programs": ("TAQA",),
            "remarks_has": ("Date of birth 1982-04-19: hijri calendar", "known expired"),
        },
    ),
]


def _check(listing: Listing, want: dict[str, Any]) -> None:
    e = listing.entity
    version = listing.versions[0]
    addresses = [
        (a.street, a.city, a.postal_code, a.country.code if a.country else None)
        for a in e.addresses
    ]
    got: dict[str, Any] = {
        "name": e.name,
        "kind": e.kind,
        "country": e.country.code if e.country else None,
        "aliases": e.aliases,
        "alias_count": len(e.aliases),
        "weak_aliases": e.weak_aliases,
        "birth_date": e.birth_date,
        "birth_dates": e.birth_dates,
        "nationalities": tuple(j.code for j in e.nationalities),
        "identifiers": [
            (i.scheme, i.value, i.country.code if i.country else None) for i in e.identifiers
        ],
        "start": version.window.start,
        "citations": version.citations,
        "source_url": listing.source_url,
        "programs": listing.programs,
    }
    for key, value in want.items():
        if key == "remarks_has":
            for part in value:
                assert part in (listing.remarks or ""), part
        elif key == "note_has":
            assert (version.note is None) if value is None else (value in (version.note or ""))
        elif key == "aliases_include":
            assert set(value) <= set(e.aliases)
        elif key == "addresses_include":
            assert all(a in addresses for a in value), addresses
        else:
            assert got[key] == value, key


@needs_shared
@pytest.mark.parametrize(("listing_id", "want"), SPOT, ids=[s[0] for s in SPOT])
def test_real_file_spot_checks(real: lists.ListSnapshot, listing_id: str, want: Any) -> None:
    listing = {x.id: x for x in real.listings}[listing_id]
    assert listing.list_code == "EU"
    assert listing.versions[0].window.end is None
    _check(listing, want)


@needs_shared
@pytest.mark.parametrize("path", shared_files(), ids=lambda p: str(p.relative_to(DATA)))
def test_sniff_shared_files(path: Path) -> None:
    assert eu_xml.sniff(head(path), path) is (str(path.relative_to(DATA)) == REAL)


@pytest.mark.parametrize("path", fixture_files(), ids=lambda p: p.name)
def test_sniff_fixtures(path: Path) -> None:
    assert eu_xml.sniff(head(path), path) is (path == FIXTURE)


def test_fixture() -> None:
    snap = lists.load(FIXTURE)
    check_snapshot(snap)
    assert snap.format == "eu-fsf-xml"
    assert snap.published == datetime.date(2024, 3, 1)
    assert snap.records == 4
    assert [(p.record, p.field, p.reason, p.fatal) for p in snap.problems] == [
        (
            1,
            "birthdate",
            "date of birth given only in the islamic calendar; kept in remarks",
            False,
        ),
        (2, "address.countryIso2Code", "unknown country 'ATLANTIS'; kept in remarks", False),
        (3, "logicalId", "no logicalId", True),
        (4, "nameAlias", "no name", True),
    ]
    person, company = snap.listings
    e = person.entity
    assert e.name == "Abdullah EXAMPLE"
    assert e.aliases == ("عبد الله مثال",)
    assert e.weak_aliases == ("Abu Example", "Abdallah Exemple")
    assert e.birth_date == "1982-04-19"
    assert e.birth_dates == ("circa 1980", "1979-05")
    assert [j.code for j in e.nationalities] == ["SA"]
    assert [(i.scheme, i.value) for i in e.identifiers] == [
        ("passport", "F654645"),
        ("tax_id", "ABC123"),
    ]
    assert e.addresses[0].street == "Main Street 1, P.O. Box 123"
    assert person.versions[0].window.start == datetime.date(2012, 3, 23)
    assert person.versions[0].citations == (
        "2020/1 (OJ L1)",
        "https://eur-lex.europa.eu/example/2020-1",
    )
    assert person.remarks is not None
    assert "Date of birth (islamic calendar): 1400-1-1" in person.remarks
    assert "Test person. Second line." in person.remarks
    assert company.entity.kind is EntityKind.ORGANIZATION
    assert company.entity.name == "Example Industries Group"
    assert company.entity.aliases == ("Example Industries",)
    assert company.entity.country is not None and company.entity.country.code == "IR"
    assert company.versions[0].window.start == datetime.date(2023, 10, 18)
    assert company.versions[0].note is not None
    assert "amendment 2023/2 (OJ L2) in force 2023-10-18" in company.versions[0].note


@pytest.mark.parametrize("kind", ["billion_laughs", "xxe", "external_dtd"])
def test_entities_and_dtds_are_refused(tmp_path: Path, kind: str) -> None:
    path = tmp_path / "evil.xml"
    attrs = f'xmlns="{eu_xml.NAMESPACE}" generationDate="2024-01-01T00:00:00+01:00"'
    body = '<sanctionEntity logicalId="1"><nameAlias wholeName="X" strong="true"/></sanctionEntity>'
    path.write_bytes(attack(kind, "export", attrs, body))
    with pytest.raises(DataError, match="refused"):
        lists.load(path)
    with pytest.raises(DataError, match="refused"):
        lists.load(path, format=eu_xml.NAME)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=mutated(FIXTURE.read_bytes(), XML_EDITS))
def test_fuzz(data: bytes) -> None:
    fuzz_one(
        data,
        "list.xml",
        eu_xml.NAME,
        lambda d: xml_expected_records(d, _RECORDS, _STRUCTURE),
    )
