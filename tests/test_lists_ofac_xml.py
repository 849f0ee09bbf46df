# ruff: noqa: E501
"""OFAC classic sdnList XML loader: real files, same ids as the CSV, hostile XML, fuzz."""

from __future__ import annotations

import datetime
import io
import zipfile

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.ofac_support import DATA, check_invariants, load_bytes, needs_data
from tradecontrol import lists
from tradecontrol.errors import DataError
from tradecontrol.lists import ofac_xml

SMALL = b"""<?xml version="1.0" standalone="yes"?>
<sdnList xmlns="http://tempuri.org/sdnList.xsd">
  <publshInformation><Publish_Date>07/16/2014</Publish_Date><Record_Count>2</Record_Count></publshInformation>
  <sdnEntry><uid>306</uid><lastName>BANCO NACIONAL DE CUBA</lastName><sdnType>Entity</sdnType>
    <programList><program>CUBA</program></programList>
    <akaList><aka><uid>219</uid><type>a.k.a.</type><category>weak</category><lastName>BNC</lastName></aka>
      <aka><uid>220</uid><type>a.k.a.</type><category>strong</category><lastName>NATIONAL BANK OF CUBA</lastName></aka></akaList>
    <addressList><address><uid>199</uid><address1>Zweierstrasse 35</address1><city>Zurich</city>
      <postalCode>CH-8022</postalCode><country>Switzerland</country></address></addressList>
  </sdnEntry>
  <sdnEntry><uid>6982</uid><firstName>Ahmed Nur Ali</firstName><lastName>JIM'ALE</lastName>
    <sdnType>Individual</sdnType><programList><program>SDGT</program></programList>
    <idList><id><uid>7613</uid><idType>Passport</idType><idNumber>A0181988</idNumber>
      <idCountry>Somalia</idCountry><issueDate>01 Oct 2001</issueDate></id>
      <id><uid>1</uid><idType>Gender</idType><idNumber>Male</idNumber></id></idList>
    <dateOfBirthList><dateOfBirthItem><uid>1</uid><dateOfBirth>circa 1954</dateOfBirth><mainEntry>false</mainEntry></dateOfBirthItem>
      <dateOfBirthItem><uid>2</uid><dateOfBirth>20 May 1954</dateOfBirth><mainEntry>true</mainEntry></dateOfBirthItem></dateOfBirthList>
    <nationalityList><nationality><uid>3</uid><country>Somalia</country><mainEntry>true</mainEntry></nationality></nationalityList>
    <placeOfBirthList><placeOfBirthItem><uid>4</uid><placeOfBirth>Eilbur, Somalia</placeOfBirth><mainEntry>true</mainEntry></placeOfBirthItem></placeOfBirthList>
  </sdnEntry>
</sdnList>
"""


def test_small_file() -> None:
    snap = load_bytes(SMALL, "sdn.xml")
    assert snap is not None and snap.format == "ofac-xml"
    assert snap.published == datetime.date(2014, 7, 16) and snap.problems == ()
    bank, person = snap.listings
    assert bank.id == "us-sdn-306" and bank.list_code == "SDN"
    assert bank.entity.aliases == ("NATIONAL BANK OF CUBA",) and bank.entity.weak_aliases == (
        "BNC",
    )
    address = bank.entity.addresses[0]
    assert (address.street, address.city, address.postal_code) == (
        "Zweierstrasse 35",
        "Zurich",
        "CH-8022",
    )
    assert person.entity.name == "JIM'ALE, Ahmed Nur Ali" and person.entity.kind.value == "person"
    assert person.entity.birth_date == "1954-05-20" and person.entity.birth_dates == ("circa 1954",)
    assert [(i.scheme, i.value, i.country.code if i.country else None)
            for i in person.entity.identifiers] == [("passport", "A0181988", "SO")]  # fmt: skip
    assert person.remarks == (
        "POB Eilbur, Somalia; Passport A0181988 (Somalia) issued 01 Oct 2001; Gender Male"
    )


