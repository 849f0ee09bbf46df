"""OFAC legacy CSV: ``sdn.csv`` (SDN List) or ``cons_prim.csv`` (non-SDN lists) and companions.

The primary file has no header; its 12 columns are ``ent_num, SDN_Name, SDN_Type, Program,
Title, Call_Sign, Vess_type, Tonnage, GRT, Vess_flag, Vess_owner, Remarks``. ``-0-`` marks
an empty cell, several programmes are written ``SDGT] [NS-PLC``, and the file ends with a
``0x1A`` end-of-file byte (not a record; the byte is dropped at the end of a line, and
elsewhere is a control character like the others). Companion files in the same folder, read when
present (names compared without regard to case):

=====================  =========================  ============================================
SDN List               non-SDN lists              columns
=====================  =========================  ============================================
``add.csv``            ``cons_add.csv``           ent_num, Add_num, Address,
                                                  City/State/Province/Postal, Country,
                                                  Add_remarks
``alt.csv``            ``cons_alt.csv``           ent_num, alt_num, alt_type, alt_name,
                                                  alt_remarks
``sdn_comments.csv``   ``cons_comments.csv``      ent_num, remarks overflow
=====================  =========================  ============================================

Every companion row joins the listing of its ``ent_num``: one address per ``add.csv`` row
(an all-empty row gives an empty address; ``City/State/Province/Postal`` goes to ``city``
as written), one alias per ``alt.csv`` row (``alt_type`` ``weak aka`` gives a weak alias),
and the ``sdn_comments.csv`` text is appended to the remarks (OFAC cuts ``Remarks`` at 1,000
characters and continues it there). A companion row whose ``ent_num`` has no primary row is
a fatal problem of that companion file.

Remarks keep their full text; facts clearly stated in them are also read (see
``parse_remarks`` in ``tradecontrol.lists._ofac``): ``a.k.a. 'X'`` (OFAC's weak aliases, which
the legacy CSV keeps only there), dates of birth, nationality and citizenship, passports and
other identity documents, IMO numbers and other identifiers. Title and vessel columns are
kept in the remarks; the call sign becomes a ``call_sign`` identifier. Whether the file is
the SDN List or the non-SDN list, and the non-SDN list code, come from the programmes (see
``tradecontrol.lists._ofac``). Lines are read as UTF-8, falling back to Windows-1252; a
UTF-8 byte-order mark before the first line of any of the files is skipped. A cell holding
characters that cleaning removes (NUL, BEL...) gives a non-fatal problem naming it
(``Program``, or ``alt.csv:7:alt_name`` for a companion row).
"""

from __future__ import annotations

import collections
import csv
import datetime
import functools
import operator
import re
from collections.abc import Iterator, Sequence
from pathlib import Path

from tradecontrol import _validators as v
from tradecontrol.entities import Address, Identifier
from tradecontrol.errors import DataError, InvalidInputError, TradeControlError
from tradecontrol.jurisdictions import Jurisdiction
from tradecontrol.listings import Listing, ListingVersion
from tradecontrol.lists import _ofac, _trusted
from tradecontrol.lists._core import Problem, Record
from tradecontrol.lists._text import CONTROLS_REMOVED, controls_removed, line_blocks
from tradecontrol.lists._text import clean as _clean

NAME = "ofac-csv"

COLUMNS = [
    "ent_num", "SDN_Name", "SDN_Type", "Program", "Title", "Call_Sign", "Vess_type", "Tonnage",
    "GRT", "Vess_flag", "Vess_owner", "Remarks",
]  # fmt: skip

MAX_LINE_BYTES = 1 << 20

_COMPANIONS = {
    True: ("cons_add.csv", "cons_alt.csv", "cons_comments.csv"),
    False: ("add.csv", "alt.csv", "sdn_comments.csv"),
}
_WIDTHS = (6, 5, 2)
_TYPES = {"-0-", "individual", "vessel", "aircraft", "entity"}
_ENT_NUM = re.compile(r"^[0-9]{1,12}$")


def _decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        try:
            return raw.decode("cp1252")
        except UnicodeDecodeError:
            return raw.decode("latin-1")


def _cells(line: str) -> list[str] | None:
    try:
        return next(csv.reader([line]), [])
    except csv.Error:
        return None


class _LineCells:
    """Parse one physical line at a time with one reusable ``csv.reader``.

    Same result as :func:`_cells` (a quoted field never continues on the next line: an
    unbalanced quote is an error), without building a reader per line.
    """

    def __init__(self) -> None:
        self._line: str | None = None
        self._reader = csv.reader(self)

    def __iter__(self) -> _LineCells:
        return self

    def __next__(self) -> str:
        line, self._line = self._line, None
        if line is None:
            raise StopIteration
        return line

    def __call__(self, line: str) -> list[str] | None:
        self._line = line
        try:
            return next(self._reader, [])
        except csv.Error:
            return None


def sniff(head: bytes, path: Path) -> bool:
    """The first line has 12 CSV fields, a numeric first field and OFAC's ``-0-`` or a type."""
    text = head.lstrip(b"\xef\xbb\xbf")
    if text[:1] in (b"<", b"{", b"[") or text.startswith(b"PK"):
        return False
    for raw in text.splitlines()[:1]:
        cells = _cells(_decode(raw).rstrip("\r\n\x1a"))
        if not cells or len(cells) != len(COLUMNS):
            return False
        typed = cells[2].strip().lower() in _TYPES
        return bool(_ENT_NUM.match(cells[0].strip())) and (typed or b"-0-" in text)
    return False


