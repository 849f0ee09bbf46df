"""OFAC legacy CSV loader: real files, companions, remarks, list codes, diffs, fuzz."""

from __future__ import annotations

import csv
import io
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.ofac_support import DATA, check_invariants, load_bytes, needs_data
from tradecontrol import lists
from tradecontrol.lists import _ofac, ofac_csv
from tradecontrol.lists._text import CONTROLS_REMOVED

SDN_ROW = (
    '36,"AEROCARIBBEAN AIRLINES",-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n'
    '6944,"AL-SHARIF, Sa\'d Abdullah Hussein","individual","SDGT",-0- ,-0- ,-0- ,-0- ,-0- ,'
    '-0- ,-0- ,"DOB 1969; alt. DOB 1963; POB Al-Medinah, Saudi Arabia; nationality Saudi '
    "Arabia; Passport B 960789; a.k.a. 'ABU X'.\"\r\n"
    '4238,"MAR AZUL","vessel","CUBA",-0- ,"CL2192","Tug",-0- ,"212","Cuba",'
    '"Samir de Navegacion S.A.","Vessel Registration Identification IMO 7406784."\r\n\x1a'
)
ADD = '36,25,-0- ,"Havana","Cuba",-0- \r\n4238,2237,-0- ,-0- ,-0- ,-0- \r\n\x1a'
ALT = '36,12,"aka","AERO-CARIBBEAN",-0- \r\n6944,99,"weak aka","SHARIF",-0- \r\n\x1a'


def _rows(path: Path) -> list[list[str]]:
    text = path.read_text(encoding="utf-8").replace("\x1a", "")
    return [r for r in csv.reader(io.StringIO(text)) if r]


def test_small_sdn_with_companions() -> None:
    snap = load_bytes(
        SDN_ROW.encode(), "sdn.csv", {"add.csv": ADD.encode(), "alt.csv": ALT.encode()}
    )
    assert snap is not None and snap.format == "ofac-csv"
    assert [x.id for x in snap.listings] == ["us-sdn-36", "us-sdn-6944", "us-sdn-4238"]
    assert snap.problems == () and snap.published is None
    aero, sharif, vessel = snap.listings
    assert aero.entity.kind.value == "organization" and aero.entity.aliases == ("AERO-CARIBBEAN",)
    assert aero.entity.country is not None and aero.entity.country.code == "CU"
    assert aero.versions[0].note == "listing date not stated in the source"
    assert aero.versions[0].window.start is None
    assert sharif.entity.birth_date == "1969" and sharif.entity.birth_dates == ("1963",)
    assert [n.code for n in sharif.entity.nationalities] == ["SA"]
    assert sharif.entity.weak_aliases == ("SHARIF", "ABU X")
    assert [(i.scheme, i.value) for i in sharif.entity.identifiers] == [("passport", "B 960789")]
    assert sharif.remarks is not None and sharif.remarks.startswith("DOB 1969; alt. DOB 1963; POB")
    assert vessel.entity.kind.value == "vessel" and vessel.entity.addresses == (
        type(vessel.entity.addresses[0])(),
    )
    assert {(i.scheme, i.value) for i in vessel.entity.identifiers} == {
        ("call_sign", "CL2192"),
        ("imo", "7406784"),
    }
    assert vessel.entity.country is not None and vessel.entity.country.code == "CU"  # the flag
    assert "Vessel owner: Samir de Navegacion S.A." in (vessel.remarks or "")


def test_orphan_companion_rows_are_problems() -> None:
    alt = ALT + '999,1,"aka","NOBODY",-0- \r\n'
    snap = load_bytes(SDN_ROW.encode(), "SDN.CSV", {"ALT.CSV": alt.replace("\x1a", "").encode()})
    assert snap is not None
    orphan = [p for p in snap.problems if p.record_id == "999"]
    assert len(orphan) == 1 and orphan[0].fatal and orphan[0].source.endswith("ALT.CSV")
    assert orphan[0].record == 3 and "no row in SDN.CSV" in orphan[0].reason
    assert snap.records == 4


