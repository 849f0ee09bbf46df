"""Bundled data: regenerated from ../shared and compared; provenance; counts."""

from __future__ import annotations

import csv
import datetime
import json
import os
from importlib.metadata import version

import pytest
from tools.gen_rulebook import CURATED

from tests.conftest import ROOT, SHARED
from tradecontrol import Rulebook
from tradecontrol.data import read_json

if os.environ.get("CI") == "true" and not (SHARED / "data").is_dir():
    raise RuntimeError(f"CI=true but the shared reference data is missing at {SHARED}")

CURATED_IDS = {
    x["id"]
    for path in CURATED
    for x in json.loads(path.read_text(encoding="utf-8")).get("listings", [])
}
"""Listings from curated facts files rather than from the CSL rows."""

needs_shared = pytest.mark.skipif(
    not (SHARED / "data").is_dir(), reason="../shared (reference data) is not beside the repo"
)


@needs_shared
def test_rulebook_regenerates_identically() -> None:
    from tools.gen_rulebook import OUT, render

    assert OUT.read_text(encoding="utf-8") == render(SHARED), (
        "src/tradecontrol/data/rulebook.json differs from a fresh build: run "
        "python tools/gen_rulebook.py"
    )


@needs_shared
def test_every_selected_csl_row_became_a_listing(rulebook: Rulebook) -> None:
    """The shared pre-filtered view lists the same rows by their CSL id: none dropped."""
    path = SHARED / "data" / "huawei" / "huawei_entity_list_2019_from_csl.csv"
    with path.open(encoding="utf-8") as fh:
        ids = {"us-el-" + row["csl_id"][:16] for row in csv.DictReader(fh)}
    assert len(ids) == 119
    assert {x.id for x in rulebook.listings if x.id not in CURATED_IDS} == ids
    assert {x.id for x in rulebook.listings} >= CURATED_IDS


@needs_shared
def test_iso3166_table_matches_pinned_pycountry() -> None:
    from tools.gen_iso3166 import OUT, OUT_SUBDIVISIONS, render, render_subdivisions

    data = read_json("iso3166.json")
    if data["source"]["version"] != version("pycountry"):
        pytest.fail(
            f"iso3166.json was made with pycountry {data['source']['version']}, "
            f"installed is {version('pycountry')}: pin and regenerate"
        )
    assert OUT.read_text(encoding="utf-8") == render(SHARED)
    assert OUT_SUBDIVISIONS.read_text(encoding="utf-8") == render_subdivisions()


def test_provenance_is_recorded(rulebook: Rulebook) -> None:
    csl = rulebook.sources[0]
    assert csl.path == "data/csl/watchman-2022/consolidated.csv.gz"
    assert csl.sha256 is not None and len(csl.sha256) == 64
    assert rulebook.snapshot == datetime.date(2022, 5, 5)
    assert rulebook.version.startswith("2019-huawei.1+")


def test_effective_dates_not_csl_publication_dates(rulebook: Rulebook) -> None:
    starts = {x.versions[0].window.start for x in rulebook.listings if x.id not in CURATED_IDS}
    may = datetime.datetime(
        2019, 5, 16, 16, 15, tzinfo=datetime.timezone(datetime.timedelta(hours=-4))
    )
    assert starts == {may, datetime.date(2019, 8, 19)}
    main = rulebook.match_entity_name("Huawei Technologies Co., Ltd.")[0].listing
    assert "Bantian Huawei Base, Longgang District, Shenzhen, 518129" in {
        a.street for a in main.entity.addresses
    }
    assert "Shenzhen Huawei Technologies" in main.entity.aliases


def test_federal_register_citations_are_clean(rulebook: Rulebook) -> None:
    for listing in rulebook.listings:
        for ver in listing.versions:
            for cite in ver.citations:
                assert cite == cite.strip() and "\u00a0" not in cite and "  " not in cite


def test_affiliates_under_the_huawei_entry_are_named_as_themselves(rulebook: Rulebook) -> None:
    names = {x.entity.name for x in rulebook.listings}
    assert "Beijing Huawei Longshine Information Technology Co., Ltd." in names
    assert not any("Affiliated Entity" in n for n in names)
    longshine = rulebook.match_entity_name("Beijing Huawei Longshine")[0].listing
    assert longshine.remarks == "Listed under the entry for Huawei Technologies Co., Ltd. (Huawei)."


def test_tools_are_importable_from_the_repo() -> None:
    assert (ROOT / "tools" / "gen_rulebook.py").is_file()


def test_name_terms_regenerate_identically() -> None:
    """``data/name_terms.json`` is what ``tools/gen_name_terms.py`` builds from its sources."""
    pytest.importorskip("names")
    pytest.importorskip("num2words")
    from tools.gen_name_terms import main

    assert main(["--check"]) == 0, "run python tools/gen_name_terms.py"
