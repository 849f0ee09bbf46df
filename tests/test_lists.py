"""List loading: the load() API, the canonical JSON-lines and CSL CSV formats, diffs."""

from __future__ import annotations

import datetime
import gzip
import json
import os
import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import ROOT, SHARED, build, party, transaction
from tradecontrol import DataError, Outcome, Rulebook, TradeControlError, evaluate, lists
from tradecontrol.lists import ListProblemError, ListSnapshot

DATA = SHARED / "data"
FIXTURE = ROOT / "tests" / "fixtures" / "lists" / "csl" / "sample.csv"

if os.environ.get("CI") == "true" and not DATA.is_dir():
    raise RuntimeError(f"CI=true but the shared reference data is missing at {DATA}")
needs_shared = pytest.mark.skipif(not DATA.is_dir(), reason="../shared/data is not present")


def _accounted(snap: ListSnapshot) -> None:
    assert snap.records == len(snap.listings) + sum(p.fatal for p in snap.problems)


# --- CSL CSV on the fixture -----------------------------------------------------------------


def test_csl_fixture_maps_every_field() -> None:
    snap = lists.load(FIXTURE)
    _accounted(snap)
    assert snap.format == "csl-csv"
    assert len(snap.listings) == 3
    el, sdn, uvl = snap.listings
    assert el.id == "csl-el-a1b2c3d4e5f60718293a4b5c6d7e8f9012345678"
    assert (el.list_code, el.authority) == ("EL", "US-BIS")
    assert el.entity.aliases == ("Example Optics", "EXP Photonics")
    assert el.entity.country is not None and el.entity.country.code == "CN"
    assert [a.street for a in el.entity.addresses] == ["No. 1 Science Road, Wuhan", "Kowloon"]
    version = el.versions[0]
    assert version.citations == ("85 FR 12345", "85 FR 23456")
    assert version.window.start == datetime.date(2020, 5, 22)
    assert "publication date" in (version.note or "")
    assert version.license_requirement is not None
    assert version.license_requirement.scope.value == "all_items_subject_to_ear"
    assert version.review_policy is not None
    assert version.review_policy.value == "presumption_of_denial"
    assert el.source_url == "https://example.invalid/el"

    assert sdn.id == "csl-sdn-36" and sdn.entity.kind.value == "person"
    assert sdn.programs == ("SDGT", "IRGC")
    assert sdn.entity.birth_dates == ("1965-01-15", "circa 1962")
    assert [n.code for n in sdn.entity.nationalities] == ["IR", "XK"]
    assert {(i.scheme, i.value) for i in sdn.entity.identifiers} == {
        ("passport", "A1234567"),
        ("gender", "Male"),
        ("imo", "1234567"),
    }
    assert sdn.versions[0].window.start is None
    assert sdn.versions[0].note == "listing date not stated in the source"

    assert uvl.versions[0].license_requirement is not None
    assert uvl.versions[0].license_requirement.scope.value == "as_stated"
    assert uvl.versions[0].review_policy is not None
    assert uvl.versions[0].review_policy.value == "presumption_of_denial"  # most restrictive
    assert uvl.entity.addresses[0].country is None  # "Atlantis" kept as text


def test_csl_fixture_problems() -> None:
    snap = lists.load(FIXTURE)
    reasons = [(p.record, p.fatal, p.reason) for p in snap.problems]
    assert (5, True, "unknown CSL source 'Mystery List (ZZ) - Nobody'") in reasons
    assert (6, False, "repeated header line ignored") in reasons
    assert any(r == 7 and fatal and "row has 6 fields" in why for r, fatal, why in reasons)
    with pytest.raises(ExceptionGroup) as info:
        lists.load(FIXTURE, strict=True)
    assert all(isinstance(e, ListProblemError) for e in info.value.exceptions)
    assert len(info.value.exceptions) == len(snap.problems)


def test_gzip_is_detected(tmp_path: Path) -> None:
    path = tmp_path / "whatever.bin"
    path.write_bytes(gzip.compress(FIXTURE.read_bytes()))
    assert len(lists.load(path).listings) == 3


