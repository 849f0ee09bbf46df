"""EU Financial Sanctions Files (FSF), XML 1.1 (``xmlFullSanctionsList_1_1``).

Source: https://webgate.ec.europa.eu/fsd/fsf (European Commission, FPI). The root
``export`` (namespace ``http://eu.europa.ec/fpi/fsd/export``) carries ``generationDate``
(the publication date); each ``sanctionEntity`` becomes one listing ``eu-<logicalId>``
(list code ``EU``, authority ``EU``).

Mapping and quirks:

* ``subjectType/@code``: ``person`` or ``enterprise`` (organization).
* ``nameAlias/@wholeName`` (or first, middle and last name): the primary name is the
  first strong Latin-script alias with a ``function``, else with a ``lastName``, else
  the first strong Latin-script one; the others (non-Latin scripts included) are
  aliases. ``strong="false"`` and alias remarks saying "low quality" make weak aliases.
  Functions, titles, genders and other alias remarks go to the remarks.
* The window starts at ``designationDate`` or the ``regulation``'s
  ``entryIntoForceDate``, whichever is earlier (zone Europe/Brussels); the regulation
  named may be a later amendment, so without a ``designationDate`` the version's note
  says so. ``regulation/@programme`` gives the programmes, its ``numberTitle`` and
  ``publicationUrl`` the citations (the URL is also ``source_url``).
* ``citizenship/@countryIso2Code`` gives nationalities (``00`` = unknown).
* ``birthdate``: ``birthdate`` (a Gregorian date), else ``year``/``monthOfYear``/
  ``dayOfMonth``, else ``yearRangeFrom``/``yearRangeTo``; ``circa="true"`` prefixes
  ``circa``. With ``calendarType`` other than ``GREGORIAN`` (``ISLAMIC``) only the
  Gregorian ``birthdate`` attribute is kept; when only the non-Gregorian parts are given
  it is a non-fatal problem and the raw date goes to the remarks. Places of birth go to
  the remarks.
* ``address``: street with ``poBox`` and ``place``, city, ``zipCode``, region, country;
  ``contactInfo`` and remarks go to the remarks.
* ``identification/@identificationTypeCode`` ``passport``, ``id`` (national_id),
  ``regnumber``, ``fiscalcode`` (tax_id), ``swiftbic``, ``imo``...; others keep their
  code as the scheme.
"""

from __future__ import annotations

import datetime
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
    is_latin,
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

NAME = "eu-fsf-xml"

NAMESPACE = "http://eu.europa.ec/fpi/fsd/export"

ZONE = "Europe/Brussels"

_KINDS = {"person": EntityKind.PERSON, "enterprise": EntityKind.ORGANIZATION}

_SCHEMES = {
    "passport": "passport",
    "id": "national_id",
    "regnumber": "registration_number",
    "fiscalcode": "tax_id",
    "swiftbic": "swift_bic",
    "imo": "imo",
    "ssn": "social_security_number",
    "birthcert": "birth_certificate",
    "drivinglicence": "driving_licence",
    "travel": "travel_document",
    "other": "other",
}

_WEAK = re.compile(r"\blow? quality\b", re.IGNORECASE)
_QUALITY = re.compile(r"^\s*(?:good|high|strong|god)\s+quality\s+ali+as\s*\.?\s*$", re.IGNORECASE)


def sniff(head: bytes, path: Path) -> bool:
    """Root ``export`` in the FSF namespace (or holding ``sanctionEntity`` elements)."""
    root = xml_root(head)
    if root is None or root[0] != "export":
        return False
    return NAMESPACE in root[1] or "<sanctionEntity" in root[2]


def read(path: Path) -> Iterator[Record]:
    """Yield the publication date, then a listing or fatal problem per sanctionEntity.

    Raises:
        DataError: Unreadable file, XML not well-formed, DTD or entity declarations, or
            defusedxml missing.
    """
    source = str(path)
    published: list[Record] = []

    def on_start(depth: int, elem: Node) -> None:
        if depth == 0:
            published.extend(publication(source, "generationDate", elem.get("generationDate")))

    seen: dict[str, int] = {}
    for number, elem in enumerate(
        xml_records(path, {"sanctionEntity": 1}, structure={}, on_start=on_start),
        start=1,
    ):
        yield from published
        published.clear()
        if isinstance(elem, Stray):
            yield stray_problem(source, number, elem)
            continue
        yield from unique_id(
            source, seen, number, guarded(source, number, _record, source, number, elem)
        )
    yield from published


def _children(elem: Node, name: str) -> list[Node]:
    return [child for child in elem if local(child.tag) == name]


def _attr(elem: Node, name: str) -> str:
    return squash(elem.get(name))


def _remarks(elem: Node) -> list[str]:
    return [t for t in (squash(r.text) for r in _children(elem, "remark")) if t]


