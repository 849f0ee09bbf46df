"""Skipped records: by design not listings (``Problem.skipped``), apart from refused ones.

A skipped record is a fatal problem (it became no listing) whose loss loses nothing: an
exact duplicate of an earlier record, a row with no value, an entity the source itself
marks as context only. Loaders mark them; ``--list`` reports them without exit status 1;
``lists summary`` and ``lists diff`` count them apart; ``strict=True`` still raises them.
"""

from __future__ import annotations

import json
from pathlib import Path

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests._intl_lists import DATA, FIXTURES, check_snapshot, load_bytes, needs_shared
from tests.conftest import ROOT
from tradecontrol import lists
from tradecontrol.cli import main
from tradecontrol.errors import DataError, InvalidInputError
from tradecontrol.lists import ListProblemError, Problem

EXAMPLES = ROOT / "examples" / "huawei-2019.jsonl"
DPL = FIXTURES / "bis_dpl" / "dpl_skipped.txt"
FTM = FIXTURES / "opensanctions_ftm" / "skipped.ftm.json"
CSL_JSON = FIXTURES / "csl_json" / "skipped.json"

WATCHMAN_DPL = DATA / "bis" / "watchman" / "dpl.txt"
ITA_DPL = DATA / "bis" / "ita-webservices" / "dpl.txt"
ZALA = DATA / "opensanctions" / "yente-zala" / "entities.ftm.json"
CSL_2023 = DATA / "csl" / "watchman-2023-sample" / "csl.csv"

DUPLICATE = "exact duplicate of the row at line {} (same listing)"
NOT_TARGET = "{} is not a sanctions target (target: false); context only"

# (record, field, reason, fatal, skipped) of every problem, in file order
Row = tuple[int, str, str, bool, bool]

CASES: list[tuple[Path, str, int, int, list[Row]]] = [
    (
        DPL,
        "bis-dpl-txt",
        11,
        3,
        [
            (3, "", DUPLICATE.format(2), True, True),  # the same cells again
            (4, "", DUPLICATE.format(2), True, True),  # the same but for spaces
            (5, "", "empty row", True, True),  # "" in every cell
            (6, "", "empty row", True, True),  # bare tabs
            (7, "", "empty row", True, True),  # spaces only
            (
                8,
                "",
                "same name, address and effective date as the row at line 2; id suffixed -bf39ea63",
                False,
                False,
            ),
            (9, "", DUPLICATE.format(8), True, True),  # duplicate of the suffixed row
            (10, "Name", "no name", True, False),  # an address without a name: refused
            (11, "", "not UTF-8; read as Windows-1252", False, False),
            (12, "", "not UTF-8; read as Windows-1252", False, False),
            (
                12,
                "",
                "same text as the row at line 11 once decoded, but with undecodable bytes "
                "(U+FFFD): the rows may differ",
                True,
                False,  # 0x8D where line 11 has 0x81: not known to be the same row
            ),
        ],
    ),
    (
        FTM,
        "opensanctions-ftm",
        9,
        2,
        [
            (2, "", NOT_TARGET.format("Company"), True, True),
            (5, "", NOT_TARGET.format("Person"), True, True),
            (
                6,
                "",
                "not valid JSON: Expecting property name enclosed in double quotes: "
                "line 2 column 1 (char 38)",
                True,
                False,
            ),
            (7, "", "exact duplicate of line 1 (same entity)", True, True),  # byte for byte
            (8, "", NOT_TARGET.format("Vessel"), True, True),
            (10, "", "id already used on line 1", True, False),  # same id, other name
            (11, "", "id already used on line 4", True, False),  # auxiliary: not compared
        ],
    ),
    (
        CSL_JSON,
        "csl-json",
        6,
        2,
        [
            (2, "[1]", "exact duplicate of element 1 (same listing)", True, True),
            (
                3,
                "[2]",
                "same id csl-el-7f8658593ed5adaa as element 1 (same source and entity "
                "number, or same identifying fields)",
                True,
                False,  # other remarks: something would be lost
            ),
            (5, "[4]", "exact duplicate of element 4 (same listing)", True, True),
            (
                6,
                "[5]",
                "same id csl-sdn-36 as element 4 (same source and entity number, or same "
                "identifying fields)",
                True,
                False,  # same entity number, other name
            ),
        ],
    ),
]


@pytest.mark.parametrize(
    ("path", "format", "records", "listings", "problems"), CASES, ids=lambda x: str(x)[-24:]
)
def test_loaders_mark_skipped_records(
    path: Path, format: str, records: int, listings: int, problems: list[Row]
) -> None:
    snap = lists.load(path)
    check_snapshot(snap)  # records == listings + fatal problems, skipped ones included
    assert snap.format == format
    assert snap.records == records
    assert len(snap.listings) == listings
    assert [(p.record, p.field, p.reason, p.fatal, p.skipped) for p in snap.problems] == problems


