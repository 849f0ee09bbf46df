"""Old-against-new check of the list loaders: every real file loads as before.

Loads every file under ``../shared/data`` (or ``--shared``) with ``tradecontrol.lists.load``
twice, each time in a fresh process: once with this tree's code and once with the
``tradecontrol`` package found in ``--baseline-src`` (e.g. an earlier commit unpacked with
``git archive``). For each file it writes the format, record count, publication date and
source, the canonical JSON of every listing (``Listing.to_dict()``, keys sorted) and the
``repr`` of every problem, or the error a file that is no list raises, and compares the
two outputs line by line. Speed changes to the loaders must leave this output unchanged.

Usage::

    git archive <commit> src | tar -x -C /tmp/base
    python benchmarks/lists_same.py --baseline-src /tmp/base/src [--shared ../shared]

Exit status 0 when the outputs are the same, 1 (with the first differences) otherwise.
"""

from __future__ import annotations

import argparse
import difflib
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CHILD = r"""
import json, sys
from pathlib import Path
from tradecontrol import lists
from tradecontrol.errors import TradeControlError

out = sys.stdout
for path in sorted(p for p in Path(sys.argv[1]).rglob("*") if p.is_file()):
    name = path.relative_to(sys.argv[1])
    try:
        snap = lists.load(path)
    except TradeControlError as exc:
        out.write(f"FILE {name} ERROR {type(exc).__name__}: {exc}\n")
        continue
    out.write(f"FILE {name} format={snap.format} records={snap.records} "
              f"published={snap.published} listings={len(snap.listings)} "
              f"problems={len(snap.problems)}\n")
    for listing in snap.listings:
        out.write("L " + json.dumps(listing.to_dict(), sort_keys=True, ensure_ascii=False) + "\n")
    for problem in snap.problems:
        out.write("P " + repr(problem) + "\n")
"""


def dump(data: Path, src: Path | None) -> list[str]:
    """The output of the child for ``data``, with ``src`` first on the path when given."""
    env = dict(os.environ)
    if src is not None:
        env["PYTHONPATH"] = str(src)
    out = subprocess.run(
        [sys.executable, "-c", CHILD, str(data)],
        check=True,
        capture_output=True,
        text=True,
        env=env,
    ).stdout
    return out.splitlines()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--baseline-src", type=Path, required=True)
    args = parser.parse_args()
    data = args.shared / "data"
    if not data.is_dir():
        print(f"missing: {data}")
        return 1
    new, old = dump(data, None), dump(data, args.baseline_src)
    files = sum(1 for line in new if line.startswith("FILE "))
    listings = sum(1 for line in new if line.startswith("L "))
    problems = sum(1 for line in new if line.startswith("P "))
    if new == old:
        print(f"same: {files} files, {listings} listings, {problems} problems")
        return 0
    print("different:")
    for line in list(difflib.unified_diff(old, new, "baseline", "this tree", lineterm=""))[:40]:
        print(line[:300])
    return 1


if __name__ == "__main__":
    raise SystemExit(main())
