"""UN Security Council Consolidated List XML loader (tradecontrol.lists.un_xml)."""

from __future__ import annotations

import datetime
import sys
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
from tradecontrol.lists import un_xml

REAL = "un/UN_consolidated.xml"
FIXTURE = FIXTURES / "un_xml" / "un_small.xml"


_RECORDS = {"INDIVIDUAL": 2, "ENTITY": 2}
_STRUCTURE: dict[str, int] = {"INDIVIDUALS": 1, "ENTITIES": 1}


@pytest.fixture(scope="module")
def real() -> lists.ListSnapshot:
    return lists.load(DATA / REAL)


@pytest.fixture(scope="module")
def by_id(real: lists.ListSnapshot) -> dict[str, Listing]:
    return {x.id: x for x in real.listings}


# -- the real file -------------------------------------------------------------------------


@needs_shared
def test_real_file_counts(real: lists.ListSnapshot) -> None:
    check_snapshot(real)
    assert real.format == "un-xml"
    assert real.published == datetime.date(2026, 2, 27)
    assert real.records == 1003
    assert len(real.listings) == 1003
    kinds = [x.entity.kind for x in real.listings]
    assert kinds.count(EntityKind.PERSON) == 730
    assert kinds.count(EntityKind.ORGANIZATION) == 273
    assert real.count_by_list() == {"UN": 1003}
    assert len({x.id for x in real.listings}) == 1003
    assert all(x.authority == "UN" and x.versions[0].window.start for x in real.listings)
    assert sum(len(x.entity.weak_aliases) for x in real.listings) == 615  # QUALITY Low


@needs_shared
def test_real_file_problems(real: lists.ListSnapshot) -> None:
    path = str(DATA / REAL)
    assert [(p.source, *row) for p, row in zip(real.problems, problem_rows(real), strict=True)] == [
        (
            path,
            286,
            "INDIVIDUAL_DATE_OF_BIRTH",
            "date of birth given only as a note: '30-35 years old'",
            "LYi.022",
            False,
        ),
        (
            path,
            417,
            "NATIONALITY",
            "unknown country 'former Soviet Union'; kept in remarks",
            "QDi.290",
            False,
        ),
        (
            path,
            418,
            "INDIVIDUAL_DATE_OF_BIRTH",
            "date of birth given only as a note: '24/06/1402 (Hijri Calendar)'",
            "QDi.291",
            False,
        ),
        (
            path,
            431,
            "INDIVIDUAL_DATE_OF_BIRTH",
            "date of birth given only as a note: 'Between Aug. and Sep. 1977'",
            "QDi.306",
            False,
        ),
    ]


SPOT: list[tuple[str, dict[str, Any]]] = [
    (
        "un-QDi.001",
        {
            "name": "MOHAMMED SALAHALDIN ABD EL HALIM ZIDANE",
            "kind": EntityKind.PERSON,
            "aliases": (
                "محمد صلاح الدين عبدالحليم زيدان",
                "Sayf-Al Adl",
                "Muhamad Ibrahim Makkawi",
            ),
            "weak_aliases": ("Ibrahim al-Madani", "Saif Al-'Adil", "Seif al Adel"),
            "birth_date": "1963-04-11",
            "birth_dates": ("1960-04-11",),
            "nationalities": ("EG",),
            "start": datetime.date(2001, 1, 25),
            "programs": ("Al-Qaida",),
            "remarks_has": ("Place of birth: Monufia Governate, Egypt", "UN data id: 113219"),
        },
    ),
    (
        "un-TAi.002",
        {
            "name": "MOHAMMAD HASSAN AKHUND",
            "aliases": ("محمد حسن آخوند",),
            "weak_aliases": (),
            "birth_date": "circa 1955 to 1958",
            "birth_dates": ("circa 1945 to 1950",),
            "nationalities": ("AF",),
            "programs": ("Taliban",),
            "remarks_has": ("Title: Mullah, Haji", "Governor of Kandahar under the Taliban"),
        },
    ),
    (
        "un-CDi.003",
        {
            "name": "GASTON IYAMUREMYE",
            "weak_aliases": ("Rumuli",),
            "birth_date": "1948",
            "nationalities": ("RW",),
            "addresses": [(None, None, "North Kivu Province", "CD")],
            "start": datetime.date(2010, 12, 1),
            "remarks_has": ("Place of birth: Musanze District, Northern Province, Rwanda",),
        },
    ),
    (
        "un-CDe.001",
        {
            "name": "ADF",
            "kind": EntityKind.ORGANIZATION,
            "aliases": (
                "Allied Democratic Forces",
                "Forces Démocratiques Alliées-Armée Nationale de Libération de l’Ouganda",
                "ADF/NALU",
                "NALU",
            ),
            "addresses": [(None, None, "North Kivu", "CD")],
            "start": datetime.date(2014, 6, 30),
            "programs": ("DRC",),
        },
    ),
    (
        "un-KPi.017",
        {
            "name": "JANG YONG SON",
            "identifiers": [("passport", "563110024", "KP")],
            "birth_date": "1957-02-20",
            "nationalities": ("KP",),
            "programs": ("DPRK",),
        },
    ),
    (
        "un-QDi.395",
        {
            "name": "MUHAMMAD SHOLEH IBRAHIM",
            "birth_date": "1958-09",  # YEAR 1958 with NOTE "Sep."
            "identifiers": [
                ("national_id", "3311092409580002", "ID"),
                ("national_id", "3311092409580003", "ID"),
            ],
        },
    ),
    ("un-CDi.004", {"birth_date": "1973-11"}),  # NOTE "Nov. 1973" only
    (
        "un-QDi.352",
        {
            "name": "MAULANA FAZLULLAH",
            "start": datetime.date(2015, 4, 7),  # LISTED_ON 2015-04-07-04:00
            "weak_aliases": ("Mullah Radio",),
            "birth_date": "1974",
            "remarks_has": ("Address: Afghanistan / Pakistan border region",),
        },
    ),
    (
        "un-QDi.290",
        {
            "name": "DOKU KHAMATOVICH UMAROV",
            "nationalities": ("RU",),
            "birth_date": "1964-04-13",
            "birth_dates": ("1965-04-13", "1964-05-12", "1955"),
            "aliases": ("Умаров Доку Хаматович", "Lom-ali Butayev (Butaev)", "Dokka Umarov"),
            "identifiers": [("passport", "96 03 464086", "RU")],
            "remarks_has": ("Nationality: former Soviet Union", "issued 2003-06-01"),
        },
    ),
    (
        "un-IQi.001",
        {
            "name": "SADDAM HUSSEIN AL-TIKRITI",
            "weak_aliases": ("Abu Ali",),
            "birth_date": "1937-04-28",
            "addresses": [],
            "start": datetime.date(2003, 6, 27),
        },
    ),
]