def _rows(path: Path, width: int) -> Iterator[tuple[int, list[str] | str]]:
    """``(line, cells)`` for every record of an OFAC CSV, or ``(line, reason)`` when bad.

    Each physical line is one record: a quoted field never continues on the next line.
    The lines of a block are parsed by one ``csv.reader``; a row that reader reads across
    several lines (an unbalanced quote) is parsed again line by line, so every line gives
    what parsing it alone gives. (The rows of :func:`_row_blocks`, one at a time.)
    """
    for _, rows in _row_blocks(path, width):
        yield from rows


def _row_blocks(
    path: Path, width: int, controls: set[int] | None = None
) -> Iterator[tuple[bool, list[tuple[int, list[str] | str]]]]:
    """The rows of :func:`_rows` a block at a time: ``(clean, rows)``.

    ``clean`` is True when every row of the block is cells whose ``ent_num`` is 1 to 12
    ASCII digits with nothing to strip (the usual block: its rows need no check). A
    UTF-8 byte-order mark before the first line is skipped. When ``controls`` is given,
    the numbers of the lines holding characters ``_text.clean`` removes (NUL, BEL...) are
    added to it (one search per block, a line's only when the block has one).
    """
    try:
        fh = path.open("rb")
    except OSError as exc:
        raise DataError(f"cannot read: {exc.strerror}", source=str(path)) from None
    cells_of = _LineCells()
    with fh:
        for first, texts in line_blocks(fh, _decode, MAX_LINE_BYTES):
            if first == 1 and texts and texts[0] is not None:
                texts[0] = _without_bom(texts[0])
            numbers, lines, overlong = _kept(first, texts)
            if controls is not None and _has_controls("".join(lines)):
                controls.update(
                    n for n, line in zip(numbers, lines, strict=True) if controls_removed(line)
                )
            if overlong:  # rare: every line alone, in file order
                rows = [
                    (n, _checked(cells_of(line), width))
                    for n, line in zip(numbers, lines, strict=True)
                ]
                rows += [(n, f"line longer than {MAX_LINE_BYTES} bytes") for n in overlong]
                yield False, sorted(rows, key=lambda row: row[0])
                continue
            try:  # the usual block: one row per line, parsed by one reader at C speed
                parsed: list[list[str]] | None = list(csv.reader(lines))
            except csv.Error:
                parsed = None
            if parsed is not None and len(parsed) == len(lines):  # no row across lines
                if _all_good(parsed, width):
                    yield True, list(zip(numbers, parsed, strict=True))
                else:
                    yield (
                        False,
                        [
                            (number, _checked(row, width))
                            for number, row in zip(numbers, parsed, strict=True)
                        ],
                    )
                continue
            reader = csv.reader(lines)
            done, total = 0, len(lines)
            out: list[tuple[int, list[str] | str]] = []
            while done < total:
                try:
                    cells: list[str] | None = next(reader)
                except csv.Error:
                    cells = None
                read = reader.line_num
                if read == done + 1:
                    out.append((numbers[done], _checked(cells, width)))
                else:  # a row across lines: parse each of them alone, as the format has it
                    for index in range(done, read):
                        out.append((numbers[index], _checked(cells_of(lines[index]), width)))
                done = read
            yield False, out


_C0 = bytes([*range(9), *range(14, 28), 127])
"""The ASCII characters ``controls_removed`` finds (C0 controls but white space, and DEL)."""


def _has_controls(text: str) -> bool:
    """``controls_removed(text)``, for ASCII text by deleting bytes at C speed (twice as fast)."""
    if text.isascii():  # (known without a scan)
        return len(text.encode().translate(None, _C0)) != len(text)
    return controls_removed(text)


def _without_bom(text: str) -> str:
    """The first line without a UTF-8 byte-order mark (also as Windows-1252 decodes it)."""
    if text.startswith("\ufeff"):
        return text[1:]
    if text.startswith("\u00ef\u00bb\u00bf"):  # a first line that is not UTF-8 otherwise
        return text[3:]
    return text


def _all_good(rows: list[list[str]], width: int) -> bool:
    """Whether ``_checked`` returns every row unchanged, checked a column at a time.

    Every row has ``width`` cells and every ``ent_num`` is 1 to 12 ASCII digits (with
    nothing to strip), as in the usual block.
    """
    if not rows or set(map(len, rows)) != {width}:
        return False
    numbers = list(map(_FIRST, rows))
    joined = "".join(numbers)
    return (
        joined.isascii()
        and joined.isdigit()
        and min(map(len, numbers)) >= 1
        and max(map(len, numbers)) <= 12
    )


_FIRST = operator.itemgetter(0)
_CELLS = operator.itemgetter(1)
_PROGRAM = operator.itemgetter(3)


