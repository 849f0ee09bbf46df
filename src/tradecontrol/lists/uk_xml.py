"""UK Sanctions List, XML (FCDO, ``UK_Sanctions_List.xml``).

Source: https://www.gov.uk/government/publications/the-uk-sanctions-list (Foreign,
Commonwealth and Development Office). The root ``Designations`` holds ``DateGenerated``
(``DD/MM/YYYY``, the publication date) and one ``Designation`` per record, each becoming
one listing ``uk-<UniqueID>`` (list code ``UK``, authority ``UK``, programme
``RegimeName``).

Mapping and quirks:

* ``IndividualEntityShip``: ``Individual`` (person), ``Entity`` (organization), ``Ship``
  (vessel).
* ``Names/Name``: ``Name1`` … ``Name5`` (given and middle names) then ``Name6`` (family
  or entity name), joined by spaces. The first ``NameType`` ``Primary Name`` is the name;
  further primary names, ``Primary Name Variation`` and ``Alias`` are aliases, weak when
  ``AliasStrength`` says "Low quality". ``NonLatinNames`` are aliases.
* ``DateDesignated`` (``DD/MM/YYYY``) starts the window (zone Europe/London).
* ``IndividualDetails``: ``DOB`` as ``DD/MM/YYYY`` with ``dd``/``mm`` placeholders for
  unknown parts (``dd/mm/1945`` is ``1945``), or a bare year; nationalities by name;
  passports and national identifiers.
* ``EntityDetails``: business registration numbers (``registration_number``), entity types,
  parents and subsidiaries (remarks). ``ShipDetails``: ``IMONumber`` (``imo``, the
  ``IMO`` prefix removed), current believed flag (the vessel's country), the rest in the
  remarks.
* ``Addresses/Address``: ``AddressLine1``–``AddressLine5`` form the street, ``AddressLine6``
  (the town in FCDO practice) the city, ``AddressPostalCode``, ``AddressCountry`` by name.
* Remarks: ``SanctionsImposed``, ``OtherInformation``, ``UKStatementofReasons``, the UN
  reference number, OFSI group id, designation source, and every other element with text
  not mapped above (titles, positions, places of birth, phone numbers, websites...).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from tradecontrol.entities import EntityKind
from tradecontrol.lists._core import Problem, Published, Record
from tradecontrol.lists._intl_common import (
    NO_DATE_NOTE,
    Draft,
    Node,
    guarded,
    local,
    slash_date,
    squash,
    stray_problem,
    unique_id,
    xml_records,
    xml_root,
)
from tradecontrol.lists._xmlzip import Stray

NAME = "uk-sanctions-xml"

ZONE = "Europe/London"

_KINDS = {
    "individual": EntityKind.PERSON,
    "entity": EntityKind.ORGANIZATION,
    "ship": EntityKind.VESSEL,
}

# Remarks that open the listing's remarks, in this order.
_FIRST = ("SanctionsImposed", "OtherInformation", "UKStatementofReasons")

# Elements whose text is consumed by the mapping (everything else with text is a remark).
_MAPPED = {
    "UniqueID",
    "DateDesignated",
    "RegimeName",
    "IndividualEntityShip",
    "Name1",
    "Name2",
    "Name3",
    "Name4",
    "Name5",
    "Name6",
    "NameType",
    "AliasStrength",
    "NameNonLatinScript",
    "DOB",
    "Nationality",
    "PassportNumber",
    "NationalIdentifierNumber",
    "BusinessRegistrationNumber",
    "IMONumber",
    "CurrentBelievedFlagOfShip",
    "AddressLine1",
    "AddressLine2",
    "AddressLine3",
    "AddressLine4",
    "AddressLine5",
    "AddressLine6",
    "AddressPostalCode",
    "AddressCountry",
    *_FIRST,
}
# Indicators repeat SanctionsImposed as booleans.
_SKIPPED = {"SanctionsImposedIndicators"}

_LABELS = {
    "SanctionsImposed": "Sanctions imposed",
    "OtherInformation": "",
    "UKStatementofReasons": "Statement of reasons",
    "UNReferenceNumber": "UN reference number",
    "OFSIGroupID": "OFSI group ID",
    "DesignationSource": "Designation source",
    "LastUpdated": "Last updated",
}


def sniff(head: bytes, path: Path) -> bool:
    """Root ``Designations`` holding ``Designation`` or ``DateGenerated`` elements."""
    root = xml_root(head)
    if root is None or root[0] != "Designations":
        return False
    return "<Designation>" in root[2] or "<DateGenerated>" in root[2]


def read(path: Path) -> Iterator[Record]:
    """Yield the publication date, then a listing or fatal problem per Designation.

    Raises:
        DataError: Unreadable file, XML not well-formed, DTD or entity declarations, or
            defusedxml missing.
    """
    source = str(path)
    found: list[Record] = []

    def on_other(depth: int, elem: Node) -> None:
        if local(elem.tag) == "DateGenerated":
            day = slash_date(elem.text, day_first=True)
            if day is not None:
                found.append(Published(day))
            else:
                found.append(
                    Problem(
                        source=source,
                        record=0,
                        field="DateGenerated",
                        reason=f"not a DD/MM/YYYY date: {squash(elem.text)[:40]!r}",
                        fatal=False,
                    )
                )

    seen: dict[str, int] = {}
    for number, elem in enumerate(
        xml_records(path, {"Designation": 1}, structure={"DateGenerated": 1}, on_other=on_other),
        start=1,
    ):
        yield from found
        found.clear()
        if isinstance(elem, Stray):
            yield stray_problem(source, number, elem)
            continue
        yield from unique_id(
            source, seen, number, guarded(source, number, _record, source, number, elem)
        )
    yield from found


def _child(elem: Node, name: str) -> Node | None:
    for child in elem:
        if local(child.tag) == name:
            return child
    return None


def _text(elem: Node, name: str) -> str:
    child = _child(elem, name)
    return squash(child.text) if child is not None else ""


def _all(elem: Node, name: str) -> list[Node]:
    return [e for e in elem.iter() if local(e.tag) == name]


def _record(source: str, number: int, elem: Node) -> Iterator[Problem | Record]:
    unique_id = _text(elem, "UniqueID")
    draft = Draft(source, number, unique_id or None)
    if not unique_id:
        yield from draft.fail("UniqueID", "no UniqueID")
        return
    raw_kind = _text(elem, "IndividualEntityShip")
    kind = _KINDS.get(raw_kind.lower(), EntityKind.UNKNOWN)
    if kind is EntityKind.UNKNOWN:
        draft.problem("IndividualEntityShip", f"unknown kind {raw_kind[:40]!r}")
        draft.note("Kind", raw_kind)
    name = _names(draft, elem)
    if name is None:
        yield from draft.fail("Names", "no name")
        return
    regime = draft.text("RegimeName", _text(elem, "RegimeName"))
    if regime:
        draft.programs.append(regime)
    designated_raw = _text(elem, "DateDesignated")
    designated = slash_date(designated_raw, day_first=True)
    if designated_raw and designated is None:
        draft.problem("DateDesignated", f"not a DD/MM/YYYY date: {designated_raw[:40]!r}")
        draft.note("Date designated", designated_raw)

    for dob in _all(elem, "DOB"):
        _birth(draft, squash(dob.text))
    for nationality in _all(elem, "Nationality"):
        draft.nationality("Nationality", nationality.text)
    for passport in _all(elem, "PassportNumber"):
        draft.identifier("PassportNumber", "passport", passport.text)
    for ident in _all(elem, "NationalIdentifierNumber"):
        draft.identifier("NationalIdentifierNumber", "national_id", ident.text)
    for reg in _all(elem, "BusinessRegistrationNumber"):
        draft.identifier("BusinessRegistrationNumber", "registration_number", reg.text)
    for imo in _all(elem, "IMONumber"):
        raw = squash(imo.text)
        match = re.fullmatch(r"(?:IMO)?\s*:?\s*([0-9]{7})", raw, re.IGNORECASE)
        draft.identifier("IMONumber", "imo", match[1] if match else raw)
    country = None
    flags = [squash(f.text) for f in _all(elem, "CurrentBelievedFlagOfShip") if squash(f.text)]
    if flags:
        country = draft.country("CurrentBelievedFlagOfShip", flags[0], "Flag")
        for flag in flags[1:]:
            draft.note("Current believed flag", flag)
    for addr in _all(elem, "Address"):
        lines = [_text(addr, f"AddressLine{i}") for i in range(1, 6)]
        draft.address(
            "Address",
            street=", ".join(x for x in lines if x),
            city=_text(addr, "AddressLine6"),
            postal_code=_text(addr, "AddressPostalCode"),
            country=draft.country("AddressCountry", _text(addr, "AddressCountry")),
        )
    for tag in _FIRST:
        draft.note(_label(tag), draft.text(tag, _text(elem, tag)))
    _leftovers(draft, elem)
    yield from draft.listing(
        id=f"uk-{unique_id}",
        list_code="UK",
        authority="UK",
        name=name,
        kind=kind,
        country=country,
        window=draft.window("DateDesignated", designated, None, ZONE),
        note=None if designated else NO_DATE_NOTE,
    )


def _names(draft: Draft, elem: Node) -> str | None:
    primary: str | None = None
    first: str | None = None
    for entry in _all(elem, "Name"):
        parts = [_text(entry, f"Name{i}") for i in range(1, 7)]
        name = draft.name_text("Name", " ".join(p for p in parts if p))
        if name is None:
            continue
        first = first or name
        name_type = _text(entry, "NameType").lower()
        strength = _text(entry, "AliasStrength").lower()
        if name_type == "primary name" and primary is None:
            primary = name
        else:
            draft.alias("Name", name, weak="low" in strength)
    for script in _all(elem, "NameNonLatinScript"):
        draft.alias("NameNonLatinScript", script.text)
    if primary is None and first is not None:
        draft.problem("Names", "no Primary Name; the first name is used")
        primary = first
    return primary or (draft.aliases[0] if draft.aliases else None)


def _birth(draft: Draft, raw: str) -> None:
    match = re.fullmatch(r"(dd|[0-9]{1,2})/(mm|[0-9]{1,2})/([0-9]{4})", raw, re.IGNORECASE)
    value = ""
    if re.fullmatch(r"[0-9]{4}", raw):
        value = raw
    elif match:
        day, month, year = match[1].lower(), match[2].lower(), match[3]
        value = year
        if month != "mm":
            value += f"-{int(month):02d}"
            if day != "dd":
                value += f"-{int(day):02d}"
        elif day != "dd":
            value = ""
    if value:
        draft.birth_date("DOB", value)
    elif raw:
        draft.problem("DOB", f"not a date of birth: {raw[:40]!r}; kept in remarks")
        draft.note("Date of birth", raw)


def _label(tag: str) -> str:
    if tag in _LABELS:
        return _LABELS[tag]
    words = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", tag)
    return words[:1].upper() + words[1:].lower()


def _leftovers(draft: Draft, elem: Node) -> None:
    """Every element with text that the mapping did not use becomes a remark."""

    def walk(node: Node) -> None:
        for child in node:
            tag = local(child.tag)
            if tag in _SKIPPED:
                continue
            if len(child):
                walk(child)
            elif tag not in _MAPPED:
                text = squash(child.text)
                if text:
                    draft.note(_label(tag), draft.text(tag, text))

    walk(elem)
