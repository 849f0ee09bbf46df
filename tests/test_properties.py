"""Hypothesis properties: determinism, purity, monotonicity, JSON round-trip."""

from __future__ import annotations

import ast
import datetime
import json
import os
import time
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tradecontrol import Decision, Listing, Outcome, Rulebook, Transaction, evaluate

RULEBOOK = Rulebook.default()
LISTED = sorted({n for x in RULEBOOK.listings for n in x.entity.names})[:60]
CLEAN = ["Acme Cables Inc.", "Lotus Electronics Trading Ltd.", "Prairie Wireless LLC", "Ivan"]
NAMES = st.one_of(
    st.sampled_from(LISTED),
    st.sampled_from(LISTED).map(str.upper),
    st.sampled_from(CLEAN),
)
ROLES = st.sampled_from(
    [
        "exporter",
        "purchaser",
        "intermediate_consignee",
        "ultimate_consignee",
        "end_user",
        "freight_forwarder",
        "other",
    ]
)
DAYS = st.dates(min_value=datetime.date(2019, 1, 1), max_value=datetime.date(2021, 12, 31))
OFFSETS = st.sampled_from(["-04:00", "+00:00", "+08:00", "-05:00", "Z"])
MOMENTS = st.one_of(
    DAYS.map(datetime.date.isoformat),
    st.tuples(DAYS, st.integers(0, 23), st.integers(0, 59), OFFSETS).map(
        lambda t: f"{t[0].isoformat()}T{t[1]:02d}:{t[2]:02d}{t[3]}"
    ),
)
ITEMS = st.fixed_dictionaries(
    {"eccn": st.sampled_from(["EAR99", "5D992.c", "3A001.a", "5A992.c"])},
    optional={
        "origin": st.sampled_from(["US", "DE", "CN"]),
        "value": st.integers(0, 10**7).map(str),
        "description": st.sampled_from(["patch", "chips"]),
    },
).map(lambda d: {**d, "currency": "USD"} if "value" in d else d)
FACTS = st.fixed_dictionaries(
    {},
    optional={
        "contract_date": DAYS.map(datetime.date.isoformat),
        "product_public_date": DAYS.map(datetime.date.isoformat),
        "order_date": DAYS.map(datetime.date.isoformat),
        "en_route_at": MOMENTS,
        "certification_on_file": st.booleans(),
        "recipient_certification": st.booleans(),
        "enhances_functional_capacity": st.booleans(),
        "third_party_network": st.booleans(),
    },
)
TRANSACTIONS = st.fixed_dictionaries(
    {
        "id": st.text(alphabet="ABCDEF0123456789-", min_size=1, max_size=8),
        "date": MOMENTS,
        "kind": st.sampled_from(["export", "reexport", "transfer", "import", "payment"]),
        "parties": st.lists(
            st.fixed_dictionaries(
                {
                    "role": ROLES,
                    "entity": st.fixed_dictionaries(
                        {"name": NAMES},
                        optional={"country": st.sampled_from(["CN", "US", "GB", "CU", "HK"])},
                    ),
                }
            ),
            max_size=4,
        ),
        "items": st.lists(ITEMS, max_size=3),
    },
    optional={
        "origin": st.sampled_from(["US", "DE"]),
        "destination": st.sampled_from(["CN", "GB", "CU", "HK", "UA-43"]),
        "end_use": st.sampled_from(
            [
                "existing-network-support",
                "existing-handset-support",
                "vulnerability-disclosure",
                "standards-development",
                "new-product-production",
                "general-commercial",
            ]
        ),
        "facts": FACTS,
    },
)

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _decide(data: dict[str, Any], rulebook: Rulebook = RULEBOOK) -> Decision:
    return evaluate(Transaction.from_dict(data), rulebook)


@SETTINGS
@given(TRANSACTIONS)
def test_transaction_json_round_trip(data: dict[str, Any]) -> None:
    t = Transaction.from_dict(data)
    assert Transaction.from_dict(t.to_dict()) == t
    assert Transaction.from_dict(json.loads(json.dumps(t.to_dict()))) == t


