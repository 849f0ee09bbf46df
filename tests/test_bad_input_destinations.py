"""Hostile and sloppy input to the destination, content and nexus fields (issue 6 hardening).

Each case is input → the error (JSON path and what the message says). Before the fix each of
the rejected cases was silently accepted (or crashed with a bare Python exception); see
CHANGELOG.md.
"""

from __future__ import annotations

import copy
import datetime
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import build, transaction
from tradecontrol import (
    DataError,
    InvalidInputError,
    Rulebook,
    TradeControlError,
    Transaction,
    Window,
    evaluate,
)
from tradecontrol.cli import main
from tradecontrol.content import UsContent
from tradecontrol.destinations import CclEntry, ChartRow, Destinations, Embargo, EmbargoVersion

RULEBOOK = Rulebook.default()
DAY = datetime.date(2024, 6, 1)


def _item(**fields: Any) -> dict[str, Any]:
    return transaction("2024-06-01", items=[{"description": "router", "origin": "TW"} | fields])


def _tx(**fields: Any) -> dict[str, Any]:
    return transaction(fields.pop("date", "2024-06-01"), **fields)


def _exporter(**flags: Any) -> dict[str, Any]:
    return _tx(parties=[{"role": "exporter", "entity": {"name": "A", "country": "US"}} | flags])


