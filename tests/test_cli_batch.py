"""The command line in batch: --jobs keeps order and results; the progress bar."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from tests.conftest import HUAWEI, party, transaction
from tradecontrol.cli import main


def _file(tmp_path: Path, count: int, bad_every: int = 0) -> Path:
    lines = []
    for i in range(count):
        if bad_every and i % bad_every == bad_every - 1:
            lines.append(json.dumps({**transaction("2019-05-17", id=f"T-{i}"), "origin": "XX"}))
            continue
        name = HUAWEI if i % 2 else "Acme Widgets Ltd."
        day = "2019-05-17" if i % 3 else "2019-05-10"
        lines.append(json.dumps(transaction(day, id=f"T-{i}", parties=[party(name)])))
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(lines) + "\n")
    return path


@pytest.mark.parametrize("fmt", ["json", "table"])
def test_jobs_2_writes_what_one_job_writes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], fmt: str
) -> None:
    path = _file(tmp_path, 600, bad_every=97)
    one = main(["evaluate", str(path), "--format", fmt])
    out1, err1 = capsys.readouterr()
    two = main(["evaluate", str(path), "--format", fmt, "--jobs", "2"])
    out2, err2 = capsys.readouterr()
    assert one == two == 1
    assert out1 == out2
    assert err1 == err2
    assert err1.count("'XX' is not an ISO 3166 code") == 6
    assert f"{path}:97: origin" in err1
    if fmt == "json":
        ids = [json.loads(line)["transaction_id"] for line in out2.splitlines()]
        assert len(ids) == 594 and ids[:2] == ["T-0", "T-1"]


def test_jobs_must_be_a_number(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["evaluate", "-", "--jobs", "many"])
    assert info.value.code == 2
    assert "not a number of processes" in capsys.readouterr().err


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_on_a_terminal_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("tqdm")
    path = _file(tmp_path, 30)
    terminal = _Terminal()
    monkeypatch.setattr("sys.stderr", terminal)
    assert main(["evaluate", str(path), "--format", "json"]) == 0
    shown = terminal.getvalue()
    assert "evaluate" in shown and "30 transactions" in shown and "100%" in shown
    assert len(capsys.readouterr().out.splitlines()) == 30
    # not a terminal (captured): no bar
    monkeypatch.undo()
    assert main(["evaluate", str(path), "--format", "json"]) == 0
    assert capsys.readouterr().err == ""


def test_a_saved_rulebook_is_used(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from tradecontrol import Listing, Rulebook

    internal = Listing.from_dict(
        {
            "id": "internal-1",
            "list_code": "INTERNAL",
            "authority": "ACME",
            "entity": {"name": "Acme Widgets Ltd."},
            "versions": [{"window": {"start": "2019-01-01"}}],
        }
    )
    rb = Rulebook.default().with_listings([internal])
    saved = rb.save(tmp_path / "rb.json.gz")
    path = _file(tmp_path, 4)
    assert main(["evaluate", str(path), "--format", "json", "--rulebook", str(saved)]) == 0
    out = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert {d["rulebook"]["version"] for d in out} == {rb.version}
    assert out[0]["outcome"] == "review_required"  # the internal list, unassessed
    assert main(["evaluate", str(path), "--rulebook", str(tmp_path / "absent.json")]) == 1
    assert "cannot read rulebook" in capsys.readouterr().err
