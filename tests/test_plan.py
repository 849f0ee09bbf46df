"""The compiled plan's fast paths give exactly what the general paths give (hypothesis)."""

from __future__ import annotations

import datetime
import functools
from decimal import Decimal
from typing import Any

import attrs
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from tradecontrol import Entity, InvalidInputError, Listing, Rulebook, Transaction
from tradecontrol.context import EvaluationContext, nothing_to_assess, regime_check
from tradecontrol.decision import (
    Finding,
    NearMiss,
    Outcome,
    ReviewPolicy,
    _trusted_evolve,
    _trusted_reindex,
)
from tradecontrol.evaluation import _CONTEXT_RULES as CONTEXT_RULES
from tradecontrol.nexus import Regime, check_regime
from tradecontrol.ownership import OwnershipEdge, OwnershipTest, _id_keys, _name_key, assess
from tradecontrol.plan import (
    MEMO_SIZE,
    Plan,
    _find,
    exact_matches,
    flat_ownership,
    unowned_results,
)
from tradecontrol.rulebook import NameMatch
from tradecontrol.rules import RULES
from tradecontrol.screening.screen import candidates
from tradecontrol.screening.thresholds import Thresholds


def _listing(name: str, code: str, authority: str = "US-OFAC") -> Listing:
    return Listing.from_dict(
        {
            "id": f"{code}-{name}".lower().replace(" ", "-"),
            "list_code": code,
            "authority": authority,
            "entity": {"name": name},
            "versions": [{"window": {"start": "2010-01-01"}, "citations": ["E.O. 14024"]}],
        }
    )


BASE = Rulebook.default().with_listings(
    [
        _listing("SDN X", "SDN"),
        _listing("SDN Y", "SDN"),
        _listing("Person P", "EU", "EU"),
        _listing("Person P", "UK", "UK"),
        _listing("Listed Co A", "EL", "US-BIS"),
    ]
)
RB = BASE.with_ownership(
    [
        OwnershipEdge.from_dict(
            {"owned": {"name": "Gamma Industrial LLC", "country": "CY"}, "owner": {"name": "SDN X"}}
            | {"share_percent": "30"}
        ),
        OwnershipEdge.from_dict(
            {"owned": {"name": "Delta Holding", "country": "CY"}, "owner": {"name": "SDN Y"}}
            | {"share_percent": "60"}
        ),
    ]
)
EXACT = RB.with_thresholds(Thresholds(fuzzy=False))
LISTED = sorted({n for x in RB.listings for n in x.entity.names})[:40]
CLEAN = ["Acme Cables Inc.", "Gamma Industrial LLC", "Delta Holding", "Omega Trading", "Ivan"]
NAMES = st.one_of(
    st.sampled_from(LISTED),
    st.sampled_from(LISTED).map(str.upper),
    st.sampled_from(CLEAN),
)
COUNTRIES = st.sampled_from(["CY", "CN", "US", "DE"])
OWNER_FIELDS: dict[str, st.SearchStrategy[Any]] = {
    "owner": st.fixed_dictionaries({"name": NAMES}),
    "share_percent": st.integers(1, 50),
}
OWNER = st.fixed_dictionaries(OWNER_FIELDS)
ENTITY_FIELDS: dict[str, st.SearchStrategy[Any]] = {"name": NAMES, "country": COUNTRIES}
ENTITY = st.fixed_dictionaries(
    ENTITY_FIELDS,
    optional={
        "aliases": st.lists(NAMES, max_size=2),
        "owners": st.lists(OWNER, max_size=2, unique_by=lambda o: o["owner"]["name"]),
        "identifiers": st.lists(
            st.fixed_dictionaries(
                {"scheme": st.just("lei"), "value": st.sampled_from(["A1", "B2"])}
            ),
            max_size=1,
        ),
    },
)
TESTS = [
    OwnershipTest(list_codes=frozenset({"SDN"}), threshold=Decimal(50)),
    OwnershipTest(list_codes=frozenset({"EU"}), threshold=Decimal(50), at_threshold=False),
    OwnershipTest(list_codes=frozenset({"EL", "MEU"}), threshold=Decimal(50)),
]
DAY = datetime.date(2023, 3, 1)
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _entity(data: dict[str, Any]) -> Entity:
    try:
        return Entity.from_dict(data)
    except InvalidInputError:  # an owner stated twice, or as its own owner
        assume(False)
        raise


