"""OFAC SDN Advanced XML loader: the 4-party sample, reference resolution, fuzz."""

from __future__ import annotations

import datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.ofac_support import DATA, check_invariants, load_bytes, needs_data
from tradecontrol import lists

SAMPLE = DATA / "gsmiguel-advanced-sample" / "sample_sdn_advanced.xml"


@needs_data
def test_sample_four_parties() -> None:
    snap = lists.load(SAMPLE)
    check_invariants(snap)
    assert snap.format == "ofac-advanced-xml" and snap.published == datetime.date(2026, 9, 9)
    assert [x.id for x in snap.listings] == [
        "us-sdn-36",
        "us-sdn-2677",
        "us-sdn-4238",
        "us-sdn-15432",
    ]
    assert snap.problems == () and snap.count_by_list() == {"SDN": 4}
    airline, zomor, vessel, aircraft = snap.listings
    assert (
        airline.entity.name == "AEROCARIBBEAN AIRLINES"
        and airline.entity.kind.value == "organization"
    )
    assert airline.entity.aliases == ("AERO-CARIBBEAN",) and airline.programs == ("CUBA",)
    assert airline.entity.addresses[0].city == "Havana"
    assert airline.versions[0].window.start == datetime.date(1986, 12, 10)
    assert zomor.entity.kind.value == "person"
    assert zomor.entity.name == "Al-Zomor, Abboud Abdul Latif Hassan"
    assert "الزمر, عبود عبداللطيف حسن" in zomor.entity.aliases
    assert zomor.entity.birth_date == "1947-04-19"
    assert [n.code for n in zomor.entity.nationalities] == ["EG"]
    assert zomor.programs == ("SDGT",) and "POB Nahia, Giza, Egypt" in (zomor.remarks or "")
    assert vessel.entity.kind.value == "vessel" and vessel.entity.name == "MAR AZUL"
    assert ("call_sign", "CL2192") in {(i.scheme, i.value) for i in vessel.entity.identifiers}
    assert vessel.entity.country is not None and vessel.entity.country.code == "CU"
    assert "VESSEL TYPE Tug" in (vessel.remarks or "")
    assert aircraft.entity.kind.value == "aircraft" and aircraft.entity.name == "EP-GOL"
    assert ("aircraft_msn", "1013409297") in {
        (i.scheme, i.value) for i in aircraft.entity.identifiers
    }
    assert "Aircraft Operator YAS AIR" in (aircraft.remarks or "")


@needs_data
def test_same_ids_as_the_csv() -> None:
    advanced = {x.id for x in lists.load(SAMPLE).listings}
    csv_ids = {x.id for x in lists.load(DATA / "watchman-bench-2021" / "sdn.csv").listings}
    assert advanced <= csv_ids


@needs_data
def test_undefined_references_are_problems() -> None:
    text = SAMPLE.read_bytes()
    text = text.replace(b'<FeatureType ID="8" FeatureTypeGroupID="1">Birthdate</FeatureType>', b"")
    text = text.replace(b'<List ID="1550">SDN List</List>', b"")
    snap = load_bytes(text, "sdn_advanced.xml")
    assert snap is not None and len(snap.listings) == 4
    reasons = [p.reason for p in snap.problems]
    assert any("feature type '8' is not defined" in r for r in reasons)
    assert sum("is not a list this loader knows" in r for r in reasons) == 4
    assert all(not p.fatal for p in snap.problems)
    zomor = snap.listings[1]
    assert zomor.list_code == "NON-SDN" and zomor.entity.birth_date is None
    assert "Feature 8 1947-04-19" in (zomor.remarks or "")


@needs_data
@settings(max_examples=60, deadline=None)
@given(st.data())
def test_fuzz_only_library_errors(data: st.DataObject) -> None:
    raw = bytearray(SAMPLE.read_bytes())
    for _ in range(data.draw(st.integers(0, 8))):
        raw[data.draw(st.integers(0, len(raw) - 1))] = data.draw(st.integers(0, 255))
    if data.draw(st.booleans()):
        raw = raw[: data.draw(st.integers(0, len(raw)))]
    load_bytes(bytes(raw), "adv.xml", format="ofac-advanced-xml")
    load_bytes(bytes(raw), "adv.xml")