def _kept(first: int, texts: list[str | None]) -> tuple[list[int], list[str], list[int]]:
    """Line numbers and texts of the non-blank lines, and the numbers of over-long lines."""
    if (  # the usual block: no over-long, blank or end-of-file line
        None not in texts
        and "\x1a" not in "".join(texts)  # type: ignore[arg-type]
        and all(texts)
        and not any(map(str.isspace, texts))  # type: ignore[arg-type]
    ):
        return list(range(first, first + len(texts))), texts, []  # type: ignore[return-value]
    overlong = [first + i for i, text in enumerate(texts) if text is None] if None in texts else []
    if any("\x1a" in text for text in texts if text is not None):  # the end-of-file byte:
        # at the end of a line (alone on the file's last line); elsewhere it is a control
        # character, which cleaning removes with a problem naming its field
        texts = [None if text is None else text.rstrip("\x1a") for text in texts]
    keep = [i for i, text in enumerate(texts) if text and not text.isspace()]
    if len(keep) == len(texts):
        return list(range(first, first + len(texts))), texts, overlong  # type: ignore[return-value]
    return [first + i for i in keep], [texts[i] for i in keep], overlong  # type: ignore[misc]


def _checked(cells: list[str] | None, width: int) -> list[str] | str:
    if cells is None:
        return "not a CSV line (NUL byte, unbalanced quotes or a lone carriage return)"
    if len(cells) != width:
        return f"{len(cells)} fields; expected {width}"
    number = cells[0]
    if number.isdigit() and number.isascii() and len(number) <= 12:
        return cells  # the usual cell: what _ENT_NUM accepts, with nothing to strip
    if not _ENT_NUM.match(number.strip()):
        return f"ent_num {cells[0].strip()[:40]!r} is not a number"
    return cells


def _find(folder: Path, name: str) -> Path | None:
    try:
        return next((p for p in folder.iterdir() if p.name.lower() == name and p.is_file()), None)
    except OSError:
        return None


_EMPTY = frozenset({"", "-0-", "-0- ", " -0-", " -0- "})
"""Cells that are empty as written (``_cell`` gives ``None`` for them)."""


def _cell(cells: list[str], index: int) -> str | None:
    value = cells[index]
    if not value or value == "-0-":  # the common cases first
        return None
    stripped = value.strip()
    return None if not stripped or stripped == "-0-" else _clean(value)


def _cell_text(value: str) -> str | None:
    """:func:`_cell` of one cell's value."""
    if not value or value == "-0-":
        return None
    if (  # printable ASCII, single inner spaces: clean already (what _clean returns)
        value.isascii()
        and value.isprintable()
        and value[0] != " "
        and value[-1] != " "
        and "  " not in value
    ):
        return value
    stripped = value.strip()
    return None if not stripped or stripped == "-0-" else _clean(value)


_MAX_LIST = v.MAX_LIST
_MAX_TEXT = v.MAX_TEXT
_ASCII_ALNUM = re.compile("[A-Za-z0-9]")
"""What ``str.isalnum`` accepts among ASCII characters (``_trusted.name_ok``)."""


_address_parts = _ofac._address.__wrapped__


@functools.lru_cache(maxsize=8192)
def _plain_address(street: str, city: str, country_name: str) -> tuple[Address] | None:
    """``(address,)`` of an ``add.csv`` row's cells when it has no problem or remark, else None.

    ``Draft.add_address`` with these parts appends exactly this address (and does nothing
    else); ``None`` sends the row to ``add_address`` itself. Cached: a third of the rows of
    the 2021 file repeat an earlier row's cells. The one-address tuple is what an entity
    with only this address holds (one shared tuple instead of one per entity).
    """
    street_ = None if street == "-0- " else _cell_text(street)  # (the usual empty cell first)
    city_ = None if city == "-0- " else _cell_text(city)
    country_ = _cell_text(country_name)
    code, region, known = _ofac.country(country_)
    if (  # cleaned ASCII parts that are final: what _address builds, without its lists
        known  # (clean ASCII text is final when it is not empty and fits: text_ok)
        and (street_ is None or (street_.isascii() and 0 < len(street_) <= _MAX_TEXT))
        and (city_ is None or (city_.isascii() and 0 < len(city_) <= _MAX_TEXT))
        and (not region or (region.isascii() and _trusted.text_ok(region)))
    ):
        country = None if code is None or len(code) > 16 else _trusted.jurisdiction_or_none(code)
        if code is None or country is not None:
            return (_trusted.checked_address(street_, city_, region or None, None, country),)
    address, warnings, remarks, _ = _address_parts(  # cached here, not again inside
        street_, city_, None, None, country_
    )
    return None if warnings or remarks or address is None else (address,)


def _plain_address_reference(street: str, city: str, country_name: str) -> Address | None:
    """:func:`_plain_address` through ``_ofac._address`` alone (tests compare the two)."""
    cells = ["", "", street, city, country_name]
    address, warnings, remarks, _ = _address_parts(
        _cell(cells, 2), _cell(cells, 3), None, None, _cell(cells, 4)
    )
    return None if warnings or remarks else address


@functools.lru_cache(maxsize=256)
def _weak(cell: str) -> bool:
    """Whether an ``alt_type`` cell marks a weak alias (``weak aka``)."""
    return "weak" in (_cell([cell], 0) or "").lower()


