"""Throughput of evaluate, the CLI, --jobs 2 and Dask, each beside a baseline of the same run.

Against the rulebook of the full CSL 2022 + UN + OFAC SDN 2021 (about 24,000 listings),
on generated transactions (3–5 parties, 1–5 items, 5 % of the parties real listed names,
half of them perturbed). Rates "per core" divide by CPU seconds, so they hold on a busy
machine; the --jobs and Dask rows compare wall-clock times of the same run.

Rows:
  evaluate            objects pre-built, best of three passes with a cold name cache;
                      baseline: the same code at --baseline-rev
  CLI jobs=1          JSON lines in and out, minus the fixed start-up (rulebook load);
                      baseline: a bare json.loads/json.dumps pass over the same lines,
                      and the evaluate figure (target: CLI within 3x of evaluate)
  CLI jobs=1 stream   the same, CPU time taken inside the CLI process from the moment
                      the rulebook is loaded (no start-up run to subtract), best of three,
                      alternating with the CLI of --baseline-rev (same input, same rulebook)
  CLI jobs=2          wall-clock speed-up over CLI jobs=1 (target >= 1.7x)
  Dask 2 workers      LocalCluster(n_workers=2, processes=True) over the same JSON lines
                      (8 partitions; the rulebook scattered once; second run), beside
                      evaluate_many(jobs=1) in one process

Usage::

    python benchmarks/throughput.py [--count 20000] [--baseline-rev 23a2632] [--no-dask]
    python benchmarks/throughput.py --screening   # adds the screening-on row

Every row but "screening on" runs "exact": the rulebook carries the thresholds
``EXACT`` (``Thresholds(fuzzy=False)``): exact-normalised names only, no fuzzy index and no
scoring (see ``EXACT``).
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _common as c

EXACT: dict[str, Any] = {"fuzzy": False}
"""Screening thresholds of the "exact" rows: exact-normalised names only (no index, no
scoring), saved in the rulebook file. Earlier runs used ``match = review = 1.0`` (fuzzy
scoring still ran on the index's candidates, only score 1.0 counted), before
``Thresholds(fuzzy=False)`` existed; a baseline revision must know ``fuzzy`` (f7bc5ce does).
"""

CHILD_EVALUATE = r"""
import gzip, json, sys, time
from tradecontrol import Rulebook, Transaction, evaluate
rb = Rulebook.from_dict(json.loads(gzip.open(sys.argv[1]).read()))
with open(sys.argv[2], encoding="utf-8") as f:
    txs = [Transaction.from_dict(json.loads(line)) for line in f]
from tradecontrol.screening.normalize import normalize_name
for t in txs[:200]:
    evaluate(t, rb)
best = None
first = None
for _ in range(3):  # best of three, each with a cold name cache
    normalize_name.cache_clear()
    try:  # the exact path's own cache of query keys (newer revisions), cold as well
        from tradecontrol.plan import _query_keys
        _query_keys.cache_clear()
    except ImportError:
        pass
    try:  # the per-token caches of screening's query analysis (newer revisions), cold too
        from tradecontrol.screening.scoring import _clear_query_caches
        _clear_query_caches()
    except ImportError:
        pass
    memo = getattr(getattr(rb, "_screening", None), "_memo", None)
    if memo is not None:  # cold screening memo too (same entities every pass)
        memo.clear()
    outcomes = {}
    cpu, wall = time.process_time(), time.perf_counter()
    for t in txs:
        d = evaluate(t, rb)
        outcomes[d.outcome.value] = outcomes.get(d.outcome.value, 0) + 1
    run = {"cpu": time.process_time() - cpu, "wall": time.perf_counter() - wall,
           "n": len(txs), "outcomes": outcomes}
    best = run if best is None or run["cpu"] < best["cpu"] else best
    first = first or run
best["first_cpu"] = first["cpu"]  # the first pass (after 200 warm-up), memos still cold
print(json.dumps(best))
"""

BARE_JSON = (
    "import sys, json\n"
    "w = sys.stdout.write\n"
    "for line in sys.stdin.buffer:\n"
    "    w(json.dumps(json.loads(line), ensure_ascii=False) + '\\n')\n"
)


def export_revision(rev: str, into: Path) -> Path:
    """``git archive`` of ``src/`` at ``rev`` (read-only, no checkout) into ``into``."""
    archive = subprocess.run(
        ["git", "-C", str(c.ROOT), "archive", "--format=tar", rev, "src"],
        check=True,
        capture_output=True,
    ).stdout
    into.mkdir(parents=True, exist_ok=True)
    tar_path = into / "src.tar"
    tar_path.write_bytes(archive)
    with tarfile.open(tar_path) as tar:
        tar.extractall(into, filter="data")
    return into / "src"


def run_child(src: Path, rulebook: Path, jsonl: Path) -> dict[str, Any]:
    """``evaluate`` per core in a child process running the code under ``src``."""
    env = {**os.environ, "PYTHONPATH": str(src)}
    out = subprocess.run(
        [sys.executable, "-c", CHILD_EVALUATE, str(rulebook), str(jsonl)],
        check=True,
        capture_output=True,
        text=True,
        env=env,
    ).stdout
    result: dict[str, Any] = json.loads(out.splitlines()[-1])
    return result


def timed(
    cmd: list[str], stdin: Path | None = None, env: dict[str, str] | None = None
) -> tuple[float, float]:
    """Run ``cmd`` with output to /dev/null; return (wall seconds, CPU seconds incl. children)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    with open(os.devnull, "wb") as sink:
        handle = stdin.open("rb") if stdin else None
        try:
            subprocess.run(cmd, check=False, stdout=sink, stdin=handle, env=env)
        finally:
            if handle:
                handle.close()
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def cli_rates(
    rulebook: Path, jsonl: Path, tiny: Path, count: int, base_src: Path | None = None
) -> dict[str, float]:
    cli = [sys.executable, "-m", "tradecontrol", "evaluate", "--format", "json"]
    cli += ["--rulebook", str(rulebook)]
    base: dict[str, float] = {}
    if base_src is not None:  # the streaming CPU of the CLI, ours and the baseline's
        base = cli_stream_rates(rulebook, jsonl, count, base_src)
    fixed_wall, fixed_cpu = timed([*cli, str(tiny)])
    wall1, cpu1 = timed([*cli, str(jsonl)])
    fixed_wall2, fixed_cpu2 = timed([*cli, "--jobs", "2", str(tiny)])
    wall2, cpu2 = timed([*cli, "--jobs", "2", str(jsonl)])
    _, bare_cpu = timed([sys.executable, "-c", BARE_JSON], stdin=jsonl)
    return {
        "fixed_wall": fixed_wall,
        "jobs1_per_core": count / max(cpu1 - fixed_cpu, 1e-9),
        "jobs1_wall_rate": count / max(wall1 - fixed_wall, 1e-9),
        # below a second of work past start-up, the start-up's noise decides the figure
        "jobs2_wall_rate": (
            count / (wall2 - fixed_wall2) if wall2 - fixed_wall2 >= 1.0 else float("nan")
        ),
        # CPU seconds per transaction, all processes, jobs=2 over jobs=1 (1.0 = no overhead)
        "jobs2_cpu_ratio": (cpu2 - fixed_cpu2) / max(cpu1 - fixed_cpu, 1e-9),
        "bare_per_core": count / bare_cpu,
        **base,
    }


STREAM = r"""
import os, sys, time
import tradecontrol.cli as cli
load = cli._rulebook
ready = []
def loaded(*args, **kwargs):
    rulebook = load(*args, **kwargs)
    ready.append(time.process_time())
    return rulebook
cli._rulebook = loaded
sys.stdout = open(os.devnull, "w")
status = cli.main(sys.argv[1:])
sys.stdout.flush()
print(time.process_time() - ready[0], file=sys.stderr)
"""
"""``tradecontrol evaluate`` in a child process, printing the CPU seconds it spent after the
rulebook was ready (reading, parsing, deciding and writing every line)."""


def cli_stream_rates(
    rulebook: Path, jsonl: Path, count: int, base_src: Path, repeat: int = 3
) -> dict[str, float]:
    """CLI ``--jobs 1`` per core without its start-up, ours and ``base_src``'s: best of
    ``repeat`` runs each, alternating (the CPU time is taken inside the CLI process once the
    rulebook is loaded, so the start-up's noise is not in it)."""
    args = ["evaluate", "--format", "json", "--rulebook", str(rulebook), str(jsonl)]
    best = {"stream_per_core": 0.0, "base_stream_per_core": 0.0}
    for _ in range(repeat):
        for key, src in (("stream_per_core", c.ROOT / "src"), ("base_stream_per_core", base_src)):
            done = subprocess.run(
                [sys.executable, "-c", STREAM, *args],
                capture_output=True,
                text=True,
                env={**os.environ, "PYTHONPATH": str(src)},
                check=False,
            )
            cpu = float(done.stderr.strip().splitlines()[-1])
            best[key] = max(best[key], count / cpu)
    return best


def dask_rates(rulebook_path: Path, jsonl: Path, count: int) -> dict[str, float]:
    import dask.bag as db
    from dask.distributed import Client, LocalCluster

    from tradecontrol import Rulebook, evaluate_many
    from tradecontrol.dask import evaluate_bag

    rulebook = Rulebook.load(rulebook_path)
    start = time.perf_counter()
    with jsonl.open(encoding="utf-8") as f:
        done = sum(1 for _ in evaluate_many((json.loads(line) for line in f), rulebook))
    one = time.perf_counter() - start
    assert done == count
    with (
        LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        Client(cluster) as client,
    ):
        start = time.perf_counter()
        shipped = client.scatter(rulebook, broadcast=True, hash=False)
        client.wait_for_workers(2)
        ship = time.perf_counter() - start
        size = jsonl.stat().st_size
        bag = db.read_text(str(jsonl), blocksize=max(size // 8, 1 << 16)).map(json.loads)
        start = time.perf_counter()
        got = evaluate_bag(bag, shipped).count().compute()
        first = time.perf_counter() - start
        start = time.perf_counter()
        again = evaluate_bag(bag, shipped).count().compute()
        steady = time.perf_counter() - start
    assert got == again == count
    return {
        "one_process": count / one,
        "dask_first": count / first,
        "dask_two": count / steady,
        "ship": ship,
    }


def examples_row(work: Path, base_src: Path, baseline_rev: str) -> tuple[str, ...]:
    """``evaluate`` on examples/huawei-2019.jsonl (bundled rulebook), beside the baseline rev."""
    from tradecontrol import Rulebook
    from tradecontrol.screening.thresholds import Thresholds

    examples = [
        line
        for line in (c.ROOT / "examples" / "huawei-2019.jsonl").read_text().splitlines()
        if line.strip()
    ]
    mix = work / "examples.jsonl"
    mix.write_text("\n".join(examples * max(1, 2000 // len(examples))) + "\n")
    default_exact = work / "default-exact.json.gz"
    Rulebook.default().with_thresholds(Thresholds(**EXACT)).save(default_exact)
    ours_mix = run_child(c.ROOT / "src", default_exact, mix)
    try:
        base_mix: dict[str, Any] | None = run_child(base_src, default_exact, mix)
    except subprocess.CalledProcessError as exc:  # today's bundled rulebook is newer
        base_mix, why = None, (exc.stderr or "").strip().splitlines()[-1:]
        print(f"baseline rev cannot read the bundled rulebook: {why}", file=sys.stderr)
    return (
        "evaluate, examples/huawei-2019 mix",
        f"{ours_mix['n'] / ours_mix['cpu']:,.0f}",
        f"{base_mix['n'] / base_mix['cpu']:,.0f}" if base_mix else "n/a",
        f"{base_mix['cpu'] / ours_mix['cpu']:.2f}x" if base_mix else "",
        f"rev {baseline_rev}, bundled rulebook"
        if base_mix
        else f"rev {baseline_rev} cannot read today's bundled rulebook",
    )


def main() -> None:
    parser = c.base_parser(__doc__)
    parser.add_argument("--count", type=int, default=20000, help="transactions (default 20000)")
    parser.add_argument(
        "--baseline-rev",
        default="071e592",
        help=(
            "git revision whose evaluate is the baseline (default: main after screening, "
            "ownership and destinations merged; 23a2632, before issue 7, cannot read "
            "today's rulebooks)"
        ),
    )
    parser.add_argument("--no-dask", action="store_true", help="skip the Dask row")
    parser.add_argument("--screening", action="store_true", help="also measure with screening on")
    args = parser.parse_args()

    rulebook = c.rulebook_file()
    from tradecontrol import Rulebook

    names = c.listed_names(list(Rulebook.load(rulebook).listings))
    work = Path(tempfile.mkdtemp(prefix="tc-throughput-"))
    jsonl = c.write_jsonl(work / "tx.jsonl", args.count, names)
    tiny = c.write_jsonl(work / "tiny.jsonl", 1, names)

    from tradecontrol.screening.thresholds import Thresholds

    full = rulebook
    rulebook = work / "exact.json.gz"
    Rulebook.load(full).with_thresholds(Thresholds(**EXACT)).save(rulebook)
    ours = run_child(c.ROOT / "src", rulebook, jsonl)
    base_src = export_revision(args.baseline_rev, work / "base")
    base = run_child(base_src, rulebook, jsonl)
    evaluate_rate = ours["n"] / ours["cpu"]
    rows: list[tuple[str, ...]] = [
        (
            "evaluate (objects built), per core",
            f"{evaluate_rate:,.0f}",
            f"{base['n'] / base['cpu']:,.0f}",
            f"{(base['cpu'] / ours['cpu']):.2f}x",
            f"rev {args.baseline_rev}",
        )
    ]
    rows.append(
        (
            "  evaluate, first pass only",
            f"{ours['n'] / ours['first_cpu']:,.0f}",
            f"{evaluate_rate:,.0f}",
            f"{ours['first_cpu'] / ours['cpu']:.2f}x slower",
            "evaluate best of 3 (memos warm)",
        )
    )
    rows.append(examples_row(work, base_src, args.baseline_rev))
    cli = cli_rates(rulebook, jsonl, tiny, args.count, base_src)
    rows.append(
        (
            "CLI json jobs=1, per core",
            f"{cli['jobs1_per_core']:,.0f}",
            f"{evaluate_rate:,.0f}",
            f"{evaluate_rate / cli['jobs1_per_core']:.2f}x slower",
            "evaluate alone (target <= 3x)",
        )
    )
    rows.append(
        (
            "  CLI jobs=1 streaming, best of 3",
            f"{cli['stream_per_core']:,.0f}",
            f"{evaluate_rate:,.0f}",
            f"{evaluate_rate / cli['stream_per_core']:.2f}x slower",
            "evaluate alone; CPU after rulebook load",
        )
    )
    rows.append(
        (
            "  same, CLI of baseline rev",
            f"{cli['base_stream_per_core']:,.0f}",
            f"{evaluate_rate:,.0f}",
            f"{evaluate_rate / cli['base_stream_per_core']:.2f}x slower",
            f"rev {args.baseline_rev} CLI, same runs",
        )
    )
    rows.append(
        (
            "  bare json.loads+dumps, per core",
            f"{cli['bare_per_core']:,.0f}",
            "",
            "",
            "floor for JSON in/out in Python",
        )
    )
    rows.append(
        (
            "CLI json jobs=2, wall",
            f"{cli['jobs2_wall_rate']:,.0f}"
            if cli["jobs2_wall_rate"] == cli["jobs2_wall_rate"]
            else "n/a",
            f"{cli['jobs1_wall_rate']:,.0f}",
            f"{cli['jobs2_wall_rate'] / cli['jobs1_wall_rate']:.2f}x"
            if cli["jobs2_wall_rate"] == cli["jobs2_wall_rate"]
            else "--count too small",
            "CLI jobs=1 wall (target >= 1.7x)",
        )
    )
    rows.append(
        (
            "  CLI jobs=2, CPU per tx vs jobs=1",
            f"{cli['jobs2_cpu_ratio']:.2f}x",
            "",
            f"{2 / cli['jobs2_cpu_ratio']:.2f}x",
            "speed-up on 2 idle cores (projected)",
        )
    )
    if not args.no_dask:
        dask = dask_rates(rulebook, jsonl, args.count)
        rows.append(
            (
                "Dask LocalCluster 2 workers, wall",
                f"{dask['dask_two']:,.0f}",
                f"{dask['one_process']:,.0f}",
                f"{dask['dask_two'] / dask['one_process']:.2f}x",
                "evaluate_many jobs=1, JSON parsed, wall",
            )
        )
        rows.append(
            (
                "  Dask first run (workers warming up)",
                f"{dask['dask_first']:,.0f}",
                "",
                "",
                f"rulebook scatter to 2 workers: {dask['ship']:.1f} s",
            )
        )
    if args.screening:
        fuzzy = run_child(c.ROOT / "src", full, jsonl)
        rows.append(
            (
                "evaluate, screening on, per core",
                f"{fuzzy['n'] / fuzzy['cpu']:,.0f}",
                f"{evaluate_rate:,.0f}",
                f"{fuzzy['cpu'] / ours['cpu']:.2f}x slower",
                "evaluate exact (target >= 1,000/s)",
            )
        )
        base_fuzzy = run_child(base_src, full, jsonl)
        rows.append(
            (
                "  screening on, against the baseline",
                f"{fuzzy['n'] / fuzzy['cpu']:,.0f}",
                f"{base_fuzzy['n'] / base_fuzzy['cpu']:,.0f}",
                f"{base_fuzzy['cpu'] / fuzzy['cpu']:.2f}x",
                f"rev {args.baseline_rev}, screening on",
            )
        )
    print(
        f"{args.count:,} transactions, rulebook {rulebook.name} "
        f"(CLI start-up incl. rulebook load: {cli['fixed_wall']:.1f} s wall)"
    )
    print(f"outcomes, exact (thresholds {EXACT}): {ours['outcomes']}")
    if args.screening:
        print(f"outcomes, screening on: {fuzzy['outcomes']}")
    print(c.table(rows, ("measurement (tx/s)", "ours", "baseline", "ratio", "baseline is")))


if __name__ == "__main__":
    main()
