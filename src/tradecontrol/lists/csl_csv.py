"""trade.gov Consolidated Screening List (CSL), CSV bulk file.

The U.S. government's consolidated list of 13 export-screening lists (BIS Entity List,
Denied Persons, Unverified, Military End User; Treasury SDN and non-SDN lists; State ISN and
ITAR debarred), published by the International Trade Administration as
``consolidated.csv`` (also gzip-compressed). Two layouts are read: the current 29 columns
starting with ``_id``, and the older 28 without it.

Quirks handled: ``start_date`` is the Federal Register *publication* date, not the
effective date (the version note says so); ``entity_number`` is empty for BIS lists; Federal
Register citations carry non-breaking and trailing spaces; some files repeat the header
line (ignored, reported as a non-fatal problem) or end in a truncated row (a problem);
mojibake inherited from the source (``Co”peratief``) is kept as written; a cell holding
characters that cleaning removes (NUL, BEL...) gives a non-fatal problem naming its
column (the character is dropped from a URL, a space elsewhere). Multi-valued cells
are ``;``-separated. A row whose ``_id`` repeats an earlier row's gets the id suffix
``~2``, ``~3``... (the 2022 file lists one CAP entry twice). ``ids`` cells read
``[country, ][dates, ]value, type``; every one becomes an identifier whose scheme is
the type in snake case (``passport``, ``tax_id_no``,
``gender``, ``website``...), with ``imo`` for IMO numbers.
"""

from __future__ import annotations

import csv
import datetime
import functools
import gzip
import hashlib
import io
import operator
import re
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from tradecontrol import _validators as v
from tradecontrol._time import Window
from tradecontrol.decision import ReviewPolicy
from tradecontrol.entities import Address, EntityKind, Identifier
from tradecontrol.errors import DataError, InvalidInputError, TradeControlError
from tradecontrol.jurisdictions import Jurisdiction, is_known_code, jurisdiction
from tradecontrol.listings import LicenseRequirement, Listing, ListingVersion
from tradecontrol.lists import _trusted
from tradecontrol.lists._core import Problem, Record
from tradecontrol.lists._text import (
    CONTROLS_REMOVED,
    MAX_LINE_BYTES,
    OVERLONG,
    bounded_lines,
    controls_removed,
    csv_error,
    partial_date,
    visible,
    without_controls,
)
from tradecontrol.lists._text import clean as _clean
from tradecontrol.lists.csl_json import csl_source, dpl_citations, fr_citations, review_policy

NAME = "csl-csv"

COLUMNS = [
    "_id",
    "source",
    "entity_number",
    "type",
    "programs",
    "name",
    "title",
    "addresses",
    "federal_register_notice",
    "start_date",
    "end_date",
    "standard_order",
    "license_requirement",
    "license_policy",
    "call_sign",
    "vessel_type",
    "gross_tonnage",
    "gross_registered_tonnage",
    "vessel_flag",
    "vessel_owner",
    "remarks",
    "source_list_url",
    "alt_names",
    "citizenships",
    "dates_of_birth",
    "nationalities",
    "places_of_birth",
    "source_information_url",
    "ids",
]
OLD_COLUMNS = COLUMNS[1:]

_KINDS = {
    "individual": "person",
    "entity": "organization",
    "vessel": "vessel",
    "aircraft": "aircraft",
}
_SCHEMES = {
    "passport": "passport",
    "national id no.": "national_id",
    "tax id no.": "tax_id",
    "registration number": "registration_number",
    "registration id": "registration_number",
    "swift/bic": "swift_bic",
    "vessel registration identification": "imo",
}
_ALL_ITEMS = re.compile(r"all items subject to the EAR", re.IGNORECASE)
PUBLICATION_DATED = frozenset({"EL", "MEU", "UVL"})
"""Lists whose CSL ``start_date`` is the Federal Register publication date of the rule
(other lists give the date of the order or determination)."""
_EXTRA_REMARKS = (
    ("vessel_type", "Vessel type"),
    ("vessel_flag", "Vessel flag"),
    ("vessel_owner", "Vessel owner"),
    ("gross_tonnage", "Gross tonnage"),
    ("gross_registered_tonnage", "Gross registered tonnage"),
    ("standard_order", "Standard order"),
)


MAX_GZIP_BYTES = 1 << 30
"""Largest uncompressed size accepted for a gzip-compressed list (1 GiB)."""
MAX_GZIP_RATIO = 100
"""Largest compression ratio accepted (a gzip bomb is refused)."""


