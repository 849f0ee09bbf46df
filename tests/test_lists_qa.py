"""Adversarial tests of ``tradecontrol.lists``: the collector pause of a load, skipped
records that must not hide refused ones, and hostile bytes through ``load`` and the CLI.

Fixtures are small files written here (never copies of ``../shared``).
"""

from __future__ import annotations

import csv
import gc
import gzip
import io
import json
import re
import weakref
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from tests.thread_support import failures_in_threads
from tradecontrol import lists
from tradecontrol.cli import main
from tradecontrol.errors import DataError, InvalidInputError
from tradecontrol.listings import Listing
from tradecontrol.lists import _intl_common as _intl
from tradecontrol.lists import _xmlzip, canonical, opensanctions_ftm
from tradecontrol.lists._text import CONTROLS_REMOVED

LINE = {
    "id": "acme-{n}",
    "list_code": "INTERNAL",
    "authority": "ACME",
    "entity": {"name": "Example Trading {n} Ltd."},
    "versions": [{"window": {"start": "2024-01-01"}}],
}


def _jsonl(tmp_path: Path, count: int = 3, extra: str = "") -> Path:
    path = tmp_path / "internal.jsonl"
    lines = [json.dumps(LINE).replace("{n}", str(n)) for n in range(count)]
    path.write_text("\n".join(lines) + "\n" + extra)
    return path


def _gc_state() -> tuple[bool, tuple[int, ...], int]:
    return gc.isenabled(), gc.get_threshold(), gc.get_freeze_count()


class _Cycle:
    """A caller's object in a reference cycle: only the cyclic collector frees it."""

    def __init__(self) -> None:
        self.me = self


def _caller_cycle() -> weakref.ref[_Cycle]:
    return weakref.ref(_Cycle())


@pytest.fixture
def restore_gc() -> Iterator[None]:
    """Leave the collector as found, whatever a failing test did to it."""
    state = _gc_state()
    yield
    gc.unfreeze()
    (gc.enable if state[0] else gc.disable)()
    gc.set_threshold(*state[1])


# -- the collector pause (_without_cyclic_gc) --------------------------------------------


def _interrupt_after(name: str) -> Callable[[pytest.MonkeyPatch], None]:
    """Patch ``gc.<name>`` to do its work, then raise as a signal arriving right after."""

    def patch(monkeypatch: pytest.MonkeyPatch) -> None:
        real = getattr(gc, name)

        def interrupted(*args: Any) -> Any:
            real(*args)
            raise KeyboardInterrupt

        monkeypatch.setattr(gc, name, interrupted)

    return patch


def _reader_interrupted(monkeypatch: pytest.MonkeyPatch) -> None:
    real = canonical.read

    def read(path: Path) -> Iterator[Any]:
        for number, record in enumerate(real(path)):
            if number == 1:
                raise KeyboardInterrupt
            yield record

    monkeypatch.setattr(canonical, "read", read)


