"""QA defects of the list loaders (issue 3): BOMs, removed control characters, citations.

* An OFAC legacy CSV file (``sdn.csv`` or ``cons_prim.csv`` and each companion) may open
  with a UTF-8 byte-order mark: it is skipped, as every other format skips it.
* A character ``_text.clean`` removes (NUL, BEL, ESC, DEL, C1 bytes Windows-1252 leaves
  undefined) is never removed silently: each record and field that loses one gets a
  non-fatal problem naming the field, and the listing is kept; the fast row paths leave
  such rows to the general path, so both give the same records.

Fixtures are small files written here in the official formats.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests._intl_lists import DATA, needs_shared
from tradecontrol import lists
from tradecontrol.lists import csl_csv, ofac_csv
from tradecontrol.lists._text import CONTROLS_REMOVED, controls_removed
from tradecontrol.lists.csl_json import dpl_citations

BOM = b"\xef\xbb\xbf"

# -- OFAC legacy CSV: a byte-order mark before any file ---------------------------------

SETS = {
    "sdn": ("sdn.csv", "add.csv", "alt.csv", "sdn_comments.csv", "SDGT", "SDN"),
    "cons": ("cons_prim.csv", "cons_add.csv", "cons_alt.csv", "cons_comments.csv", "NS-PLC", "PLC"),
}


def _ofac_files(kind: str) -> dict[str, bytes]:
    """Entry 36 with an address, an alias and a remarks overflow; entry 37 alone (CRLF)."""
    primary, add, alt, comments, program, _ = SETS[kind]
    return {
        primary: (
            f'36,"AEROCARIBBEAN AIRLINES",-0- ,"{program}",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,'
            '"Cuban airline."\r\n'
            f'37,"ALFA TRADING",-0- ,"{program}",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n'
        ).encode()
        + b"\x1a",
        add: b'36,25,-0- ,"Havana",-0- ,-0- \r\n',
        alt: b'36,12,"aka","AERO-CARIBBEAN",-0- \r\n',
        comments: b'36,"Founded 1982."\r\n',
    }


def _write(folder: Path, files: dict[str, bytes]) -> None:
    for name, data in files.items():
        (folder / name).write_bytes(data)


def _load(path: Path, *, fast: bool = True) -> tuple[list[dict[str, Any]], list[Any]]:
    """Listings (as dicts) and problems of a file, optionally with the fast paths off."""
    with pytest.MonkeyPatch.context() as patch:
        if not fast:
            patch.setattr(ofac_csv, "_fast", lambda *entry, **options: None)
            patch.setattr(csl_csv, "_fast_mapper", lambda *a: lambda *row: None)
        snap = lists.load(path)
    return [x.to_dict() for x in snap.listings], list(snap.problems)


BOM_CASES = [
    (kind, with_bom)
    for kind in SETS
    for with_bom in [*([name] for name in SETS[kind][:4]), list(SETS[kind][:4])]
]


@pytest.mark.parametrize(
    ("kind", "with_bom"), BOM_CASES, ids=[f"{k}-{'+'.join(b)}" for k, b in BOM_CASES]
)
def test_ofac_csv_bom_is_skipped_in_every_file(
    kind: str, with_bom: list[str], tmp_path: Path
) -> None:
    plain, marked = tmp_path / "plain", tmp_path / "marked"
    plain.mkdir()
    marked.mkdir()
    files = _ofac_files(kind)
    _write(plain, files)
    _write(marked, {name: BOM + data if name in with_bom else data for name, data in files.items()})
    primary = SETS[kind][0]
    listings, problems = _load(marked / primary)
    assert problems == []
    assert listings == _load(plain / primary)[0]
    first = listings[0]
    assert first["id"].endswith("-36")
    assert first["list_code"] == SETS[kind][5]
    assert first["entity"]["aliases"] == ["AERO-CARIBBEAN"]
    assert first["entity"]["addresses"] == [{"city": "Havana"}]
    assert first["remarks"] == "Cuban airline.Founded 1982."  # (overflow appended as written)
    assert (listings, problems) == _load(marked / primary, fast=False)


def test_ofac_csv_bom_before_a_windows_1252_first_line(tmp_path: Path) -> None:
    files = _ofac_files("sdn")
    files["sdn.csv"] = BOM + files["sdn.csv"].replace(b"AEROCARIBBEAN", b"A\xc9ROCARIBBEAN")
    _write(tmp_path, files)
    listings, problems = _load(tmp_path / "sdn.csv")
    assert problems == []
    assert listings[0]["entity"]["name"] == "AÉROCARIBBEAN AIRLINES"


def test_bom_only_on_the_first_line() -> None:
    """A BOM on a later line is no byte-order mark: that row's ent_num is refused."""
    assert ofac_csv._without_bom("\ufeff36,x") == "36,x"
    assert ofac_csv._without_bom("\u00ef\u00bb\u00bf36,x") == "36,x"
    assert ofac_csv._without_bom("36,\ufeffx") == "36,\ufeffx"