class _CappedGzip(io.RawIOBase):
    """A gzip stream that refuses to inflate past a size or ratio cap.

    The cap is checked on every chunk inflated; a :class:`io.BufferedReader` on top gives
    C-speed ``readline`` (see :func:`_open_binary`).
    """

    def __init__(self, raw: IO[bytes], compressed: int, source: str) -> None:
        super().__init__()
        self._inner = gzip.GzipFile(fileobj=raw)
        self._raw = raw
        self._cap = min(MAX_GZIP_BYTES, MAX_GZIP_RATIO * compressed + (1 << 20))
        self._total = 0
        self._source = source

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        count = self._inner.readinto(buffer)
        self._total += count
        if self._total > self._cap:
            raise DataError(
                f"refused: the gzip stream inflates past {self._cap} bytes "
                f"(more than {MAX_GZIP_RATIO} times its size, or over 1 GiB)",
                source=self._source,
            )
        return count

    def close(self) -> None:
        self._inner.close()
        self._raw.close()
        super().close()


def _open_binary(path: Path) -> IO[bytes]:
    raw = path.open("rb")
    if raw.read(2) == b"\x1f\x8b":
        raw.seek(0)
        return io.BufferedReader(_CappedGzip(raw, path.stat().st_size, str(path)), 1 << 16)
    raw.seek(0)
    return raw


def _decoded(stream: IO[bytes]) -> Iterator[str]:
    lines = bounded_lines(stream)
    for raw in lines:  # the first line may open with a byte-order mark
        yield raw.decode("utf-8-sig", errors="replace")
        break
    for raw in lines:
        yield raw.decode("utf-8", errors="replace")


def _head_text(head: bytes) -> str:
    if head[:2] == b"\x1f\x8b":
        try:
            head = gzip.GzipFile(fileobj=io.BytesIO(head)).read(4096)
        except (OSError, EOFError):
            return ""
    return head[:4096].decode("utf-8-sig", errors="replace")


def sniff(head: bytes, path: Path) -> bool:
    """A header line naming the CSL columns (``source,entity_number,type,programs,name``)."""
    first = _head_text(head).splitlines()[:1]
    if not first:
        return False
    header = [c.strip().strip('"') for c in first[0].split(",")]
    return header[:2] == ["_id", "source"] or header[:5] == OLD_COLUMNS[:5]


def _split(cell: str, sep: str = ";") -> list[str]:
    if not cell:
        return []
    if cell.isascii() and cell.isprintable() and "  " not in cell:
        # the only white space is single spaces: cleaning a part is stripping it
        return list(filter(None, map(str.strip, cell.split(sep))))
    return list(filter(None, map(_clean, cell.split(sep))))


# Bounded caches of pure conversions: the CSL repeats the same sources, addresses (a third
# of them), identifiers (almost half), programmes, birth dates and (for the rows of one
# Federal Register rule) the same version terms, and equal frozen value objects can be
# shared. Each cached function is pure; a value that fails validation raises on every call
# (lru_cache does not cache exceptions).
_CACHE_SIZE = 8192


@functools.lru_cache(maxsize=_CACHE_SIZE)
def _address_of(text: str) -> Address:
    """``_trusted.address(**_address(text))``, without the dict and keywords when final.

    A street of printable ASCII joined from stripped parts (no space at either end) is
    final when it fits; other texts are checked by ``_trusted.text_ok``.
    """
    head, _, last = text.rpartition(",")
    last = last.strip()
    known, country = _code_country(last) if len(last) == 2 else _UNKNOWN_CODE
    if known:
        if "," in head:
            rest = ", ".join(filter(None, map(str.strip, head.split(","))))
        else:
            rest = head.strip()
        if country is not None and (
            not rest
            or (
                (rest.isascii() and rest.isprintable() and len(rest) <= _MAX_TEXT)
                or _trusted.text_ok(rest)
            )
        ):
            out = _new(Address)
            _street(out, rest or None)
            _city(out, None)
            _region(out, None)
            _postal_code(out, None)
            _address_country(out, country)
            return out
    elif _trusted.text_ok(text):
        return _trusted.checked_address(text, None, None, None, None)
    return _trusted.address(**_address(text))


@functools.lru_cache(maxsize=1024)
def _code_country(code: str) -> tuple[bool, Jurisdiction | None]:
    """``(is_known_code(code), _trusted.jurisdiction_or_none(code) when known)``, once per code."""
    if is_known_code(code):
        return True, _trusted.jurisdiction_or_none(code)
    return _UNKNOWN_CODE


_UNKNOWN_CODE: tuple[bool, Jurisdiction | None] = (False, None)
_new = object.__new__
_street, _city, _region, _postal_code, _address_country = (
    Address.__dict__[name].__set__
    for name in ("street", "city", "region", "postal_code", "country")
)
_MAX_TEXT = v.MAX_TEXT


