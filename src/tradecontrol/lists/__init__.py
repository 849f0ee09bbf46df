r"""Loaders for official list formats — the only package that reads list files.

:func:`load` reads any supported file (the format is detected from its content) into a
:class:`ListSnapshot` whose every record is a :class:`~tradecontrol.Listing` or a
:class:`Problem`; :func:`diff` compares two snapshots.

Example:
    >>> import json, tempfile, pathlib
    >>> from tradecontrol import lists
    >>> line = json.dumps({"id": "acme-1", "list_code": "INTERNAL", "authority": "ACME",
    ...     "entity": {"name": "Example Trading Ltd."},
    ...     "versions": [{"window": {"start": "2024-01-01"}}]})
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "internal.jsonl"
    >>> _ = path.write_text(line + "\n{broken\n")
    >>> snap = lists.load(path)
    >>> snap.format, len(snap.listings), snap.problems[0].record
    ('tradecontrol-jsonl', 1, 2)
"""

from __future__ import annotations

import contextlib
import csv
import gc
import os
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from types import ModuleType

from tradecontrol.errors import DataError, InvalidInputError, TradeControlError
from tradecontrol.listings import Listing
from tradecontrol.lists import (
    bis_dpl,
    canonical,
    csl_csv,
    csl_json,
    eu_xml,
    ofac_advanced,
    ofac_csv,
    ofac_enhanced,
    ofac_xml,
    opensanctions_ftm,
    uk_xml,
    un_xml,
)
from tradecontrol.lists._core import (
    Amendment,
    ListDiff,
    ListProblemError,
    ListSnapshot,
    Problem,
    Published,
)

__all__ = [
    "FORMATS",
    "MAX_PROBLEMS",
    "Amendment",
    "ListDiff",
    "ListProblemError",
    "ListSnapshot",
    "Problem",
    "diff",
    "load",
]

FORMATS: tuple[ModuleType, ...] = (
    canonical,
    opensanctions_ftm,
    csl_json,
    csl_csv,
    ofac_csv,
    ofac_xml,
    ofac_enhanced,
    ofac_advanced,
    un_xml,
    eu_xml,
    uk_xml,
    bis_dpl,
)
"""Loader modules, in the order their ``sniff`` is tried."""

SNIFF_BYTES = 1 << 16

MAX_PROBLEMS = 100_000
"""Most problems one file may have before loading stops (it is then not that format)."""


def _format(name: str | None, path: Path) -> ModuleType:
    if name is not None:
        for module in FORMATS:
            if name == module.NAME:
                return module
        known = ", ".join(m.NAME for m in FORMATS)
        raise DataError(f"unknown list format {name!r}; known formats: {known}", source=str(path))
    with _reading(path):
        with path.open("rb") as fh:
            head = fh.read(SNIFF_BYTES)
        for module in FORMATS:
            if module.sniff(head, path):
                return module
    raise DataError(
        "not a list format tradecontrol reads (force one with format=, or --list-format "
        "on the command line)",
        source=str(path),
    )


@contextlib.contextmanager
def _reading(path: Path) -> Iterator[None]:
    """Turn every failure of reading a file into a :class:`DataError` naming the file."""
    try:
        yield
    except TradeControlError:
        raise
    except OSError as exc:
        raise DataError(f"cannot read: {exc.strerror or exc}", source=str(path)) from None
    except (
        ValueError,
        LookupError,
        EOFError,
        RecursionError,
        NotImplementedError,
        zlib.error,
        csv.Error,
    ) as exc:  # corrupt compression, encodings, digit limits
        raise DataError(
            f"cannot read: {type(exc).__name__}: {str(exc)[:200]}", source=str(path)
        ) from None


