"""Hypothesis properties of the ownership rules.

* adding a blocked owner, or raising a blocked owner's share, never makes the outcome less
  restrictive;
* the outcome and findings do not depend on the order of owners or of rulebook edges;
* random ownership graphs with cycles always terminate.
"""

from __future__ import annotations

import datetime
import os
import random
from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tradecontrol import Entity, Listing, Outcome, Rulebook, Transaction, evaluate
from tradecontrol.ownership import OwnershipEdge, OwnershipTest, assess

BLOCKED = ["SDN X", "SDN Y", "SDN Z"]
OTHERS = ["A Co", "B Co", "C Co", "D Co"]
RB = Rulebook.default().with_listings(
    [
        Listing.from_dict(
            {
                "id": f"sdn-{i}",
                "list_code": "SDN",
                "authority": "US-OFAC",
                "entity": {"name": name},
                "versions": [{"window": {"start": "2010-01-01"}}],
            }
        )
        for i, name in enumerate(BLOCKED)
    ]
)
DATES = st.sampled_from(["2013-06-01", "2014-08-13", "2023-01-10"])
SETTINGS = settings(
    max_examples=int(os.environ.get("OWNERSHIP_EXAMPLES", "60")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


def owners_strategy(depth: int) -> st.SearchStrategy[list[dict[str, Any]]]:
    """Up to three owners of at most 33% each (so shares never exceed 100%)."""
    leaf = st.builds(
        lambda name, share, control: {
            "owner": {"name": name},
            "share_percent": share,
            **({"control": True} if control else {}),
        },
        st.sampled_from(BLOCKED + OTHERS),
        st.integers(0, 33),
        st.booleans(),
    )
    if depth == 0:
        owner = leaf
    else:
        owner = st.one_of(
            leaf,
            st.builds(
                lambda name, share, sub: {
                    # an entity stated as its own direct owner is refused (cycles stay)
                    "owner": {
                        "name": name,
                        "owners": [o for o in sub if o["owner"]["name"] != name],
                    },
                    "share_percent": share,
                },
                st.sampled_from(OTHERS),
                st.integers(0, 33),
                owners_strategy(depth - 1),
            ),
        )
    return st.lists(owner, max_size=3, unique_by=lambda o: o["owner"]["name"])


OWNERS = owners_strategy(2)


def deal(date: str, owners: list[dict[str, Any]]) -> Transaction:
    return Transaction.from_dict(
        {
            "id": "P",
            "date": date,
            "kind": "payment",
            "parties": [
                {"role": "exporter", "entity": {"name": "US Bank NA", "country": "US"}},
                {"role": "beneficiary", "entity": {"name": "Target Ltd", "owners": owners}},
            ],
        }
    )


def ofac(date: str, owners: list[dict[str, Any]], rulebook: Rulebook = RB) -> Outcome:
    return evaluate(deal(date, owners), rulebook).outcome


def free(owners: list[dict[str, Any]]) -> int:
    return 100 - sum(int(o["share_percent"]) for o in owners)


@SETTINGS
@given(DATES, OWNERS, st.sampled_from(BLOCKED), st.integers(0, 100), st.booleans())
def test_adding_a_blocked_owner_never_loosens(
    date: str, owners: list[dict[str, Any]], name: str, share: int, control: bool
) -> None:
    owners = [o for o in owners if o["owner"]["name"] != name]
    before = ofac(date, owners)
    added = {"owner": {"name": name}, "share_percent": min(share, free(owners))}
    if control:
        added["control"] = True
    assert ofac(date, [*owners, added]) >= before


@SETTINGS
@given(DATES, OWNERS, st.data())
def test_raising_a_blocked_owners_share_never_loosens(
    date: str, owners: list[dict[str, Any]], data: st.DataObject
) -> None:
    blocked = [i for i, o in enumerate(owners) if o["owner"]["name"] in BLOCKED]
    if not blocked:
        return
    i = data.draw(st.sampled_from(blocked))
    before = ofac(date, owners)
    extra = data.draw(st.integers(0, free(owners)))
    raised = [dict(o) for o in owners]
    raised[i]["share_percent"] = int(raised[i]["share_percent"]) + extra
    assert ofac(date, raised) >= before


def _shuffled(owners: list[dict[str, Any]], rng: random.Random) -> list[dict[str, Any]]:
    out = []
    for own in owners:
        sub = own["owner"].get("owners")
        out.append(
            own
            if sub is None
            else {**own, "owner": {**own["owner"], "owners": _shuffled(sub, rng)}}
        )
    rng.shuffle(out)
    return out


def _summary(t: Transaction, rulebook: Rulebook) -> list[tuple[Any, ...]]:
    d = evaluate(t, rulebook)
    return sorted(
        (f.rule, f.party_name, f.outcome.value, f.message, f.citations, f.cautions)
        for f in d.findings
    )


@SETTINGS
@given(DATES, OWNERS, st.integers(0, 2**32 - 1))
def test_result_does_not_depend_on_owner_order(
    date: str, owners: list[dict[str, Any]], seed: int
) -> None:
    rng = random.Random(seed)
    assert _summary(deal(date, owners), RB) == _summary(deal(date, _shuffled(owners, rng)), RB)


NODES = [*BLOCKED, *OTHERS, "E Co", "F Co", "Target Ltd"]
EDGES = st.lists(
    st.tuples(st.sampled_from(NODES), st.sampled_from(NODES), st.integers(1, 30)),
    max_size=25,
    unique_by=lambda e: (e[0], e[1]),
).map(lambda es: [e for e in es if e[0] != e[1]])


def _edges(raw: list[tuple[str, str, int]]) -> list[OwnershipEdge]:
    totals: dict[str, int] = {}
    out = []
    for owned, owner, share in raw:
        if totals.get(owned, 0) + share > 100:
            continue
        totals[owned] = totals.get(owned, 0) + share
        out.append(
            OwnershipEdge(owned=Entity(name=owned), owner=Entity(name=owner), share_percent=share)
        )
    return out


@SETTINGS
@given(EDGES, st.integers(0, 2**32 - 1))
def test_random_cyclic_graphs_terminate_and_edge_order_does_not_matter(
    raw: list[tuple[str, str, int]], seed: int
) -> None:
    edges = _edges(raw)
    shuffled = list(edges)
    random.Random(seed).shuffle(shuffled)
    test = OwnershipTest(list_codes=frozenset({"SDN"}), threshold=Decimal(50))
    entities = [Entity(name=n) for n in NODES]
    day = datetime.date(2023, 1, 10)
    one = assess(entities, RB.with_ownership(edges), day, test)
    two = assess(entities, RB.with_ownership(shuffled), day, test)
    assert [(r.blocked, r.share, r.paths) for r in one] == [
        (r.blocked, r.share, r.paths) for r in two
    ]
    for r in one:  # blocked exactly when listed or owned 50% or more by blocked owners
        assert r.blocked == bool(r.listed or r.share >= 50)