# --- Transaction.from_dict: rejected -------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "path", "message"),
    [
        # percentages: not numbers, out of range, not finite
        (_item(us_content_percent="thirty"), "items[0].us_content_percent", "not a decimal"),
        (_item(us_content_percent="30%%"), "items[0].us_content_percent", "not a decimal"),
        (_item(us_content_percent="30\uff05"), "items[0].us_content_percent", "not a decimal"),
        (_item(us_content_percent=-1), "items[0].us_content_percent", "between 0 and 100"),
        (_item(us_content_percent="100.01"), "items[0].us_content_percent", "between 0 and 100"),
        (_item(us_content_percent=float("nan")), "items[0].us_content_percent", "finite"),
        (_item(us_content_percent=float("inf")), "items[0].us_content_percent", "finite"),
        (_item(us_content_percent="NaN"), "items[0].us_content_percent", "not a decimal"),
        (_item(us_content_percent="Infinity"), "items[0].us_content_percent", "not a decimal"),
        (_item(us_content_percent=True), "items[0].us_content_percent", "boolean"),
        (
            _item(us_content=[{"percent": "25." + "0" * 30 + "1", "license_required": True}]),
            "items[0].us_content[0].percent",
            "digits after the decimal point",
        ),
        (_item(us_content_percent=""), "items[0].us_content_percent", "not a decimal"),
        # U.S. content shares that cannot all be true
        (
            _item(us_content=[{"eccn": "3A001", "percent": 60}, {"eccn": "3A991", "percent": 41}]),
            "items[0].us_content",
            "add up to 101%",
        ),
        (
            _item(
                us_content_percent="5",
                us_content=[{"eccn": "3A001", "percent": 30, "license_required": True}],
            ),
            "items[0].us_content_percent",
            "cannot be smaller than its parts",
        ),
        (_item(us_content={"eccn": "3A001"}), "items[0].us_content", "expected a list"),
        (_item(us_content=[None]), "items[0].us_content[0]", "expected an object"),
        (_item(us_content=[{"eccn": "3A001", "percnt": 6}]), "items[0].us_content[0].percnt", ""),
        (
            _item(us_content=[{"eccn": "3A001", "license_required": "yes"}]),
            "items[0].us_content[0].license_required",
            "true or false",
        ),
        # reasons for control
        (_item(reasons_for_control=["NS3"]), "items[0].reasons_for_control", "Country Chart"),
        (_item(reasons_for_control=["\uff2e\uff33\uff11"]), "items[0].reasons_for_control", ""),
        (_item(reasons_for_control=["NS\u200b1"]), "items[0].reasons_for_control", ""),
        (_item(reasons_for_control="NS1"), "items[0].reasons_for_control", "expected a list"),
        (_item(reasons_for_control=[None]), "items[0].reasons_for_control[0]", "string"),
        (_item(reasons_for_control=["NS1"] * 1001), "items[0].reasons_for_control", "1000"),
        (
            _item(eccn="EAR99", reasons_for_control=["NS1"]),
            "items[0].reasons_for_control",
            "EAR99 item has no reasons",
        ),
        (
            _item(us_content=[{"eccn": "EAR99", "percent": 5, "reasons_for_control": ["AT1"]}]),
            "items[0].us_content[0].reasons_for_control",
            "EAR99 input has no reasons",
        ),
        # ECCNs
        (_item(eccn="NS3"), "items[0].eccn", "not an ECCN"),
        (_item(eccn="3A001..a"), "items[0].eccn", "not an ECCN"),
        (_item(eccn="EAR 99"), "items[0].eccn", "not an ECCN"),
        (_item(eccn=" "), "items[0].eccn", "not an ECCN"),
        (_item(direct_product={"of": ["NS1"]}), "items[0].direct_product.of", "not an ECCN"),
        (_item(direct_product={"of": "3E001"}), "items[0].direct_product.of", "list"),
        # direct product facts
        (_item(direct_product="yes"), "items[0].direct_product", "expected an object"),
        (
            _item(direct_product={"production_started": "2020-05-01T10:00:00"}),
            "items[0].direct_product.production_started",
            "no time zone",
        ),
        (
            _item(direct_product={"production_started": "2020-02-30"}),
            "items[0].direct_product.production_started",
            "not an ISO 8601",
        ),
        (
            _item(direct_product={"ns_controlled": "true"}),
            "items[0].direct_product.ns_controlled",
            "true or false",
        ),
        (_item(food_or_medicine=None), "items[0].food_or_medicine", "true or false"),
        (_item(food_or_medicine=1), "items[0].food_or_medicine", "true or false"),
        # places
        (_item(origin="UA-99"), "items[0].origin", "not an ISO 3166"),
        (_tx(destination="UA-99"), "destination", "not an ISO 3166"),
        (_tx(destination="UA -43"), "destination", "not an ISO 3166"),
        (_tx(destination="\u0421N"), "destination", "not an ISO 3166"),  # Cyrillic С
        (_tx(destination="EU"), "destination", "union of countries"),
        (_tx(origin="eu"), "origin", "union of countries"),
        # dates
        (_tx(date="2024-06-01T10:00:00"), "date", "no time zone"),
        (_tx(date="0000-01-01"), "date", "not an ISO 8601"),
        (_tx(date=20240601), "date", "ISO 8601"),
        # nexus flags
        (_exporter(us_person="yes"), "parties[1].us_person", "true or false"),
        (_exporter(us_person=1), "parties[1].us_person", "true or false"),
        (_exporter(us_person=False), "parties[1].us_person", "31 CFR 560.314"),
        (
            _tx(parties=[{"role": "end_user", "entity": {"name": "A", "country": "EU"}}]),
            "parties[1].entity.country",
            "union of countries",
        ),
        (
            _tx(
                parties=[
                    {
                        "role": "end_user",
                        "entity": {
                            "name": "A",
                            "addresses": [
                                {"city": "Brussels", "country": "BE"},
                                {"city": "x", "country": "eu"},
                            ],
                        },
                    }
                ]
            ),
            "parties[1].entity.addresses[1].country",
            "union of countries",
        ),
        (
            _tx(
                parties=[
                    {
                        "role": "end_user",
                        "entity": {"name": "A", "kind": "person", "nationalities": ["EU"]},
                    }
                ]
            ),
            "parties[1].entity.nationalities[0]",
            "union of countries",
        ),
        # Unicode display tricks
        (_tx(id="T-1\u202e;detcirtser_ton"), "id", "bidirectional"),
        (
            _tx(parties=[{"role": "end_user", "entity": {"name": "Ac\u2067me"}}]),
            "parties[1].entity.name",
            "bidirectional",
        ),
    ],
)
def test_bad_transaction_fields_are_refused(data: Any, path: str, message: str) -> None:
    with pytest.raises(InvalidInputError) as info:
        build(data)
    assert info.value.path == path
    assert message in info.value.message


