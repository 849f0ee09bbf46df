"""OFAC classic ``sdnList`` XML: ``sdn.xml`` (SDN List) and ``consolidated.xml`` (non-SDN lists).

Root ``sdnList`` in any namespace (the old ``http://tempuri.org/sdnList.xsd`` or the newer
``https://sanctionslistservice.ofac.treas.gov/.../exports/XML``), read as a file or as the
one ``.xml`` member of a ZIP archive. ``publshInformation/Publish_Date`` (MM/DD/YYYY) is the
publication date. Each ``sdnEntry`` becomes one listing:

* ``uid`` -> the id (``us-sdn-<uid>`` or ``us-ofac-<uid>``, the same as the legacy CSV);
  ``lastName``/``firstName`` -> ``LAST, First`` as OFAC writes it; ``sdnType`` (``nspType``
  in some consolidated files) -> the kind; ``programList`` -> programmes;
* ``akaList`` -> aliases (``category`` ``weak`` -> weak aliases); ``addressList`` ->
  addresses (``address1..3`` as the street, ``stateOrProvince`` as the region);
* ``dateOfBirthList``, ``nationalityList``, ``citizenshipList`` -> birth dates and
  nationalities (persons); ``placeOfBirthList`` -> ``POB ...`` in the remarks;
* ``idList`` -> identifiers for identity documents and identifying features (passport,
  IMO, SWIFT/BIC, website...), and remarks for descriptive ones (``Gender``, ``Secondary
  sanctions risk:``, directive and CMIC dates); issue and expiry dates go to the remarks;
* ``vesselInfo`` -> a ``call_sign`` identifier and vessel remarks; ``title`` and
  ``remarks`` -> remarks.

Whether the file holds the SDN List or the non-SDN lists, and each non-SDN entry's list
code, are read from the programmes as for the legacy CSV (see ``tradecontrol.lists._ofac``);
the file is read twice for that.
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

NAME = "ofac-xml"

_WANTED = {"publshInformation": 1, "sdnEntry": 1}


def sniff(head: bytes, path: Path) -> bool:
    """The root element is ``sdnList``."""
    return root_name(head) == "sdnList"


def _children(elem: Element, name: str) -> list[Element]:
    return [c for c in elem if local(c.tag) == name]


def _items(elem: Element, outer: str, inner: str) -> list[Element]:
    return [item for lst in _children(elem, outer) for item in _children(lst, inner)]


def _person_name(elem: Element) -> str:
    last, first = child_text(elem, "lastName"), child_text(elem, "firstName")
    return ", ".join(x for x in (last, first) if x)


def _programs(entry: Element) -> list[str]:
    return [_ofac.clean(p.text) for p in _items(entry, "programList", "program") if p.text]


def _is_non_sdn(path: Path) -> bool:
    entries = []
    with open_xml(path) as stream:
        for item in elements(stream, {"sdnEntry": 1}, str(path)):
            if isinstance(item, Broken):
                break
            if isinstance(item, Stray):  # pragma: no cover - only with structure=
                continue
            entries.append(_programs(item[1]))
    return _ofac.is_non_sdn_file(entries, path.name)


def read(path: Path) -> Iterator[Record]:
    """Yield the publication date, then a listing or a problem for every ``sdnEntry``."""
    source = str(path)
    non_sdn = _is_non_sdn(path)
    number = 0
    with open_xml(path) as stream:
        for item in elements(stream, _WANTED, source, structure={}):
            if isinstance(item, Broken):
                yield Problem(source=source, record=number + 1, field="", reason=item.reason)
                return
            if isinstance(item, Stray):
                number += 1
                yield Problem(source=source, record=number, field=item.path, reason=item.reason)
                continue
            name, elem = item
            if name == "publshInformation":
                text = child_text(elem, "Publish_Date")
                date = _ofac.iso_date(text)
                if date is not None:
                    yield Published(date)
                elif text:
                    yield Problem(
                        source=source,
                        record=0,
                        field="publshInformation.Publish_Date",
                        reason=f"{text!r} is not a date (MM/DD/YYYY)",
                        fatal=False,
                    )
                continue
            number += 1
            yield from _entry(elem, source, number, non_sdn)


def _entry(entry: Element, source: str, number: int, non_sdn: bool) -> Iterator[Record]:
    uid = child_text(entry, "uid") or ""
    if not uid.isdigit():
        yield Problem(
            source=source, record=number, field="uid", reason=f"uid {uid[:40]!r} is not a number"
        )
        return
    programs = _programs(entry)
    code, matched = _ofac.list_code_for_programs(programs) if non_sdn else ("SDN", True)
    kind_text = child_text(entry, "sdnType") or child_text(entry, "nspType")
    draft = _ofac.Draft(
        source=source,
        record=number,
        uid=uid,
        sdn=not non_sdn,
        list_code=code,
        name=_person_name(entry),
        kind=_ofac.entity_kind(kind_text) or "unknown",
        programs=programs,
    )
    _ofac.warn_controls(draft, entry)
    if not _ofac.entity_kind(kind_text):
        draft.warn("sdnType", f"unknown sdnType {kind_text!r}; kind unknown")
    if not matched:
        draft.warn("programList", f"programmes {programs} name no non-SDN list; listed as NON-SDN")
    draft.remark(child_text(entry, "remarks"))
    if title := child_text(entry, "title"):
        draft.remark(f"Title: {title}")
    for aka in _items(entry, "akaList", "aka"):
        weak = (child_text(aka, "category") or "").lower() == "weak"
        draft.add_alias(_person_name(aka), weak=weak, field="akaList")
    for address in _items(entry, "addressList", "address"):
        street = ", ".join(x for x in (child_text(address, f"address{i}") for i in (1, 2, 3)) if x)
        draft.add_address(
            street=street,
            city=child_text(address, "city"),
            region=child_text(address, "stateOrProvince"),
            postal_code=child_text(address, "postalCode"),
            country_name=child_text(address, "country") or child_text(address, "region"),
            field="addressList",
        )
    births = _items(entry, "dateOfBirthList", "dateOfBirthItem")
    births.sort(key=lambda e: (child_text(e, "mainEntry") or "").lower() != "true")
    for item in births:
        draft.add_birth_date(child_text(item, "dateOfBirth"), field="dateOfBirthList")
    for outer, inner in (("nationalityList", "nationality"), ("citizenshipList", "citizenship")):
        for item in _items(entry, outer, inner):
            draft.add_nationality(child_text(item, "country"), field=outer)
    for item in _items(entry, "placeOfBirthList", "placeOfBirthItem"):
        if place := child_text(item, "placeOfBirth"):
            draft.remark(f"POB {place}")
    for ident in _items(entry, "idList", "id"):
        _identifier(draft, ident)
    for vessel in _children(entry, "vesselInfo"):
        draft.add_identifier("Vessel Call Sign", child_text(vessel, "callSign"), field="vesselInfo")
        draft.vessel_flag = child_text(vessel, "vesselFlag")
        for tag, label in (("vesselType", "Vessel type"), ("tonnage", "Tonnage"),
                           ("grossRegisteredTonnage", "GRT"), ("vesselFlag", "Vessel flag"),
                           ("vesselOwner", "Vessel owner")):  # fmt: skip
            if value := child_text(vessel, tag):
                draft.remark(f"{label}: {value}")
    try:
        listing = draft.build()
    except TradeControlError as exc:
        yield draft.fatal(exc)
        return
    yield from draft.problems
    yield listing


def _identifier(draft: _ofac.Draft, ident: Element) -> None:
    kind = child_text(ident, "idType") or ""
    value = child_text(ident, "idNumber")
    where = child_text(ident, "idCountry")
    issued, expires = child_text(ident, "issueDate"), child_text(ident, "expirationDate")
    text = " ".join(x for x in (kind, value) if x) + (f" ({where})" if where else "")
    if kind and value and _ofac.is_identifier_type(kind):
        draft.add_identifier(kind, value, where, field="idList")
        if issued or expires:
            dates = (f" issued {issued}" if issued else "") + (
                f" expires {expires}" if expires else ""
            )
            draft.remark(text + dates)
    elif text:
        draft.remark(text)
