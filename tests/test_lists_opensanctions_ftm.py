"""OpenSanctions FtM loader: yente's fixtures (real), a crafted fixture, fuzzing."""

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
from tradecontrol.lists import opensanctions_ftm

DATA = SHARED / "data"
OS = DATA / "opensanctions"
ZALA = OS / "yente-zala" / "entities.ftm.json"
T1 = OS / "yente-t1" / "entities.ftm.json"
FIXTURE = ROOT / "tests" / "fixtures" / "lists" / "opensanctions_ftm" / "sample.ftm.json"

if os.environ.get("CI") == "true" and not DATA.is_dir():
    raise RuntimeError(f"CI=true but the shared reference data is missing at {SHARED}")

needs_shared = pytest.mark.skipif(
    not DATA.is_dir(), reason="../shared (reference data) is not beside the repo"
)

NO_DATE = "listing date not stated in the source"
NOT_TARGET = "Company is not a sanctions target (target: false); context only"


def nonblank_lines(path: Path) -> int:
    return sum(1 for line in path.read_bytes().splitlines() if line.strip())


def by_id(snapshot: lists.ListSnapshot) -> dict[str, Listing]:
    return {x.id: x for x in snapshot.listings}


def accounted(snap: lists.ListSnapshot, path: Path, merged: int) -> None:
    """Every line is a listing, a fatal problem, an unmerged or a merged auxiliary entity."""
    aux_problems = {p.record for p in snap.problems if not p.fatal and p.field == ""}
    assert nonblank_lines(path) == snap.records + len(aux_problems) + merged


@needs_shared
def test_zala_counts_and_problems() -> None:
    snap = lists.load(ZALA)
    assert snap.format == "opensanctions-ftm"
    assert snap.published is None
    # 17 parties (Person 6, Company 11): 14 targets, 3 registry companies that are not.
    assert len(snap.listings) == 14
    assert snap.records == 17
    # the three context companies are skipped (not listings by design), not refused
    assert [p.record for p in snap.problems if p.skipped] == [3, 4, 80]
    assert [(p.record, p.record_id, p.field, p.reason, p.fatal) for p in snap.problems] == [
        (3, "NK-56Edov9bas9puzaChH5pBy", "", NOT_TARGET, True),
        (4, "NK-9Xa4Kg7Y7nfccE7VcZt6Q6", "", NOT_TARGET, True),
        (
            11,
            "NK-aU5ybkbRFJucf8YMwsJvDw",
            "remarks",
            "remarks of 5839 characters cut to 4096",
            False,
        ),
        (
            12,
            "NK-abdzbEBkqyT29GyREbiURZ",
            "remarks",
            "remarks of 5869 characters cut to 4096",
            False,
        ),
        (80, "ru-inn-5920040846", "", NOT_TARGET, True),
    ]
    # The 74 auxiliary lines (Address 11, Sanction 41, Ownership 14, Directorship 3,
    # Family 4, Passport 1) all reference a listing: merged, none left over.
    accounted(snap, ZALA, merged=74)
    assert snap.count_by_list() == {"SDN": 9, "OS:ua_nsdc_sanctions": 4, "OS:ann_graph_topics": 1}