def _too_many_problems(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(lists, "MAX_PROBLEMS", 0)


@pytest.mark.parametrize(
    ("patch", "raises"),
    [
        (_interrupt_after("disable"), KeyboardInterrupt),  # between disable and the load
        (_interrupt_after("freeze"), KeyboardInterrupt),  # between freeze and unfreeze
        (_reader_interrupted, KeyboardInterrupt),  # a generator interrupted half way
        (_too_many_problems, DataError),  # the load stops: too many problems
    ],
    ids=["after-disable", "after-freeze", "reader", "too-many-problems"],
)
def test_a_load_that_fails_half_way_leaves_the_collector_as_it_was(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    restore_gc: None,
    patch: Callable[[pytest.MonkeyPatch], None],
    raises: type[BaseException],
) -> None:
    path = _jsonl(tmp_path, extra="{broken\n")
    gc.enable()
    before = _gc_state()
    caller = _caller_cycle()
    patch(monkeypatch)
    with pytest.raises(raises):
        lists.load(path)
    monkeypatch.undo()
    assert _gc_state() == before
    gc.collect()
    assert caller() is None  # the caller's garbage cycle is still collectable


def test_a_corrupt_gzip_half_way_leaves_the_collector_as_it_was(
    tmp_path: Path, restore_gc: None
) -> None:
    sample = (FIXTURES / "csl" / "sample.csv").read_text().splitlines()
    text = "\n".join([sample[0], *sample[1:3] * 500]) + "\n"
    packed = gzip.compress(text.encode(), mtime=0)
    path = tmp_path / "csl.csv.gz"
    path.write_bytes(packed[:40] + b"\x07\x00\x00\x00" + packed[44:])  # a bad deflate block
    gc.enable()
    before = _gc_state()
    caller = _caller_cycle()
    with pytest.raises(DataError, match=r"csl\.csv\.gz"):
        lists.load(path, format="csl-csv")
    assert _gc_state() == before
    gc.collect()
    assert caller() is None


@pytest.mark.parametrize("enabled", [True, False])
@pytest.mark.parametrize("frozen", [True, False])
@pytest.mark.parametrize("strict", [True, False])
def test_every_load_leaves_the_collector_as_it_was(
    tmp_path: Path, restore_gc: None, enabled: bool, frozen: bool, strict: bool
) -> None:
    path = _jsonl(tmp_path, extra="{broken\n")
    (gc.enable if enabled else gc.disable)()
    gc.set_threshold(500, 7, 9)
    keep = [_Cycle() for _ in range(3)]
    if frozen:
        gc.freeze()
    before = _gc_state()
    caller = _caller_cycle()
    if strict:
        with pytest.raises(ExceptionGroup):
            lists.load(path, strict=True)
    else:
        assert len(lists.load(path).listings) == 3
    assert _gc_state() == before
    gc.unfreeze()
    gc.collect()
    assert caller() is None
    del keep


def test_a_loader_that_loads_leaves_the_collector_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, restore_gc: None
) -> None:
    (tmp_path / "inner").mkdir()
    inner = _jsonl(tmp_path / "inner", count=4)
    outer = _jsonl(tmp_path, count=2)
    real = canonical.read
    states: list[tuple[bool, tuple[int, ...], int]] = []

    def read(path: Path) -> Iterator[Any]:
        if path == outer:
            assert len(lists.load(inner).listings) == 4
            states.append(_gc_state())
        yield from real(path)

    monkeypatch.setattr(canonical, "read", read)
    gc.enable()
    before = _gc_state()
    snap = lists.load(outer)
    assert [x.id for x in snap.listings] == ["acme-0", "acme-1"]
    assert states == [(False, before[1], 0)]  # still paused inside the outer load
    assert _gc_state() == before


def test_loads_from_several_threads_leave_the_collector_as_it_was(
    tmp_path: Path, restore_gc: None
) -> None:
    path = _jsonl(tmp_path, count=50)
    gc.enable()
    before = _gc_state()

    def work() -> None:
        for _ in range(20):
            assert len(lists.load(path).listings) == 50

    assert failures_in_threads(work, 4) == []
    assert _gc_state() == before
    caller = _caller_cycle()
    gc.collect()
    assert caller() is None


# -- skipped records never hide a refused one ---------------------------------------------

DPL_HEADER = "\t".join(
    [
        "Name",
        "Street_Address",
        "City",
        "State",
        "Country",
        "Postal_Code",
        "Effective_Date",
        "Expiration_Date",
        "Standard_Order",
        "Last_Update",
        "Action",
        "FR_Citation",
    ]
)


def _dpl_row(column: int, value: str) -> str:
    row = ["JOHN DOE", "1 MAIN ST", "SPRINGFIELD", "IL", "US", "62701", "10/16/2017"]
    row += ["", "Y", "2017-10-23", "FR NOTICE ADDED", "82 F.R. 48792"]
    row[column] = value
    return "\t".join(row)


FTM_PARTY: dict[str, Any] = {
    "id": "p-1",
    "caption": "Ivan EXAMPLE",
    "schema": "Person",
    "properties": {"name": ["Ivan EXAMPLE"]},
    "datasets": ["us_ofac_sdn"],
    "referents": [],
    "target": True,
}