def test_bad_rows_are_problems_and_the_rest_loads() -> None:
    data = (
        SDN_ROW.replace("\x1a", "")
        + '12,"SHORT ROW"\r\nX1,"A",-0- ,"B",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n'
    )
    data += SDN_ROW.splitlines(keepends=True)[0]  # a repeated ent_num
    snap = load_bytes(data.encode(), "sdn.csv")
    assert snap is not None and len(snap.listings) == 3
    assert [(p.record, p.fatal) for p in snap.problems] == [(4, True), (5, True), (6, True)]
    assert "2 fields; expected 12" in snap.problems[0].reason
    assert "repeats" in snap.problems[2].reason
    with pytest.raises(ExceptionGroup):
        lists.load(_write(data.encode()), strict=True)


def _write(data: bytes, name: str = "sdn.csv") -> Path:
    import tempfile

    path = Path(tempfile.mkdtemp()) / name
    path.write_bytes(data)
    return path


def test_windows_1252_and_unknown_countries() -> None:
    row = '5,"CAF\xc9 S.A.",-0- ,"CUBA"' + ",-0- " * 7 + ',"nationality Atlantis."\r\n'
    snap = load_bytes(
        row.encode("cp1252"), "sdn.csv", {"add.csv": b'5,1,-0- ,-0- ,"Atlantis",-0- \r\n'}
    )
    assert snap is not None
    (listing,) = snap.listings
    assert listing.entity.name == "CAFÉ S.A."
    assert [(p.field, p.fatal) for p in snap.problems] == [("add.csv:1", False), ("Remarks", False)]
    assert "Address country: Atlantis" in (listing.remarks or "")


def test_sniff_claims_only_primary_files() -> None:
    head = SDN_ROW.encode()
    assert ofac_csv.sniff(head, Path("x.txt"))
    assert not ofac_csv.sniff(ADD.encode(), Path("add.csv"))
    assert not ofac_csv.sniff(ALT.encode(), Path("alt.csv"))
    assert not ofac_csv.sniff(b"_id,source,entity_number\n", Path("sdn.csv"))
    assert not ofac_csv.sniff(b"", Path("sdn.csv"))


def test_program_list_codes() -> None:
    code = _ofac.list_code_for_programs
    assert code(["SDGT", "NS-PLC"]) == ("PLC", True)
    assert code(["UKRAINE-EO13662", "RUSSIA-EO14024"]) == ("SSI", True)
    assert code(["RUSSIA-EO14024"]) == ("NS-MBS", True)
    assert code(["CMIC-EO13959"]) == ("CMIC", True)
    assert code(["561-Related"]) == ("CAP", True)
    assert code(["EO13645", "FSE-IR"]) == ("FSE", True)
    assert code(["IRAN"]) == ("13599", True)
    assert code(["SOMETHING-NEW"]) == ("NON-SDN", False)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("10 Dec 1948", "1948-12-10"),
        ("Dec 1948", "1948-12"),
        ("1962", "1962"),
        ("circa 1951", "circa 1951"),
        ("1960 to 1962", "1960 to 1962"),
        ("01 Jan 1960 to 31 Dec 1962", "1960-01-01 to 1962-12-31"),
        ("circa 1960-1962", "circa 1960 to 1962"),
        ("31 Feb 1960", None),
        ("sometime", None),
    ],
)
def test_ofac_dates(text: str, expected: str | None) -> None:
    assert _ofac.ofac_date(text) == expected


# --- the real files -------------------------------------------------------------------


