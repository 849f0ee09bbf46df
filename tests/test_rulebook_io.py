"""Rulebook.save / Rulebook.load: data, versioned, gzip, never pickle, clear errors."""

from __future__ import annotations

import gzip
import json
import os
import pickle
from pathlib import Path

import pytest

from tests.conftest import SHARED
from tradecontrol import DataError, Rulebook, lists


@pytest.mark.parametrize("name", ["rb.json", "rb.json.gz"])
def test_round_trip_keeps_everything(tmp_path: Path, name: str) -> None:
    rb = Rulebook.default()
    path = rb.save(tmp_path / name)
    head = path.read_bytes()[:2]
    assert (head == b"\x1f\x8b") == name.endswith(".gz")
    loaded = Rulebook.load(path)
    assert loaded == rb
    assert (loaded.id, loaded.version) == (rb.id, rb.version)
    name_hits = loaded.match_entity_name("HUAWEI TECHNOLOGIES CO., LIMITED")
    assert [m.listing.id for m in name_hits] == [
        m.listing.id for m in rb.match_entity_name("HUAWEI TECHNOLOGIES CO., LIMITED")
    ]


def test_file_is_the_documented_json(tmp_path: Path) -> None:
    path = Rulebook.default().save(tmp_path / "rb.json")
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["format"] == "tradecontrol.rulebook"
    assert data["format_version"] == 1
    assert data == Rulebook.default().to_dict()


def test_compress_can_be_forced(tmp_path: Path) -> None:
    path = Rulebook.default().save(tmp_path / "rb.data", compress=True)
    assert json.loads(gzip.decompress(path.read_bytes()))["format_version"] == 1


def test_a_pickle_is_refused_not_unpickled(tmp_path: Path) -> None:
    path = tmp_path / "rb.pickle"
    path.write_bytes(pickle.dumps(Rulebook.default()))
    with pytest.raises(DataError, match="not a rulebook JSON file") as info:
        Rulebook.load(path)
    assert info.value.source == str(path)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b'{"format": "something.else"}', "not a rulebook: 'format' must be"),
        (b'{"format": "tradecontrol.rulebook", "format_version": 2}', "format_version 2"),
        (b"[1, 2", "not a rulebook JSON file"),
        (gzip.compress(b"\xff\xfe"), "not a rulebook JSON file"),
        (b"\x1f\x8bnot really gzip", "cannot read rulebook"),
    ],
)
def test_bad_files_are_data_errors(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "rb.json"
    path.write_bytes(content)
    with pytest.raises(DataError, match=message):
        Rulebook.load(path)


def test_a_bad_value_names_its_path(tmp_path: Path) -> None:
    data = Rulebook.default().to_dict()
    data["listings"][0]["entity"]["country"] = "XX"
    path = tmp_path / "rb.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(DataError) as info:
        Rulebook.load(path)
    assert info.value.path == "listings[0].entity.country"
    assert str(path) in str(info.value)


def test_missing_file_is_a_data_error(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="cannot read rulebook"):
        Rulebook.load(tmp_path / "absent.json")


def test_a_rulebook_with_a_real_list_round_trips(tmp_path: Path) -> None:
    path = SHARED / "data" / "csl" / "watchman-2019-sample" / "csl.csv"
    if not path.exists():
        if os.environ.get("CI") == "true":
            raise RuntimeError(f"CI=true but the shared reference data is missing at {path}")
        pytest.skip("../shared/data is not present")
    rb = Rulebook.default().with_listings(lists.load(path).listings)
    loaded = Rulebook.load(rb.save(tmp_path / "csl.json.gz"))
    assert loaded == rb
    assert len(loaded.listings) == len(rb.listings) > 119