# -- control characters: one non-fatal problem per record and field ---------------------

Files = dict[str, bytes]


def _ofac_with(cell: str, value: str) -> Files:
    """The SDN set with one cell (``<file>:<column index>``) holding ``value``."""
    files = {
        "sdn.csv": b'36,"ACME",-0- ,"CUB",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \n',
        "add.csv": b'36,1,"1 Main St","Havana","Cuba",-0- \n',
        "alt.csv": b'36,2,"aka","ACME CO",-0- \n',
        "sdn_comments.csv": b'36,"Note."\n',
    }
    name, index = cell.split(":")
    line = files[name].decode().rstrip("\n")
    cells = line.split(",")
    cells[int(index)] = '"' + value + '"'
    files[name] = (",".join(cells) + "\n").encode()
    return files


CSL_ROW = {
    **{column: "" for column in csl_csv.COLUMNS},
    "_id": "abc123",
    "source": "Entity List (EL) - Bureau of Industry and Security",
    "name": "ACME TRADING",
    "addresses": "1 Main St, Beijing, CN",
    "programs": "EAR",
    "source_list_url": "https://example.org/el",
    "source_information_url": "https://example.org/info",
}


def _csl_with(**cells: str) -> Files:
    row = {**CSL_ROW, **cells}
    quoted = ",".join('"' + row[c].replace('"', '""') + '"' for c in csl_csv.COLUMNS)
    return {"csl.csv": (",".join(csl_csv.COLUMNS) + "\r\n" + quoted + "\r\n").encode()}


def _csl_json_with(**fields: Any) -> Files:
    item = {
        "source": "Unverified List (UVL) - Bureau of Industry and Security",
        "name": "ACME TRADING",
        "addresses": [{"address": "1 Main St", "city": "Moscow", "country": "RU"}],
        "alt_names": ["ACME"],
        "source_list_url": "https://example.org/uvl",
        **fields,
    }
    return {"uvl.json": json.dumps([item]).encode()}


def _ftm_with(**props: list[str]) -> Files:
    line = {
        "id": "NK-1",
        "caption": "ACME",
        "schema": "Organization",
        "properties": {"name": ["ACME"], "country": ["ru"], "topics": ["sanction"], **props},
        "datasets": ["us_ofac_sdn"],
        "target": True,
    }
    return {"e.ftm.json": (json.dumps(line) + "\n").encode()}


def _dpl_with(name: str) -> Files:
    header = "Name\tStreet_Address\tCity\tState\tCountry\tPostal_Code\tEffective_Date\t"
    header += "Expiration_Date\tStandard_Order\tLast_Update\tAction\tFR_Citation"
    row = f"{name}\t1 Main St\tTehran\t\tIR\t\t06/05/2019\t\tY\t2019-06-12\t\t84 F.R. 27233"
    return {"dpl.txt": f"{header}\n{row}\n".encode()}


SDN_XML = """<?xml version="1.0" standalone="yes"?>
<sdnList xmlns="http://tempuri.org/sdnList.xsd">
  <sdnEntry><uid>306</uid><lastName>BANCO NACIONAL DE CUBA</lastName><sdnType>Entity</sdnType>
    <programList><program>CUBA</program></programList>
    <akaList><aka><uid>219</uid><type>a.k.a.</type><category>strong</category>
      <lastName>{alias}</lastName></aka></akaList>
  </sdnEntry>
</sdnList>
"""


def _sdn_xml(alias: str) -> Files:
    return {"sdn.xml": SDN_XML.format(alias=alias).encode()}


