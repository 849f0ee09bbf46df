"""BIS Denied Persons List loader (tradecontrol.lists.bis_dpl)."""

from __future__ import annotations

import datetime
import hashlib
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from tests._intl_lists import (
    DATA,
    FIXTURES,
    TSV_EDITS,
    check_snapshot,
    fixture_files,
    fuzz_one,
    head,
    load_bytes,
    mutated,
    needs_shared,
    problem_rows,
    shared_files,
    tsv_record_count,
)
from tradecontrol import lists
from tradecontrol.entities import EntityKind
from tradecontrol.errors import DataError
from tradecontrol.listings import Listing
from tradecontrol.lists import bis_dpl

WATCHMAN = "bis/watchman/dpl.txt"
ITA = "bis/ita-webservices/dpl.txt"
FIXTURE = FIXTURES / "bis_dpl" / "dpl_small.txt"


def dpl_id(*cells: str) -> str:
    """The documented id: sha1 of name, address cells and ISO effective date."""
    return "us-dpl-" + hashlib.sha1("\x1f".join(cells).encode()).hexdigest()[:16]


@pytest.fixture(scope="module")
def watchman() -> lists.ListSnapshot:
    return lists.load(DATA / WATCHMAN)


@pytest.fixture(scope="module")
def ita() -> lists.ListSnapshot:
    return lists.load(DATA / ITA)


REAL: list[tuple[str, int, int, list[tuple[int, str, str, str | None, bool]]]] = [
    (
        WATCHMAN,
        546,
        543,
        [
            (
                130,
                "",
                "exact duplicate of the row at line 129 (same listing)",
                "us-dpl-0f3e2881453317c2",
                True,
            ),
            (
                141,
                "",
                "exact duplicate of the row at line 140 (same listing)",
                "us-dpl-5f3573de1b2c2df7",
                True,
            ),
            (
                381,
                "",
                "exact duplicate of the row at line 380 (same listing)",
                "us-dpl-a481fb94358a523a",
                True,
            ),
            (
                481,
                "Country",
                "unknown country 'NM'; kept in remarks",
                "us-dpl-48f839c51f02b93d",
                False,
            ),
        ],
    ),
    (ITA, 10, 9, [(2, "", "empty row", None, True)]),
]


@needs_shared
@pytest.mark.parametrize(("name", "records", "listings", "problems"), REAL, ids=["watchman", "ita"])
def test_real_file_counts(name: str, records: int, listings: int, problems: Any) -> None:
    snap = lists.load(DATA / name)
    check_snapshot(snap)
    assert snap.format == "bis-dpl-txt"
    assert snap.published is None  # the file states no publication date
    assert snap.records == records
    assert len(snap.listings) == listings
    assert problem_rows(snap) == problems
    assert snap.count_by_list() == {"DPL": listings}
    assert len({x.id for x in snap.listings}) == listings
    for listing in snap.listings:
        assert listing.authority == "US-BIS"
        assert listing.entity.kind is EntityKind.UNKNOWN
        version = listing.versions[0]
        assert version.license_requirement is None
        assert version.window.zone == "America/New_York"
        assert version.window.start is not None
        for citation in version.citations:
            assert citation == citation.strip(" ,;") and "\xa0" not in citation


@needs_shared
def test_real_watchman_summary(watchman: lists.ListSnapshot) -> None:
    ends = [x.versions[0].window.end for x in watchman.listings]
    assert ends.count(None) == 53  # 53 rows without an Expiration_Date
    citations = [len(x.versions[0].citations) for x in watchman.listings]
    assert citations.count(1) == 414
    assert sum(citations) == 1196  # one per "F.R." in the FR_Citation cells


