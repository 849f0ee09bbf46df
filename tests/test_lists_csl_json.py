"""trade.gov CSL JSON loader: ITA's expected results (real), a search response, fuzzing."""

from __future__ import annotations

import datetime
import json
import os
import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import ROOT, SHARED
from tradecontrol import lists
from tradecontrol.decision import ReviewPolicy
from tradecontrol.entities import EntityKind
from tradecontrol.errors import DataError, TradeControlError
from tradecontrol.listings import Listing, RequirementScope
from tradecontrol.lists import csl_json

DATA = SHARED / "data"
CSL = DATA / "csl" / "ita-webservices-json"
FIXTURES = ROOT / "tests" / "fixtures" / "lists" / "csl_json"

if os.environ.get("CI") == "true" and not DATA.is_dir():
    raise RuntimeError(f"CI=true but the shared reference data is missing at {SHARED}")

needs_shared = pytest.mark.skipif(
    not DATA.is_dir(), reason="../shared (reference data) is not beside the repo"
)

NO_DATE = "listing date not stated in the source"

# list folder: (listings, list code, authority); no file has problems or a publication date.
REAL = {
    "dpl": (9, "DPL", "US-BIS"),
    "dtc": (4, "DTC", "US-STATE"),
    "el": (7, "EL", "US-BIS"),
    "eo13599": (2, "EO13599", "US-OFAC"),
    "fse": (3, "FSE", "US-OFAC"),
    "isn": (3, "ISN", "US-STATE"),
    "part561": (1, "PART561", "US-OFAC"),
    "plc": (6, "PLC", "US-OFAC"),
    "sdn": (4, "SDN", "US-OFAC"),
    "ssi": (4, "SSI", "US-OFAC"),
    "uvl": (13, "UVL", "US-BIS"),
}


def by_id(snapshot: lists.ListSnapshot) -> dict[str, Listing]:
    return {x.id: x for x in snapshot.listings}


@needs_shared
@pytest.mark.parametrize(("folder", "expected"), sorted(REAL.items()))
def test_real_file_counts(folder: str, expected: tuple[int, str, str]) -> None:
    count, code, authority = expected
    path = CSL / folder / "expected_results.json"
    snap = lists.load(path)
    raw = json.loads(path.read_text(encoding="utf-8"))
    assert snap.format == "csl-json"
    assert len(raw) == count
    assert len(snap.listings) == count
    assert snap.records == count
    assert snap.problems == ()
    assert snap.published is None
    assert {x.list_code for x in snap.listings} == {code}
    assert {x.authority for x in snap.listings} == {authority}
    assert len({x.id for x in snap.listings}) == count
    assert all(x.id.startswith(f"csl-{code.lower()}-") for x in snap.listings)
    assert [x.entity.name for x in snap.listings] == [r["name"] for r in raw]


@needs_shared
def test_real_sdn_entries() -> None:
    got = by_id(lists.load(CSL / "sdn" / "expected_results.json"))
    assert list(got) == ["csl-sdn-306", "csl-sdn-521", "csl-sdn-6982", "csl-sdn-11043"]

    bank = got["csl-sdn-306"]
    assert bank.entity.kind is EntityKind.ORGANIZATION
    assert bank.entity.aliases == ("BNC", "NATIONAL BANK OF CUBA")
    assert [
        (a.city, a.postal_code, a.country and a.country.code) for a in bank.entity.addresses
    ] == [
        ("Zurich", "CH-8022", "CH"),
        ("Madrid", "E-28036", "ES"),
        ("Tokyo", "103", "JP"),
        ("Panama City", None, "PA"),
    ]
    assert bank.programs == ("CUBA",)
    assert bank.source_url == "http://1.usa.gov/1Qi4rhP"
    version = bank.versions[0]
    assert version.window.start is None and version.window.end is None
    assert version.note == NO_DATE
    assert version.license_requirement is None and version.review_policy is None

    person = got["csl-sdn-6982"].entity
    assert person.name == "JIM'ALE, Ahmed Nur Ali"
    assert person.kind is EntityKind.PERSON
    assert len(person.aliases) == 8 and person.aliases[0] == "JUMALI, Ahmed Ali"
    assert person.birth_date == "1954-05-20"
    assert person.birth_dates == ("circa 1954",)
    assert [n.code for n in person.nationalities] == ["SO", "DJ"]
    assert [(i.scheme, i.value, i.country and i.country.code) for i in person.identifiers] == [
        ("passport", "A0181988", "SO")
    ]
    assert person.addresses[0].street == "P.O. Box 3312"
    assert person.addresses[1].street is None and person.addresses[1].city == "Mogadishu"
    remarks = got["csl-sdn-6982"].remarks or ""
    assert remarks.startswith("Additional Djiboutian passport issued in 2010.")
    assert "Passport A0181988: issued 2001-10-01, expires 2011-01-23" in remarks
    assert "Place of birth: Eilbur, Somalia" in remarks

    chao = got["csl-sdn-521"]
    assert [n.code for n in chao.entity.nationalities] == ["DE", "FR"]
    assert "Title: Executive Director, Havana International Bank" in (chao.remarks or "")

    vessel = got["csl-sdn-11043"].entity
    assert vessel.kind is EntityKind.VESSEL
    assert vessel.country is not None and vessel.country.code == "IR"  # vessel_flag "Iran"
    assert [(i.scheme, i.value) for i in vessel.identifiers] == [("imo", "9051648")]
    assert "Vessel owner: IRISL" in (got["csl-sdn-11043"].remarks or "")