@pytest.mark.parametrize(
    ("data", "check"),
    [
        (_item(us_content_percent="30 %"), lambda t: t.items[0].us_content_percent == 30),
        (_item(us_content_percent="-0"), lambda t: str(t.items[0].us_content_percent) == "0"),
        (_item(reasons_for_control=[" ns 1 ", "NS1"]), lambda t: t.items[0].reasons_for_control),
        (_item(origin=" ua-43 "), lambda t: t.items[0].origin.code == "UA-43"),
        (_exporter(eu_person=True, us_person=True), lambda t: t.parties[1].eu_person),
        (_tx(destination=" ua-43"), lambda t: t.destination.code == "UA-43"),
    ],
)
def test_sloppy_but_unambiguous_input_is_normalised(data: Any, check: Callable[[Any], Any]) -> None:
    t = build(data)
    assert check(t)
    assert Transaction.from_dict(json.loads(json.dumps(t.to_dict()))) == t


def test_only_the_stated_us_person_flag_is_checked_against_the_country() -> None:
    t = build(
        _tx(
            parties=[
                {"role": "exporter", "entity": {"name": "A", "country": "DE"}, "us_person": False}
            ]
        )
    )
    assert t.parties[1].us_person is False


# --- Rulebook.from_dict: the destinations section ------------------------------------------

BASE = RULEBOOK.to_dict()


def _mutated(change: Callable[[dict[str, Any]], Any]) -> dict[str, Any]:
    data = copy.deepcopy(BASE)
    change(data["destinations"])
    return data


def _set(key: str, index: int, **fields: Any) -> Callable[[dict[str, Any]], Any]:
    return lambda d: d[key][index].update(fields)


@pytest.mark.parametrize(
    ("change", "path", "message"),
    [
        (lambda d: d["group_labels"].insert(0, ["A:9", "x", "y"]), "group_labels[0]", "2 elements"),
        (lambda d: d["group_labels"].insert(0, "A:9"), "group_labels[0]", "got str"),
        (lambda d: d["footnotes"].insert(0, [99, "y", "z"]), "footnotes[0]", "2 elements"),
        (lambda d: d["footnotes"].insert(0, d["footnotes"][0]), "footnotes[1]", "twice"),
        (lambda d: d["groups"].insert(0, {"country": "CN", "group": "Z:9"}), "groups[0].group", ""),
        (
            lambda d: d["groups"].insert(0, {"country": "CN", "group": "D:9"}),
            "groups[0].group",
            "labelled",
        ),
        (_set("chart", 0, footnotes=[999]), "chart[0].footnotes", "not among"),
        (_set("chart", 0, footnotes=["a"]), "chart[0].footnotes[0]", "whole number"),
        (_set("territories", 0, tables=["charts"]), "territories[0].tables", "not a table"),
        (_set("territories", 0, tables=[]), "territories[0].tables", "at least one"),
        (_set("territories", 0, follows="HK"), "territories[0].follows", "cannot follow itself"),
        (_set("regions", 0, code="UA"), "regions[0].code", "not an ISO 3166-2 subdivision"),
        (_set("embargoes", 0, places=["IRAN"]), "embargoes[0].places[0]", "neither"),
        (_set("embargoes", 0, places=["cu"]), "embargoes[0].places[0]", "neither"),
        (_set("embargoes", 0, places=[]), "embargoes[0].places", "at least one"),
        (_set("ofac_programs", 0, places=["Iran"]), "ofac_programs[0].places[0]", "neither"),
        (
            lambda d: d["embargoes"][0]["versions"].append(
                copy.deepcopy(d["embargoes"][0]["versions"][0])
            ),
            "embargoes[0].versions[1]",
            "overlaps",
        ),
        (
            lambda d: d["embargoes"][6]["versions"][0].update(categories=["Z"]),
            "embargoes[6].versions[0].categories",
            "CCL category",
        ),
        (
            lambda d: d["embargoes"][6]["versions"][0].update(categories=[]),
            "embargoes[6].versions[0].categories",
            "must list",
        ),
        (
            lambda d: d["embargoes"][0]["versions"][0].update(
                license_exception={"id": "x", "title": "t", "eccns": ["NOPE"]}
            ),
            "embargoes[0].versions[0].license_exception.eccns",
            "not an ECCN",
        ),
        (
            lambda d: d["eu_members"].insert(0, d["eu_members"][0]),
            "eu_members[1]",
            "overlaps",
        ),
        (lambda d: d["ccl"].insert(0, d["ccl"][0]), "ccl[1].eccn", "also ccl[0]"),
        (
            lambda d: d["ccl"].insert(0, {"eccn": "EAR99", "reasons": ["NS1"]}),
            "ccl[0].eccn",
            "EAR99",
        ),
        (
            lambda d: d["ccl"].insert(0, {"eccn": "9A999", "reasons": ["NS1"], "partial": ["NS1"]}),
            "ccl[0].partial",
            "both",
        ),
        (lambda d: d.update(chart_date="2026-07-23T00:00"), "chart_date", "no time zone"),
    ],
)
def test_bad_destination_data_is_refused(
    change: Callable[[dict[str, Any]], Any], path: str, message: str
) -> None:
    with pytest.raises(DataError) as info:
        Rulebook.from_dict(_mutated(change))
    assert info.value.path == f"destinations.{path}"
    assert message in info.value.message