@functools.lru_cache(maxsize=_CACHE_SIZE)
def _identifier_of(text: str) -> Identifier:
    """``_trusted.identifier(**_identifier(text))``, without the dict and keywords when final."""
    parts = list(map(str.strip, text.split(",")))
    kind, rest = (parts[-1], parts[:-1]) if len(parts) > 1 else ("identifier", parts)
    code = country = None
    if len(rest) > 1 and len(rest[0]) == 2:
        known, country = _code_country(rest[0])
        if known:
            code, rest = rest[0], rest[1:]
    value = ", ".join(rest) if len(rest) != 1 else rest[0]
    scheme, final_scheme = _final_scheme(kind)
    if scheme == "imo":
        value = value.removeprefix("IMO ").strip()
    value = value or kind
    if (
        (code is None or country is not None)
        and final_scheme
        and (
            (  # printable ASCII: final when not empty, without a space at either end, fits
                value.isascii()
                and value.isprintable()
                and 0 < len(value) <= _MAX_TEXT
                and value[0] != " "
                and value[-1] != " "
            )
            or _trusted.text_ok(value)
        )
    ):
        out = _new(Identifier)
        _scheme_slot(out, scheme)
        _value_slot(out, value)
        _identifier_country(out, country)
        return out
    return _trusted.identifier(**_identifier(text))


_scheme_slot, _value_slot, _identifier_country = (
    Identifier.__dict__[name].__set__ for name in ("scheme", "value", "country")
)


@functools.lru_cache(maxsize=_CACHE_SIZE)
def _programs(cell: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(_split(cell)))


_source = functools.lru_cache(maxsize=256)(csl_source)
""":func:`~tradecontrol.lists.csl_json.csl_source`, once per distinct ``source`` value."""
_birth_date = functools.lru_cache(maxsize=_CACHE_SIZE)(partial_date)
"""``partial_date`` of a ``dates_of_birth`` part, once per distinct text."""


@functools.lru_cache(maxsize=256)
def _kind(cell: str) -> str:
    return _KINDS.get(cell.strip().lower(), "unknown")


def _address(text: str) -> dict[str, Any]:
    parts = [p.strip() for p in text.split(",")]
    if parts and len(parts[-1]) == 2 and is_known_code(parts[-1]):
        rest = ", ".join(p for p in parts[:-1] if p)
        return {"street": rest, "country": parts[-1]} if rest else {"country": parts[-1]}
    return {"street": text}


@functools.lru_cache(maxsize=1024)
def _scheme(kind: str) -> str:
    """The identifier scheme of an ``ids`` type (``Tax ID No.`` -> ``tax_id``)."""
    return _SCHEMES.get(kind.lower()) or _NOT_SCHEME.sub("_", kind.lower()).strip("_")


_NOT_SCHEME = re.compile(r"[^a-z0-9]+")


@functools.lru_cache(maxsize=1024)
def _final_scheme(kind: str) -> tuple[str, bool]:
    """``(scheme, _trusted.scheme_ok(scheme))`` of an ``ids`` type, ``identifier`` when empty."""
    scheme = _scheme(kind) or "identifier"
    return scheme, _trusted.scheme_ok(scheme)


def _identifier(text: str) -> dict[str, Any]:
    parts = [p.strip() for p in text.split(",")]
    kind = parts[-1] if len(parts) > 1 else "identifier"
    rest = parts[:-1] if len(parts) > 1 else parts
    country = None
    if len(rest) > 1 and len(rest[0]) == 2 and is_known_code(rest[0]):
        country, rest = rest[0], rest[1:]
    value = ", ".join(rest)
    scheme = _scheme(kind)
    if scheme == "imo":
        value = value.removeprefix("IMO ").strip()
    out: dict[str, Any] = {"scheme": scheme or "identifier", "value": value or kind}
    if country:
        out["country"] = country
    return out


def _people(row: dict[str, str], kind: str, entity: dict[str, Any], warn: Any) -> list[str]:
    """Birth dates and nationalities into ``entity``; returns remarks for what does not fit."""
    births, nationalities, remarks = _people_of(
        row["dates_of_birth"],
        row["nationalities"],
        row["citizenships"],
        row["places_of_birth"],
        kind,
        warn,
    )
    if births:
        entity["birth_dates"] = births
    if nationalities:
        entity["nationalities"] = nationalities
    return remarks


_NO_PEOPLE: tuple[tuple[str, ...], tuple[Any, ...], list[str]] = ((), (), [])


@functools.lru_cache(maxsize=1024)
def _nationalities(
    nationalities_cell: str, citizenships: str
) -> tuple[tuple[str, ...], tuple[Any, ...], tuple[str, ...]]:
    """``(names, jurisdictions of the ISO codes, names that are not codes)``, once per pair.

    The names are those of both cells, in order, without repeats; rows repeat a few
    hundred pairs.
    """
    nationalities = tuple(dict.fromkeys(_split(nationalities_cell) + _split(citizenships)))
    good = [n for n in nationalities if len(n) == 2 and is_known_code(n)]
    bad = tuple(n for n in nationalities if n not in good)
    return nationalities, tuple(jurisdiction(n) for n in good), bad