def _record(source: str, number: int, elem: Node) -> Iterator[Problem | Record]:
    logical_id = _attr(elem, "logicalId")
    draft = Draft(source, number, logical_id or None)
    if not logical_id:
        yield from draft.fail("logicalId", "no logicalId")
        return
    subject = _children(elem, "subjectType")
    subject_code = _attr(subject[0], "code") if subject else ""
    kind = _KINDS.get(subject_code.lower(), EntityKind.UNKNOWN)
    if kind is EntityKind.UNKNOWN:
        draft.problem("subjectType", f"unknown subject type {subject_code[:40]!r}")
        draft.note("Subject type", subject_code)

    for remark in _remarks(elem):
        draft.note("", draft.text("remark", remark))
    draft.note("EU reference number", _attr(elem, "euReferenceNumber"))
    draft.note("UN id", _attr(elem, "unitedNationId"))
    draft.note("Designation details", _attr(elem, "designationDetails"))

    name = _names(draft, elem)
    if name is None:
        yield from draft.fail("nameAlias", "no name")
        return
    start, note, url = _regulations(draft, elem)
    for citizenship in _children(elem, "citizenship"):
        code = draft.iso_country(
            "citizenship",
            citizenship.get("countryIso2Code"),
            citizenship.get("countryDescription"),
        )
        if code is not None:
            draft.nationalities.append(code)
        for remark in _remarks(citizenship):
            draft.note("Citizenship", remark)
    _births(draft, elem)
    _addresses(draft, elem)
    _identifications(draft, elem)
    country = None
    if kind is not EntityKind.PERSON and len(set(draft.nationalities)) == 1:
        country = draft.nationalities.pop()
    yield from draft.listing(
        id=f"eu-{logical_id}",
        list_code="EU",
        authority="EU",
        name=name,
        kind=kind,
        country=country,
        window=draft.window("designationDate", start, None, ZONE),
        note=note,
        source_url=url,
    )


def _names(draft: Draft, elem: Node) -> str | None:
    """Aliases into the draft; returns the primary name."""
    strong: list[tuple[int, str]] = []  # (rank, name), lower rank preferred
    for alias in _children(elem, "nameAlias"):
        whole = _attr(alias, "wholeName") or " ".join(
            p for p in (_attr(alias, f) for f in ("firstName", "middleName", "lastName")) if p
        )
        name = draft.name_text("nameAlias.wholeName", whole)
        weak = _attr(alias, "strong").lower() == "false"
        for remark in _remarks(alias):
            if _WEAK.search(remark):
                weak = True
            elif not _QUALITY.match(remark):
                draft.note(f"Name {name}" if name else "Name", remark)
        function = _attr(alias, "function")
        draft.note("Function", function)
        draft.note("Title", _attr(alias, "title"))
        draft.note("Gender", _attr(alias, "gender"))
        if name is None:
            continue
        if weak:
            draft.alias("nameAlias", name, weak=True)
            continue
        draft.alias("nameAlias", name)
        rank = 0 if function else 1 if _attr(alias, "lastName") else 2
        strong.append((rank if is_latin(name) else 3, name))
    if strong:
        return min(strong, key=lambda x: x[0])[1]
    return draft.weak_aliases[0] if draft.weak_aliases else None


def _regulations(draft: Draft, elem: Node) -> tuple[datetime.date | None, str | None, str | None]:
    """Programmes and citations into the draft; returns (start, version note, source URL)."""
    designated_raw = _attr(elem, "designationDate")
    designated = iso_date(designated_raw)
    if designated_raw and designated is None:
        draft.problem("designationDate", f"not a date: {designated_raw[:40]!r}")
        draft.note("Designation date", designated_raw)
    starts = [designated] if designated else []
    url = None
    regulations = []
    for reg in _children(elem, "regulation"):
        programme = draft.text("regulation.programme", _attr(reg, "programme"))
        if programme:
            draft.programs.append(programme)
        title = draft.text("regulation", _attr(reg, "numberTitle"))  # (also in the note)
        links = [
            x
            for x in (draft.text("regulation", p.text) for p in _children(reg, "publicationUrl"))
            if x
        ]
        draft.citations.extend(x for x in (title, *links) if x)  # (cleaned above)
        url = url or (links[0] if links else None)
        force_raw = _attr(reg, "entryIntoForceDate")
        force = iso_date(force_raw)
        if force_raw and force is None:
            draft.problem("regulation.entryIntoForceDate", f"not a date: {force_raw[:40]!r}")
            draft.note("Entry into force", force_raw)
        if force:
            starts.append(force)
            regulations.append(
                f"{_attr(reg, 'regulationType') or 'regulation'} {title or '(untitled)'}"
                f" in force {force.isoformat()}"
            )
    start = min(starts) if starts else None
    if start is None:
        note = NO_DATE_NOTE
    elif designated is None:
        note = (
            "designation date not stated; window starts at the entry into force of "
            + "; ".join(regulations)
            + " (the entry may be older)"
        )
    else:
        note = None
    if url is not None and len(url) > 4096:
        url = None
    return start, note, url