SPOT: list[tuple[str, dict[str, Any]]] = [
    (
        # " ADRIAN MANUEL HERNANDEZ" (leading space), no country, PHONEIX as written
        dpl_id(
            "ADRIAN MANUEL HERNANDEZ",
            "3037 S. 69TH DRIVE",
            "PHONEIX",
            "AZ",
            "",
            "85043",
            "2017-10-16",
        ),
        {
            "name": "ADRIAN MANUEL HERNANDEZ",
            "address": ("3037 S. 69TH DRIVE", "PHONEIX", "AZ", "85043", None),
            "start": datetime.date(2017, 10, 16),
            "end": datetime.date(2020, 10, 13),
            "citations": ("82 FR 48792 10/20/2017",),
            "remarks": "Standard order: Y; Last update: 2017-10-23; Action: FR NOTICE ADDED",
        },
    ),
    (
        dpl_id(
            "I. ASH",
            "UPON THE DATE OF THE ORDER INCARCERATED AT USM NO: 26265-177, FCI SEAGOVILLE, "
            "2113 NORTH HIGHWAY 175",
            "SEAGOVILLE",
            "TX",
            "US",
            "75159",
            "2003-06-19",
        ),
        {
            "name": "I. ASH",
            "start": datetime.date(2003, 6, 19),
            "end": datetime.date(2056, 6, 29),
            "citations": ("68 FR 38290 6/27/03", "71 FR 38843 7/10/06", "72 FR 4236 1/30/07"),
            "remarks": "Standard order: Y; Last update: 2007-01-31; "
            "Action: FEDERAL REGISTER NOTICE UPDATED",
        },
    ),
    (
        "us-dpl-48f839c51f02b93d",
        {
            "name": "STEPHEN EDWARD SMITH",
            "address": (
                "INMATE NUMBER: 30819-408, FCI LA TUNA, P.O. Box 3000",
                "ANTHONY",
                None,
                "88021",
                None,  # Country "NM" is no country: kept in the remarks
            ),
            "start": datetime.date(2018, 4, 6),
            "end": datetime.date(2027, 4, 13),
            "remarks": "Country: NM; Standard order: Y; Last update: 2018-04-16; "
            "Action: FR NOTICE ADDED",
        },
    ),
    (
        "us-dpl-4ad62137b4b2dbe4",
        {
            "name": "ALI M HIJAZI",
            "address": ("185 SEPTEMBER STREET", "TRIPOLI", None, None, "LY"),
            "start": datetime.date(1981, 9, 1),
            "end": None,
            "citations": ("46 FR 44803 9/8/81",),
        },
    ),
]


def _check(listing: Listing, want: dict[str, Any]) -> None:
    e = listing.entity
    a = e.addresses[0]
    version = listing.versions[0]
    got: dict[str, Any] = {
        "name": e.name,
        "address": (
            a.street,
            a.city,
            a.region,
            a.postal_code,
            a.country.code if a.country else None,
        ),
        "start": version.window.start,
        "end": version.window.end,
        "citations": version.citations,
        "remarks": listing.remarks,
    }
    for key, value in want.items():
        assert got[key] == value, key


@needs_shared
@pytest.mark.parametrize(("listing_id", "want"), SPOT, ids=[s[1]["name"] for s in SPOT])
def test_real_file_spot_checks(watchman: lists.ListSnapshot, listing_id: str, want: Any) -> None:
    listing = {x.id: x for x in watchman.listings}[listing_id]
    assert listing.list_code == "DPL"
    _check(listing, want)


@needs_shared
def test_real_ita_rows(ita: lists.ListSnapshot) -> None:
    first = ita.listings[0]
    # A short row (10 of 12 cells), M/D/YYYY dates without leading zeros.
    assert first.id == dpl_id(
        "SEMICONDUCTOR SYSTEMS INTL., INC. (SSI)",
        "BAGSVAERD HOVEDGADE 99 1 2880 BAGSVAERD",
        "COPENHAGEN",
        "",
        "DK",
        "",
        "1992-03-20",
    )
    assert first.versions[0].window.end == datetime.date(2000, 10, 4)
    assert first.versions[0].citations == ()
    assert first.remarks == "Standard order: Y; Last update: 5/1/2001"
    adt = {x.entity.name: x for x in ita.listings}["ADT ANALOG AND DIGITAL TECHNIK"]
    assert adt.versions[0].citations == ("46 FR 46154 9/17/81", "46 FR 19290 3/30/81")
    assert adt.versions[0].window.end is None


@needs_shared
@pytest.mark.parametrize("path", shared_files(), ids=lambda p: str(p.relative_to(DATA)))
def test_sniff_shared_files(path: Path) -> None:
    assert bis_dpl.sniff(head(path), path) is (str(path.relative_to(DATA)) in (WATCHMAN, ITA))