@functools.lru_cache(maxsize=_CACHE_SIZE)
def _births_of(cell: str) -> tuple[tuple[str, ...], tuple[str, ...], bool]:
    """``(dates read, parts not read, whether the dates are final)`` of a ``dates_of_birth`` cell.

    Once per distinct cell: the dates in partial-date form in cell order, the parts no
    date is read from (in order), and ``_trusted._dates_ok`` of the dates. The usual
    parts, ``1962`` and ``1962-01-15`` in ASCII digits, are their own partial date (as
    ``partial_date`` reads them); such a year is final, and such a day is final when it
    is a real date (what the validators check), so neither is read a second time.
    """
    births: list[str] = []
    unread: list[str] = []
    final = True
    for text in _split(cell):
        if text.isascii() and (
            (len(text) == 4 and text.isdigit())
            or (len(text) == 10 and _ISO_DAY.match(text) is not None)
        ):
            if len(text) == 10 and final:
                try:
                    datetime.date.fromisoformat(text)
                except ValueError:
                    final = False
            births.append(text)
            continue
        date = _birth_date(text)
        if date is None:
            unread.append(text)
        else:
            births.append(date)
            final = final and _trusted._date_ok(date)
    return tuple(births), tuple(unread), final and len(births) <= v.MAX_LIST


_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


@functools.lru_cache(maxsize=_CACHE_SIZE)
def _identifiers_of(cell: str) -> tuple[Identifier, ...]:
    """The identifiers of an ``ids`` cell (once per distinct cell; a quarter repeat)."""
    return tuple(map(_identifier_of, _split(cell)))


def _people_of(
    dates_of_birth: str,
    nationalities_cell: str,
    citizenships: str,
    places_of_birth: str,
    kind: str,
    warn: Any,
) -> tuple[tuple[str, ...], tuple[Any, ...], list[str]]:
    """``(birth dates, nationalities, remarks)`` of a row's people columns (may warn).

    Birth dates and nationalities are given for persons only (empty for other kinds, whose
    values go to the remarks with a problem).
    """
    if not (dates_of_birth or nationalities_cell or citizenships or places_of_birth):
        return _NO_PEOPLE  # most rows: nothing to read (never mutated by the callers)
    remarks: list[str] = []
    births, unread, _ = _births_of(dates_of_birth)  # (shared tuples: never copied)
    for text in unread:
        warn("dates_of_birth", f"{text!r} is not a date this loader reads; kept in remarks")
        remarks.append(f"Date of birth: {text}")
    nationalities, good_codes, bad_names = _nationalities(nationalities_cell, citizenships)
    codes: tuple[Any, ...] = ()
    if kind == "person":
        for bad in bad_names:
            warn("nationalities", f"{bad!r} is not an ISO 3166 code; kept in remarks")
            remarks.append(f"Nationality: {bad}")
        codes = good_codes
    else:
        if births or nationalities:
            remarks.extend([f"Date of birth: {b}" for b in births])
            remarks.extend([f"Nationality: {n}" for n in nationalities])
            warn(
                "dates_of_birth",
                f"birth dates or nationalities given for a {kind}; kept in remarks",
            )
        births = ()
    if places_of_birth.strip():
        remarks.append(f"Place of birth: {_clean(places_of_birth)}")
    return births, codes, remarks


def _entity(row: dict[str, str], warn: Any) -> tuple[dict[str, Any], list[str]]:
    kind = _kind(row["type"])
    entity: dict[str, Any] = {"name": _clean(row["name"]), "kind": kind}
    if cell := row["alt_names"]:
        aliases = list(dict.fromkeys(_split(cell)))
        if aliases:
            entity["aliases"] = aliases
    if cell := row["addresses"]:
        addresses = [_address_of(a) for a in _split(cell)]
        if addresses:
            entity["addresses"] = addresses
            country = next((a.country for a in addresses if a.country is not None), None)
            if country:
                entity["country"] = country
    identifiers = [_identifier_of(i) for i in _split(row["ids"])]
    if sign := _clean(row["call_sign"]):  # ("" for a cell of invisible characters only)
        identifiers.append(Identifier(scheme="call_sign", value=sign))
    if identifiers:
        entity["identifiers"] = identifiers
    remarks = [_clean(row["title"]), _clean(row["remarks"]), *_people(row, kind, entity, warn)]
    if (  # most rows have none of these
        row["vessel_type"]
        or row["vessel_flag"]
        or row["vessel_owner"]
        or row["gross_tonnage"]
        or row["gross_registered_tonnage"]
        or row["standard_order"]
    ):
        remarks.extend(
            f"{label}: {_clean(row[col])}" for col, label in _EXTRA_REMARKS if row[col].strip()
        )
    return entity, remarks


