"""OFAC SDN Advanced XML (``SDN_ADVANCED.XML``, ``CONS_ADVANCED.XML``), plain or in its ZIP.

Root ``Sanctions`` (namespace ``.../exports/ADVANCED_XML``); ``DateOfIssue`` is the
publication date. Every code in the file (countries, feature types, party subtypes, name-part
types, alias types, lists, sanctions types, document types, scripts...) is resolved through
the file's own ``ReferenceValueSets``; a reference the file does not define is a non-fatal
problem and the raw id is kept in the remarks. The sections are read in file order:
``ReferenceValueSets``, ``Locations`` and ``IDRegDocuments`` are kept in memory, each
``DistinctParty`` is read into a draft, ``ProfileRelationships`` and ``SanctionsEntries``
complete the drafts, and the listings are yielded at the end of the file in party order.

* ``DistinctParty/@FixedRef`` -> the id (``us-sdn-<FixedRef>`` for an entry on the SDN
  List, ``us-ofac-<FixedRef>`` for a non-SDN list, as the other OFAC formats);
  ``Profile/@PartySubTypeID`` -> the kind (Vessel, Aircraft; else the party type:
  Individual -> person, Entity -> organization);
* ``Identity/Alias``: the primary alias's ``Primary Latin`` documented name is the name
  (persons as ``LAST, First``: name parts typed Last Name first); its other documented names
  (other scripts: Arabic, Cyrillic...) and every name of the other aliases are aliases,
  weak when ``LowQuality``;
* ``Feature``: Birthdate (from its ``DatePeriod``, at the precision it spans), Nationality
  and Citizenship Country -> birth dates and nationalities; Place of Birth -> ``POB`` in the
  remarks; Location -> addresses; Vessel Call Sign, Vessel Flag and identifying features
  -> identifiers; the rest -> remarks;
* ``IDRegDocument`` (by ``IdentityID``) -> identifiers;
* ``SanctionsEntry`` (by ``ProfileID``): ``ListID`` -> the list (an entity on the SDN List and
  a non-SDN list gets a listing of each), ``EntryEvent/Date`` -> the window start,
  ``SanctionsMeasure`` of type Program -> programmes, other measures -> remarks.

A party with no sanctions entry, and an entry naming no party, are fatal problems. So is an
element where the records stand that the format does not define there (a misspelled
``<DistinctPartie>``, a ``DistinctParty`` inside an unknown wrapper): it is reported with its
path, never skipped.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from pathlib import Path
from xml.etree.ElementTree import Element

import attrs

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
    xml_head,
)

NAME = "ofac-advanced-xml"

_WANTED = {
    "DateOfIssue": 1,
    "ReferenceValueSets": 1,
    "Location": 2,
    "IDRegDocument": 2,
    "DistinctParty": 2,
    "ProfileRelationship": 2,
    "SanctionsEntry": 2,
}
_STRUCTURE = {
    "Locations": 1,
    "IDRegDocuments": 1,
    "DistinctParties": 1,
    "ProfileRelationships": 1,
    "SanctionsEntries": 1,
    "SanctionsEntryLinks": 1,
    "SanctionsEntryLink": 2,
}
"""The other elements of the Advanced XML down to the records' depth (anything else there,
or a record element at another depth, is reported as a fatal problem, never skipped)."""
_LOCATION_PARTS = {
    "ADDRESS1": "street",
    "ADDRESS2": "street",
    "ADDRESS3": "street",
    "CITY": "city",
    "STATE/PROVINCE": "region",
    "REGION": "region",
    "POSTAL CODE": "postal_code",
}


def sniff(head: bytes, path: Path) -> bool:
    """The root element is ``Sanctions`` of the Advanced XML (also inside a ZIP)."""
    text = xml_head(head)
    return root_name(head) == "Sanctions" and (
        b"ADVANCED_XML" in text or b"ReferenceValueSets" in text
    )


def _kids(elem: Element, name: str) -> list[Element]:
    return [c for c in elem if local(c.tag) == name]


def _date(elem: Element | None) -> datetime.date | None:
    if elem is None:
        return None
    try:
        return datetime.date(
            int(child_text(elem, "Year") or ""),
            int(child_text(elem, "Month") or "1"),
            int(child_text(elem, "Day") or "1"),
        )
    except ValueError:
        return None


def _first(elem: Element, *path: str) -> Element | None:
    node: Element | None = elem
    for name in path:
        node = next(iter(_kids(node, name)), None) if node is not None else None
    return node


@attrs.define
class _Refs:
    """The file's ReferenceValueSets: set name -> id -> (text, attributes)."""

    sets: dict[str, dict[str, tuple[str, dict[str, str]]]] = attrs.Factory(dict)

    def load(self, elem: Element) -> None:
        for values in elem:
            for value in values:
                key = value.get("ID")
                if key is not None:
                    self.sets.setdefault(local(value.tag), {})[key] = (
                        _ofac.clean(value.text),
                        dict(value.attrib),
                    )

    def text(self, kind: str, key: str | None) -> str | None:
        found = self.sets.get(kind, {}).get(key or "")
        return found[0] if found else None

    def attr(self, kind: str, key: str | None, name: str) -> str | None:
        found = self.sets.get(kind, {}).get(key or "")
        return found[1].get(name) if found else None


