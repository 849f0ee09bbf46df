"""The CLI's own cost per line, beside a baseline revision's, same run (alternating).

``tradecontrol evaluate --format json --jobs 1`` runs in a child process whose ``evaluate``
is replaced by a look-up of Decisions computed beforehand in that process, so the CPU time
measured (from the moment the rulebook is loaded to the end) is what the CLI adds to
deciding: reading the lines, parsing the JSON, building each ``Transaction``, the
Decision's canonical JSON and writing it. A third figure, ``evaluate`` alone on the same
transactions (objects built, best of three), puts it in proportion.

The input is ``--count`` generated transactions (``_common.transactions``, 5 % listed
names) against the CSL 2022 + UN + OFAC 2021 rulebook with exact matching
(``Thresholds(fuzzy=False)``), as in ``throughput.py``; each revision runs ``--repeat``
times, alternating, and the best run of each is shown.

Usage::

    python benchmarks/cli_overhead.py --baseline-rev 5fc1951 [--count 2000] [--repeat 3]
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _common as c
from throughput import EXACT, export_revision, run_child

CHILD = r"""
import json, os, sys, time
import tradecontrol.cli as cli
from tradecontrol import Rulebook, Transaction
rulebook = Rulebook.load(sys.argv[-2])
decided = {}
with open(sys.argv[-1], "rb") as lines:
    for line in lines:
        transaction = Transaction.from_dict(json.loads(line))
        decided[transaction.id] = cli.evaluate(transaction, rulebook)
cli._rulebook = lambda *args, **kwargs: rulebook
cli.evaluate = lambda transaction, rulebook, **kwargs: decided[transaction.id]
sys.stdout = open(os.devnull, "w")
start = time.process_time()
cli.main(sys.argv[1:])
sys.stdout.flush()
print((time.process_time() - start) / len(decided), file=sys.stderr)
"""


def overhead(src: Path, rulebook: Path, jsonl: Path) -> float:
    """CPU seconds per line the CLI of ``src`` spends besides ``evaluate``."""
    args = ["evaluate", "--format", "json", "--rulebook", str(rulebook), str(jsonl)]
    done = subprocess.run(
        [sys.executable, "-c", CHILD, *args],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(src)},
        check=True,
    )
    return float(done.stderr.strip().splitlines()[-1])


def main() -> None:
    parser = c.base_parser(__doc__)
    parser.add_argument("--baseline-rev", default="5fc1951", help="revision to compare with")
    parser.add_argument("--count", type=int, default=2000, help="transactions (default 2000)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each revision")
    args = parser.parse_args()

    from tradecontrol import Rulebook
    from tradecontrol.screening.thresholds import Thresholds

    full = c.rulebook_file()
    work = Path(tempfile.mkdtemp(prefix="tc-cli-overhead-"))
    rulebook = work / "exact.json.gz"
    base_rulebook = Rulebook.load(full)
    base_rulebook.with_thresholds(Thresholds(**EXACT)).save(rulebook)
    jsonl = c.write_jsonl(
        work / "tx.jsonl", args.count, c.listed_names(list(base_rulebook.listings))
    )
    base_src = export_revision(args.baseline_rev, work / "base")
    ours_src = c.ROOT / "src"
    ours: list[float] = []
    theirs: list[float] = []
    for _ in range(args.repeat):
        ours.append(overhead(ours_src, rulebook, jsonl))
        theirs.append(overhead(base_src, rulebook, jsonl))
    alone = run_child(ours_src, rulebook, jsonl)
    evaluate_us = alone["cpu"] / alone["n"] * 1e6
    best, base = min(ours) * 1e6, min(theirs) * 1e6
    print(
        f"{args.count:,} transactions, CSL 2022 + UN + OFAC 2021 rulebook, exact; "
        f"best of {args.repeat} runs each"
    )
    rows = [
        ("CLI own cost per line (us)", f"{best:,.1f}", f"{base:,.1f}", f"{base / best:.2f}x"),
        (
            "  every run (us)",
            " ".join(f"{x * 1e6:.0f}" for x in ours),
            " ".join(f"{x * 1e6:.0f}" for x in theirs),
            "",
        ),
        (
            "  as a share of evaluate alone",
            f"{best / evaluate_us:.2f}",
            f"{base / evaluate_us:.2f}",
            "",
        ),
        ("evaluate alone, objects built (us)", f"{evaluate_us:,.1f}", "", ""),
    ]
    print(c.table(rows, ("measurement", "ours", f"rev {args.baseline_rev}", "ours faster")))


if __name__ == "__main__":
    main()