def _screened(entity: Entity, rulebook: Rulebook) -> tuple[NameMatch, ...]:
    """What ``Rulebook.match_entity`` built from screening candidates before the plan."""
    return tuple(
        NameMatch(listing=m.listing, matched_name=m.matched_name, query_name=m.query_name)
        for m in candidates(entity, rulebook, as_of=DAY)
    )


@SETTINGS
@given(ENTITY)
def test_exact_matches_equal_the_screening_candidates_in_exact_mode(data: dict[str, Any]) -> None:
    entity = _entity(data)
    assert exact_matches(EXACT, entity) == _screened(entity, EXACT)
    assert EXACT.match_entity(entity, as_of=DAY) == _screened(entity, EXACT)


def test_the_plan_is_exact_only_without_fuzzy_screening_or_allow_list() -> None:
    assert EXACT.plan.exact and not RB.plan.exact
    assert not BASE.with_thresholds(Thresholds()).plan.exact


@SETTINGS
@given(st.lists(ENTITY, min_size=1, max_size=4))
def test_flat_ownership_results_equal_the_assessment(data: list[dict[str, Any]]) -> None:
    entities = [_entity(d) for d in data]
    for rulebook in (RB, EXACT):
        if not flat_ownership(entities, rulebook):
            continue
        for test in TESTS:
            match = lambda e, rb=rulebook: rb.match_entity(e, as_of=DAY)  # noqa: E731
            assert unowned_results(entities, DAY, test, match) == assess(
                entities, rulebook, DAY, test
            )


@SETTINGS
@given(ENTITY)
def test_the_plan_finds_the_node_the_resolver_finds(data: dict[str, Any]) -> None:
    entity = _entity(data)
    resolver = RB.ownership_index._resolver
    assert _find(resolver, _name_key(entity), _id_keys(entity)) == resolver.find(entity)


def test_flat_ownership_refuses_owners_known_edges_and_shared_nodes() -> None:
    def flat(*names: str, **extra: Any) -> bool:
        return flat_ownership([Entity.from_dict({"name": n, **extra}) for n in names], RB)

    assert flat("Acme Cables Inc.", "Omega Trading")
    assert not flat("Acme Cables Inc.", "ACME CABLES INC")  # one node for both
    assert not flat("Gamma Industrial LLC", country="CY")  # the rulebook knows its owners
    assert flat("Gamma Industrial LLC", country="GR")
    assert not flat("Omega", owners=[{"owner": {"name": "SDN X"}, "share_percent": 10}])


PARTY = st.fixed_dictionaries(
    {
        "role": st.sampled_from(["purchaser", "end_user", "ultimate_consignee", "other"]),
        "entity": ENTITY,
    }
)


@SETTINGS
@given(st.lists(PARTY, min_size=1, max_size=4), st.sampled_from(["CY", "CN", "RU", "DE"]))
def test_every_rule_gives_the_same_findings_with_and_without_the_context(
    parties: list[dict[str, Any]], destination: str
) -> None:
    data = {
        "id": "P",
        "date": DAY.isoformat(),
        "kind": "export",
        "origin": "US",
        "destination": destination,
        "parties": [
            {"role": "exporter", "entity": {"name": "Acme Cables Inc.", "country": "US"}},
            *parties,
        ],
        "items": [{"description": "chips", "eccn": "3A001", "origin": "US"}],
    }
    try:
        t = Transaction.from_dict(data)
    except InvalidInputError:
        assume(False)
        raise
    for rulebook in (RB, EXACT):
        context = EvaluationContext.build(t, rulebook, DAY)
        for rule_id, rule in RULES:
            if rule not in CONTEXT_RULES:
                continue
            assert _run(rule, t, rulebook, context) == _run(rule, t, rulebook, None), rule_id
        for regime in Regime:  # shared facts and subject_to_ear answers change nothing
            shared = regime_check(regime, t, rulebook, DAY, context)
            assert shared == check_regime(regime, t, rulebook, DAY)


def _run(rule: Any, t: Transaction, rulebook: Rulebook, context: EvaluationContext | None) -> Any:
    """The rule's findings, or the type of the error it raised (evaluate fails closed on it)."""
    try:
        return rule(t, rulebook, DAY, context=context)
    except Exception as exc:  # compared, not swallowed
        return type(exc)