@attrs.define
class _Location:
    parts: dict[str, list[str]]
    country: str | None  # an ISO code or a country name
    country_text: str | None


@attrs.define
class _Party:
    draft: _ofac.Draft
    number: int
    identities: list[str]
    entries: list[tuple[str, datetime.date | None, list[str], list[str]]] = attrs.Factory(list)
    links: list[str] = attrs.Factory(list)


def read(path: Path) -> Iterator[Record]:
    """Yield the date of issue, then a listing or a problem for every party (at the end)."""
    source = str(path)
    refs = _Refs()
    locations: dict[str, _Location] = {}
    documents: dict[str, list[Element]] = {}
    parties: dict[str, _Party] = {}
    names: dict[str, str] = {}
    number = entries = 0
    with open_xml(path) as stream:
        for item in elements(stream, _WANTED, source, structure=_STRUCTURE):
            if isinstance(item, Broken):
                yield Problem(source=source, record=number + 1, field="", reason=item.reason)
                break
            if isinstance(item, Stray):
                number += 1
                yield Problem(source=source, record=number, field=item.path, reason=item.reason)
                continue
            name, elem = item
            if name == "DateOfIssue":
                if (date := _date(elem)) is not None:
                    yield Published(date)
            elif name == "ReferenceValueSets":
                refs.load(elem)
            elif name == "Location":
                locations[elem.get("ID") or ""] = _location(elem, refs)
            elif name == "IDRegDocument":
                documents.setdefault(elem.get("IdentityID") or "", []).append(_copy(elem))
            elif name == "DistinctParty":
                number += 1
                party = _party(elem, source, number, refs, locations, documents)
                if isinstance(party, Problem):
                    yield party
                    continue
                key = _profile_id(elem) or party.draft.uid
                if key in parties:
                    yield Problem(
                        source=source,
                        record=number,
                        field="DistinctParty",
                        record_id=key,
                        reason=f"profile {key} appears twice; the second is not loaded",
                    )
                    continue
                parties[key] = party
                names[key] = party.draft.name
            elif name == "ProfileRelationship":
                _relationship(elem, refs, parties, names)
            else:
                entries += 1
                problem = _entry(elem, source, entries, refs, parties)
                if problem is not None:
                    yield problem
    for party in parties.values():
        yield from _listings(party)


def _copy(elem: Element) -> Element:
    out = Element(elem.tag, elem.attrib)
    out.text = elem.text
    out.extend(_copy(child) for child in elem)
    return out


def _profile_id(party: Element) -> str | None:
    profile = _first(party, "Profile")
    return profile.get("ID") if profile is not None else None