def test_a_skipped_duplicate_names_the_listing_already_there() -> None:
    snap = lists.load(DPL)
    ids = {x.id for x in snap.listings}
    duplicates = [p for p in snap.problems if p.skipped and p.reason.startswith("exact")]
    assert len(duplicates) == 3 and all(p.record_id in ids for p in duplicates)
    assert duplicates[-1].record_id is not None and duplicates[-1].record_id.endswith("-bf39ea63")


def test_a_skipped_context_entity_stays_in_the_remarks_of_the_listing_it_links_to() -> None:
    """Nothing is lost: the context company and person are named where they matter."""
    target = {x.id: x for x in lists.load(FTM).listings}["os-co-t"]
    assert target.remarks is not None
    assert "Owner: Context Holding Ltd [c-ctx] (30%, from 2020-01-10)" in target.remarks
    assert "Directorship: director Petr CONTEXT [p-ctx]" in target.remarks
    assert target.entity.owners == ()  # a context owner is no listing: no owner edge


def test_existing_fixtures_skip_only_what_is_by_design_not_a_listing() -> None:
    """The loaders' own fixtures: a broken line or a repeated id stays refused."""
    ftm = lists.load(FIXTURES / "opensanctions_ftm" / "sample.ftm.json")
    assert [(p.record, p.record_id) for p in ftm.problems if p.skipped] == [(12, "co-2")]
    assert [p.record for p in ftm.problems if p.fatal and not p.skipped] == [16, 17, 18]
    dpl = lists.load(FIXTURES / "bis_dpl" / "dpl_small.txt")
    assert [(p.record, p.reason) for p in dpl.problems if p.fatal] == [
        (4, DUPLICATE.format(3)),
        (5, "empty row"),
    ]
    assert all(p.skipped for p in dpl.problems if p.fatal)
    csl = lists.load(FIXTURES / "csl" / "sample.csv")
    assert [p.record for p in csl.problems if p.fatal] == [5, 7]
    assert not any(p.skipped for p in csl.problems)  # a short or unreadable row is refused


# -- the Problem validator ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("fatal", "skipped", "ok"),
    [(True, False, True), (True, True, True), (False, False, True), (False, True, False)],
)
def test_only_a_fatal_problem_can_be_skipped(fatal: bool, skipped: bool, ok: bool) -> None:
    fields = {"source": "dpl.txt", "record": 3, "field": "", "reason": "r"}
    if ok:
        problem = Problem(**fields, fatal=fatal, skipped=skipped)  # type: ignore[arg-type]
        assert (problem.fatal, problem.skipped) == (fatal, skipped)
        return
    with pytest.raises(InvalidInputError, match="skipped=True needs fatal=True") as caught:
        Problem(**fields, fatal=fatal, skipped=skipped)  # type: ignore[arg-type]
    assert caught.value.path == "skipped"


def test_evolving_a_skipped_problem_into_a_note_is_refused() -> None:
    skipped = Problem(source="a", record=1, field="", reason="empty row", skipped=True)
    with pytest.raises(InvalidInputError, match="skipped"):
        attrs.evolve(skipped, fatal=False)


def test_repr_shows_skipped_only_when_true() -> None:
    plain = Problem(source="a", record=1, field="", reason="r")
    assert repr(plain) == (
        "Problem(source='a', record=1, field='', reason='r', record_id=None, fatal=True)"
    )
    assert repr(attrs.evolve(plain, skipped=True)).endswith("fatal=True, skipped=True)")


# -- strict=True: unchanged, every problem raised ------------------------------------------


@pytest.mark.parametrize("path", [DPL, FTM, CSL_JSON], ids=lambda p: p.name)
def test_strict_still_raises_skipped_records(path: Path) -> None:
    snap = lists.load(path)
    with pytest.raises(ExceptionGroup) as caught:
        lists.load(path, strict=True)
    errors = caught.value.exceptions
    assert len(errors) == len(snap.problems)
    assert all(isinstance(e, ListProblemError) for e in errors)
    skipped = {(p.record, p.reason) for p in snap.problems if p.skipped}
    assert skipped <= {(e.line, e.message) for e in errors if isinstance(e, ListProblemError)}


def test_strict_raises_a_file_with_only_skipped_records(tmp_path: Path) -> None:
    rows = DPL.read_bytes().split(b"\r\n")
    path = tmp_path / "dpl.txt"
    path.write_bytes(b"\r\n".join([rows[0], rows[1], rows[2], b""]))  # a row, its duplicate
    assert [(p.fatal, p.skipped) for p in lists.load(path).problems] == [(True, True)]
    with pytest.raises(ExceptionGroup) as caught:
        lists.load(path, strict=True)
    (error,) = caught.value.exceptions
    assert isinstance(error, ListProblemError)
    assert (error.line, error.message) == (3, DUPLICATE.format(2))


