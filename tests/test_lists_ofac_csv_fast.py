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
from typing import Any

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
        "CUB\x00A",  # characters clean() removes: the general path records a problem
        "bell\x07",
        "Xi\x81an",  # a C1 byte Windows-1252 leaves undefined
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
    fast = ofac_csv._plain_address(street, city, country)
    if fast is not None:
        assert type(fast) is tuple and len(fast) == 1
    return (
        None if fast is None else fast[0],
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


# --- Adversarial folders: each named case loaded with and without the fast entry path -----
#
# An ``sdn.csv`` (or ``cons_prim.csv``) with its companion files, so the CSV line handling,
# repeated ``ent_num`` values, orphan companion rows and the order of records all take part.
# The careful path is the loader with ``_fast`` leaving every entry to ``_general``.

D = "-0- "


def _quoted(cells: list[str]) -> str:
    """One OFAC CSV line: ``-0-`` placeholders bare, other cells in double quotes."""
    return ",".join(c if c.strip() == "-0-" else '"' + c.replace('"', '""') + '"' for c in cells)


def _entry(uid: str = "36", name: str = "ACME", kind: str = D, **more: str) -> list[str]:
    cells = [uid, name, kind, more.get("programs", "SDGT")]
    cells += [more.get(f"c{i}", D) for i in range(4, 11)]
    return [*cells, more.get("remarks", D)]


def _alt(uid: str, n: int, alias: str, kind: str = "aka", note: str = D) -> list[str]:
    return [uid, str(n), kind, alias, note]


def _add(uid: str, n: int, street: str, country: str = "Iran", note: str = D) -> list[str]:
    return [uid, str(n), street, "Tehran", country, note]


Folder = dict[str, list[list[str]]]

OFAC_FOLDERS: dict[str, Folder] = {
    "plain_entries": {"sdn.csv": [_entry(), _entry("37", "BETA", "individual")]},
    "repeated_ent_num": {"sdn.csv": [_entry(), _entry(name="OTHER")]},
    "padded_ent_num": {"sdn.csv": [_entry(" 36 ")]},
    "letters_in_ent_num": {"sdn.csv": [_entry("36a")]},
    "embedded_line_break_in_name": {"sdn.csv": [_entry(name="ACME\nTRADING")]},
    "quotes_in_name": {"sdn.csv": [_entry(name='ACME "RED" CO')]},
    "extra_column": {"sdn.csv": [[*_entry(), "x"], _entry("37")]},
    "missing_column": {"sdn.csv": [_entry()[:-1], _entry("37")]},
    "placeholder_variants": {"sdn.csv": [_entry(c4="-0-  ", c6=" -0-", remarks="-0-")]},
    "call_sign": {"sdn.csv": [_entry(kind="vessel", c5="CALL1", c9="Iran")]},
    "title_and_vessel_data": {
        "sdn.csv": [_entry(kind="vessel", c4="Master", c6="Tanker", c9="Iran", c10="X")]
    },
    "unknown_vessel_flag": {"sdn.csv": [_entry(kind="vessel", c9="Atlantis")]},
    "unknown_type": {"sdn.csv": [_entry(kind="robot")]},
    "unknown_programme_brackets": {"sdn.csv": [_entry(programs="[SDGT] [IRGC]")]},
    "name_at_the_text_limit": {"sdn.csv": [_entry(name="N" * 4096)]},
    "name_over_the_text_limit": {"sdn.csv": [_entry(name="N" * 4097)]},
    "name_padded_to_the_limit": {"sdn.csv": [_entry(name="  " + "N" * 4096 + "  ")]},
    "name_of_placeholder": {"sdn.csv": [_entry(name="-0-")]},
    "name_with_c1_byte": {"sdn.csv": [_entry(name="XI\x92AN")]},
    "nul_in_programme": {"sdn.csv": [_entry(programs="CUB\x00A"), _entry("37")]},
    "bel_in_name_and_remarks": {"sdn.csv": [_entry(name="AC\x07ME", remarks="DOB\x07 1962.")]},
    "esc_in_companion_rows": {
        "sdn.csv": [_entry(), _entry("37")],
        "add.csv": [_add("36", 1, "1 Main\x1b St"), _add("37", 2, "X")],
        "alt.csv": [_alt("36", 1, "AB\x7fC"), _alt("37", 2, "B", note="n\x00")],
        "sdn_comments.csv": [["36", "more\x08 text"]],
    },
    "name_only_punctuation": {"sdn.csv": [_entry(name="...")]},
    "remarks_at_the_text_limit": {"sdn.csv": [_entry(remarks="R" * 4096)]},
    "remarks_over_the_text_limit": {"sdn.csv": [_entry(remarks="R" * 4097)]},
    "remarks_and_comment_over_the_limit": {
        "sdn.csv": [_entry(remarks="R" * 2500)],
        "sdn_comments.csv": [["36", "S" * 1597]],
    },
    "title_and_remarks_over_the_limit": {
        "sdn.csv": [_entry(c4="T" * 100 + ".", remarks="R" * 3990)]
    },
    "thousand_aliases": {
        "sdn.csv": [_entry()],
        "alt.csv": [_alt("36", i, f"A{i}") for i in range(1000)],
    },
    "thousand_and_one_aliases": {
        "sdn.csv": [_entry()],
        "alt.csv": [_alt("36", i, f"A{i}") for i in range(1001)],
    },
    "thousand_and_one_weak_aliases": {
        "sdn.csv": [_entry()],
        "alt.csv": [_alt("36", i, f"A{i}", "weak aka") for i in range(1001)],
    },
    "weak_aliases_from_remarks_over_the_cap": {
        "sdn.csv": [_entry(remarks="; ".join(f"a.k.a. 'X{i}'" for i in range(200)) + ".")],
        "alt.csv": [_alt("36", i, f"A{i}", "weak aka") for i in range(900)],
    },
    "same_alias_as_alt_row_and_in_remarks": {
        "sdn.csv": [_entry(remarks="a.k.a. 'ABU X'.")],
        "alt.csv": [_alt("36", 1, "ABU X", "weak aka"), _alt("36", 2, "ABU X")],
    },
    "alias_over_the_text_limit": {"sdn.csv": [_entry()], "alt.csv": [_alt("36", 1, "A" * 4097)]},
    "alias_placeholder_and_empty": {
        "sdn.csv": [_entry()],
        "alt.csv": [_alt("36", 1, "-0-"), _alt("36", 2, " ")],
    },
    "alias_with_note": {"sdn.csv": [_entry()], "alt.csv": [_alt("36", 1, "B", note="old")]},
    "alias_with_bidi_override": {"sdn.csv": [_entry()], "alt.csv": [_alt("36", 1, "x\u202ey")]},
    "thousand_and_one_addresses": {
        "sdn.csv": [_entry()],
        "add.csv": [_add("36", i, f"{i} Main St") for i in range(1001)],
    },
    "address_unknown_country": {"sdn.csv": [_entry()], "add.csv": [_add("36", 1, "X", "Atlantis")]},
    "address_with_note": {"sdn.csv": [_entry()], "add.csv": [_add("36", 1, "X", note="closed")]},
    "address_all_placeholders": {"sdn.csv": [_entry()], "add.csv": [["36", "1", D, D, D, D]]},
    "companion_rows_without_entry": {
        "sdn.csv": [_entry()],
        "add.csv": [_add("99", 1, "X")],
        "alt.csv": [_alt("99", 1, "B")],
    },
    "person_facts_in_remarks": {
        "sdn.csv": [
            _entry(
                kind="individual",
                remarks="DOB 1962; alt. DOB 1962; DOB 15 Jan 1963; nationality Iran; "
                "citizen Iran; Passport A123 (Iran); Passport A123 (Iran).",
            )
        ]
    },
    "unreadable_birth_date": {"sdn.csv": [_entry(kind="individual", remarks="DOB sometime.")]},
    "birth_date_for_an_organisation": {"sdn.csv": [_entry(remarks="DOB 1962.")]},
    "unknown_and_former_nationalities": {
        "sdn.csv": [
            _entry(kind="individual", remarks="nationality Atlantis; nationality Yugoslavia.")
        ]
    },
    "passport_issued_in_a_city": {"sdn.csv": [_entry(remarks="Passport A123 (Medellin).")]},
    "empty_imo_number": {
        "sdn.csv": [_entry(kind="vessel", remarks="Vessel Registration Identification IMO .")]
    },
    "thousand_and_one_birth_dates": {
        "sdn.csv": [
            _entry(kind="individual", remarks="; ".join(f"DOB {1000 + i}" for i in range(1001)))
        ]
    },
    "non_sdn_file_unknown_programme": {
        "cons_prim.csv": [_entry(programs="ODD"), _entry("37", programs="NS-PLC")]
    },
}


def _load(folder: Path, monkeypatch: pytest.MonkeyPatch, fast: bool) -> Any:
    from tradecontrol import lists

    primary = next(p for p in folder.iterdir() if p.name in ("sdn.csv", "cons_prim.csv"))
    with monkeypatch.context() as patch:
        if not fast:
            patch.setattr(ofac_csv, "_fast", lambda *entry, **options: None)
        snap = lists.load(primary, format="ofac-csv")
    return [x.to_dict() for x in snap.listings], list(snap.problems)


@pytest.mark.parametrize("name", sorted(OFAC_FOLDERS))
@pytest.mark.parametrize("ending", ["\n", "\r\n\x1a"], ids=["lf", "crlf_eof_byte"])
def test_adversarial_folders_load_as_the_general_path_loads_them(
    name: str, ending: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for file, rows in OFAC_FOLDERS[name].items():
        newline = ending[:-1] if ending.endswith("\x1a") else ending
        text = newline.join(map(_quoted, rows)) + ending
        (tmp_path / file).write_text(text, encoding="utf-8", newline="")
    assert _load(tmp_path, monkeypatch, True) == _load(tmp_path, monkeypatch, False)


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


BIRTH_TEXT = st.one_of(
    st.builds(
        "{} {} {}".format,
        st.integers(0, 40),
        st.sampled_from(["Jan", "Feb", "Sept", "Dec.", "Xyz", "jun"]),
        st.sampled_from(["1951", "2000", "1900", "0000", "\u0661\u0669\u0665\u0661"]),
    ),
    st.sampled_from(
        ["1951", "0000", "\u0661\u0669\u0665\u0661", "circa 1951", "1960-1962", "1960 to 1962",
         "Mar 1960", "1962-02-30", "1962-01-15", "29 Feb 1900", "29 Feb 2000"]
    ),
    st.text(alphabet=st.sampled_from(list("0123456789 JanFebto-.c")), min_size=1, max_size=14),
)  # fmt: skip


@settings(max_examples=500, deadline=None)
@given(text=BIRTH_TEXT)
def test_birth_reads_ofac_date_and_its_check(text: str) -> None:
    """``_birth`` gives ``ofac_date`` and, for a date read, what ``_trusted._date_ok`` says."""
    from tradecontrol.lists import _ofac, _trusted

    raw = _ofac.clean(text)
    if not raw:
        return
    read = _ofac.ofac_date(raw)
    expected = (read, read is not None and _trusted._date_ok.__wrapped__(read))
    assert ofac_csv._birth.__wrapped__(raw) == expected