def _check(listing: Listing, want: dict[str, Any]) -> None:
    e = listing.entity
    got: dict[str, Any] = {
        "name": e.name,
        "kind": e.kind,
        "aliases": e.aliases,
        "weak_aliases": e.weak_aliases,
        "birth_date": e.birth_date,
        "birth_dates": e.birth_dates,
        "nationalities": tuple(j.code for j in e.nationalities),
        "addresses": [
            (a.street, a.city, a.region, a.country.code if a.country else None) for a in e.addresses
        ],
        "identifiers": [
            (i.scheme, i.value, i.country.code if i.country else None) for i in e.identifiers
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
def test_real_file_spot_checks(by_id: dict[str, Listing], listing_id: str, want: Any) -> None:
    listing = by_id[listing_id]
    assert listing.list_code == "UN"
    assert listing.authority == "UN"
    assert listing.versions[0].window.zone == "America/New_York"
    assert listing.versions[0].window.end is None
    _check(listing, want)


# -- sniffing ------------------------------------------------------------------------------


@needs_shared
@pytest.mark.parametrize("path", shared_files(), ids=lambda p: str(p.relative_to(DATA)))
def test_sniff_shared_files(path: Path) -> None:
    assert un_xml.sniff(head(path), path) is (str(path.relative_to(DATA)) == REAL)


@pytest.mark.parametrize("path", fixture_files(), ids=lambda p: p.name)
def test_sniff_fixtures(path: Path) -> None:
    assert un_xml.sniff(head(path), path) is (path == FIXTURE)


# -- the fixture ---------------------------------------------------------------------------


def test_fixture() -> None:
    snap = lists.load(FIXTURE)
    check_snapshot(snap)
    assert snap.format == "un-xml"
    assert snap.published == datetime.date(2024, 5, 6)
    assert snap.records == 5
    assert [x.id for x in snap.listings] == ["un-QDi.900", "un-TAi.900", "un-KPe.900"]
    assert [(p.record, p.field, p.fatal) for p in snap.problems] == [
        (1, "NATIONALITY", False),
        (1, "INDIVIDUAL_DATE_OF_BIRTH", False),
        (3, "REFERENCE_NUMBER", True),
        (5, "FIRST_NAME", True),
    ]
    first, note_only, company = snap.listings
    e = first.entity
    assert e.name == "ALPHA BETA GAMMA DELTA"
    assert e.aliases == ("ألفا بيتا", "Al Pha")
    assert e.weak_aliases == ("Abu Alpha",)
    assert e.birth_date == "1962-01-02"
    assert e.birth_dates == ("circa 1963", "1960 to 1962", "1958-09", "1961-02-03")
    assert [j.code for j in e.nationalities] == ["CD"]
    assert [(i.scheme, i.value, str(i.country)) for i in e.identifiers] == [
        ("passport", "AB123456", "EG"),
        ("national_id", "998877", "None"),
    ]
    assert first.versions[0].window.start == datetime.date(2015, 4, 7)
    assert first.remarks is not None
    assert first.remarks.startswith("Test entry. Line one line two.;")
    for part in ("Nationality: Atlantis", "Date of birth: 30-35 years old", "Alias Abu Alpha"):
        assert part in first.remarks
    assert note_only.entity.birth_date == "1973-11"
    assert note_only.entity.birth_dates == ("circa 1955 to 1958",)
    assert note_only.versions[0].window.start is None
    assert note_only.versions[0].note == "listing date not stated in the source"
    assert company.entity.kind is EntityKind.ORGANIZATION
    assert company.entity.aliases == ("EXTRACO", "Old Example Co")
    assert company.entity.birth_date is None


# -- hostile and broken input --------------------------------------------------------------


@pytest.mark.parametrize("kind", ["billion_laughs", "xxe", "external_dtd"])
def test_entities_and_dtds_are_refused(tmp_path: Path, kind: str) -> None:
    path = tmp_path / "evil.xml"
    body = "<INDIVIDUALS><INDIVIDUAL><REFERENCE_NUMBER>X</REFERENCE_NUMBER></INDIVIDUAL>"
    path.write_bytes(attack(kind, "CONSOLIDATED_LIST", 'dateGenerated="2024-01-01"', body))
    with pytest.raises(DataError, match="refused"):
        lists.load(path)
    with pytest.raises(DataError, match="refused"):
        lists.load(path, format=un_xml.NAME)


def test_without_defusedxml(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "defusedxml.ElementTree", None)
    with pytest.raises(DataError, match=r"pip install 'tradecontrol\[lists\]'"):
        lists.load(FIXTURE)


def test_truncated_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "cut.xml"
    path.write_bytes(FIXTURE.read_bytes()[:3000])
    with pytest.raises(DataError, match="not well-formed"):
        lists.load(path)


def test_duplicate_reference_numbers_keep_both(tmp_path: Path) -> None:
    text = FIXTURE.read_text(encoding="utf-8").replace("TAi.900", "QDi.900")
    path = tmp_path / "dup.xml"
    path.write_text(text, encoding="utf-8")
    snap = lists.load(path)
    check_snapshot(snap)
    assert [x.id for x in snap.listings] == ["un-QDi.900", "un-QDi.900-2", "un-KPe.900"]
    assert any("already used by record 1" in p.reason for p in snap.problems)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=mutated(FIXTURE.read_bytes(), XML_EDITS))
def test_fuzz(data: bytes) -> None:
    fuzz_one(
        data,
        "list.xml",
        un_xml.NAME,
        lambda d: xml_expected_records(d, _RECORDS, _STRUCTURE),
    )


def test_over_long_fields(tmp_path: Path) -> None:
    text = FIXTURE.read_text(encoding="utf-8")
    text = text.replace("<FIRST_NAME>EXAMPLE TRADING COMPANY<", f"<FIRST_NAME>{'E' * 5000}<")
    text = text.replace("<COMMENTS1>Test entry.", f"<COMMENTS1>{'c' * 5000}")
    path = tmp_path / "long.xml"
    path.write_text(text, encoding="utf-8")
    snap = lists.load(path)
    check_snapshot(snap)
    assert [x.id for x in snap.listings] == ["un-QDi.900", "un-TAi.900"]
    remarks = snap.listings[0].remarks
    assert remarks is not None and len(remarks) == 4096 and remarks.endswith("...")
    rows = [(p.record, p.field, p.reason[:20], p.fatal) for p in snap.problems]
    assert (1, "COMMENTS1", "text of 5019 charact", False) in rows
    assert (4, "FIRST_NAME", "name refused: is 500", False) in rows
    assert (4, "FIRST_NAME", "no name", True) in rows


def test_un_country_terminology_maps_to_iso(real: lists.ListSnapshot) -> None:
    """UN's "China, Hong Kong Special Administrative Region" is ISO's HK (KPe.017)."""
    found = [x for x in real.listings if x.id.endswith("KPe.017")]
    assert len(found) == 1
    assert "HK" in {a.country.code for a in found[0].entity.addresses if a.country is not None}


def test_mixed_content_keeps_all_its_text(tmp_path: Path) -> None:
    """``<FIRST_NAME>BOB<b/>SMITH</FIRST_NAME>`` keeps SMITH (the text after the child)."""
    text = FIXTURE.read_text(encoding="utf-8").replace(
        "<FIRST_NAME>ALPHA</FIRST_NAME>", "<FIRST_NAME>ALPHA<b/>OMEGA</FIRST_NAME>", 1
    )
    path = tmp_path / "un.xml"
    path.write_text(text, encoding="utf-8")
    first = lists.load(path).listings[0]
    assert first.entity.name.startswith("ALPHA OMEGA BETA")
