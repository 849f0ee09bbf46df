"""Command-line interface.

``tradecontrol evaluate FILE|- [--as-of DATE] [--list PATH ...] [--list-format NAME]
[--ownership PATH ...] [--licenses FILE] [--usage FILE] [--format table|json]
[--jobs N] [--rulebook FILE]``,
``tradecontrol screen NAME [--kind K] [--country CC] [--birth-date D] [--list PATH ...]
[--allow-list PATH ...] [--rulebook FILE] [--as-of DATE] [--match T] [--review T]
[--format table|json]``,
``tradecontrol lists summary PATH [--list-format NAME]``,
``tradecontrol lists diff OLD NEW [--list-format NAME]``,
``tradecontrol explain FILE|- [--as-of DATE] [--list PATH ...] [--list-format NAME]
[--ownership PATH ...] [--licenses FILE] [--usage FILE] [--allow-list PATH ...]
[--rulebook FILE] [--graph dot|mermaid]``.

``evaluate`` streams: it reads, decides and writes one line at a time (``--jobs N`` spreads
the lines over N processes and keeps their order), with a progress bar on standard error
when that is a terminal and the ``tradecontrol[cli]`` extra (tqdm) is installed.

Exit status: 0 when every line was decided (whatever the outcomes), 1 when any input line
was bad (each reported on standard error with file, line and field; the other lines are
still decided), when a --list file had refused records or no listing (records skipped as
not listings by design, such as exact duplicates, are reported but do not count), an
--ownership line
was refused or a --licenses licence names an unknown rule (the lines are still decided),
or when ``lists diff`` compared a file that had problems; 2 on usage errors (including
``--jobs`` over its limit, and for ``screen`` conflicting thresholds or a bad birth date).
"""

from __future__ import annotations

import argparse
import contextlib
import difflib
import functools
import json
import os
import re
import stat
import sys
from collections.abc import Iterator, Sequence
from datetime import date
from typing import IO, Any, TextIO

from tradecontrol import __version__, lists
from tradecontrol._json import parse_json, structure_json, within
from tradecontrol._time import Moment, parse_moment
from tradecontrol.batch import DEFAULT_CHUNK_SIZE, check_jobs, ordered_map
from tradecontrol.decision import Decision, Finding, Outcome
from tradecontrol.drawdown import LicenseUsage, drawdown_text, usage_from_dict
from tradecontrol.errors import (
    DataError,
    InvalidInputError,
    TradeControlError,
    UnknownLicenseError,
)
from tradecontrol.evaluation import evaluate
from tradecontrol.licenses import License
from tradecontrol.listings import Listing
from tradecontrol.lists._text import OVERLONG, bounded_lines
from tradecontrol.rulebook import Rulebook
from tradecontrol.screening.allowlist import AllowEntry, load_allow_list
from tradecontrol.screening.cli import add_allow_list_option
from tradecontrol.transactions import Transaction

__all__ = ["main"]

MAX_LINE_BYTES = 1 << 20
"""Longest accepted input line (1 MiB); longer lines are reported as bad, not read."""

MAX_SIDE_FILE_BYTES = 16 << 20
"""Largest accepted --licenses / --usage file (16 MiB)."""

_TABLE = "{id:<28} {outcome:<16} {rule:<22} {ref:<34} {citation}"

_json_line = json.JSONEncoder(ensure_ascii=False, check_circular=False).encode
"""``json.dumps(value, ensure_ascii=False)``, the encoder built once (a ``to_dict`` value
has no cycles to look for, so the text is the same)."""


def _as_of(text: str) -> Moment:
    try:
        return parse_moment(text)
    except InvalidInputError as exc:
        raise argparse.ArgumentTypeError(exc.message) from None


def _add_list_format(parser: argparse.ArgumentParser) -> None:
    """``--list-format NAME``: read every list file of the command as this format."""
    parser.add_argument(
        "--list-format",
        choices=[module.NAME for module in lists.FORMATS],
        default=None,
        metavar="NAME",
        help="read every list file as this format instead of detecting it; one of "
        + ", ".join(module.NAME for module in lists.FORMATS),
    )