def test_unknown_format_and_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "x.txt"
    path.write_text("hello\n")
    with pytest.raises(DataError, match="not a list format"):
        lists.load(path)
    with pytest.raises(DataError, match="cannot read"):
        lists.load(tmp_path / "nope.csv")
    with pytest.raises(DataError, match="unknown list format"):
        lists.load(FIXTURE, format="nope")


# --- CSL CSV on the real files --------------------------------------------------------------

CSL_2022 = {
    "SDN": 10026,
    "EL": 2001,
    "DTC": 727,
    "DPL": 462,
    "SSI": 290,
    "UVL": 201,
    "ISN": 163,
    "PLC": 78,
    "MEU": 71,
    "CMIC": 68,
    "CAP": 53,
    "NS-MBS": 17,
    "FSE": 3,
}


@needs_shared
def test_full_csl_2022() -> None:
    snap = lists.load(DATA / "csl" / "watchman-2022" / "consolidated.csv.gz")
    _accounted(snap)
    assert (len(snap.listings), len(snap.problems)) == (14160, 0)
    assert snap.count_by_list() == CSL_2022
    # one CAP row appears twice in the file; the second keeps its own, suffixed id
    assert {"csl-cap-15268", "csl-cap-15268~2"} <= {x.id for x in snap.listings}
    huawei = [x for x in snap.listings if x.entity.name == "Huawei Technologies Co., Ltd. (Huawei)"]
    assert len(huawei) == 3
    assert huawei[0].versions[0].window.start == datetime.date(2019, 5, 21)
    assert huawei[0].versions[0].citations[0] == "84 FR 22963"
    xian = [x for x in snap.listings if x.entity.name.startswith("CAST Xi")]
    assert xian[0].entity.name == "CAST Xi’an Spaceflight Engine Factory"
    assert any("Co”peratief" in x.entity.name for x in snap.listings)  # mojibake kept


@needs_shared
def test_csl_2023_sample_quirks() -> None:
    snap = lists.load(DATA / "csl" / "watchman-2023-sample" / "csl.csv")
    _accounted(snap)
    assert len(snap.listings) == 4226
    assert [(p.record, p.fatal) for p in snap.problems] == [(2, False), (4233, True)]
    assert snap.problems[1].reason.startswith("row has 8 fields")


@needs_shared
def test_csl_2019_old_layout_without_id() -> None:
    snap = lists.load(DATA / "csl" / "watchman-2019-sample" / "csl.csv")
    _accounted(snap)
    assert (len(snap.listings), len(snap.problems)) == (115, 0)
    guian = [x for x in snap.listings if "New District Huawei" in x.entity.name]
    assert guian and guian[0].list_code == "EL"
    assert len({x.id for x in snap.listings}) == 115


@needs_shared
def test_evaluate_against_the_full_csl() -> None:
    """The Huawei cases decide as with the bundled data where the CSL dates allow."""
    snap = lists.load(DATA / "csl" / "watchman-2022" / "consolidated.csv.gz")
    default = Rulebook.default()
    empty = Rulebook(
        id="csl-2022",
        version="1",
        snapshot=datetime.date(2022, 5, 5),
        rules=default.rules,
        licenses=default.licenses,
        destinations=default.destinations,
    )
    rb = empty.with_listings(snap.listings)
    later = build(transaction("2019-06-10", end_use="new-product-production"))
    assert evaluate(later, rb).outcome is Outcome.LICENSE_REQUIRED
    # the CSL's start_date is the publication date (2019-05-21), not the effective date
    # (2019-05-16): in the lead-up the finding says so and asks for review
    before_publication = build(transaction("2019-05-17"))
    decision = evaluate(before_publication, rb)
    assert decision.outcome is Outcome.REVIEW_REQUIRED
    assert "publication date" in decision.findings[0].message
    assert evaluate(before_publication, Rulebook.default()).outcome is Outcome.LICENSE_REQUIRED
    long_before = evaluate(build(transaction("2019-04-01")), rb)
    assert not [f for f in long_before.findings if f.rule == "ear.entity_list"]
    # Huawei is also on the CMIC list, which states no listing date and no rule assesses:
    assert {(f.rule, f.listing_id) for f in long_before.findings} == {
        ("lists.unassessed", "csl-cmic-30947")
    }