CONTROL_CASES: list[tuple[str, Files, list[tuple[int, str]], Callable[[Any], object], object]] = [
    # (case, files (first is loaded), problems (record, field), value read, expected)
    (
        "ofac-nul-in-program",
        _ofac_with("sdn.csv:3", "CUB\x00A"),
        [(1, "Program")],
        lambda x: x.programs,
        ("CUB A",),
    ),
    (
        "ofac-bel-in-name-twice",
        _ofac_with("sdn.csv:1", "AC\x07M\x07E"),
        [(1, "SDN_Name")],
        lambda x: x.entity.name,
        "AC M E",
    ),
    (
        "ofac-esc-in-add-address",
        _ofac_with("add.csv:2", "1 Main\x1b St"),
        [(1, "add.csv:1:Address")],
        lambda x: x.entity.addresses[0].street,
        "1 Main St",
    ),
    (
        "ofac-del-in-alt-name",
        _ofac_with("alt.csv:3", "ACME\x7f CO"),
        [(1, "alt.csv:1:alt_name")],
        lambda x: x.entity.aliases,
        ("ACME CO",),
    ),
    (
        "ofac-backspace-in-comments",
        _ofac_with("sdn_comments.csv:1", "No\x08te."),
        [(1, "sdn_comments.csv:1:Remarks")],
        lambda x: x.remarks,
        "No te.",
    ),
    (
        "ofac-undefined-c1-byte-in-name",
        _ofac_with("sdn.csv:1", "XI\x81AN"),
        [(1, "SDN_Name")],
        lambda x: x.entity.name,
        "XI AN",
    ),
    (
        "ofac-tab-and-repaired-c1-no-problem",
        _ofac_with("sdn.csv:1", "XI\x92AN\tCO"),
        [],
        lambda x: x.entity.name,
        "XI\u2019AN CO",
    ),
    (
        "csl-csv-nul-in-url",
        _csl_with(source_list_url="https://example.org/\x00el"),
        [(2, "source_list_url")],
        lambda x: x.source_url,
        "https://example.org/el",
    ),
    (
        "csl-csv-nul-in-unused-info-url",
        _csl_with(source_information_url="https://example.org/\x00info"),
        [(2, "source_information_url")],
        lambda x: x.source_url,
        "https://example.org/el",
    ),
    (
        "csl-csv-bel-in-name-and-programs",
        _csl_with(name="ACME\x07 TRADING", programs="EAR\x07"),
        [(2, "programs"), (2, "name")],
        lambda x: (x.entity.name, x.programs),
        ("ACME TRADING", ("EAR",)),
    ),
    (
        "csl-json-nul-in-name-and-alias",
        _csl_json_with(name="ACME\u0000 TRADING", alt_names=["A\u0007B"]),
        [(1, "[0].name"), (1, "[0].alt_names[0]")],
        lambda x: (x.entity.name, x.entity.aliases),
        ("ACME TRADING", ("A B",)),
    ),
    (
        "csl-json-nul-in-url",
        _csl_json_with(source_list_url="https://example.org/\u0000uvl"),
        [(1, "[0].source_list_url")],
        lambda x: x.source_url,
        "https://example.org/uvl",
    ),
    (
        "ftm-esc-in-notes",
        _ftm_with(notes=["Minsk\u001b zone"]),
        [(1, "properties.notes")],
        lambda x: x.remarks.endswith("Minsk zone"),
        True,
    ),
    (
        "ofac-xml-undefined-c1-reference",
        _sdn_xml("B&#x81;NC"),
        [(1, "akaList/aka/lastName")],
        lambda x: x.entity.aliases,
        ("B NC",),
    ),
    (
        "ofac-xml-windows-1252-reference-no-problem",
        _sdn_xml("B&#x92;NC"),
        [],
        lambda x: x.entity.aliases,
        ("B\u2019NC",),
    ),
    (
        "dpl-bel-in-name",
        _dpl_with("JOHN\x07 EXAMPLE"),
        [(2, "Name")],
        lambda x: x.entity.name,
        "JOHN EXAMPLE",
    ),
]


@pytest.mark.parametrize(
    ("files", "problems", "read", "want"),
    [case[1:] for case in CONTROL_CASES],
    ids=[case[0] for case in CONTROL_CASES],
)
def test_removed_control_characters_are_non_fatal_problems(
    files: Files,
    problems: list[tuple[int, str]],
    read: Callable[[Any], object],
    want: object,
    tmp_path: Path,
) -> None:
    _write(tmp_path, files)
    path = tmp_path / next(iter(files))
    snap = lists.load(path)
    assert len(snap.listings) == 1  # the record is kept
    found = [(p.record, p.field) for p in snap.problems if p.reason == CONTROLS_REMOVED]
    assert sorted(found) == sorted(problems)
    assert all(not p.fatal for p in snap.problems)
    assert read(snap.listings[0]) == want
    assert _load(path) == _load(path, fast=False)  # the fast paths leave such rows alone