@pytest.mark.parametrize("path", fixture_files(), ids=lambda p: p.name)
def test_sniff_fixtures(path: Path) -> None:
    assert bis_dpl.sniff(head(path), path) is (path.parent == FIXTURE.parent)


def test_fixture() -> None:
    snap = lists.load(FIXTURE)
    check_snapshot(snap)
    assert snap.format == "bis-dpl-txt"
    assert snap.records == 6
    first, trading, inmate, no_date = snap.listings
    assert [(p.record, p.field, p.fatal, p.skipped) for p in snap.problems] == [
        (4, "", True, True),  # exact duplicate of line 3: skipped, not refused
        (5, "", True, True),  # empty row: skipped
        (6, "Country", False, False),  # NM
        (6, "Expiration_Date", False, False),  # ends before it starts
        (7, "Effective_Date", False, False),  # "sometime"
    ]
    assert snap.problems[1].reason == "empty row"
    assert snap.problems[4].record_id == no_date.id
    assert first.entity.name == "JOHN EXAMPLE"
    assert first.versions[0].citations == ("82 FR 48792 10/20/2017", "83 FR 100 1/2/2018")
    assert first.id == dpl_id(
        "JOHN EXAMPLE", "1 MAIN ST.", "SPRINGFIELD", "IL", "US", "62701", "2017-10-16"
    )
    country = trading.entity.addresses[0].country
    assert country is not None and country.code == "CN"  # "PRC"
    assert inmate.versions[0].window.end is None
    assert inmate.remarks is not None and "End date: 2017-04-13" in inmate.remarks
    assert no_date.versions[0].window.start is None
    assert no_date.versions[0].note == "listing date not stated in the source"
    assert no_date.remarks is not None and "Effective Date: sometime" in no_date.remarks


def test_ids_do_not_depend_on_date_padding_or_quotes() -> None:
    text = FIXTURE.read_bytes()
    plain = text.replace(b'"', b"").replace(b"10/16/2017", b"10/16/2017")
    padded = text.replace(b"3/20/1992", b"03/20/1992")
    ids = [x.id for x in lists.load(FIXTURE).listings]
    assert [x.id for x in load_bytes(plain, "dpl.txt", None).listings] == ids
    assert [x.id for x in load_bytes(padded, "dpl.txt", None).listings] == ids


def test_same_key_other_content_gets_a_suffix() -> None:
    lines = FIXTURE.read_bytes().split(b"\n")
    lines[3] = lines[3].replace(b'"N"', b'"Y"')  # line 4 now differs from line 3
    snap = load_bytes(b"\n".join(lines), "dpl.txt", None)
    check_snapshot(snap)
    ids = [x.id for x in snap.listings]
    assert len(ids) == len(set(ids)) == 5
    assert ids[2].startswith(ids[1] + "-")
    assert "id suffixed" in snap.problems[0].reason


def test_windows_1252_line() -> None:
    data = FIXTURE.read_bytes().replace(b"JOHN EXAMPLE", b"JOS\xc9 EXAMPLE")
    snap = load_bytes(data, "dpl.txt", None)
    assert snap.listings[0].entity.name == "JOSÉ EXAMPLE"
    assert (2, "", "not UTF-8; read as Windows-1252") in [
        (p.record, p.field, p.reason) for p in snap.problems
    ]


def test_header_without_name_column() -> None:
    data = FIXTURE.read_bytes().replace(b'"Name"', b'"Nom"', 1)
    with pytest.raises(DataError, match="no Name column"):
        load_bytes(data, "dpl.txt", bis_dpl.NAME)