FINDING = st.builds(
    Finding,
    rule=st.sampled_from(["ear.entity_list", "ear.country_chart"]),
    authority=st.just("US-BIS"),
    outcome=st.sampled_from(list(Outcome)),
    message=st.text(min_size=1, max_size=20),
    citations=st.lists(st.sampled_from(["15 CFR 744.11", "84 FR 22961"]), max_size=2).map(tuple),
    item_index=st.one_of(st.none(), st.integers(0, 3)),
)


@SETTINGS
@given(
    FINDING,
    st.text(min_size=1, max_size=20),
    st.lists(st.builds(NearMiss, license_id=st.just("L"), failed=st.just(("x",))), max_size=3),
)
def test_trusted_evolve_equals_attrs_evolve(
    finding: Finding, tail: str, near: list[NearMiss]
) -> None:
    changes: dict[str, Any] = {"message": finding.message + tail, "near_misses": tuple(near)}
    assert _trusted_evolve(finding, **changes) == attrs.evolve(finding, **changes)
    authorized: dict[str, Any] = {
        "outcome": Outcome.AUTHORIZED,
        "license_id": "L",
        "near_misses": (),
    }
    assert _trusted_evolve(finding, **authorized) == attrs.evolve(finding, **authorized)


@SETTINGS
@given(FINDING, st.text(min_size=1, max_size=20), st.integers(0, 5))
def test_trusted_reindex_equals_attrs_evolve(finding: Finding, tail: str, index: int) -> None:
    message = finding.message + tail
    out = _trusted_reindex(finding, index, message)
    assert out == attrs.evolve(finding, item_index=index, message=message)


def test_trusted_reindex_copies_every_field() -> None:
    values: dict[str, Any] = {
        "rule": "ear.country_chart",
        "authority": "US-BIS",
        "outcome": Outcome.LICENSE_REQUIRED,
        "message": "m",
        "requirement": Outcome.LICENSE_REQUIRED,
        "review_policy": ReviewPolicy.CASE_BY_CASE,
        "citations": ("15 CFR 738.4",),
        "party_role": "end_user",
        "party_name": "P",
        "item_index": 0,
        "listing_id": "L1",
        "matched_name": "N",
        "license_id": "LIC",
        "near_misses": (NearMiss(license_id="L", failed=("x",)),),
        "cautions": ("c",),
    }
    assert set(values) == {f.name for f in attrs.fields(Finding)}  # a new field: add it here
    out = _trusted_reindex(Finding(**values), 2, "n")
    assert attrs.asdict(out, recurse=False) == {**values, "item_index": 2, "message": "n"}


def test_licences_by_rule_keep_the_rulebook_order() -> None:
    by_rule = RB.plan.licenses_by_rule
    for rule in {r for lic in RB.licenses for r in lic.authorizes}:
        assert by_rule[rule] == tuple(lic for lic in RB.licenses if rule in lic.authorizes)


def test_the_plan_remembers_a_bounded_number_of_values() -> None:
    plan = Plan.build(RB)
    for i in range(MEMO_SIZE + 10):
        assert plan.remember(("k", i), functools.partial(int, i)) == i
    assert plan.remember(("k", MEMO_SIZE + 9), lambda: -1) == MEMO_SIZE + 9  # remembered
    assert plan.remember(("k", 0), lambda: -1) == -1  # the oldest went first
    assert len(plan._memo) <= MEMO_SIZE


def test_nothing_to_assess_needs_the_evaluation_context() -> None:
    t = Transaction.from_dict(
        {
            "id": "N",
            "date": "2023-03-01",
            "parties": [{"role": "end_user", "entity": {"name": "Omega"}}],
        }
    )
    codes = frozenset({"SDN"})
    entities = [p.entity for p in t.parties]
    assert not nothing_to_assess(entities, t, RB, DAY, codes, None)
    context = EvaluationContext.build(t, RB, DAY)
    assert nothing_to_assess(entities, t, RB, DAY, codes, context)
    listed = Transaction.from_dict(
        {
            "id": "L",
            "date": "2023-03-01",
            "parties": [{"role": "end_user", "entity": {"name": "SDN X"}}],
        }
    )
    context = EvaluationContext.build(listed, RB, DAY)
    entities = [p.entity for p in listed.parties]
    assert not nothing_to_assess(entities, listed, RB, DAY, codes, context)


def test_the_decision_lists_the_regimes_in_the_order_the_memo_is_read() -> None:
    # evaluation._regimes reads the context's memo as EAR, OFAC, EU, UK
    assert tuple(r.value for r in Regime) == ("EAR", "OFAC", "EU", "UK")