def _ftm_line(**properties: list[str]) -> str:
    line = {**FTM_PARTY, "properties": {**FTM_PARTY["properties"], **properties}}
    return json.dumps(line, ensure_ascii=False)


def _refuse_listings(module: ModuleType) -> Callable[[pytest.MonkeyPatch], None]:
    """Make ``module.Listing`` refuse every listing, as the value objects refuse bad text.

    (Bidirectional overrides and invisible-only cells did so before they were cleaned; a
    repeat of such a row was then "skipped" although no listing was there.)
    """

    def patch(monkeypatch: pytest.MonkeyPatch) -> None:
        def refused(**_: object) -> Listing:
            raise InvalidInputError("refused by the value objects", path="remarks")

        monkeypatch.setattr(module, "Listing", refused)

    return patch


# (file name, lines, patch) of files whose second record repeats a refused first record
REPEATED_REFUSALS: list[tuple[str, list[str], Callable[[pytest.MonkeyPatch], None]]] = [
    ("dpl.txt", [DPL_HEADER, _dpl_row(10, "A"), _dpl_row(10, "A")], _refuse_listings(_intl)),
    ("p.ftm.json", [_ftm_line(notes=["x"])] * 2, _refuse_listings(opensanctions_ftm)),
]


@pytest.mark.parametrize(("name", "lines", "patch"), REPEATED_REFUSALS)
def test_a_repeat_of_a_refused_record_is_refused_too(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    name: str,
    lines: list[str],
    patch: Callable[[pytest.MonkeyPatch], None],
) -> None:
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n")
    patch(monkeypatch)
    snap = lists.load(path)
    fatal = [p for p in snap.problems if p.fatal]
    assert snap.listings == ()
    assert len(fatal) == 2
    assert fatal[0].skipped is False
    assert fatal[1].skipped is False, fatal[1].reason  # no listing is "already there"
    assert snap.records == 2
    monkeypatch.undo()
    again = lists.load(path)  # the same file without the refusal: one listing, one skipped
    assert len(again.listings) == 1
    assert [p.skipped for p in again.problems if p.fatal] == [True]


CSL_RESULT = {
    "id": "e1",
    "source": "Entity List (EL) - Bureau of Industry and Security",
    "name": "Example Optics Co., Ltd.",
    "start_date": "2019-05-21",
    "federal_register_notice": "84 FR 22961",
}


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ({"score": 1}, {"score": True}),  # equal in Python, not in JSON
        ({"score": 0}, {"score": False}),
        ({"score": [1.0]}, {"score": [True]}),
        ({"score": {"a": 1}}, {"score": {"a": True}}),
    ],
)
def test_a_csl_json_entry_that_only_looks_equal_is_refused(
    tmp_path: Path, first: dict[str, Any], second: dict[str, Any]
) -> None:
    path = tmp_path / "csl.json"
    path.write_text(json.dumps({"results": [{**CSL_RESULT, **first}, {**CSL_RESULT, **second}]}))
    snap = lists.load(path, format="csl-json")
    fatal = [p for p in snap.problems if p.fatal]
    assert len(snap.listings) == 1
    assert [p.skipped for p in fatal] == [False]
    assert snap.records == 2


# -- a bidirectional override in a part of a record refuses no listing ----------------------

BIDI = "\u202e"  # RIGHT-TO-LEFT OVERRIDE: refused in every text of a Listing
FIXTURES = Path(__file__).parent / "fixtures" / "lists"
OFAC_ROWS = [
    '36,"EXAMPLE, John","individual","SDGT","Director","-0-","-0-","-0-","-0-","-0-","-0-",'
    '"DOB 1962; Passport A1234567 (Iran)."',
    '173,"EXAMPLE SHIPPING CO","-0-","IRAN","-0-","-0-","-0-","-0-","-0-","-0-","-0-",'
    '"Website www.example.invalid."',
]
_ID_LIKE = re.compile(r"(?i)id$|reference|number|type|code|^is|script|publish|date")