def _companions(
    path: Path, non_sdn: bool, controls: list[set[int]] | None = None
) -> tuple[list[tuple[Path, dict[str, list[tuple[int, list[str]]]]]], list[Problem]]:
    """The companion files' rows by ``ent_num``, and their unreadable rows as problems.

    When ``controls`` is given, one set per companion is appended to it: the numbers of
    its lines that hold characters ``_text.clean`` removes (see :func:`_row_blocks`).
    """
    name = path.name.lower()
    names = _COMPANIONS[non_sdn]
    if name == "sdn.csv":
        names = _COMPANIONS[False]
    elif name == "cons_prim.csv":
        names = _COMPANIONS[True]
    out = []
    problems = []
    for companion, width in zip(names, _WIDTHS, strict=True):
        found = _find(path.parent, companion)
        rows: dict[str, list[tuple[int, list[str]]]] = collections.defaultdict(list)
        lines: set[int] = set()
        if controls is not None:
            controls.append(lines)
        if found is not None and found.resolve() != path.resolve():
            for clean, block in _row_blocks(found, width, lines):
                if clean:  # cells with an ent_num that has nothing to strip
                    for row in block:
                        rows[row[1][0]].append(row)  # type: ignore[arg-type]
                    continue
                for row in block:
                    number, cells = row
                    if isinstance(cells, str):
                        problems.append(
                            Problem(source=str(found), record=number, field="", reason=cells)
                        )
                    else:
                        rows[cells[0].strip()].append(row)  # type: ignore[arg-type]
            out.append((found, dict(rows)))
        else:
            out.append((path.parent / companion, rows))
    return out, problems


def read(path: Path) -> Iterator[Record]:
    """Yield a listing or a problem for every record (primary rows, then companion problems)."""
    source = str(path)
    primary: list[tuple[int, list[str] | str]] = []  # read once: the programmes decide the list
    counts: collections.Counter[str] = collections.Counter()  # programme cells repeat: each
    marked: set[int] = set()  # lines holding characters clean() removes (NUL, BEL...)
    for clean, block in _row_blocks(path, len(COLUMNS), marked):  # distinct one judged once
        primary += block
        if clean:  # every row has its cells
            counts.update(map(_PROGRAM, map(_CELLS, block)))
        else:
            counts.update([cells[3] for _, cells in block if not isinstance(cells, str)])
    non_sdn = _ofac.is_non_sdn_file(
        ((_ofac.split_programs(cell), count) for cell, count in counts.items()), path.name
    )
    marks: list[set[int]] = []
    companions, problems = _companions(path, non_sdn, marks)
    (add_file, adds), (alt_file, alts), (notes_file, comments) = companions
    names = (add_file.name, alt_file.name, notes_file.name)
    joined_marks = tuple(zip((adds, alts, comments), marks, strict=True))
    any_marks = bool(marked) or any(lines for _, lines in joined_marks)  # (rare)
    marks_of = (marked, joined_marks) if any_marks else None
    companions_by_id = (adds, alts, comments)
    seen: set[str] = set()
    primary.reverse()  # taken from the end, in file order: each row is freed once read
    while primary:
        number, cells = primary.pop()
        if isinstance(cells, str):
            yield Problem(source=source, record=number, field="", reason=cells)
            continue
        uid = cells[0].strip()
        if uid in seen:
            yield Problem(
                source=source,
                record=number,
                field="ent_num",
                reason=f"ent_num {uid} repeats an earlier row",
                record_id=uid,
            )
            continue
        seen.add(uid)
        records = _entry(source, number, uid, cells, non_sdn, companions_by_id, names, marks_of)
        # the rows of an entry are freed once it is built (their memory serves the next
        # ones): what is left in the companions are the rows that joined no entry
        adds.pop(uid, None)
        alts.pop(uid, None)
        comments.pop(uid, None)
        if isinstance(records, Listing):
            yield records
        else:
            yield from records
    for cache in _PER_FILE_CACHES:  # (see csl_csv._forget_cells)
        cache.cache_clear()
    yield from problems
    for companion, rows in companions:
        if rows.keys() <= seen:
            continue  # (the usual file: every companion row joined its listing)
        for uid, found in rows.items():
            if uid not in seen:
                for number, _ in found:
                    yield Problem(
                        source=str(companion),
                        record=number,
                        field="ent_num",
                        reason=f"ent_num {uid} has no row in {path.name}",
                        record_id=uid,
                    )


def _entry(
    source: str,
    number: int,
    uid: str,
    cells: list[str],
    non_sdn: bool,
    companions: tuple[dict[str, list[tuple[int, list[str]]]], ...],
    names: Sequence[str],
    marks: tuple[set[int], tuple[tuple[dict[str, list[tuple[int, list[str]]]], set[int]], ...]]
    | None,
) -> Listing | list[Record]:
    """The listing of one entry (fast path), or its records by the general path.

    ``marks`` (``None`` when no line of the files holds characters ``_text.clean``
    removes) sends an entry with such a line to the general path, which records a problem.
    """
    adds, alts, comments = companions
    found_adds, found_alts = adds.get(uid, ()), alts.get(uid, ())
    found_comments = comments.get(uid, ()) if comments else ()
    if marks is None or not _marked(uid, number, *marks):
        try:
            listing = _fast(
                uid, cells, non_sdn, found_adds, found_alts, found_comments, checked=True
            )
        except TradeControlError:
            listing = None  # the general path gives the problem
        if listing is not None:
            return listing
    joined = (found_adds, found_alts, found_comments)
    return _general(source, number, uid, cells, non_sdn, joined, names)


_Rows = Sequence[tuple[int, list[str]]]

_COMPANION_COLUMNS = (
    ("ent_num", "Add_num", "Address", "City/State/Province/Postal", "Country", "Add_remarks"),
    ("ent_num", "alt_num", "alt_type", "alt_name", "alt_remarks"),
    ("ent_num", "Remarks"),
)


