"""Check: the speed benchmark's queries screen the same on this tree and on a revision.

Screens the 10,000 names of ``screening_speed.py`` (same seed, same lists: UN plus the
full CSL 2022) with the code of this working tree and with ``src/`` of ``--baseline-rev``
(``git archive``, no checkout), each in its own process, and diffs every match: listing
id, score (exact ``repr``), status, matched name, query name, the explanation's
normalised forms and its features (name, effect, detail). Prints the number of queries
and matches, the CPU seconds of each side (same run) and every difference; exits 1 when
there is one.

Usage::

    python benchmarks/screening_same.py --baseline-rev 5fc1951 [--shared ../shared]
        [--queries 10000] [--seed 7] [--full-scan 0]

``--full-scan N`` also screens the first N queries with ``full_scan=True`` on this tree
and checks them equal to the index's answers.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
HERE = Path(__file__).resolve().parent


def export_revision(rev: str, into: Path) -> Path:
    """``git archive`` of ``src/`` at ``rev`` into ``into``; returns the ``src`` path."""
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", "--format=tar", rev, "src"],
        check=True,
        capture_output=True,
    ).stdout
    tar_path = into / "src.tar"
    tar_path.write_bytes(archive)
    with tarfile.open(tar_path) as tar:
        tar.extractall(into, filter="data")
    return into / "src"


def rows(matches: Any) -> list[list[Any]]:
    """What must not change: one row per match."""
    return [
        [
            m.listing.id,
            repr(m.score),
            m.status,
            m.matched_name,
            m.query_name,
            m.explanation.query_form,
            m.explanation.listed_form,
            [[f.name, repr(f.effect), f.detail] for f in m.explanation.features],
        ]
        for m in matches
    ]


def child(shared: Path, n: int, seed: int, full: int, out: Path) -> None:
    sys.path.insert(0, str(HERE))
    import screening_speed

    from tradecontrol import Entity
    from tradecontrol.screening.screen import candidates

    rulebook = screening_speed.load(shared)
    qs = screening_speed.queries(rulebook, n, seed)
    rulebook.candidate_index  # noqa: B018 - build outside the timing
    c0 = time.process_time()
    found = [rows(candidates(Entity(name=name), rulebook)) for name, _ in qs]
    cpu = time.process_time() - c0
    differ = []
    for k, (name, _) in enumerate(qs[:full]):
        scan = rows(candidates(Entity(name=name), rulebook, full_scan=True))
        if scan != found[k]:
            differ.append({"query": name, "index": found[k], "full_scan": scan})
    out.write_text(
        json.dumps({"cpu": cpu, "queries": [q for q, _ in qs], "found": found, "scan": differ})
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--baseline-rev", required=True)
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--queries", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--full-scan", type=int, default=0)
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.shared, args.queries, args.seed, args.full_scan, args.child)
        return
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        sides = {"ours": ROOT / "src", "base": export_revision(args.baseline_rev, work)}
        got = {}
        for side, src in sides.items():
            out = work / f"{side}.json"
            cmd = [sys.executable, __file__, "--baseline-rev", args.baseline_rev]
            cmd += ["--shared", str(args.shared), "--queries", str(args.queries)]
            cmd += ["--seed", str(args.seed), "--child", str(out)]
            cmd += ["--full-scan", str(args.full_scan if side == "ours" else 0)]
            env = {**os.environ, "PYTHONPATH": str(src)}
            subprocess.run(cmd, check=True, env=env)
            got[side] = json.loads(out.read_text())
    ours, base = got["ours"], got["base"]
    diffs = 0
    for name, a, b in zip(ours["queries"], ours["found"], base["found"], strict=True):
        if a != b:
            diffs += 1
            print(f"DIFF {name!r}\n  ours: {a}\n  base: {b}")
    for d in ours["scan"]:
        diffs += 1
        print(f"FULL SCAN DIFF {d['query']!r}\n  index: {d['index']}\n  scan:  {d['full_scan']}")
    matches = sum(len(f) for f in ours["found"])
    print(
        f"{len(ours['queries'])} queries, {matches} matches; "
        f"{args.full_scan} also screened by full scan; {diffs} differences"
    )
    print(
        f"CPU seconds screening: ours {ours['cpu']:.1f}, base {args.baseline_rev} "
        f"{base['cpu']:.1f} ({base['cpu'] / ours['cpu']:.2f}x)"
    )
    sys.exit(1 if diffs else 0)


if __name__ == "__main__":
    main()