def _xml_bidi(text: str) -> str:
    """An override at the end of every element text but ids, codes, flags and dates."""
    return re.sub(
        r"<([\w:]+)([^<>]*)>([A-Za-z][^<]{2,})<",
        lambda m: m[0] if _ID_LIKE.search(m[1]) else f"<{m[1]}{m[2]}>{m[3]}{BIDI}<",
        text,
    )


def _cells_bidi(columns: set[str], mark: str = BIDI) -> Callable[[str], str]:
    """``mark`` at the end of the named columns' cells of a CSV, written quoted."""

    def edit(text: str) -> str:
        rows = list(csv.reader(io.StringIO(text)))
        at = [i for i, col in enumerate(rows[0]) if col in columns]
        for row in rows[1:]:
            if row == rows[0]:
                continue  # a repeated header stays one
            for i in at:
                if i < len(row) and row[i]:
                    row[i] += mark
        out = io.StringIO()
        csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\n").writerows(rows)
        return out.getvalue()

    return edit


def _ftm_bidi(text: str) -> str:
    out = []
    for line in text.splitlines():
        ent = json.loads(line)
        ent["caption"] += BIDI
        for prop in ("name", "notes", "address", "country"):
            if prop in ent["properties"]:
                ent["properties"][prop] = [x + BIDI for x in ent["properties"][prop]]
        out.append(json.dumps(ent, ensure_ascii=False))
    return "\n".join(out) + "\n"


def _csl_json_bidi(text: str) -> str:
    data = json.loads(text)
    for item in data["results"]:
        for key in ("name", "title", "remarks", "federal_register_notice", "source_list_url"):
            item[key] += BIDI
        item["programs"] = [x + BIDI for x in item["programs"]]
    return json.dumps(data, ensure_ascii=False)


BIDI_CASES: list[tuple[str, str, Callable[[str], str]]] = [
    (
        "dpl.txt",
        "\n".join([DPL_HEADER, _dpl_row(0, "JOHN DOE"), _dpl_row(0, "JANE ROE")]),
        lambda t: "\n".join(
            [
                t.splitlines()[0],
                *(line.replace("\t", BIDI + "\t") + BIDI for line in t.splitlines()[1:]),
            ]
        ),
    ),
    (
        "sdn.csv",
        "\r\n".join(OFAC_ROWS) + "\r\n",
        lambda t: t.replace('","', BIDI + '","').replace('."', "." + BIDI + '"'),
    ),
    (
        "csl.csv",
        _cells_bidi({"name"}, mark="")((FIXTURES / "csl" / "sample.csv").read_text()),
        _cells_bidi(
            {
                "name",
                "title",
                "remarks",
                "addresses",
                "federal_register_notice",
                "programs",
                "alt_names",
                "license_requirement",
                "source_list_url",
            }
        ),
    ),
    ("p.ftm.json", _ftm_line(notes=["Example note"], country=["ru"]) + "\n", _ftm_bidi),
    (
        "csl.json",
        json.dumps(
            {
                "results": [
                    {
                        **CSL_RESULT,
                        "title": "CEO",
                        "remarks": "r",
                        "programs": ["X"],
                        "source_list_url": "https://example.invalid/el",
                    }
                ]
            }
        ),
        _csl_json_bidi,
    ),
    ("un.xml", (FIXTURES / "un_xml" / "un_small.xml").read_text(), _xml_bidi),
    ("eu.xml", (FIXTURES / "eu_xml" / "eu_small.xml").read_text(), _xml_bidi),
    ("uk.xml", (FIXTURES / "uk_xml" / "uk_small.xml").read_text(), _xml_bidi),
]


