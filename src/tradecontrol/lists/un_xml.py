"""UN Security Council Consolidated List, XML (``consolidated.xml``).

Source: https://scsanctions.un.org/resources/xml/en/consolidated.xml (UN Security Council;
the schema is ``sc-sanctions.xsd``). The root ``CONSOLIDATED_LIST`` carries
``dateGenerated`` (the publication date); ``INDIVIDUALS/INDIVIDUAL`` and
``ENTITIES/ENTITY`` are the records, each becoming one listing ``un-<REFERENCE_NUMBER>``
(list code ``UN``, authority ``UN``, programme ``UN_LIST_TYPE``).

Mapping and quirks:

* Name: ``FIRST_NAME`` … ``FOURTH_NAME`` joined by spaces; ``NAME_ORIGINAL_SCRIPT`` and
  every ``*_ALIAS/ALIAS_NAME`` are aliases; ``QUALITY`` ``Low`` marks a weak alias (``Good``,
  ``a.k.a.``, ``f.k.a.`` and empty are strong). Empty alias elements are common.
* ``LISTED_ON`` starts the window (zone America/New_York, where the Council sits); a few
  carry an offset (``2015-04-07-04:00``), which is ignored. No end: delisted entries leave
  the file.
* ``INDIVIDUAL_DATE_OF_BIRTH``: ``TYPE_OF_DATE`` ``EXACT`` with ``DATE`` or ``YEAR``,
  ``APPROXIMATELY`` (``circa 1962``), ``BETWEEN`` with ``FROM_YEAR``/``TO_YEAR``
  (``1960 to 1962``; ``circa`` when its ``NOTE`` says "Approximately"). A ``NOTE`` naming
  a month (``Sep.`` beside ``YEAR``, or ``Nov. 1973`` alone) gives the month; another
  note goes to the remarks, and a note with no date at all is a non-fatal problem.
* Alias ``DATE_OF_BIRTH`` values are further birth dates.
* ``INDIVIDUAL_DOCUMENT``: ``TYPE_OF_DOCUMENT`` passport (in English, French or Spanish)
  or ``National Identification Number`` (scheme ``national_id``); other types keep their
  name in the remarks under scheme ``other``. Issuing country by name.
* ``NATIONALITY/VALUE`` and address ``COUNTRY`` are country names (UN terminology, e.g.
  ``Democratic Republic of the Congo``); unknown names are non-fatal problems kept in the
  remarks.
* ``COMMENTS1`` opens the remarks; titles, designations, gender, place of birth, address
  and document notes, ``DATAID``/``VERSIONNUM`` and ``LAST_DAY_UPDATED`` follow.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from tradecontrol.entities import EntityKind
from tradecontrol.lists._core import Problem, Record
from tradecontrol.lists._intl_common import (
    NO_DATE_NOTE,
    Draft,
    Node,
    guarded,
    iso_date,
    local,
    publication,
    squash,
    stray_problem,
    unique_id,
    xml_records,
    xml_root,
)
from tradecontrol.lists._xmlzip import Stray

NAME = "un-xml"

ZONE = "America/New_York"

_KINDS = {"INDIVIDUAL": EntityKind.PERSON, "ENTITY": EntityKind.ORGANIZATION}

_MONTHS = {
    m: i
    for i, m in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"),
        start=1,
    )
}

_PASSPORT = {"passport", "numéro de passeport", "número de pasaporte", "national passport"}
_NATIONAL_ID = {"national identification number", "national identification"}


def sniff(head: bytes, path: Path) -> bool:
    """Root element ``CONSOLIDATED_LIST`` holding ``INDIVIDUALS`` or ``ENTITIES``."""
    root = xml_root(head)
    if root is None or root[0] != "CONSOLIDATED_LIST":
        return False
    return "<INDIVIDUALS" in root[2] or "<ENTITIES" in root[2] or "dateGenerated" in root[1]


def read(path: Path) -> Iterator[Record]:
    """Yield the publication date, then a listing or fatal problem per INDIVIDUAL/ENTITY.

    Raises:
        DataError: Unreadable file, XML not well-formed, DTD or entity declarations, or
            defusedxml missing.
    """
    source = str(path)
    published: list[Record] = []

    def on_start(depth: int, elem: Node) -> None:
        if depth == 0:
            published.extend(publication(source, "dateGenerated", elem.get("dateGenerated")))

    records = xml_records(
        path,
        dict.fromkeys(_KINDS, 2),
        structure={"INDIVIDUALS": 1, "ENTITIES": 1},
        on_start=on_start,
    )
    seen: dict[str, int] = {}
    for number, elem in enumerate(records, start=1):
        yield from published
        published.clear()
        if isinstance(elem, Stray):
            yield stray_problem(source, number, elem)
            continue
        yield from unique_id(
            source, seen, number, guarded(source, number, _record, source, number, elem)
        )
    yield from published


def _find_text(elem: Node, path: str) -> str:
    found = elem.find(path)
    return _all_text(found) if found is not None else ""


def _values(elem: Node, path: str) -> list[str]:
    return [t for t in (_all_text(x) for x in elem.findall(path)) if t]


def _all_text(elem: Node) -> str:
    """The element's text, with the text around any child element (mixed content) kept."""
    if len(elem) == 0:
        return squash(elem.text)
    return squash(" ".join(elem.itertext()))


