"""Time per transaction against 1k, 10k, 30k and 100k listings (synthetic growth of real lists).

The listings are the real CSL 2022 + UN + OFAC SDN 2021 entries (about 24,000); beyond
that, copies with a varied name and a new id are added ("ACME TRADING" -> "ACME TRADING
7"), so the index grows as a bigger list would. For each size the same generated
transactions are decided; CPU time per transaction is printed beside the baseline of the
same run: a straightforward scan that compares each party's normalised name with every
listed name (what a rulebook without an index would do), which grows linearly.

Usage::

    python benchmarks/scaling.py [--count 2000] [--scan-count 30]
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

import attrs

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _common as c

SIZES = (1_000, 10_000, 30_000, 100_000)


def grown(listings: list[Any], size: int) -> list[Any]:
    """``size`` listings: the real ones first, then renamed copies of them."""
    out = listings[:size]
    copy = 0
    while len(out) < size:
        base = listings[copy % len(listings)]
        n = copy // len(listings) + 2
        entity = attrs.evolve(base.entity, name=f"{base.entity.name} {n}", aliases=())
        out.append(attrs.evolve(base, id=f"{base.id}-copy{n}", entity=entity))
        copy += 1
    return out


def main() -> None:
    parser = c.base_parser(__doc__)
    parser.add_argument("--count", type=int, default=2000, help="transactions per size")
    parser.add_argument("--scan-count", type=int, default=30, help="transactions for the scan")
    args = parser.parse_args()

    from tradecontrol import Rulebook, Transaction, evaluate
    from tradecontrol.screening.normalize import normalize_name

    real = list(Rulebook.load(c.rulebook_file()).listings)
    names = c.listed_names(real)
    data = list(c.transactions(args.count, names))
    txs = [Transaction.from_dict(d) for d in data]
    bundled = {x.id for x in Rulebook.default().listings}
    real = [x for x in real if x.id not in bundled]
    rows = []
    first: tuple[float, float] | None = None
    for size in SIZES:
        rulebook = Rulebook.default().with_listings(grown(real, size))
        normalize_name.cache_clear()
        start = time.process_time()
        for t in txs:
            evaluate(t, rulebook)
        ours = (time.process_time() - start) / len(txs)
        # baseline: compare with every listed name (normalised once, outside the timing)
        listed = [normalize_name(n) for x in rulebook.listings for n in x.entity.names]
        start = time.process_time()
        for t in txs[: args.scan_count]:
            for p in t.parties:
                key = normalize_name(p.entity.name)
                _ = [n for n in listed if n == key]
        scan = (time.process_time() - start) / args.scan_count
        if first is None:
            first = (ours, scan)
        rows.append(
            (
                f"{len(rulebook.listings):,}",
                f"{ours * 1e6:,.1f}",
                f"{ours / first[0]:.2f}x",
                f"{scan * 1e6:,.0f}",
                f"{scan / first[1]:.1f}x",
                f"{len(rulebook.listings) / SIZES[0]:.0f}x",
            )
        )
        print(f"  {size:,} listings done", file=sys.stderr)
    print(f"{args.count:,} transactions per size; CPU microseconds per transaction")
    print(
        c.table(
            rows,
            ("listings", "evaluate us/tx", "growth", "scan us/tx", "growth", "list growth"),
        )
    )


if __name__ == "__main__":
    main()