@needs_shared
def test_real_entity_list_entries() -> None:
    snap = lists.load(CSL / "el" / "expected_results.json")
    first = snap.listings[0]
    assert first.id == "csl-el-eca422c8ab7cdfff"
    assert first.entity.name == "Fazal Rahim Farid"
    assert first.entity.kind is EntityKind.UNKNOWN
    assert first.entity.aliases == ("Fazel Rahim Farid", "Farid", "Engineer Idris")
    assert [a.street for a in first.entity.addresses] == [
        "Microrayan 3rd Apt. 45, block #21",
        "A2 Ground Floor, City Computer Plaza, Shar-e-Naw",
    ]
    version = first.versions[0]
    assert version.window.start == datetime.date(2011, 11, 21)
    assert version.window.zone == "America/New_York"
    assert version.window.end is None
    assert version.citations == ("76 FR 71867",)
    assert version.license_requirement is not None
    assert version.license_requirement.scope is RequirementScope.ALL_ITEMS_SUBJECT_TO_EAR
    assert version.license_requirement.text == (
        "For all items subject to the EAR. (See §744.11 of the EAR)."
    )
    assert version.review_policy is ReviewPolicy.PRESUMPTION_OF_DENIAL
    assert version.review_policy_text == "Presumption of denial."
    assert version.note == csl_json.START_NOTE
    assert first.source_url == "http://1.usa.gov/1L47xrV"

    peker = snap.listings[2]
    assert peker.entity.name == "Murat Peker"
    assert peker.versions[0].citations == ("78 FR 75485",)  # trailing space in the file
    # The fixture lists one person three times with the same address: distinct ids.
    qazi = [x for x in snap.listings if x.entity.name == "Qazi Abdallah"]
    assert len(qazi) == 3 and len({x.id for x in qazi}) == 3
    assert [x.versions[0].window.start for x in qazi] == [
        datetime.date(2011, 11, 21),
        datetime.date(2011, 11, 21),
        datetime.date(2011, 11, 22),
    ]
    assert "Title: Title 2" in (qazi[2].remarks or "")


