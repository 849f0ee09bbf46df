"""The CSL CSV loader's fast row path builds what its general path builds.

``csl_csv._fast_mapper`` maps a row by column index with the checks done once per row, and
leaves to the general path (``csl_csv._general``: a dict per row, the validated or trusted
constructors) every row it does not take. For every row of the real CSL files and for
generated rows mixing the values that change the result (non-ASCII and padded text, dates
that read and do not, nationalities that are codes and are not, over-long and empty cells,
repeated ids), whatever the fast path returns equals the general path's records: the same
problems and an equal listing with the same canonical JSON.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import SHARED
from tests.ofac_support import needs_data  # under CI=true, missing data is a failure
from tradecontrol.errors import TradeControlError
from tradecontrol.listings import Listing
from tradecontrol.lists import csl_csv

FILES = [
    "csl/watchman-2019-sample/csl.csv",
    "csl/watchman-2022/consolidated.csv.gz",
    "csl/watchman-2023-sample/csl.csv",
]


def both(header: list[str], cells: list[str], seen: dict[str, int]) -> Any:
    """``(fast records or None, general records)`` for one row, from the same ``seen``."""
    fast = csl_csv._fast_mapper(header, "f.csv")
    try:
        done = fast(cells, 7, dict(seen))
    except Exception as exc:  # the loader turns a TradeControlError into None
        done = exc
    general = csl_csv._general(header, cells, 7, "f.csv", dict(seen))
    return done, general


def check(header: list[str], cells: list[str], seen: dict[str, int]) -> bool:
    """Assert the paths agree; True when the fast path took the row."""
    done, general = both(header, cells, seen)
    if done is None:
        return False
    if isinstance(done, Exception):
        assert isinstance(done, TradeControlError)  # left to the general path by read()
        return False
    listing, problems = done
    assert [*problems, listing] == general
    assert isinstance(general[-1], Listing)
    assert listing.to_dict() == general[-1].to_dict()
    return True


@needs_data
@pytest.mark.parametrize("rel", FILES)
def test_fast_rows_match_the_general_path_on_real_files(rel: str) -> None:
    path = SHARED / "data" / rel
    stream = csl_csv._open_binary(path)
    try:
        reader = csv.reader(csl_csv._decoded(stream))
        header = [h.strip() for h in next(reader)]
        seen: dict[str, int] = {}
        fast = taken = 0
        for cells in reader:
            if len(cells) != len(header) or cells == header:
                continue
            taken += 1
            fast += check(header, cells, seen)
            csl_csv._general(header, cells, 7, "f.csv", seen)  # advance ``seen`` as read() does
    finally:
        stream.close()
    assert taken
    assert fast / taken > 0.95  # the fast path is the one most rows take


BASE = {
    "_id": "abc123",
    "source": "Entity List (EL) - Bureau of Industry and Security",
    "entity_number": "",
    "type": "",
    "programs": "",
    "name": "ACME Trading Co., Ltd.",
    "title": "",
    "addresses": "1 Main St, Shenzhen, CN",
    "federal_register_notice": "84 FR 22961",
    "start_date": "2019-05-16",
    "end_date": "",
    "standard_order": "",
    "license_requirement": "For all items subject to the EAR.",
    "license_policy": "Presumption of denial.",
    "call_sign": "",
    "vessel_type": "",
    "gross_tonnage": "",
    "gross_registered_tonnage": "",
    "vessel_flag": "",
    "vessel_owner": "",
    "remarks": "",
    "source_list_url": "https://example.org/el",
    "alt_names": "",
    "citizenships": "",
    "dates_of_birth": "",
    "nationalities": "",
    "places_of_birth": "",
    "source_information_url": "https://example.org/info",
    "ids": "",
}

VALUES = st.sampled_from(
    [
        "",
        " ",
        "ACME",
        " padded ",
        "two  spaces",
        "Co\u201dperatief",
        "Xi\x92an",
        "bidi\u202eevil",
        "line\nbreak",
        "NUL\x00inside",  # characters clean() removes: the general path records a problem
        "https://example.org/\x07bell",
        "Xi\x81an",
        "a;b;;c",
        "A; A; B",
        "CN",
        "cn",
        "XX",
        "Iran",
        "RU; Russia",
        "1962",
        "circa 1962",
        "15 Jan 1962",
        "1962-13",
        "1962-01-15",
        "1962-02-30",
        "0000-01-01",
        "\u0661\u0669\u0666\u0662",
        "1962-01-15; 1963; 15 Jan 1962",
        "1960 to 1962",
        "Jan 1962; not a date",
        "Passport, A123",
        "CN, 2010-01-01, 91440300, Registration Number",
        "IMO 9187629, Vessel Registration Identification",
        ", ",
        ",",
        "Street 1, Tehran, IR; Moscow, RU",
        "individual",
        "Individual",
        "entity",
        "vessel",
        "robot",
        "SDGT; IRGC",
        "Specially Designated Nationals (SDN) - Treasury Department",
        "Unknown list - Nobody",
        "...",
        "\u2026",
        "x" * 4097,
        "y" * 2100,
        "https://example.org/x ",
    ]
)


@settings(max_examples=400, deadline=None)
@given(
    changes=st.dictionaries(st.sampled_from(list(BASE)), VALUES, max_size=8),
    old_layout=st.booleans(),
    repeat=st.booleans(),
)
def test_fast_rows_match_the_general_path_on_generated_rows(
    changes: dict[str, str], old_layout: bool, repeat: bool
) -> None:
    row = {**BASE, **changes}
    header = list(csl_csv.OLD_COLUMNS if old_layout else csl_csv.COLUMNS)
    cells = [row[column] for column in header]
    seen: dict[str, int] = {}
    if repeat:
        csl_csv._general(header, cells, 6, "f.csv", seen)
    check(header, cells, seen)


def test_generated_rows_reach_the_fast_path() -> None:
    header = list(csl_csv.COLUMNS)
    assert check(header, [BASE[c] for c in header], {})
    person = {**BASE, "type": "Individual", "dates_of_birth": "1962; bad", "nationalities": "XX"}
    assert check(header, [person[c] for c in header], {})


def test_paths_are_exercised_on_a_small_file(tmp_path: Path) -> None:
    from tradecontrol import lists

    header = list(csl_csv.COLUMNS)
    lines = [",".join(header)]
    for row in (BASE, {**BASE, "name": "Co\u201dperatief"}, BASE, {**BASE, "name": "..."}):
        lines.append(",".join(f'"{row[c]}"' for c in header))
    path = tmp_path / "csl.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    snap = lists.load(path)
    ids = ["csl-el-abc123", "csl-el-abc123~2", "csl-el-abc123~3"]
    assert [x.id for x in snap.listings] == ids
    assert snap.listings[1].entity.name == "Co\u201dperatief"
    assert snap.records == 4 and [(p.record, p.fatal) for p in snap.problems] == [(5, True)]


PART = st.lists(
    st.sampled_from(
        [
            "",
            " ",
            "CN",
            "cn",
            "XX",
            "1 Main St",
            " Shenzhen ",
            "IMO 9187629",
            "Vessel Registration Identification",
            "Passport",
            "Tax ID No.",
            "Co\u201dperatief",
            "bidi\u202eevil",
            "2010-01-01",
        ]
    ),
    min_size=1,
    max_size=4,
).map(",".join)


def outcome(build: Any, text: str) -> Any:
    try:
        return "ok", build(text)
    except TradeControlError as exc:
        return "error", (type(exc), exc.message, exc.path)


@settings(max_examples=300, deadline=None)
@given(text=PART)
def test_address_and_identifier_cells_read_as_the_keyword_path(text: str) -> None:
    from tradecontrol.lists import _trusted

    def by_keywords_address(t: str) -> Any:
        return _trusted.address(**csl_csv._address(t))

    def by_keywords_identifier(t: str) -> Any:
        return _trusted.identifier(**csl_csv._identifier(t))

    address = csl_csv._address_of.__wrapped__
    identifier = csl_csv._identifier_of.__wrapped__
    assert outcome(address, text) == outcome(by_keywords_address, text)
    assert outcome(identifier, text) == outcome(by_keywords_identifier, text)


# --- Adversarial files: each named case loaded with and without the fast row path --------
#
# Whole files, so the ``seen`` ids the two paths share, the CSV reader's quoting and line
# handling and the order of records all take part. The careful path is the loader with
# ``_fast_mapper`` leaving every row to ``_general`` (the path before the speed change).


def _row(**changes: str) -> list[str]:
    row = {**BASE, **changes}
    return [row[column] for column in csl_csv.COLUMNS]


def _sized(total: int, column: str) -> list[str]:
    """The base row with ``column`` padded so that the row's cells hold ``total`` characters."""
    room = total - len("".join(_row(**{column: ""})))
    return _row(**{column: "R" * room})


