"""The command line: tables, JSON lines, bad lines, exit statuses."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, party, transaction
from tradecontrol.cli import MAX_LINE_BYTES, main

EXAMPLES = ROOT / "examples" / "huawei-2019.jsonl"


def _run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


def test_main_job_on_the_bundled_example(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(["evaluate", str(EXAMPLES)], capsys)
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].split()[:3] == ["ID", "OUTCOME", "RULE"]
    rows = {line.split()[0]: line for line in lines[1:-1] if not line.startswith(" ")}
    assert lines[-1].startswith("Rules checked: ear.entity_list")
    assert len(rows) == len(EXAMPLES.read_text().splitlines()) >= 12
    assert " not_restricted " in rows["HW-01-before-listing"]
    assert " license_required " in rows["HW-03-listing-day-evening"]
    assert "TGL-744-SUPP7-C1" in rows["HW-05-wyoming-carrier-patch"]
    assert "84 FR 23468" in rows["HW-05-wyoming-carrier-patch"]
    assert " license_required " in rows["HW-07-components-for-new-5g…"]
    assert " license_required " in rows["HW-15-after-tgl-expired"]


def test_json_lines_follow_the_decision_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(["evaluate", str(EXAMPLES), "--format", "json"], capsys)
    assert code == 0
    decisions = [json.loads(line) for line in out.splitlines()]
    first = decisions[4]
    assert first["transaction_id"] == "HW-05-wyoming-carrier-patch"
    assert first["outcome"] == "authorized"
    assert first["as_of"] == "2019-06-03"
    assert set(first["rulebook"]) == {"id", "version", "snapshot"}
    assert first["digest"].startswith("sha256:")
    finding = first["findings"][0]
    for key in (
        "rule",
        "authority",
        "requirement",
        "review_policy",
        "outcome",
        "license_id",
        "party_role",
        "listing_id",
        "matched_name",
        "citations",
        "message",
    ):
        assert key in finding, key
    assert finding["requirement"] == "license_required"
    assert finding["review_policy"] == "presumption_of_denial"


def test_as_of_applies_to_every_line(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(
        ["evaluate", str(EXAMPLES), "--format", "json", "--as-of", "2019-05-01"], capsys
    )
    assert code == 0
    outcomes = {
        json.loads(line)["transaction_id"]: json.loads(line)["outcome"] for line in out.splitlines()
    }
    # before the Huawei listing nothing is restricted, except the shipment to Cuba, which
    # needs a licence under the embargo (15 CFR 746.2) whatever the date
    assert outcomes.pop("HW-12-cuba-affiliate-network") == "license_required"
    assert set(outcomes.values()) == {"not_restricted"}


def test_bad_lines_are_reported_and_the_rest_decided(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = json.dumps(transaction("2019-05-17", id="GOOD"))
    bad_country = json.dumps({**transaction("2019-05-17", id="BAD"), "destination": "XX"})
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join([good, bad_country, "", "{not json", good]) + "\n")
    code, out, err = _run(["evaluate", str(path), "--format", "json"], capsys)
    assert code == 1
    assert [json.loads(x)["transaction_id"] for x in out.splitlines()] == ["GOOD", "GOOD"]
    assert f"{path}:2: destination: 'XX' is not an ISO 3166 code" in err
    assert f"{path}:4: not valid JSON" in err
    assert "2 bad line(s)" in err


def test_overlong_and_non_utf8_lines_are_bad_lines(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "in.jsonl"
    good = json.dumps(transaction("2019-05-10", id="OK")).encode()
    path.write_bytes(b"x" * (MAX_LINE_BYTES + 10) + b"\n" + b"\xff\xfe\n" + good + b"\n")
    code, out, err = _run(["evaluate", str(path), "--format", "json"], capsys)
    assert code == 1
    assert f"{path}:1: line longer than" in err
    assert f"{path}:2: not UTF-8" in err
    assert json.loads(out)["transaction_id"] == "OK"


def test_missing_file_is_exit_1(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _run(["evaluate", "/nonexistent/file.jsonl"], capsys)
    assert code == 1
    assert "cannot read /nonexistent/file.jsonl" in err


@pytest.mark.parametrize(
    "args",
    [
        [],
        ["evaluate"],
        ["evaluate", "x", "--as-of", "2019-13-01"],
        ["evaluate", "x", "--format", "xml"],
        ["frobnicate"],
    ],
)
def test_usage_errors_exit_2(args: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(args)
    assert info.value.code == 2


def test_stdin_and_python_dash_m() -> None:
    data = EXAMPLES.read_bytes()
    proc = subprocess.run(
        [sys.executable, "-m", "tradecontrol", "evaluate", "-", "--format", "json"],
        input=data,
        capture_output=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert len(proc.stdout.splitlines()) == len(data.splitlines())


def test_stdin_stream_is_read_incrementally(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    payload = (json.dumps(transaction("2019-05-17", id="S")) + "\n").encode()
    fake = io.TextIOWrapper(io.BytesIO(payload))
    monkeypatch.setattr(sys, "stdin", fake)
    code, out, _ = _run(["evaluate", "-"], capsys)
    assert code == 0
    assert "license_required" in out


def test_table_shows_cautions_and_the_rules_checked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "in.jsonl"
    path.write_bytes(
        b"\xef\xbb\xbf" + json.dumps(transaction("2019-05-16", id="BOM")).encode() + b"\r\n"
    )
    code, out, err = _run(["evaluate", str(path)], capsys)
    assert code == 0, err
    assert "BOM" in out and "license_required" in out
    assert "    ! the listing took effect at 2019-05-16T16:15:00-04:00" in out
    assert out.splitlines()[-1].startswith("Rules checked: ear.entity_list")


LIST_FIXTURE = ROOT / "tests" / "fixtures" / "lists" / "csl" / "sample.csv"


def test_lists_summary(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(["lists", "summary", str(LIST_FIXTURE)], capsys)
    assert code == 0
    assert "format csl-csv" in out
    assert "records 5: 3 listings, 2 refused, 0 skipped, 1 partial problems" in out
    assert "refused record 5: source: unknown CSL source" in out
    code, out, _ = _run(["lists", "summary", str(LIST_FIXTURE), "--format", "json"], capsys)
    data = json.loads(out)
    assert data["listings"] == 3 and data["by_list"] == {"EL": 1, "SDN": 1, "UVL": 1}


def test_lists_diff(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lines = LIST_FIXTURE.read_text().splitlines()
    newer = tmp_path / "newer.csv"
    newer.write_text("\n".join([lines[0], lines[1], lines[3]]) + "\n")
    code, out, err = _run(
        ["lists", "diff", str(LIST_FIXTURE), str(newer), "--format", "json"], capsys
    )
    # the fixture has refused rows: the diff is given, and flagged as incomplete (exit 1)
    assert code == 1
    data = json.loads(out)
    assert {k: data[k] for k in ("added", "removed", "amended", "complete")} == {
        "added": [],
        "removed": ["csl-sdn-36"],
        "amended": [],
        "complete": False,
    }
    assert data["files"]["old"] == {
        "source": str(LIST_FIXTURE),
        "records": 5,
        "listings": 3,
        "refused": 2,
        "partial": 1,
        "skipped": 0,
    }
    assert f"OLD {LIST_FIXTURE}: 2 record(s) refused, 1 partly loaded" in err
    code, out, _ = _run(["lists", "diff", str(LIST_FIXTURE), str(newer)], capsys)
    assert code == 1
    assert out.splitlines()[0].startswith(f"INCOMPLETE: OLD {LIST_FIXTURE}: 2 record(s) refused")
    assert out.splitlines()[1] == "0 added, 1 removed, 0 amended"
    assert out.splitlines()[2].startswith("- csl-sdn-36  SDN  DOE, John")


def test_evaluate_with_an_extra_list(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "t.jsonl"
    data = transaction("2021-01-01", id="X", parties=[party("Example Photonics Co., Ltd.")])
    path.write_text(json.dumps(data) + "\n")
    code, out, err = _run(["evaluate", str(path), "--format", "json"], capsys)
    assert json.loads(out)["outcome"] == "not_restricted"
    code, out, err = _run(
        ["evaluate", str(path), "--format", "json", "--list", str(LIST_FIXTURE)], capsys
    )
    assert code == 1  # decided with the loaded listings; the refused rows make it exit 1
    decision = json.loads(out)
    assert decision["outcome"] == "license_required"
    assert decision["findings"][0]["listing_id"].startswith("csl-el-")
    assert "2 record(s) refused, 1 partly loaded" in err
    assert "+listings." in decision["rulebook"]["version"]


def test_unreadable_list_is_exit_1(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _run(["lists", "summary", "/nonexistent.csv"], capsys)
    assert code == 1
    assert "cannot read" in err


def _specific_licence_file(tmp_path: Path) -> Path:
    lic = {
        "id": "D123456",
        "kind": "specific",
        "issuer": "US-BIS",
        "title": "BIS licence D123456",
        "authorizes": ["ear.entity_list", "ear.country_chart"],
        "versions": [
            {
                "window": {"start": "2023-01-01", "end": "2026-12-31"},
                "value_limit": "100000",
                "currency": "USD",
                "conditions": [{"test": "eccn_in", "values": ["3D001"], "label": "ECCN 3D001"}],
            }
        ],
    }
    path = tmp_path / "licences.json"
    path.write_text(json.dumps([lic]), encoding="utf-8")
    return path


def _hk_deal() -> dict[str, object]:
    """WC-41-b: 3D001 software worth USD 5,000 for Huawei in Hong Kong, under D123456."""
    return transaction(
        "2024-06-01",
        destination="HK",
        parties=[party("Huawei International Co., Limited", country="HK")],
        items=[
            {
                "eccn": "3D001",
                "value": "5000",
                "currency": "USD",
                "origin": "US",
                "reasons_for_control": ["NS1"],
            }
        ],
        licenses=["D123456"],
    )


@pytest.mark.parametrize(
    ("used", "outcome"), [("95000", "authorized"), ("95000.01", "license_required")]
)
def test_usage_file_draws_down_a_licence(
    used: str, outcome: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """WC-41-b through the CLI: --licenses adds the licence, --usage gives prior shipments."""
    deal = _hk_deal()
    deals = tmp_path / "deals.jsonl"
    deals.write_text(json.dumps(deal) + "\n", encoding="utf-8")
    usage = tmp_path / "usage.json"
    usage.write_text(json.dumps({"D123456": {"value": used}}), encoding="utf-8")
    licences = str(_specific_licence_file(tmp_path))
    args = ["evaluate", str(deals), "--licenses", licences, "--usage", str(usage)]
    code, out, err = _run([*args, "--format", "json"], capsys)
    assert code == 0, err
    decision = json.loads(out)
    assert decision["outcome"] == outcome
    if outcome == "authorized":
        assert decision["drawdowns"] == [
            {
                "license_id": "D123456",
                "value": "5000",
                "currency": "USD",
                "value_used_before": "95000",
                "value_remaining": "0",
            }
        ]
        code, out, _ = _run(args, capsys)
        assert "= drawdown of D123456: USD 5000 (USD 0 left)" in out
    else:
        assert "drawdowns" not in decision


def test_bad_usage_file_is_a_bad_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    deals = tmp_path / "deals.jsonl"
    deals.write_text(json.dumps(transaction("2019-06-10")) + "\n", encoding="utf-8")
    usage = tmp_path / "usage.json"
    usage.write_text('{"D1": {"value": "-1"}}', encoding="utf-8")
    code, _, err = _run(["evaluate", str(deals), "--usage", str(usage)], capsys)
    assert code == 1
    assert "--usage" in err and "D1.value" in err and str(usage) in err
    usage.write_text('{"D1": {"value": 1}, "D1": {"value": 2}}', encoding="utf-8")
    code, _, err = _run(["evaluate", str(deals), "--usage", str(usage)], capsys)
    assert code == 1 and "D1" in err
    code, _, err = _run(["evaluate", str(deals), "--licenses", str(tmp_path / "none")], capsys)
    assert code == 1 and "cannot read" in err


def test_zte_and_telecom_example(capsys: pytest.CaptureFixture[str]) -> None:
    """examples/zte-telecom.jsonl: the ZTE history and the import/procurement bars."""
    example = ROOT / "examples" / "zte-telecom.jsonl"
    code, out, err = _run(["evaluate", str(example), "--format", "json"], capsys)
    assert code == 0, err
    got = {d["transaction_id"]: d for d in map(json.loads, out.splitlines())}
    expected = {
        "ZTE-01-before-listing": ("not_restricted", None),
        "ZTE-02-listed-no-tgl-yet": ("license_required", "ear.entity_list"),
        "ZTE-03-under-the-tgl": ("authorized", "ear.entity_list"),
        "ZTE-04-8-star-not-in-tgl": ("license_required", "ear.entity_list"),
        "ZTE-05-after-removal": ("not_restricted", "ear.denied_persons"),
        "ZTE-06-denial-order": ("prohibited", "ear.denied_persons"),
        "ZTE-07-july-2018-network-patch": ("authorized", "ear.denied_persons"),
        "ZTE-08-after-termination": ("not_restricted", "ear.denied_persons"),
        "FCC-01-usf-funded-base-stations": ("prohibited", "us.fcc_covered_list"),
        "FCC-02-new-model-no-authorization": ("prohibited", "us.fcc_equipment_authorization"),
        "889-01-contractor-uses-huawei-cameras": ("prohibited", "us.ndaa_889"),
    }
    assert set(got) == set(expected)
    for tid, (outcome, rule) in expected.items():
        decision = got[tid]
        assert decision["outcome"] == outcome, tid
        rules = [f["rule"] for f in decision.get("findings", []) if f["outcome"] == outcome]
        assert (rules[0] if rules else None) == rule, tid


def _undetectable_list(tmp_path: Path) -> Path:
    """An internal list whose first line is a note, so its format cannot be detected."""
    listing = {
        "id": "acme-1",
        "list_code": "INTERNAL",
        "authority": "ACME",
        "entity": {"name": "Example Trading Ltd."},
        "versions": [{"window": {"start": "2024-01-01"}}],
    }
    path = tmp_path / "table.csv"
    path.write_text(json.dumps({"note": "ACME internal list"}) + "\n" + json.dumps(listing) + "\n")
    return path


@pytest.mark.parametrize("command", ["evaluate", "explain"])
def test_list_format_forces_the_format_of_every_list(
    command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    listed = _undetectable_list(tmp_path)
    path = tmp_path / "t.jsonl"
    data = transaction("2024-06-01", id="X", parties=[party("Example Trading Ltd.")])
    path.write_text(json.dumps(data) + "\n")
    code, _, err = _run([command, str(path), "--list", str(listed)], capsys)
    assert code == 1
    assert "not a list format tradecontrol reads" in err and "--list-format" in err
    code, out, err = _run(
        [command, str(path), "--list", str(listed), "--list-format", "tradecontrol-jsonl"], capsys
    )
    assert code == 1, err  # decided, but the --list file had a refused record
    assert "1 record(s) refused, 0 partly loaded" in err
    assert "review_required" in out and "lists.unassessed" in out


def test_list_format_in_lists_commands(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    listed = _undetectable_list(tmp_path)
    forced = ["--list-format", "tradecontrol-jsonl"]
    code, _, err = _run(["lists", "diff", str(listed), str(listed)], capsys)
    assert code == 1 and "not a list format" in err
    code, out, _ = _run(["lists", "diff", str(listed), str(listed), *forced], capsys)
    assert code == 1 and out.endswith("0 added, 0 removed, 0 amended\n")
    code, out, _ = _run(["lists", "summary", str(listed), *forced], capsys)
    assert code == 0 and "1 listings, 1 refused" in out


def test_unknown_list_format_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["evaluate", "-", "--list-format", "excel"])
    assert exit_.value.code == 2
    assert "invalid choice: 'excel'" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exit_:
        main(["lists", "summary", "x.csv", "--list-format", "excel"])
    assert exit_.value.code == 2


def test_evaluate_applies_an_allow_list(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``evaluate --allow-list``: the suppressed match stays visible and no longer decides."""
    deal = {
        "id": "AL-1",
        "date": "2019-06-10",
        "origin": "US",
        "destination": "CN",
        "parties": [
            {
                "role": "ultimate_consignee",
                "entity": {"name": "Huawei Technologie Co., Ltd.", "country": "DE"},
            }
        ],
        "items": [{"description": "cables", "eccn": "EAR99"}],
    }
    deals = tmp_path / "deals.jsonl"
    deals.write_text(json.dumps(deal) + "\n", encoding="utf-8")
    assert main(["evaluate", str(deals), "--format", "json"]) == 0
    before = json.loads(capsys.readouterr().out)
    listed = {f["listing_id"] for f in before["findings"] if f["rule"] == "ear.entity_list"}
    assert before["outcome"] == "license_required" and listed
    allow = tmp_path / "allow.jsonl"
    allow.write_text(
        "".join(
            json.dumps(
                {
                    "id": f"FP-{i}",
                    "listing_id": lid,
                    "reason": "our customer, not the listed company",
                    "name": "Huawei Technologie Co., Ltd.",
                    "country": "DE",
                }
            )
            + "\n"
            for i, lid in enumerate(sorted(listed))
        ),
        encoding="utf-8",
    )
    assert main(["evaluate", str(deals), "--format", "json", "--allow-list", str(allow)]) == 0
    after = json.loads(capsys.readouterr().out)
    # the Entity List match is suppressed (and shown); a lesser candidate is still reviewed
    assert after["outcome"] == "review_required"
    assert not [f for f in after["findings"] if f["rule"] == "ear.entity_list"]
    assert any("suppressed by allow-list entry" in f["message"] for f in after["findings"])
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "x"}\n', encoding="utf-8")
    assert main(["evaluate", str(deals), "--allow-list", str(bad)]) == 1
    assert "--allow-list" in capsys.readouterr().err