def _jobs(text: str) -> int:
    try:
        jobs = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of processes") from None
    try:
        return check_jobs(jobs)
    except InvalidInputError as exc:
        raise argparse.ArgumentTypeError(exc.message) from None


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="tradecontrol",
        description="Sanctions and export-control decisions with legal citations.",
    )
    parser.add_argument("--version", action="version", version=f"tradecontrol {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    ev = sub.add_parser(
        "evaluate",
        help="decide each transaction of a JSON-lines file",
        description="Decide each transaction (one canonical JSON object per line) as of its "
        "date, or as of --as-of, under the bundled rulebook.",
    )
    ev.add_argument("file", metavar="FILE", help="JSON-lines file of transactions, or - for stdin")
    ev.add_argument(
        "--as-of",
        type=_as_of,
        default=None,
        metavar="DATE",
        help="decide every transaction as of this ISO date or aware datetime",
    )
    ev.add_argument(
        "--format",
        choices=("table", "json"),
        default="table",
        help="table (default) or one Decision JSON per line",
    )
    ev.add_argument(
        "--rulebook",
        default=None,
        metavar="FILE",
        help="use a rulebook saved with Rulebook.save() instead of the bundled one",
    )
    ev.add_argument(
        "--jobs",
        type=_jobs,
        default=1,
        metavar="N",
        help="decide in N worker processes (0: one per CPU core; at most 4 per core, and "
        "256); output order is kept",
    )
    ev.add_argument(
        "--list",
        action="append",
        default=[],
        metavar="PATH",
        dest="lists",
        help="add the listings of an official list file to the bundled rulebook (repeatable)",
    )
    ev.add_argument(
        "--licenses",
        default=None,
        metavar="FILE",
        help="JSON array of licences (e.g. your specific licences) to add to the rulebook",
    )
    ev.add_argument(
        "--usage",
        default=None,
        metavar="FILE",
        help='JSON object of prior usage per licence id, {"D123456": {"value": "95000", '
        '"quantity": 3}}; each decision reports the drawdown it would add',
    )
    ev.add_argument(
        "--ownership",
        action="append",
        default=[],
        metavar="PATH",
        help="add known ownership edges (JSON lines of OwnershipEdge) to the rulebook (repeatable)",
    )
    add_allow_list_option(ev, "; suppressed matches stay visible in each Decision")
    _add_list_format(ev)
    ex = sub.add_parser(
        "explain",
        help="each decision with its reasoning (ownership paths, near misses)",
        description="Decide each transaction and print its reasoning: regimes, findings with "
        "ownership paths and aggregated shares, citations, near misses, cautions; "
        "--graph writes the ownership graph with blocked nodes marked.",
    )
    ex.add_argument("file", metavar="FILE", help="JSON-lines file of transactions, or - for stdin")
    ex.add_argument("--as-of", type=_as_of, default=None, metavar="DATE", help="decide as of")
    ex.add_argument(
        "--list", action="append", default=[], metavar="PATH", dest="lists", help="add a list"
    )
    ex.add_argument(
        "--ownership",
        action="append",
        default=[],
        metavar="PATH",
        help="add known ownership edges (JSON lines of OwnershipEdge) to the rulebook (repeatable)",
    )
    ex.add_argument(
        "--rulebook",
        default=None,
        metavar="FILE",
        help="use a rulebook saved with Rulebook.save() instead of the bundled one",
    )
    ex.add_argument(
        "--licenses",
        default=None,
        metavar="FILE",
        help="JSON array of licences (e.g. your specific licences) to add to the rulebook",
    )
    ex.add_argument(
        "--usage",
        default=None,
        metavar="FILE",
        help="JSON object of prior usage per licence id (as for evaluate)",
    )
    add_allow_list_option(ex)
    ex.add_argument(
        "--graph",
        choices=("dot", "mermaid"),
        default=None,
        help="also write each transaction's ownership graph as Graphviz DOT or Mermaid text",
    )
    _add_list_format(ex)
    _screen_parser(sub)
    lst = sub.add_parser("lists", help="inspect and compare list files")
    lsub = lst.add_subparsers(dest="lists_command", required=True, metavar="ACTION")
    summary = lsub.add_parser("summary", help="what a list file holds and what it could not load")
    summary.add_argument("path", metavar="PATH")
    summary.add_argument("--format", choices=("table", "json"), default="table")
    _add_list_format(summary)
    dif = lsub.add_parser("diff", help="listings added, removed and amended between two files")
    dif.add_argument("old", metavar="OLD")
    dif.add_argument("new", metavar="NEW")
    dif.add_argument("--format", choices=("table", "json"), default="table")
    _add_list_format(dif)
    return parser


def _lines(stream: IO[bytes]) -> Iterator[tuple[int, bytes | None]]:
    """Yield ``(line number, raw line)``; ``None`` for a line over :data:`MAX_LINE_BYTES`."""
    overlong = OVERLONG.encode() + b"\n"
    for number, raw in enumerate(bounded_lines(stream, MAX_LINE_BYTES), start=1):
        yield number, None if raw == overlong else raw