def _version(row: dict[str, str], code: str) -> ListingVersion:
    return _version_of(
        code,
        row["start_date"].strip(),
        row["end_date"].strip(),
        row["federal_register_notice"],
        row["license_requirement"],
        row["license_policy"],
    )


@functools.lru_cache(maxsize=_CACHE_SIZE)
def _window(start: str, end: str) -> Window:
    """The window of a row's ``start_date`` and ``end_date`` (New York time), once per pair."""
    window: dict[str, Any] = {"zone": "America/New_York"}
    if start:
        window["start"] = start
    if end:
        window["end"] = end
    return Window(**window)


@functools.lru_cache(maxsize=_CACHE_SIZE)
def _citations(notice: str, dpl: bool = False) -> tuple[str, ...]:
    """``fr_citations([notice])`` (``dpl_citations`` for a DPL row), once per distinct cell."""
    return dpl_citations(notice) if dpl else fr_citations([notice])


@functools.lru_cache(maxsize=_CACHE_SIZE)
def _version_of(
    code: str, start: str, end: str, notice: str, requirement_text: str, policy_cell: str
) -> ListingVersion:
    """The version terms of a row (the rows of one rule share them, so this is cached)."""
    window: dict[str, Any] = {"zone": "America/New_York"}
    if start:
        window["start"] = start
    if end:
        window["end"] = end
    version: dict[str, Any] = {
        "window": _window(start, end),
        "citations": _citations(notice, code == "DPL"),
        "note": (
            "listing date not stated in the source"
            if "start" not in window
            else "start is the CSL start_date: the Federal Register publication date, not the "
            "effective date"
            if code in PUBLICATION_DATED
            else "start is the CSL start_date: the date of the order or determination"
        ),
        "published_start": "start" in window and code in PUBLICATION_DATED,
    }
    requirement = _requirement(requirement_text)
    if requirement is not None:
        version["license_requirement"] = requirement
    policy_text, policy = _policy(policy_cell)
    if policy_text:
        version["review_policy_text"] = policy_text
        version["review_policy"] = policy
    return _trusted.listing_version(**version)


@functools.lru_cache(maxsize=1024)
def _requirement(cell: str) -> LicenseRequirement | None:
    """The licence requirement of a ``license_requirement`` cell, once per distinct text."""
    requirement = _clean(cell)
    if not requirement:
        return None
    return LicenseRequirement(
        scope="all_items_subject_to_ear" if _ALL_ITEMS.search(requirement) else "as_stated",
        text=requirement,
    )


@functools.lru_cache(maxsize=1024)
def _policy(cell: str) -> tuple[str, ReviewPolicy | None]:
    """``(cleaned text, review policy)`` of a ``license_policy`` cell, once per distinct text."""
    text = _clean(cell)
    return text, (review_policy(text)[0] if text else None)


def _capped(row: dict[str, str], warn: Any) -> dict[str, str]:
    """Cut over-long values (other than the name) to the text limit, each with a problem."""
    if len("".join(row.values())) <= v.MAX_TEXT or max(map(len, row.values())) <= v.MAX_TEXT:
        return row  # (the first test settles most rows: all their values fit together)
    out = dict(row)
    for key, value in row.items():
        if key == "name" or len(value) <= v.MAX_TEXT:
            continue
        parts = value.split(";")
        if any(len(p) > v.MAX_TEXT for p in parts):
            warn(key, f"a value over {v.MAX_TEXT} characters was cut to that length")
            out[key] = ";".join(p[: v.MAX_TEXT] for p in parts)
    return out


def _listing(row: dict[str, str], number: int, source: str) -> tuple[dict[str, Any], list[Problem]]:
    problems: list[Problem] = []

    def warn(field: str, reason: str) -> None:
        problems.append(
            Problem(source=source, record=number, field=field, reason=reason, fatal=False)
        )

    row = _capped(row, warn)
    mapped = _source(row["source"])
    if mapped is None:
        raise DataError(f"unknown CSL source {row['source']!r}", path="source")
    code, authority = mapped
    source_id = (
        row.get("_id")
        or row.get("entity_number")
        or hashlib.sha1(
            "|".join(
                [
                    row["source"],
                    _clean(row["name"]),
                    row["addresses"],
                    row["federal_register_notice"],
                ]
            ).encode()
        ).hexdigest()[:16]
    )
    entity, remarks = _entity(row, warn)
    listing: dict[str, Any] = {
        "id": f"csl-{code.lower()}-{source_id}",
        "list_code": code,
        "authority": authority,
        "entity": entity,
        "versions": [_version(row, code)],
    }
    programs = _programs(row["programs"])
    if programs:
        listing["programs"] = programs
    text = "; ".join(filter(None, remarks))
    if len(text) > v.MAX_TEXT:
        warn("remarks", f"remarks of {len(text)} characters cut to {v.MAX_TEXT}")
        text = text[: v.MAX_TEXT]
    if text:
        listing["remarks"] = text
    url = row["source_list_url"].strip() or row["source_information_url"].strip()
    if controls_removed(url):  # (a problem for the column already: see _general)
        url = without_controls(url)
    if not url.isascii():
        url = visible(url)  # ("" for invisible characters only)
    if url:
        listing["source_url"] = url
    return listing, problems