def _marked(
    uid: str,
    number: int,
    marked: set[int],
    companions: tuple[tuple[dict[str, list[tuple[int, list[str]]]], set[int]], ...],
) -> bool:
    """Whether the entry's primary line or one of its companion lines is in a marked set."""
    if number in marked:
        return True
    for rows, lines in companions:
        if lines and any(row in lines for row, _ in rows.get(uid, ())):
            return True
    return False


def _control_fields(
    cells: list[str], rows: tuple[_Rows, _Rows, _Rows], names: Sequence[str]
) -> list[str]:
    """The fields of an entry whose text ``_text.clean`` removes characters from.

    A primary column is named as in :data:`COLUMNS` (``Program``), a companion cell as
    ``<file>:<line>:<column>`` (``alt.csv:7:alt_name``); each field once, in file order.
    """
    out = [COLUMNS[i] for i, cell in enumerate(cells) if controls_removed(cell)]
    for name, found, columns in zip(names, rows, _COMPANION_COLUMNS, strict=True):
        for row, companion in found:
            out.extend(
                f"{name}:{row}:{columns[i]}"
                for i, cell in enumerate(companion)
                if controls_removed(cell)
            )
    return out


def _general(
    source: str,
    number: int,
    uid: str,
    cells: list[str],
    non_sdn: bool,
    rows: tuple[_Rows, _Rows, _Rows],
    names: Sequence[str],
) -> list[Record]:
    """The records of one entry by the general path (a ``Draft``): problems and listing.

    ``names`` are the ``add.csv`` and ``alt.csv`` file names and, optionally, the
    ``sdn_comments.csv`` one (by default the one of the list). A field whose text holds
    characters ``_text.clean`` removes (NUL, BEL...) gets a non-fatal problem naming it.
    """
    adds, alts, comments = rows
    add_name, alt_name = names[0], names[1]
    notes_name = names[2] if len(names) > 2 else _COMPANIONS[non_sdn][2]
    draft = _draft(source, number, uid, cells, non_sdn)
    controls = [
        Problem(
            source=source,
            record=number,
            field=field,
            reason=CONTROLS_REMOVED,
            record_id=uid,
            fatal=False,
        )
        for field in _control_fields(cells, rows, (add_name, alt_name, notes_name))
    ]
    for row, add in adds:
        plain = _plain_address(add[2], add[3], add[4])
        if plain is not None and len(draft.addresses) < _MAX_LIST:
            draft.addresses.append(plain[0])  # what add_address does for such an address
        else:
            draft.add_address(
                street=_cell(add, 2),
                city=_cell(add, 3),
                country_name=_cell(add, 4),
                field=f"{add_name}:{row}",
            )
        if add[5] not in _EMPTY and (note := _cell(add, 5)):
            draft.remark(f"Address remarks: {note}")
    for row, alt in alts:
        weak = _weak(alt[2])
        alias = _cell(alt, 3)
        text = _clean(alias) if alias else ""
        target = draft.weak_aliases if weak else draft.aliases
        if text and len(text) <= _MAX_TEXT and len(target) < _MAX_LIST:
            target.append(text)  # what add_alias does for such an alias
        else:
            draft.add_alias(alias, weak=weak, field=f"{alt_name}:{row}")
        if alt[4] not in _EMPTY and (note := _cell(alt, 4)):
            draft.remark(f"Alias remarks: {note}")
    remarks = "" if _ofac.empty(cells[11]) else cells[11]
    for _, comment in comments:
        remarks += comment[1]
    _remarks(draft, remarks)
    try:
        listing = draft.build()
    except TradeControlError as exc:
        return [*controls, draft.fatal(exc)]
    return [*controls, *draft.problems, listing]


_VESSEL = ((6, "Vessel type"), (7, "Tonnage"), (8, "GRT"), (9, "Vessel flag"), (10, "Vessel owner"))
_SKIP = object()
"""``_remark_identifier``: the value is empty, nothing to add."""


_SEARCH_URL = _ofac.SEARCH_URL.removesuffix("{uid}")
assert _SEARCH_URL + "{uid}" == _ofac.SEARCH_URL


def _entry_programs(cell: str, non_sdn: bool) -> tuple[str | None, tuple[str, ...]]:
    """``(list code, programmes)`` of a ``Program`` cell as ``Draft.build`` would set them.

    The code is ``None`` when the general path would record a problem (a non-SDN entry
    whose programmes name no list) or the code or programmes are not final texts.
    """
    programs = _ofac.split_programs(cell)
    code = "SDN"
    if non_sdn:
        code, matched = _ofac.list_code_for_programs(programs)
        if not matched:
            return None, ()
    final = _ofac._programs(tuple(programs))
    if not (_trusted._known_ok(code) and _ofac._programs_ok(final)):
        return None, ()
    return code, final


_sdn_programs = functools.lru_cache(maxsize=1024)(functools.partial(_entry_programs, non_sdn=False))
_non_sdn_programs = functools.lru_cache(maxsize=1024)(
    functools.partial(_entry_programs, non_sdn=True)
)
""":func:`_entry_programs` of an SDN or non-SDN file, once per distinct cell (a text key)."""