def _location(elem: Element, refs: _Refs) -> _Location:
    parts: dict[str, list[str]] = {}
    for part in _kids(elem, "LocationPart"):
        kind = (refs.text("LocPartType", part.get("LocPartTypeID")) or "").upper()
        field = _LOCATION_PARTS.get(kind, "other")
        for value in _kids(part, "LocationPartValue"):
            if text := child_text(value, "Value"):
                parts.setdefault(field, []).append(text)
    key = None
    found = _first(elem, "LocationCountry")
    if found is not None:
        key = found.get("CountryID")
    else:
        area = _first(elem, "LocationAreaCode")
        if area is not None:
            key = refs.attr("AreaCode", area.get("AreaCodeID"), "CountryID")
    code = refs.attr("Country", key, "ISO2")
    text = refs.text("Country", key)
    return _Location(parts=parts, country=code, country_text=text)


def _name(alias_name: Element, groups: dict[str, str], person: bool) -> str:
    last: list[str] = []
    other: list[str] = []
    for part in _kids(alias_name, "DocumentedNamePart"):
        for value in _kids(part, "NamePartValue"):
            text = _ofac.clean(value.text)
            if not text:
                continue
            kind = groups.get(value.get("NamePartGroupID") or "", "")
            (last if person and kind == "Last Name" else other).append(text)
    if last and other:
        return f"{' '.join(last)}, {' '.join(other)}"
    return " ".join(last + other)


def _party(
    elem: Element,
    source: str,
    number: int,
    refs: _Refs,
    locations: dict[str, _Location],
    documents: dict[str, list[Element]],
) -> _Party | Problem:
    uid = (elem.get("FixedRef") or "").strip()
    profile = _first(elem, "Profile")
    if not uid.isdigit() or profile is None:
        return Problem(
            source=source,
            record=number,
            field="DistinctParty",
            reason=f"party {uid[:40]!r} has no numeric FixedRef or no Profile",
        )
    sub = profile.get("PartySubTypeID")
    sub_text = refs.text("PartySubType", sub)
    party_type = refs.text("PartyType", refs.attr("PartySubType", sub, "PartyTypeID"))
    kind = _ofac.entity_kind(sub_text) or _ofac.entity_kind(party_type)
    draft = _ofac.Draft(
        source=source, record=number, uid=uid, sdn=True, list_code="SDN", kind=kind or "unknown"
    )
    _ofac.warn_controls(draft, elem)
    if kind is None:
        draft.warn("Profile.PartySubTypeID", f"party subtype {sub!r} is not defined; kind unknown")
    person = draft.kind == "person"
    identities = []
    for identity in _kids(profile, "Identity"):
        identities.append(identity.get("ID") or "")
        groups: dict[str, str] = {}
        for group in identity.iter():
            if local(group.tag) == "NamePartGroup":
                kind_id = group.get("NamePartTypeID")
                groups[group.get("ID") or ""] = refs.text("NamePartType", kind_id) or ""
        for alias in _kids(identity, "Alias"):
            primary = alias.get("Primary") == "true" and identity.get("Primary") != "false"
            weak = alias.get("LowQuality") == "true"
            alias_type = refs.text("AliasType", alias.get("AliasTypeID"))
            if alias_type is None:
                draft.warn("Alias.AliasTypeID", f"alias type {alias.get('AliasTypeID')!r} is "
                           "not defined")  # fmt: skip
            for documented in _kids(alias, "DocumentedName"):
                status = refs.text("DocNameStatus", documented.get("DocNameStatusID")) or ""
                text = _name(documented, groups, person)
                if primary and not draft.name and status.lower() == "primary latin":
                    draft.name = text
                else:
                    draft.add_alias(text, weak=weak and not primary, field="Alias")
        for document in documents.get(identity.get("ID") or "", []):
            _document(draft, document, refs)
    if not draft.name and draft.aliases:
        draft.name = draft.aliases.pop(0)
    for feature in _kids(profile, "Feature"):
        _feature(draft, feature, refs, locations)
    return _Party(draft=draft, number=number, identities=identities)