@needs_shared
def test_zala_llc_cst() -> None:
    cst = by_id(lists.load(ZALA))["os-NK-abdzbEBkqyT29GyREbiURZ"]
    assert cst.list_code == "SDN" and cst.authority == "US-OFAC"
    entity = cst.entity
    assert entity.name == "LLC CST"
    assert entity.kind is EntityKind.ORGANIZATION
    assert entity.country is not None and entity.country.code == "RU"
    assert "Zala Aero Group" in entity.aliases
    assert entity.weak_aliases == (
        "TsST LLC",
        "CST, OOO",
        "OOO TSST",
        "CST LLC",
        "CST",
        "TsST, OOO",
        "ZALA",
    )
    # Current ownership (no endDate): Kalashnikov 49 % (two sources, one without a share)
    # and Zakharov 51 %; the ended 50 %, 48 %, 2 % and 1 % edges are remarks.
    assert [(o.owner.name, o.share_percent) for o in entity.owners] == [
        ("JSC Kalashnikov Concern", Decimal(49)),
        ("Alexander Vyacheslavovich ZAKHAROV", Decimal(51)),
    ]
    remarks = cst.remarks or ""
    assert (
        "Owner: Alexander Vyacheslavovich ZAKHAROV [NK-aU5ybkbRFJucf8YMwsJvDw] "
        "(50%, from 2015-11-25, until 2023-03-02)"
    ) in remarks
    assert "Directorship: director Абашкін Костянтин Ігорьович" in remarks
    assert "Sanction (eu_fsf): EU-UKR from 2023-12-18" in remarks
    assert "Sanction (ua_nsdc_sanctions): UA-SA1644 from 2021-10-30 until 2024-10-30" in remarks
    assert len(remarks) == 4096 and remarks.endswith("…")
    ids = [(i.scheme, i.value, i.country and i.country.code) for i in entity.identifiers]
    assert ids == [
        ("registration_number", "1101841007938", "RU"),
        ("tax_id", "1841015504", "RU"),
        ("registration_number", "1091841000624", None),
        ("registration_number", "1841015504", None),
        ("tax_id", "1841001815", None),
    ]
    street = [a for a in entity.addresses if a.street == "9 Salyama Adilya St., Office 3"]
    assert len(street) == 1 and street[0].city == "Moscow" and street[0].postal_code == "123154"
    # The OFAC Sanction entities state no dates: the SDN window is open.
    version = cst.versions[0]
    assert version.window.start is None and version.note == NO_DATE
    assert version.window.zone == "America/New_York"
    assert "RUSSIA-EO14024" in cst.programs and "US-BIS-EL" in cst.programs
    assert cst.source_url == "https://www.treasury.gov/resource-center/sanctions/Pages/default.aspx"


@needs_shared
def test_zala_people() -> None:
    got = by_id(lists.load(ZALA))
    osetrova = got["os-NK-2Tbri3s6GgNtAwsSXh4qpL"]
    entity = osetrova.entity
    assert entity.name == "Maria Aleksandrovna Osetrova"
    assert entity.kind is EntityKind.PERSON
    assert entity.birth_date == "1988-01-07"
    assert [n.code for n in entity.nationalities] == ["RU"]
    assert "Mariya ZAKHAROVA" in entity.aliases  # name
    assert "Zakharova Mariia Oleksandrivna" in entity.aliases  # alias
    assert [(i.scheme, i.value) for i in entity.identifiers] == [("tax_id", "183116181362")]
    assert [a.street for a in entity.addresses] == [
        "IZHEVSK, 426008",
        "272 Pushkinskaya St., Apt. 41, Izhevsk, 426008",
    ]
    assert osetrova.programs == ("UA-SA1644", "US-RUSHAR", "GB-RUS")
    assert "Family: relative Alexander Vyacheslavovich ZAKHAROV" in (osetrova.remarks or "")

    svetlana = got["os-NK-DQ98GPMgdVH8DSZd8g9Xtc"]
    assert svetlana.entity.country is not None and svetlana.entity.country.code == "GB"
    assert "Other countries: RU" in (svetlana.remarks or "")

    lavrentiy = got["os-NK-hUAjuiA3vTKXF6v2X6MYnS"].entity
    assert [(i.scheme, i.value) for i in lavrentiy.identifiers] == [("passport", "089132114")]

    zakharov = got["os-NK-aU5ybkbRFJucf8YMwsJvDw"]
    assert zakharov.entity.birth_date == "1965-09-21"
    assert zakharov.entity.addresses[0].city == "Izhevsk"  # linked Address entity
    assert "Owns: LLC CST [NK-abdzbEBkqyT29GyREbiURZ] (51%, from 2015-11-25)" in (
        zakharov.remarks or ""
    )

    ua = got["os-NK-mCEmxFfuhfdjpC8gsxH74o"]
    assert ua.list_code == ua.authority == "OS:ua_nsdc_sanctions"
    assert ua.versions[0].window.zone == "UTC" and ua.versions[0].note == NO_DATE
    assert ua.source_url == "https://www.opensanctions.org/entities/NK-mCEmxFfuhfdjpC8gsxH74o/"