def _births(draft: Draft, elem: Node) -> None:
    for birth in _children(elem, "birthdate"):
        field = "birthdate"
        calendar = _attr(birth, "calendarType").upper() or "GREGORIAN"
        full = iso_date(_attr(birth, "birthdate"))
        year, month, day = (_attr(birth, a) for a in ("year", "monthOfYear", "dayOfMonth"))
        low, high = _attr(birth, "yearRangeFrom"), _attr(birth, "yearRangeTo")
        circa = _attr(birth, "circa").lower() == "true"
        value = ""
        if full is not None:
            value = full.isoformat()
        elif calendar != "GREGORIAN":
            raw = "-".join(p for p in (year, month, day) if p) or _attr(birth, "birthdate")
            if raw or low or high:
                draft.problem(
                    field,
                    f"date of birth given only in the {calendar.lower()} calendar; kept in remarks",
                )
                draft.note(f"Date of birth ({calendar.lower()} calendar)", raw or f"{low}-{high}")
        elif year and re.fullmatch(r"[0-9]{4}", year):
            value = year
            if re.fullmatch(r"[0-9]{1,2}", month) and 1 <= int(month) <= 12:
                value += f"-{int(month):02d}"
                if re.fullmatch(r"[0-9]{1,2}", day):
                    value += f"-{int(day):02d}"
        elif low and high:
            value = f"{low} to {high}"
        elif low or high:
            value, circa = low or high, True
        elif _attr(birth, "birthdate"):
            value = _attr(birth, "birthdate")
        if value:
            draft.birth_date(field, f"circa {value}" if circa else value)
        place = [_attr(birth, a) for a in ("place", "city", "zipCode", "region")]
        place = [p for p in place if p and p != "-"]
        country = _attr(birth, "countryDescription")
        if country and country.upper() != "UNKNOWN":
            place.append(country)
        draft.note("Place of birth", ", ".join(place))
        for remark in _remarks(birth):
            draft.note(f"Date of birth {value}".strip(), remark)


def _addresses(draft: Draft, elem: Node) -> None:
    for addr in _children(elem, "address"):
        street = _attr(addr, "street")
        extras = [_attr(addr, "place")]
        if _attr(addr, "poBox"):
            extras.append(f"P.O. Box {_attr(addr, 'poBox')}")
        street = ", ".join(p.rstrip(" ,") for p in (street, *extras) if p.rstrip(" ,"))
        country = draft.iso_country(
            "address.countryIso2Code", addr.get("countryIso2Code"), addr.get("countryDescription")
        )
        draft.address(
            "address",
            street=street,
            city=_attr(addr, "city"),
            region=_attr(addr, "region"),
            postal_code=_attr(addr, "zipCode"),
            country=country,
        )
        where = _attr(addr, "city") or street or _attr(addr, "countryDescription")
        for remark in _remarks(addr):
            draft.note(f"Address {where}".strip(), remark)
        for contact in _children(addr, "contactInfo"):
            draft.note(_attr(contact, "key").capitalize() or "Contact", _attr(contact, "value"))


def _identifications(draft: Draft, elem: Node) -> None:
    for ident in _children(elem, "identification"):
        code = _attr(ident, "identificationTypeCode").lower()
        scheme = _SCHEMES.get(code) or re.sub(r"[^a-z0-9]+", "_", code).strip("_") or "other"
        number = _attr(ident, "number") or _attr(ident, "latinNumber")
        country = draft.iso_country(
            "identification.countryIso2Code",
            ident.get("countryIso2Code"),
            ident.get("countryDescription"),
        )
        if number:
            draft.identifier("identification", scheme, number, country)
        details = [
            _attr(ident, "identificationTypeDescription") if scheme == "other" else "",
            f"issued {_attr(ident, 'issueDate')}" if _attr(ident, "issueDate") else "",
            f"valid to {_attr(ident, 'validTo')}" if _attr(ident, "validTo") else "",
            f"issued by {_attr(ident, 'issuedBy')}" if _attr(ident, "issuedBy") else "",
            f"name on document {_attr(ident, 'nameOnDocument')}"
            if _attr(ident, "nameOnDocument")
            else "",
            *(
                flag
                for flag, attr in (
                    ("diplomatic", "diplomatic"),
                    ("known expired", "knownExpired"),
                    ("known false", "knownFalse"),
                    ("reported lost", "reportedLost"),
                    ("revoked by issuer", "revokedByIssuer"),
                )
                if _attr(ident, attr).lower() == "true"
            ),
            *_remarks(ident),
        ]
        draft.note(f"{scheme} {number}".strip(), ", ".join(d for d in details if d))
