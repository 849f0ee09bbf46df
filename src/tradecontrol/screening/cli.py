"""``tradecontrol screen``: screen one name against the rulebook's listings (internal).

``tradecontrol screen NAME [--kind K] [--country CC] [--birth-date D] [--list PATH ...]
[--allow-list PATH ...] [--as-of DATE] [--match T] [--review T] [--format table|json]``

Exit status 0 whatever was found (a match is an answer, not an error), 1 on bad input
(a list or allow-list file that cannot be read, a birth date for a non-person), 2 on usage
errors (an unknown country code, a malformed date or birth date, a birth date after the
screening moment, a --match threshold below the --review threshold).
"""

from __future__ import annotations

import argparse
import json
import re
from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Any, TextIO

from tradecontrol._time import Moment
from tradecontrol._validators import partial_date
from tradecontrol.entities import Entity, EntityKind
from tradecontrol.errors import InvalidInputError
from tradecontrol.jurisdictions import Jurisdiction
from tradecontrol.rulebook import Rulebook
from tradecontrol.screening import scoring
from tradecontrol.screening.allowlist import load_allow_list
from tradecontrol.screening.screen import Match, Thresholds, screen

__all__ = ["add_screen_parser", "run_screen"]

_ROW = "{score:>5}  {status:<10} {list:<8} {id:<28} {name}"


def _country(text: str) -> Jurisdiction:
    try:
        return Jurisdiction(text)
    except InvalidInputError as exc:
        raise argparse.ArgumentTypeError(exc.message) from None


def _birth_date(text: str) -> str:
    """``--birth-date``: a partial date (``1961``, ``1961-04``, ``circa 1961``...)."""
    try:
        return partial_date(text)
    except InvalidInputError as exc:
        raise argparse.ArgumentTypeError(exc.message) from None


def _earliest(birth_date: str) -> date:
    """The first day a partial birth date can stand for (``1960 to 1962`` -> 1960-01-01)."""
    found = re.search(r"([0-9]{4})(?:-([0-9]{2}))?(?:-([0-9]{2}))?", birth_date)
    if found is None:  # pragma: no cover - partial_date admits only these forms
        raise InvalidInputError(f"{birth_date!r} is not a date")
    year, month, day = found.groups()
    return date(int(year), int(month or 1), int(day or 1))


def _usage_error(option: str, message: str, err: TextIO) -> int:
    """Report a bad option value as argparse does; return exit status 2."""
    print(f"tradecontrol screen: error: argument {option}: {message}", file=err)
    return 2


def _score(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number 0–1") from None
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"{text!r} is not between 0 and 1")
    return value


def add_allow_list_option(parser: argparse.ArgumentParser, note: str = "") -> None:
    """Add ``--allow-list PATH`` (repeatable, into ``allow_lists``) to a sub-command."""
    parser.add_argument(
        "--allow-list",
        action="append",
        default=[],
        metavar="PATH",
        dest="allow_lists",
        help="JSON-lines allow-list entries (known false positives) to apply (repeatable)" + note,
    )


def add_screen_parser(sub: Any, as_of: Callable[[str], Moment]) -> None:
    """Add the ``screen`` sub-command to the CLI's sub-parsers."""
    sc = sub.add_parser(
        "screen",
        help="screen a name against the listings (fuzzy, explained)",
        description="Screen one name against the bundled rulebook's listings (plus any "
        "--list files) in force at --as-of (default: the rulebook's snapshot date). "
        "Prints each match and review candidate with its score and why.",
    )
    sc.add_argument("name", metavar="NAME", help="the name to screen")
    sc.add_argument(
        "--kind",
        choices=[k.value for k in EntityKind],
        default=None,
        help="what the name is (default: unknown; person when --birth-date is given)",
    )
    sc.add_argument("--country", type=_country, default=None, help="ISO 3166 country code")
    sc.add_argument(
        "--birth-date",
        type=_birth_date,
        default=None,
        metavar="DATE",
        help="date of birth (persons): 1961, 1961-04, 'circa 1961'; not after the screening moment",
    )
    sc.add_argument(
        "--list",
        action="append",
        default=[],
        metavar="PATH",
        dest="lists",
        help="add the listings of an official list file (repeatable)",
    )
    add_allow_list_option(sc)
    sc.add_argument("--as-of", type=as_of, default=None, metavar="DATE", help="ISO date")
    sc.add_argument("--match", type=_score, default=None, metavar="T", help="match threshold")
    sc.add_argument("--review", type=_score, default=None, metavar="T", help="review threshold")
    sc.add_argument("--format", choices=("table", "json"), default="table")