def _build(data: dict[str, Any]) -> Listing:
    """Construct the listing (validated by the value objects' converters)."""
    try:
        entity = _trusted.entity(**data["entity"])
    except InvalidInputError as exc:
        raise InvalidInputError(exc.message, path=f"entity.{exc.path}".rstrip(".")) from None
    return _trusted.listing(**{**data, "entity": entity})


_ASCII_ALNUM = re.compile("[A-Za-z0-9]")


@functools.lru_cache(maxsize=256)
def _known_source(cell: str) -> tuple[str, str, str] | None:
    """``(code, authority, id prefix)`` of a ``source`` cell, or ``None``.

    ``None`` when the source is unknown or its code or authority is not a text a Listing
    keeps unchanged (the general path then reads the row).
    """
    mapped = _source(cell)
    if mapped is None or not (_trusted._known_ok(mapped[0]) and _trusted._known_ok(mapped[1])):
        return None
    return mapped[0], mapped[1], f"csl-{mapped[0].lower()}-"


@functools.lru_cache(maxsize=_CACHE_SIZE)
def _addresses_of(cell: str) -> tuple[tuple[Address, ...], Jurisdiction | None]:
    """The addresses of an ``addresses`` cell and the first country among them."""
    addresses = tuple(map(_address_of, _split(cell)))
    for address in addresses:
        if address.country is not None:
            return addresses, address.country
    return addresses, None


_NO_TEXTS: tuple[str, ...] = ()
_CONTROLS = bytes([*range(32), 127])
"""The ASCII characters that are not printable (``str.isprintable``)."""
_KIND_ENUM = {kind.value: kind for kind in EntityKind}