def test_a_licence_exception_barred_by_an_unknown_rule_is_refused() -> None:
    data = _mutated(
        lambda d: d["embargoes"][3]["versions"][1]["license_exception"].update(
            barred_by_rules=["ear.entitylist"]
        )
    )
    with pytest.raises(DataError) as info:
        Rulebook.from_dict(data)
    assert info.value.path.endswith("versions[1].license_exception.barred_by_rules")
    assert "'ear.entitylist' is not a rule" in info.value.message


def test_the_case_of_a_country_group_is_normalised() -> None:
    data = _mutated(lambda d: d["groups"].insert(0, {"country": "SD", "group": "e:2"}))
    rb = Rulebook.from_dict(data)
    assert rb.in_country_group("SD", "E:2", DAY)
    assert rb.in_country_group("SD", "e:2", DAY)


def test_the_bundled_destination_data_passes_the_checks() -> None:
    assert Rulebook.from_dict(BASE) == RULEBOOK


@pytest.mark.parametrize(
    "make",
    [
        lambda: Destinations(chart_date="2026-13-01"),
        lambda: ChartRow(country="CN", name="China", footnotes=["x"]),
        lambda: EmbargoVersion(
            scope="all_items",
            review_policy="case_by_case",
            text="t",
            license_exception={},  # type: ignore[arg-type]
        ),
        lambda: Embargo(id="x", authority="US-BIS", title="t", places=["CU"], versions=[5]),
        lambda: CclEntry(eccn="EAR99"),
        lambda: UsContent(eccn="EAR99", reasons_for_control=["NS1"]),
    ],
)
def test_value_objects_built_in_python_validate_too(make: Callable[[], Any]) -> None:
    with pytest.raises(InvalidInputError):
        make()


# --- query methods: bad arguments raise library errors ---------------------------------------