def test_zipped_classic_xml() -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("SDN.XML", SMALL)
    snap = load_bytes(buf.getvalue(), "SDN_XML.ZIP")
    assert snap is not None and snap.format == "ofac-xml" and len(snap.listings) == 2


def test_entity_expansion_is_refused(tmp_path: object) -> None:
    bomb = b"""<?xml version="1.0"?>
<!DOCTYPE sdnList [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>
<sdnList><sdnEntry><uid>1</uid><lastName>&b;</lastName></sdnEntry></sdnList>"""
    import pathlib
    import tempfile

    path = pathlib.Path(tempfile.mkdtemp()) / "sdn.xml"
    path.write_bytes(bomb)
    assert ofac_xml.sniff(bomb, path)
    with pytest.raises(DataError, match="refused"):
        lists.load(path)


def test_truncated_xml_keeps_the_entries_before_the_break() -> None:
    cut = SMALL[: SMALL.index(b"<sdnEntry><uid>6982")] + b"<sdnEntry><uid>6982</uid><lastN"
    snap = load_bytes(cut, "sdn.xml")
    assert snap is not None and [x.id for x in snap.listings] == ["us-sdn-306"]
    (problem,) = snap.problems
    assert problem.fatal and problem.record == 2 and "not well-formed" in problem.reason


@needs_data
def test_pakote_consolidated_matches_the_csv_ids() -> None:
    snap = lists.load(DATA / "pakote-2026" / "ofac.xml")
    check_invariants(snap)
    assert snap.format == "ofac-xml" and snap.published == datetime.date(2026, 1, 8)
    assert len(snap.listings) == 442 and snap.problems == ()
    assert snap.count_by_list() == {"SSI": 286, "PLC": 78, "CMIC": 68, "NS-MBS": 9, "CAP": 1}
    csv_snap = lists.load(DATA / "watchman-nonsdn-2025" / "cons_prim.csv")
    assert {x.id: x.list_code for x in snap.listings} == {
        x.id: x.list_code for x in csv_snap.listings
    }
    change = lists.diff(csv_snap, snap)
    assert not change.added and not change.removed
    same_ids = sum(
        set(a.old.entity.identifiers) == set(a.new.entity.identifiers) for a in change.amended
    )
    assert same_ids >= 440  # the two formats of (almost) one list agree on identifiers
    huawei = next(x for x in snap.listings if x.id == "us-ofac-30947")
    assert huawei.list_code == "CMIC" and huawei.entity.country is not None
    assert huawei.entity.country.code == "CN"


@needs_data
def test_ita_sdn_and_consolidated_fixtures() -> None:
    sdn = lists.load(DATA / "ita-webservices" / "sdn.xml")
    check_invariants(sdn)
    assert sdn.published == datetime.date(2014, 7, 16) and len(sdn.listings) == 4
    assert sdn.count_by_list() == {"SDN": 4}
    vessel = next(x for x in sdn.listings if x.entity.kind.value == "vessel")
    assert "Vessel flag: Iran" in (vessel.remarks or "")
    cons = lists.load(DATA / "ita-webservices" / "treasury_consolidated" / "consolidated.xml")
    check_invariants(cons)
    assert cons.published == datetime.date(2014, 12, 17) and len(cons.listings) == 16
    assert cons.count_by_list() == {"PLC": 6, "SSI": 4, "FSE": 3, "13599": 2, "CAP": 1}
    assert all(x.id.startswith("us-ofac-") for x in cons.listings)


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_fuzz_only_library_errors(data: st.DataObject) -> None:
    raw = bytearray(SMALL)
    for _ in range(data.draw(st.integers(0, 5))):
        raw[data.draw(st.integers(0, len(raw) - 1))] = data.draw(st.integers(0, 255))
    if data.draw(st.booleans()):
        raw = raw[: data.draw(st.integers(0, len(raw)))]
    if data.draw(st.booleans()):
        raw = bytearray(bytes(raw).decode("utf-8", "replace").encode("utf-16"))
    load_bytes(bytes(raw), "sdn.xml", format="ofac-xml")
    load_bytes(bytes(raw), "sdn.xml")