def _fast_mapper(header: list[str], source: str) -> Any:  # noqa: PLR0915 - one row, inline
    """``fast(cells, number, seen)`` for the rows of one file: the listing and its problems.

    It builds what :func:`_listing` and :func:`_build` build for the row, without a dict
    per row and with the checks done once per row: when every cell is printable ASCII and
    the row is no longer than the text limit (most rows), every cleaned part is a text the
    validators keep unchanged, so the fields are set without a check each
    (``_trusted.checked_entity``); other rows check their texts as ``_trusted`` does. It
    returns ``None`` for a row it leaves to the general path (a value to cut, an unknown
    source, no ``_id``, a repeated id, anything not in final form).
    ``tests/test_lists_csl_csv_fast.py`` compares both paths on every row of the real files
    and on generated rows.
    """
    at = {name: index for index, name in enumerate(header)}
    has_id = header[0] == "_id"
    i_source, i_number, i_type, i_programs, i_name = (
        at[c] for c in ("source", "entity_number", "type", "programs", "name")
    )
    i_title, i_addresses, i_notice, i_start, i_end = (
        at[c] for c in ("title", "addresses", "federal_register_notice", "start_date", "end_date")
    )
    i_requirement, i_policy, i_call_sign, i_remarks, i_list_url = (
        at[c]
        for c in (
            "license_requirement",
            "license_policy",
            "call_sign",
            "remarks",
            "source_list_url",
        )
    )
    i_aliases, i_citizenships, i_births, i_nationalities, i_places = (
        at[c]
        for c in (
            "alt_names",
            "citizenships",
            "dates_of_birth",
            "nationalities",
            "places_of_birth",
        )
    )
    i_info_url, i_ids = at["source_information_url"], at["ids"]

    def _hashed_id(cells: list[str], name: str) -> str:
        text = "|".join([cells[i_source], name, cells[i_addresses], cells[i_notice]])
        return hashlib.sha1(text.encode()).hexdigest()[:16]

    extras = tuple((at[col], label) for col, label in _EXTRA_REMARKS)
    extra_cells = operator.itemgetter(*(index for index, _ in extras))
    max_text, max_list = v.MAX_TEXT, v.MAX_LIST
    text_ok, name_ok = _trusted.text_ok, _trusted.name_ok
    versions: dict[tuple[str, ...], tuple[ListingVersion]] = {}  # rows of one rule share terms
    assert at["license_policy"] - at["federal_register_notice"] == 5  # the version columns

    clean, split = _clean, _split

    def fast(  # noqa: PLR0915 - one row, inline
        cells: list[str], number: int, seen: dict[str, int], joined: str | None = None
    ) -> tuple[Listing, list[Problem]] | None:
        if joined is None:  # (the caller may pass ``"".join(cells)``, joined once)
            joined = "".join(cells)
        size = len(joined)
        if size > max_text:
            return None  # a value may need cutting (and the remarks surely fit otherwise)
        # printable ASCII: no control character (what isprintable finds in ASCII text),
        # looked for in the bytes at C speed (str.isprintable reads a table per character)
        plain = joined.isascii() and len(joined.encode().translate(None, _CONTROLS)) == size
        if not plain and controls_removed(joined):
            return None  # characters clean() removes: the general path records a problem
        mapped = _known_source(cells[i_source])
        if mapped is None:
            return None
        code, authority, prefix = mapped
        name = clean(cells[i_name])
        source_id = (cells[0] if has_id else "") or cells[i_number] or _hashed_id(cells, name)
        listing_id = prefix + source_id
        if listing_id in seen:
            return None
        if plain:  # printable ASCII, cleaned: a text needs only to be non-empty and fit
            if (
                len(listing_id) > max_text
                or listing_id[-1] == " "
                or not name
                or _ASCII_ALNUM.search(name) is None
            ):
                return None
        elif not (text_ok(listing_id) and name_ok(name)):
            return None
        kind = _kind(cells[i_type])
        cell = cells[i_aliases]
        if not cell:
            aliases = _NO_TEXTS
        elif plain and ";" not in cell and "  " not in cell:  # one alias: the cell, stripped
            aliases = (alias,) if (alias := cell.strip()) else _NO_TEXTS
        else:
            aliases = tuple(dict.fromkeys(split(cell)))
        country = None
        cell = cells[i_addresses]
        addresses: tuple[Address, ...] = ()
        if cell:
            addresses, country = _addresses_of(cell)
        cell = cells[i_ids]
        identifiers = _identifiers_of(cell) if cell else ()
        if cells[i_call_sign] and (sign := clean(cells[i_call_sign])):
            identifiers += (Identifier(scheme="call_sign", value=sign),)
        problems: list[Problem] = []
        births: tuple[str, ...] = ()
        codes: tuple[Any, ...] = ()
        people: list[str] = []
        if cells[i_births] or cells[i_nationalities] or cells[i_citizenships] or cells[i_places]:

            def warn(field: str, reason: str) -> None:
                problems.append(
                    Problem(source=source, record=number, field=field, reason=reason, fatal=False)
                )

            births, codes, people = _people_of(
                cells[i_births],
                cells[i_nationalities],
                cells[i_citizenships],
                cells[i_places],
                kind,
                warn,
            )
        title, note = cells[i_title], cells[i_remarks]
        if title or note or people or any(extra_cells(cells)):
            remarks = [clean(title), clean(note), *people]
            if any(extra_cells(cells)):
                remarks.extend(
                    f"{label}: {clean(cells[i])}" for i, label in extras if cells[i].strip()
                )
            text = "; ".join(filter(None, remarks)) or None
        else:
            text = None  # (most rows: nothing for the remarks)
        url = cells[i_list_url].strip() or cells[i_info_url].strip() or None
        programs = _programs(cells[i_programs])
        if not (
            (  # a row of up to 1,998 characters cannot list more than MAX_LIST values
                size <= 1998
                or (
                    len(aliases) <= max_list
                    and len(addresses) <= max_list
                    and len(identifiers) <= max_list
                    and len(births) <= max_list
                    and len(codes) <= max_list
                    and len(programs) <= max_list
                )
            )
            and (text is None or len(text) <= max_text)
            and (not births or _births_of(cells[i_births])[2])  # (births: the cell's dates)
            and (not codes or _trusted._all_of(codes, Jurisdiction))
            and (
                plain
                or (
                    all(map(text_ok, aliases))
                    and all(map(text_ok, programs))
                    and (text is None or text_ok(text))
                    and (url is None or text_ok(url))
                )
            )
        ):
            return None
        entity = _trusted.checked_entity(
            name,
            _KIND_ENUM[kind],
            country,
            aliases,
            addresses,
            identifiers,
            _NO_TEXTS,
            None,
            births,
            codes,
        )
        terms = (code, *cells[i_notice : i_policy + 1])
        version = versions.get(terms)
        if version is None:  # one shared (frozen) versions tuple per distinct terms
            version = versions[terms] = (
                _version_of(
                    code,
                    cells[i_start].strip(),
                    cells[i_end].strip(),
                    cells[i_notice],
                    cells[i_requirement],
                    cells[i_policy],
                ),
            )
        seen[listing_id] = 1
        listing = _trusted.checked_listing(
            listing_id, code, authority, entity, version, programs, url, text
        )
        return listing, problems

    return fast