# --- canonical JSON lines ------------------------------------------------------------------


def test_canonical_round_trip_and_problems(tmp_path: Path) -> None:
    listings = Rulebook.default().listings[:5]
    path = tmp_path / "internal.jsonl"
    lines = [json.dumps(x.to_dict()) for x in listings]
    lines.insert(2, json.dumps({**listings[0].to_dict(), "list_code": ""}))
    lines.insert(4, "{not json")
    path.write_text("\n".join(lines) + "\n\n")
    snap = lists.load(path)
    _accounted(snap)
    assert snap.listings == listings
    assert [(p.record, p.field) for p in snap.problems] == [(3, "list_code"), (5, "")]
    assert snap.problems[0].record_id == listings[0].id


# --- diff ----------------------------------------------------------------------------------


def test_diff_added_removed_amended() -> None:
    base = lists.load(FIXTURE).listings
    changed = base[0].__class__.from_dict({**base[0].to_dict(), "remarks": "new remark"})
    result = lists.diff(base, [changed, base[2]])
    assert [x.id for x in result.removed] == [base[1].id]
    assert result.added == ()
    assert [(a.id, a.fields) for a in result.amended] == [(base[0].id, ("remarks",))]


# --- fuzzing -------------------------------------------------------------------------------

FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FUZZ
@given(st.data())
def test_fuzzed_csl_files_only_raise_library_errors(
    tmp_path_factory: pytest.TempPathFactory, data: st.DataObject
) -> None:
    raw = bytearray(FIXTURE.read_bytes())
    seed = data.draw(st.integers(0, 2**32 - 1))
    rng = random.Random(seed)
    action = data.draw(st.sampled_from(["truncate", "flip", "latin1", "drop_column", "nul"]))
    if action == "truncate":
        raw = raw[: rng.randrange(len(raw))]
    elif action == "flip":
        for _ in range(rng.randrange(1, 20)):
            raw[rng.randrange(len(raw))] = rng.randrange(256)
    elif action == "latin1":
        raw = bytearray(raw.decode("utf-8").encode("latin-1", errors="replace"))
    elif action == "drop_column":
        text = raw.decode("utf-8").splitlines()
        raw = bytearray("\n".join(",".join(line.split(",")[1:]) for line in text).encode())
    else:
        raw[rng.randrange(len(raw))] = 0
    path = tmp_path_factory.mktemp("fuzz") / "f.csv"
    path.write_bytes(bytes(raw))
    try:
        snap = lists.load(path, format="csl-csv")
    except TradeControlError:
        return
    _accounted(snap)


def test_csl_citations_split_only_between_federal_register_cites() -> None:
    from tradecontrol.lists.csl_json import fr_citations

    assert fr_citations(["84 FR 22961, 84 FR 43495,\u00a085 FR 29852 "]) == (
        "84 FR 22961",
        "84 FR 43495",
        "85 FR 29852",
    )
    assert fr_citations(["84 FR 54002; 85 FR 44159"]) == ("84 FR 54002", "85 FR 44159")
    assert fr_citations(["Vol. 85, No. 193, 10/05/2020"]) == ("Vol. 85, No. 193, 10/05/2020",)


@needs_shared
def test_unstructured_entry_exceptions_are_cautioned() -> None:
    snap = lists.load(DATA / "csl" / "watchman-2022" / "consolidated.csv.gz")
    roe = [
        x
        for x in snap.listings
        if x.list_code == "EL" and x.entity.name.startswith("Rosoboronexport")
    ]
    assert roe
    default = Rulebook.default()
    rb = Rulebook(id="t", version="1", snapshot=datetime.date(2022, 5, 5), rules=default.rules)
    rb = rb.with_listings(roe, snapshot=datetime.date(2022, 5, 6))
    assert rb.snapshot == datetime.date(2022, 5, 6)
    data = transaction(
        "2022-04-10",
        destination="RU",
        parties=[party(roe[0].entity.name, country="RU")],
        items=[{"description": "canned food", "eccn": "EAR99", "origin": "US"}],
    )
    finding = evaluate(build(data), rb).findings[0]
    assert finding.outcome is Outcome.LICENSE_REQUIRED
    assert any("states exceptions this version does not apply" in c for c in finding.cautions)