def test_explain_takes_the_same_rulebook_options_as_evaluate(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """explain decides under --licenses/--usage/--rulebook exactly as evaluate does."""
    deal = _hk_deal()
    deals = tmp_path / "deals.jsonl"
    deals.write_text(json.dumps(deal) + "\n", encoding="utf-8")
    usage = tmp_path / "usage.json"
    usage.write_text(json.dumps({"D123456": {"value": "95000"}}), encoding="utf-8")
    licences = str(_specific_licence_file(tmp_path))
    code, out, err = _run(["explain", str(deals), "--licenses", licences], capsys)
    assert code == 0, err
    assert "authorized" in out and "D123456" in out
    code, out, err = _run(
        ["explain", str(deals), "--licenses", licences, "--usage", str(usage)], capsys
    )
    assert code == 0, err
    assert "drawdown of D123456: USD 5000 (USD 0 left)" in out
    usage.write_text(json.dumps({"D123456": {"value": "95000.01"}}), encoding="utf-8")
    code, out, err = _run(
        ["explain", str(deals), "--licenses", licences, "--usage", str(usage)], capsys
    )
    assert code == 0, err
    assert "drawdown" not in out and "license_required" in out
    code, _, err = _run(["explain", str(deals), "--usage", str(usage)], capsys)
    assert code == 1 and "--usage" in err and "D123456" in err  # no such licence
    usage.write_text(json.dumps({"D123465": {"value": "1"}}), encoding="utf-8")
    args = ["explain", str(deals), "--licenses", licences, "--usage", str(usage)]
    code, _, err = _run(args, capsys)
    assert code == 1
    assert "no licence 'D123465' in the rulebook" in err
    assert "nearest licence ids: D123456" in err  # a typo is pointed at its licence

    from tradecontrol import Listing, Rulebook

    internal = Listing.from_dict(
        {
            "id": "internal-9",
            "list_code": "INTERNAL",
            "authority": "ACME",
            "entity": {"name": "Acme Widgets Ltd."},
            "versions": [{"window": {"start": "2019-01-01"}}],
        }
    )
    saved = Rulebook.default().with_listings([internal]).save(tmp_path / "rb.json.gz")
    acme = tmp_path / "acme.jsonl"
    acme.write_text(
        json.dumps(transaction("2024-06-01", parties=[party("Acme Widgets Ltd.")])) + "\n",
        encoding="utf-8",
    )
    code, out, err = _run(["explain", str(acme)], capsys)
    assert code == 0, err
    assert "internal-9" not in out
    code, out, err = _run(["explain", str(acme), "--rulebook", str(saved)], capsys)
    assert code == 0, err
    assert "internal-9" in out and "review_required" in out
    code, _, err = _run(["explain", str(acme), "--rulebook", str(tmp_path / "absent")], capsys)
    assert code == 1 and "--rulebook" in err


def test_screen_takes_a_saved_rulebook(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from tradecontrol import Listing, Rulebook

    internal = Listing.from_dict(
        {
            "id": "internal-7",
            "list_code": "INTERNAL",
            "authority": "ACME",
            "entity": {"name": "Zyzzogeton Quillwort Plumbing"},
            "versions": [{"window": {"start": "2019-01-01"}}],
        }
    )
    saved = Rulebook.default().with_listings([internal]).save(tmp_path / "rb.json.gz")
    args = ["screen", "Zyzzogeton Quillwort Plumbing", "--as-of", "2020-01-01"]
    code, out, _ = _run(args, capsys)
    assert code == 0 and "internal-7" not in out
    code, out, err = _run([*args, "--rulebook", str(saved)], capsys)
    assert code == 0, err
    assert "internal-7" in out


def test_a_truncated_line_names_its_column_not_a_next_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "cut.jsonl"
    path.write_text(json.dumps(transaction("2019-05-17"))[:40] + "\n", encoding="utf-8")
    code, _, err = _run(["evaluate", str(path)], capsys)
    assert code == 1
    assert f"{path}:1: not valid JSON" in err
    assert "line 2" not in err and "(column 41)" in err


@pytest.mark.parametrize(
    ("redirect", "message"),
    [
        ("> /dev/full", "tradecontrol: stopped: No space left on device"),
        (">&-", "tradecontrol: standard output is closed"),
        ("<&- -", "tradecontrol: standard input is closed"),
    ],
    ids=["full-disk", "closed-stdout", "closed-stdin"],
)
def test_unusable_standard_streams_are_reported(redirect: str, message: str) -> None:
    """A full disk or a closed stream: one line on standard error and exit 1, no traceback."""
    if redirect.startswith("> /dev/full") and not Path("/dev/full").exists():
        pytest.skip("no /dev/full here")
    source = "" if redirect.startswith("<") else str(EXAMPLES)
    command = f"'{sys.executable}' -m tradecontrol evaluate {source} {redirect}"
    done = subprocess.run(["sh", "-c", command], check=False, stderr=subprocess.PIPE)
    err = done.stderr.decode()
    assert done.returncode == 1, err
    assert len(err.splitlines()) == 1
    assert err.startswith(message) and "Traceback" not in err


def test_a_listing_id_in_two_list_files_names_both(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    listing = {
        "id": "acme-blocked-7",
        "list_code": "INTERNAL",
        "authority": "ACME",
        "entity": {"name": "Acme Blocked Ltd"},
        "versions": [{"window": {"start": "2019-01-01"}}],
    }
    first, second = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    for path in (first, second):
        path.write_text(json.dumps(listing) + "\n", encoding="utf-8")
    code, _, err = _run(
        ["evaluate", str(EXAMPLES), "--list", str(first), "--list", str(second)], capsys
    )
    assert code == 1
    assert (
        f"--list {second}: listing id 'acme-blocked-7' given twice (also in --list {first})" in err
    )
    bundled = tc_default_listing_id()
    first.write_text(json.dumps({**listing, "id": bundled}) + "\n", encoding="utf-8")
    code, _, err = _run(["evaluate", str(EXAMPLES), "--list", str(first)], capsys)
    assert code == 1
    assert f"--list {first}: listing id {bundled!r} is already in the rulebook" in err


def tc_default_listing_id() -> str:
    from tradecontrol import Rulebook

    return Rulebook.default().listings[0].id
