"""Benchmark: the ownership rules on random ownership graphs, beside a whole-graph pass.

Builds random ownership graphs of 1,000, 10,000 and 100,000 entities (most are ultimate
owners with no owners of their own; companies have one to three owners drawn from the
whole graph, so cycles and diamonds occur), lists a few percent of them on the SDN List,
loads the edges into a rulebook (:meth:`tradecontrol.Rulebook.with_ownership`) and then
evaluates payment transactions to random companies. For each size it prints:

* the time to build the rulebook's ownership index (once per rulebook);
* ``evaluate`` time per transaction (all rules: OFAC, EU, UK, BIS affiliates…) and the
  ownership part alone (``tradecontrol.ownership.assess`` with the OFAC test), with the
  mean number of entities reachable upwards from the party;
* the baseline, measured in the same run: a naive whole-graph pass per transaction (a
  fixed-point iteration of the 50% test over every entity and edge, plain dictionaries).

Ours should stay flat as the graph grows (it follows the reachable part); the baseline
grows with the whole graph.

Usage::

    python benchmarks/ownership.py [--sizes 1000 10000 100000] [--listed 0.03] [--tx 200]
"""

from __future__ import annotations

import argparse
import datetime
import random
import time
from decimal import Decimal

from tradecontrol import Entity, Listing, ListingVersion, Rulebook, Transaction, Window, evaluate
from tradecontrol.ownership import OwnershipEdge, OwnershipTest, assess, ownership_graph

DAY = datetime.date(2023, 1, 10)


def graph(
    n: int, listed_share: float, seed: int
) -> tuple[list[Entity], list[tuple[int, int, int]], set[int]]:
    """Entities, edges (owned, owner, percent) and the listed node numbers."""
    rng = random.Random(seed)
    entities = [Entity(name=f"Entity {i:06d}", country="CY") for i in range(n)]
    companies = [i for i in range(n) if rng.random() < 0.3]
    edges: list[tuple[int, int, int]] = []
    for owned in companies:
        k = rng.choice((1, 2, 2, 3))
        owners = {rng.randrange(n) for _ in range(k)} - {owned}
        left = 100
        for owner in owners:
            share = rng.randint(1, left) if left > 0 else 0
            left -= share
            edges.append((owned, owner, share))
    listed = set(rng.sample(range(n), max(1, int(n * listed_share))))
    return entities, edges, listed


def rulebook(
    entities: list[Entity], edges: list[tuple[int, int, int]], listed: set[int]
) -> tuple[Rulebook, float]:
    window = Window(start="2010-01-01")
    listings = [
        Listing(
            id=f"sdn-{i}",
            list_code="SDN",
            authority="US-OFAC",
            entity=entities[i],
            versions=[ListingVersion(window=window)],
        )
        for i in sorted(listed)
    ]
    objects = [
        OwnershipEdge(owned=entities[a], owner=entities[b], share_percent=Decimal(s))
        for a, b, s in edges
    ]
    base = Rulebook.default().with_listings(listings)
    start = time.perf_counter()
    rb = base.with_ownership(objects)
    return rb, time.perf_counter() - start


def naive_blocked(n: int, edges: list[tuple[int, int, int]], listed: set[int]) -> set[int]:
    """Baseline: iterate the 50% test over the whole graph until nothing changes."""
    blocked = set(listed)
    changed = True
    while changed:
        changed = False
        share = [0] * n
        for owned, owner, pct in edges:
            if owner in blocked:
                share[owned] += pct
        for i in range(n):
            if i not in blocked and share[i] >= 50:
                blocked.add(i)
                changed = True
    return blocked


def deal(name: str) -> Transaction:
    return Transaction.from_dict(
        {
            "id": "B",
            "date": DAY.isoformat(),
            "kind": "payment",
            "origin": "US",
            "parties": [
                {"role": "exporter", "entity": {"name": "US Bank NA", "country": "US"}},
                {"role": "beneficiary", "entity": {"name": name, "country": "CY"}},
            ],
        }
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--listed", type=float, default=0.03, help="share of entities listed")
    parser.add_argument("--tx", type=int, default=200, help="transactions per size")
    parser.add_argument("--seed", type=int, default=5)
    args = parser.parse_args()
    test = OwnershipTest(list_codes=frozenset({"SDN"}), threshold=Decimal(50))
    print(
        f"{'entities':>9} {'edges':>7} {'listed':>6} {'index s':>8} {'reach':>6} "
        f"{'evaluate us/tx':>15} {'assess us/tx':>13} {'naive us/tx':>12} {'naive/assess':>12}"
    )
    for n in args.sizes:
        entities, edges, listed = graph(n, args.listed, args.seed)
        rb, index_s = rulebook(entities, edges, listed)
        rng = random.Random(args.seed + n)
        owned_nodes = sorted({a for a, _, _ in edges})
        targets = [rng.choice(owned_nodes) for _ in range(args.tx)]
        deals = [deal(entities[i].name) for i in targets]
        start = time.perf_counter()
        blocked_ours = 0
        for t in deals:
            blocked_ours += evaluate(t, rb).outcome.value == "prohibited"
        eval_us = (time.perf_counter() - start) / len(deals) * 1e6
        start = time.perf_counter()
        results = [assess([entities[i]], rb, DAY, test)[0] for i in targets]
        assess_us = (time.perf_counter() - start) / len(targets) * 1e6
        reach = sum(len(ownership_graph([entities[i]], rb)[1]) for i in targets) / len(targets)
        naive_runs = max(3, min(args.tx, 2_000_000 // max(1, len(edges) + n)))
        start = time.perf_counter()
        for i in targets[:naive_runs]:
            naive = naive_blocked(n, edges, listed)
            _ = i in naive
        naive_us = (time.perf_counter() - start) / naive_runs * 1e6
        naive = naive_blocked(n, edges, listed)
        agree = all(r.blocked == (i in naive) for r, i in zip(results, targets, strict=True))
        print(
            f"{n:>9} {len(edges):>7} {len(listed):>6} {index_s:>8.2f} {reach:>6.1f} "
            f"{eval_us:>15.0f} {assess_us:>13.0f} {naive_us:>12.0f} "
            f"{naive_us / assess_us:>11.1f}x" + ("" if agree else "  (RESULTS DIFFER)")
        )


if __name__ == "__main__":
    main()