# -- property: repeating rows of a DPL file only adds skipped records ----------------------

HEADER = (
    "Name\tStreet_Address\tCity\tState\tCountry\tPostal_Code\tEffective_Date\t"
    "Expiration_Date\tStandard_Order\tLast_Update\tAction\tFR_Citation"
)
WORD = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ .,-", min_size=1, max_size=12)
ROW = st.tuples(WORD, WORD, st.sampled_from(["US", "CN", "PRC", "DE"]), st.integers(1, 28))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=st.lists(ROW, min_size=1, max_size=6), repeats=st.lists(st.integers(0, 50)))
def test_repeated_dpl_rows_are_skipped_and_change_no_listing(
    rows: list[tuple[str, str, str, int]], repeats: list[int]
) -> None:
    lines = [
        f'"X{n} {name}"\t"{street}"\t"CITY"\t""\t"{country}"\t""\t"01/{day}/2019"\t""\t"Y"\t'
        f'""\t""\t"84 F.R. 100"'
        for n, (name, street, country, day) in enumerate(rows)
    ]
    with_copies = list(lines)
    for r in repeats:  # insert a copy of an earlier row after it
        at = r % len(with_copies)
        with_copies.insert(at + 1, with_copies[at])
    base = load_bytes("\n".join([HEADER, *lines, ""]).encode(), "dpl.txt", None)
    copied = load_bytes("\n".join([HEADER, *with_copies, ""]).encode(), "dpl.txt", None)
    check_snapshot(copied)
    assert [x.to_dict() for x in copied.listings] == [x.to_dict() for x in base.listings]
    assert sum(p.skipped for p in copied.problems) == len(repeats)
    assert copied.records == base.records + len(repeats)
    assert not any(p.fatal and not p.skipped for p in copied.problems)  # nothing refused


# -- the CLI -------------------------------------------------------------------------------


def _run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


SKIPPED_LINE = (
    "record(s) skipped: not listings by design (exact duplicates, empty rows, "
    "context entities; see `tradecontrol lists summary"
)