def _document(draft: _ofac.Draft, doc: Element, refs: _Refs) -> None:
    kind = refs.text("IDRegDocType", doc.get("IDRegDocTypeID"))
    if kind is None:
        draft.warn("IDRegDocument", f"document type {doc.get('IDRegDocTypeID')!r} is not defined")
        kind = "Identification Number"
    where = refs.text("Country", doc.get("IssuedBy-CountryID"))
    code = refs.attr("Country", doc.get("IssuedBy-CountryID"), "ISO2")
    draft.add_identifier(kind, child_text(doc, "IDRegistrationNo"), code or where,
                         field="IDRegDocument")  # fmt: skip


def _period(feature_version: Element) -> str | None:
    period = _first(feature_version, "DatePeriod")
    if period is None:
        return None
    start = _first(period, "Start")
    end = _first(period, "End")
    begin = _date(_first(start, "From")) if start is not None else None
    finish = _date(_first(end, "To")) if end is not None else None
    approximate = any(
        node is not None and node.get("Approximate") == "true" for node in (start, end)
    )
    return _ofac.period_date(begin, finish, approximate=approximate)


def _feature(
    draft: _ofac.Draft, feature: Element, refs: _Refs, locations: dict[str, _Location]
) -> None:
    kind = refs.text("FeatureType", feature.get("FeatureTypeID"))
    if kind is None:
        draft.warn("Feature", f"feature type {feature.get('FeatureTypeID')!r} is not defined; "
                   "kept in remarks")  # fmt: skip
        kind = f"Feature {feature.get('FeatureTypeID')}"
    for version in _kids(feature, "FeatureVersion"):
        detail = _first(version, "VersionDetail")
        value = _ofac.clean(detail.text) if detail is not None else ""
        if detail is not None and detail.get("DetailReferenceID"):
            ref = detail.get("DetailReferenceID")
            value = refs.text("DetailReference", ref) or ""
            if not value:
                draft.warn(f"Feature.{kind}", f"detail reference {ref!r} is not defined; "
                           "kept in remarks")  # fmt: skip
                value = f"(reference {ref})"
        date = _period(version)
        where = [locations[x.get("LocationID") or ""] for x in _kids(version, "VersionLocation")
                 if (x.get("LocationID") or "") in locations]  # fmt: skip
        missing = [x.get("LocationID") for x in _kids(version, "VersionLocation")
                   if (x.get("LocationID") or "") not in locations]  # fmt: skip
        if missing:
            draft.warn(f"Feature.{kind}", f"location {missing[0]!r} is not defined")
        if kind == "Birthdate":
            if date:
                if date not in draft.birth_dates:
                    draft.birth_dates.append(date)
            else:
                draft.add_birth_date(value, field="Feature.Birthdate")
        elif kind in ("Nationality Country", "Citizenship Country"):
            for loc in where:
                draft.add_nationality(loc.country or loc.country_text or _loc_text(loc),
                                      field=f"Feature.{kind}")  # fmt: skip
            if value:
                draft.add_nationality(value, field=f"Feature.{kind}")
        elif kind == "Place of Birth":
            draft.remark(f"POB {value or ', '.join(_loc_text(x) for x in where)}")
        elif kind == "Location":
            for loc in where:
                draft.add_address(
                    street=", ".join(loc.parts.get("street", []) + loc.parts.get("other", [])),
                    city=", ".join(loc.parts.get("city", [])),
                    region=", ".join(loc.parts.get("region", [])),
                    postal_code=", ".join(loc.parts.get("postal_code", [])),
                    country_name=loc.country or loc.country_text,
                    field="Feature.Location",
                )
        elif kind == "Vessel Flag":
            draft.vessel_flag = value
            draft.remark(f"Vessel flag: {value}")
        elif value and _ofac.is_identifier_type(kind):
            draft.add_identifier(kind, value, field=f"Feature.{kind}")
        else:
            text = value or date or ", ".join(_loc_text(x) for x in where)
            if text:
                draft.remark(f"{kind} {text}")


