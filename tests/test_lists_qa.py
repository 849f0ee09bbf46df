"""Adversarial tests of ``tradecontrol.lists``: the collector pause of a load, skipped
records that must not hide refused ones, and hostile bytes through ``load`` and the CLI.

Fixtures are small files written here (never copies of ``../shared``).
"""

from __future__ import annotations

import gc
import json
import threading
import weakref
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tradecontrol import lists
from tradecontrol.errors import DataError
from tradecontrol.lists import canonical

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
    failures: list[BaseException] = []

    def work() -> None:
        try:
            for _ in range(20):
                assert len(lists.load(path).listings) == 50
        except BaseException as exc:
            failures.append(exc)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
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
    return json.dumps({**FTM_PARTY, "properties": {**FTM_PARTY["properties"], **properties}})


# (file name, lines) of files whose second record repeats a refused first record
REPEATED_REFUSALS: list[tuple[str, list[str]]] = [
    ("dpl.txt", [DPL_HEADER, _dpl_row(10, "X\u202eY"), _dpl_row(10, "X\u202eY")]),  # Action
    ("dpl.txt", [DPL_HEADER, _dpl_row(11, "82 F.R. 1\u202e"), _dpl_row(11, "82 F.R. 1\u202e")]),
    ("p.ftm.json", [_ftm_line(notes=["x\u202e"])] * 2),
]


@pytest.mark.parametrize(("name", "lines"), REPEATED_REFUSALS)
def test_a_repeat_of_a_refused_record_is_refused_too(
    tmp_path: Path, name: str, lines: list[str]
) -> None:
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n")
    snap = lists.load(path)
    fatal = [p for p in snap.problems if p.fatal]
    assert snap.listings == ()
    assert len(fatal) == 2
    assert fatal[0].skipped is False
    assert fatal[1].skipped is False, fatal[1].reason  # no listing is "already there"
    assert snap.records == 2


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