def _parse(raw: bytes | None, first: bool) -> Transaction:
    if raw is None:
        raise InvalidInputError(f"line longer than {MAX_LINE_BYTES} bytes")
    try:
        text = raw.decode("utf-8-sig" if first else "utf-8")
    except UnicodeDecodeError as exc:
        raise InvalidInputError(f"not UTF-8 (byte {exc.start})") from None
    if text.startswith("\ufeff"):
        raise InvalidInputError(
            "starts with a UTF-8 byte order mark (BOM); only the first line of a file may"
        )
    return structure_json(text, Transaction)  # as Transaction.from_dict(parse_json(text))


def _read_json_file(path: str) -> Any:
    """Parse a whole JSON file (size-capped, repeated keys refused)."""
    try:
        with open(path, "rb") as fh:
            raw = fh.read(MAX_SIDE_FILE_BYTES + 1)
    except OSError as exc:
        raise InvalidInputError(f"cannot read: {exc.strerror}") from None
    if len(raw) > MAX_SIDE_FILE_BYTES:
        raise InvalidInputError(f"larger than {MAX_SIDE_FILE_BYTES} bytes")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInputError(f"not UTF-8 (byte {exc.start})") from None
    return parse_json(text)


def _licences(path: str) -> list[License]:
    data = _read_json_file(path)
    if not isinstance(data, list):
        raise InvalidInputError(f"expected a JSON array of licences, got {type(data).__name__}")
    out = []
    for i, item in enumerate(data):
        try:
            out.append(License.from_dict(item))
        except InvalidInputError as exc:
            raise within(exc, f"[{i}]") from None
    return out


class _SideFileError(Exception):
    """A --licenses or --usage file could not be used (message names option and file)."""


def _side_files(
    args: argparse.Namespace, rulebook: Rulebook, err: TextIO
) -> tuple[Rulebook, dict[str, LicenseUsage] | None, int]:
    """Add --licenses to the rulebook and read --usage.

    Returns:
        The rulebook, the usage, and the number of warnings written on ``err`` (licences
        naming a rule the rulebook does not have).
    """
    usage: dict[str, LicenseUsage] | None = None
    warnings = 0
    for option, side in (("--licenses", args.licenses), ("--usage", args.usage)):
        if side is None:
            continue
        try:
            if option == "--licenses":
                given = _licences(side)
                _check_licence_ids(given, rulebook)
                rulebook = rulebook.with_licenses(given)
                for warning in _unknown_rules(given, rulebook):
                    warnings += 1
                    print(f"tradecontrol: warning: --licenses {side}: {warning}", file=err)
            else:
                usage = usage_from_dict(_read_json_file(side))
                for lid in usage:
                    if not rulebook.has_license(lid):
                        near = difflib.get_close_matches(
                            lid, [x.id for x in rulebook.licenses], n=3, cutoff=0.6
                        )
                        hint = f"; nearest licence ids: {', '.join(near)}" if near else ""
                        raise UnknownLicenseError(
                            f"no licence {lid!r} in the rulebook (give it with --licenses)" + hint,
                            path=lid,
                        )
        except TradeControlError as exc:
            raise _SideFileError(f"{option} {exc.located(source=side)}") from None
    entries: list[AllowEntry] = []
    for path in getattr(args, "allow_lists", ()):
        try:
            entries.extend(load_allow_list(path))
        except TradeControlError as exc:
            raise _SideFileError(f"--allow-list {exc.located(source=path)}") from None
    if entries:
        rulebook = rulebook.with_allow_list(entries)
    return rulebook, usage, warnings


def _check_licence_ids(licences: Sequence[License], rulebook: Rulebook) -> None:
    """Refuse a licence id given twice or already in the rulebook, with its ``[i].id``."""
    first: dict[str, int] = {}
    for i, licence in enumerate(licences):
        if licence.id in first:
            raise InvalidInputError(
                f"licence id {licence.id!r} given twice (also at [{first[licence.id]}])",
                path=f"[{i}].id",
            )
        if rulebook.has_license(licence.id):
            raise InvalidInputError(
                f"licence id {licence.id!r} is already in the rulebook", path=f"[{i}].id"
            )
        first[licence.id] = i