@pytest.mark.parametrize(
    ("text", "removed"),
    [
        ("CUB\x00A", True),
        ("bell\x07", True),
        ("esc\x1b[31m", True),
        ("del\x7f", True),
        ("Xi\x81an", True),  # (undefined in Windows-1252: clean() puts a space)
        ("sur\ud800rogate", True),
        ("tab\tand\r\nbreaks", False),  # white space: squashed, not removed
        ("unit\x1fseparator", False),  # (str.isspace: squashed)
        ("Xi\x92an", False),  # a Windows-1252 byte: repaired
        ("Co\u201dperatief", False),
        ("", False),
    ],
)
def test_controls_removed_is_what_clean_removes(text: str, removed: bool) -> None:
    assert controls_removed(text) is removed


def test_xml_c0_control_reference_is_refused_not_removed(tmp_path: Path) -> None:
    """XML 1.0 allows no C0 control character, even as a reference: a fatal problem."""
    _write(tmp_path, _sdn_xml("B&#x7;NC"))
    snap = lists.load(tmp_path / "sdn.xml")
    assert snap.listings == ()
    assert [p.fatal for p in snap.problems] == [True]
    assert "not well-formed XML" in snap.problems[0].reason


# -- Denied Persons List citations, in the DPL file and in the CSL -----------------------

_HEAD = re.compile(r"(?<![A-Za-z0-9])F\.?\s?R(?![A-Za-z])", re.IGNORECASE)
DPL_FILES = [
    "bis/watchman/dpl.txt",
    "bis/ita-webservices/dpl.txt",
    "csl/watchman-2022/consolidated.csv.gz",
    "csl/watchman-2023-sample/csl.csv",
    "csl/watchman-2019-sample/csl.csv",
    "csl/ita-webservices-json/dpl/expected_results.json",
]


@needs_shared
@pytest.mark.parametrize("rel", DPL_FILES)
def test_every_real_dpl_row_has_one_notice_per_citation(rel: str) -> None:
    """Every DPL citation of every real file holds one Federal Register head, ``NN FR NNN``."""
    snap = lists.load(DATA / rel)
    rows = [x for x in snap.listings if x.list_code == "DPL"]
    assert rows
    for listing in rows:
        for citation in listing.versions[0].citations:
            assert len(_HEAD.findall(citation)) <= 1, (listing.entity.name, citation)
            if _HEAD.search(citation) and "NOTICE TO BE PUBLISHED" not in citation:
                assert re.match(r"^(?:[0-9]{1,3} )?FR [0-9]", citation), citation


@needs_shared
def test_csl_al_naser_airlines_rows_split_alike() -> None:
    """QA: the CSL row with ``81 F.R.45276`` stayed one comma-joined citation."""
    snap = lists.load(DATA / "csl/watchman-2022/consolidated.csv.gz")
    rows = [x for x in snap.listings if x.entity.name == "AL NASER AIRLINES"]
    assert rows
    for listing in rows:
        citations = listing.versions[0].citations
        assert citations[:2] == ("80 FR 30435 5/28/15", "80 FR 44930 7/28/15")
        assert all("," not in c for c in citations)
    assert any("81 FR 45276 7/13/2016" in x.versions[0].citations for x in rows)


@pytest.mark.parametrize(
    ("cell", "want"),
    [
        (
            "80 F.R. 30435 5/28/15, 81 F.R.45276 7/13/2016",
            ("80 FR 30435 5/28/15", "81 FR 45276 7/13/2016"),
        ),
        (
            "82 F.R. 61745 12/29/2017,  83F.R. 28801 6/21/2018",
            ("82 FR 61745 12/29/2017", "83 FR 28801 6/21/2018"),
        ),
        ("60 F.R. 31140\u00a0", ("60 FR 31140",)),
        ("60 F.R. 31140, 60 F.R. 31140", ("60 FR 31140",)),  # once
        ("", ()),
    ],
)
def test_csl_dpl_citations(cell: str, want: tuple[str, ...]) -> None:
    assert dpl_citations(cell) == want
