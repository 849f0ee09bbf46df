"""Test helpers for the UN, EU, UK and BIS DPL loaders: real data, sniffing, fuzzing."""

from __future__ import annotations

import csv
import html
import importlib
import os
import re
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest
from hypothesis import strategies as st

from tests.conftest import ROOT, SHARED
from tradecontrol import lists
from tradecontrol.errors import DataError, TradeControlError
from tradecontrol.lists import ListSnapshot, Problem
from tradecontrol.lists._intl_common import local

DATA = SHARED / "data"
FIXTURES = ROOT / "tests" / "fixtures" / "lists"

if os.environ.get("CI") == "true" and not DATA.is_dir():
    raise RuntimeError(f"CI=true but the shared reference data is missing at {DATA}")

needs_shared = pytest.mark.skipif(
    not DATA.is_dir(), reason="../shared (reference data) is not beside the repo"
)


def shared_files() -> list[Path]:
    """Every file of ../shared/data (none when it is absent)."""
    return sorted(p for p in DATA.rglob("*") if p.is_file()) if DATA.is_dir() else []


def fixture_files() -> list[Path]:
    """Every list fixture of the test suite."""
    return sorted(p for p in FIXTURES.rglob("*") if p.is_file())


def head(path: Path) -> bytes:
    with path.open("rb") as fh:
        return fh.read(lists.SNIFF_BYTES)


def check_snapshot(snap: ListSnapshot) -> None:
    """Invariants every snapshot keeps."""
    fatal = sum(p.fatal for p in snap.problems)
    assert snap.records == len(snap.listings) + fatal
    assert all(isinstance(p, Problem) for p in snap.problems)
    for listing in snap.listings:
        assert listing.versions
        assert listing.id.strip() == listing.id


def problem_rows(snap: ListSnapshot) -> list[tuple[int, str, str, str | None, bool]]:
    return [(p.record, p.field, p.reason, p.record_id, p.fatal) for p in snap.problems]


