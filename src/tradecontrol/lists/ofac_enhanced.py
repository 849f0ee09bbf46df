"""OFAC Enhanced XML (``SDN_ENHANCED.XML``, ``CONS_ENHANCED.XML``), plain or in its ZIP.

Root ``sanctionsData``; ``publicationInfo/dataAsOf`` is the publication date and
``publicationInfo/filters/sanctionsLists`` says which list the file was cut for (``SDN List``
or ``Consolidated List``). The ZIP (``CONS_ENHANCED.ZIP``) is streamed from its one ``.xml``
member with size and ratio caps (see ``tradecontrol.lists._xmlzip``). Each
``entities/entity`` becomes a listing:

* the entity's ``sanctionsLists`` name its lists, each with the date OFAC published the
  entry on it (``datePublished``): the window starts on that date. A file cut for the SDN
  List gives an SDN listing (``us-sdn-<id>``); a file cut for the Consolidated List gives a
  non-SDN listing (``us-ofac-<id>``) whose list code is the entry's non-SDN list (the first
  in ``LIST_ORDER`` (``tradecontrol.lists._ofac``) when OFAC names several; the note names
  the others). A file with no filter gives an entity one listing of each kind it is on;
* ``generalInfo/entityType`` -> kind, ``generalInfo/remarks`` -> remarks;
  ``sanctionsPrograms`` -> programmes; ``legalAuthorities`` -> citations;
  ``sanctionsTypes`` (``Block``, ``Reject``, directives) -> remarks;
* ``names``: the primary name's primary translation is the name; its other translations
  (other scripts) and every translation of the other names are aliases, weak when
  ``isLowQuality``;
* ``addresses``: the primary translation's ``addressParts`` (ADDRESS1..3 as the street,
  CITY, STATE/PROVINCE, POSTAL CODE, REGION) and ``country``;
* ``identityDocuments`` -> identifiers (issuing country, validity in the remarks when false);
* ``features``: Birthdate, Nationality/Citizenship Country -> birth dates and nationalities,
  Place of Birth -> ``POB`` in the remarks, Vessel Call Sign and other identifying features
  -> identifiers, the rest -> remarks; ``relationships`` -> remarks (``Owned or Controlled
  By: X``).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from xml.etree.ElementTree import Element

from tradecontrol.errors import TradeControlError
from tradecontrol.lists import _ofac
from tradecontrol.lists._core import Problem, Published, Record
from tradecontrol.lists._xmlzip import (
    Broken,
    Stray,
    child_text,
    elements,
    local,
    open_xml,
    root_name,
)

NAME = "ofac-enhanced-xml"

_WANTED = {"publicationInfo": 1, "entity": 2}
_STRUCTURE = {
    "entities": 1,
    "referenceValues": 1,
    "referenceValue": 2,
    "featureTypes": 1,
    "featureType": 2,
}
"""The other elements of the Enhanced XML down to the records' depth (anything else there
is reported as a problem, never skipped silently)."""
_ADDRESS_PARTS = {
    "ADDRESS1": "street",
    "ADDRESS2": "street",
    "ADDRESS3": "street",
    "CITY": "city",
    "STATE/PROVINCE": "region",
    "REGION": "region",
    "POSTAL CODE": "postal_code",
}


def sniff(head: bytes, path: Path) -> bool:
    """The root element is ``sanctionsData`` (also inside a ZIP)."""
    return root_name(head) == "sanctionsData"


def _children(elem: Element, name: str) -> list[Element]:
    return [c for c in elem if local(c.tag) == name]


def _items(elem: Element, outer: str, inner: str) -> list[Element]:
    return [item for lst in _children(elem, outer) for item in _children(lst, inner)]


def _true(elem: Element, name: str) -> bool:
    return (child_text(elem, name) or "").lower() == "true"


def read(path: Path) -> Iterator[Record]:
    """Yield the publication date, then a listing or a problem for every ``entity``."""
    source = str(path)
    kinds: set[str] = set()
    number = 0
    with open_xml(path) as stream:
        for item in elements(stream, _WANTED, source, structure=_STRUCTURE):
            if isinstance(item, Broken):
                yield Problem(source=source, record=number + 1, field="", reason=item.reason)
                return
            if isinstance(item, Stray):
                number += 1
                yield Problem(source=source, record=number, field=item.path, reason=item.reason)
                continue
            name, elem = item
            if name == "publicationInfo":
                text = child_text(elem, "dataAsOf")
                date = _ofac.iso_date(text)
                if date is not None:
                    yield Published(date)
                for lst in elem.iter():
                    if local(lst.tag) == "sanctionsList" and lst.text:
                        kinds.add(_ofac.clean(lst.text).lower())
                continue
            number += 1
            yield from _entity(elem, source, number, kinds)


def _memberships(entity: Element) -> list[tuple[str, str | None, str]]:
    """``(code or '', datePublished, list name)`` for each list the entity is on."""
    out = []
    for lst in _items(entity, "sanctionsLists", "sanctionsList"):
        name = _ofac.clean(lst.text)
        if name.lower() == _ofac.CONSOLIDATED:
            continue
        out.append((_ofac.list_code_for_name(name) or "", lst.get("datePublished"), name))
    return out


def _entity(entity: Element, source: str, number: int, kinds: set[str]) -> Iterator[Record]:
    uid = (entity.get("id") or "").strip()
    if not uid.isdigit():
        yield Problem(
            source=source, record=number, field="id", reason=f"id {uid[:40]!r} is not a number"
        )
        return
    lists = _memberships(entity)
    on_sdn = [m for m in lists if m[0] == "SDN"]
    others = [m for m in lists if m[0] != "SDN"]
    plans: list[tuple[bool, list[tuple[str, str | None, str]]]] = []
    if "sdn list" in kinds and _ofac.CONSOLIDATED not in kinds:
        plans.append((True, on_sdn))
    elif _ofac.CONSOLIDATED in kinds and "sdn list" not in kinds:
        plans.append((False, others))
    else:
        if on_sdn or not others:
            plans.append((True, on_sdn))
        if others:
            plans.append((False, others))
    for sdn, memberships in plans:
        draft = _draft(entity, source, number, uid, sdn, memberships)
        try:
            listing = draft.build()
        except TradeControlError as exc:
            yield draft.fatal(exc)
            continue
        yield from draft.problems
        yield listing


def _choose(
    draft: _ofac.Draft, memberships: list[tuple[str, str | None, str]], programs: list[str]
) -> None:
    known = [m for m in memberships if m[0]]
    for code, _, name in memberships:
        if not code:
            draft.warn("sanctionsLists", f"unknown list {name!r}")
    if draft.sdn:
        chosen = known[0] if known else None
        draft.list_code = "SDN"
    elif known:
        known.sort(key=lambda m: _ofac.LIST_ORDER.index(m[0]))
        chosen = known[0]
        draft.list_code = chosen[0]
        also = [f"{name} ({code}) since {date}" for code, date, name in known[1:]]
        if also:
            draft.note = "also on " + "; ".join(also)
    else:
        chosen = None
        draft.list_code, _ = _ofac.list_code_for_programs(programs)
        draft.warn("sanctionsLists", "no non-SDN list named; list code read from the programmes")
    if chosen is None:
        return
    start = _ofac.iso_date(chosen[1])
    if start is None:
        draft.warn("sanctionsLists", f"datePublished {chosen[1]!r} is not a date")
        return
    draft.start = start
    text = f"start is the date OFAC published the entry on the {chosen[2]}"
    draft.note = f"{text}; {draft.note}" if draft.note else text


def _draft(
    entity: Element,
    source: str,
    number: int,
    uid: str,
    sdn: bool,
    memberships: list[tuple[str, str | None, str]],
) -> _ofac.Draft:
    info = next(iter(_children(entity, "generalInfo")), None)
    kind_text = child_text(info, "entityType") if info is not None else None
    programs = [
        _ofac.clean(p.text) for p in _items(entity, "sanctionsPrograms", "sanctionsProgram")
    ]
    draft = _ofac.Draft(
        source=source,
        record=number,
        uid=uid,
        sdn=sdn,
        list_code="SDN",
        kind=_ofac.entity_kind(kind_text) or "unknown",
        programs=[p for p in programs if p],
    )
    _ofac.warn_controls(draft, entity)
    if not _ofac.entity_kind(kind_text):
        draft.warn("generalInfo.entityType", f"unknown entity type {kind_text!r}; kind unknown")
    _choose(draft, memberships, draft.programs)
    if info is not None:
        draft.remark(child_text(info, "remarks"))
    types = [_ofac.clean(t.text) for t in _items(entity, "sanctionsTypes", "sanctionsType")]
    if any(types):
        draft.remark("Sanctions types: " + ", ".join(t for t in types if t))
    draft.citations = [
        _ofac.clean(a.text) for a in _items(entity, "legalAuthorities", "legalAuthority")
    ]
    _names(draft, entity)
    for address in _items(entity, "addresses", "address"):
        _address(draft, address)
    for doc in _items(entity, "identityDocuments", "identityDocument"):
        kind = child_text(doc, "type") or "Identification Number"
        number_ = child_text(doc, "documentNumber")
        where = child_text(doc, "issuingCountry")
        draft.add_identifier(kind, number_, where, field="identityDocuments")
        if (child_text(doc, "isValid") or "true").lower() == "false":
            draft.remark(f"{kind} {number_} is not valid")
    for feature in _items(entity, "features", "feature"):
        _feature(draft, feature)
    for rel in _items(entity, "relationships", "relationship"):
        kind = child_text(rel, "type") or "Linked To"
        other = child_text(rel, "relatedEntity")
        if other:
            draft.remark(f"{kind}: {other}")
    return draft


def _names(draft: _ofac.Draft, entity: Element) -> None:
    names = _items(entity, "names", "name")
    names.sort(key=lambda n: not _true(n, "isPrimary"))
    for index, name in enumerate(names):
        primary = index == 0 and _true(name, "isPrimary")
        weak = _true(name, "isLowQuality")
        translations = _items(name, "translations", "translation")
        translations.sort(key=lambda t: not _true(t, "isPrimary"))
        for t_index, translation in enumerate(translations):
            full = child_text(translation, "formattedFullName") or ", ".join(
                x
                for x in (
                    child_text(translation, "formattedLastName"),
                    child_text(translation, "formattedFirstName"),
                )
                if x
            )
            if primary and t_index == 0:
                draft.name = full
            else:
                draft.add_alias(full, weak=weak and not primary, field="names")


def _address(draft: _ofac.Draft, address: Element) -> None:
    parts: dict[str, list[str]] = {}
    translations = _items(address, "translations", "translation")
    translations.sort(key=lambda t: not _true(t, "isPrimary"))
    for translation in translations[:1]:
        for part in _items(translation, "addressParts", "addressPart"):
            field = _ADDRESS_PARTS.get((child_text(part, "type") or "").upper(), "street")
            if value := child_text(part, "value"):
                parts.setdefault(field, []).append(value)
    draft.add_address(
        street=", ".join(parts.get("street", [])),
        city=", ".join(parts.get("city", [])),
        region=", ".join(parts.get("region", [])),
        postal_code=", ".join(parts.get("postal_code", [])),
        country_name=child_text(address, "country"),
        field="addresses",
    )


def _feature(draft: _ofac.Draft, feature: Element) -> None:
    kind = child_text(feature, "type") or ""
    value = child_text(feature, "value")
    if kind == "Birthdate":
        draft.add_birth_date(value, field="features.Birthdate")
    elif kind in ("Nationality Country", "Citizenship Country"):
        draft.add_nationality(value, field=f"features.{kind}")
    elif kind == "Place of Birth":
        draft.remark(f"POB {value}")
    elif kind == "Vessel Flag":
        draft.vessel_flag = value
        draft.remark(f"Vessel flag: {value}")
    elif value and _ofac.is_identifier_type(kind):
        draft.add_identifier(kind, value, field=f"features.{kind}")
    elif value:
        comment = child_text(feature, "comments")
        draft.remark(f"{kind} {value}" + (f" {comment}" if comment else ""))