@needs_shared
def test_t1() -> None:
    snap = lists.load(T1)
    assert snap.format == "opensanctions-ftm"
    assert len(snap.listings) == 6 and snap.records == 6
    assert [(p.record, p.record_id, p.reason, p.fatal) for p in snap.problems] == [
        (
            4,
            "NK-2MQE6AmhAk4tqhENJAMUG9",
            "Address referenced by no party (addressEntity) in the file",
            False,
        )
    ]
    accounted(snap, T1, merged=0)
    assert snap.count_by_list() == {"EU": 6}
    got = by_id(snap)
    irgc = got["os-NK-2PacmNpiLUmoz4XD2mSt7A"]
    assert irgc.authority == "EU"
    assert irgc.entity.aliases == ("Iranian Revolutionary Guard Corps",)
    assert irgc.entity.country is not None and irgc.entity.country.code == "IR"
    assert irgc.versions[0].window.zone == "Europe/Brussels"
    assert irgc.versions[0].note == NO_DATE
    sojko = got["os-NK-2Myxbs6wX9xFKGoQn3sLaY"].entity
    assert sojko.birth_date == "1971-07-03" and [n.code for n in sojko.nationalities] == ["BY"]
    tobacco = got["os-NK-2GdmHtZTeNXjNVrBGEXZNj"].entity
    assert tobacco.identifiers[0].scheme == "registration_number"
    assert tobacco.identifiers[0].value == "808000714"


def test_crafted_fixture() -> None:
    snap = lists.load(FIXTURE)
    assert snap.format == "opensanctions-ftm"
    assert len(snap.listings) == 5
    assert snap.records == 9
    assert [(p.record, p.record_id, p.field, p.fatal) for p in snap.problems] == [
        (7, "person-1", "properties.nationality", False),
        (9, "s-eu-2", "properties.listingDate", False),
        (12, "co-2", "", True),
        (14, "s-orphan", "", False),
        (15, "dir-1", "", False),
        (16, None, "", True),
        (17, "co-1", "", True),
        (18, None, "", True),
        (21, "own-4", "percentage", False),
        (23, "co-4", "properties.country", False),
        (20, "own-3", "owner", False),
        (24, "cw-1", "", False),
    ]
    reasons = {p.record: p.reason for p in snap.problems}
    assert reasons[14] == "Sanction references no party in the file (entity nobody)"
    assert reasons[15].startswith("Directorship links only parties that are not targets")
    assert reasons[16].startswith("not valid JSON")
    assert reasons[17] == "id already used on line 4"
    assert reasons[18] == "no 'id' (a non-empty string)"
    assert reasons[20] == "owner co-3 left out (ownership cycle); kept in remarks"
    assert reasons[24] == "schema 'CryptoWallet' is not read by this loader"
    # 14 auxiliary lines: 11 merged, 3 left over.
    accounted(snap, FIXTURE, merged=11)

    got = by_id(snap)
    company = got["os-co-1"]
    assert (company.list_code, company.authority) == ("EL", "US-BIS")
    version = company.versions[0]
    assert version.window.start == datetime.date(2023, 11, 2)
    assert version.citations == ("88 FR 76128",)
    assert version.license_requirement is not None
    assert version.license_requirement.scope is RequirementScope.ALL_ITEMS_SUBJECT_TO_EAR
    assert version.review_policy is ReviewPolicy.POLICY_OF_DENIAL
    assert company.programs == ("US-BIS-EL",)
    assert company.entity.weak_aliases == ("EXAV",)
    assert [(a.street, a.city) for a in company.entity.addresses] == [
        ("Ulitsa Testovaya 2", "Izhevsk"),
        ("Ulitsa Primernaya 1, Moscow, 101000", None),
    ]
    # The owner's line comes after the asset's: read ahead, with its own identifiers.
    (owner,) = company.entity.owners
    assert owner.owner.name == "Ivan Ivanovich PRIMEROV" and owner.share_percent == Decimal(60)
    assert company.remarks is not None
    assert company.remarks.startswith("Owner: Example Holding JSC [co-2] (40%")
    assert company.remarks.endswith("Fictitious company for tests. Second line.")

    person = got["os-person-1"]
    assert (person.list_code, person.authority) == ("EU", "EU")
    assert person.versions[0].window.start == datetime.date(2022, 2, 28)
    assert person.versions[0].window.zone == "Europe/Brussels"
    assert person.entity.birth_date == "1962" and person.entity.birth_dates == ("1962-05",)
    assert [n.code for n in person.entity.nationalities] == ["RU"]
    assert [(i.scheme, i.value) for i in person.entity.identifiers] == [
        ("passport", "710000001"),
        ("passport", "AB1234567"),
    ]
    assert person.programs == ("UKR", "EU-UKR", "GB-RUS")
    assert person.remarks is not None
    assert "Unrecognised country code (nationality): suhh" in person.remarks
    assert "Sanction (gb_fcdo_sanctions): GB-RUS from 2022-03-15" in person.remarks
    assert "Family: relative person-absent [person-absent] (Spouse)" in person.remarks

    vessel = got["os-v-1"].entity
    assert vessel.kind is EntityKind.VESSEL
    assert vessel.country is not None and vessel.country.code == "IR"  # flag
    assert [(i.scheme, i.value) for i in vessel.identifiers] == [
        ("imo", "9000001"),
        ("call_sign", "EXST1"),
    ]
    # A cycle of ownership is cut once; the edge stays in the remarks.
    assert [o.owner.name for o in got["os-co-3"].entity.owners] == ["Circle Two LLC"]
    assert got["os-co-4"].entity.owners == ()
    assert "Owner: Circle One LLC [co-3] (100%)" in (got["os-co-4"].remarks or "")