def _loc_text(loc: _Location) -> str:
    return ", ".join(
        [x for field in ("street", "city", "region", "postal_code", "other")
         for x in loc.parts.get(field, [])] + ([loc.country_text] if loc.country_text else [])
    )  # fmt: skip


def _relationship(
    elem: Element, refs: _Refs, parties: dict[str, _Party], names: dict[str, str]
) -> None:
    origin = parties.get(elem.get("From-ProfileID") or "")
    other = names.get(elem.get("To-ProfileID") or "")
    if origin is None:
        return
    kind = refs.text("RelationType", elem.get("RelationTypeID")) or "Linked To"
    origin.links.append(f"{kind}: {other or 'profile ' + (elem.get('To-ProfileID') or '?')}")


def _entry(
    elem: Element, source: str, number: int, refs: _Refs, parties: dict[str, _Party]
) -> Problem | None:
    profile = elem.get("ProfileID") or ""
    party = parties.get(profile)
    if party is None:
        return Problem(
            source=source,
            record=number,
            field="SanctionsEntry.ProfileID",
            reason=f"sanctions entry {elem.get('ID')!r} names profile {profile!r}, which is not "
            "a party of this file",
            record_id=profile or None,
        )
    list_name = refs.text("List", elem.get("ListID")) or ""
    code = _ofac.list_code_for_name(list_name) or ""
    if list_name.lower() == _ofac.CONSOLIDATED:
        return None
    if not code:
        shown = list_name or "not defined"
        party.draft.warn(
            "SanctionsEntry.ListID",
            f"list {elem.get('ListID')!r} ({shown}) is not a list this loader knows",
        )
    start = None
    for event in _kids(elem, "EntryEvent"):
        start = start or _date(_first(event, "Date"))
    programs, measures = [], []
    for measure in _kids(elem, "SanctionsMeasure"):
        kind = refs.text("SanctionsType", measure.get("SanctionsTypeID"))
        comment = child_text(measure, "Comment")
        if kind == "Program" and comment:
            programs.append(comment)
        elif kind:
            measures.append(kind + (f" ({comment})" if comment else ""))
        else:
            party.draft.warn("SanctionsMeasure", f"sanctions type "
                             f"{measure.get('SanctionsTypeID')!r} is not defined")  # fmt: skip
    party.entries.append((code, start, programs, measures))
    return None


def _listings(party: _Party) -> Iterator[Record]:
    base = party.draft
    if not party.entries:
        yield Problem(
            source=base.source,
            record=party.number,
            field="SanctionsEntry",
            reason="the party has no sanctions entry (no list, programme or date)",
            record_id=base.uid,
        )
        return
    sdn = [e for e in party.entries if e[0] == "SDN"]
    other = sorted(
        (e for e in party.entries if e[0] != "SDN"),
        key=lambda e: _ofac.LIST_ORDER.index(e[0]) if e[0] in _ofac.LIST_ORDER else 99,
    )
    for is_sdn, group in ((True, sdn), (False, other)):
        if not group:
            continue
        draft = attrs.evolve(
            base,
            sdn=is_sdn,
            list_code="SDN" if is_sdn else (group[0][0] or "NON-SDN"),
            problems=list(base.problems),
            remarks=list(base.remarks),
            programs=[p for e in group for p in e[2]],
            start=group[0][1],
        )
        for link in party.links:
            draft.remark(link)
        measures = list(dict.fromkeys(m for e in group for m in e[3]))
        if measures:
            draft.remark("Sanctions measures: " + ", ".join(measures))
        if draft.start is not None:
            draft.note = "start is the date of the entry's Created event"
        also = [e[0] for e in group[1:] if e[0]]
        if also:
            draft.note = (draft.note or _ofac.NO_DATE_NOTE) + "; also on " + ", ".join(also)
        try:
            listing = draft.build()
        except TradeControlError as exc:
            yield draft.fatal(exc)
            continue
        yield from draft.problems
        yield listing