_D = RULEBOOK.destinations
assert _D is not None
D: Destinations = _D


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: RULEBOOK.chart_reasons("CN", "NS2", DAY), "got the string"),
        (lambda: RULEBOOK.chart_reasons("CN", None, DAY), "expected a list"),  # type: ignore[arg-type]
        (lambda: RULEBOOK.chart_reasons("CN", ["NS2"], "2024-06-01"), "aware datetime"),  # type: ignore[arg-type]
        (
            lambda: RULEBOOK.chart_reasons("CN", ["NS2"], datetime.datetime(2024, 6, 1)),
            "aware datetime",
        ),
        (lambda: RULEBOOK.in_country_group("CN", "D:1", None), "aware datetime"),  # type: ignore[arg-type]
        (lambda: D.regions_of(5), "ISO 3166"),  # type: ignore[arg-type]
        (lambda: D.place_matches(5, ["CU"]), "ISO 3166"),  # type: ignore[arg-type]
        (lambda: D.embargoes_at(None), "ISO 3166"),  # type: ignore[arg-type]
        (lambda: D.ofac_programs_at("ZZ"), "not an ISO 3166"),
        (lambda: D.ccl_entry("zzz"), "not an ECCN"),
        (lambda: D.ccl_entry(5), "ECCN"),  # type: ignore[arg-type]
        (lambda: D.footnote(999), "no footnote 999"),
        (lambda: D.eu_member("FR", "2020-01-01"), "aware datetime"),  # type: ignore[arg-type]
        (lambda: D.embargoes[0].version_at(datetime.datetime(2024, 1, 1)), "aware datetime"),
        (lambda: Window().contains("2024-01-01"), "aware datetime"),  # type: ignore[arg-type]
    ],
)
def test_query_methods_reject_bad_arguments(call: Callable[[], Any], message: str) -> None:
    with pytest.raises(TradeControlError) as info:
        call()
    assert message in info.value.message


def test_query_methods_accept_sloppy_codes() -> None:
    assert RULEBOOK.in_country_group("cn", "d:1", DAY)
    entry = D.ccl_entry(" 3a001.a ")
    assert entry is not None and entry.eccn == "3A001"


# --- the command line ----------------------------------------------------------------------


def test_cli_reports_each_bad_line_with_its_path_and_carries_on(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = [
        _item(us_content_percent="thirty"),
        _item(us_content=[{"percent": 70}, {"percent": 70}]),
        _item(reasons_for_control=["NS3"]),
        _tx(destination="UA-99"),
        _tx(id="x\u202e"),
        _item(us_content_percent="30 %", direct_product={}),
    ]
    path = tmp_path / "in.jsonl"
    text = "\n".join(json.dumps(x) for x in lines)
    path.write_text(text + '\n{"id": "n", "date": "2024-06-01", "items": [{"value": NaN}]}\n')
    code = main(["evaluate", str(path), "--format", "json"])
    out, err = capsys.readouterr()
    assert code == 1
    for n, where in [
        (1, "items[0].us_content_percent"),
        (2, "items[0].us_content"),
        (3, "items[0].reasons_for_control"),
        (4, "destination"),
        (5, "id"),
        (7, "items[0].value"),
    ]:
        assert f"{path}:{n}: {where}:" in err
    assert "Traceback" not in err
    decided = [json.loads(x) for x in out.splitlines()]
    assert len(decided) == 1


# --- fuzzing --------------------------------------------------------------------------------

WEIRD = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**20), 10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=6),
    st.sampled_from(
        [
            *("30%", "30 %", "thirty", "NS1", "ns1", " NS1 ", "NS3", "UA-99", "ua-43", "3a001"),
            *("EAR99", "", "-0", "1e2", "100", "100.5", "2020-05-15", "2020-05-15T00:00"),
            *("Infinity", "NaN"),
        ]
    ),
    st.lists(st.sampled_from(["NS1", "3E001", "AT1", None, 1]), max_size=3),
    st.just({}),
    st.just({"x": 1}),
)
ECCNS = st.sampled_from(["EAR99", "3A001", "3A001.a", "5A002", "5E002", "5A992.c", "3E001"])
PLACES = st.sampled_from(
    [
        *("US", "CN", "RU", "BY", "IR", "CU", "KP", "SY", "UA", "UA-43", "UA-14", "UA-09"),
        *("UA-40", "HK", "TW", "DE", "GB", "XK", "MO", "VE", "LI"),
    ]
)
REASONS = st.lists(
    st.sampled_from(["NS1", "NS2", "AT1", "RS2", "MT1", "NP1", "CB1", "FC1"]), max_size=3
)
DATES = st.dates(datetime.date(2010, 1, 1), datetime.date(2030, 12, 31)).map(
    datetime.date.isoformat
)