def test_unreadable(tmp_path: Path) -> None:
    with pytest.raises(DataError):
        lists.load(tmp_path / "missing.ftm.json", format="opensanctions-ftm")


def test_sniff() -> None:
    head = FIXTURE.read_bytes()
    assert opensanctions_ftm.sniff(head, Path("x"))
    assert opensanctions_ftm.sniff(b"\n\n", Path("entities.ftm.json"))
    assert not opensanctions_ftm.sniff(b'[{"id": "a", "schema": "Person"}]', Path("x.json"))
    assert not opensanctions_ftm.sniff(b'{"id": "a", "list_code": "X", "versions": []}', Path("x"))


@needs_shared
def test_sniff_claims_no_other_shared_file() -> None:
    for path in sorted(p for p in DATA.rglob("*") if p.is_file()):
        with path.open("rb") as fh:
            head = fh.read(1 << 16)
        assert opensanctions_ftm.sniff(head, path) is (path in (ZALA, T1)), path


# -- fuzzing -------------------------------------------------------------------------

SEED = FIXTURE.read_bytes()
SEED_LINES = SEED.splitlines(keepends=True)
VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.text(max_size=8),
    st.lists(st.one_of(st.integers(), st.text(max_size=5)), max_size=3),
    st.dictionaries(st.text(max_size=4), st.lists(st.text(max_size=4), max_size=2), max_size=2),
)


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    kind = draw(st.sampled_from(["truncate", "flip", "encode", "drop", "retype", "shuffle"]))
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
    lines = list(SEED_LINES)
    if kind == "shuffle":
        return b"".join(draw(st.permutations(lines)))
    index = draw(st.sampled_from([i for i, line in enumerate(lines) if line.strip()]))
    try:
        entity: Any = json.loads(lines[index])
    except ValueError:
        return SEED
    target = entity
    if draw(st.booleans()) and isinstance(entity.get("properties"), dict) and entity["properties"]:
        target = entity["properties"]
    key = draw(st.sampled_from(sorted(target)))
    if kind == "drop":
        del target[key]
    else:
        target[key] = draw(VALUES)
    lines[index] = json.dumps(entity, ensure_ascii=draw(st.booleans())).encode("utf-8") + b"\n"
    return b"".join(lines)


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_fuzz_only_tradecontrol_errors_escape(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "entities.ftm.json"
        path.write_bytes(data)
        try:
            snap = lists.load(path, format="opensanctions-ftm")
        except TradeControlError:
            return
    fatal = sum(p.fatal for p in snap.problems)
    assert snap.records == len(snap.listings) + fatal
    lines = [line for line in data.split(b"\n") if line.strip()]
    assert snap.records <= len(lines)
    assert len({x.id for x in snap.listings}) == len(snap.listings)
    for listing in snap.listings:
        assert listing.id.startswith("os-") and len(listing.versions) == 1