CITATIONS: list[tuple[str, list[str]]] = [
    (
        "80 F.R. 30435 5/28/15, 82 F.R. 2312 1/9/2017, F.R. 30823 7/3/2017,  84 F.R. 27233 ",
        ["80 FR 30435 5/28/15", "82 FR 2312 1/9/2017", "FR 30823 7/3/2017", "84 FR 27233"],
    ),
    (
        "82 F.R. 61745 12/29/2017; 83F.R. 28801 6/21/2018",
        ["82 FR 61745 12/29/2017", "83 FR 28801 6/21/2018"],
    ),
    (
        "46 F.R. 46154 9/17/81 and 46 F.R. 19290 3/30/81",
        ["46 FR 46154 9/17/81", "46 FR 19290 3/30/81"],
    ),
    ("81.F.R. 22576 4/18/2016", ["81 FR 22576 4/18/2016"]),
    # QA: no space after "F.R." (the cell stayed one comma-joined citation)
    (
        "80 F.R. 30435 5/28/15, 81 F.R.45276 7/13/2016, 82 F.R. 2312 1/9/2017",
        ["80 FR 30435 5/28/15", "81 FR 45276 7/13/2016", "82 FR 2312 1/9/2017"],
    ),
    ("80 F.R.44930 7/28/15", ["80 FR 44930 7/28/15"]),
    ("81 F.R45276, 82 F. R. 2312", ["81 FR 45276", "82 FR 2312"]),
    ("80 F.R. 30435, 81 FR45276 7/13/2016", ["80 FR 30435", "81 FR 45276 7/13/2016"]),
    ("81F.R.45276,82 F.R 1", ["81 FR 45276", "82 FR 1"]),
    ("81 FR. 45276; 82 Fed. Reg. 5 1/2/2017", ["81 FR 45276", "82 FR 5 1/2/2017"]),
    ("81 fr 45276", ["81 FR 45276"]),
    ("82 F.R. 16788, 16789 4/6/2017", ["82 FR 16788, 16789 4/6/2017"]),  # pages of one notice
    ("order of 5/1/2001 and 66 F.R. 1 1/1/01", ["order of 5/1/2001 and 66 FR 1 1/1/01"]),
    ("FRANCE 12", ["FRANCE 12"]),  # no citation head: kept as written
    (  # a head without a page: kept as written
        "66 F.R. 47630 9/13/01, NEW F.R. NOTICE TO BE PUBLISHED SOON",
        ["66 FR 47630 9/13/01, NEW", "F.R. NOTICE TO BE PUBLISHED SOON"],
    ),
    ("see order\xa0 ", ["see order"]),
    (", ;", []),
    ("", []),
]


@pytest.mark.parametrize(("cell", "want"), CITATIONS, ids=[c for c, _ in CITATIONS])
def test_citation_splitting(cell: str, want: list[str]) -> None:
    assert bis_dpl.citations(cell) == want
    spaced = bis_dpl.citations(re.sub(r"(F\.R\.)\s*", r"\1 ", cell))  # the same, spaced
    assert spaced == want


_HEAD = re.compile(r"(?<![A-Za-z0-9])F\.?\s?R(?![A-Za-z])", re.IGNORECASE)


@needs_shared
@pytest.mark.parametrize("rel", [WATCHMAN, ITA])
def test_real_citations_split_and_normalised(rel: str) -> None:
    """Every citation of every real DPL row is one notice, its head ``<volume> FR <page>``."""
    snap = lists.load(DATA / rel)
    for listing in snap.listings:
        for citation in listing.versions[0].citations:
            if "NOTICE TO BE PUBLISHED" in citation:  # no page: kept as written
                assert citation == "F.R. NOTICE TO BE PUBLISHED SOON"
                continue
            assert re.match(r"^(?:[0-9]{1,3} )?FR [0-9]", citation), (listing.entity.name, citation)
            assert len(_HEAD.findall(citation)) == 1, (listing.entity.name, citation)


@needs_shared
def test_real_al_naser_rows_split_alike(watchman: lists.ListSnapshot) -> None:
    rows = [x for x in watchman.listings if "NASER" in x.entity.name]
    assert len(rows) == 16
    for listing in rows:
        citations = listing.versions[0].citations
        assert "84 FR 27233 6/12/2019" in citations
        assert all("," not in c and "F.R" not in c for c in citations)
    wings = [x.versions[0].citations for x in rows if "WINGS" in x.entity.name]
    assert all(c[1] == "83 FR 28801 6/21/2018" for c in wings)  # "83F.R. 28801" in two rows


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=mutated(FIXTURE.read_bytes(), TSV_EDITS))
def test_fuzz(data: bytes) -> None:
    fuzz_one(data, "dpl.txt", bis_dpl.NAME, tsv_record_count)
