"""The fast reading paths of the list loaders give what the line-by-line readings gave.

Each fast path (block reading of lines, one ``csv.reader`` per block of OFAC CSV lines,
one compiled pass over OFAC remarks) is compared with a plain reference implementation
of the reading it replaces (the loaders' earlier code), on generated input that mixes the
quirks real files have and the faults hostile ones have: CRLF and bare CR line ends, the
0x1A end-of-file byte, NUL bytes, unbalanced quotes, bytes that are not UTF-8, blank and
over-long lines, and block boundaries anywhere.
"""

from __future__ import annotations

import csv
import io
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import SHARED
from tests.ofac_support import needs_data  # under CI=true, missing data is a failure
from tradecontrol.lists import _ofac, _text, ofac_csv

# --- lines --------------------------------------------------------------------------


def reference_lines(fh: IO[bytes], limit: int) -> Iterator[tuple[int, str | None]]:
    """The loaders' earlier line reading: ``readline`` with a cap, then decode."""
    number = 0
    while True:
        raw = fh.readline(limit + 1)
        if not raw:
            return
        number += 1
        if len(raw) > limit and not raw.endswith(b"\n"):
            while raw and not raw.endswith(b"\n"):
                raw = fh.readline(limit)
            yield number, None
            continue
        yield number, ofac_csv._decode(raw).rstrip("\r\n")


def block_lines(fh: IO[bytes], limit: int) -> list[tuple[int, str | None]]:
    out: list[tuple[int, str | None]] = []
    for first, texts in _text.line_blocks(fh, ofac_csv._decode, limit):
        assert texts
        out.extend(enumerate(texts, start=first))
    return out


PIECES = st.sampled_from(
    [
        b"a",
        b"bc",
        b",",
        b'"',
        b" ",
        b"\n",
        b"\r\n",
        b"\r",
        b"\x1a",
        b"\x00",
        b"-0- ",
        "é".encode(),
        b"\xe9",  # Windows-1252 e-acute: not UTF-8
        b"\x92",
        b"\xff",
        b"\xe2\x80",  # a cut UTF-8 sequence
        b'36,"A, B",-0- ',
    ]
)
CONTENT = st.lists(PIECES, max_size=60).map(b"".join)


@settings(max_examples=2000, deadline=None)
@given(content=CONTENT, block=st.integers(1, 9), limit=st.integers(1, 12))
def test_line_blocks_match_readline(content: bytes, block: int, limit: int) -> None:
    expected = list(reference_lines(io.BytesIO(content), limit))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_text, "READ_BLOCK", block)
        assert block_lines(io.BytesIO(content), limit) == expected


def test_line_blocks_real_sizes() -> None:
    """Large blocks, a line just under, at and over the limit, and no final line end."""
    limit = 1 << 10
    for content in [
        b"aaaaaaaa\na",  # found by hypothesis: lines read past a skipped one, then the end
        b"aaaaaaaa\na\n",
        b"x" * limit + b"\n" + b"y" * (limit + 1) + b"\nz",
        b"a\r\n" * 5000 + b"b" * (3 * limit),
        b"a\n" * 5000 + b"b" * limit + b"\r\n" + b"c" * (limit + 1) + b"\r\nd",
        "\u00e9\r\n".encode() * 3000 + b"a\r\r\n" + b"x" * (limit - 1) + b"\r\n",
        b"y" * (limit - 1) + b"\r\n" + b"z" * limit + b"\n",
        b"\xe9" * limit + b"\n" + b"ok",
    ]:
        expected = list(reference_lines(io.BytesIO(content), limit))
        assert block_lines(io.BytesIO(content), limit) == expected
        with pytest.MonkeyPatch.context() as patch:  # and with blocks smaller than a line
            patch.setattr(_text, "READ_BLOCK", 4)
            expected = list(reference_lines(io.BytesIO(content), 1))
            assert block_lines(io.BytesIO(content), 1) == expected


# --- OFAC CSV rows ------------------------------------------------------------------


def reference_rows(path: Path, width: int) -> Iterator[tuple[int, list[str] | str]]:
    """The OFAC CSV loader's earlier row reading: one ``csv.reader`` call per line."""
    limit = ofac_csv.MAX_LINE_BYTES
    with path.open("rb") as fh:
        for number, text in reference_lines(fh, limit):
            if text is None:
                yield number, f"line longer than {limit} bytes"
                continue
            line = text.rstrip("\x1a")  # the end-of-file byte ends a line; inside, a value's
            if not line.strip():
                continue
            try:
                cells: list[str] | None = next(csv.reader([line]), [])
            except csv.Error:
                cells = None
            if cells is None:
                yield (
                    number,
                    "not a CSV line (NUL byte, unbalanced quotes or a lone carriage return)",
                )
            elif len(cells) != width:
                yield number, f"{len(cells)} fields; expected {width}"
            elif not re.match(r"^[0-9]{1,12}$", cells[0].strip()):
                yield number, f"ent_num {cells[0].strip()[:40]!r} is not a number"
            else:
                yield number, cells


ROW_PIECES = st.sampled_from(
    [
        b"36",
        b"173",
        b",",
        b'"',
        b'""',
        b'"A, B"',
        b"-0- ",
        b" ",
        b"\n",
        b"\r\n",
        b"\r",
        b"\x1a",
        b"\x00",
        b"\xe9",
        "Ö".encode(),
        b"x",
    ]
)