@functools.lru_cache(maxsize=1024)
def _one_code(code: str) -> tuple[object]:
    """``(_ofac._jurisdiction(code),)``: one shared tuple per nationality code."""
    return (_ofac._jurisdiction(code),)


@functools.cache
def _undated() -> tuple[ListingVersion]:
    """The versions of a legacy CSV entry, which states no date: one shared frozen tuple."""
    return (_ofac._version(None, (), _ofac.NO_DATE_NOTE),)


_MONTH_ABBR = {name.title(): number for name, number in _ofac._MONTHS.items()}
"""``Dec`` -> 12: the month abbreviations as OFAC writes them in ``10 Dec 1948``."""


@functools.lru_cache(maxsize=8192)
def _birth(raw: str) -> tuple[str | None, bool]:
    """``(ofac_date(raw), whether the validators keep that date)`` of a clean date text.

    The usual ``10 Dec 1948`` (ASCII, a month as OFAC abbreviates it) is read here, as
    ``ofac_date`` reads it, without its regular expression. A year of four ASCII digits,
    and a ``10 Dec 1948`` day that ``ofac_date`` read (it checks that the day is real),
    are final as read; other dates are checked by ``_trusted._date_ok``.
    """
    day, _, rest = raw.partition(" ")
    month = _MONTH_ABBR.get(rest[:3]) if rest[3:4] == " " else None
    if month is not None and raw.isascii():  # the usual "10 Dec 1948", read without _DMY
        year = rest[4:]
        if len(year) == 4 and year.isdigit() and 0 < len(day) <= 2 and day.isdigit():
            try:  # (ofac_date's reading of it: None for a day that is not real)
                datetime.date(int(year), month, int(day))
            except ValueError:
                return None, False
            return f"{year}-{month:02d}-{int(day):02d}", True
    read = _ofac.ofac_date(raw)
    if read is None:
        return None, False
    if raw.isascii() and ((len(raw) == 4 and raw.isdigit()) or _ofac._DMY.match(raw)):
        return read, True  # what ofac_date's first branches read: final by construction
    return read, _trusted._date_ok(read)


def _not_a_country(where: str) -> bool:
    """Whether a remark identifier's ``(where)`` (not empty) names no known country."""
    found, _, known = _ofac._country(where)
    return found is None or not known


def _remark(remarks: list[str], text: str) -> None:
    """``Draft.remark``: keep a cleaned text once."""
    text = _clean(text)
    if text and text not in remarks:
        remarks.append(text)


def _remark_identifier(type_name: str, value: str, country_name: str | None) -> object:
    """What ``Draft.add_identifier`` would add: an Identifier, ``_SKIP``, or None (a problem).

    Not cached: the values (passport numbers and the like) hardly ever repeat.
    """
    text = _clean(value)
    kind = _ofac.scheme(type_name)
    if kind == "imo":
        text = re.sub(r"^IMO\s*", "", text, flags=re.IGNORECASE)
    if not text:
        return _SKIP
    code, _, known = _ofac.country(country_name)
    if not known or len(text) > _MAX_TEXT:
        return None
    country = None if code is None or len(code) > 16 else _trusted.jurisdiction_or_none(code)
    if (
        (code is None or country is not None)
        and _trusted.scheme_ok(kind)
        and _trusted.text_ok(text)
    ):
        return _trusted.checked_identifier(kind, text, country)  # what _trusted.identifier sets
    try:
        return _trusted.identifier(scheme=kind, value=text, country=code)
    except InvalidInputError:
        return None


@functools.lru_cache(maxsize=4096)
def _identifier_terms(
    type_name: str, country_name: str | None
) -> tuple[str, Jurisdiction | None] | None:
    """``(scheme, country)`` of remark identifiers of this type and country, when final.

    ``None`` when the country is unknown or the scheme or country is not a value the
    ``Identifier`` validators keep unchanged: :func:`_remark_identifier` decides those.
    Cached: a file names a few dozen types and countries over and over.
    """
    kind = _ofac.scheme(type_name)
    code, _, known = _ofac.country(country_name)
    if not known or not _trusted.scheme_ok(kind):
        return None
    country = None if code is None or len(code) > 16 else _trusted.jurisdiction_or_none(code)
    if code is not None and country is None:
        return None
    return kind, country


def _clean_remark_identifier(type_name: str, value: str, country_name: str | None) -> object:
    """:func:`_remark_identifier` of a ``value`` that is already clean (a piece of clean remarks).

    Reads the type and country through :func:`_identifier_terms` (cached); anything that is
    not final goes to :func:`_remark_identifier` itself. Tests compare the two.
    """
    terms = _identifier_terms(type_name, country_name)
    if terms is None or not value.isascii():
        return _remark_identifier(type_name, value, country_name)
    kind, country = terms
    text = re.sub(r"^IMO\s*", "", value, flags=re.IGNORECASE) if kind == "imo" else value
    if not text:
        return _SKIP
    if not (  # ASCII, not empty: what text_ok checks, without the call
        len(text) <= _MAX_TEXT and text.isprintable() and text[0] != " " and text[-1] != " "
    ):
        return _remark_identifier(type_name, value, country_name)
    out = _new(Identifier)  # what _trusted.checked_identifier sets
    _identifier_scheme(out, kind)
    _identifier_value(out, text)
    _identifier_country(out, country)
    return out


_new = object.__new__
_identifier_scheme, _identifier_value, _identifier_country = (
    Identifier.__dict__[name].__set__ for name in ("scheme", "value", "country")
)


