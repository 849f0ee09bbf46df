"""BIS Denied Persons List, tab-separated text (``dpl.txt``).

Source: https://www.bis.doc.gov/dpl/dpl.txt (U.S. Commerce Department, Bureau of Industry
and Security). A header row, then one row per denial order and address, columns
``Name, Street_Address, City, State, Country, Postal_Code, Effective_Date,
Expiration_Date, Standard_Order, Last_Update, Action, FR_Citation``; cells may or may not
be quoted. Each row becomes one listing (list code ``DPL``, authority ``US-BIS``); the
denial order itself is the measure, so no licence requirement is set.

Mapping and quirks:

* Id ``us-dpl-<sha1[:16]>`` of the name, the address cells and the effective date (as an
  ISO date), so it is stable across re-publications and date spellings. A row repeating
  an earlier row exactly (every cell, spaces squashed) is a skipped record naming that row
  (BIS publishes a few exact duplicates; the listing is already there, and the problem's
  ``record_id`` is its id), unless a cell holds an undecodable byte (U+FFFD; then it is
  refused: the rows may differ), and so is a repeat of a refused row (no listing is
  there); a row with the same key but other differences gets a suffixed id.
* ``Effective_Date`` and ``Expiration_Date`` (``MM/DD/YYYY``, with or without leading
  zeros) give the window (zone America/New_York). ``Last_Update`` may be ISO or
  ``M/D/YYYY``; it is kept in the remarks with ``Standard_Order`` and ``Action``.
* ``Country`` is usually an ISO code (``PRC`` and US state codes occur); unknown values
  are non-fatal problems kept in the remarks.
* ``FR_Citation`` often lists several notices (``68 F.R. 38290 6/27/03 71 F.R. 38843
  7/10/06``); it is split at each new ``<volume> F.R.`` whatever the spacing and dots
  (``81 F.R.45276``, ``83F.R. 28801``, ``81 FR45276``, ``81 Fed. Reg. 45276``), each part
  cleaned of non-breaking, doubled and trailing spaces and separators, and its head
  written in the Federal Register's own citation form (``81 FR 45276``); the rest of the
  part (dates, further pages) is kept as written.
* Rows whose cells are all empty (``""`` cells included) are skipped records: not
  listings, nothing lost. Skipped records are fatal problems with ``skipped=True``
  (see :class:`~tradecontrol.lists.Problem`). Lines that are not UTF-8 are read as
  Windows-1252 with a non-fatal problem. Rows are numbered by their first line in the
  file (the header is line 1).
"""

from __future__ import annotations

import csv
import datetime
import hashlib
import re
from collections.abc import Iterator
from pathlib import Path

from tradecontrol.entities import EntityKind
from tradecontrol.errors import DataError
from tradecontrol.listings import Listing
from tradecontrol.lists._core import Problem, Record
from tradecontrol.lists._intl_common import (
    NO_DATE_NOTE,
    Draft,
    guarded,
    iso_date,
    slash_date,
    squash,
)
from tradecontrol.lists._text import bounded_lines, csv_error, fr_citation_parts

NAME = "bis-dpl-txt"

ZONE = "America/New_York"

COLUMNS = (
    "name",
    "street_address",
    "city",
    "state",
    "country",
    "postal_code",
    "effective_date",
    "expiration_date",
    "standard_order",
    "last_update",
    "action",
    "fr_citation",
)


def _header(line: bytes) -> list[str]:
    text = line.decode("utf-8", errors="replace").lstrip("\ufeff").strip("\r\n")
    return [cell.strip().strip('"').strip().lower() for cell in text.split("\t")]


def sniff(head: bytes, path: Path) -> bool:
    """A tab-separated header with ``Name``, ``Effective_Date`` and ``Standard_Order``."""
    first = head.split(b"\n", 1)[0]
    if b"\t" not in first:
        return False
    cells = set(_header(first))
    return {"name", "street_address", "effective_date", "standard_order"} <= cells


def read(path: Path) -> Iterator[Record]:
    """Yield a listing or a fatal problem for every data row.

    Raises:
        DataError: Unreadable file, or no ``Name`` column in the header.
    """
    source = str(path)
    try:
        fh = path.open("rb")
    except OSError as exc:
        raise DataError(f"cannot read: {exc.strerror}", source=source) from None
    with fh:
        try:
            yield from _rows(source, fh)
        except OSError as exc:
            raise DataError(f"cannot read: {exc.strerror}", source=source) from None


class _Lines:
    """Decoded lines for the csv module, remembering line numbers and non-UTF-8 lines."""

    def __init__(self, fh: object) -> None:
        self._fh = fh
        self.number = 0
        self.not_utf8: set[int] = set()

    def __iter__(self) -> Iterator[str]:
        for raw in bounded_lines(self._fh):  # type: ignore[arg-type]
            self.number += 1
            if self.number == 1 and raw.startswith(b"\xef\xbb\xbf"):
                raw = raw[3:]  # noqa: PLW2901 - the byte-order mark
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError:
                self.not_utf8.add(self.number)
                text = raw.decode("cp1252", errors="replace")
            yield text