def _unknown_rules(licences: Sequence[License], rulebook: Rulebook) -> Iterator[str]:
    """A warning for each rule id a licence authorizes that no rule of ``rulebook`` has.

    Such a licence loads but can never apply (the evaluation fails closed); the id is
    most likely a typo, so the nearest known ids are named.
    """
    from tradecontrol.rules import RULES

    known = sorted({rule_id for rule_id, _ in RULES} | {info.id for info in rulebook.rules})
    for i, licence in enumerate(licences):
        for j, rule_id in enumerate(licence.authorizes):
            if rule_id in known:
                continue
            near = difflib.get_close_matches(rule_id, known, n=3, cutoff=0.0)
            yield (
                f"[{i}].authorizes[{j}]: licence {licence.id!r} authorizes {rule_id!r}, which "
                "is no rule of the rulebook, so it can never apply; nearest known rule ids: "
                + ", ".join(near)
            )


def _fit(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _key_citations(finding: Finding) -> str:
    """The rule's first citation, the listing's Federal Register rule, and the licence's."""
    federal_register = [c for c in finding.citations if " FR " in c or c.startswith("FR Doc")]
    picked = finding.citations[:1] + tuple(federal_register[:1])
    if finding.license_id is not None and federal_register:
        picked += (federal_register[-1],)
    return ", ".join(dict.fromkeys(picked)) or "-"


def _table_notes(decision: Decision) -> list[str]:
    deciding = decision.deciding
    notes = list(decision.cautions)
    if deciding is not None:
        notes.extend(deciding.cautions)
    out = [f"    ! {note}" for note in dict.fromkeys(notes)]
    out.extend(f"    = drawdown of {drawdown_text(d)}" for d in decision.drawdowns)
    return out


def _table_row(decision: Decision) -> str:
    deciding = decision.deciding
    rule = ref = citation = "-"
    if deciding is not None:
        rule = deciding.rule
        ref = deciding.license_id or deciding.matched_name or deciding.listing_id or "-"
        if deciding.outcome is Outcome.NOT_RESTRICTED and deciding.matched_name:
            ref = f"excepted: {ref}"
        citation = _key_citations(deciding)
    return _TABLE.format(
        id=_fit(decision.transaction_id, 28),
        outcome=decision.outcome.value,
        rule=_fit(rule, 22),
        ref=_fit(ref, 34),
        citation=citation,
    )


def _decide_lines(
    state: dict[str, Any], chunk: list[tuple[int, bytes | None]]
) -> list[tuple[str, str | None, tuple[str, ...]]]:
    """Decide a chunk of input lines (in a worker process with ``--jobs``).

    Returns, per line, ``(output text, error message or None, rules checked)``.
    """
    out: list[tuple[str, str | None, tuple[str, ...]]] = []
    for number, raw in chunk:
        try:
            transaction = _parse(raw, number == 1)
        except TradeControlError as exc:
            out.append(
                ("", f"tradecontrol: {exc.located(source=state['source'], line=number)}", ())
            )
            continue
        decision = evaluate(
            transaction, state["rulebook"], as_of=state["as_of"], usage=state["usage"]
        )
        if state["format"] == "json":
            text = _json_line(decision.to_dict())
        else:
            text = "\n".join([_table_row(decision), *_table_notes(decision)])
        out.append((text, None, decision.rules_checked))
    return out


class _Progress:
    """A tqdm bar on standard error: bytes read of the input (rate, ETA) and lines decided."""

    def __init__(self, bar: Any) -> None:
        self._bar = bar
        self._decided = 0

    def advance(self, chunk: list[tuple[int, bytes | None]], results: list[Any]) -> None:
        self._decided += len(results)
        self._bar.set_postfix_str(f"{self._decided:,} transactions", refresh=False)
        self._bar.update(sum(len(raw) if raw is not None else MAX_LINE_BYTES for _, raw in chunk))

    def close(self) -> None:
        self._bar.close()


def _progress(stream: IO[bytes], err: TextIO) -> _Progress | None:
    """A progress bar when standard error is a terminal and tqdm is installed, else None."""
    if not err.isatty():
        return None
    try:
        from tqdm import tqdm
    except ImportError:  # the optional extra tradecontrol[cli] is not installed
        return None
    total = None
    with contextlib.suppress(OSError, ValueError):
        info = os.fstat(stream.fileno())
        if stat.S_ISREG(info.st_mode):
            total = info.st_size
    bar = tqdm(
        total=total,
        unit="B",
        unit_scale=True,
        unit_divisor=1024,
        desc="evaluate",
        file=err,
        dynamic_ncols=True,
    )
    return _Progress(bar)


def _rulebook(
    paths: Sequence[str],
    err: TextIO,
    ownership: Sequence[str] = (),
    list_format: str | None = None,
    base: str | None = None,
    refused_edges: list[str] | None = None,
    refused_lists: list[str] | None = None,
) -> Rulebook:
    """The bundled rulebook (or the one saved at ``base``) plus lists and ownership edges.

    Adds the listings of ``paths`` and the edges of ``ownership``.

    Bad --ownership lines are reported on ``err`` and added to ``refused_edges``.

    ``paths`` are read as ``list_format`` (detected from each file's content when ``None``).
    Records that could not be loaded are reported on ``err``, counted per file (OFAC's
    side files separately); a --list file with refused records or without any listing is
    added to ``refused_lists`` (the run goes on, exit 1). Skipped records (not listings by
    design, nothing lost) are reported in their own line and do not make a file refused.
    """
    if base is None:
        rulebook = Rulebook.default()
    else:
        try:
            rulebook = Rulebook.load(base)
        except TradeControlError as exc:
            raise type(exc)(f"--rulebook {exc}") from None
    if ownership:
        rulebook = _with_ownership(
            rulebook, ownership, err, [] if refused_edges is None else refused_edges
        )
    if paths:
        extra: list[Listing] = []
        published: list[date] = []
        origins: list[str] = []  # the --list file of each listing in ``extra``
        for list_path in paths:
            try:
                snapshot = lists.load(list_path, format=list_format)
            except TradeControlError as exc:
                named = exc if exc.source else exc.located(source=list_path)
                raise type(exc)(f"--list {named}") from None
            incomplete = _report_snapshot(snapshot, list_path, err, "--list ")
            if incomplete and refused_lists is not None:
                refused_lists.append(list_path)
            origins.extend([list_path] * len(snapshot.listings))
            extra.extend(snapshot.listings)
            if snapshot.published is not None:
                published.append(snapshot.published)
        try:
            rulebook = rulebook.with_listings(extra, snapshot=max(published, default=None))
        except DataError as exc:  # a duplicate id: name the --list files, not positions
            raise _in_list_files(exc, origins) from None
    return rulebook


def _in_list_files(exc: DataError, origins: Sequence[str]) -> DataError:
    """``exc`` of ``with_listings`` with each ``listings[i]`` named by its --list file."""
    found = re.fullmatch(r"listings\[(\d+)\]", exc.path)
    if found is None:
        return exc
    message = re.sub(
        r"also at listings\[(\d+)\]",
        lambda m: f"also in --list {origins[int(m.group(1))]}",
        exc.message,
    )
    return DataError(f"--list {origins[int(found.group(1))]}: {message}")


def _report_snapshot(snapshot: lists.ListSnapshot, name: str, err: TextIO, option: str) -> bool:
    """Report on ``err`` what ``snapshot`` could not load, per source file.

    Skipped records (``Problem.skipped``: exact duplicates, empty rows, context entities)
    get a line of their own and do not count as refused.

    Returns:
        True when a record was refused or the file holds no listing at all (exit 1).
    """
    counts: dict[str, list[int]] = {}
    for problem in snapshot.problems:
        slot = (2 if problem.skipped else 0) if problem.fatal else 1
        counts.setdefault(problem.source, [0, 0, 0])[slot] += 1
    for source, (refused, partial, skipped) in counts.items():
        side = "" if source in (name, snapshot.source) else f" ({source})"
        if refused or partial:
            print(
                f"tradecontrol: {option}{name}{side}: {refused} record(s) refused, "
                f"{partial} partly loaded (see `tradecontrol lists summary {name}`)",
                file=err,
            )
        if skipped:
            print(
                f"tradecontrol: {option}{name}{side}: {skipped} record(s) skipped: not "
                "listings by design (exact duplicates, empty rows, context entities; see "
                f"`tradecontrol lists summary {name}`)",
                file=err,
            )
    if not snapshot.listings:
        print(
            f"tradecontrol: {option}{name}: no listing in this file "
            f"({snapshot.records} record(s), format {snapshot.format})",
            file=err,
        )
        return True
    return any(problem.fatal and not problem.skipped for problem in snapshot.problems)


def _refused_lists(refused: Sequence[str], err: TextIO, done: str = "decided") -> int:
    """Say how many --list files were not wholly loaded; 1 if any (0 otherwise)."""
    if not refused:
        return 0
    print(
        f"tradecontrol: {len(refused)} --list file(s) had refused records or no listing; "
        f"{done} with what they did load",
        file=err,
    )
    return 1


def _with_ownership(
    rulebook: Rulebook, paths: Sequence[str], err: TextIO, refused: list[str]
) -> Rulebook:
    """``rulebook`` with the edges of the --ownership files; bad lines reported on ``err``.

    Each bad line is also added to ``refused`` (``file:line``): the run goes on, exit 1.

    An edge that contradicts the others (shares over 100%, an undated edge given twice)
    is refused with its file and line: the graph would be wrong whichever edge was dropped.
    """
    from tradecontrol.lists.ownership_edges import read_numbered
    from tradecontrol.ownership import OwnershipEdge

    edges: list[OwnershipEdge] = []
    origins: list[tuple[str, int]] = []
    for edge_path in paths:
        try:
            found, problems = read_numbered(edge_path)
        except TradeControlError as exc:
            raise type(exc)(f"--ownership {exc}") from None
        for problem in problems:
            where = f"{problem.field}: " if problem.field else ""
            print(
                f"tradecontrol: {edge_path}:{problem.record}: {where}{problem.reason} "
                "(edge not loaded)",
                file=err,
            )
        refused.extend(f"{edge_path}:{problem.record}" for problem in problems)
        for number, edge in found:
            edges.append(edge)
            origins.append((edge_path, number))
    try:
        return rulebook.with_ownership(edges)
    except TradeControlError as exc:
        index = re.fullmatch(r"ownership\[(\d+)\]", exc.path)
        if index is None or int(index.group(1)) >= len(origins):
            raise
        source, line = origins[int(index.group(1))]
        raise DataError(f"--ownership {source}:{line}: {exc.message}") from None


def _refused_edges(refused: Sequence[str], err: TextIO) -> int:
    """Say how many --ownership lines were not loaded; 1 if any (0 otherwise)."""
    if not refused:
        return 0
    print(
        f"tradecontrol: {len(refused)} --ownership line(s) not loaded; decided without them",
        file=err,
    )
    return 1


def _explain(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from tradecontrol.explain import explain_lines, ownership_view, to_dot, to_mermaid

    name = "-" if args.file == "-" else args.file
    try:
        stream: IO[bytes] = sys.stdin.buffer if name == "-" else open(name, "rb")  # noqa: SIM115
    except OSError as exc:
        print(f"tradecontrol: cannot read {name}: {exc.strerror}", file=err)
        return 1
    refused: list[str] = []
    refused_lists: list[str] = []
    built = _run_rulebook(args, err, refused, refused_lists, stream)
    if built is None:
        return 1
    rulebook, usage, warnings = built
    bad = 0
    try:
        for number, raw in _lines(stream):
            if raw is not None and not raw.strip():
                continue
            try:
                transaction = _parse(raw, number == 1)
            except TradeControlError as exc:
                bad += 1
                print(f"tradecontrol: {exc.located(source=name, line=number)}", file=err)
                continue
            decision = evaluate(transaction, rulebook, as_of=args.as_of, usage=usage)
            for line in explain_lines(decision):
                print(line, file=out)
            if args.graph is not None:
                view = ownership_view(transaction, rulebook, decision.as_of)
                render = to_dot if args.graph == "dot" else to_mermaid
                print(render(view), file=out)
            print(file=out)
    finally:
        if stream is not sys.stdin.buffer:
            stream.close()
    if bad:
        print(f"tradecontrol: {bad} bad line(s) in {name}; the others were explained", file=err)
    return max(
        _refused_edges(refused, err),
        _refused_lists(refused_lists, err, "explained"),
        1 if bad or warnings else 0,
    )


def _run_rulebook(
    args: argparse.Namespace,
    err: TextIO,
    refused: list[str],
    refused_lists: list[str],
    stream: IO[bytes],
) -> tuple[Rulebook, dict[str, LicenseUsage] | None, int] | None:
    """The run's rulebook (``--rulebook``, ``--list``, ``--ownership``, side files).

    Returns:
        ``(rulebook, usage, warnings)``, or ``None`` when a side file is unusable (said
        on ``err``; ``stream`` is then closed unless it is standard input).
    """
    try:
        return _side_files(
            args,
            _rulebook(
                args.lists,
                err,
                args.ownership,
                args.list_format,
                args.rulebook,
                refused,
                refused_lists,
            ),
            err,
        )
    except _SideFileError as exc:
        print(f"tradecontrol: {exc}", file=err)
        if stream is not sys.stdin.buffer:
            stream.close()
        return None


def _evaluate(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    name = "-" if args.file == "-" else args.file
    refused: list[str] = []
    refused_lists: list[str] = []
    try:
        stream: IO[bytes] = sys.stdin.buffer if name == "-" else open(name, "rb")  # noqa: SIM115
    except OSError as exc:
        print(f"tradecontrol: cannot read {name}: {exc.strerror}", file=err)
        return 1
    built = _run_rulebook(args, err, refused, refused_lists, stream)
    if built is None:
        return 1
    rulebook, usage, warnings = built
    bad = 0
    checked: tuple[str, ...] = ()
    if args.format == "table":
        print(
            _TABLE.format(
                id="ID",
                outcome="OUTCOME",
                rule="RULE",
                ref="LICENCE / LISTING",
                citation="CITATIONS",
            ),
            file=out,
        )
    state = {
        "rulebook": rulebook,
        "as_of": args.as_of,
        "format": args.format,
        "source": name,
        "usage": usage,
    }
    bar = _progress(stream, err)
    try:
        lines = ((n, raw) for n, raw in _lines(stream) if raw is None or raw.strip())
        for text, problem, rules in ordered_map(
            _decide_lines,
            lines,
            jobs=args.jobs,
            # one line at a time in-process, so a trickling stdin gets answers at once
            chunk_size=DEFAULT_CHUNK_SIZE if args.jobs > 1 else 1,
            state=state,
            on_chunk=None if bar is None else bar.advance,
        ):
            if problem is not None:
                bad += 1
                print(problem, file=err)
                continue
            print(text, file=out)
            checked = rules
    finally:
        if bar is not None:
            bar.close()
        if stream is not sys.stdin.buffer:
            stream.close()
    if args.format == "table" and checked:
        print(
            f"Rules checked: {', '.join(checked)} (rulebook {rulebook.id} {rulebook.version}). "
            "'not_restricted' means no restriction under these rules only; use --format json "
            "for every finding.",
            file=out,
        )
    if bad:
        print(f"tradecontrol: {bad} bad line(s) in {name}; the others were decided", file=err)
    return max(
        _refused_edges(refused, err),
        _refused_lists(refused_lists, err),
        1 if bad or warnings else 0,
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status.

    Args:
        argv: Arguments without the program name (default: ``sys.argv[1:]``).
    """
    args = _parser().parse_args(argv)
    closed = _closed_stream(args)
    if closed:
        if sys.stderr is not None:
            print(f"tradecontrol: {closed}", file=sys.stderr)
        return 1
    try:
        status = _run(args)
        sys.stdout.flush()  # a full disk fails here, not silently at exit
        return status
    except TradeControlError as exc:
        print(f"tradecontrol: {exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:  # e.g. piped into head
        sys.stderr.close()
        return 0
    except OSError as exc:  # reading or writing failed midway (a full disk...)
        _discard_stdout()
        where = f" ({exc.filename})" if exc.filename else ""
        print(f"tradecontrol: stopped: {exc.strerror or exc}{where}", file=sys.stderr)
        return 1


def _discard_stdout() -> None:
    """Point standard output at the null device, so the flush at exit cannot fail again."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
        os.close(null)


def _closed_stream(args: argparse.Namespace) -> str | None:
    """Why the run cannot start: standard output (or input, for ``-``) is closed."""
    if sys.stdout is None:
        return "standard output is closed: there is nowhere to write the results"
    if getattr(args, "file", None) == "-" and sys.stdin is None:
        return "standard input is closed: FILE is - but nothing can be read"
    return None


def _run(args: argparse.Namespace) -> int:
    """Dispatch to the sub-command; its exit status."""
    if args.command == "lists":
        return _lists(args, sys.stdout, sys.stderr)
    if args.command == "explain":
        return _explain(args, sys.stdout, sys.stderr)
    if args.command == "screen":
        from tradecontrol.screening.cli import run_screen

        refused_lists: list[str] = []
        status = run_screen(
            args,
            functools.partial(_rulebook, base=args.rulebook, refused_lists=refused_lists),
            sys.stdout,
            sys.stderr,
        )
        return max(status, _refused_lists(refused_lists, sys.stderr, "screened"))
    return _evaluate(args, sys.stdout, sys.stderr)


def _screen_parser(sub: Any) -> None:
    from tradecontrol.screening.cli import add_screen_parser

    add_screen_parser(sub, _as_of)
    sub.choices["screen"].add_argument(
        "--rulebook",
        default=None,
        metavar="FILE",
        help="screen against a rulebook saved with Rulebook.save() instead of the bundled one",
    )


def _lists(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    if args.lists_command == "summary":
        snap = lists.load(args.path, format=args.list_format)
        if args.format == "json":
            print(json.dumps(_summary_dict(snap), ensure_ascii=False), file=out)
            return 0
        published = snap.published.isoformat() if snap.published else "not stated"
        print(f"{snap.source}: format {snap.format}, published {published}", file=out)
        refused, partial, skipped = _problem_counts(snap)
        print(
            f"records {snap.records}: {len(snap.listings)} listings, {refused} refused, "
            f"{skipped} skipped, {partial} partial problems",
            file=out,
        )
        for code, count in snap.count_by_list().items():
            print(f"  {code:<10} {count:>7}", file=out)
        for problem in snap.problems:
            kind = ("skipped" if problem.skipped else "refused") if problem.fatal else "note"
            where = f"{problem.field}: " if problem.field else ""
            side = f"{problem.source} " if problem.source != snap.source else ""
            print(f"  {kind} {side}record {problem.record}: {where}{problem.reason}", file=out)
        return 0
    return _diff(args, out, err)


def _diff(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """``lists diff OLD NEW``; exit 1 (and say so first) when either file had problems.

    Skipped records (not listings by design, nothing lost) alone do not make a file
    incomplete; they are counted in the warning of a file that is.
    """
    old = lists.load(args.old, format=args.list_format)
    new = lists.load(args.new, format=args.list_format)
    result = lists.diff(old, new)
    incomplete = [
        (which, snap, _problem_counts(snap))
        for which, snap in (("OLD", old), ("NEW", new))
        if any(not p.skipped for p in snap.problems) or not snap.listings
    ]
    warnings = [
        f"{which} {snap.source}: {refused} record(s) refused, {partial} partly loaded, "
        + (f"{skipped} skipped (not listings by design), " if skipped else "")
        + f"{len(snap.listings)} listing(s) of {snap.records} record(s)"
        for which, snap, (refused, partial, skipped) in incomplete
    ]
    for warning in warnings:
        print(f"tradecontrol: lists diff: {warning}; the diff may be wrong", file=err)
    if args.format == "json":
        print(
            json.dumps(
                {
                    "added": [x.id for x in result.added],
                    "removed": [x.id for x in result.removed],
                    "amended": [{"id": a.id, "fields": list(a.fields)} for a in result.amended],
                    "complete": not incomplete,
                    "files": {
                        which.lower(): {
                            "source": snap.source,
                            "records": snap.records,
                            "listings": len(snap.listings),
                            "refused": _problem_counts(snap)[0],
                            "partial": _problem_counts(snap)[1],
                            "skipped": _problem_counts(snap)[2],
                        }
                        for which, snap in (("OLD", old), ("NEW", new))
                    },
                },
                ensure_ascii=False,
            ),
            file=out,
        )
        return 1 if incomplete else 0
    for warning in warnings:
        print(f"INCOMPLETE: {warning} (see `tradecontrol lists summary`)", file=out)
    print(
        f"{len(result.added)} added, {len(result.removed)} removed, {len(result.amended)} amended",
        file=out,
    )
    for listing in result.added:
        print(f"+ {listing.id}  {listing.list_code}  {listing.entity.name}", file=out)
    for listing in result.removed:
        print(f"- {listing.id}  {listing.list_code}  {listing.entity.name}", file=out)
    for amendment in result.amended:
        print(f"~ {amendment.id}  {', '.join(amendment.fields)}", file=out)
    return 1 if incomplete else 0


def _problem_counts(snap: lists.ListSnapshot) -> tuple[int, int, int]:
    """``(records refused, partial problems, records skipped)`` of a snapshot."""
    fatal = sum(problem.fatal for problem in snap.problems)
    skipped = sum(problem.skipped for problem in snap.problems)
    return fatal - skipped, len(snap.problems) - fatal, skipped


def _summary_dict(snap: lists.ListSnapshot) -> dict[str, Any]:
    return {
        "source": snap.source,
        "format": snap.format,
        "published": snap.published.isoformat() if snap.published else None,
        "records": snap.records,
        "listings": len(snap.listings),
        "by_list": snap.count_by_list(),
        "problems": [
            {
                "source": p.source,
                "record": p.record,
                "field": p.field,
                "reason": p.reason,
                "fatal": p.fatal,
                "skipped": p.skipped,
                "record_id": p.record_id,
            }
            for p in snap.problems
        ],
    }