@pytest.mark.parametrize("enabled", [True, False])
def test_load_restores_the_garbage_collector_state(enabled: bool) -> None:
    """A load pauses the cyclic GC and leaves it as it found it, also when it fails."""
    import gc

    was = gc.isenabled()
    try:
        (gc.enable if enabled else gc.disable)()
        lists.load(FIXTURE)
        assert gc.isenabled() is enabled
        with pytest.raises(DataError):
            lists.load(ROOT / "no-such-list.csv")
        assert gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()


def test_load_leaves_thresholds_frozen_objects_and_collection_as_they_were() -> None:
    """A load changes no collector setting, and its objects are still collected.

    Thresholds and the caller's frozen objects stay as they were (a caller that froze
    objects keeps them frozen, and nothing is moved then), and garbage cycles, the
    caller's and the listings', are still found by a collection.
    """
    import gc
    import weakref

    class Node:
        def __init__(self) -> None:
            self.other: object = self

    was, thresholds = gc.isenabled(), gc.get_threshold()
    try:
        gc.enable()
        assert gc.get_freeze_count() == 0
        snapshot = lists.load(FIXTURE)
        assert gc.isenabled() and gc.get_threshold() == thresholds
        assert gc.get_freeze_count() == 0
        assert gc.is_tracked(snapshot.listings[0])
        cycle = Node()
        cycle.other = snapshot.listings[0]  # a listing inside a garbage cycle
        gone = weakref.ref(cycle)
        del cycle, snapshot
        gc.collect()
        assert gone() is None  # a full collection frees cycles through the load's objects
        gc.freeze()  # a caller with frozen objects keeps them frozen
        count = gc.get_freeze_count()
        lists.load(FIXTURE)
        assert gc.get_freeze_count() == count
    finally:
        gc.unfreeze()
        gc.set_threshold(*thresholds)
        (gc.enable if was else gc.disable)()


@pytest.mark.parametrize("enabled", [True, False])
def test_load_collects_the_callers_young_cycles_and_moves_only_its_own_objects(
    enabled: bool,
) -> None:
    """With the collector enabled, a load first collects the caller's young generations.

    A garbage cycle the caller left is freed by the load itself, not moved unscanned to
    the oldest generation with the load's objects; the listings are in the oldest
    generation afterwards. With the collector disabled, nothing is collected or moved.
    """
    import gc
    import weakref

    class Node:
        def __init__(self) -> None:
            self.other: object = self

    was = gc.isenabled()
    try:
        gc.collect()
        (gc.enable if enabled else gc.disable)()
        cycle = Node()
        gone = weakref.ref(cycle)
        del cycle
        snapshot = lists.load(FIXTURE)
        listing = snapshot.listings[0]
        oldest = any(obj is listing for obj in gc.get_objects(generation=2))
        assert (gone() is None) is enabled
        assert oldest is enabled
    finally:
        (gc.enable if was else gc.disable)()
        gc.collect()


def test_fields_left_at_their_default_are_still_validated_when_given() -> None:
    """Skipping the converter for a default object never skips validation of given values."""
    from tradecontrol.entities import Entity

    assert Entity(name="Acme", aliases=[]).aliases == ()  # equal to the default, converted
    assert Entity(name="Acme").aliases == ()
    with pytest.raises(TradeControlError) as err:
        Entity(name="Acme", aliases=["ok", "bad\x00"])
    assert getattr(err.value, "path", "") == "aliases[1]"
    with pytest.raises(TradeControlError):
        Entity(name="Acme", country="XX")
