"""Check that the CLI writes byte for byte what a baseline revision writes (good and bad lines).

Runs ``tradecontrol evaluate`` of the current tree and of ``--baseline-rev`` (a ``git
archive`` of ``src/``, run with ``PYTHONPATH``) over the same input files and compares
standard output, standard error and the exit status of each run:

  good.jsonl   ``--count`` generated transactions (``_common.transactions``, 20 % listed
               names) and ``examples/huawei-2019.jsonl``
  bad.jsonl    ``--bad`` lines from the generated ones, each spoiled one way (seeded): a
               field set to an odd JSON value, a required field dropped, an unknown key,
               a repeated key, a huge integer, ``NaN``/``Infinity``/``1e400``, cut JSON,
               invalid UTF-8, a byte order mark, deep nesting, a deep owner chain, a line
               over 1 MiB, hostile text (control and bidirectional characters) — mixed
               with good lines, so every error line sits between decisions

each with ``--format json`` and ``--format table``, ``--jobs 1`` and ``--jobs 2``, against the
bundled rulebook with exact matching (``Thresholds(fuzzy=False)``; ``--rulebook big``: the
CSL 2022 + UN + OFAC 2021 one). Prints one row per run and exits 1 on any difference.

Usage::

    python benchmarks/cli_same.py --baseline-rev 5fc1951 [--count 2000] [--bad 600]
"""

from __future__ import annotations

import copy
import json
import os
import random
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _common as c
from throughput import export_revision

ODD_VALUES: list[Any] = [
    *(None, True, False, 0, -1, 2.5, 1e300, 10**20, -(10**19), "", " ", "x", "EU", "ZZ"),
    *("3a001.A", "usd", "2019-05-17T10:00:00", "30%", "101%", "1e2", "-5", "NS 9", "a\nb"),
    *("\u200b", "\u202eevil", "\x1b[31m", "1962-13", "organization", [], ["x"], [1], [None]),
    *({}, {"x": 1}, [{"name": "A"}], {"name": "\u0301"}, "2019-02-30", "  padded  "),
]


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix] if prefix else []
    if isinstance(node, dict):
        for key, child in node.items():
            out.extend(_paths(child, (*prefix, key)))
    elif isinstance(node, list):
        for i, child in enumerate(node):
            out.extend(_paths(child, (*prefix, i)))
    return out


def _set(data: Any, path: tuple[Any, ...], value: Any) -> None:
    for step in path[:-1]:
        data = data[step]
    data[path[-1]] = value


def _drop(data: Any, path: tuple[Any, ...]) -> None:
    for step in path[:-1]:
        data = data[step]
    del data[path[-1]]


def _chain(levels: int) -> dict[str, Any]:
    entity: dict[str, Any] = {"name": "Bottom Ltd"}
    for i in range(levels):
        entity = {"name": f"Level {i}", "owners": [{"owner": entity, "share_percent": 60}]}
    return entity


def spoil(data: dict[str, Any], rng: random.Random) -> bytes:
    """One bad line made from the transaction ``data`` (seeded by ``rng``)."""
    data = copy.deepcopy(data)
    text = json.dumps(data, ensure_ascii=False)
    how = rng.randrange(16)
    if how <= 4:  # an odd value somewhere (often several problems in one line)
        for _ in range(1 + (how == 4) * 2):
            _set(data, rng.choice(_paths(data)), rng.choice(ODD_VALUES))
        return json.dumps(data, ensure_ascii=False).encode()
    if how == 5:  # a field dropped
        _drop(data, rng.choice(_paths(data)))
        return json.dumps(data).encode()
    if how == 6:  # an unknown key, some shaped to forge output
        key = rng.choice(["colour", "a b", "x\u202e", "parties[0].entity.name", ""])
        target = rng.choice([p for p in _paths(data) if isinstance(_get(data, p), dict)] or [()])
        (_get(data, target) if target else data)[key] = 1
        return json.dumps(data).encode()
    if how == 7:
        return text.replace('"date"', '"id": "again", "date"', 1).encode()
    if how == 8:
        huge = '"items": [{"quantity": 1' + "0" * 5000 + "}, "
        return text.replace('"items": [', huge, 1).encode()
    if how == 9:
        literal = rng.choice(["NaN", "Infinity", "-Infinity", "1e400", "-1e400", "1" * 400 + ".5"])
        return text.replace('"items": [', '"items": [{"value": ' + literal + "}, ", 1).encode()
    if how == 10:
        return text[: rng.randrange(1, len(text))].encode()
    if how == 11:
        raw = text.encode()
        cut = rng.randrange(len(raw))
        return raw[:cut] + rng.choice([b"\xff", b"\xc3", b"\xed\xa0\x80"]) + raw[cut:]
    if how == 12:
        return "\ufeff".encode() + text.encode()
    if how == 13:
        depth = rng.choice([127, 128, 129, 300, 5000])
        return (
            ("[" * depth + "]" * depth).encode()
            if rng.random() < 0.3
            else (
                text.replace('"parties": [', '"parties": [' + "[" * depth + "]" * depth + ", ", 1)
            ).encode()
        )
    if how == 14:
        parties = data.setdefault("parties", [])
        parties.append({"role": "end_user", "entity": _chain(rng.choice([20, 42, 43, 60]))})
        return json.dumps(data).encode()
    return rng.choice([b"[1, 2]", b"{}", b"null", b'"x"', b"{", b"\t ", b"1", b'{"id": 5}'])