@needs_data
def test_watchman_bench_2021_every_companion_row_attached() -> None:
    folder = DATA / "watchman-bench-2021"
    snap = lists.load(folder / "sdn.csv")
    check_invariants(snap)
    assert snap.format == "ofac-csv" and len(snap.listings) == 8976 and snap.records == 8976
    assert snap.count_by_list() == {"SDN": 8976}
    adds, alts = _rows(folder / "add.csv"), _rows(folder / "alt.csv")
    assert (len(adds), len(alts)) == (13837, 11910)
    by_id = {x.id: x for x in snap.listings}
    assert sum(len(x.entity.addresses) for x in snap.listings) == 13837
    assert sum(len(x.entity.aliases) for x in snap.listings) == 11910
    for ent, count in Counter(r[0] for r in adds).items():
        assert len(by_id[f"us-sdn-{ent}"].entity.addresses) == count
    for ent, count in Counter(r[0] for r in alts).items():
        assert len(by_id[f"us-sdn-{ent}"].entity.aliases) == count
    # only three non-fatal problems: "nationality possibly Palestinian" in remarks
    assert len(snap.problems) == 3 and not any(p.fatal for p in snap.problems)
    assert {p.field for p in snap.problems} == {"Remarks"}
    bnc = by_id["us-sdn-306"].entity
    assert bnc.aliases == ("NATIONAL BANK OF CUBA",) and bnc.weak_aliases == ("BNC",)
    assert [a.country.code for a in bnc.addresses if a.country] == ["CH", "ES", "JP", "PA"]
    # sdn_comments.csv continues the cut remarks
    long = by_id["us-sdn-12300"].remarks or ""
    assert "Linked To: PROMO RAIZ S.A.S.; Linked To:" in long and long.endswith("R D I S.A.")
    zubaydah = by_id["us-sdn-6905"].entity
    assert zubaydah.birth_date == "1971-03-12"
    assert [n.code for n in zubaydah.nationalities] == ["PS"]
    assert [(i.scheme, i.value, i.country.code if i.country else None)
            for i in zubaydah.identifiers] == [("passport", "484824", "EG")]  # fmt: skip
    kinds = Counter(x.entity.kind.value for x in snap.listings)
    assert kinds == {"person": 4620, "organization": 3673, "vessel": 406, "aircraft": 277}
    imo = [i for x in snap.listings for i in x.entity.identifiers if i.scheme == "imo"]
    assert len(imo) == 410 and all(i.value.isdigit() for i in imo)


@needs_data
def test_watchman_2019() -> None:
    snap = lists.load(DATA / "watchman-2019" / "sdn.csv")
    check_invariants(snap)
    assert len(snap.listings) == 7379 and snap.count_by_list() == {"SDN": 7379}
    assert sum(len(x.entity.addresses) for x in snap.listings) == 11696
    assert sum(len(x.entity.aliases) for x in snap.listings) == 9682
    assert not any(p.fatal for p in snap.problems)


@needs_data
def test_gitscrape_without_companions() -> None:
    snap = lists.load(DATA / "sdn-gitscrape" / "2021-08-18" / "sdn.csv")
    check_invariants(snap)
    assert len(snap.listings) == 9083 and snap.records == 9083
    assert sum(len(x.entity.addresses) + len(x.entity.aliases) for x in snap.listings) == 0
    assert sum(len(x.entity.weak_aliases) for x in snap.listings) > 2000  # from the remarks


@needs_data
def test_gitscrape_one_day_diff() -> None:
    old = lists.load(DATA / "sdn-gitscrape" / "2024-05-02" / "sdn.csv")
    new = lists.load(DATA / "sdn-gitscrape" / "2024-05-03" / "sdn.csv")
    assert (len(old.listings), len(new.listings)) == (14973, 14965)
    change = lists.diff(old, new)
    assert (len(change.added), len(change.removed), len(change.amended)) == (0, 8, 0)
    assert sorted(int(x.id.removeprefix("us-sdn-")) for x in change.removed) == [
        38556, 38557, 38558, 38559, 38560, 38563, 38565, 38566,
    ]  # fmt: skip


@needs_data
def test_non_sdn_consolidated_csv() -> None:
    snap = lists.load(DATA / "watchman-nonsdn-2025" / "cons_prim.csv")
    check_invariants(snap)
    assert len(snap.listings) == 442 and snap.problems == ()
    assert snap.count_by_list() == {"SSI": 286, "PLC": 78, "CMIC": 68, "NS-MBS": 9, "CAP": 1}
    assert sum(len(x.entity.addresses) for x in snap.listings) == 574
    assert sum(len(x.entity.aliases) for x in snap.listings) == 1073
    by_id = {x.id: x for x in snap.listings}
    huawei = by_id["us-ofac-30947"]
    assert huawei.list_code == "CMIC" and huawei.entity.name == "HUAWEI TECHNOLOGIES CO., LTD."
    assert huawei.programs == ("CMIC-EO13959",)
    haniya = by_id["us-ofac-9639"].entity
    assert haniya.birth_date == "1962" and haniya.kind.value == "person"
    assert by_id["us-ofac-9647"].programs == ("SDGT", "NS-PLC")
    assert by_id["us-ofac-9647"].list_code == "PLC"