def _fast(  # noqa: PLR0915 - one entry, inline
    uid: str,
    cells: list[str],
    non_sdn: bool,
    adds: _Rows,
    alts: _Rows,
    comments: _Rows,
    *,
    checked: bool = False,
) -> Listing | None:
    """The listing :func:`_general` builds for an entry that gives no problem, else ``None``.

    ``checked`` tells that no cell of the entry holds characters ``_text.clean`` removes
    (``read`` knows it from its line search); otherwise the cells are searched here and
    such an entry is left to the general path, which records a problem for them.

    The same steps as the ``Draft`` path (``_draft``, the companion rows, ``_remarks``,
    ``Draft.build``) on local lists, returning ``None`` wherever that path would record a
    problem or take a rare turn (a call sign, notes on companion rows, values to cut, lists
    at their cap), so the general path then gives the records. Most entries give no
    problem. ``tests/test_lists_ofac_csv_fast.py`` compares both paths on every entry of
    the real files and on generated ones.
    """
    if not checked and _control_fields(cells, (adds, alts, comments), ("", "", "")):
        return None  # characters to remove: a problem for the general path to record
    code, programs_ = (_non_sdn_programs if non_sdn else _sdn_programs)(cells[3])
    if code is None:
        return None  # no non-SDN list named, or programmes not in final form
    kind = _ofac.entity_kind(cells[2])
    if not kind:
        return None
    remarks: list[str] = []
    vessel_flag = None
    if (
        not (  # most rows: Title to Vess_owner all "-0- " (compared, not hashed)
            cells[4]
            == cells[5]
            == cells[6]
            == cells[7]
            == cells[8]
            == cells[9]
            == cells[10]
            == "-0- "
        )
        and not _EMPTY.issuperset(cells[4:11])
    ):
        if _cell(cells, 5):
            return None  # a call sign: the general path
        if title := _cell(cells, 4):
            _remark(remarks, f"Title: {title}")
        vessel_flag = _cell(cells, 9)
        for index, label in _VESSEL:
            if value := _cell(cells, index):
                _remark(remarks, f"{label}: {value}")
    addresses: list[Address] = []
    plain: tuple[Address] | None = None
    for _, add in adds:
        plain = _plain_address(add[2], add[3], add[4])
        if plain is None or len(addresses) >= _MAX_LIST:
            return None
        if add[5] != "-0- " and add[5] not in _EMPTY and _cell(add, 5):
            return None
        addresses.append(plain[0])
    aliases: list[str] = []
    weak_aliases: list[str] = []
    for _, alt in alts:
        text = alt[3]
        if not (  # printable ASCII with single inner spaces: _cell keeps it as it is
            text.isascii()
            and text.isprintable()
            and text
            and text[0] != " "
            and text[-1] != " "
            and "  " not in text
            and text != "-0-"
        ):
            alias = _cell(alt, 3)  # clean already: a second clean keeps ASCII text as it is
            text = (alias if alias.isascii() else _clean(alias)) if alias else ""
        if text:
            target = aliases if alt[2] == "aka" or not _weak(alt[2]) else weak_aliases
            if len(text) > _MAX_TEXT or len(target) >= _MAX_LIST:
                return None
            target.append(text)
        if alt[4] != "-0- " and alt[4] not in _EMPTY and _cell(alt, 4):
            return None
    body = cells[11]
    if body == "-0- " or _ofac.empty(body):
        body = ""
    for _, comment in comments:
        body += comment[1]
    body = _clean(body)
    births: list[str] = []
    dates_final = True  # every date in births is one the validators keep
    nationalities: list[str] = []
    identifiers: list[Identifier] = []
    if body:
        remarks.insert(0, body)
        facts_aliases, facts_births, facts_nationalities, facts_identifiers = _ofac.remark_facts(
            body
        )  # body is clean: not cleaned again
        # Facts are stripped pieces of the clean body (aliases cleaned already): clean
        # keeps such a text as it is when it is ASCII, so only other texts are cleaned.
        for alias in facts_aliases:
            text = alias if alias.isascii() else _clean(alias)
            if text:
                if len(text) > _MAX_TEXT or len(weak_aliases) >= _MAX_LIST:
                    return None
                weak_aliases.append(text)
        for date in facts_births:
            raw = date if date.isascii() else _clean(date)
            if raw:
                read, final = _birth(raw)
                if read is None:
                    return None
                if read not in births:
                    births.append(read)
                    dates_final = dates_final and final
        for nationality in facts_nationalities:
            raw = nationality if nationality.isascii() else _clean(nationality)
            if raw:
                found, _, known = _ofac._country(raw)  # (country() of a text not empty)
                if found is None:
                    if not known:
                        return None
                elif found not in nationalities:
                    nationalities.append(found)
        for type_name, value, where in facts_identifiers:
            if where and _not_a_country(where):  # "(Medellin)": a city, kept in the value
                ident = _clean_remark_identifier(type_name, f"{value} ({where})", None)
            else:
                ident = _clean_remark_identifier(type_name, value, where)
            if ident is None:
                return None
            if ident is _SKIP or ident in identifiers:
                continue
            if len(identifiers) >= _MAX_LIST:
                return None
            identifiers.append(ident)  # type: ignore[arg-type]
    name = _ofac.clean(cells[1])  # _ofac.clean is _text.clean: ASCII output is final
    if not name.isascii():
        name = _clean(name)
    if not name or len(name) > _MAX_TEXT:
        return None
    country_code = None
    for address in addresses:
        if address.country:
            country_code = address.country.code
            break
    if country_code is None and kind == "vessel" and vessel_flag:
        country_code, _, _ = _ofac.country(vessel_flag)
    birth_date = None
    if kind == "person":
        if births:
            birth_date, births = births[0], births[1:]
    elif births or nationalities:
        return None
    country = None
    if country_code is not None:
        country = _trusted.jurisdiction_or_none(country_code) if len(country_code) <= 16 else None
        if country is None:
            return None
    if not nationalities:
        codes: tuple[object, ...] = ()
    elif len(nationalities) == 1:
        codes = _one_code(nationalities[0])  # (one shared tuple per code)
    else:
        codes = tuple(map(_ofac._jurisdiction, nationalities))
    texts = aliases + weak_aliases
    if (
        not (  # clean ASCII text that fits is final: name_ok then asks for a letter or digit
            _ASCII_ALNUM.search(name) is not None if name.isascii() else _trusted.name_ok(name)
        )
        or None in codes
        or len(births) >= _MAX_LIST
        or len(codes) > _MAX_LIST
        or not (
            dates_final
            or (
                (not births or _trusted._dates_ok(births))
                and (birth_date is None or _trusted._date_ok(birth_date))
            )
        )
        or not ("".join(texts).isascii() or all(map(_trusted.text_ok, texts)))
    ):  # (cleaned ASCII text that is not empty and fits is final: _text.clean's output)
        return None
    entity = _trusted.checked_entity(
        name,
        _ofac._KIND_ENUM[kind],
        country,
        tuple(aliases),
        plain if len(addresses) == 1 else tuple(addresses),  # type: ignore[arg-type]
        tuple(identifiers),
        tuple(weak_aliases),
        birth_date,
        tuple(births),
        codes,  # type: ignore[arg-type]
    )
    text = ""
    for part in remarks:
        text += (" " if text.endswith(".") else "; ") + part if text else part
    if len(text) > _MAX_TEXT:
        return None
    if not (uid.isascii() and uid.isdigit()):  # read() passes digits: id and URL are final
        return None
    listing_id = ("us-ofac-" if non_sdn else "us-sdn-") + uid
    source_url = _SEARCH_URL + uid
    if text and not text.isascii() and not _trusted.text_ok(text):
        # (clean ASCII parts joined by "; " or " ", within the limit: final as they are)
        return None
    return _trusted.checked_listing(
        listing_id,
        code,
        _ofac.AUTHORITY,
        entity,
        _undated(),
        programs_,
        source_url,
        text or None,
    )