def _spread(count: int) -> str:
    """``count`` distinct short values separated by ``;`` (hexadecimal numbers)."""
    return ";".join(f"{i:x}" for i in range(count))


CSL_FILES: dict[str, list[list[str]]] = {
    "ascii_row_at_the_text_limit": [_sized(4096, "remarks")],
    "ascii_row_one_over_the_text_limit": [_sized(4097, "remarks")],
    "ascii_row_at_1998_characters": [_sized(1998, "title")],
    "ascii_name_over_the_text_limit": [_row(name="N" * 4097)],
    "ascii_remarks_over_the_limit_with_labels": [
        _row(title="T" * 1300, remarks="R" * 1300, vessel_type="V" * 1300)
    ],
    "thousand_and_one_distinct_aliases": [_row(alt_names=_spread(1001))],
    "thousand_aliases": [_row(alt_names=_spread(1000))],
    "thousand_and_one_programs": [_row(programs=_spread(1001))],
    "thousand_and_one_addresses": [_row(addresses=_spread(1001))],
    "thousand_ids_and_a_call_sign": [_row(ids=_spread(1000), call_sign="CALL1")],
    "id_with_leading_space": [_row(_id=" abc"), _row(_id="abc")],
    "id_with_trailing_space": [_row(_id="abc"), _row(_id="abc ")],
    "id_of_spaces": [_row(_id="   ")],
    "id_repeated_three_times": [_row(), _row(), _row()],
    "id_that_is_a_repeat_suffix": [_row(), _row(), _row(_id="abc123~2")],
    "no_id_entity_number": [_row(_id="", entity_number="123"), _row(_id="", entity_number="123")],
    "no_id_hashed": [_row(_id=""), _row(_id="")],
    "quotes_in_cells": [_row(name='ACME "Red" Co', alt_names='"X"; Y')],
    "embedded_line_break_in_name": [_row(name="ACME\nTrading")],
    "embedded_crlf_in_remarks": [_row(remarks="one\r\ntwo")],
    "tab_in_alias": [_row(alt_names="A\tB")],
    "bell_in_alias": [_row(alt_names="A\x07B")],
    "delete_in_name": [_row(name="ACME\x7f")],
    "nul_in_title": [_row(title="a\x00b")],
    "bidi_override_in_remarks": [_row(remarks="x\u202ey")],
    "zero_width_alias": [_row(alt_names="\u200b; A")],
    "cyrillic_name": [_row(name="Иван Петров")],
    "name_only_punctuation": [_row(name="...")],
    "name_only_ellipsis_character": [_row(name="\u2026")],
    "name_empty": [_row(name="  ")],
    "mojibake_name": [_row(name="Co\u201dperatief")],
    "windows_1252_byte_in_name": [_row(name="Xi\x92an")],
    "non_breaking_spaces": [_row(name="ACME\u00a0Co", federal_register_notice="84 FR 22961\u00a0")],
    "person_with_facts": [
        _row(type="Individual", dates_of_birth="1962; bad", nationalities="XX; CN; cn")
    ],
    "organisation_with_birth_date": [_row(dates_of_birth="1962", citizenships="RU")],
    "unknown_source": [_row(source="Unknown list - Nobody")],
    "padded_source": [_row(source=" " + BASE["source"] + " ")],
    "unknown_type": [_row(type="robot")],
    "bad_start_date": [_row(start_date="2019-02-30")],
    "address_country_lower_case": [_row(addresses="1 Main St, cn; Moscow, RU; , DE")],
    "identifier_variants": [_row(ids="IMO 9187629, IMO; CN, x, Tax ID No.; , ; Passport")],
    "extra_column": [[*_row(), "extra"]],
    "missing_column": [_row()[:-1]],
    "header_repeated": [list(csl_csv.COLUMNS), _row()],
}


