# ruff: noqa: E501
"""OFAC Enhanced XML loader: the ZIP and its XML, list dates, zip-bomb caps, fuzz."""

from __future__ import annotations

import datetime
import io
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.ofac_support import DATA, check_invariants, load_bytes, needs_data
from tradecontrol import lists
from tradecontrol.errors import DataError
from tradecontrol.lists import _xmlzip, ofac_enhanced

ZIP = DATA / "watchman-enhanced-2025" / "CONS_ENHANCED.ZIP"

SMALL = b"""<?xml version="1.0" encoding="utf-8"?>
<sanctionsData xmlns="https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/ENHANCED_XML">
  <publicationInfo><dataAsOf>2025-01-10T00:00:00</dataAsOf>
    <filters><sanctionsLists><sanctionsList refId="91512">Consolidated List</sanctionsList></sanctionsLists></filters>
  </publicationInfo>
  <entities>
    <entity id="17014">
      <generalInfo><identityId>1</identityId><entityType refId="601">Entity</entityType></generalInfo>
      <sanctionsLists>
        <sanctionsList refId="91507" id="1" datePublished="2014-07-29">Sectoral Sanctions Identifications List</sanctionsList>
        <sanctionsList refId="91868" id="2" datePublished="2022-02-24">Non-SDN Menu-Based Sanctions List</sanctionsList>
        <sanctionsList refId="91512" id="3" datePublished="2014-10-10">Consolidated List</sanctionsList>
      </sanctionsLists>
      <sanctionsPrograms><sanctionsProgram refId="1">UKRAINE-EO13662</sanctionsProgram>
        <sanctionsProgram refId="2">RUSSIA-EO14024</sanctionsProgram></sanctionsPrograms>
      <names>
        <name id="1"><isPrimary>true</isPrimary><isLowQuality>false</isLowQuality><translations>
          <translation id="1"><isPrimary>true</isPrimary><script refId="20122">Latin</script>
            <formattedFullName>RUSSIAN AGRICULTURAL BANK</formattedFullName></translation>
          <translation id="2"><isPrimary>false</isPrimary><script refId="20107">Cyrillic</script>
            <formattedFullName>\xd0\xa0\xd0\xa1\xd0\xa5\xd0\x91</formattedFullName></translation></translations></name>
        <name id="2"><isPrimary>false</isPrimary><aliasType refId="1400">A.K.A.</aliasType>
          <isLowQuality>true</isLowQuality><translations><translation id="3"><isPrimary>true</isPrimary>
          <formattedFullName>RUSAG</formattedFullName></translation></translations></name>
      </names>
      <addresses><address id="1"><country refId="11171">Russia</country><translations>
        <translation id="1"><isPrimary>true</isPrimary><addressParts>
          <addressPart id="1"><type refId="1451">ADDRESS1</type><value>3 Gagarinsky per.</value></addressPart>
          <addressPart id="2"><type refId="1454">CITY</type><value>Moscow</value></addressPart>
          <addressPart id="3"><type refId="1456">POSTAL CODE</type><value>119034</value></addressPart>
        </addressParts></translation></translations></address></addresses>
      <features>
        <feature id="1"><type featureTypeId="13">SWIFT/BIC</type><value>RUAGRUMM</value></feature>
        <feature id="2"><type featureTypeId="204">Executive Order 13662 Directive Determination -</type>
          <value>Subject to Directive 1</value></feature>
      </features>
      <identityDocuments><identityDocument id="1"><type refId="1636">Government Gazette Number</type>
        <documentNumber>52750822</documentNumber><isValid>true</isValid>
        <issuingCountry refId="11171">Russia</issuingCountry></identityDocument></identityDocuments>
    </entity>
  </entities>
</sanctionsData>
"""