def _or_weird(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(strategy, strategy, strategy, WEIRD)


CONTENT = st.fixed_dictionaries(
    {},
    optional={
        "eccn": _or_weird(ECCNS),
        "percent": _or_weird(st.integers(0, 60)),
        "reasons_for_control": _or_weird(REASONS),
        "license_required": _or_weird(st.booleans()),
    },
)
DIRECT = st.fixed_dictionaries(
    {},
    optional={
        "of": _or_weird(st.lists(ECCNS, max_size=2)),
        "plant_of": _or_weird(st.lists(ECCNS, max_size=2)),
        "designed_by": _or_weird(st.sampled_from(["HiSilicon", "Acme"])),
        "production_started": _or_weird(DATES),
        "ns_controlled": _or_weird(st.booleans()),
    },
)
ITEM = st.fixed_dictionaries(
    {},
    optional={
        "eccn": _or_weird(ECCNS),
        "origin": _or_weird(PLACES),
        "us_content_percent": _or_weird(st.decimals(0, 100, places=2).map(str)),
        "us_content": _or_weird(st.lists(CONTENT, max_size=3)),
        "direct_product": _or_weird(DIRECT),
        "reasons_for_control": _or_weird(REASONS),
        "food_or_medicine": _or_weird(st.booleans()),
    },
)
PARTY = st.fixed_dictionaries(
    {
        "role": st.sampled_from(["exporter", "ultimate_consignee", "end_user", "purchaser"]),
        "entity": st.fixed_dictionaries(
            {"name": st.sampled_from(["Acme", "Huawei Technologies Co., Ltd."]), "country": PLACES}
        ),
    },
    optional={
        "us_person": _or_weird(st.booleans()),
        "eu_person": _or_weird(st.booleans()),
        "uk_person": _or_weird(st.booleans()),
    },
)
TRANSACTIONS = st.fixed_dictionaries(
    {"id": st.just("T"), "date": DATES},
    optional={
        "kind": st.sampled_from(["export", "reexport", "transfer", "import", "service"]),
        "origin": _or_weird(PLACES),
        "destination": _or_weird(PLACES),
        "parties": st.lists(PARTY, max_size=3),
        "items": st.lists(ITEM, max_size=2),
    },
)
_RULE_ERROR = re.compile(r"could not be (?:applied|checked) \((\w+):")


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(TRANSACTIONS)
def test_fuzzed_transactions_are_refused_cleanly_or_decided(data: dict[str, Any]) -> None:
    try:
        t = Transaction.from_dict(data)
    except InvalidInputError as exc:
        assert exc.path or "object" in exc.message
        return
    decision = evaluate(t, RULEBOOK)
    texts = [f.message for f in decision.findings] + [r.reason for r in decision.regimes]
    crashes = [m.group(1) for m in map(_RULE_ERROR.search, texts) if m]
    # a DataError is the data saying it cannot answer (Hong Kong before 2020-12-23); any
    # other exception is an input the constructor should have refused
    assert set(crashes) <= {"DataError"}, texts
    assert Transaction.from_dict(json.loads(json.dumps(t.to_dict()))) == t


def _paths(node: Any, prefix: tuple[str | int, ...] = ()) -> list[tuple[str | int, ...]]:
    out = [prefix] if prefix else []
    if isinstance(node, dict):
        for key, child in node.items():
            out += _paths(child, (*prefix, key))
    elif isinstance(node, list):
        for i, child in enumerate(node[:2]):
            out += _paths(child, (*prefix, i))
    return out


DESTINATION_PATHS = _paths(BASE["destinations"])


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.sampled_from(DESTINATION_PATHS), WEIRD)
def test_fuzzed_destination_data_is_refused_with_a_data_error(
    path: tuple[str | int, ...], value: Any
) -> None:
    data = copy.deepcopy(BASE)
    node = data["destinations"]
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    try:
        Rulebook.from_dict(data)
    except DataError as exc:
        assert "invalid value (" not in exc.message  # no raw Python exception text
