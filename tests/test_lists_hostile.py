"""Hostile and broken list files: only library errors escape, and nothing is lost silently."""

from __future__ import annotations

import gzip
import io
import os
import zipfile
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tradecontrol import DataError, lists

CSL = ROOT / "tests" / "fixtures" / "lists" / "csl" / "sample.csv"


def _accounted(snap: lists.ListSnapshot) -> None:
    assert snap.records == len(snap.listings) + sum(p.fatal for p in snap.problems)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("bogus.xml", b'<?xml version="1.0" encoding="x-bogus"?><sdnList/>', "cannot read"),
        (
            "dtd.xml",
            b'<?xml version="1.0"?><!DOCTYPE sdnList SYSTEM "http://x/y.dtd">'
            b"<sdnList><publshInformation/></sdnList>",
            "refused",
        ),
        (
            "bomb.xml",
            b'<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa">'
            b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><sdnList>&b;</sdnList>',
            "refused",
        ),
    ],
)
def test_hostile_xml_is_refused_with_a_library_error(
    tmp_path: Path, name: str, content: bytes, message: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(DataError, match=message):
        lists.load(path, format="ofac-xml")


def test_corrupt_gzip_is_a_library_error(tmp_path: Path) -> None:
    good = gzip.compress(CSL.read_bytes())
    path = tmp_path / "c.csv.gz"
    path.write_bytes(good[:40] + b"\x07\x00\x00\x00" + good[44:])
    with pytest.raises(DataError):
        lists.load(path, format="csl-csv")


def test_gzip_bomb_is_refused(tmp_path: Path) -> None:
    header = CSL.read_text().splitlines()[0]
    path = tmp_path / "bomb.csv.gz"
    path.write_bytes(gzip.compress(header.encode() + b"\n" + b"\n" * (32 << 20)))
    with pytest.raises(DataError, match="refused: the gzip stream inflates"):
        lists.load(path)


def test_overlong_lines_and_fields_are_problems_not_memory(tmp_path: Path) -> None:
    lines = CSL.read_text().splitlines()
    path = tmp_path / "long.csv"
    path.write_text(
        "\n".join(
            [
                lines[0],
                lines[1],
                lines[2].replace("Example remark", "x" * 200_000),
                "y" * (3 << 20),
                lines[3],
            ]
        )
        + "\n"
    )
    snap = lists.load(path)
    _accounted(snap)
    assert len(snap.listings) == 3
    reasons = {(p.field, p.fatal, p.reason[:30]) for p in snap.problems}
    assert ("remarks", False, "a value over 4096 characters w") in reasons
    assert ("", True, "line longer than 1048576 bytes") in reasons


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_pipes_and_directories_are_refused(tmp_path: Path) -> None:
    fifo = tmp_path / "f"
    os.mkfifo(fifo)
    for path in (fifo, tmp_path):
        with pytest.raises(DataError, match="not a regular file"):
            lists.load(path, format="tradecontrol-jsonl")


def test_zip_with_an_unsupported_version_is_a_library_error(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("SDN_ENHANCED.XML", "<sanctionsData/>")
    raw = bytearray(buffer.getvalue())
    central = raw.find(b"PK\x01\x02")
    raw[central + 6] = 209
    path = tmp_path / "x.zip"
    path.write_bytes(bytes(raw))
    with pytest.raises(DataError):
        lists.load(path, format="ofac-enhanced-xml")


def test_repeated_json_keys_are_problems(tmp_path: Path) -> None:
    path = tmp_path / "e.ftm.json"
    path.write_text(
        '{"id": "x1", "schema": "Person", "properties": {"name": ["A"]}, '
        '"target": true, "target": false}\n'
    )
    snap = lists.load(path, format="opensanctions-ftm")
    _accounted(snap)
    assert not snap.listings
    assert "appears twice" in snap.problems[0].reason


def test_a_file_of_junk_stops_with_a_library_error(tmp_path: Path) -> None:
    path = tmp_path / "junk.jsonl"
    path.write_text("1\n" * (lists.MAX_PROBLEMS + 5))
    with pytest.raises(DataError, match="problems: the file is probably not"):
        lists.load(path, format="tradecontrol-jsonl")
