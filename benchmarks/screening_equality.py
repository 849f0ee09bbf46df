"""Check: screening gives the same matches as a baseline revision on the speed benchmark's names.

Screens the 10,000 query names of ``screening_speed.py`` (same seed, same UN + CSL 2022
rulebook) with the code under ``src/`` and with ``src/`` of ``--baseline-rev`` (a ``git
archive``, no checkout), each in its own process, and compares every match of every
query: listing id, exact score (``repr`` of the float), status, matched name, query name,
normalised forms and every feature (name, effect, detail). Prints the CPU time of each
side (screening only, after the index is built) and exits 1 on any difference.

Usage::

    python benchmarks/screening_equality.py --baseline-rev 5fc1951 [--queries 10000]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from throughput import export_revision

ROOT = Path(__file__).resolve().parents[1]

CHILD = r"""
import json, sys, time
from pathlib import Path
sys.path.insert(0, sys.argv[1])
import screening_speed as s
from tradecontrol import Entity, screen
rb = s.load(Path(sys.argv[2]))
qs = s.queries(rb, int(sys.argv[3]), 7)
rb.candidate_index
cpu = time.process_time()
found = [screen(Entity(name=name), rb) for name, _ in qs]
spent = time.process_time() - cpu
with open(sys.argv[4], "w", encoding="utf-8") as out:
    for (name, _), matches in zip(qs, found):
        rows = [
            [m.listing.id, repr(m.score), m.status, m.matched_name, m.query_name,
             m.explanation.query_form, m.explanation.listed_form,
             [[f.name, repr(f.effect), f.detail] for f in m.explanation.features]]
            for m in matches
        ]
        out.write(json.dumps([name, rows], ensure_ascii=False) + "\n")
print(json.dumps({"n": len(qs), "cpu": spent}))
"""


def run(src: Path, shared: Path, n: int, out: Path) -> dict[str, Any]:
    """Screen the queries with the code under ``src``; write one JSON line per query."""
    env = {**os.environ, "PYTHONPATH": str(src)}
    here = str(Path(__file__).resolve().parent)
    done = subprocess.run(
        [sys.executable, "-c", CHILD, here, str(shared), str(n), str(out)],
        check=True,
        capture_output=True,
        text=True,
        env=env,
    )
    result: dict[str, Any] = json.loads(done.stdout.splitlines()[-1])
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--baseline-rev", required=True)
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--queries", type=int, default=10_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        base_src = export_revision(args.baseline_rev, work / "base")
        base = run(base_src, args.shared, args.queries, work / "base.jsonl")
        ours = run(ROOT / "src", args.shared, args.queries, work / "ours.jsonl")
        lines = {
            k: (work / f"{k}.jsonl").read_text(encoding="utf-8").splitlines()
            for k in ("base", "ours")
        }
    differ = [
        (json.loads(b), json.loads(o))
        for b, o in zip(lines["base"], lines["ours"], strict=True)
        if b != o
    ]
    matches = sum(len(json.loads(line)[1]) for line in lines["ours"])
    print(
        f"{ours['n']} queries, {matches} matches and review candidates; "
        f"screening CPU: ours {ours['cpu']:.1f} s ({ours['n'] / ours['cpu']:,.0f} names/CPU-s), "
        f"baseline {args.baseline_rev} {base['cpu']:.1f} s ({base['n'] / base['cpu']:,.0f} "
        f"names/CPU-s), ratio {base['cpu'] / ours['cpu']:.2f}x"
    )
    for b, o in differ[:10]:
        print(f"DIFFERENT for {b[0]!r}:\n  baseline {b[1]}\n  ours     {o[1]}")
    print(f"queries with a different result: {len(differ)}")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