# --- fuzz -----------------------------------------------------------------------------


@st.composite
def _mutated(draw: st.DrawFn) -> bytes:
    data = bytearray(SDN_ROW.encode("utf-8"))
    for _ in range(draw(st.integers(0, 6))):
        if not data:
            break
        pos = draw(st.integers(0, len(data) - 1))
        data[pos] = draw(st.integers(0, 255))
    if draw(st.booleans()):
        data = data[: draw(st.integers(0, len(data)))]
    if draw(st.booleans()):
        text = bytes(data).decode("utf-8", "replace")
        encoding = draw(st.sampled_from(["utf-16", "latin-1", "cp1252"]))
        data = bytearray(text.encode(encoding, "replace"))
    if draw(st.booleans()):  # drop a column from every line
        col = draw(st.integers(0, 11))
        lines = bytes(data).split(b"\n")
        data = bytearray(
            b"\n".join(
                b",".join(line.split(b",")[:col] + line.split(b",")[col + 1 :]) for line in lines
            )
        )
    return bytes(data)


@settings(max_examples=150, deadline=None)
@given(_mutated())
def test_fuzz_only_library_errors(data: bytes) -> None:
    load_bytes(data, "sdn.csv", {"add.csv": ADD.encode(), "alt.csv": ALT.encode()})
    load_bytes(data, "sdn.csv", format="ofac-csv")


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet=',"ab -0\r\x00\u00e9'), max_size=8))
def test_reused_line_reader_parses_like_a_reader_per_line(lines: list[str]) -> None:
    """The loader's one reusable csv reader gives, line by line, what a fresh reader gives."""
    reused = ofac_csv._LineCells()
    assert [reused(line) for line in lines] == [ofac_csv._cells(line) for line in lines]


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(_ofac._ID_TYPES),
    st.sampled_from(["", " ", "  ", "X", " A123", " # 77 (Iran)", ".", "s 9"]),
    st.sampled_from(["", "alt ", "x", "Passport", " "]),
)
def test_identifier_type_lookup_matches_the_alternation(name: str, tail: str, lead: str) -> None:
    """The first-word lookup of identifier types picks what the regex alternation picks."""
    segment = lead + name + tail
    found = _ofac._id_type_re().match(segment)
    assert _ofac._id_type(segment) == (found.group(1) if found else None)


@pytest.mark.parametrize(
    ("data", "problems"),
    [
        pytest.param(SDN_ROW, [], id="end_of_file_line"),
        pytest.param(SDN_ROW.replace("\r\n\x1a", "\x1a"), [], id="end_of_file_after_last_row"),
        pytest.param(SDN_ROW.replace("AEROCARIBBEAN", "AERO\x1aCARIBBEAN"), ["SDN_Name"],
                     id="inside_a_name"),
    ],
)  # fmt: skip
def test_the_end_of_file_byte_only_ends_a_line(data: str, problems: list[str]) -> None:
    """``0x1A`` at the end of a line is OFAC's end-of-file byte; inside a value it is cleaned.

    Cleaning it (to a space) is a non-fatal problem naming the field, as for any other
    control character: the value is kept, not silently changed.
    """
    snap = load_bytes(data.encode(), "sdn.csv")
    assert snap is not None
    assert [x.id for x in snap.listings] == ["us-sdn-36", "us-sdn-6944", "us-sdn-4238"]
    assert [(p.field, p.reason, p.fatal) for p in snap.problems] == [
        (field, CONTROLS_REMOVED, False) for field in problems
    ]
    assert snap.records == 3
    if problems:
        assert snap.listings[0].entity.name == "AERO CARIBBEAN AIRLINES"