@pytest.mark.parametrize(("name", "text", "edit"), BIDI_CASES, ids=[c[0] for c in BIDI_CASES])
def test_a_bidirectional_override_in_a_record_is_removed_with_a_note(
    tmp_path: Path, name: str, text: str, edit: Callable[[str], str]
) -> None:
    (tmp_path / "plain").mkdir()
    (tmp_path / "bidi").mkdir()
    (tmp_path / "plain" / name).write_text(text)
    (tmp_path / "bidi" / name).write_text(edit(text))
    plain = lists.load(tmp_path / "plain" / name)
    hostile = lists.load(tmp_path / "bidi" / name)
    assert plain.listings
    assert BIDI in (tmp_path / "bidi" / name).read_text()
    assert len(hostile.listings) == len(plain.listings)  # (DPL ids hash the raw cells)
    assert [x.entity.name for x in hostile.listings] == [x.entity.name for x in plain.listings]
    assert BIDI not in json.dumps([x.to_dict() for x in hostile.listings], ensure_ascii=False)
    fatal = [
        [(p.record, p.field, p.reason) for p in s.problems if p.fatal] for s in (plain, hostile)
    ]
    assert fatal[1] == fatal[0]
    notes = [p for p in hostile.problems if not p.fatal and p.reason == CONTROLS_REMOVED]
    assert notes, hostile.problems
    assert hostile.records == len(hostile.listings) + sum(p.fatal for p in hostile.problems)


# -- a cell of invisible characters only is an empty cell, not a refused record ------------

INVISIBLE = "\u200b\ufeff"  # ZERO WIDTH SPACE, BYTE ORDER MARK: "must not be empty" in a Listing


def _csl_csv(column: str) -> tuple[str, str]:
    header = (FIXTURES / "csl" / "sample.csv").read_text().splitlines()[0]
    columns = next(csv.reader([header]))
    row = dict.fromkeys(columns, "")
    row.update(source=CSL_RESULT["source"], name="Example Optics Co., Ltd.")
    row.update(start_date="2019-05-21", _id="e1", **{column: INVISIBLE})
    out = io.StringIO()
    csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\n").writerows(
        [columns, [row[c] for c in columns]]
    )
    return "csl.csv", out.getvalue()


def _csl_json(key: str) -> tuple[str, str]:
    value: object = [INVISIBLE] if key in ("programs", "alt_names") else INVISIBLE
    return "csl.json", json.dumps({"results": [{**CSL_RESULT, key: value}]}, ensure_ascii=False)


INVISIBLE_CASES: list[tuple[str, str]] = [
    *(
        _csl_csv(column)
        for column in (
            "programs",
            "title",
            "addresses",
            "federal_register_notice",
            "license_requirement",
            "license_policy",
            "call_sign",
            "remarks",
            "source_list_url",
            "alt_names",
            "ids",
        )
    ),
    *(
        _csl_json(key)
        for key in (
            "remarks",
            "federal_register_notice",
            "source_list_url",
            "programs",
            "alt_names",
            "license_policy",
            "call_sign",
        )
    ),
    ("sdn.csv", OFAC_ROWS[0].replace('"SDGT"', f'"{INVISIBLE}"') + "\r\n"),
    *(
        ("p.ftm.json", _ftm_line(**{prop: [INVISIBLE]}) + "\n")
        for prop in ("alias", "weakAlias", "sourceUrl")
    ),
    ("dpl.txt", "\n".join([DPL_HEADER, _dpl_row(11, INVISIBLE)]) + "\n"),
]


@pytest.mark.parametrize(("name", "text"), INVISIBLE_CASES)
def test_a_cell_of_invisible_characters_refuses_no_record(
    tmp_path: Path, name: str, text: str
) -> None:
    path = tmp_path / name
    path.write_text(text)
    assert INVISIBLE in path.read_text()
    snap = lists.load(path, format="csl-json" if name == "csl.json" else None)
    assert [p for p in snap.problems if p.fatal] == []
    assert len(snap.listings) == 1
    assert INVISIBLE[0] not in json.dumps(snap.listings[0].to_dict(), ensure_ascii=False)


# -- files whose lines end in a lone carriage return (old Mac line ends) --------------------


