"""XML loaders: an element where records stand that is no record is a problem, never skipped.

A misspelled record tag, a record at an unexpected depth (inside an unknown wrapper) or an
unknown element among the records becomes a fatal problem that names the element's path,
so ``records == len(listings) + fatal problems`` still counts every record of the file.
Also: UTF-16 XML with a byte-order mark is recognised by format sniffing.
"""

from __future__ import annotations

import tempfile
from collections import Counter
from pathlib import Path

import pytest

from tests._intl_lists import FIXTURES, check_snapshot
from tests.ofac_support import DATA, needs_data
from tests.test_lists_ofac_enhanced import SMALL as ENHANCED
from tests.test_lists_ofac_xml import SMALL as CLASSIC
from tradecontrol import lists
from tradecontrol.lists import ListSnapshot, Problem

UN = (FIXTURES / "un_xml" / "un_small.xml").read_bytes()
EU = (FIXTURES / "eu_xml" / "eu_small.xml").read_bytes()
UK = (FIXTURES / "uk_xml" / "uk_small.xml").read_bytes()


def _load(data: bytes, name: str = "list.xml") -> ListSnapshot:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        path.write_bytes(data)
        snap = lists.load(path)
    check_snapshot(snap)
    return snap


def _new_problems(before: ListSnapshot, after: ListSnapshot) -> list[Problem]:
    """Problems of ``after`` that ``before`` lacks (record numbers aside: they shift)."""
    seen = Counter((p.field, p.reason, p.fatal) for p in before.problems)
    out = []
    for p in after.problems:
        key = (p.field, p.reason, p.fatal)
        if seen[key]:
            seen[key] -= 1
        else:
            out.append(p)
    return out


def _first(data: bytes, *edits: tuple[bytes, bytes]) -> bytes:
    """``data`` with the first occurrence of each ``old`` replaced by ``new``."""
    for old, new in edits:
        assert old in data, old
        data = data.replace(old, new, 1)
    return data


# (case id, format, original bytes, edits, expected problem path, words in the reason)
CASES = [
    (
        "un-misspelled",
        "un-xml",
        UN,
        [(b"<INDIVIDUAL>", b"<INDIVIDUL>"), (b"</INDIVIDUAL>", b"</INDIVIDUL>")],
        "CONSOLIDATED_LIST/INDIVIDUALS/INDIVIDUL",
        "unexpected element <INDIVIDUL>",
    ),
    (
        "un-wrapped",
        "un-xml",
        UN,
        [(b"<INDIVIDUAL>", b"<GROUP><INDIVIDUAL>"), (b"</INDIVIDUAL>", b"</INDIVIDUAL></GROUP>")],
        "CONSOLIDATED_LIST/INDIVIDUALS/GROUP/INDIVIDUAL",
        "<INDIVIDUAL> at depth 3",
    ),
    (
        "eu-misspelled",
        "eu-fsf-xml",
        EU,
        [(b"<sanctionEntity ", b"<sanctionEntty "), (b"</sanctionEntity>", b"</sanctionEntty>")],
        "export/sanctionEntty",
        "expected <sanctionEntity>",
    ),
    (
        "uk-misspelled",
        "uk-sanctions-xml",
        UK,
        [(b"<Designation>", b"<Designaton>"), (b"</Designation>", b"</Designaton>")],
        "Designations/Designaton",
        "expected <Designation>",
    ),
    (
        "ofac-xml-misspelled",
        "ofac-xml",
        CLASSIC,
        [(b"<sdnEntry>", b"<sdnEntri>"), (b"</sdnEntry>", b"</sdnEntri>")],
        "sdnList/sdnEntri",
        "expected <publshInformation>, <sdnEntry>",
    ),
    (
        "ofac-xml-wrapped",
        "ofac-xml",
        CLASSIC,
        [(b"<sdnEntry>", b"<entries><sdnEntry>"), (b"</sdnEntry>", b"</sdnEntry></entries>")],
        "sdnList/entries/sdnEntry",
        "<sdnEntry> at depth 2",
    ),
    (
        "ofac-enhanced-misspelled",
        "ofac-enhanced-xml",
        ENHANCED,
        [(b'<entity id="17014">', b'<entiti id="17014">'), (b"</entity>", b"</entiti>")],
        "sanctionsData/entities/entiti",
        "expected <entity>",
    ),
]


