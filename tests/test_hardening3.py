"""Regression tests for the bad-input findings of a QA run on the CLI and the loaders.

Each test names the finding it pins down: exit statuses (1 for a bad line or file, 2 for
usage errors), messages that say what and where, and limits on what is read.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import stat
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import ROOT, transaction
from tradecontrol import DataError, InvalidInputError, Rulebook, lists
from tradecontrol._json import parse_json
from tradecontrol._rulebook_io import MAX_RULEBOOK_BYTES
from tradecontrol.cli import _jobs, main

LIST_FIXTURE = ROOT / "tests" / "fixtures" / "lists" / "csl" / "sample.csv"

# OFAC legacy CSV: two SDN rows, an alt.csv with one good and two bad rows
SDN = (
    '36,"AEROCARIBBEAN AIRLINES",-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n'
    '4238,"MAR AZUL","vessel","CUBA",-0- ,"CL2192","Tug",-0- ,"212","Cuba",'
    '"Samir de Navegacion S.A.","Vessel Registration Identification IMO 7406784."\r\n\x1a'
)
ALT_WITH_BAD_ROWS = (
    '36,12,"aka","AERO-CARIBBEAN",-0- \r\n'
    '999,13,"aka","NOBODY",-0- \r\n'  # no such ent_num in sdn.csv
    '36,14,"aka"\r\n\x1a'  # 3 fields of 5
)


def _run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


def _transactions(tmp_path: Path, *lines: str) -> Path:
    path = tmp_path / "t.jsonl"
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def _one_transaction(tmp_path: Path) -> Path:
    return _transactions(tmp_path, json.dumps(transaction("2019-06-01", id="T1")))


def _ofac_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "ofac"
    folder.mkdir()
    (folder / "sdn.csv").write_bytes(SDN.encode())
    (folder / "alt.csv").write_bytes(ALT_WITH_BAD_ROWS.encode())
    return folder


# -- 1. evaluate --list: refused records or no listing -> still decided, exit 1 ------------


def _empty_jsonl(tmp_path: Path) -> Path:
    path = tmp_path / "empty.jsonl"
    path.write_bytes(b"")
    return path


def _ofac_sdn(tmp_path: Path) -> Path:
    return _ofac_folder(tmp_path) / "sdn.csv"


def _csl_fixture(_: Path) -> Path:
    return LIST_FIXTURE


@pytest.mark.parametrize("command", ["evaluate", "explain"])
@pytest.mark.parametrize(
    ("make_list", "message"),
    [
        (_empty_jsonl, "no listing in this file (0 record(s), format tradecontrol-jsonl)"),
        (_csl_fixture, "2 record(s) refused, 1 partly loaded"),
        (_ofac_sdn, "2 record(s) refused, 0 partly loaded"),
    ],
)
def test_list_files_with_refused_records_or_no_listing_exit_1(
    command: str,
    make_list: object,
    message: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    listed = make_list(tmp_path)  # type: ignore[operator]
    code, out, err = _run([command, str(_one_transaction(tmp_path)), "--list", str(listed)], capsys)
    assert code == 1
    assert "T1" in out  # every line is still decided
    assert f"--list {listed}" in err and message in err
    assert "1 --list file(s) had refused records or no listing" in err


def test_a_clean_list_file_still_exits_0(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    listed = tmp_path / "clean.csv"
    lines = LIST_FIXTURE.read_text().splitlines()
    listed.write_text("\n".join([lines[0], lines[1]]) + "\n")
    args = ["evaluate", str(_one_transaction(tmp_path)), "--list", str(listed)]
    code, _, err = _run(args, capsys)
    assert code == 0, err
    assert err == ""


def test_screen_with_an_empty_list_file_exits_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = _run(["screen", "Huawei", "--list", str(_empty_jsonl(tmp_path))], capsys)
    assert code == 1
    assert "no listing in this file" in err


# -- 2. lists diff: a broken snapshot is said first and exits 1 ---------------------------


def test_diff_against_a_broken_new_file_says_so_and_exits_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = LIST_FIXTURE.read_text().splitlines()
    old = tmp_path / "old.csv"
    old.write_text("\n".join([lines[0], lines[1], lines[3]]) + "\n")
    broken = tmp_path / "new.csv"
    broken.write_text(lines[0] + "\n" + lines[1][:40] + "\n")  # header, then a truncated row
    code, out, err = _run(["lists", "diff", str(old), str(broken)], capsys)
    assert code == 1
    assert out.splitlines()[0].startswith(f"INCOMPLETE: NEW {broken}: 1 record(s) refused")
    assert f"NEW {broken}: 1 record(s) refused, 0 partly loaded, 0 listing(s)" in err
    assert f"OLD {old}" not in err
    code, out, _ = _run(["lists", "diff", str(old), str(broken), "--format", "json"], capsys)
    data = json.loads(out)
    assert code == 1 and data["complete"] is False
    assert data["files"]["new"]["refused"] == 1 and data["files"]["old"]["refused"] == 0
    assert len(data["removed"]) == 2


def test_diff_of_clean_files_exits_0(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lines = LIST_FIXTURE.read_text().splitlines()
    old = tmp_path / "old.csv"
    old.write_text("\n".join([lines[0], lines[1], lines[3]]) + "\n")
    code, out, err = _run(["lists", "diff", str(old), str(old), "--format", "json"], capsys)
    assert (code, err) == (0, "")
    assert json.loads(out)["complete"] is True


# -- 6. problems of OFAC side files name their file ---------------------------------------


def test_summary_names_the_side_file_of_each_problem(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sdn = _ofac_sdn(tmp_path)
    alt = str(sdn.with_name("alt.csv"))
    code, out, _ = _run(["lists", "summary", str(sdn)], capsys)
    assert code == 0
    refused = [line for line in out.splitlines() if line.strip().startswith("refused")]
    assert len(refused) == 2 and all(f"refused {alt} record " in line for line in refused)
    code, out, _ = _run(["lists", "summary", str(sdn), "--format", "json"], capsys)
    assert [p["source"] for p in json.loads(out)["problems"]] == [alt, alt]


def test_evaluate_credits_side_file_problems_to_their_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sdn = _ofac_sdn(tmp_path)
    alt = sdn.with_name("alt.csv")
    code, _, err = _run(["evaluate", str(_one_transaction(tmp_path)), "--list", str(sdn)], capsys)
    assert code == 1
    assert f"--list {sdn} ({alt}): 2 record(s) refused" in err
    assert f"--list {sdn}: " not in err  # sdn.csv itself had no problem


# -- 7. messages say where, and quote the input as given ----------------------------------


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            json.dumps(transaction("2019-06-01"))[:-1]
            + ', "parties": [{"role": "exporter", "entity": {"name": "a", "name": "b"}}]}',
            "parties: key 'parties' appears twice in one object",
        ),
        (
            '{"id": "N", "parties": [{"entity": {"name": "a", "name": "b"}}]}',
            "parties[0].entity.name: key 'name' appears twice in one object",
        ),
        (
            '{"id": "H", "items": [{"quantity": 1' + "0" * 5000 + "}]}",
            "items[0].quantity: integer of 5001 digits is out of range",
        ),
        (
            '{"id": "F", "items": [{"value": 1e400}]}',
            "items[0].value: number 1e400 is out of range",
        ),
        (
            '{"id": "N", "items": [{"value": NaN}]}',
            "items[0].value: NaN is not a JSON number",
        ),
        (
            "\ufeff" + json.dumps(transaction("2019-06-01")),
            "starts with a UTF-8 byte order mark (BOM)",
        ),
    ],
)
def test_bad_lines_are_located(
    line: str, expected: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = json.dumps(transaction("2019-06-01", id="OK"))
    path = _transactions(tmp_path, good, line)
    code, out, err = _run(["evaluate", str(path), "--format", "json"], capsys)
    assert code == 1
    assert json.loads(out)["transaction_id"] == "OK"
    assert f"{path}:2: {expected}" in err
    assert "sys.set_int_max_str_digits" not in err and "utf-8-sig" not in err


def test_licence_errors_locate_every_field(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    licences = tmp_path / "lic.json"
    licences.write_text('[{"id": "D1"}]')
    code, _, err = _run(
        ["evaluate", str(_one_transaction(tmp_path)), "--licenses", str(licences)], capsys
    )
    assert code == 1
    assert "[0].kind: required field missing [also [0].issuer: required field missing;" in err
    assert "; issuer:" not in err


@pytest.mark.parametrize(
    ("edge", "expected"),
    [
        ("30%%", "share_percent: '30%%' is not a decimal number"),
        ("abc%", "share_percent: 'abc%' is not a decimal number"),
        ("150%", "share_percent: 150 is not a percentage between 0 and 100"),
    ],
)
def test_ownership_percent_is_quoted_as_given(
    edge: str, expected: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    edges = tmp_path / "own.jsonl"
    edges.write_text(
        json.dumps({"owned": {"name": "G"}, "owner": {"name": "H"}, "share_percent": edge}) + "\n"
    )
    code, _, err = _run(
        ["evaluate", str(_one_transaction(tmp_path)), "--ownership", str(edges)], capsys
    )
    assert code == 1
    assert f"{edges}:1: {expected}" in err


@pytest.mark.parametrize("option", ["--ownership", "--list"])
def test_a_directory_given_as_a_file_names_the_option(
    option: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["evaluate", str(_one_transaction(tmp_path)), option, str(tmp_path)]
    code, _, err = _run(args, capsys)
    assert code == 1
    assert f"tradecontrol: {option} " in err and str(tmp_path) in err


# -- 3. Rulebook.load: regular files only, capped size, typed path; save respects umask ----


@pytest.fixture(scope="module")
def saved_rulebook(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return Rulebook.default().save(tmp_path_factory.mktemp("rb") / "rb.json")


def test_a_gzip_bomb_is_refused_before_it_inflates(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.json.gz"
    bomb.write_bytes(gzip.compress(b" " * (4 << 20)))  # 4 KiB that inflate to 4 MiB
    with pytest.raises(DataError, match="larger than 1,048,576 bytes after decompression") as info:
        Rulebook.load(bomb, max_bytes=1 << 20)
    assert info.value.source == str(bomb)


def test_a_gzip_bomb_that_hides_its_size_is_stopped_while_inflating(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.json.gz"
    packed = gzip.compress(b" " * (4 << 20))
    bomb.write_bytes(packed[:-4] + (10).to_bytes(4, "little"))  # the trailer says 10 bytes
    with pytest.raises(DataError, match=r"after decompression \(a larger limit"):
        Rulebook.load(bomb, max_bytes=1 << 20)


def test_a_plain_file_over_the_limit_is_refused(saved_rulebook: Path) -> None:
    size = saved_rulebook.stat().st_size
    with pytest.raises(DataError, match=f"larger than {size - 1:,} bytes"):
        Rulebook.load(saved_rulebook, max_bytes=size - 1)
    assert Rulebook.load(saved_rulebook, max_bytes=size) == Rulebook.default()


def test_the_default_limit_is_generous_for_real_rulebooks() -> None:
    # CSL + UN + SDN make a rulebook of about 16 MiB; the limit must leave room for growth
    assert MAX_RULEBOOK_BYTES >= 16 * (16 << 20)


def _fifo(tmp_path: Path) -> str:
    if not hasattr(os, "mkfifo"):
        pytest.skip("no named pipes here")
    path = tmp_path / "pipe"
    os.mkfifo(path)
    return str(path)


@pytest.mark.parametrize(
    "make",
    [lambda _: "/dev/zero", str, _fifo],
    ids=["device", "directory", "fifo"],
)
def test_only_regular_files_are_read(make: Any, tmp_path: Path) -> None:
    path = make(tmp_path)
    if not os.path.exists(path):
        pytest.skip(f"{path} does not exist here")
    with pytest.raises(DataError, match="not a regular file"):
        Rulebook.load(path)


@pytest.mark.parametrize(
    "content",
    [
        gzip.compress(b'{"format": "tradecontrol.rulebook"}')[:-12],  # truncated stream
        gzip.compress(b"{}")[:10] + b"\xff" * 20,  # corrupt deflate data
    ],
    ids=["truncated", "corrupt"],
)
def test_broken_gzip_is_a_data_error(content: bytes, tmp_path: Path) -> None:
    path = tmp_path / "rb.json.gz"
    path.write_bytes(content)
    with pytest.raises(DataError, match="cannot read rulebook"):
        Rulebook.load(path)


def _untyped(value: object) -> Any:
    """``value`` typed as Any: what a caller without a type checker may pass."""
    return value


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: Rulebook.load(_untyped(None)), "Rulebook.load: path must be a file name"),
        (lambda: Rulebook.load(_untyped(123)), "got int"),
        (lambda: Rulebook.load(_untyped(b"rb.json")), "got bytes"),
        (lambda: Rulebook.load("rb.json", max_bytes=0), "max_bytes must be a positive"),
        (lambda: Rulebook.load("rb.json", max_bytes=_untyped("1")), "max_bytes must be a positive"),
        (lambda: Rulebook.default().save(_untyped(None)), "Rulebook.save: path must be"),
        (lambda: lists.load(_untyped(None)), "lists.load: path must be a file name"),
    ],
)
def test_a_path_that_is_no_file_name_is_invalid_input(call: Any, message: str) -> None:
    with pytest.raises(InvalidInputError, match=message):
        call()


@pytest.mark.parametrize(("umask", "mode"), [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_save_respects_the_umask(umask: int, mode: int, tmp_path: Path) -> None:
    old = os.umask(umask)
    try:
        path = Rulebook.default().save(tmp_path / "rb.json.gz")
    finally:
        os.umask(old)
    assert stat.S_IMODE(path.stat().st_mode) == mode
    assert [p.name for p in tmp_path.iterdir()] == ["rb.json.gz"]  # no temporary left
    assert Rulebook.load(path) == Rulebook.default()


def test_cli_refuses_a_device_as_rulebook(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    if not os.path.exists("/dev/zero"):
        pytest.skip("no /dev/zero here")
    code, out, err = _run(
        ["evaluate", str(_one_transaction(tmp_path)), "--rulebook", "/dev/zero"], capsys
    )
    assert code == 1 and "T1" not in out
    assert "--rulebook /dev/zero: cannot read rulebook: not a regular file" in err


# -- 4. Rulebook.load refuses repeated keys, with the JSON path ---------------------------


@pytest.mark.parametrize(
    ("edit", "path"),
    [
        (lambda text: text.replace('{"format":', '{"format":"x","format":', 1), "format"),
        (
            lambda text: text.replace('"listings":[{', '"listings":[{"id":"dup",', 1),
            "listings[0].id",
        ),
    ],
)
def test_rulebook_with_a_repeated_key_is_refused(
    edit: Any, path: str, saved_rulebook: Path, tmp_path: Path
) -> None:
    text = saved_rulebook.read_text(encoding="utf-8")
    changed = edit(text)
    assert changed != text
    target = tmp_path / "dup.json"
    target.write_text(changed, encoding="utf-8")
    with pytest.raises(DataError, match="appears twice in one object") as info:
        Rulebook.load(target)
    assert info.value.path == path and info.value.source == str(target)


# -- 5. --jobs is capped: a larger value is a usage error naming the limit -----------------


@pytest.mark.parametrize(
    ("cores", "jobs", "limit"),
    [(2, "9", 8), (1, "5", 4), (64, "257", 256), (None, "5", 4), (2, "100000", 8)],
)
def test_too_many_jobs_is_a_usage_error(
    cores: int | None,
    jobs: str,
    limit: int,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setattr(os, "cpu_count", lambda: cores)
    with pytest.raises(SystemExit) as info:
        main(["evaluate", "-", "--jobs", jobs])
    assert info.value.code == 2
    assert f"{jobs} processes is more than the limit of {limit}" in capsys.readouterr().err


@pytest.mark.parametrize(("cores", "jobs"), [(2, "8"), (1, "4"), (64, "256"), (2, "0")])
def test_jobs_up_to_the_limit_are_accepted(
    cores: int, jobs: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(os, "cpu_count", lambda: cores)
    assert _jobs(jobs) == (int(jobs) or cores)


# -- 8. screen: bad option values are usage errors (exit 2) with the message ---------------


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--match", "0"], "argument --match/--review: review threshold 0.7 is above"),
        (["--review", "0.99"], "argument --match/--review: review threshold 0.99 is above"),
        (["--match", "0.5", "--review", "0.6"], "review threshold 0.6 is above the match"),
        (["--birth-date", "abc"], "argument --birth-date: 'abc' is not a date like 1962"),
        (["--birth-date", "1961-13"], "argument --birth-date: '1961-13' is not a real date"),
        (["--birth-date", "3000"], "'3000' is after the screening moment 2022-05-05"),
        (
            ["--birth-date", "2024-07", "--as-of", "2024-06-30"],
            "'2024-07' is after the screening moment 2024-06-30",
        ),
    ],
)
def test_screen_option_value_errors_exit_2(
    options: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    try:
        code = main(["screen", "Huawei", *options])
    except SystemExit as exc:  # refused by argparse itself
        code = int(str(exc.code))
    assert code == 2
    assert message in capsys.readouterr().err


@pytest.mark.parametrize(
    "options",
    [
        ["--birth-date", "2024-06", "--as-of", "2024-06-30"],  # born that month: possible
        ["--birth-date", "1960 to 3000"],  # a range that begins in the past
        ["--match", "0.9", "--review", "0.9"],
    ],
)
def test_screen_accepts_values_at_the_limits(
    options: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["screen", "Huawei", *options]) == 0, capsys.readouterr().err


# -- 9. a licence authorizing an unknown rule id is warned about, exit 1 -------------------


def _licence(authorizes: list[str], lid: str = "D1") -> dict[str, Any]:
    return {
        "id": lid,
        "kind": "specific",
        "issuer": "US-BIS",
        "title": "t",
        "authorizes": authorizes,
        "versions": [{"window": {}}],
    }


@pytest.mark.parametrize(
    ("licences", "warnings"),
    [
        (
            [_licence(["no.such.rule"])],
            ["[0].authorizes[0]: licence 'D1' authorizes 'no.such.rule'"],
        ),
        (
            [_licence(["ear.entity_list"]), _licence(["ear.entity_list", "ear.entity_lst"], "D2")],
            [
                "[1].authorizes[1]: licence 'D2' authorizes 'ear.entity_lst', which is no rule "
                "of the rulebook, so it can never apply; nearest known rule ids: ear.entity_list"
            ],
        ),
        ([_licence(["ear.entity_list", "ear.de_minimis", "screening.review"])], []),
    ],
)
def test_unknown_rule_ids_in_licences_are_warned_about(
    licences: list[dict[str, Any]],
    warnings: list[str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = tmp_path / "lic.json"
    path.write_text(json.dumps(licences))
    code, out, err = _run(
        ["evaluate", str(_one_transaction(tmp_path)), "--licenses", str(path)], capsys
    )
    assert "T1" in out  # still decided
    lines = err.splitlines()
    assert len(lines) == len(warnings)
    for line, warning in zip(lines, warnings, strict=True):
        assert line.startswith(f"tradecontrol: warning: --licenses {path}: {warning}")
    assert code == (1 if warnings else 0)


@settings(max_examples=300, deadline=None)
@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=5),
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner),
        max_leaves=10,
    ).map(json.dumps),
    st.integers(min_value=0, max_value=40),
    st.text(alphabet='{}[]",:0123456789eE-+.NaInfity \\u', max_size=6),
)
def test_parse_json_raises_only_invalid_input(document: str, at: int, noise: str) -> None:
    text = document[:at] + noise + document[at:]
    try:
        parsed = parse_json(text)
    except InvalidInputError:
        return
    assert parsed == json.loads(text)


@pytest.mark.parametrize(
    ("line", "field", "reason"),
    [
        ('{"owned": {"name": "G", "name": "X"}, "owner": {"name": "H"}}', "owned.name", "twice"),
        ('{"owned": {"name": "G"}, "share_percent": 3' + "0" * 5000 + "}", "share_percent", "5001"),
        ('{"owned": {"name": "G"}, "share_percent": 1e400}', "share_percent", "1e400 is out"),
        ('{"owned": {"name": "G"}, "share_percent": NaN}', "share_percent", "NaN is not"),
        ("\ufeff{}", "", "byte order mark"),
    ],
)
def test_json_lines_problems_are_located(line: str, field: str, reason: str) -> None:
    from tradecontrol.lists._text import json_lines

    lines = io.BytesIO(b"{}\n" + line.encode())
    (_, first), (number, problem) = json_lines(lines)
    assert first == {} and number == 2
    assert isinstance(problem, InvalidInputError)
    assert (problem.path, reason in problem.message) == (field, True), problem


@pytest.mark.parametrize(
    ("licences", "message"),
    [
        (
            [_licence(["ear.entity_list"], "TGL-744-SUPP7-C1")],
            "[0].id: licence id 'TGL-744-SUPP7-C1' is already in the rulebook",
        ),
        (
            [_licence(["ear.entity_list"]), _licence(["ear.entity_list"])],
            "[1].id: licence id 'D1' given twice (also at [0])",
        ),
    ],
)
def test_repeated_licence_ids_are_located(
    licences: list[dict[str, Any]],
    message: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = tmp_path / "lic.json"
    path.write_text(json.dumps(licences))
    code, _, err = _run(
        ["evaluate", str(_one_transaction(tmp_path)), "--licenses", str(path)], capsys
    )
    assert code == 1
    assert f"tradecontrol: --licenses {path}: {message}" in err