@SETTINGS
@given(TRANSACTIONS)
def test_evaluate_is_deterministic_and_decision_round_trips(data: dict[str, Any]) -> None:
    first = _decide(data)
    second = _decide(json.loads(json.dumps(data)))
    assert json.dumps(first.to_dict()) == json.dumps(second.to_dict())
    assert Decision.from_dict(first.to_dict()) == first
    assert first.outcome == max((f.outcome for f in first.findings), default=Outcome.NOT_RESTRICTED)


@SETTINGS
@given(TRANSACTIONS)
def test_evaluate_ignores_wall_clock_time_zone_and_environment(data: dict[str, Any]) -> None:
    before = json.dumps(_decide(data).to_dict())
    saved = {k: os.environ.get(k) for k in ("TZ", "TRADECONTROL_AS_OF", "LANG")}
    try:
        os.environ.update(TZ="Asia/Tokyo", TRADECONTROL_AS_OF="2030-01-01", LANG="C")
        time.tzset()
        assert json.dumps(_decide(data).to_dict()) == before
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        time.tzset()


LISTING_WINDOWS = st.tuples(DAYS, st.one_of(st.none(), DAYS))


@SETTINGS
@given(
    TRANSACTIONS,
    NAMES,
    LISTING_WINDOWS,
    st.sampled_from(["presumption_of_denial", "case_by_case", "approval"]),
)
def test_a_new_listing_never_makes_an_outcome_more_permissive(
    data: dict[str, Any],
    name: str,
    window: tuple[datetime.date, datetime.date | None],
    policy: str,
) -> None:
    start, end = window
    if end is not None and end < start:
        start, end = end, start
    listing = Listing.from_dict(
        {
            "id": "test-extra",
            "list_code": "EL",
            "authority": "US-BIS",
            "entity": {"name": name},
            "versions": [
                {
                    "window": {"start": start.isoformat(), "end": end.isoformat() if end else None},
                    "license_requirement": {
                        "scope": "all_items_subject_to_ear",
                        "text": "All items.",
                    },
                    "review_policy": policy,
                    "citations": ["TEST FR 1"],
                }
            ],
        }
    )
    wider = RULEBOOK.with_listings([listing])
    assert _decide(data, wider).outcome >= _decide(data).outcome


PURE_MODULES = [
    "evaluation.py",
    "licensing.py",
    "conditions.py",
    "_time.py",
    "rules",
    "nexus.py",
    "content.py",
    "ownership.py",
    "explain.py",
    "drawdown.py",
    "context.py",
    "plan.py",
    "regime_table.py",
]
FORBIDDEN_CALLS = {
    "open",
    "print",
    "input",
    "getenv",
    "now",
    "today",
    "utcnow",
    "monotonic",
    "perf_counter",
    "time.time",
    "random",
    "randint",
    "choice",
    "urandom",
}
FORBIDDEN_NAMES = {"environ", "stdin", "stdout", "stderr"}


def test_evaluation_code_reads_no_clock_environment_or_files() -> None:
    """Static guard for purity: the evaluation path calls no clock, env, I/O or RNG."""
    src = Path(__file__).resolve().parents[1] / "src" / "tradecontrol"
    files: list[Path] = []
    for name in PURE_MODULES:
        path = src / name
        files.extend(sorted(path.glob("*.py")) if path.is_dir() else [path])
    offenders = []
    for path in files:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                func = node.func
                called = getattr(func, "id", "")
                if isinstance(func, ast.Attribute):
                    owner = getattr(func.value, "id", "")
                    called = f"{owner}.{func.attr}" if owner == "time" else func.attr
                if called in FORBIDDEN_CALLS:
                    offenders.append(f"{path.name}:{node.lineno} calls {called}()")
            if isinstance(node, ast.Attribute) and node.attr in FORBIDDEN_NAMES:
                offenders.append(f"{path.name}:{node.lineno} reads .{node.attr}")
            if isinstance(node, ast.Global | ast.Nonlocal):
                offenders.append(f"{path.name}:{node.lineno} uses global state")
    assert offenders == []