def _evaluate(path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    return _run(["evaluate", str(EXAMPLES), "--list", str(path)], capsys)


@needs_shared
@pytest.mark.parametrize(
    ("path", "skipped"),
    [(WATCHMAN_DPL, 3), (ITA_DPL, 1), (ZALA, 3)],
    ids=["watchman-dpl", "ita-dpl", "zala-ftm"],
)
@pytest.mark.parametrize("command", ["evaluate", "explain"])
def test_real_files_with_skipped_records_exit_0(
    command: str, path: Path, skipped: int, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = _run([command, str(EXAMPLES), "--list", str(path)], capsys)
    assert code == 0, err
    assert f"--list {path}: {skipped} {SKIPPED_LINE} {path}`)" in err
    assert "had refused records" not in err
    assert out


@needs_shared
def test_screen_with_a_skipped_record_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _run(["screen", "Example Person", "--list", str(ITA_DPL)], capsys)
    assert code == 0, err
    assert f"--list {ITA_DPL}: 1 {SKIPPED_LINE}" in err


@needs_shared
def test_a_real_file_with_a_refused_record_still_exits_1(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, _, err = _evaluate(CSL_2023, capsys)
    assert code == 1
    assert f"--list {CSL_2023}: 1 record(s) refused, 1 partly loaded" in err
    assert "skipped" not in err
    assert "1 --list file(s) had refused records or no listing" in err


@pytest.mark.parametrize("path", [DPL, FTM, CSL_JSON], ids=lambda p: p.name)
def test_skipped_and_refused_records_in_one_file_exit_1(
    path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    snap = lists.load(path)
    refused = sum(p.fatal and not p.skipped for p in snap.problems)
    skipped = sum(p.skipped for p in snap.problems)
    partial = sum(not p.fatal for p in snap.problems)
    code, _, err = _evaluate(path, capsys)
    assert code == 1
    assert f"--list {path}: {refused} record(s) refused, {partial} partly loaded" in err
    assert f"--list {path}: {skipped} {SKIPPED_LINE} {path}`)" in err


def test_a_file_of_listings_and_skipped_records_only_exits_0(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = DPL.read_bytes().split(b"\r\n")[:7]  # header, listing, 2 duplicates, 3 empty
    path = tmp_path / "dpl.txt"
    path.write_bytes(b"\r\n".join(rows) + b"\r\n")
    code, _, err = _evaluate(path, capsys)
    assert code == 0, err
    assert err.splitlines() == [f"tradecontrol: --list {path}: 5 {SKIPPED_LINE} {path}`)"]


def test_a_file_of_skipped_records_only_has_no_listing_and_exits_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = DPL.read_bytes().split(b"\r\n")
    path = tmp_path / "dpl.txt"
    path.write_bytes(b"\r\n".join([rows[0], rows[4], rows[5], b""]))  # two empty rows
    code, _, err = _evaluate(path, capsys)
    assert code == 1
    assert f"--list {path}: 2 {SKIPPED_LINE}" in err
    assert f"--list {path}: no listing in this file (2 record(s), format bis-dpl-txt)" in err


def test_lists_summary_counts_and_prints_skipped_records_apart(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = _run(["lists", "summary", str(DPL)], capsys)
    assert code == 0
    assert "records 11: 3 listings, 2 refused, 6 skipped, 3 partial problems" in out
    lines = [line.strip() for line in out.splitlines()]
    assert f"skipped record 3: {DUPLICATE.format(2)}" in lines
    assert "skipped record 5: empty row" in lines
    assert "refused record 10: Name: no name" in lines
    assert "note record 11: not UTF-8; read as Windows-1252" in lines
    assert sum(line.startswith("skipped record ") for line in lines) == 6
    code, out, _ = _run(["lists", "summary", str(DPL), "--format", "json"], capsys)
    problems = json.loads(out)["problems"]
    assert [(p["record"], p["fatal"], p["skipped"]) for p in problems][:3] == [
        (3, True, True),
        (4, True, True),
        (5, True, True),
    ]
    assert sum(p["skipped"] for p in problems) == 6
    assert not any(p["skipped"] and not p["fatal"] for p in problems)


@needs_shared
def test_lists_summary_of_the_zala_file(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(["lists", "summary", str(ZALA)], capsys)
    assert code == 0
    assert "records 17: 14 listings, 0 refused, 3 skipped, 2 partial problems" in out
    assert (
        "  skipped record 3: Company is not a sanctions target (target: false); context only"
        in out.splitlines()
    )
    assert "refused record" not in out


@needs_shared
def test_lists_diff_of_files_with_only_skipped_records_is_complete(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = _run(["lists", "diff", str(ITA_DPL), str(ITA_DPL), "--format", "json"], capsys)
    assert code == 0, err
    data = json.loads(out)
    assert data["complete"] is True
    assert data["files"]["old"] == {
        "source": str(ITA_DPL),
        "records": 10,
        "listings": 9,
        "refused": 0,
        "partial": 0,
        "skipped": 1,
    }
    assert err == ""


def test_lists_diff_counts_skipped_records_in_an_incomplete_file(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = _run(["lists", "diff", str(DPL), str(DPL)], capsys)
    assert code == 1
    assert (
        f"OLD {DPL}: 2 record(s) refused, 3 partly loaded, 6 skipped (not listings by "
        "design), 3 listing(s) of 11 record(s)"
    ) in err
    assert out.splitlines()[0].startswith(f"INCOMPLETE: OLD {DPL}: 2 record(s) refused")


# -- real data: skipped records per file ---------------------------------------------------

REAL_SKIPPED = {
    "bis/watchman/dpl.txt": [130, 141, 381],  # exact duplicates of lines 129, 140, 380
    "bis/ita-webservices/dpl.txt": [2],  # a row of empty quoted cells
    "opensanctions/yente-zala/entities.ftm.json": [3, 4, 80],  # registry companies
}


def _real_list_files() -> list[Path]:
    if not DATA.is_dir():
        return []
    companions = {"add.csv", "alt.csv", "sdn_comments.csv"}
    return sorted(
        p
        for p in DATA.rglob("*")
        if p.is_file() and p.name not in companions and p.name != "SOURCES.md"
    )


@needs_shared
@pytest.mark.parametrize("path", _real_list_files(), ids=lambda p: str(p.relative_to(DATA)))
def test_skipped_records_of_every_real_file(path: Path) -> None:
    try:
        snap = lists.load(path)
    except DataError as exc:
        assert "not a list format tradecontrol reads" in exc.message
        return
    check_snapshot(snap)
    name = str(path.relative_to(DATA))
    assert [p.record for p in snap.problems if p.skipped] == REAL_SKIPPED.get(name, [])


@needs_shared
def test_real_files_keep_their_counts() -> None:
    """Marking skipped records changes no count: records, listings, problems."""
    expected = {
        WATCHMAN_DPL: (546, 543, 4),
        ITA_DPL: (10, 9, 1),
        ZALA: (17, 14, 5),
        CSL_2023: (4227, 4226, 2),
    }
    for path, counts in expected.items():
        snap = lists.load(path)
        assert (snap.records, len(snap.listings), len(snap.problems)) == counts, path
    refused = [p for p in lists.load(CSL_2023).problems if p.fatal]
    assert [(p.record, p.skipped) for p in refused] == [(4233, False)]  # truncated row