@needs_shared
def test_real_other_lists() -> None:
    dpl = lists.load(CSL / "dpl" / "expected_results.json").listings
    assert dpl[0].entity.name == "ABELAIRAS, AMANCIO J."
    assert dpl[0].entity.addresses[0].region == "FL"
    assert dpl[0].versions[0].window.start == datetime.date(1995, 6, 5)
    assert dpl[0].versions[0].window.end == datetime.date(2005, 6, 5)
    assert dpl[0].versions[0].citations == ("60 FR 31140",)
    assert dpl[0].versions[0].note is None  # the order's date, not a publication date
    assert dpl[0].remarks == "Standard order: Y"
    two = [x for x in dpl if len(x.versions[0].citations) == 2]
    assert [x.versions[0].citations for x in two] == [
        ("46 FR 46154 9/17/81", "46 FR 19290 3/30/81")
    ]

    isn = lists.load(CSL / "isn" / "expected_results.json").listings
    assert isn[0].entity.country is not None and isn[0].entity.country.code == "RU"
    assert isn[0].programs == ("INKSNA",)
    assert isn[0].versions[0].citations == ("Vol. 81, No. 128, 07/05/16",)
    assert isn[0].versions[0].window.start == datetime.date(2016, 6, 28)
    assert isn[2].programs == (
        "E.O. 13382",
        "Export-Import Bank Act",
        "Nuclear Proliferation Prevention Act",
    )

    ssi = by_id(lists.load(CSL / "ssi" / "expected_results.json"))["csl-ssi-17013"]
    assert ssi.entity.name == "VTB BANK OAO"
    schemes = {(i.scheme, i.value) for i in ssi.entity.identifiers}
    assert {
        ("registration_number", "1027739609391"),
        ("tax_id", "7702070139"),
        ("swift_bic", "VTBRRUMM"),
        ("government_gazette_number", "00032520"),
    } <= schemes
    assert "Website www.vtb.com" in (ssi.remarks or "")
    assert "Executive Order 13662 Directive Determination - Subject to Directive 1" in (
        ssi.remarks or ""
    )

    fse = by_id(lists.load(CSL / "fse" / "expected_results.json"))["csl-fse-16531"]
    assert [n.code for n in fse.entity.nationalities] == ["SO", "DJ"]
    assert fse.entity.birth_date == "1967-03-21"
    assert "Passport R17550559: expires 2015-07-11" in (fse.remarks or "")

    plc = lists.load(CSL / "plc" / "expected_results.json").listings
    assert plc[0].entity.birth_date == "1962" and plc[0].programs == ("NS-PLC",)
    bank = lists.load(CSL / "part561" / "expected_results.json").listings[0]
    assert bank.id == "csl-part561-15268"
    assert [(i.scheme, i.value) for i in bank.entity.identifiers] == [("swift_bic", "CKLB CN BJ")]
    dtc = lists.load(CSL / "dtc" / "expected_results.json").listings[0]
    assert dtc.entity.aliases == ("Bob Hukic", "Bab Hucici")
    assert dtc.versions[0].citations == ("59 FR 44451",)
    assert dtc.versions[0].note == NO_DATE


