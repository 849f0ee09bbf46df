"""Peak memory of a long CLI run: RSS after 10k, 100k and 1M transactions (must stay flat).

Writes a generated JSON-lines file (streamed, default 1,000,000 transactions, about 1 GB),
runs ``tradecontrol evaluate FILE --format json --rulebook <CSL+UN+OFAC>`` on it with
output to /dev/null, and samples the resident set size (VmRSS, summed over the CLI and
its worker processes) and the high-water mark (VmHWM) as the input is consumed. The
baseline of the same run is the RSS right after start-up (rulebook loaded, first 1,000
lines decided): flat memory means the later rows stay close to it.

Usage::

    python benchmarks/memory.py [--count 1000000] [--jobs 1] [--keep] [--input FILE]
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _common as c

CHECKPOINTS = (1_000, 10_000, 100_000, 1_000_000)


def _status(pid: int) -> dict[str, int]:
    out: dict[str, int] = {}
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                out[key] = int(value.split()[0])  # KiB
    except OSError:
        pass
    return out


def _children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    kids = [int(x) for x in text.split()]
    return kids + [g for k in kids for g in _children(k)]


def _rss(pid: int) -> tuple[float, float]:
    """(RSS, peak RSS) in MiB of ``pid`` and its descendants."""
    total = peak = 0
    for p in [pid, *_children(pid)]:
        s = _status(p)
        total += s.get("VmRSS", 0)
        peak += s.get("VmHWM", 0)
    return total / 1024, peak / 1024


def main() -> None:
    parser = c.base_parser(__doc__)
    parser.add_argument("--count", type=int, default=1_000_000)
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--keep", action="store_true", help="keep the generated file")
    parser.add_argument("--input", type=Path, help="reuse a file written by an earlier run")
    args = parser.parse_args()

    from tradecontrol import Rulebook

    rulebook = c.rulebook_file()
    names = c.listed_names(list(Rulebook.load(rulebook).listings))
    if args.input is not None:
        jsonl = args.input
        args.keep = True
    else:
        jsonl = Path(tempfile.mkdtemp(prefix="tc-memory-")) / "tx.jsonl"
        start = time.perf_counter()
        c.write_jsonl(jsonl, args.count, names)
        print(
            f"generated {args.count:,} transactions, {jsonl.stat().st_size / 2**20:,.0f} MiB, "
            f"in {time.perf_counter() - start:.0f} s",
            file=sys.stderr,
        )
    # count output lines by reading the CLI's stdout (the decisions) as it writes them
    cmd = [sys.executable, "-m", "tradecontrol", "evaluate", str(jsonl), "--format", "json"]
    cmd += ["--rulebook", str(rulebook), "--jobs", str(args.jobs)]
    rows = []
    start = time.perf_counter()
    with subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL) as proc:
        assert proc.stdout is not None
        done = 0
        targets = [x for x in CHECKPOINTS if x <= args.count]
        for _ in proc.stdout:
            done += 1
            if done % 100_000 == 0:
                rss, _peak = _rss(proc.pid)
                print(f"  {done:,} decided, RSS {rss:,.0f} MiB", file=sys.stderr, flush=True)
            if targets and done == targets[0]:
                rss, peak = _rss(proc.pid)
                rows.append((f"{done:,}", f"{rss:,.0f}", f"{peak:,.0f}", time.perf_counter()))
                print(f"  {done:,} decided", file=sys.stderr)
                targets.pop(0)
        proc.wait()
    elapsed = time.perf_counter() - start
    base = float(rows[0][1].replace(",", ""))
    table_rows = [
        (n, rss, peak, f"{float(rss.replace(',', '')) / base:.2f}x") for n, rss, peak, _ in rows
    ]
    print(
        f"{done:,} decisions in {elapsed:,.0f} s wall, --jobs {args.jobs}; "
        "baseline = RSS after the first 1,000 (rulebook loaded)"
    )
    print(c.table(table_rows, ("transactions", "RSS MiB", "peak RSS MiB", "vs baseline")))
    if not args.keep:
        os.unlink(jsonl)


if __name__ == "__main__":
    main()
