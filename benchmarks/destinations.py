"""Benchmark: destination look-ups and their cost inside ``evaluate``.

Prints, measured in the same run:

1. Country Chart and Country Group look-ups per second through the rulebook's indexes
   (``Rulebook.chart_reasons``, ``Rulebook.in_country_group``) beside a straightforward
   baseline that scans the eCFR-derived JSON (``../shared/data/ear``) for the row by name on
   every query, as a caller without the index would.
2. ``evaluate`` calls per second on a mix of transactions with every rule, beside the same
   transactions with the destination rules (``ear.country_chart``, ``ear.embargo``,
   ``ofac.comprehensive``) taken out of ``RULES`` — the cost the destination rules add.

Usage::

    python benchmarks/destinations.py [--shared ../shared] [--n 20000]
"""

from __future__ import annotations

import argparse
import datetime
import json
import time
from pathlib import Path
from typing import Any

import tradecontrol.evaluation as ev
from tradecontrol import Rulebook, Transaction, evaluate

ROOT = Path(__file__).resolve().parents[1]
DESTINATION_RULES = {"ear.country_chart", "ear.embargo", "ofac.comprehensive"}
QUERIES = [("China", "CN"), ("Russia", "RU"), ("Germany", "DE"), ("Canada", "CA")]


def _rate(fn: Any, n: int) -> float:
    start = time.perf_counter()
    for i in range(n):
        fn(i)
    return n / (time.perf_counter() - start)


def lookups(shared: Path, n: int) -> None:
    rb = Rulebook.default()
    day = datetime.date(2024, 5, 1)
    chart = json.loads((shared / "data/ear/country-chart.json").read_text(encoding="utf-8"))
    groups = json.loads((shared / "data/ear/country-groups.json").read_text(encoding="utf-8"))

    def naive_chart(i: int) -> tuple[str, ...]:
        name = QUERIES[i % len(QUERIES)][0]
        row = next(r for k, r in chart["countries"].items() if k == name)
        return tuple(m for m in row["marks"] if m.replace(" ", "") in ("NS2", "RS2", "AT1"))

    def ours_chart(i: int) -> tuple[str, ...]:
        return rb.chart_reasons(QUERIES[i % len(QUERIES)][1], ("NS2", "RS2", "AT1"), day)

    def naive_group(i: int) -> bool:
        name = QUERIES[i % len(QUERIES)][0]
        return name in groups["groups"]["D:1"]

    def ours_group(i: int) -> bool:
        return rb.in_country_group(QUERIES[i % len(QUERIES)][1], "D:1", day)

    print(
        f"chart_reasons      ours {_rate(ours_chart, n):>12,.0f}/s   "
        f"baseline (scan JSON rows by name) {_rate(naive_chart, n):>12,.0f}/s"
    )
    print(
        f"in_country_group   ours {_rate(ours_group, n):>12,.0f}/s   "
        f"baseline (list membership test)   {_rate(naive_group, n):>12,.0f}/s"
    )


SANCTIONED = [
    ("CN", "3A001"), ("DE", "EAR99"), ("UA-43", "EAR99"), ("RU", "2A991"),
    ("IR", "EAR99"), ("SY", "EAR99"), ("CA", "3A001"), ("KP", "5A992.c"),
]  # fmt: skip
ORDINARY = [
    ("CN", "3A001"), ("DE", "EAR99"), ("CA", "3A001"), ("GB", "5A992.c"),
    ("JP", "EAR99"), ("BR", "2A991"), ("IN", "3A001"), ("MX", "EAR99"),
]  # fmt: skip


def _mix(pairs: list[tuple[str, str]]) -> list[Transaction]:
    base: dict[str, Any] = {
        "date": "2024-05-01",
        "kind": "export",
        "origin": "US",
        "parties": [{"role": "exporter", "entity": {"name": "Acme Inc.", "country": "US"}}],
    }
    out = []
    for i, (dest, eccn) in enumerate(pairs):
        out.append(
            Transaction.from_dict(
                {
                    **base,
                    "id": f"B-{i}",
                    "destination": dest,
                    "parties": [
                        *base["parties"],
                        {
                            "role": "ultimate_consignee",
                            "entity": {"name": f"Consignee {i}", "country": dest},
                        },
                    ],
                    "items": [{"description": "item", "eccn": eccn, "origin": "US"}],
                }
            )
        )
    return out


def evaluations(n: int, label: str, pairs: list[tuple[str, str]]) -> None:
    rb = Rulebook.default()
    mix = _mix(pairs)
    full = ev.RULES  # type: ignore[attr-defined]
    without = tuple((rid, fn) for rid, fn in full if rid not in DESTINATION_RULES)

    def run(i: int) -> None:
        evaluate(mix[i % len(mix)], rb)

    try:
        ev.RULES = without  # type: ignore[attr-defined]
        baseline = _rate(run, n)
        ev.RULES = full  # type: ignore[attr-defined]
        ours = _rate(run, n)
    finally:
        ev.RULES = full  # type: ignore[attr-defined]
    print(
        f"evaluate {label:<9} ours {ours:>12,.0f}/s   "
        f"baseline (without destination rules) {baseline:>9,.0f}/s   "
        f"ratio {baseline / ours:.2f}x"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--n", type=int, default=20000)
    args = parser.parse_args()
    lookups(args.shared, args.n * 10)
    evaluations(args.n, "embargo", SANCTIONED)
    evaluations(args.n, "ordinary", ORDINARY)


if __name__ == "__main__":
    main()