def _record(source: str, number: int, elem: Node) -> Iterator[Problem | Record]:
    tag = local(elem.tag)
    kind = _KINDS[tag]
    ref = _find_text(elem, "REFERENCE_NUMBER")
    draft = Draft(source, number, ref or None)
    if not ref:
        yield from draft.fail("REFERENCE_NUMBER", "no REFERENCE_NUMBER")
        return
    parts = [_find_text(elem, f) for f in ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME")]
    parts.append(_find_text(elem, "FOURTH_NAME"))
    name = draft.name_text("FIRST_NAME", " ".join(p for p in parts if p))
    if name is None:
        yield from draft.fail("FIRST_NAME", "no name")
        return

    draft.note("", draft.text("COMMENTS1", _find_text(elem, "COMMENTS1")))
    program = draft.text("UN_LIST_TYPE", _find_text(elem, "UN_LIST_TYPE"))
    if program:
        draft.programs.append(program)
    draft.alias("NAME_ORIGINAL_SCRIPT", _find_text(elem, "NAME_ORIGINAL_SCRIPT"))
    for title in ("TITLE", "DESIGNATION"):
        values = _values(elem, f"{title}/VALUE")
        draft.note(title.capitalize(), ", ".join(values))
    draft.note("Gender", _find_text(elem, "GENDER"))
    for value in _values(elem, "NATIONALITY/VALUE"):
        if kind is EntityKind.PERSON:
            draft.nationality("NATIONALITY", value)
        else:
            draft.note("Nationality", value)
    _addresses(draft, elem, f"{tag}_ADDRESS")
    _births(draft, elem)
    _aliases(draft, elem, f"{tag}_ALIAS")
    _places(draft, elem)
    _documents(draft, elem)

    listed_raw = _find_text(elem, "LISTED_ON")
    listed = iso_date(listed_raw)
    if listed_raw and listed is None:
        draft.problem("LISTED_ON", f"not a date: {listed_raw[:40]!r}")
        draft.note("Listed on", listed_raw)
    data_id = _find_text(elem, "DATAID")
    version = _find_text(elem, "VERSIONNUM")
    if data_id:
        draft.note("UN data id", f"{data_id}" + (f" version {version}" if version else ""))
    draft.note("Last updated", ", ".join(_values(elem, "LAST_DAY_UPDATED/VALUE")))
    yield from draft.listing(
        id=f"un-{ref}",
        list_code="UN",
        authority="UN",
        name=name,
        kind=kind,
        window=draft.window("LISTED_ON", listed, None, ZONE),
        note=None if listed else NO_DATE_NOTE,
    )


def _aliases(draft: Draft, elem: Node, tag: str) -> None:
    for alias in elem.findall(tag):
        name = _find_text(alias, "ALIAS_NAME")
        quality = _find_text(alias, "QUALITY").lower()
        if name:
            draft.alias(f"{tag}.ALIAS_NAME", name, weak=quality == "low")
        label = f"Alias {name}" if name else "Alias"
        draft.note(label, _find_text(alias, "NOTE"))
        dob = _find_text(alias, "DATE_OF_BIRTH")
        if dob:
            draft.birth_date(f"{tag}.DATE_OF_BIRTH", dob)
        place = ", ".join(
            p
            for p in (_find_text(alias, "CITY_OF_BIRTH"), _find_text(alias, "COUNTRY_OF_BIRTH"))
            if p
        )
        draft.note(f"{label} place of birth", place)


def _addresses(draft: Draft, elem: Node, tag: str) -> None:
    for addr in elem.findall(tag):
        country = draft.country(f"{tag}.COUNTRY", _find_text(addr, "COUNTRY"))
        draft.address(
            tag,
            street=_find_text(addr, "STREET"),
            city=_find_text(addr, "CITY"),
            region=_find_text(addr, "STATE_PROVINCE"),
            postal_code=_find_text(addr, "ZIP_CODE"),
            country=country,
        )
        note = _find_text(addr, "NOTE")
        if note:
            where = ", ".join(
                p
                for p in (
                    _find_text(addr, "CITY"),
                    _find_text(addr, "STATE_PROVINCE"),
                    _find_text(addr, "COUNTRY"),
                )
                if p
            )
            draft.note(f"Address {where}" if where else "Address", note)


def _month(text: str) -> int | None:
    match = re.fullmatch(r"([A-Za-z]{3})[a-z]*\.?", text.strip())
    return _MONTHS.get(match[1].lower()) if match else None


def _births(draft: Draft, elem: Node) -> None:
    field = "INDIVIDUAL_DATE_OF_BIRTH"
    for dob in elem.findall(field):
        kind = _find_text(dob, "TYPE_OF_DATE").upper()
        date = _find_text(dob, "DATE")
        year = _find_text(dob, "YEAR")
        low, high = _find_text(dob, "FROM_YEAR"), _find_text(dob, "TO_YEAR")
        note = _find_text(dob, "NOTE")
        circa = kind == "APPROXIMATELY" or note.lower() == "approximately"
        value = ""
        if date:
            parsed = iso_date(date)
            value = parsed.isoformat() if parsed else date
        elif year and note and _month(note):
            value = f"{year}-{_month(note):02d}"
            note = ""
        elif year:
            value = year
        elif low and high:
            value = f"{low} to {high}"
        elif low or high:
            value = low or high
            circa = True
        elif note and re.fullmatch(r"[A-Za-z]{3,9}\.? [0-9]{4}", note) and _month(note.split()[0]):
            value = f"{note.split()[1]}-{_month(note.split()[0]):02d}"
            note = ""
        if note.lower() == "approximately":
            note = ""
        if value:
            draft.birth_date(field, f"circa {value}" if circa else value)
            draft.note(f"Date of birth {value}", note)
        elif note:
            draft.problem(field, f"date of birth given only as a note: {note[:100]!r}")
            draft.note("Date of birth", note)


def _places(draft: Draft, elem: Node) -> None:
    for place in elem.findall("INDIVIDUAL_PLACE_OF_BIRTH"):
        parts = [
            _find_text(place, f) for f in ("STREET", "CITY", "STATE_PROVINCE", "COUNTRY", "NOTE")
        ]
        draft.note("Place of birth", ", ".join(p for p in parts if p))


def _documents(draft: Draft, elem: Node) -> None:
    field = "INDIVIDUAL_DOCUMENT"
    for doc in elem.findall(field):
        kind = _find_text(doc, "TYPE_OF_DOCUMENT")
        kind2 = _find_text(doc, "TYPE_OF_DOCUMENT2")
        number = _find_text(doc, "NUMBER")
        country_name = _find_text(doc, "ISSUING_COUNTRY") or _find_text(doc, "COUNTRY_OF_ISSUE")
        if not (kind or kind2 or number or country_name or _find_text(doc, "NOTE")):
            continue
        scheme = (
            "passport"
            if kind.lower() in _PASSPORT
            else "national_id"
            if kind.lower() in _NATIONAL_ID
            else "other"
        )
        country = draft.country(f"{field}.ISSUING_COUNTRY", country_name, "Issuing country")
        if number:
            draft.identifier(f"{field}.NUMBER", scheme, number, country)
        details = [
            kind if scheme == "other" else "",
            kind2,
            _find_text(doc, "NOTE"),
            f"issued {_find_text(doc, 'DATE_OF_ISSUE')}"
            if _find_text(doc, "DATE_OF_ISSUE")
            else "",
            f"in {_find_text(doc, 'CITY_OF_ISSUE')}" if _find_text(doc, "CITY_OF_ISSUE") else "",
            country_name if not number else "",
        ]
        label = f"{kind or 'Document'} {number}".strip()
        draft.note(label, ", ".join(d for d in details if d))
