"""Size and load time of the saved CSL 2022 + UN + OFAC 2021 rulebook, beside building it.

Prints the file size (JSON and gzip JSON), the time to ``Rulebook.load`` each, and the
baseline of the same run: building the same rulebook from the official list files with
``tradecontrol.lists.load`` and ``Rulebook.with_listings`` (what a worker would do without
a saved rulebook). Each load runs in a fresh process; times are wall and CPU seconds.

Usage::

    python benchmarks/rulebook_io.py
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _common as c

CHILD = r"""
import json, sys, time, resource
sys.path.insert(0, sys.argv[1])
cpu, wall = time.process_time(), time.perf_counter()
if sys.argv[2] == "build":
    import _common as c
    rulebook, _ = c.big_rulebook()
else:
    from tradecontrol import Rulebook
    rulebook = Rulebook.load(sys.argv[2])
print(json.dumps({"wall": time.perf_counter() - wall, "cpu": time.process_time() - cpu,
                  "listings": len(rulebook.listings), "version": rulebook.version,
                  "rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def child(arg: str) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, "-c", CHILD, str(Path(__file__).resolve().parent), arg],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    result: dict[str, float] = json.loads(out.splitlines()[-1])
    return result


def main() -> None:
    c.base_parser(__doc__).parse_args()
    from tradecontrol import Rulebook

    gz = c.rulebook_file()
    plain = Path(tempfile.mkdtemp(prefix="tc-rbio-")) / "rulebook.json"
    Rulebook.load(gz).save(plain)
    built = child("build")
    rows = [
        (
            "build from list files (baseline)",
            "-",
            f"{built['wall']:.1f}",
            f"{built['cpu']:.1f}",
            f"{built['rss']:,.0f}",
        )
    ]
    for label, path in (("load rulebook.json", plain), ("load rulebook.json.gz", gz)):
        got = child(str(path))
        assert got["version"] == built["version"] and got["listings"] == built["listings"]
        rows.append(
            (
                label,
                f"{path.stat().st_size / 2**20:.1f}",
                f"{got['wall']:.1f}",
                f"{got['cpu']:.1f}",
                f"{got['rss']:,.0f}",
            )
        )
    print(f"{int(built['listings']):,} listings, version {built['version']}")
    print(c.table(rows, ("", "size MiB", "wall s", "CPU s", "peak RSS MiB")))


if __name__ == "__main__":
    main()
