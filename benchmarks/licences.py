"""Benchmark: specific-licence drawdown and the denial-order / telecom rules inside ``evaluate``.

Prints, measured in the same run:

1. ``evaluate`` calls per second on a shipment authorized by a specific licence with a value
   and quantity limit, with prior ``usage`` passed (drawdown computed and reported), beside
   the same call without ``usage`` (the licence's stored usage, same checks) and beside the
   same shipment with no licence held (no licence check at all).
2. ``evaluate`` calls per second on a mix of exports, imports and procurement actions with
   every rule, beside the same mix with this branch's rules (``ear.denied_persons``,
   ``us.fcc_covered_list``, ``us.fcc_equipment_authorization``, ``us.ndaa_889``,
   ``us.icts_eo13873``) taken out of ``RULES`` — the cost they add.

Each figure is the best of three interleaved rounds, so a loaded machine affects ours and
the baselines alike.

Usage::

    python benchmarks/licences.py [--n 20000]
"""

from __future__ import annotations

import argparse
import time
from typing import Any

import tradecontrol.evaluation as ev
from tradecontrol import License, LicenseUsage, Rulebook, Transaction, evaluate

NEW_RULES = {
    "ear.denied_persons",
    "us.fcc_covered_list",
    "us.fcc_equipment_authorization",
    "us.ndaa_889",
    "us.icts_eo13873",
}


def _rate(fn: Any, n: int) -> float:
    start = time.perf_counter()
    for i in range(n):
        fn(i)
    return n / (time.perf_counter() - start)


def _best(fns: list[Any], n: int, rounds: int = 3) -> list[float]:
    """Best rate of each function over ``rounds`` interleaved rounds (load evens out)."""
    best = [0.0] * len(fns)
    for _ in range(rounds):
        for k, fn in enumerate(fns):
            best[k] = max(best[k], _rate(fn, n // rounds))
    return best


LICENCE = License.from_dict(
    {
        "id": "D123456",
        "kind": "specific",
        "issuer": "US-BIS",
        "title": "BIS licence D123456",
        "authorizes": ["ear.entity_list", "ear.country_chart"],
        "versions": [
            {
                "window": {"start": "2023-01-01", "end": "2026-12-31"},
                "value_limit": "100000",
                "currency": "USD",
                "quantity_limit": 100,
                "conditions": [{"test": "eccn_in", "values": ["3D001"], "label": "ECCN 3D001"}],
            }
        ],
    }
)


def _shipment(held: bool) -> Transaction:
    return Transaction.from_dict(
        {
            "id": "WC-41-b",
            "date": "2024-06-01",
            "origin": "US",
            "destination": "HK",
            "parties": [
                {
                    "role": "ultimate_consignee",
                    "entity": {"name": "Huawei International Co., Limited"},
                }
            ],
            "items": [
                {
                    "eccn": "3D001",
                    "reasons_for_control": ["NS1"],
                    "value": "5000",
                    "currency": "USD",
                    "quantity": 2,
                    "origin": "US",
                }
            ],
            "licenses": ["D123456"] if held else [],
        }
    )


def drawdown(n: int) -> None:
    rb = Rulebook.default().with_licenses([LICENCE])
    held, not_held = _shipment(True), _shipment(False)
    usage = {"D123456": LicenseUsage(value="90000", quantity=10)}
    assert evaluate(held, rb, usage=usage).drawdowns

    with_usage, stored, no_licence = _best(
        [
            lambda i: evaluate(held, rb, usage=usage),
            lambda i: evaluate(held, rb),
            lambda i: evaluate(not_held, rb),
        ],
        n,
    )
    print(
        f"evaluate, licence + usage  ours {with_usage:>9,.0f}/s   "
        f"baseline without usage {stored:>9,.0f}/s   "
        f"baseline no licence held {no_licence:>9,.0f}/s   "
        f"ratio {no_licence / with_usage:.2f}x"
    )


def _mix() -> list[Transaction]:
    exporter = {"role": "exporter", "entity": {"name": "Acme Inc.", "country": "US"}}
    out = []
    for i, (date, name) in enumerate(
        [("2018-05-01", "ZTE Corporation"), ("2024-05-01", "Shenzhen Sensor Co."),
         ("2016-04-15", "Beijing 8-Star International Co."), ("2024-05-01", "Acme GmbH")]
    ):  # fmt: skip
        out.append(
            Transaction.from_dict(
                {
                    "id": f"E-{i}",
                    "date": date,
                    "origin": "US",
                    "destination": "CN",
                    "parties": [
                        exporter,
                        {"role": "ultimate_consignee", "entity": {"name": name, "country": "CN"}},
                    ],
                    "items": [{"description": "modules", "eccn": "EAR99", "origin": "US"}],
                }
            )
        )
    for i, (kind, producer, facts) in enumerate(
        [("import", "ZTE Corporation", {"usf_funded": True}),
         ("import", "Nokia Solutions and Networks Oy", {}),
         ("procurement", "Huawei Technologies Co., Ltd.", {"used_by_contractor": True}),
         ("procurement", "Hikvision", {"furnished_to_government": True})]
    ):  # fmt: skip
        out.append(
            Transaction.from_dict(
                {
                    "id": f"I-{i}",
                    "date": "2023-03-01",
                    "kind": kind,
                    "items": [{"description": "equipment", "producer": producer}],
                    "facts": facts,
                }
            )
        )
    return out


def rules(n: int) -> None:
    rb = Rulebook.default()
    mix = _mix()
    full = ev.RULES  # type: ignore[attr-defined]
    without = tuple((rid, fn) for rid, fn in full if rid not in NEW_RULES)

    def run(i: int) -> None:
        evaluate(mix[i % len(mix)], rb)

    def run_without(i: int) -> None:
        ev.RULES = without  # type: ignore[attr-defined]
        try:
            evaluate(mix[i % len(mix)], rb)
        finally:
            ev.RULES = full  # type: ignore[attr-defined]

    ours, baseline = _best([run, run_without], n)
    print(
        f"evaluate, mixed kinds      ours {ours:>9,.0f}/s   "
        f"baseline (without the denial-order and telecom rules) {baseline:>9,.0f}/s   "
        f"ratio {baseline / ours:.2f}x"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--n", type=int, default=20000)
    args = parser.parse_args()
    drawdown(args.n)
    rules(args.n)


if __name__ == "__main__":
    main()