def read(path: Path) -> Iterator[Record]:
    """Yield a listing or a problem for every data row."""
    source = str(path)
    previous_limit = csv.field_size_limit(MAX_LINE_BYTES)
    try:
        stream = _open_binary(path)
    except OSError as exc:
        csv.field_size_limit(previous_limit)
        raise DataError(f"cannot read: {exc.strerror}", source=source) from None
    try:
        yield from _records(source, csv.reader(_decoded(stream)))
    finally:
        stream.close()
        csv.field_size_limit(previous_limit)
        _forget_cells()


def _forget_cells() -> None:
    """Empty the caches whose entries only serve while a file is read.

    Their values are shared by the listings (which keep them), but the caches' own
    tuples (results with a flag, keys of several arguments) would otherwise stay alive,
    and the cyclic garbage collector would scan them all once the load is over.
    """
    for cache in _PER_FILE_CACHES:
        cache.cache_clear()


def _records(source: str, reader: Any) -> Iterator[Record]:
    """Every data row of a CSL CSV reader as a listing or a problem."""
    try:
        header = next(reader, None)
    except (csv.Error, OSError, EOFError) as exc:
        message = csv_error(exc) if isinstance(exc, csv.Error) else exc
        raise DataError(f"not a CSL CSV file: {message}", source=source) from None
    if header is None:
        return
    header = [h.strip() for h in header]
    if header not in (COLUMNS, OLD_COLUMNS):
        raise DataError(f"unexpected CSL columns: {header[:6]}...", source=source)
    seen: dict[str, int] = {}
    fast = _fast_mapper(header, source)
    while True:
        number = reader.line_num + 1  # the file line on which the row starts
        try:
            cells = next(reader)
        except StopIteration:
            return
        except (csv.Error, OSError, EOFError) as exc:
            yield Problem(
                source=source,
                record=number,
                field="",
                reason=f"unreadable row: {str(exc)[:200]}",
            )
            continue
        if cells and cells[0] == OVERLONG:
            yield Problem(
                source=source,
                record=number,
                field="",
                reason=f"line longer than {MAX_LINE_BYTES} bytes",
            )
            continue
        if cells and cells[0].strip() == header[0] and [c.strip() for c in cells] == header:
            yield Problem(
                source=source,
                record=number,
                field="",
                fatal=False,
                reason="repeated header line ignored",
            )
            continue
        joined = "".join(cells)
        if not joined.strip():  # no cell holds anything but white space
            continue
        if len(cells) != len(header):
            yield Problem(
                source=source,
                record=number,
                field="",
                reason=f"row has {len(cells)} fields, the header {len(header)} "
                "(truncated or malformed row)",
            )
            continue
        try:
            done = fast(cells, number, seen, joined)
        except TradeControlError:
            done = None  # the general path gives the problem
        if done is None:
            yield from _general(header, cells, number, source, seen)
        else:
            if done[1]:
                yield from done[1]
            yield done[0]


def _general(
    header: list[str], cells: list[str], number: int, source: str, seen: dict[str, int]
) -> list[Record]:
    """The records of one row by the general path: its problems and listing, or a problem.

    A cell holding characters ``_text.clean`` removes (NUL, BEL...) gets a non-fatal
    problem naming its column, before the row's other records.
    """
    row = dict(zip(header, cells, strict=True))
    controls = [
        Problem(
            source=source,
            record=number,
            field=column,
            reason=CONTROLS_REMOVED,
            record_id=row.get("_id") or None,
            fatal=False,
        )
        for column, cell in row.items()
        if controls_removed(cell)
    ]
    try:
        data, problems = _listing(row, number, source)
        occurrence = seen.get(data["id"], 0) + 1
        seen[data["id"]] = occurrence
        if occurrence > 1:  # the CSL repeats some rows (e.g. a CAP entry twice)
            data["id"] = f"{data['id']}~{occurrence}"
            data["remarks"] = "; ".join(
                filter(None, [data.get("remarks"), "another row of the CSL has this _id"])
            )
        listing = _build(data)
    except TradeControlError as exc:
        return [
            *controls,
            Problem(
                source=source,
                record=number,
                field=exc.path,
                reason=exc.message,
                record_id=row.get("_id") or None,
            ),
        ]
    return [*controls, *problems, listing]


_PER_FILE_CACHES = (_addresses_of, _births_of, _nationalities, _version_of, _window)