def _thresholds(args: argparse.Namespace, rulebook: Rulebook) -> Thresholds | None:
    if args.match is None and args.review is None:
        return None
    base = rulebook.thresholds or Thresholds()
    return Thresholds(
        match=base.match if args.match is None else args.match,
        review=base.review if args.review is None else args.review,
    )


def _table(matches: Sequence[Match], out: TextIO) -> None:
    print(
        _ROW.format(score="SCORE", status="STATUS", list="LIST", id="LISTING", name="NAME"),
        file=out,
    )
    for m in matches:
        status = f"{m.status}*" if m.suppressed else m.status
        print(
            _ROW.format(
                score=f"{m.score:.2f}",
                status=status,
                list=m.listing.list_code,
                id=m.listing.id,
                name=m.matched_name,
            ),
            file=out,
        )
        why = ", ".join(f.detail for f in m.explanation.features)
        print(f"       {m.explanation.query_form!r} ~ {m.explanation.listed_form!r}", file=out)
        if why:
            print(f"       {why}", file=out)
        if m.suppressed_by is not None:
            entry = m.suppressed_by
            print(f"       * suppressed by allow-list entry {entry.id}: {entry.reason}", file=out)


def run_screen(
    args: argparse.Namespace,
    make_rulebook: Callable[[Sequence[str], TextIO], Rulebook],
    out: TextIO,
    err: TextIO,
) -> int:
    """Run ``tradecontrol screen``; return the exit status.

    Returns 2 (usage error) when ``--match`` is below ``--review`` (either one given
    against the rulebook's other threshold), or the birth date begins after the screening
    moment (``--as-of``, else the rulebook's snapshot date): nobody screened was born then.

    Raises:
        TradeControlError: Bad input (the CLI reports it and exits 1).
    """
    kind = args.kind or ("person" if args.birth_date else "unknown")
    entity = Entity(name=args.name, kind=kind, country=args.country, birth_date=args.birth_date)
    rulebook = make_rulebook(args.lists, err)
    try:
        limits = _thresholds(args, rulebook)
    except InvalidInputError as exc:
        return _usage_error("--match/--review", exc.message, err)
    moment = args.as_of or rulebook.snapshot
    day = moment.date() if isinstance(moment, datetime) else moment
    if args.birth_date is not None and _earliest(args.birth_date) > day:
        return _usage_error(
            "--birth-date",
            f"{args.birth_date!r} is after the screening moment {day.isoformat()} "
            "(--as-of, else the rulebook's snapshot date)",
            err,
        )
    entries = [e for path in args.allow_lists for e in load_allow_list(path)]
    if entries:
        rulebook = rulebook.with_allow_list(entries)
    matches = screen(entity, rulebook, as_of=args.as_of, thresholds=limits)
    if (limits or rulebook.thresholds or Thresholds()).fuzzy and not scoring.AVAILABLE:
        print(
            "note: exact-normalised matching only; install the tradecontrol[screening] extra "
            "for fuzzy matching (misspellings, transliteration, word order)",
            file=err,
        )
    if args.format == "json":
        for m in matches:
            print(json.dumps(m.to_dict(), ensure_ascii=False), file=out)
        return 0
    used = limits or rulebook.thresholds or Thresholds()
    when = (args.as_of or rulebook.snapshot).isoformat()
    if not matches:
        print(
            f"No match or review candidate for {args.name!r} among {len(rulebook.listings)} "
            f"listings as of {when} (thresholds: match {used.match}, review {used.review}).",
            file=out,
        )
        return 0
    _table(matches, out)
    print(
        f"As of {when}; thresholds: match {used.match}, review {used.review}; "
        "* = suppressed by the allow-list (does not restrict).",
        file=out,
    )
    return 0