@pytest.mark.parametrize(
    ("fmt", "original", "edits", "where", "reason"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_stray_record_is_a_fatal_problem(
    fmt: str, original: bytes, edits: list[tuple[bytes, bytes]], where: str, reason: str
) -> None:
    before = _load(original)
    after = _load(_first(original, *edits))
    assert before.format == after.format == fmt
    new = _new_problems(before, after)
    assert [(p.field, p.fatal) for p in new] == [(where, True)]
    assert reason in new[0].reason and "not read" in new[0].reason
    lost = {x.id for x in before.listings} - {x.id for x in after.listings}
    assert len(lost) == 1 and len(after.listings) == len(before.listings) - 1
    assert after.records == before.records  # the record is still counted, as a problem


@pytest.mark.parametrize(
    ("original", "edit", "where"),
    [
        (UN, (b"<ENTITIES>", b"<NOTES/><ENTITIES>"), "CONSOLIDATED_LIST/NOTES"),
        (
            UN,
            (b"<ENTITIES>", b"<ENTITY><REFERENCE_NUMBER>X</REFERENCE_NUMBER></ENTITY><ENTITIES>"),
            "CONSOLIDATED_LIST/ENTITY",
        ),
        (UK, (b"<Designation>", b"<Designatio/><Designation>"), "Designations/Designatio"),
        (CLASSIC, (b"<sdnEntry>", b"<sdnEntryX/><sdnEntry>"), "sdnList/sdnEntryX"),
    ],
    ids=["un", "un-record-under-root", "uk", "ofac-xml"],
)
def test_unknown_empty_element_is_one_problem(
    original: bytes, edit: tuple[bytes, bytes], where: str
) -> None:
    before = _load(original)
    after = _load(_first(original, edit))
    assert [p.field for p in _new_problems(before, after)] == [where]
    assert len(after.listings) == len(before.listings)
    assert after.records == before.records + 1


def test_known_structure_is_not_a_problem() -> None:
    """Metadata the formats define (UK DateGenerated, OFAC publshInformation) is no stray."""
    assert _load(UK).published is not None
    snap = _load(CLASSIC, "sdn.xml")
    assert snap.problems == () and snap.published is not None


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_ofac_xml_is_detected(codec: str) -> None:
    text = CLASSIC.decode().replace(
        '<?xml version="1.0" standalone="yes"?>',
        '<?xml version="1.0" encoding="UTF-16" standalone="yes"?>',
    )
    data = text.encode(codec)
    if codec != "utf-16":  # the explicit-order codecs write no byte-order mark: add it
        data = "\ufeff".encode(codec) + data
    assert data[:2] in (b"\xff\xfe", b"\xfe\xff")
    snap = _load(data, "sdn.xml")
    plain = _load(CLASSIC, "sdn.xml")
    assert snap.format == "ofac-xml"
    assert snap.listings == plain.listings and snap.published == plain.published


def test_utf16_un_xml_is_detected() -> None:
    text = UN.decode().replace('encoding="UTF-8"', 'encoding="UTF-16"', 1)
    snap = _load(text.encode("utf-16"))
    assert snap.format == "un-xml" and snap.listings == _load(UN).listings


ADVANCED = DATA / "gsmiguel-advanced-sample" / "sample_sdn_advanced.xml"


@needs_data
@pytest.mark.parametrize(
    ("edits", "where", "reason", "orphan"),
    [
        (
            [
                (b"<DistinctParty ", b"<DistinctPartie "),
                (b"</DistinctParty>", b"</DistinctPartie>"),
            ],
            "Sanctions/DistinctParties/DistinctPartie",
            "unexpected element <DistinctPartie> where the records stand (expected",
            "SanctionsEntry.ProfileID",  # its sanctions entry now names no party
        ),
        (
            [
                (b"<DistinctParty ", b"<Group><DistinctParty "),
                (b"</DistinctParty>", b"</DistinctParty></Group>"),
            ],
            "Sanctions/DistinctParties/Group/DistinctParty",
            "<DistinctParty> at depth 3",
            "SanctionsEntry.ProfileID",
        ),
        (
            [
                (b"<SanctionsEntry ", b"<SanctionEntry "),
                (b"</SanctionsEntry>", b"</SanctionEntry>"),
            ],
            "Sanctions/SanctionsEntries/SanctionEntry",
            "<SanctionsEntry>; a misspelled tag?",
            "SanctionsEntry",  # its party now has no sanctions entry
        ),
        (
            [(b"<DistinctParties>", b"<DistinctParties><Remark/>")],
            "Sanctions/DistinctParties/Remark",
            "unexpected element <Remark>",
            None,
        ),
    ],
    ids=["misspelled-party", "wrapped-party", "misspelled-entry", "unknown-element"],
)
def test_ofac_advanced_stray_is_a_fatal_problem(
    edits: list[tuple[bytes, bytes]], where: str, reason: str, orphan: str | None
) -> None:
    before = _load(ADVANCED.read_bytes(), "sdn_advanced.xml")
    after = _load(_first(ADVANCED.read_bytes(), *edits), "sdn_advanced.xml")
    assert before.format == after.format == "ofac-advanced-xml" and before.problems == ()
    strays = [p for p in after.problems if p.field == where]
    assert len(strays) == 1 and strays[0].fatal and reason in strays[0].reason
    assert "not read" in strays[0].reason
    others = [(p.field, p.fatal) for p in after.problems if p is not strays[0]]
    assert others == ([(orphan, True)] if orphan else [])
    lost = len(before.listings) - len(after.listings)
    assert lost == (1 if orphan else 0)
    assert after.records == before.records + 1  # the stray counts as a record (a problem)


@needs_data
def test_ofac_advanced_known_structure_is_not_a_problem() -> None:
    """Every top-level section the Advanced XML defines, SanctionsEntryLinks included."""
    data = _first(
        ADVANCED.read_bytes(),
        (
            b"</Sanctions>",
            b'<SanctionsEntryLinks><SanctionsEntryLink ID="1"/></SanctionsEntryLinks></Sanctions>',
        ),
    )
    snap = _load(data, "sdn_advanced.xml")
    assert snap.problems == () and len(snap.listings) == 4