def _records_of(path: Path) -> tuple[list[Any], list[Any]]:
    from tradecontrol import lists

    snap = lists.load(path, format="csl-csv")
    return [x.to_dict() for x in snap.listings], list(snap.problems)


@pytest.mark.parametrize("name", sorted(CSL_FILES))
def test_adversarial_files_load_as_the_general_path_loads_them(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "csl.csv"
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(csl_csv.COLUMNS)
        writer.writerows(CSL_FILES[name])
    fast = _records_of(path)
    with monkeypatch.context() as patch:
        patch.setattr(csl_csv, "_fast_mapper", lambda header, source: lambda *row: None)
        careful = _records_of(path)
    assert fast == careful


def test_adversarial_files_reach_the_fast_path() -> None:
    """The base row of the cases is one the fast path takes (so the cases are near it)."""
    assert check(list(csl_csv.COLUMNS), _row(), {})
    assert check(list(csl_csv.COLUMNS), _sized(4096, "remarks"), {})


def _births_reference(cell: str) -> tuple[tuple[str, ...], tuple[str, ...], bool]:
    """``csl_csv._births_of`` as it was: every part read by ``partial_date``, then checked."""
    from tradecontrol.lists import _trusted
    from tradecontrol.lists._text import partial_date

    births: list[str] = []
    unread: list[str] = []
    for text in csl_csv._split(cell):
        date = partial_date(text)
        (unread if date is None else births).append(text if date is None else date)
    return tuple(births), tuple(unread), _trusted._dates_ok(births)


BIRTH_PARTS = st.lists(
    st.sampled_from(
        ["1962", "1962-01-15", "1962-02-30", "2000-02-29", "1900-02-29", "0000-01-01",
         "0001-01-01", "9999-12-31", "1962-13-01", "1962-00-10", "\u0661\u0669\u0666\u0662",
         "\u0661\u0669\u0666\u0662-01-15", "1962-01", "15 Jan 1962", "circa 1962",
         "1960 to 1962", "not a date", " 1962 ", "19620", "196", "1962-1-15", "1962/01/15",
         "01/15/1962", ""]
    ),
    max_size=5,
).map(";".join)  # fmt: skip


@settings(max_examples=500, deadline=None)
@given(cell=BIRTH_PARTS)
def test_birth_date_cells_read_as_every_part_by_partial_date(cell: str) -> None:
    assert csl_csv._births_of.__wrapped__(cell) == _births_reference(cell)


def test_birth_date_cells_with_more_dates_than_a_list_holds() -> None:
    from tradecontrol import _validators as v

    cell = ";".join(["1962"] * (v.MAX_LIST + 1))
    assert csl_csv._births_of.__wrapped__(cell) == _births_reference(cell)
    assert csl_csv._births_of.__wrapped__(cell)[2] is False