def _draft(source: str, number: int, uid: str, cells: list[str], non_sdn: bool) -> _ofac.Draft:
    programs = _ofac.split_programs(cells[3])
    if non_sdn:
        code, matched = _ofac.list_code_for_programs(programs)
    else:
        code, matched = "SDN", True
    known_kind = _ofac.entity_kind(cells[2])
    kind = known_kind or "unknown"
    draft = _ofac.Draft(
        source=source,
        record=number,
        uid=uid,
        sdn=not non_sdn,
        list_code=code,
        name=_ofac.clean(cells[1]),
        kind=kind,
        programs=programs,
        facts_in_remarks=True,
    )
    if not known_kind:
        draft.warn("SDN_Type", f"unknown SDN_Type {cells[2].strip()[:40]!r}; kind unknown")
    if not matched:
        draft.warn("Program", f"programmes {programs} name no non-SDN list; listed as NON-SDN")
    if _EMPTY.issuperset(cells[4:11]):  # most rows: no title, call sign or vessel data
        return draft
    if title := _cell(cells, 4):
        draft.remark(f"Title: {title}")
    if call_sign := _cell(cells, 5):
        draft.add_identifier("Vessel Call Sign", call_sign, field="Call_Sign")
    draft.vessel_flag = _cell(cells, 9)
    for index, label in ((6, "Vessel type"), (7, "Tonnage"), (8, "GRT"), (9, "Vessel flag"),
                         (10, "Vessel owner")):  # fmt: skip
        if value := _cell(cells, index):
            draft.remark(f"{label}: {value}")
    return draft


def _remarks(draft: _ofac.Draft, text: str) -> None:
    text = _ofac.clean(text)
    if not text:
        return
    draft.remarks.insert(0, text)
    facts = _ofac.parse_remarks(text)
    for alias in facts.weak_aliases:
        draft.add_alias(alias, weak=True, field="Remarks")
    for date in facts.birth_dates:
        draft.add_birth_date(date, field="Remarks")
    for nationality in facts.nationalities:
        draft.add_nationality(nationality, field="Remarks")
    for kind, value, where in facts.identifiers:
        code, _, known = _ofac.country(where)
        if where and (code is None or not known):  # "(Medellin)": a city, not a country
            draft.add_identifier(kind, f"{value} ({where})", None, field="Remarks")
        else:
            draft.add_identifier(kind, value, where, field="Remarks")


_PER_FILE_CACHES = (_plain_address, _ofac._address, _identifier_terms, _birth)
"""Caches whose entries only serve while a file is read: emptied at its end, so their
keys of several arguments do not outlive the load (the collector would scan them)."""