def test_small_file() -> None:
    snap = load_bytes(SMALL, "cons_enhanced.xml")
    assert snap is not None and snap.format == "ofac-enhanced-xml"
    assert snap.published == datetime.date(2025, 1, 10) and snap.problems == ()
    (bank,) = snap.listings
    assert bank.id == "us-ofac-17014" and bank.list_code == "SSI"
    assert bank.versions[0].window.start == datetime.date(2014, 7, 29)
    assert "also on Non-SDN Menu-Based Sanctions List (NS-MBS) since 2022-02-24" in (
        bank.versions[0].note or ""
    )
    assert bank.entity.aliases == ("РСХБ",) and bank.entity.weak_aliases == ("RUSAG",)
    assert bank.entity.country is not None and bank.entity.country.code == "RU"
    assert {(i.scheme, i.value) for i in bank.entity.identifiers} == {
        ("swift_bic", "RUAGRUMM"),
        ("government_gazette_number", "52750822"),
    }
    assert "Executive Order 13662 Directive Determination - Subject to Directive 1" in (
        bank.remarks or ""
    )


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buf.getvalue()


def test_zip_caps(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bomb = tmp_path / "bomb.zip"
    padding = b" " * (8 << 20)  # 8 MiB of spaces deflate about 1000:1
    bomb.write_bytes(
        _zip({"CONS_ENHANCED.XML": SMALL.replace(b"<entities>", b"<entities>" + padding)})
    )
    assert ofac_enhanced.sniff(bomb.read_bytes()[:65536], bomb)
    with pytest.raises(DataError, match="zip bomb"):
        lists.load(bomb)
    two = tmp_path / "two.zip"
    two.write_bytes(_zip({"a.xml": SMALL, "b.xml": SMALL}))
    with pytest.raises(DataError, match="2 XML files"):
        lists.load(two, format="ofac-enhanced-xml")
    small = tmp_path / "small.zip"
    small.write_bytes(_zip({"CONS_ENHANCED.XML": SMALL}))
    assert len(lists.load(small).listings) == 1
    monkeypatch.setattr(_xmlzip, "MAX_UNCOMPRESSED", 1000)
    with pytest.raises(DataError, match="1000"):
        lists.load(small)


@needs_data
def test_cons_enhanced_zip_and_xml() -> None:
    snap = lists.load(ZIP)
    check_invariants(snap)
    assert snap.format == "ofac-enhanced-xml" and snap.published == datetime.date(2025, 1, 10)
    assert len(snap.listings) == 443 and snap.records == 443 and snap.problems == ()
    assert snap.count_by_list() == {
        "SSI": 286, "PLC": 78, "CMIC": 68, "NS-MBS": 9, "CAP": 1, "FSE": 1,
    }  # fmt: skip
    by_id = {x.id: x for x in snap.listings}
    huawei = by_id["us-ofac-30947"]
    assert huawei.list_code == "CMIC" and huawei.versions[0].window.start == datetime.date(
        2021, 6, 3
    )
    zahhar = by_id["us-ofac-9647"]
    assert zahhar.list_code == "PLC" and zahhar.programs == ("NS-PLC", "SDGT")
    assert zahhar.entity.birth_date == "1945" and [n.code for n in zahhar.entity.nationalities] == [
        "PS"
    ]
    with zipfile.ZipFile(ZIP) as archive:
        xml = archive.read("CONS_ENHANCED.XML")
    plain = load_bytes(xml, "CONS_ENHANCED.XML")
    assert plain is not None and plain.listings == snap.listings
    classic = lists.load(DATA / "pakote-2026" / "ofac.xml")
    same = {x.id for x in classic.listings} & set(by_id)
    assert len(same) == 442  # one year later, one entry fewer (the FSE entry)


@settings(max_examples=100, deadline=None)
@given(st.data())
def test_fuzz_only_library_errors(data: st.DataObject) -> None:
    raw = bytearray(SMALL)
    for _ in range(data.draw(st.integers(0, 5))):
        raw[data.draw(st.integers(0, len(raw) - 1))] = data.draw(st.integers(0, 255))
    if data.draw(st.booleans()):
        raw = raw[: data.draw(st.integers(0, len(raw)))]
    blob = bytes(raw)
    if data.draw(st.booleans()):
        blob = _zip({"X.XML": blob})
        if data.draw(st.booleans()):
            cut = data.draw(st.integers(0, len(blob)))
            blob = blob[:cut]
    load_bytes(blob, "cons.xml", format="ofac-enhanced-xml")
    load_bytes(blob, "cons.xml")