@contextlib.contextmanager
def _without_cyclic_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while a file's records are built.

    A load allocates hundreds of thousands of small acyclic objects that all stay alive;
    the collector would scan them again and again (about a fifth of the load time on the
    CSL). Reference counting still frees everything.

    When the collector is enabled and the caller has frozen nothing, the caller's young
    generations are first collected as usual (``gc.collect(1)``: its garbage cycles are
    freed, its live young objects move on, as after any such collection), and a load that
    succeeds then moves the objects it built, unscanned, into the oldest generation
    (``gc.freeze()`` then ``gc.unfreeze()``, two list moves). The young-generation pass
    that would follow at the next allocation would only find these long-lived records
    alive (7 % of a CSL load, 5 % of an OFAC one), and so would the middle generation's;
    full collections scan them whichever way they reach the oldest generation. Whether
    the collector is enabled, its thresholds and the caller's frozen objects are left as
    they were (when the caller has frozen objects, nothing is moved).
    """
    enabled = gc.isenabled()
    move = enabled and gc.get_freeze_count() == 0
    if move:
        gc.collect(1)  # the caller's young objects: collected, not moved unscanned
    try:  # (disable and freeze inside: an interrupt right after them still restores)
        gc.disable()
        yield
        if move and gc.get_freeze_count() == 0:
            try:
                gc.freeze()  # only the load's objects are young now: to the oldest generation
            finally:
                gc.unfreeze()
    finally:
        if enabled:
            gc.enable()


def load(path: str | Path, *, format: str | None = None, strict: bool = False) -> ListSnapshot:
    """Read a list file.

    Args:
        path: The file (for OFAC's legacy CSV, ``sdn.csv``; its companions ``add.csv``,
            ``alt.csv`` and ``sdn_comments.csv`` are read from the same folder).
        format: Force a format by name (see :data:`FORMATS`); detected from the content
            when ``None``.
        strict: Raise every problem at once instead of returning them: refused and
            skipped records and notes alike (see :class:`Problem`), so a strict load
            fails on a file with an exact duplicate or an empty row too.

    Returns:
        A :class:`ListSnapshot`: every record is a listing or a problem (refused, skipped
        or note).

    Raises:
        DataError: Unreadable file or unknown format.
        ExceptionGroup: With ``strict=True``, of :class:`ListProblemError`, one per problem.
        InvalidInputError: ``path`` is not a str or os.PathLike.
    """
    if not isinstance(path, str | os.PathLike):
        raise InvalidInputError(
            f"lists.load: path must be a file name (str or os.PathLike), got {type(path).__name__}"
        )
    path = Path(path)
    with _reading(path):
        if not path.exists():
            raise DataError("cannot read: no such file", source=str(path))
        if not path.is_file():
            raise DataError("not a regular file (a directory, device or pipe)", source=str(path))
    module = _format(format, path)
    listings: list[Listing] = []
    problems: list[Problem] = []
    published = None
    records = 0
    seen: dict[str, int] = {}
    remember = seen.setdefault  # the number of the record that first had an id
    keep = listings.append
    with _reading(path), _without_cyclic_gc():
        for record in module.read(path):
            if type(record) is Listing or isinstance(record, Listing):  # (the usual record)
                records += 1
                first = remember(record.id, records)  # (one look-up: the record's number)
                if first == records:  # a new id
                    keep(record)
                    continue
                record = Problem(  # noqa: PLW2901 - a duplicate becomes a problem
                    source=str(path),
                    record=records,
                    field="id",
                    record_id=record.id,
                    reason=f"duplicate listing id {record.id!r} (as record {first})",
                )
            elif isinstance(record, Published):
                published = record.date
                continue
            else:
                records += record.fatal
            problems.append(record)
            if len(problems) > MAX_PROBLEMS:
                raise DataError(
                    f"more than {MAX_PROBLEMS} problems: the file is probably not in the "
                    f"{module.NAME} format",
                    source=str(path),
                )
        snapshot = ListSnapshot(
            source=str(path),
            format=module.NAME,
            listings=listings,
            problems=problems,
            published=published,
            records=records,
        )
    if strict and problems:
        raise ExceptionGroup(
            f"{len(problems)} problem(s) in {path}", [p.to_error() for p in problems]
        )
    return snapshot


def diff(old: ListSnapshot | Iterable[Listing], new: ListSnapshot | Iterable[Listing]) -> ListDiff:
    """Listings added, removed and amended between two snapshots, matched by id.

    Args:
        old: The earlier snapshot (or listings).
        new: The later one.

    Returns:
        A :class:`ListDiff`; amended listings name the top-level fields that changed.
    """
    before = {x.id: x for x in (old.listings if isinstance(old, ListSnapshot) else old)}
    after = {x.id: x for x in (new.listings if isinstance(new, ListSnapshot) else new)}
    amended = []
    for key in before.keys() & after.keys():
        a, b = before[key].to_dict(), after[key].to_dict()
        if a != b:
            fields = _changed(a, b)
            amended.append(Amendment(id=key, fields=fields, old=before[key], new=after[key]))
    return ListDiff(
        added=tuple(after[k] for k in after if k not in before),
        removed=tuple(before[k] for k in before if k not in after),
        amended=tuple(sorted(amended, key=lambda x: x.id)),
    )


def _changed(a: dict[str, object], b: dict[str, object], prefix: str = "") -> tuple[str, ...]:
    out: list[str] = []
    for key in sorted(a.keys() | b.keys()):
        x, y = a.get(key), b.get(key)
        if x == y:
            continue
        if isinstance(x, dict) and isinstance(y, dict):
            out.extend(_changed(x, y, f"{prefix}{key}."))
        else:
            out.append(f"{prefix}{key}")
    return tuple(out)
