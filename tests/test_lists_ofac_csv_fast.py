"""The OFAC legacy CSV loader's fast entry path builds what its ``Draft`` path builds.

``ofac_csv._fast`` maps an entry (its ``sdn.csv`` row with its ``add.csv``, ``alt.csv``
and ``sdn_comments.csv`` rows) on local lists and returns ``None`` wherever the general
path (``ofac_csv._general``: ``Draft``, its ``add_*`` methods and ``build``) would record a
problem or take a rare turn. For every entry of the real OFAC CSV files and for generated
entries (non-ASCII, padded and over-long text, ``-0-`` cells, unknown types, countries and
programmes, unreadable dates, call signs, notes on companion rows, repeated facts),
whatever the fast path returns equals the one listing the general path gives, with no
problem beside it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import SHARED
from tests.ofac_support import needs_data  # under CI=true, missing data is a failure
from tradecontrol.errors import TradeControlError
from tradecontrol.listings import Listing
from tradecontrol.lists import _ofac, ofac_csv

FILES = [
    "ofac/watchman-bench-2021/sdn.csv",
    "ofac/watchman-2019/sdn.csv",
    "ofac/sdn-gitscrape/2021-08-18/sdn.csv",
    "ofac/sdn-gitscrape/2024-05-02/sdn.csv",
    "ofac/watchman-nonsdn-2025/cons_prim.csv",
]

Rows = list[tuple[int, list[str]]]


def check(uid: str, cells: list[str], non_sdn: bool, adds: Rows, alts: Rows, notes: Rows) -> bool:
    """Assert the paths agree; True when the fast path took the entry."""
    try:
        fast = ofac_csv._fast(uid, cells, non_sdn, adds, alts, notes)
    except TradeControlError:
        fast = None  # read() leaves such an entry to the general path
    general = ofac_csv._general(
        "sdn.csv", 3, uid, cells, non_sdn, (adds, alts, notes), ("add.csv", "alt.csv")
    )
    if fast is None:
        return False
    assert general == [fast]
    assert isinstance(general[0], Listing)
    assert fast.to_dict() == general[0].to_dict()
    return True


@needs_data
@pytest.mark.parametrize("rel", FILES)
def test_fast_entries_match_the_general_path_on_real_files(rel: str) -> None:
    path = SHARED / "data" / rel
    primary = [cells for _, cells in ofac_csv._rows(path, 12) if not isinstance(cells, str)]
    non_sdn = _ofac.is_non_sdn_file((_ofac.split_programs(c[3]) for c in primary), path.name)
    companions, _ = ofac_csv._companions(path, non_sdn)
    (_, adds), (_, alts), (_, notes) = companions
    fast = 0
    for cells in primary:
        uid = cells[0].strip()
        fast += check(uid, cells, non_sdn, adds.get(uid, []), alts.get(uid, []), notes.get(uid, []))
    assert fast / len(primary) > 0.9  # the fast path is the one most entries take


TEXT = st.sampled_from(
    [
        "",
        "-0-",
        " -0- ",
        "ACME",
        " padded ",
        "two  spaces",
        "Co\u201dperatief",
        "Xi\x92an",
        "bidi\u202eevil",
        "...",
        "x" * 4097,
    ]
)
PLAIN = st.one_of(st.sampled_from(["-0-", "ACME", "Tehran"]), TEXT)
"""Mostly values that give no problem, so that many entries reach the fast path."""
EMPTY = st.one_of(st.just("-0-"), st.just("-0-"), st.just("-0-"), st.just("-0-"), TEXT)
COUNTRY = st.sampled_from(["", "-0-", "Iran", "Russia", "Region: Gaza", "Atlantis", "Kosovo"])
REMARKS = st.lists(
    st.sampled_from(
        [
            "DOB 1962",
            "DOB 15 Jan 1962",
            "alt. DOB circa 1960-1962",
            "DOB sometime",
            "POB Tehran, Iran",
            "nationality Iran",
            "citizen Atlantis",
            "nationality Yugoslavia",
            "Passport A123 (Iran)",
            "Passport A123 (Iran)",
            "Passport A123 (Medellin)",
            "Vessel Registration Identification IMO 9187629",
            "Vessel Registration Identification IMO ",
            "Gender Male",
            "a.k.a. 'ABU X'",
            "Website www.example.org",
            "Digital Currency Address - XBT 1abc",
            "x" * 4097,
        ]
    ),
    max_size=4,
).map("; ".join)


@settings(max_examples=300, deadline=None)
@given(
    name=PLAIN,
    kind=st.sampled_from(["individual", "individual", "-0-", "vessel", "aircraft", "robot", ""]),
    programs=st.sampled_from(["SDGT", "SDGT] [IRGC", "NS-PLC", "UKRAINE-EO13662", "ODD"]),
    extra=st.lists(EMPTY, min_size=7, max_size=7),
    remarks=REMARKS,
    adds=st.lists(st.tuples(PLAIN, PLAIN, COUNTRY, EMPTY), max_size=3),
    alts=st.lists(st.tuples(st.sampled_from(["aka", "fka", "weak aka"]), PLAIN, EMPTY), max_size=3),
    note=st.sampled_from(["", "", "; Gender Female.", " and more.", "x" * 4000]),
    non_sdn=st.booleans(),
)
def test_fast_entries_match_the_general_path_on_generated_entries(
    name: str,
    kind: str,
    programs: str,
    extra: list[str],
    remarks: str,
    adds: list[tuple[str, str, str, str]],
    alts: list[tuple[str, str, str]],
    note: str,
    non_sdn: bool,
) -> None:
    cells = ["36", name, kind, programs, *extra, remarks]
    add_rows = [(i, ["36", str(i), *add[:3], add[3]]) for i, add in enumerate(adds, 1)]
    alt_rows = [(i, ["36", str(i), *alt]) for i, alt in enumerate(alts, 1)]
    notes = [(1, ["36", note])] if note else []
    check("36", cells, non_sdn, add_rows, alt_rows, notes)


def test_generated_entries_reach_the_fast_path() -> None:
    cells = ["36", "ACME", "-0-", "SDGT", *["-0-"] * 7, "DOB 1962; nationality Iran."]
    assert not check("36", cells, False, [], [], [])  # DOB for an organisation: a problem
    cells[2] = "individual"
    cells[11] = "DOB 1962; nationality Iran; "  # continued in sdn_comments.csv
    adds = [(1, ["36", "1", "1 Main St", "Tehran", "Iran", "-0-"])]
    alts = [(1, ["36", "1", "aka", "ABU X", "-0-"])]
    assert check("36", cells, False, adds, alts, [(1, ["36", "Gender Male."])])


def test_a_small_file_loads_through_both_paths(tmp_path: Path) -> None:
    from tradecontrol import lists

    (tmp_path / "sdn.csv").write_text(
        '36,"ACME",-0-,"SDGT",-0-,-0-,-0-,-0-,-0-,-0-,-0-,"DOB 1962."\n'
        '37,"BETA",-0-,"SDGT",-0-,-0-,-0-,-0-,-0-,-0-,-0-,-0-\n'
        '38,"GAMMA",-0-,"SDGT",-0-,"CALL1",-0-,-0-,-0-,-0-,-0-,-0-\n'
    )
    snap = lists.load(tmp_path / "sdn.csv")
    assert [x.id for x in snap.listings] == ["us-sdn-36", "us-sdn-37", "us-sdn-38"]
    assert [(p.record, p.fatal) for p in snap.problems] == [(1, False)]
    assert snap.listings[2].entity.identifiers[0].scheme == "call_sign"


TAIL = st.lists(
    st.sampled_from(
        ["A123", " ", "(", ")", " (", "Iran", " issued ", " expires ", "2030", "\n", "-", "é", "#"]
    ),
    max_size=8,
).map("".join)


@settings(max_examples=500, deadline=None)
@given(rest=TAIL)
def test_identifier_tails_read_as_the_regular_expression(rest: str) -> None:
    match = _ofac._ID_TAIL.match(rest)
    want = (match.group("value").strip(), match.group("country")) if match else ("", None)
    assert _ofac.id_tail(rest) == want


ADDRESS_CELL = st.one_of(
    st.sampled_from(
        ["", "-0-", " -0- ", "Tehran", " Tehran ", "Calle  5", "Co\u201dperatief", "X\x92Y",
         "Region: Gaza", "Iran", "Kosovo", "Atlantis", "undetermined", "a" * 5000, " ", "\t"]
    ),
    st.text(max_size=12),
)  # fmt: skip


def plain_address_pair(street: str, city: str, country: str) -> tuple[object, object]:
    ofac_csv._plain_address.cache_clear()
    return (
        ofac_csv._plain_address(street, city, country),
        ofac_csv._plain_address_reference(street, city, country),
    )


@settings(max_examples=400, deadline=None)
@given(street=ADDRESS_CELL, city=ADDRESS_CELL, country=ADDRESS_CELL)
def test_plain_address_matches_the_address_reading(street: str, city: str, country: str) -> None:
    """The direct reading of ASCII address cells gives what ``_ofac._address`` gives."""
    fast, reference = plain_address_pair(street, city, country)
    assert fast == reference


@needs_data
def test_plain_address_matches_on_real_files() -> None:
    count = 0
    for rel in FILES:
        path = (SHARED / "data" / rel).parent / "add.csv"
        if not path.exists():
            continue
        for _, cells in ofac_csv._rows(path, 6):
            if not isinstance(cells, str):
                fast, reference = plain_address_pair(cells[2], cells[3], cells[4])
                assert fast == reference
                count += 1
    assert count > 10000


CLEAN_PIECE = st.one_of(
    st.sampled_from(
        ["A123", "IMO 9187629", "imo9187629", "IMO", "X (Y)", "Co\u201dperatief", "a" * 5000,
         "123-4", "9 (Colombia)", ""]
    ),
    st.text(alphabet=st.sampled_from(list("aB1 -()#.\u00e9")), max_size=12),
).map(_ofac.clean)  # fmt: skip
"""Values as the remarks reading gives them: pieces of clean text."""
ID_TYPE = st.sampled_from(
    ["Passport", "Vessel Registration Identification", "NIT #", "Tax ID No.", "Registration ID",
     "Digital Currency Address - XBT", "SWIFT/BIC", "Nonesuch"]
)  # fmt: skip
ID_COUNTRY = st.sampled_from([None, "Iran", "Kosovo", "Atlantis", "Medellin", "Region: Gaza", ""])


@settings(max_examples=500, deadline=None)
@given(type_name=ID_TYPE, value=CLEAN_PIECE, country=ID_COUNTRY)
def test_clean_remark_identifier_matches_the_general_reading(
    type_name: str, value: str, country: str | None
) -> None:
    """The cached reading of type and country gives what ``_remark_identifier`` gives."""
    ofac_csv._identifier_terms.cache_clear()
    fast = ofac_csv._clean_remark_identifier(type_name, value, country)
    assert fast == ofac_csv._remark_identifier(type_name, value, country)


@needs_data
def test_clean_remark_identifier_matches_on_real_files() -> None:
    count = 0
    for rel in FILES:
        path = SHARED / "data" / rel
        for _, cells in ofac_csv._rows(path, 12):
            if isinstance(cells, str) or _ofac.empty(cells[11]):
                continue
            for type_name, value, where in _ofac.parse_remarks(cells[11]).identifiers:
                fast = ofac_csv._clean_remark_identifier(type_name, value, where)
                assert fast == ofac_csv._remark_identifier(type_name, value, where)
                count += 1
    assert count > 1000


@settings(max_examples=300, deadline=None)
@given(
    text=st.text(
        alphabet=st.sampled_from(list("DOB ;().alt'nationality citizen 1\u00a0")), max_size=60
    )
)
def test_clean_remarks_read_as_parse_remarks(text: str) -> None:
    """``parse_clean_remarks`` of a clean text gives what ``parse_remarks`` gives."""
    body = _ofac.clean(text)
    assert _ofac.parse_clean_remarks(body) == _ofac.parse_remarks(text)
