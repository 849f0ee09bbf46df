"""trade.gov Consolidated Screening List (CSL) in JSON: the ITA API's result objects.

The International Trade Administration publishes the CSL (the export screening lists of
Commerce, State and the Treasury in one feed) through its API as JSON objects with the keys
``source``, ``entity_number``, ``type``, ``programs``, ``name``, ``title``, ``addresses``
(``address``, ``city``, ``state``, ``postal_code``, ``country``),
``federal_register_notice``, ``start_date``, ``end_date``, ``standard_order``,
``license_requirement``, ``license_policy``, ``call_sign``, ``vessel_*``, ``remarks``,
``source_list_url``, ``source_information_url``, ``alt_names``, ``ids`` (``type``,
``number``, ``country``, ``issue_date``, ``expiration_date``), ``dates_of_birth``,
``nationalities``, ``citizenships`` and ``places_of_birth``. This loader reads a file that
holds either a JSON array of such objects (ITA's own expected-results fixtures) or the API's
search response, an object whose ``results`` array holds them (its ``sources_used`` give
each list's ``source_last_updated``; the latest becomes the publication date).

Quirks:

* JSON has no standard streaming parser, so the file is read whole (at most
  :data:`MAX_BYTES`); a file that is not valid JSON is one fatal problem (record 0, "the
  file"). Elements are numbered from 1 in the array.
* ``source`` names the list and the agency: ``Entity List (EL) - Bureau of Industry and
  Security`` gives list code ``EL`` and authority ``US-BIS``; Treasury lists give
  ``US-OFAC``, State lists ``US-STATE``. Codes the CSL spells oddly are mapped:
  ``NS-MBS List`` → ``NS-MBS``, ``13599`` → ``EO13599``, ``561`` → ``PART561``.
* Ids: ``csl-<list code, lower case>-<entity_number>`` (OFAC lists), otherwise
  ``csl-<code>-<first 16 hex digits of the SHA-1 of the UTF-8 JSON text of
  [source, name, [[address, city, state, postal_code, country], ...]]>`` (compact
  separators, values as given, ``null`` for missing parts) — stable across exports as long
  as the name and addresses are unchanged. Entries of one file that share those fields
  (ITA's EL fixture lists one person three times under different notices) hash
  ``federal_register_notice``, ``start_date``, ``end_date``, ``title`` and ``alt_names``
  too; entries identical in all of them are a fatal duplicate: refused, or skipped (a
  fatal problem with ``skipped=True``, nothing lost) when the two JSON objects are equal
  in every key and value (as JSON: ``1``, ``1.0`` and ``true`` differ). ITA's own ``id``
  is not used: it changes when any field (even the Federal Register citation) changes.
* ``start_date`` is the Federal Register *publication* date of the rule for the Entity List,
  MEU and UVL, not the effective date; the version note says so. Other lists give the
  date of the order or determination.
* ``federal_register_notice`` may hold several citations (``84 FR 22961, 84 FR 43495``);
  they become separate citations, cleaned of non-breaking and trailing spaces. A
  Denied Persons List row's notices are split as the DPL file's (``dpl_citations``:
  one per ``F.R.`` head whatever the spacing, written ``81 FR 45276``).
* ``license_requirement`` naming "all items subject to the EAR" becomes that scope (a text
  that narrows it with exceptions keeps the conservative scope and raises a non-fatal
  problem); ``license_policy`` becomes the review policy, the most restrictive one when the
  text names several, with the text kept in ``review_policy_text``.
* ID types that are not identifiers (websites, e-mail addresses, "... Determination -"
  statements) and identifier issue and expiry dates go to ``remarks``.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from tradecontrol import _validators as v
from tradecontrol._time import Window
from tradecontrol.decision import ReviewPolicy
from tradecontrol.entities import Address, Entity, EntityKind, Identifier
from tradecontrol.errors import DataError, TradeControlError
from tradecontrol.jurisdictions import country_code
from tradecontrol.listings import (
    LicenseRequirement,
    Listing,
    ListingVersion,
    RequirementScope,
)
from tradecontrol.lists._core import Problem, Published, Record
from tradecontrol.lists._text import (
    CONTROLS_REMOVED,
    clean,
    controls_removed,
    fr_citation_parts,
    unique_keys,
    without_controls,
)

NAME = "csl-json"

MAX_BYTES = 256 << 20
"""Largest file read (the whole CSL as JSON is about 30 MB)."""

ZONE = "America/New_York"

AGENCIES = {
    "bureau of industry and security": "US-BIS",
    "treasury department": "US-OFAC",
    "department of the treasury": "US-OFAC",
    "state department": "US-STATE",
    "department of state": "US-STATE",
}
"""The agency after the last `` - `` of ``source``, lower case, to the authority."""

CODE_ALIASES = {"NS-MBS LIST": "NS-MBS", "13599": "EO13599", "561": "PART561"}
"""List codes as the CSL writes them in ``source`` to the list codes used here."""

START_NOTE = (
    "start is the CSL start_date: the Federal Register publication date of the rule, not "
    "necessarily its effective date"
)
PUBLICATION_DATED = frozenset({"EL", "MEU", "UVL"})
"""Lists whose CSL ``start_date`` is the Federal Register publication date of the rule."""
NO_DATE_NOTE = "listing date not stated in the source"

_KINDS = {
    "individual": EntityKind.PERSON,
    "entity": EntityKind.ORGANIZATION,
    "vessel": EntityKind.VESSEL,
    "aircraft": EntityKind.AIRCRAFT,
}

_ID_SCHEMES = {
    "passport": "passport",
    "registration id": "registration_number",
    "registration number": "registration_number",
    "tax id no.": "tax_id",
    "tax id": "tax_id",
    "swift/bic": "swift_bic",
    "national id no.": "national_id",
    "national id": "national_id",
    "cedula no.": "national_id",
    "vessel registration identification": "imo",
    "imo": "imo",
    "call sign": "call_sign",
    "lei": "lei",
    "legal entity number": "lei",
}
_NOT_IDENTIFIERS = ("website", "email address", "e-mail address", "phone", "telephone", "fax")

_POLICIES = (
    (re.compile(r"policy\s+of\s+denial", re.I), ReviewPolicy.POLICY_OF_DENIAL),
    (re.compile(r"presumption\s+of\s+denial", re.I), ReviewPolicy.PRESUMPTION_OF_DENIAL),
    (re.compile(r"case[\s-]+by[\s-]+case", re.I), ReviewPolicy.CASE_BY_CASE),
    (re.compile(r"\bapproval\b", re.I), ReviewPolicy.APPROVAL),
)
"""Review policies by the words naming them, most restrictive first."""

_ALL_ITEMS = re.compile(r"all\s+items\s+subject\s+to\s+the\s+ear\b", re.I)
_SIMPLE_REQUIREMENT = re.compile(r"^for\s+all\s+items\s+subject\s+to\s+the\s+ear\b", re.I)
_NARROWING = re.compile(
    r"\b(?:except|other\s+than|apart\s+from|excluding|unless|having|but\s+not|limited\s+to)\b",
    re.I,
)
_FR_CITATION = re.compile(r"^\d{1,3}\s+F\.?\s?R\.?\s+\d+\b")
_ABSENT = {"", "none", "n/a", "na", "-", "null"}


def sniff(head: bytes, path: Path) -> bool:
    """A JSON array (or an object with ``results``) of objects with CSL keys.

    Claims the file when it starts with ``[`` or ``{`` and its first bytes hold a
    ``"source"`` key and one of ``"entity_number"``, ``"source_list_url"`` or
    ``"source_information_url"``.
    """
    text = head.lstrip(b"\xef\xbb\xbf").lstrip()
    if text[:1] not in (b"[", b"{"):
        return False
    if b'"source"' not in text:
        return False
    return any(
        key in text
        for key in (b'"entity_number"', b'"source_list_url"', b'"source_information_url"')
    )


def read(path: Path) -> Iterator[Record]:
    """Yield the stated publication date, then a listing or fatal problem per result.

    A result's non-fatal problems come just before its listing.

    Raises:
        DataError: The file cannot be read or is larger than :data:`MAX_BYTES`.
    """
    source = str(path)
    try:
        with path.open("rb") as fh:
            raw = fh.read(MAX_BYTES + 1)
    except OSError as exc:
        raise DataError(f"cannot read: {exc.strerror}", source=source) from None
    if len(raw) > MAX_BYTES:
        raise DataError(f"larger than {MAX_BYTES} bytes; not read", source=source)
    try:
        data = json.loads(raw.decode("utf-8-sig"), object_pairs_hook=unique_keys)
    except UnicodeDecodeError as exc:
        yield Problem(source=source, record=0, field="", reason=f"not UTF-8 (byte {exc.start})")
        return
    except (ValueError, RecursionError) as exc:  # JSON errors, repeated keys, digit limits
        yield Problem(source=source, record=0, field="", reason=f"not valid JSON: {str(exc)[:200]}")
        return
    if isinstance(data, dict) and isinstance(data.get("results"), list):
        published = _published(data.get("sources_used"))
        if published is not None:
            yield Published(published)
        results: list[Any] = data["results"]
        prefix = "results"
    elif isinstance(data, list):
        results = data
        prefix = ""
    else:
        yield Problem(
            source=source,
            record=0,
            field="",
            reason="expected a JSON array of CSL results or an object with a 'results' array",
        )
        return
    shared = _shared_identities(results)
    seen: dict[str, int] = {}
    for number, item in enumerate(results, start=1):
        field = f"{prefix}[{number - 1}]"
        if not isinstance(item, dict):
            yield Problem(
                source=source,
                record=number,
                field=field,
                reason=f"expected a JSON object, got {type(item).__name__}",
            )
            continue
        problems: list[Problem] = []
        try:
            listing = _listing(item, _Where(source, number, field, problems), shared)
        except (TradeControlError, ValueError) as exc:
            message = exc.message if isinstance(exc, TradeControlError) else str(exc)
            path_ = exc.path if isinstance(exc, TradeControlError) else ""
            yield Problem(
                source=source,
                record=number,
                field=f"{field}.{path_}" if path_ else field,
                reason=message[:500],
                record_id=_record_id(item),
            )
            continue
        if listing.id in seen:
            earlier = seen[listing.id]
            exact = _same_json(item, results[earlier - 1])  # every key and value
            yield Problem(
                source=source,
                record=number,
                field=field,
                reason=f"exact duplicate of element {earlier} (same listing)"
                if exact
                else f"same id {listing.id} as element {earlier} "
                "(same source and entity number, or same identifying fields)",
                record_id=_record_id(item),
                skipped=exact,
            )
            continue
        seen[listing.id] = number
        yield from problems
        yield listing


def _same_json(a: object, b: object) -> bool:
    """Whether two JSON values are the same JSON (``1``, ``1.0`` and ``true`` differ).

    Python's ``==`` holds ``True == 1 == 1.0``: an entry differing only so is no exact
    duplicate (its loss would lose that value).
    """
    return json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)


class _Where:
    """Where the current record is, and the non-fatal problems found in it."""

    def __init__(self, source: str, record: int, field: str, problems: list[Problem]) -> None:
        self.source = source
        self.record = record
        self.field = field
        self.problems = problems
        self.record_id: str | None = None

    def problem(self, field: str, reason: str) -> None:
        self.problems.append(
            Problem(
                source=self.source,
                record=self.record,
                field=f"{self.field}.{field}" if self.field else field,
                reason=reason,
                record_id=self.record_id,
                fatal=False,
            )
        )


@functools.lru_cache(maxsize=256)
def csl_source(text: str) -> tuple[str, str] | None:
    """List code and authority from a CSL ``source`` value, or ``None`` when unknown.

    Example:
        >>> csl_source("Entity List (EL) - Bureau of Industry and Security")
        ('EL', 'US-BIS')
        >>> csl_source("Capta List (CAP) - Treasury Department")
        ('CAP', 'US-OFAC')
    """
    title, sep, agency = clean(text).rpartition(" - ")
    authority = AGENCIES.get(agency.lower()) if sep else None
    match = re.search(r"\(([^()]+)\)[^()]*$", title)
    if authority is None or match is None:
        return None
    code = match.group(1).strip().upper()
    return CODE_ALIASES.get(code, code), authority


def license_requirement(text: str) -> tuple[LicenseRequirement | None, str | None]:
    """The licence requirement a list's text states, and a reason when it is not exact.

    Returns:
        ``(requirement, None)`` for "For all items subject to the EAR" (optionally followed
        by a "(See §...)" reference); ``(requirement, reason)`` when the text names all items
        subject to the EAR but narrows it (kept conservatively as all items, text kept);
        ``(None, reason)`` when the text names no scope this library represents.
    """
    cleaned = clean(text)
    if not _ALL_ITEMS.search(cleaned):
        return None, "licence requirement names no scope this library represents"
    requirement = LicenseRequirement(
        scope=RequirementScope.ALL_ITEMS_SUBJECT_TO_EAR, text=cleaned[: v.MAX_TEXT]
    )
    match = _SIMPLE_REQUIREMENT.match(cleaned)
    if match:
        rest = cleaned[match.end() :].strip(" .;,")
        if not rest or (re.match(r"\(?see\b", rest, re.I) and not _NARROWING.search(rest)):
            return requirement, None
    return requirement, (
        "licence requirement narrows 'all items subject to the EAR' (exceptions are not "
        "structured); kept as all items subject to the EAR, the conservative reading"
    )


def review_policy(text: str) -> tuple[ReviewPolicy | None, str | None]:
    """The most restrictive review policy the text names, and a reason when it names none."""
    found = [policy for pattern, policy in _POLICIES if pattern.search(text)]
    if not found:
        return None, "licence review policy names no known policy"
    return found[0], None


def fr_citations(texts: list[str]) -> tuple[str, ...]:
    """Cleaned citations without duplicates.

    A text is split at semicolons; a part is split further at commas and "and" when every
    piece then starts like a Federal Register citation (``84 FR 22961, 84 FR 43495``), so
    ``Vol. 81, No. 128, 07/05/16`` stays whole.

    Example:
        >>> fr_citations(["84 FR 22961, 84 FR 43495\u00a0", "46 F.R. 46154 and 46 F.R. 19290 "])
        ('84 FR 22961', '84 FR 43495', '46 F.R. 46154', '46 F.R. 19290')
    """
    out: list[str] = []
    for text in texts:
        for part in clean(text).split(";"):
            pieces = [p.strip(" ,.") for p in re.split(r",|\band\b", part)]
            if not all(_FR_CITATION.match(p) for p in pieces):
                pieces = [part.strip(" ,")]
            for piece in pieces:
                if piece and piece[: v.MAX_TEXT] not in out:
                    out.append(piece[: v.MAX_TEXT])
    return tuple(out)


def dpl_citations(text: str) -> tuple[str, ...]:
    """The citations of a Denied Persons List entry, split as the DPL file's loader splits them.

    BIS writes ``81 F.R. 45276``, ``81 F.R.45276`` or ``83F.R. 28801``: each notice is one
    citation whatever the spacing, its head written ``81 FR 45276`` (see
    ``_text.fr_citation_parts``); without duplicates, each cut to the text limit.

    Example:
        >>> dpl_citations("82 F.R. 61745 12/29/2017,  83F.R. 28801 6/21/2018")
        ('82 FR 61745 12/29/2017', '83 FR 28801 6/21/2018')
    """
    out: list[str] = []
    for part in fr_citation_parts(clean(text)):
        piece = part[: v.MAX_TEXT]
        if piece and piece not in out:
            out.append(piece)
    return tuple(out)


def _record_id(item: dict[str, Any]) -> str | None:
    number = item.get("entity_number")
    if isinstance(number, int) and not isinstance(number, bool):
        return str(number)
    if isinstance(number, str) and number.strip():
        return clean(number)[:200]
    name = item.get("name")
    return clean(name)[:200] if isinstance(name, str) and name.strip() else None


_NUMERIC_OK = frozenset({"entity_number"})
"""Fields the CSL API gives as numbers in some records: no problem to note."""


def _string(item: dict[str, Any], key: str, where: _Where) -> str | None:
    value = item.get(key)
    if value is None:
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        if key not in _NUMERIC_OK:
            where.problem(key, f"expected a string, got the number {value!r}; read as text")
        value = str(value)
    if not isinstance(value, str):
        where.problem(key, f"expected a string, got {type(value).__name__}; left out")
        return None
    if controls_removed(value):
        _controls(where, key)
    out = clean(value)
    if len(out) > v.MAX_TEXT:
        where.problem(key, f"{len(out)} characters, cut to {v.MAX_TEXT}")
        out = out[: v.MAX_TEXT]
    return out or None


def _url(item: dict[str, Any], key: str, where: _Where) -> str | None:
    """:func:`_string` of a URL, whose removed characters are dropped (not made spaces)."""
    value = item.get(key)
    if isinstance(value, str) and controls_removed(value):
        _controls(where, key)
        value = without_controls(value)
        return _string({key: value}, key, where)
    return _string(item, key, where)


def _controls(where: _Where, key: str) -> None:
    """Record that ``clean`` removed characters from a field (once per record and field)."""
    field = f"{where.field}.{key}" if where.field else key
    if not any(
        p.record == where.record and p.field == field and p.reason == CONTROLS_REMOVED
        for p in where.problems
    ):
        where.problem(key, CONTROLS_REMOVED)


def _strings(item: dict[str, Any], key: str, where: _Where) -> list[str]:
    value = item.get(key)
    if value is None:
        return []
    if isinstance(value, str):  # a single value where a list was expected
        where.problem(key, "expected a list, got a string; read as one value")
        value = [value]
    if not isinstance(value, list):
        where.problem(key, f"expected a list, got {type(value).__name__}; left out")
        return []
    out: list[str] = []
    for i, x in enumerate(value):
        if x is None:
            where.problem(f"{key}[{i}]", "null; left out")
            continue
        if not isinstance(x, str):
            where.problem(f"{key}[{i}]", f"expected a string, got {type(x).__name__}; left out")
            continue
        if controls_removed(x):
            _controls(where, f"{key}[{i}]")
        text = clean(x)
        if text and text not in out:
            out.append(text)
    return out


def _date(text: str | None, field: str, where: _Where, remarks: list[str]) -> datetime.date | None:
    if text is None:
        return None
    day = iso_date(text)
    if day is None:
        where.problem(field, f"{text[:60]!r} is not an ISO date; kept in remarks")
        remarks.append(f"{field}: {text}")
    return day


def iso_date(text: str) -> datetime.date | None:
    """The date of ``YYYY-MM-DD`` text (a time after it is ignored), else ``None``."""
    if len(text) < 10 or (len(text) > 10 and text[10] not in "T "):
        return None
    try:
        return datetime.date.fromisoformat(text[:10])
    except ValueError:
        return None


def _code(text: str, field: str, where: _Where, remarks: list[str]) -> str | None:
    code = country_code(text)
    if code is None:
        where.problem(field, f"unknown country {text[:60]!r}; kept in remarks")
        remarks.append(f"Unrecognised country ({field}): {text}")
    return code


_EXTRA_IDENTITY = ("federal_register_notice", "start_date", "end_date", "title", "alt_names")


def _identity(item: dict[str, Any], extra: bool = False) -> str:
    """The text hashed for an entry without an entity number (see the module docstring)."""
    identity = [item.get("source"), item.get("name"), _address_key(item.get("addresses"))]
    if extra:
        identity += [item.get(key) for key in _EXTRA_IDENTITY]
    try:
        return json.dumps(identity, ensure_ascii=False, separators=(",", ":"))
    except (TypeError, ValueError, RecursionError):
        return repr(identity)


def _shared_identities(results: list[Any]) -> set[str]:
    """Identities held by more than one entry without an entity number."""
    seen: set[str] = set()
    shared: set[str] = set()
    for item in results:
        if isinstance(item, dict) and not item.get("entity_number"):
            key = _identity(item)
            (shared if key in seen else seen).add(key)
    return shared


def _listing(item: dict[str, Any], where: _Where, shared: set[str]) -> Listing:
    where.record_id = _record_id(item)
    source_text = item.get("source")
    if not isinstance(source_text, str) or not source_text.strip():
        raise DataError("no 'source' naming the list", path="source")
    found = csl_source(source_text)
    if found is None:
        raise DataError(f"unknown CSL source {clean(source_text)[:100]!r}", path="source")
    list_code, authority = found
    name = _string(item, "name", where)
    if name is None:
        raise DataError("no name", path="name")
    name = v.text(name)
    remarks: list[str] = []
    kind = _kind(item, where)
    addresses = _addresses(item, where, remarks)
    entity_number = _string(item, "entity_number", where)
    if entity_number:
        key = entity_number
    else:
        text = _identity(item)
        if text in shared:
            text = _identity(item, extra=True)
        key = hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]
    listing_id = f"csl-{list_code.lower()}-{key}"

    aliases = [a for a in _strings(item, "alt_names", where) if a != name]
    aliases = _fit_texts(aliases, "alt_names", where)
    identifiers = _identifiers(item, where, remarks)
    country: str | None = None
    if (top := _string(item, "country", where)) is not None:
        country = _code(top, "country", where, remarks)
    if (flag := _string(item, "vessel_flag", where)) is not None:
        country = _code(flag, "vessel_flag", where, remarks) or country
    if (call_sign := _string(item, "call_sign", where)) is not None:
        identifiers.append(Identifier(scheme="call_sign", value=call_sign[: v.MAX_TEXT]))
    births, nationalities = _person_facts(item, kind, where, remarks)

    for key_, label in (
        ("title", "Title"),
        ("vessel_type", "Vessel type"),
        ("gross_tonnage", "Gross tonnage"),
        ("gross_registered_tonnage", "Gross registered tonnage"),
        ("vessel_owner", "Vessel owner"),
        ("standard_order", "Standard order"),
    ):
        if (value := _string(item, key_, where)) is not None:
            remarks.append(f"{label}: {value}")
    places = _strings(item, "places_of_birth", where)
    if places:
        remarks.append("Place of birth: " + "; ".join(places))
    if (own := _string(item, "remarks", where)) is not None:
        remarks.insert(0, own)

    entity = Entity(
        name=name,
        kind=kind,
        country=country,
        aliases=aliases,
        addresses=addresses[: v.MAX_LIST],
        identifiers=_unique_identifiers(identifiers)[: v.MAX_LIST],
        birth_date=births[0] if births else None,
        birth_dates=births[1:],
        nationalities=nationalities,
    )
    version = _version(item, list_code, where, remarks)
    programs = _fit_texts(_strings(item, "programs", where), "programs", where)
    source_url = _url(item, "source_list_url", where) or _url(item, "source_information_url", where)
    return Listing(
        id=listing_id,
        list_code=list_code,
        authority=authority,
        entity=entity,
        versions=[version],
        programs=programs,
        source_url=source_url[: v.MAX_TEXT] if source_url else None,
        remarks=join_remarks(remarks, "remarks", where.problem),
    )


def join_remarks(parts: list[str], field: str, problem: Any) -> str | None:
    """Remarks joined with ``"; "``, cut at the text limit with a non-fatal problem."""
    text = ""
    for part in (clean(x) for x in parts):
        if part:
            text += ("" if not text else " " if text.endswith((".", ";")) else "; ") + part
    if len(text) > v.MAX_TEXT:
        problem(field, f"remarks of {len(text)} characters cut to {v.MAX_TEXT}")
        text = text[: v.MAX_TEXT - 1].rstrip() + "…"
    return text or None


def _fit_texts(values: list[str], field: str, where: _Where) -> list[str]:
    out = []
    for value in values:
        if len(value) > v.MAX_TEXT:
            where.problem(
                field, f"a value of {len(value)} characters left out (limit {v.MAX_TEXT})"
            )
            continue
        out.append(value)
    if len(out) > v.MAX_LIST:
        where.problem(field, f"{len(out)} values; only the first {v.MAX_LIST} kept")
    return out[: v.MAX_LIST]


def _kind(item: dict[str, Any], where: _Where) -> EntityKind:
    text = _string(item, "type", where)
    if text is None:
        return EntityKind.UNKNOWN
    kind = _KINDS.get(text.lower())
    if kind is None:
        where.problem("type", f"unknown entity type {text[:60]!r}; kind left unknown")
        return EntityKind.UNKNOWN
    return kind


def _address_key(value: Any) -> list[Any]:
    if not isinstance(value, list):
        return []
    keys = ("address", "city", "state", "postal_code", "country")
    return [[a.get(k) for k in keys] if isinstance(a, dict) else a for a in value]


def _addresses(item: dict[str, Any], where: _Where, remarks: list[str]) -> list[Address]:
    value = item.get("addresses")
    if value is None:
        return []
    if not isinstance(value, list):
        where.problem("addresses", f"expected a list, got {type(value).__name__}; left out")
        return []
    out: list[Address] = []
    for i, entry in enumerate(value):
        field = f"addresses[{i}]"
        if not isinstance(entry, dict):
            where.problem(field, f"expected an object, got {type(entry).__name__}; left out")
            continue
        sub = _Where(where.source, where.record, f"{where.field}.{field}", where.problems)
        sub.record_id = where.record_id
        parts = {k: _string(entry, k, sub) for k in ("address", "city", "state", "postal_code")}
        country_text = _string(entry, "country", sub)
        code = _code(country_text, f"{field}.country", where, remarks) if country_text else None
        try:
            address = Address(
                street=parts["address"],
                city=parts["city"],
                region=parts["state"],
                postal_code=parts["postal_code"],
                country=code,
            )
        except TradeControlError as exc:
            where.problem(field, f"{exc}; kept in remarks")
            remarks.append("Address: " + ", ".join(p for p in parts.values() if p))
            continue
        if address != Address() and address not in out:
            out.append(address)
    if len(out) > v.MAX_LIST:
        where.problem("addresses", f"{len(out)} addresses; only the first {v.MAX_LIST} kept")
    return out


def _identifiers(item: dict[str, Any], where: _Where, remarks: list[str]) -> list[Identifier]:
    value = item.get("ids")
    if value is None:
        return []
    if not isinstance(value, list):
        where.problem("ids", f"expected a list, got {type(value).__name__}; left out")
        return []
    out: list[Identifier] = []
    for i, entry in enumerate(value):
        field = f"ids[{i}]"
        if not isinstance(entry, dict):
            where.problem(field, f"expected an object, got {type(entry).__name__}; left out")
            continue
        sub = _Where(where.source, where.record, f"{where.field}.{field}", where.problems)
        sub.record_id = where.record_id
        kind = _string(entry, "type", sub) or ""
        number = _string(entry, "number", sub)
        if number is None:
            if kind:
                remarks.append(f"{kind} (no number)")
            continue
        lower = kind.lower()
        if not kind or lower.endswith(("-", ":")) or any(w in lower for w in _NOT_IDENTIFIERS):
            remarks.append(f"{kind} {number}".strip())
            continue
        scheme = _ID_SCHEMES.get(lower) or re.sub(r"[^a-z0-9]+", "_", lower).strip("_")
        if scheme == "imo" and number.upper().startswith("IMO"):
            number = number[3:].strip()
        country_text = _string(entry, "country", sub)
        code = _code(country_text, f"{field}.country", where, remarks) if country_text else None
        dates = [
            f"{label} {d}"
            for label, key in (("issued", "issue_date"), ("expires", "expiration_date"))
            if (d := _string(entry, key, sub)) is not None
        ]
        if dates:
            remarks.append(f"{kind} {number}: " + ", ".join(dates))
        try:
            out.append(Identifier(scheme=scheme or "id", value=number, country=code))
        except TradeControlError as exc:
            where.problem(field, f"{exc}; kept in remarks")
            remarks.append(f"{kind} {number}"[: v.MAX_TEXT])
    return out


def _unique_identifiers(values: list[Identifier]) -> list[Identifier]:
    out: list[Identifier] = []
    for ident in values:
        if ident not in out:
            out.append(ident)
    return out


def _person_facts(
    item: dict[str, Any], kind: EntityKind, where: _Where, remarks: list[str]
) -> tuple[list[str], list[str]]:
    births: list[str] = []
    for i, text in enumerate(_strings(item, "dates_of_birth", where)):
        try:
            births.append(v.partial_date(text))
        except TradeControlError:
            where.problem(
                f"dates_of_birth[{i}]", f"{text[:60]!r} is not a partial date; kept in remarks"
            )
            remarks.append(f"Date of birth: {text}")
    codes: list[str] = []
    for key in ("nationalities", "citizenships"):
        for i, text in enumerate(_strings(item, key, where)):
            code = _code(text, f"{key}[{i}]", where, remarks)
            if code is not None and code not in codes:
                codes.append(code)
    if kind is not EntityKind.PERSON and (births or codes):
        where.problem(
            "dates_of_birth" if births else "nationalities",
            "birth dates and nationalities of an entity that is not an individual; kept in remarks",
        )
        if births:
            remarks.append("Date of birth: " + "; ".join(births))
        if codes:
            remarks.append("Nationality: " + ", ".join(codes))
        return [], []
    return births[: v.MAX_LIST + 1], codes[: v.MAX_LIST]


def _version(
    item: dict[str, Any], list_code: str, where: _Where, remarks: list[str]
) -> ListingVersion:
    start = _date(_string(item, "start_date", where), "start_date", where, remarks)
    end = _date(_string(item, "end_date", where), "end_date", where, remarks)
    try:
        window = Window(start=start, end=end, zone=ZONE)
    except TradeControlError as exc:
        where.problem("end_date", f"{exc.message}; end date kept in remarks")
        remarks.append(f"end_date: {end}")
        window = Window(start=start, zone=ZONE)
    requirement = None
    if (text := _string(item, "license_requirement", where)) is not None and (
        text.lower() not in _ABSENT
    ):
        requirement, reason = license_requirement(text)
        if reason is not None:
            where.problem(
                "license_requirement", reason + ("" if requirement else "; kept in remarks")
            )
            if requirement is None:
                remarks.append(f"License requirement: {text}")
    policy = None
    policy_text = _string(item, "license_policy", where)
    if policy_text is not None and policy_text.lower() in _ABSENT:
        policy_text = None
    if policy_text is not None:
        policy, reason = review_policy(policy_text)
        if reason is not None:
            where.problem("license_policy", f"{reason}; text kept in review_policy_text")
        policy_text = policy_text[: v.MAX_TEXT]
    notice = _string(item, "federal_register_notice", where)
    return ListingVersion(
        window=window,
        license_requirement=requirement,
        review_policy=policy,
        review_policy_text=policy_text,
        citations=(dpl_citations(notice) if list_code == "DPL" else fr_citations([notice]))
        if notice
        else (),
        note=NO_DATE_NOTE
        if start is None
        else (START_NOTE if list_code in PUBLICATION_DATED else None),
        published_start=start is not None and list_code in PUBLICATION_DATED,
    )


def _published(value: Any) -> datetime.date | None:
    if not isinstance(value, list):
        return None
    dates = []
    for entry in value:
        if isinstance(entry, dict) and isinstance(entry.get("source_last_updated"), str):
            day = iso_date(entry["source_last_updated"])
            if day is not None:
                dates.append(day)
    return max(dates) if dates else None