def _get(data: Any, path: tuple[Any, ...]) -> Any:
    for step in path:
        data = data[step]
    return data


def write_inputs(work: Path, count: int, bad: int, names: list[str]) -> tuple[Path, Path]:
    good = work / "good.jsonl"
    examples = (c.ROOT / "examples" / "huawei-2019.jsonl").read_text(encoding="utf-8")
    lines = [json.dumps(t, ensure_ascii=False) for t in c.transactions(count, names, seed=11)]
    good.write_text(examples + "\n".join(lines) + "\n", encoding="utf-8")
    rng = random.Random(5)
    sample = list(c.transactions(max(bad, 1), names, seed=13))
    out: list[bytes] = []
    for i in range(bad):
        out.append(spoil(sample[i], rng))
        if rng.random() < 0.5:
            out.append(json.dumps(sample[i]).encode())
    out.insert(len(out) // 2, b'{"id": "long", "date": "' + b"x" * (1 << 20) + b'"}')
    out.insert(len(out) // 3, b"")  # a blank line is skipped, not counted
    path = work / "bad.jsonl"
    path.write_bytes(b"\n".join(out) + b"\n")
    return good, path


def run(src: Path, args: list[str]) -> tuple[int, bytes, bytes]:
    env = {**os.environ, "PYTHONPATH": str(src)}
    done = subprocess.run(
        [sys.executable, "-m", "tradecontrol", "evaluate", *args],
        capture_output=True,
        env=env,
        check=False,
    )
    return done.returncode, done.stdout, done.stderr


def main() -> None:
    parser = c.base_parser(__doc__)
    parser.add_argument("--baseline-rev", default="5fc1951", help="revision to compare with")
    parser.add_argument("--count", type=int, default=2000, help="generated good transactions")
    parser.add_argument("--bad", type=int, default=600, help="spoiled lines")
    parser.add_argument("--rulebook", choices=("bundled", "big"), default="bundled")
    args = parser.parse_args()

    from tradecontrol import Rulebook
    from tradecontrol.screening.thresholds import Thresholds

    work = Path(tempfile.mkdtemp(prefix="tc-cli-same-"))
    base = Rulebook.load(c.rulebook_file()) if args.rulebook == "big" else Rulebook.default()
    rulebook = work / "exact.json.gz"
    base.with_thresholds(Thresholds(fuzzy=False)).save(rulebook)
    names = c.listed_names(list(base.listings))
    good, bad = write_inputs(work, args.count, args.bad, names)
    base_src = export_revision(args.baseline_rev, work / "base")
    ours_src = c.ROOT / "src"
    rows: list[tuple[str, ...]] = []
    differ = 0
    for path in (good, bad):
        for fmt in ("json", "table"):
            for jobs in ("1", "2"):
                cli = ["--rulebook", str(rulebook), "--format", fmt, "--jobs", jobs, str(path)]
                ours, theirs = run(ours_src, cli), run(base_src, cli)
                same = ours == theirs
                differ += not same
                rows.append(
                    (
                        f"{path.name} --format {fmt} --jobs {jobs}",
                        str(ours[1].count(b"\n")),
                        str(ours[2].count(b"\n")),
                        str(ours[0]),
                        "yes" if same else "NO",
                    )
                )
    print(f"current tree against {args.baseline_rev}, rulebook {args.rulebook} (exact); {work}")
    print(c.table(rows, ("run", "stdout lines", "stderr lines", "exit", "byte-identical")))
    if differ:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