@pytest.mark.parametrize(
    ("fixture", "name", "format"),
    [
        (FIXTURES / "csl" / "sample.csv", "csl.csv", "csl-csv"),
        (FIXTURES / "bis_dpl" / "dpl_small.txt", "dpl.txt", "bis-dpl-txt"),
        (FIXTURES / "bis_dpl" / "dpl_small.txt", "dpl.txt", None),
    ],
)
def test_a_file_with_lone_carriage_returns_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], fixture: Path, name: str, format: str | None
) -> None:
    path = tmp_path / name
    path.write_bytes(fixture.read_bytes().replace(b"\r\n", b"\n").replace(b"\n", b"\r"))
    with pytest.raises(DataError, match=r"lone carriage return \(CR,") as caught:
        lists.load(path, format=format)
    assert name in str(caught.value)
    assert "universal-newline" not in str(caught.value)  # (the csv module's own advice)
    assert main(["lists", "summary", str(path)]) == 1
    err = capsys.readouterr().err
    assert "lone carriage return" in err
    assert "Traceback" not in err


# -- one huge token in an XML file (expat before 2.6 rescans it at every chunk) --------------


class _Spy(io.BytesIO):
    """Bytes that record the size of every read."""

    def __init__(self, data: bytes) -> None:
        super().__init__(data)
        self.sizes: list[int] = []

    def read(self, size: int | None = -1) -> bytes:
        data = super().read(size)
        self.sizes.append(len(data))
        return data


@pytest.mark.parametrize(
    ("data", "most_reads"),
    [
        (b'<a x="' + b"B" * (8 << 20) + b'"/>', 10),  # one 8 MiB attribute: growing reads
        (b"<!--" + b"B" * (8 << 20) + b"-->", 10),  # one 8 MiB comment
        (b"<r>" + b"<e>x</e>" * (1 << 20) + b"</r>", (8 << 20) // _xmlzip.XML_CHUNK + 2),
    ],
    ids=["attribute", "comment", "many-elements"],
)
def test_xml_is_read_in_chunks_that_grow_across_a_long_token(data: bytes, most_reads: int) -> None:
    spy = _Spy(data)
    reads = _xmlzip.ChunkedReads(spy)
    assert b"".join(iter(lambda: reads.read(16 * 1024), b"")) == data
    assert len(spy.sizes) <= most_reads  # (16 KiB reads: 513 and more)
    assert max(spy.sizes) <= _xmlzip.MAX_XML_CHUNK


def test_a_huge_xml_attribute_is_parsed_in_few_reads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = (FIXTURES / "un_xml" / "un_small.xml").read_text()
    plain = tmp_path / "plain.xml"
    plain.write_text(text)
    hostile = tmp_path / "hostile.xml"
    hostile.write_text(text.replace("<INDIVIDUAL>", f'<INDIVIDUAL x="{"B" * (8 << 20)}">', 1))
    sizes: list[int] = []
    real = _xmlzip.ChunkedReads.read

    def read(self: _xmlzip.ChunkedReads, size: int = -1) -> bytes:
        data = real(self, size)
        sizes.append(len(data))
        return data

    monkeypatch.setattr(_xmlzip.ChunkedReads, "read", read)
    snap = lists.load(hostile)
    assert len(sizes) <= 12  # (16 KiB reads: 513)
    expected = lists.load(plain)
    assert [x.to_dict() for x in snap.listings] == [x.to_dict() for x in expected.listings]


@pytest.mark.parametrize("ending", [b"\r", b"\r\n\r"])
def test_an_ofac_line_joined_by_a_lone_carriage_return_says_so(
    tmp_path: Path, ending: bytes
) -> None:
    rows = [row.encode() for row in OFAC_ROWS]
    (tmp_path / "sdn.csv").write_bytes(rows[0] + ending + rows[1] + b"\r")
    snap = lists.load(tmp_path / "sdn.csv", format="ofac-csv")
    refused = [p for p in snap.problems if p.fatal]
    assert refused
    assert all("lone carriage return" in p.reason for p in refused), refused
    assert snap.records == len(snap.listings) + len(refused)