def load_bytes(data: bytes, name: str, format: str | None) -> ListSnapshot:
    """Load ``data`` written to a temporary file called ``name``."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        path.write_bytes(data)
        return lists.load(path, format=format)


# -- attacks -------------------------------------------------------------------------------

BILLION_LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE {root} [\n <!ENTITY lol "lol">\n'
    ' <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">\n'
    ' <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">\n]>\n'
    "<{root} {attrs}>{body}&lol3;</{root}>\n"
)
EXTERNAL_ENTITY = (
    '<?xml version="1.0"?>\n<!DOCTYPE {root} [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
    "<{root} {attrs}>{body}&xxe;</{root}>\n"
)
EXTERNAL_DTD = (
    '<?xml version="1.0"?>\n<!DOCTYPE {root} SYSTEM "http://127.0.0.1:9/evil.dtd">\n'
    "<{root} {attrs}>{body}</{root}>\n"
)
ATTACKS = {"billion_laughs": BILLION_LAUGHS, "xxe": EXTERNAL_ENTITY, "external_dtd": EXTERNAL_DTD}


def attack(kind: str, root: str, attrs: str, body: str) -> bytes:
    return (
        ATTACKS[kind]
        .replace("{root}", root)
        .replace("{attrs}", attrs)
        .replace("{body}", body)
        .encode()
    )


# -- fuzzing -------------------------------------------------------------------------------

SPECIAL_TEXT = [
    "",
    " ",
    "00",
    "UNKNOWN",
    "dd/mm/yyyy",
    "dd/mm/1962",
    "1962",
    "2020-02-30",
    "31/02/2020",
    "13/13/2013",
    "2019-05-16-04:00",
    "Atlantis",
    "ISLAMIC",
    "false",
    "true",
    "Low",
    "Primary Name",
    "circa",
    "x" * 5000,
    "١٩٦٢",
    "²",
]

_TEXT = st.one_of(
    st.text(
        alphabet=st.characters(blacklist_categories=("Cs", "Cc"), max_codepoint=0x2FFF),
        max_size=25,
    ),
    st.sampled_from(SPECIAL_TEXT),
)


def _truncate(draw: Any, data: bytes) -> bytes:
    return data[: draw(st.integers(0, len(data)))]


def _flip(draw: Any, data: bytes) -> bytes:
    out = bytearray(data)
    for _ in range(draw(st.integers(1, 6))):
        if not out:
            break
        out[draw(st.integers(0, len(out) - 1))] = draw(st.integers(0, 255))
    return bytes(out)


def _encoding(draw: Any, data: bytes) -> bytes:
    text = data.decode("utf-8", errors="replace")
    enc = draw(st.sampled_from(["utf-16", "utf-32", "latin-1", "cp1252", "utf-8-sig", "ascii"]))
    return text.encode(enc, errors="replace")


def _drop_lines(draw: Any, data: bytes) -> bytes:
    lines = data.split(b"\n")
    for _ in range(draw(st.integers(1, 3))):
        if len(lines) > 1:
            del lines[draw(st.integers(0, len(lines) - 1))]
    return b"\n".join(lines)


_XML_TEXT = re.compile(rb">([^<>]*)</")
_XML_ATTR = re.compile(rb'="([^"]*)"')
_XML_LEAF = re.compile(rb"^\s*(?:<([\w:]+)\b[^>]*>[^<]*</\1>|<[\w:]+\b[^>]*/>)\s*$")


def _xml_value(draw: Any, data: bytes) -> bytes:
    """Replace one element text or attribute value with escaped random text."""
    spans = [m.span(1) for m in _XML_TEXT.finditer(data)]
    spans += [m.span(1) for m in _XML_ATTR.finditer(data)]
    if not spans:
        return data
    a, b = draw(st.sampled_from(spans))
    value = html.escape(draw(_TEXT), quote=True).encode("utf-8")
    return data[:a] + value + data[b:]


def _xml_drop_element(draw: Any, data: bytes) -> bytes:
    """Remove one single-line element (the document stays well-formed)."""
    lines = data.split(b"\n")
    leaves = [i for i, line in enumerate(lines) if _XML_LEAF.match(line)]
    if not leaves:
        return data
    del lines[draw(st.sampled_from(leaves))]
    return b"\n".join(lines)


def _tsv_cell(draw: Any, data: bytes) -> bytes:
    lines = data.split(b"\n")
    i = draw(st.integers(0, len(lines) - 1))
    cells = lines[i].split(b"\t")
    j = draw(st.integers(0, len(cells) - 1))
    raw = draw(st.one_of(_TEXT, st.sampled_from(['"', '"a"b', "a\tb", "a\rb", "a\nb", "\x00"])))
    cells[j] = raw.encode("utf-8")
    lines[i] = b"\t".join(cells)
    return b"\n".join(lines)


def _tsv_drop_column(draw: Any, data: bytes) -> bytes:
    lines = data.split(b"\n")
    j = draw(st.integers(0, 12))
    out = []
    for line in lines:
        cells = line.split(b"\t")
        if j < len(cells):
            del cells[j]
        out.append(b"\t".join(cells))
    return b"\n".join(out)


GENERIC = [_truncate, _flip, _encoding, _drop_lines]
XML_EDITS = [*GENERIC, _xml_value, _xml_value, _xml_drop_element, _xml_drop_element]
TSV_EDITS = [*GENERIC, _tsv_cell, _tsv_cell, _tsv_drop_column]


def mutated(data: bytes, edits: Sequence[Callable[[Any, bytes], bytes]]) -> Any:
    """A strategy of ``data`` after one to three random edits."""

    @st.composite
    def build(draw: Any) -> bytes:
        out = data
        for _ in range(draw(st.integers(1, 3))):
            out = draw(st.sampled_from(edits))(draw, out)
        return out

    return build()


def xml_expected_records(
    data: bytes, records: dict[str, int], structure: dict[str, int]
) -> int | None:
    """Records a loader must account for in ``data`` (independent parse), None if refused.

    Each record element counts, and so does each element that stands where records stand
    but is not one (an unknown name at the records' depth or above, or a record name at
    another depth): through the record-named elements inside it, or as one when it holds
    none.
    """
    et = importlib.import_module("defusedxml.ElementTree")
    try:
        root = et.fromstring(data, forbid_dtd=True)
    except Exception:
        return None
    deepest = max(records.values())
    count = 0
    stack = [(child, 1) for child in root]
    while stack:
        elem, depth = stack.pop()
        name = local(elem.tag)
        if records.get(name) == depth:
            count += 1
        elif name in records or (depth <= deepest and structure.get(name) != depth):
            inner = sum(1 for e in elem.iter() if local(e.tag) in records)
            count += inner or 1
        else:
            stack.extend((child, depth + 1) for child in elem)
    return count


def tsv_record_count(data: bytes) -> int | None:
    """Non-blank rows after the header, or None when the header has no Name column."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    parts = data.split(b"\n")
    raw = [p + b"\n" for p in parts[:-1]] + ([parts[-1]] if parts[-1] else [])
    lines = [x.decode("latin-1") for x in raw]
    reader = csv.reader(iter(lines), delimiter="\t")
    header: list[str] = []
    while not header:
        try:
            header = [c.strip().lower() for c in next(reader)]
        except StopIteration:
            return 0
        except csv.Error:
            return None
    if "name" not in header:
        return None
    count = 0
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return count
        except csv.Error:
            count += 1
            continue
        if row:
            count += 1


def fuzz_one(
    data: bytes,
    name: str,
    format: str,
    expected_records: Callable[[bytes], int | None],
) -> None:
    """Load mutated ``data``: only TradeControlError escapes; every record is accounted for."""
    expected = expected_records(data)
    try:
        snap = load_bytes(data, name, format)
    except DataError:
        assert expected is None, "refused a file whose records could be counted"
    else:
        check_snapshot(snap)
        assert expected is not None
        assert snap.records == expected
        assert len({x.id for x in snap.listings}) == len(snap.listings)
    try:
        auto = load_bytes(data, name, None)
    except TradeControlError:
        return
    check_snapshot(auto)
