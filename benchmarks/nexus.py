"""Benchmark: what the regime checks, de minimis and the direct product rules cost.

Prints, measured in the same run (ratios survive a loaded machine):

1. ``evaluate`` calls per second on foreign-made items (de minimis, direct product) and a
   U.S.-origin shipment, with the regime checks, beside the same calls with the regime
   step of ``evaluate`` switched off (``Decision.regimes`` left empty; every rule still
   runs, including those that ask :func:`~tradecontrol.nexus.check_regime` themselves):
   the cost of listing the regimes.
2. ``subject_to_ear`` answers per second for a foreign-made item (de minimis and both direct
   product rules) beside a U.S.-origin item (the bright-line answer): the cost of deciding a
   foreign-made item.

Usage::

    python benchmarks/nexus.py [--n 300]
"""

from __future__ import annotations

import argparse
import time
from typing import Any

import tradecontrol.evaluation as ev
from tradecontrol import Rulebook, Transaction, evaluate
from tradecontrol.rules.subject_to_ear import subject_to_ear

HUAWEI = "Huawei Technologies Co., Ltd."


def _transactions() -> list[Transaction]:
    router = {"description": "router", "origin": "TW", "us_content_percent": "30"}
    chip = {
        "description": "chip",
        "eccn": "3A991.a",
        "origin": "TW",
        "us_content_percent": "0",
        "direct_product": {"plant_of": ["3E001"], "incorporated_for": HUAWEI},
    }
    return [
        Transaction.from_dict(
            {
                "id": "B-de-minimis",
                "date": "2019-07-01",
                "kind": "reexport",
                "origin": "TW",
                "destination": "CN",
                "parties": [
                    {"role": "exporter", "entity": {"name": "TaiNet", "country": "TW"}},
                    {"role": "ultimate_consignee", "entity": {"name": HUAWEI, "country": "CN"}},
                ],
                "items": [router | {"direct_product": {}}] * 5,
            }
        ),
        Transaction.from_dict(
            {
                "id": "B-direct-product",
                "date": "2020-09-20",
                "kind": "reexport",
                "origin": "TW",
                "destination": "KR",
                "parties": [
                    {"role": "exporter", "entity": {"name": "FabCo", "country": "TW"}},
                    {"role": "ultimate_consignee", "entity": {"name": "Module Maker"}},
                ],
                "items": [chip] * 5,
            }
        ),
        Transaction.from_dict(
            {
                "id": "B-us-origin",
                "date": "2019-06-10",
                "origin": "US",
                "destination": "CN",
                "parties": [{"role": "ultimate_consignee", "entity": {"name": "Lotus Trading"}}],
                "items": [{"description": "cable", "eccn": "EAR99", "origin": "US"}] * 5,
            }
        ),
    ]


def _rate(fn: Any, n: int) -> float:
    start = time.perf_counter()
    for i in range(n):
        fn(i)
    return n / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=300, help="rounds over the transactions")
    n = parser.parse_args().n
    rb = Rulebook.default()
    txs = _transactions()
    regimes_step = ev._regimes

    def with_regimes(i: int) -> None:
        evaluate(txs[i % len(txs)], rb)

    def without_regimes(i: int) -> None:
        ev._regimes = lambda *_: ()
        try:
            evaluate(txs[i % len(txs)], rb)
        finally:
            ev._regimes = regimes_step

    base = _rate(without_regimes, n * len(txs))
    ours = _rate(with_regimes, n * len(txs))
    base2 = _rate(without_regimes, n * len(txs))
    print(
        f"evaluate, 5 items each: {ours:8.0f}/s with regime checks; baseline without them "
        f"{base:8.0f}/s and {base2:8.0f}/s (ratio {ours / ((base + base2) / 2):.2f})"
    )
    foreign, us = txs[1], txs[2]
    day = foreign.date

    def foreign_item(i: int) -> None:
        subject_to_ear(foreign, foreign.items[0], rb, day)

    def us_item(i: int) -> None:
        subject_to_ear(us, us.items[0], rb, day)

    ours = _rate(foreign_item, n * 20)
    base = _rate(us_item, n * 20)
    print(
        f"subject_to_ear: {ours:8.0f}/s for a foreign-made item (de minimis + direct product "
        f"rules); baseline U.S.-origin item {base:8.0f}/s (ratio {ours / base:.3f})"
    )


if __name__ == "__main__":
    main()
