"""``evaluate`` per CPU-second with the bundled rulebook, beside a baseline revision, same run.

Each mode runs in child processes, alternating baseline and current code (the baseline is a
``git archive`` of ``src/`` at ``--baseline-rev``), so both see the same machine load:

  exact   ``Rulebook.default().with_thresholds(Thresholds(fuzzy=False))``
  fuzzy   ``Rulebook.default()`` (screening on, default thresholds)

The transactions are ``examples/huawei-2019.jsonl`` plus ``--count`` generated ones
(``_common.transactions``, listed names taken from the rulebook's listings, 20 % listed
share so the list rules fire). ``--rulebook big`` uses the CSL 2022 + UN + OFAC 2021
rulebook (``_common.rulebook_file``, cached under ``/tmp/tradecontrol-bench``) instead of
the bundled one. ``--check`` also writes every Decision as canonical
JSON (``json.dumps(decision.to_dict(), sort_keys=True)``) from both revisions and fails
unless they are byte-identical.

Usage::

    python benchmarks/eval_speed.py --baseline-rev a9fc639 [--count 3000] [--check]
    python benchmarks/eval_speed.py --baseline-rev f7bc5ce --rulebook big --check
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _common as c
from throughput import export_revision

CHILD = r"""
import json, sys, time
sys.path.insert(0, sys.argv[5])
import _common as c
from tradecontrol import Rulebook, Transaction, evaluate
from tradecontrol.screening.thresholds import Thresholds
mode, count, out, examples = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
rb = Rulebook.default() if sys.argv[6] == "-" else Rulebook.load(sys.argv[6])
if mode == "exact":
    rb = rb.with_thresholds(Thresholds(fuzzy=False))
names = sorted({l.entity.name for l in rb.listings})
raw = [json.loads(x) for x in open(examples, encoding="utf-8") if x.strip()]
raw += list(c.transactions(count, names, seed=11, listed_share=0.2))
txs = [Transaction.from_dict(r) for r in raw]
for t in txs[:100]:
    evaluate(t, rb)
best = None
for _ in range(3):
    cpu = time.process_time()
    decisions = [evaluate(t, rb) for t in txs]
    spent = time.process_time() - cpu
    best = spent if best is None or spent < best else best
if out != "-":
    with open(out, "w", encoding="utf-8") as f:
        for d in decisions:
            f.write(json.dumps(d.to_dict(), sort_keys=True) + "\n")
print(json.dumps({"n": len(txs), "cpu": best}))
"""


def run(src: Path, mode: str, count: int, out: str, rulebook: str = "-") -> dict[str, Any]:
    """Run the child under ``src``; return ``{"n": transactions, "cpu": best CPU seconds}``.

    ``rulebook``: a saved rulebook file, or ``-`` for the bundled one.
    """
    env = {**os.environ, "PYTHONPATH": str(src)}
    examples = c.ROOT / "examples" / "huawei-2019.jsonl"
    here = str(Path(__file__).resolve().parent)
    args = [mode, str(count), out, str(examples), here, rulebook]
    done = subprocess.run(
        [sys.executable, "-c", CHILD, *args], check=True, capture_output=True, text=True, env=env
    )
    result: dict[str, Any] = json.loads(done.stdout.splitlines()[-1])
    return result


def main() -> int:
    parser = c.base_parser(__doc__)
    parser.add_argument("--baseline-rev", default="a9fc639")
    parser.add_argument("--count", type=int, default=3000)
    parser.add_argument("--modes", default="exact,fuzzy")
    parser.add_argument("--check", action="store_true", help="compare Decisions byte for byte")
    parser.add_argument(
        "--rulebook",
        choices=("bundled", "big"),
        default="bundled",
        help="bundled (default) or big: the CSL 2022 + UN + OFAC 2021 rulebook",
    )
    args = parser.parse_args()
    rulebook = str(c.rulebook_file()) if args.rulebook == "big" else "-"
    rows: list[tuple[str, ...]] = []
    failed = False
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        base_src = export_revision(args.baseline_rev, work / "base")
        ours_src = c.ROOT / "src"
        for mode in args.modes.split(","):
            outs = {k: str(work / f"{mode}-{k}.jsonl") if args.check else "-" for k in "bo"}
            base = run(base_src, mode, args.count, outs["b"], rulebook)
            ours = run(ours_src, mode, args.count, outs["o"], rulebook)
            rate_b, rate_o = base["n"] / base["cpu"], ours["n"] / ours["cpu"]
            same = "-"
            if args.check:
                digest = [hashlib.sha256(Path(outs[k]).read_bytes()).hexdigest() for k in "bo"]
                same = "yes" if digest[0] == digest[1] else "NO"
                failed |= digest[0] != digest[1]
            rows.append(
                (
                    mode,
                    str(ours["n"]),
                    f"{rate_o:,.0f}",
                    f"{rate_b:,.0f}",
                    f"{rate_o / rate_b:.2f}x",
                    same,
                )
            )
    header = ("mode", "transactions", "tx/CPU-s", f"baseline {args.baseline_rev}", "ratio", "same")
    print(f"rulebook: {args.rulebook} ({'bundled' if rulebook == '-' else rulebook})")
    print(c.table(rows, header))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