def _rows(source: str, fh: object) -> Iterator[Record]:
    lines = _Lines(fh)
    reader = csv.reader(iter(lines), delimiter="\t")
    header: list[str] = []
    while not header:  # blank lines before the header are skipped
        try:
            header = [cell.strip().lower() for cell in next(reader)]
        except StopIteration:
            return
        except csv.Error as exc:
            raise DataError(f"unreadable header: {csv_error(exc)}", source=source) from None
    if "name" not in header:
        raise DataError("not a Denied Persons List: no Name column in the header", source=source)
    seen: dict[str, tuple[int, tuple[str, ...]]] = {}
    while True:
        start = lines.number + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield Problem(source=source, record=start, field="", reason=f"unreadable row: {exc}")
            continue
        if not row:
            continue
        bad = {n for n in range(start, lines.number + 1) if n in lines.not_utf8}
        yield from guarded(source, start, _row, source, start, header, row, seen, bool(bad))


def _row(
    source: str,
    number: int,
    header: list[str],
    row: list[str],
    seen: dict[str, tuple[int, tuple[str, ...]]],
    not_utf8: bool,
) -> Iterator[Record]:
    draft = Draft(source, number)
    if not_utf8:
        draft.problem("", "not UTF-8; read as Windows-1252")
    cells = {col: "" for col in COLUMNS}
    for col, value in zip(header, row, strict=False):
        if col:
            cells[col] = value
    extra = [squash(x) for x in row[len(header) :] if squash(x)]
    if extra:
        draft.problem(
            "", f"{len(row)} cells for {len(header)} columns; extra cells kept in remarks"
        )
        draft.note("Extra cells", " | ".join(extra))
    values = {col: squash(cells.get(col)) for col in COLUMNS}
    if not any(squash(x) for x in row):
        yield from draft.skip("", "empty row")
        return
    name = draft.name_text("Name", values["name"])
    if name is None:
        yield from draft.fail("Name", "no name")
        return

    effective = _date(draft, "Effective_Date", values["effective_date"])
    expires = _date(draft, "Expiration_Date", values["expiration_date"])
    key = "\x1f".join(
        [
            name,
            values["street_address"],
            values["city"],
            values["state"],
            values["country"],
            values["postal_code"],
            effective.isoformat() if effective else values["effective_date"],
        ]
    )
    listing_id = "us-dpl-" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]
    content = tuple(squash(x) for x in row)
    draft.record_id = listing_id
    if listing_id in seen:
        first = seen[listing_id][0]
        suffix = hashlib.sha1("\x1f".join(content).encode("utf-8")).hexdigest()[:8]
        for candidate in (listing_id, f"{listing_id}-{suffix}"):
            if candidate in seen and seen[candidate][1] == content:
                line = seen[candidate][0]
                draft.record_id = candidate  # the listing already there
                if "\ufffd" in "".join(content):  # undecodable bytes: the rows may differ
                    yield from draft.fail(
                        "",
                        f"same text as the row at line {line} once decoded, but with "
                        "undecodable bytes (U+FFFD): the rows may differ",
                    )
                else:
                    yield from draft.skip(
                        "", f"exact duplicate of the row at line {line} (same listing)"
                    )
                return
        draft.problem(
            "",
            f"same name, address and effective date as the row at line {first}; "
            f"id suffixed -{suffix}",
        )
        listing_id = f"{listing_id}-{suffix}"
        draft.record_id = listing_id

    country = draft.country("Country", values["country"])
    draft.address(
        "Address",
        street=values["street_address"],
        city=values["city"],
        region=values["state"],
        postal_code=values["postal_code"],
        country=country,
    )
    draft.citations.extend(
        c for c in (draft.text("FR_Citation", c) for c in citations(values["fr_citation"])) if c
    )
    draft.note("Standard order", values["standard_order"])
    draft.note("Last update", values["last_update"])
    draft.note("Action", values["action"])
    for col, value in cells.items():
        if col not in COLUMNS and squash(value):
            draft.note(col, value)
    for record in draft.listing(
        id=listing_id,
        list_code="DPL",
        authority="US-BIS",
        name=name,
        kind=EntityKind.UNKNOWN,
        window=draft.window("Expiration_Date", effective, expires, ZONE),
        note=None if effective else NO_DATE_NOTE,
    ):
        if isinstance(record, Listing):  # only a row that became a listing is "already there"
            seen[listing_id] = (number, content)
        yield record


def _date(draft: Draft, field: str, raw: str) -> datetime.date | None:
    if not raw:
        return None
    day = slash_date(raw, day_first=False) or (
        iso_date(raw) if re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", raw) else None
    )
    if day is None:
        draft.problem(field, f"not a MM/DD/YYYY date: {raw[:40]!r}; kept in remarks")
        draft.note(field.replace("_", " "), raw)
    return day


def citations(text: str) -> list[str]:
    r"""Split an ``FR_Citation`` cell into its Federal Register citations, cleaned.

    A citation starts at each ``<volume> F.R.`` (with or without spaces and dots, or
    ``FR``, ``Fed. Reg.``); its head is written ``<volume> FR <page>`` and the rest kept
    as written (see ``_text.fr_citation_parts``, which the CSL loaders use for their DPL
    rows too).

    Example:
        >>> citations("68 F.R. 38290 6/27/03 71 F.R. 38843 7/10/06\u00a0 ")
        ['68 FR 38290 6/27/03', '71 FR 38843 7/10/06']
        >>> citations("80 F.R. 30435 5/28/15, 81 F.R.45276 7/13/2016; 83F.R. 28801")
        ['80 FR 30435 5/28/15', '81 FR 45276 7/13/2016', '83 FR 28801']
        >>> citations("82 F.R. 16788, 16789 4/6/2017")
        ['82 FR 16788, 16789 4/6/2017']
    """
    return fr_citation_parts(squash(text))