@settings(max_examples=400, deadline=None)
@given(
    content=st.lists(ROW_PIECES, max_size=50).map(b"".join),
    width=st.integers(1, 3),
    block=st.integers(1, 64),
    limit=st.integers(4, 40),
)
def test_ofac_rows_match_line_by_line(content: bytes, width: int, block: int, limit: int) -> None:
    with tempfile.TemporaryDirectory() as tmp, pytest.MonkeyPatch.context() as patch:
        patch.setattr(_text, "READ_BLOCK", block)
        patch.setattr(ofac_csv, "MAX_LINE_BYTES", limit)
        path = Path(tmp) / "sdn.csv"
        path.write_bytes(content)
        assert list(ofac_csv._rows(path, width)) == list(reference_rows(path, width))


OFAC = SHARED / "data" / "ofac"
REAL_CSV = sorted(OFAC.glob("*/*.csv")) if OFAC.is_dir() else []


@needs_data
def test_ofac_rows_match_on_real_files() -> None:
    for path in REAL_CSV:
        for width in (2, 5, 6, 12):
            assert list(ofac_csv._rows(path, width)) == list(reference_rows(path, width))


# --- OFAC remarks -------------------------------------------------------------------


def reference_facts(text: str) -> tuple[list[str], list[str], list[str], list[object]]:
    """The earlier remarks reading: every ``;``-separated segment read in turn."""
    facts = _ofac.Facts()
    body = _ofac.clean(text)
    if "k.a." in body:
        facts.weak_aliases = [_ofac.clean(m) for m in _ofac._ALIAS.findall(body) if _ofac.clean(m)]
    for raw in body.removesuffix(".").split(";"):
        _ofac._segment(facts, raw)
    return facts.weak_aliases, facts.birth_dates, facts.nationalities, list(facts.identifiers)


def facts_of(text: str) -> tuple[list[str], list[str], list[str], list[object]]:
    facts = _ofac.parse_remarks(text)
    return facts.weak_aliases, facts.birth_dates, facts.nationalities, list(facts.identifiers)


SEGMENTS = st.sampled_from(
    [
        "DOB 19 Jun 1951",
        "alt. DOB 1936",
        "(DOB circa 1960)",
        "( alt. DOB 1962 )",
        "(DOB 1960",
        "alt. (DOB 1960)",
        "POB Giza, Egypt",
        "nationality Iran",
        "citizen Syria",
        "Passport 1084010 (Egypt)",
        "alt. Passport 19820215",
        "Passport",
        "Passport ",
        "NIT # 800123-4 (Colombia)",
        "C.U.R.P. ABCD (Mexico) issued 2001 expires 2011",
        "Registration ID 12345",
        "Registration Number 9",
        "Digital Currency Address - XBT 1A2b3C",
        "Digital Currency Address - ",
        "Website www.example.com",
        "a.k.a. 'BNC'",
        "Linked To: X",
        "Gender Male",
        "",
        " ",
        "DOB",
        "nationality",
    ]
)
JOINERS = st.sampled_from(["; ", ";", " ; ", ";  ", ". ", "\u00a0; "])


@settings(max_examples=500, deadline=None)
@given(
    parts=st.lists(st.tuples(SEGMENTS, JOINERS), max_size=8),
    end=st.sampled_from(["", ".", " .", ";"]),
)
def test_remarks_match_segment_by_segment(parts: list[tuple[str, str]], end: str) -> None:
    text = "".join(segment + joiner for segment, joiner in parts) + end
    assert facts_of(text) == reference_facts(text)


@settings(max_examples=300, deadline=None)
@given(
    text=st.text(alphabet=st.sampled_from(list("DOB ;().alt'a.k.Passport1 \u00a0")), max_size=60)
)
def test_remarks_match_on_any_text(text: str) -> None:
    assert facts_of(text) == reference_facts(text)


@needs_data
def test_remarks_match_on_real_files() -> None:
    count = 0
    for path in REAL_CSV:
        if path.name.lower() not in ("sdn.csv", "cons_prim.csv"):
            continue
        for _, cells in ofac_csv._rows(path, 12):
            if not isinstance(cells, str) and not _ofac.empty(cells[11]):
                assert facts_of(cells[11]) == reference_facts(cells[11])
                count += 1
    assert count > 8000


# --- OFAC dates ---------------------------------------------------------------------

DATE_TEXT = st.one_of(
    st.builds(
        "{} {} {}".format,
        st.integers(0, 40),
        st.sampled_from(["Jan", "Feb", "Sept", "Dec.", "Xyz", "jun", "To"]),
        st.sampled_from(["1951", "2000", "1900", "0000", "١٩٥١"]),
    ),
    st.sampled_from(["1951", "١٩٥١", "circa 1951", "1960-1962", "1960 to 1962", "Mar 1960"]),
    st.text(alphabet=st.sampled_from(list("0123456789 JanFebto-.c")), max_size=14),
)


@settings(max_examples=500, deadline=None)
@given(text=DATE_TEXT)
def test_ofac_date_fast_forms_match_the_general_reading(text: str) -> None:
    _ofac.ofac_date.cache_clear()
    assert _ofac.ofac_date(text) == _ofac._general_date(_ofac.clean(text))


@needs_data
def test_ofac_dates_match_on_real_files() -> None:
    count = 0
    for path in REAL_CSV:
        if path.name.lower() not in ("sdn.csv", "cons_prim.csv"):
            continue
        for _, cells in ofac_csv._rows(path, 12):
            if isinstance(cells, str) or _ofac.empty(cells[11]):
                continue
            for date in _ofac.parse_remarks(cells[11]).birth_dates:
                raw = _ofac.clean(date)
                assert _ofac.ofac_date(date) == _ofac._general_date(raw)
                count += 1
    assert count > 5000