def test_search_response_fixture() -> None:
    snap = lists.load(FIXTURES / "search_response.json")
    assert snap.format == "csl-json"
    assert snap.published == datetime.date(2019, 8, 21)  # the latest source_last_updated
    assert len(snap.listings) == 3
    assert snap.records == 6
    assert [(p.record, p.field, p.fatal) for p in snap.problems] == [
        (1, "results[0].license_requirement", False),
        (2, "results[1].dates_of_birth[1]", False),
        (2, "results[1].nationalities[1]", False),
        (3, "results[2].end_date", False),
        (3, "results[2].license_requirement", False),
        (4, "results[3].source", True),
        (5, "results[4]", True),
        (6, "results[5].name", True),
    ]
    reasons = [p.reason for p in snap.problems]
    assert "narrows 'all items subject to the EAR'" in reasons[0]
    assert reasons[1] == "'12 Jan 1962' is not a partial date; kept in remarks"
    assert reasons[2] == "unknown country 'Atlantis'; kept in remarks"
    assert reasons[3].startswith("window ends (2019-01-01) before it starts (2020-12-23)")
    assert reasons[5] == "unknown CSL source 'Register of Wizards (ROW) - Ministry of Magic'"
    assert reasons[6] == "expected a JSON object, got int"
    assert reasons[7] == "no name"

    el, sdn, meu = snap.listings
    assert el.id.startswith("csl-el-") and len(el.id) == len("csl-el-") + 16
    version = el.versions[0]
    assert version.citations == ("84 FR 22961", "84 FR 43495")  # NBSP and spaces cleaned
    assert version.license_requirement is not None
    assert version.license_requirement.scope is RequirementScope.ALL_ITEMS_SUBJECT_TO_EAR
    assert "EXCEPT for technology" in version.license_requirement.text
    # Names case-by-case and presumption of denial: the most restrictive wins.
    assert version.review_policy is ReviewPolicy.PRESUMPTION_OF_DENIAL
    assert version.review_policy_text is not None
    assert version.review_policy_text.startswith("Case-by-case review")

    assert sdn.id == "csl-sdn-99901"
    assert sdn.entity.birth_date == "circa 1962" and sdn.entity.birth_dates == ()
    assert [n.code for n in sdn.entity.nationalities] == ["IR"]
    assert sdn.entity.addresses[0].country is not None
    assert sdn.entity.addresses[0].country.code == "IR"  # "Iran" as a name
    assert sdn.remarks is not None
    assert "Date of birth: 12 Jan 1962" in sdn.remarks
    assert "Unrecognised country (nationalities[1]): Atlantis" in sdn.remarks
    assert "Website www.example.ir" in sdn.remarks
    assert sdn.programs == ("SDGT", "IRGC")

    assert meu.list_code == "MEU" and meu.authority == "US-BIS"
    assert meu.versions[0].window.end is None
    assert meu.remarks == "end_date: 2019-01-01"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Entity List (EL) - Bureau of Industry and Security", ("EL", "US-BIS")),
        ("Military End User (MEU) List - Bureau of Industry and Security", ("MEU", "US-BIS")),
        ("Capta List (CAP) - Treasury Department", ("CAP", "US-OFAC")),
        (
            "Non-SDN Menu-Based Sanctions List (NS-MBS List) - Treasury Department",
            ("NS-MBS", "US-OFAC"),
        ),
        (
            "Non-SDN Chinese Military-Industrial Complex Companies List (CMIC) - "
            "Treasury Department",
            ("CMIC", "US-OFAC"),
        ),
        ("ITAR Debarred (DTC) - State Department", ("DTC", "US-STATE")),
        ("Nonproliferation Sanctions (ISN) - State Department", ("ISN", "US-STATE")),
        ("Part 561 List (561) - Treasury Department", ("PART561", "US-OFAC")),
        ("Entity List - Bureau of Industry and Security", None),
        ("Something (X) - Ministry of Magic", None),
    ],
)
def test_csl_source(text: str, expected: tuple[str, str] | None) -> None:
    assert csl_json.csl_source(text) == expected


@pytest.mark.parametrize(
    ("text", "policy"),
    [
        ("Presumption of denial.", ReviewPolicy.PRESUMPTION_OF_DENIAL),
        ("Policy of denial.", ReviewPolicy.POLICY_OF_DENIAL),
        ("Case-by-case review.", ReviewPolicy.CASE_BY_CASE),
        ("Presumption of approval.", ReviewPolicy.APPROVAL),
        (
            "Case-by-case review for X; policy of denial for all other items",
            ReviewPolicy.POLICY_OF_DENIAL,
        ),
        ("See § 744.2(d) of the EAR", None),
    ],
)
def test_review_policy(text: str, policy: ReviewPolicy | None) -> None:
    assert csl_json.review_policy(text)[0] is policy


@pytest.mark.parametrize(
    ("text", "scope", "exact"),
    [
        ("For all items subject to the EAR. (See §744.11 of the EAR).", True, True),
        ("For all items subject to the EAR", True, True),
        ("For all items subject to the EAR, see §§ 736.2(b)(3)(vi) and 744.11", True, True),
        ("For all items subject to the EAR, except EAR99 food", True, False),
        ("For all items subject to the EAR having a classification other than EAR99", True, False),
        ("For items on the CCL", False, False),
    ],
)
def test_license_requirement(text: str, scope: bool, exact: bool) -> None:
    requirement, reason = csl_json.license_requirement(text)
    assert (requirement is not None) is scope
    assert (reason is None) is exact


def test_unreadable_and_unparseable(tmp_path: Path) -> None:
    with pytest.raises(DataError):
        lists.load(tmp_path / "missing.json", format="csl-json")
    broken = tmp_path / "broken.json"
    broken.write_text('[{"source": "x", "source_list_url": null, ', encoding="utf-8")
    snap = lists.load(broken)
    assert snap.format == "csl-json"
    assert snap.records == 1 and snap.listings == ()
    assert snap.problems[0].record == 0 and snap.problems[0].reason.startswith("not valid JSON")
    other = tmp_path / "other.json"
    other.write_text('{"source": "x", "entity_number": 1}', encoding="utf-8")
    snap = lists.load(other)
    assert snap.records == 1 and snap.problems[0].reason.startswith("expected a JSON array")


def test_sniff_own_fixture_only() -> None:
    head = (FIXTURES / "search_response.json").read_bytes()
    assert csl_json.sniff(head, Path("x.json"))
    assert not csl_json.sniff(b'{"id": "a", "schema": "Person", "properties": {}}\n', Path("x"))
    assert not csl_json.sniff(b'{"source": {"url": "https://www.ecfr.gov"}}', Path("x.json"))
    assert not csl_json.sniff(b"", Path("x.json"))


@needs_shared
def test_sniff_claims_no_other_shared_file() -> None:
    for path in sorted(p for p in DATA.rglob("*") if p.is_file()):
        with path.open("rb") as fh:
            head = fh.read(1 << 16)
        assert csl_json.sniff(head, path) is (CSL in path.parents), path


# -- fuzzing -------------------------------------------------------------------------

SEED = (FIXTURES / "search_response.json").read_bytes()
VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.text(max_size=8),
    st.lists(st.one_of(st.none(), st.integers(), st.text(max_size=5)), max_size=3),
    st.dictionaries(st.text(max_size=4), st.one_of(st.none(), st.text(max_size=4)), max_size=2),
)


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    kind = draw(st.sampled_from(["truncate", "flip", "encode", "drop", "retype"]))
    if kind == "truncate":
        return SEED[: draw(st.integers(0, len(SEED)))]
    if kind == "flip":
        data = bytearray(SEED)
        for _ in range(draw(st.integers(1, 8))):
            data[draw(st.integers(0, len(data) - 1))] = draw(st.integers(0, 255))
        return bytes(data)
    if kind == "encode":
        encoding = draw(st.sampled_from(["utf-16", "utf-32", "latin-1", "cp1252"]))
        return SEED.decode("utf-8").encode(encoding, errors="replace")
    doc: Any = json.loads(SEED)
    results = [r for r in doc["results"] if isinstance(r, dict)]
    record = draw(st.sampled_from(results))
    keys = sorted(record)
    key = draw(st.sampled_from(keys))
    if kind == "drop":
        del record[key]
    else:
        record[key] = draw(VALUES)
    if draw(st.booleans()):
        doc = doc["results"]  # the bare array form
    return json.dumps(doc, ensure_ascii=draw(st.booleans())).encode("utf-8")


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_fuzz_only_tradecontrol_errors_escape(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "csl.json"
        path.write_bytes(data)
        try:
            snap = lists.load(path, format="csl-json")
        except TradeControlError:
            return
    fatal = sum(p.fatal for p in snap.problems)
    assert snap.records == len(snap.listings) + fatal
    try:
        doc = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError):
        assert snap.listings == () and snap.records == 1
        return
    results = doc.get("results") if isinstance(doc, dict) else doc
    expected = len(results) if isinstance(results, list) else 1
    assert snap.records == expected
    for listing in snap.listings:
        assert listing.id.startswith("csl-")
        assert len(listing.versions) == 1
        for owner in listing.entity.owners:
            assert owner.share_percent is None or owner.share_percent <= Decimal(100)


def test_wrong_json_types_are_noted_not_silently_coerced(tmp_path: Path) -> None:
    """A number for a name, one string for a list, a null alias: read, and each noted."""
    record = {
        "source": "Entity List (EL) - Bureau of Industry and Security",
        "entity_number": 7,
        "name": 5,
        "alt_names": "Alpha; Beta",
    }
    nulls = {**record, "entity_number": 8, "name": "Gamma Co", "alt_names": ["Delta", None]}
    path = tmp_path / "records.json"
    path.write_text(json.dumps([record, nulls]), encoding="utf-8")
    snap = lists.load(path, format="csl-json")
    assert [x.entity.name for x in snap.listings] == ["5", "Gamma Co"]
    assert [(p.record, p.field, p.fatal, p.reason) for p in snap.problems] == [
        (1, "[0].name", False, "expected a string, got the number 5; read as text"),
        (1, "[0].alt_names", False, "expected a list, got a string; read as one value"),
        (2, "[1].alt_names[1]", False, "null; left out"),
    ]
