"""OpenSanctions FollowTheMoney (FtM) entities, JSON lines (``entities.ftm.json``).

OpenSanctions publishes its merged sanctions data as one FollowTheMoney entity per line:
``{"id", "caption", "schema", "properties": {name: [values]}, "datasets", "referents",
"target", "first_seen", "last_seen", "last_change"}``. Entities of the *thing* schemas
(``Person``, ``Company``, ``Organization``, ``PublicBody``, ``LegalEntity``, ``Vessel``,
``Airplane``) describe parties; the other schemas link them: ``Sanction`` (``entity``:
programme, dates, authority), ``Ownership`` (``owner`` → ``asset``, ``percentage``),
``Directorship``, ``Family``, ``Associate``..., ``Passport``/``Identification``
(``holder``) and ``Address`` (referenced by a party's ``addressEntity``).

Mapping:

* Every thing entity is one record: with ``"target": true`` it becomes a listing
  ``os-<id>``; otherwise (context such as a company from a registry, which the source
  itself marks as no target) a skipped record (a fatal problem with ``skipped=True``)
  saying it is not a sanctions target: by design not a listing, and nothing is lost (a
  link to a listing names it, caption and id, in that listing's remarks). A line that is
  not a JSON object with ``id`` and ``schema`` is a refused record (fatal problem), and so
  is a second line with an id already seen, unless it repeats a thing entity's line byte
  for byte (line ending aside) and that line was not refused: then it is skipped, an
  exact duplicate.
* Auxiliary entities are merged into the listings they reference, in whatever order the
  file gives them (the file is read twice: once to index, once to emit; the auxiliary
  entities are held in memory). One that references no listing is a non-fatal problem with
  the reason. References to entities absent from the file (exports are often subsets) are
  ignored.
* ``list_code`` and ``authority`` come from the entity's datasets, the first found in this
  order: ``us_ofac_sdn`` → SDN/US-OFAC; ``us_trade_csl`` with a linked Sanction naming a
  CSL list (``Entity List (EL) - Bureau of Industry and Security`` → EL/US-BIS...);
  ``us_bis_denied`` → DPL/US-BIS; ``un_sc_sanctions`` → UN/UN; ``eu_fsf`` → EU/EU;
  ``gb_fcdo_sanctions`` and ``gb_hmt_sanctions`` → UK/UK. Otherwise both are
  ``OS:<dataset>`` for the first dataset (sorted) with a linked Sanction, else the first
  dataset not starting with ``ext_``, else the first dataset.
* The version's window comes from the Sanction entities of that dataset: start at the
  earliest ``startDate`` (else ``listingDate``), end at the latest ``endDate`` when every one
  has ended; zone America/New_York for US and UN lists, Europe/Brussels for EU, Europe/London
  for UK, UTC otherwise. Federal Register citations in their ``authorityId`` become
  citations; an EL Sanction's ``reason`` and ``provisions`` give the licence requirement and
  review policy as in the CSL. Other Sanction entities give programmes and a remark each.
* Names: the caption first, then ``name``, ``alias`` and ``previousName`` as aliases;
  ``weakAlias`` as weak aliases. The country is the first of ``country`` (else
  ``jurisdiction``, else a vessel's ``flag``), the others go to remarks. Birth dates keep
  their precision; ``nationality`` and ``citizenship`` (lower-case ISO codes in FtM) become
  nationalities; an unknown code is a non-fatal problem, kept in remarks. Identifiers:
  ``registrationNumber`` and ``ogrnCode`` (RU) → registration_number, ``taxNumber`` and
  ``innCode`` (RU) → tax_id, ``imoNumber`` → imo, ``passportNumber`` and Passport entities
  → passport, ``leiCode``, ``swiftBic``, ``callSign``, ``mmsi``, ``idNumber`` (id_number,
  unless the value is already an identifier).
* Ownership edges without an ``endDate`` whose owner is also a listing become
  ``entity.owners`` (share from ``percentage``); ended or other ownerships, directorships
  and family links become remarks. If the current shares add up to more than 100 % the
  edges are left out with a non-fatal problem (they stay in the remarks).
* The file states no publication date.
"""

from __future__ import annotations

import datetime
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from tradecontrol import _validators as v
from tradecontrol._time import Window
from tradecontrol.decision import ReviewPolicy
from tradecontrol.entities import (
    MAX_OWNERSHIP_DEPTH,
    Address,
    Entity,
    EntityKind,
    Identifier,
    Ownership,
)
from tradecontrol.errors import DataError, InvalidInputError, TradeControlError
from tradecontrol.jurisdictions import country_code
from tradecontrol.listings import LicenseRequirement, Listing, ListingVersion
from tradecontrol.lists._core import Problem, Record
from tradecontrol.lists._text import CONTROLS_REMOVED, clean, controls_removed, unique_keys
from tradecontrol.lists.csl_json import (
    csl_source,
    fr_citations,
    iso_date,
    join_remarks,
    license_requirement,
    review_policy,
)

NAME = "opensanctions-ftm"

MAX_LINE_BYTES = 8 << 20
"""Longest line read (OpenSanctions' largest merged entities are a few hundred KB)."""

THINGS = {
    "Person": EntityKind.PERSON,
    "Company": EntityKind.ORGANIZATION,
    "Organization": EntityKind.ORGANIZATION,
    "PublicBody": EntityKind.ORGANIZATION,
    "LegalEntity": EntityKind.UNKNOWN,
    "Vessel": EntityKind.VESSEL,
    "Airplane": EntityKind.AIRCRAFT,
}
"""Schemas whose entities are parties (records of the file), with their kind."""

LINKS = {
    "Sanction": ("entity",),
    "Passport": ("holder",),
    "Identification": ("holder",),
    "Ownership": ("owner", "asset"),
    "Directorship": ("director", "organization"),
    "Family": ("person", "relative"),
    "Associate": ("person", "associate"),
    "Membership": ("member", "organization"),
    "Employment": ("employee", "employer"),
    "Representation": ("agent", "client"),
    "UnknownLink": ("subject", "object"),
    "Occupancy": ("holder", "post"),
}
"""Auxiliary schemas and the properties that reference other entities."""

OFFICIAL = (
    ("us_ofac_sdn", "SDN", "US-OFAC"),
    ("us_trade_csl", "", ""),
    ("us_bis_denied", "DPL", "US-BIS"),
    ("un_sc_sanctions", "UN", "UN"),
    ("eu_fsf", "EU", "EU"),
    ("gb_fcdo_sanctions", "UK", "UK"),
    ("gb_hmt_sanctions", "UK", "UK"),
)
"""OpenSanctions datasets that are official lists, in order of preference (the CSL's list
comes from its Sanction entity)."""

ZONES = {"UN": "America/New_York", "EU": "Europe/Brussels", "UK": "Europe/London"}

_IDENTIFIERS = (
    ("ogrnCode", "registration_number", "RU"),
    ("innCode", "tax_id", "RU"),
    ("registrationNumber", "registration_number", None),
    ("taxNumber", "tax_id", None),
    ("imoNumber", "imo", None),
    ("passportNumber", "passport", None),
    ("leiCode", "lei", None),
    ("swiftBic", "swift_bic", None),
    ("callSign", "call_sign", None),
    ("mmsi", "mmsi", None),
    ("idNumber", "id_number", None),
)
NO_DATE_NOTE = "listing date not stated in the source"


def sniff(head: bytes, path: Path) -> bool:
    """A JSON object on the first non-blank line with ``schema`` and ``properties`` keys."""
    for line in head.lstrip(b"\xef\xbb\xbf").splitlines():
        text = line.strip()
        if text:
            return (
                text.startswith(b"{")
                and b'"schema"' in text
                and b'"properties"' in text
                and b'"id"' in text
            )
    return path.name.endswith(".ftm.json")


@dataclass(slots=True)
class _Entity:
    """One parsed FtM line."""

    id: str
    schema: str
    caption: str | None
    props: dict[str, list[str]]
    datasets: list[str]
    target: bool
    line: int

    def first(self, name: str) -> str | None:
        values = self.props.get(name)
        return values[0] if values else None


@dataclass(slots=True)
class _Thing:
    line: int
    offset: int
    target: bool
    caption: str | None
    schema: str


@dataclass(slots=True)
class _Built:
    """An entity built for a thing, with what did not fit and the remarks."""

    entity: Entity
    problems: list[Problem]
    remarks: list[str]


def _parse(raw: bytes, number: int) -> _Entity | str:
    """The entity on a line, or why it cannot be read."""
    if len(raw) > MAX_LINE_BYTES:
        return f"line longer than {MAX_LINE_BYTES} bytes"
    try:
        data = json.loads(
            raw.decode("utf-8-sig" if number == 1 else "utf-8"), object_pairs_hook=unique_keys
        )
    except UnicodeDecodeError as exc:
        return f"not UTF-8 (byte {exc.start})"
    except (ValueError, RecursionError) as exc:  # JSON errors, repeated keys, digit limits
        return f"not valid JSON: {str(exc)[:200]}"
    if not isinstance(data, dict):
        return f"expected a JSON object, got {type(data).__name__}"
    ident, schema = data.get("id"), data.get("schema")
    if not isinstance(ident, str) or not ident.strip() or len(ident) > 1000:
        return "no 'id' (a non-empty string)"
    if not isinstance(schema, str) or not schema.strip():
        return "no 'schema' (a non-empty string)"
    props = data.get("properties", {})
    if not isinstance(props, dict):
        return "'properties' is not an object"
    for key, values in props.items():
        if not isinstance(values, list) or not all(isinstance(x, str) for x in values):
            return f"properties.{key[:100]} is not a list of strings"
    datasets = data.get("datasets", [])
    if not isinstance(datasets, list) or not all(isinstance(x, str) for x in datasets):
        return "'datasets' is not a list of strings"
    target = data.get("target", False)
    if not isinstance(target, bool):
        return "'target' is not true or false"
    caption = data.get("caption")
    return _Entity(
        id=ident.strip(),
        schema=schema.strip(),
        caption=caption if isinstance(caption, str) else None,
        props=props,
        datasets=datasets,
        target=target,
        line=number,
    )


def _lines(fh: BinaryIO) -> Iterator[tuple[int, int, bytes]]:
    """``(line number, byte offset, bytes)`` for every line, over-long ones cut short."""
    offset = 0
    number = 0
    while True:
        raw = fh.readline(MAX_LINE_BYTES + 1)
        if not raw:
            return
        number += 1
        start = offset
        offset += len(raw)
        while len(raw) > MAX_LINE_BYTES and not raw.endswith(b"\n"):
            rest = fh.readline(MAX_LINE_BYTES + 1)  # skip the remainder of the long line
            offset += len(rest)
            if not rest or rest.endswith(b"\n"):
                break
        yield number, start, raw


def read(path: Path) -> Iterator[Record]:
    """Yield every record of the file in order (see the module docstring).

    A thing entity or broken line gives a listing or a fatal problem; an auxiliary entity
    merged into no listing gives a non-fatal problem.

    Raises:
        DataError: The file cannot be read.
    """
    try:
        reader = _Reader(path)
        yield from reader.run()
    except OSError as exc:
        raise DataError(f"cannot read: {exc.strerror}", source=str(path)) from None


class _Reader:
    """The state of one read: the index of pass one, the merges, the built owners."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.source = str(path)
        self.first_line: dict[str, int] = {}
        self.things: dict[str, _Thing] = {}
        self.aux: list[_Entity] = []
        self.addresses: dict[str, _Entity] = {}
        self.links: dict[str, list[tuple[str, _Entity]]] = {}
        self.address_refs: dict[str, bool] = {}  # address id -> referenced by a listing
        self.owner_ids: set[str] = set()
        self.built: dict[str, _Built | str] = {}
        self.lookup: BinaryIO | None = None
        self.refused: set[str] = set()  # thing ids whose line was refused

    # -- pass one ------------------------------------------------------------------

    def index(self) -> None:
        with self.path.open("rb") as fh:
            for number, offset, raw in _lines(fh):
                if not raw.strip():
                    continue
                ent = _parse(raw, number)
                if isinstance(ent, str) or ent.id in self.first_line:
                    continue
                self.first_line[ent.id] = number
                if ent.schema in THINGS:
                    self.things[ent.id] = _Thing(
                        number, offset, ent.target, ent.caption, ent.schema
                    )
                    for ref in ent.props.get("addressEntity", []):
                        self.address_refs[ref] = self.address_refs.get(ref, False) or ent.target
                else:
                    self.aux.append(ent)
                    if ent.schema == "Address":
                        self.addresses[ent.id] = ent
        for ent in self.aux:
            for role in LINKS.get(ent.schema, ()):
                for ref in ent.props.get(role, []):
                    self.links.setdefault(ref, []).append((role, ent))
            if ent.schema == "Ownership" and _current(ent):
                self.owner_ids.update(ent.props.get("owner", []))

    def is_listing(self, ident: str) -> bool:
        thing = self.things.get(ident)
        return thing is not None and thing.target

    def unmerged(self, ent: _Entity) -> str | None:
        """Why an auxiliary entity is merged into no listing, or ``None`` when it is."""
        if ent.schema == "Address":
            referenced = self.address_refs.get(ent.id)
            if referenced:
                return None
            if referenced is None:
                return "Address referenced by no party (addressEntity) in the file"
            return "Address referenced only by parties that are not targets (not listings)"
        roles = LINKS.get(ent.schema)
        if roles is None:
            return f"schema {ent.schema[:60]!r} is not read by this loader"
        refs = [ref for role in roles for ref in ent.props.get(role, [])]
        if any(self.is_listing(ref) for ref in refs):
            return None
        named = ", ".join(f"{role} {ref}" for role in roles for ref in ent.props.get(role, []))
        if any(ref in self.things for ref in refs):
            return f"{ent.schema} links only parties that are not targets ({named[:300]})"
        return f"{ent.schema} references no party in the file ({named[:300] or 'none'})"

    # -- pass two ------------------------------------------------------------------

    def run(self) -> Iterator[Record]:
        self.index()
        try:
            with self.path.open("rb") as fh:
                for number, _, raw in _lines(fh):
                    if raw.strip():
                        yield from self.record(number, raw)
        finally:
            if self.lookup is not None:
                self.lookup.close()

    def problem(
        self,
        line: int,
        reason: str,
        *,
        field: str = "",
        rid: str | None = None,
        fatal: bool,
        skipped: bool = False,
    ) -> Problem:
        return Problem(
            source=self.source,
            record=line,
            field=field,
            reason=reason,
            record_id=rid,
            fatal=fatal,
            skipped=skipped,
        )

    def record(self, number: int, raw: bytes) -> Iterator[Record]:
        ent = _parse(raw, number)
        if isinstance(ent, str):
            yield self.problem(number, ent, fatal=True)
            return
        if self.first_line.get(ent.id) != number:
            first = self.first_line.get(ent.id)
            same = ent.id not in self.refused and self.repeats_thing(ent.id, raw)
            yield self.problem(
                number,
                f"exact duplicate of line {first} (same entity)"
                if same
                else f"id already used on line {first}",
                rid=ent.id,
                fatal=True,
                skipped=same,
            )
            return
        yield from self.controls(number, ent)
        if ent.schema not in THINGS:
            reason = self.unmerged(ent)
            if reason is not None:
                yield self.problem(number, reason, rid=ent.id, fatal=False)
            return
        if not ent.target:
            yield self.problem(
                number,
                f"{ent.schema} is not a sanctions target (target: false); context only",
                rid=ent.id,
                fatal=True,
                skipped=True,
            )
            return
        try:
            listing, problems = self.listing(ent)
        except (TradeControlError, ValueError, RecursionError) as exc:
            message = exc.message if isinstance(exc, TradeControlError) else str(exc)
            path_ = exc.path if isinstance(exc, TradeControlError) else ""
            self.refused.add(ent.id)  # a repeat of this line is refused too, not skipped
            yield self.problem(number, message[:500], field=path_, rid=ent.id, fatal=True)
            return
        yield from problems
        yield listing

    def controls(self, number: int, ent: _Entity) -> Iterator[Problem]:
        """Non-fatal problems for the properties whose text ``clean`` cuts characters from.

        One per property (``properties.<name>``) or the caption holding NUL, BEL and the
        like (see ``_text.controls_removed``), on the entity's line.
        """
        if not controls_removed(
            "".join([ent.caption or "", *(v for values in ent.props.values() for v in values)])
        ):
            return  # (the usual line: one search)
        if ent.caption and controls_removed(ent.caption):
            yield self.problem(number, CONTROLS_REMOVED, field="caption", rid=ent.id, fatal=False)
        for name, values in ent.props.items():
            if any(controls_removed(value) for value in values):
                field = f"properties.{name}"
                yield self.problem(number, CONTROLS_REMOVED, field=field, rid=ent.id, fatal=False)

    # -- building ------------------------------------------------------------------

    def repeats_thing(self, ident: str, raw: bytes) -> bool:
        """Whether ``raw`` is byte for byte the line of the thing entity ``ident``."""
        thing = self.things.get(ident)
        if thing is None:  # (an auxiliary entity's line is not kept: not compared)
            return False
        if self.lookup is None:
            self.lookup = self.path.open("rb")
        self.lookup.seek(thing.offset)
        first = self.lookup.readline(MAX_LINE_BYTES + 1)
        return first.rstrip(b"\r\n") == raw.rstrip(b"\r\n")

    def load(self, ident: str) -> _Entity | None:
        """Read a thing entity by id from its line (for owners met before their line)."""
        thing = self.things.get(ident)
        if thing is None:
            return None
        if self.lookup is None:
            self.lookup = self.path.open("rb")
        self.lookup.seek(thing.offset)
        ent = _parse(self.lookup.readline(MAX_LINE_BYTES + 1), thing.line)
        return ent if isinstance(ent, _Entity) else None

    def entity(self, ent: _Entity, stack: tuple[str, ...] = ()) -> _Built:
        """The entity of a thing with its owners (cached for owners of other listings)."""
        cached = self.built.get(ent.id)
        if isinstance(cached, _Built):
            return cached
        built = _EntityBuilder(self, ent, (*stack, ent.id)).build()
        if ent.id in self.owner_ids:
            self.built[ent.id] = built
        return built

    def owner_entity(self, ident: str, stack: tuple[str, ...]) -> Entity | str:
        """The entity of an owner listing, or why it cannot be used."""
        if ident in stack:
            return "ownership cycle"
        if len(stack) >= MAX_OWNERSHIP_DEPTH:
            return f"ownership chain deeper than {MAX_OWNERSHIP_DEPTH} levels"
        cached = self.built.get(ident)
        if isinstance(cached, str):
            return cached
        ent = self.load(ident)
        if ent is None:
            return "owner line cannot be read"
        try:
            return self.entity(ent, stack).entity
        except (TradeControlError, ValueError) as exc:
            reason = exc.message if isinstance(exc, TradeControlError) else str(exc)
            self.built[ident] = reason
            return reason

    def caption(self, ident: str) -> str:
        thing = self.things.get(ident)
        return clean(thing.caption) if thing is not None and thing.caption else ident

    def listing(self, ent: _Entity) -> tuple[Listing, list[Problem]]:
        built = self.entity(ent)
        problems = list(built.problems)
        remarks = list(built.remarks)
        sanctions = [s for role, s in self.links.get(ent.id, []) if s.schema == "Sanction"]
        list_code, authority, dataset, primary = _primary(ent, sanctions)
        where = _Where(self, ent)
        version = _version(primary, authority, dataset, where)
        programs: list[str] = []
        for s in primary:
            if dataset != "us_trade_csl":  # there ``program`` repeats the list's name
                programs += s.props.get("program", [])
            programs += s.props.get("programId", [])
        programs += ent.props.get("programId", [])
        for s in sanctions:
            programs += s.props.get("programId", [])
        for s in sanctions:
            if s not in primary:
                remarks.append(_sanction_remark(s))
        for s in primary:
            remarks += [f"Authority: {clean(a)}" for a in s.props.get("authority", [])[:1]]
        if ent.datasets:
            remarks.append("OpenSanctions datasets: " + ", ".join(sorted(ent.datasets)))
        remarks += [clean(n) for n in ent.props.get("notes", [])]  # last: cut first if long
        source_url = next(
            (u for s in primary for u in s.props.get("sourceUrl", [])),
            ent.first("sourceUrl") or f"https://www.opensanctions.org/entities/{ent.id}/",
        )
        listing = Listing(
            id=f"os-{ent.id}",
            list_code=list_code,
            authority=authority,
            entity=built.entity,
            versions=[version],
            programs=_texts(programs, "programs", where),
            source_url=_cut(clean(source_url), "sourceUrl", where) or None,
            remarks=join_remarks(list(dict.fromkeys(remarks)), "remarks", where.add),
        )
        return listing, problems + where.problems


class _Where:
    """Non-fatal problems of one listing."""

    def __init__(self, reader: _Reader, ent: _Entity) -> None:
        self.reader = reader
        self.ent = ent
        self.problems: list[Problem] = []

    def add(self, field: str, reason: str, line: int | None = None, rid: str | None = None) -> None:
        self.problems.append(
            self.reader.problem(
                line or self.ent.line, reason, field=field, rid=rid or self.ent.id, fatal=False
            )
        )


def _texts(values: list[str], name: str, where: _Where) -> list[str]:
    """Cleaned, unique, valid texts (at most MAX_LIST); the rest are non-fatal problems."""
    out: list[str] = []
    seen: set[str] = set()
    for value in values:
        text = clean(value)
        if not text or text.casefold() in seen:
            continue
        if len(text) > v.MAX_TEXT:
            where.add(name, f"a value of {len(text)} characters left out (limit {v.MAX_TEXT})")
            continue
        seen.add(text.casefold())
        out.append(text)
    if len(out) > v.MAX_LIST:
        where.add(name, f"{len(out)} values; only the first {v.MAX_LIST} kept")
    return out[: v.MAX_LIST]


def _current(ent: _Entity) -> bool:
    return not ent.props.get("endDate")


class _EntityBuilder:
    """Builds the :class:`Entity` of one thing."""

    def __init__(self, reader: _Reader, ent: _Entity, stack: tuple[str, ...]) -> None:
        self.reader = reader
        self.ent = ent
        self.stack = stack
        self.where = _Where(reader, ent)
        self.remarks: list[str] = []

    def build(self) -> _Built:
        ent, where = self.ent, self.where
        kind = THINGS[ent.schema]
        caption = [ent.caption] if ent.caption else []
        names = _texts(
            caption
            + [x for key in ("name", "alias", "previousName") for x in ent.props.get(key, [])],
            "properties.name",
            where,
        )
        if not names:
            raise InvalidInputError(
                "no usable name (caption, name, alias: none given, or all longer than "
                f"{v.MAX_TEXT} characters)",
                path="properties.name",
            )
        strong = {n.casefold() for n in names}
        weak = [w for w in _texts(ent.props.get("weakAlias", []), "properties.weakAlias", where)]
        weak = [w for w in weak if w.casefold() not in strong]
        countries = self.codes(
            ent.props.get("country", [])
            or ent.props.get("jurisdiction", [])
            or ent.props.get("flag", []),
            "country",
        )
        if len(countries) > 1:
            self.remarks.append("Other countries: " + ", ".join(countries[1:]))
        births: list[str] = []
        nationalities: list[str] = []
        if kind is EntityKind.PERSON:
            births = self.birth_dates()
            nationalities = self.codes(
                ent.props.get("nationality", []) + ent.props.get("citizenship", []),
                "nationality",
            )
        owners, owner_remarks = self.owners()
        fields: dict[str, Any] = {
            "name": names[0],
            "kind": kind,
            "country": countries[0] if countries else None,
            "aliases": names[1:],
            "weak_aliases": weak,
            "addresses": self.addresses()[: v.MAX_LIST],
            "identifiers": self.identifiers()[: v.MAX_LIST],
            "birth_date": births[0] if births else None,
            "birth_dates": births[1 : v.MAX_LIST + 1],
            "nationalities": nationalities[: v.MAX_LIST],
        }
        try:
            entity = Entity(**fields, owners=owners)
        except InvalidInputError as exc:
            if not owners:
                raise
            where.add("owners", f"ownership left out ({exc.message}); kept in remarks")
            owner_remarks = [*self.owner_texts(), *owner_remarks]
            entity = Entity(**fields)
        self.remarks += owner_remarks
        self.remarks += self.relations()
        return _Built(entity=entity, problems=where.problems, remarks=self.remarks)

    def codes(self, values: list[str], name: str) -> list[str]:
        out: list[str] = []
        for value in values:
            code = country_code(value)
            if code is None:
                self.where.add(
                    f"properties.{name}", f"unknown country code {value[:60]!r}; kept in remarks"
                )
                self.remarks.append(f"Unrecognised country code ({name}): {clean(value)}")
            elif code not in out:
                out.append(code)
        return out

    def birth_dates(self) -> list[str]:
        out: list[str] = []
        for value in self.ent.props.get("birthDate", []):
            text = clean(value)
            if len(text) > 10 and text[10] == "T":
                text = text[:10]
            try:
                date = v.partial_date(text)
            except TradeControlError:
                self.where.add(
                    "properties.birthDate",
                    f"{value[:60]!r} is not a partial date; kept in remarks",
                )
                self.remarks.append(f"Date of birth: {clean(value)}")
                continue
            if date not in out:
                out.append(date)
        return sorted(out)

    def addresses(self) -> list[Address]:
        ent = self.ent
        out: list[Address] = []
        fulls: set[str] = set()
        for ref in ent.props.get("addressEntity", []):
            addr = self.reader.addresses.get(ref)
            if addr is None:
                continue
            full = clean(addr.first("full") or "")
            fulls.add(full.casefold())
            street = " ".join(
                clean(x)
                for key in ("street", "street2", "postOfficeBox")
                for x in addr.props.get(key, [])
            )
            code = None
            if (country := addr.first("country")) is not None:
                code = country_code(country)
                if code is None:
                    self.where.add(
                        "properties.country",
                        f"unknown country code {country[:60]!r}; kept in the address",
                        line=addr.line,
                        rid=addr.id,
                    )
                    full = full or clean(country)
            self.add_address(
                out,
                {
                    "street": street or full or None,
                    "city": clean(addr.first("city") or "") or None,
                    "region": clean(addr.first("region") or "") or None,
                    "postal_code": clean(addr.first("postalCode") or "") or None,
                    "country": code,
                },
                addr,
            )
        for value in ent.props.get("address", []):
            text = clean(value)
            if text and text.casefold() not in fulls:
                fulls.add(text.casefold())
                self.add_address(out, {"street": text}, None)
        return out

    def add_address(self, out: list[Address], parts: dict[str, Any], addr: _Entity | None) -> None:
        try:
            address = Address(**parts)
        except TradeControlError as exc:
            self.where.add(
                "properties.address",
                f"{exc}; address left out",
                line=addr.line if addr else None,
                rid=addr.id if addr else None,
            )
            return
        if address != Address() and address not in out:
            out.append(address)

    def identifiers(self) -> list[Identifier]:
        ent = self.ent
        found: list[tuple[str, str, str | None]] = []
        for prop, scheme, country in _IDENTIFIERS:
            for value in ent.props.get(prop, []):
                found.append((scheme, clean(value), country))
        for role, doc in self.reader.links.get(ent.id, []):
            if doc.schema not in ("Passport", "Identification") or role != "holder":
                continue
            numbers = doc.props.get("number", []) + doc.props.get("passportNumber", [])
            if not numbers:
                self.remarks.append(f"{doc.schema} on record, number not stated in the source")
            for number in numbers:
                scheme = "passport" if doc.schema == "Passport" else "national_id"
                found.append((scheme, clean(number), doc.first("country")))
        out: list[Identifier] = []
        values: set[str] = set()
        for scheme, value, country in found:
            if not value or (scheme == "id_number" and value in values):
                continue
            code = country_code(country) if country else None
            try:
                ident = Identifier(scheme=scheme, value=value, country=code)
            except TradeControlError as exc:
                self.where.add(f"identifiers.{scheme}", f"{exc}; left out")
                continue
            if any(o.scheme == ident.scheme and o.value == ident.value for o in out):
                continue
            values.add(value)
            out.append(ident)
        return out

    def ownerships(self) -> list[tuple[str, _Entity]]:
        return [
            (r, e) for r, e in self.reader.links.get(self.ent.id, []) if e.schema == "Ownership"
        ]

    def owners(self) -> tuple[list[Ownership], list[str]]:
        """Current owners that are listings, and remarks for edges that could not be.

        Several current edges from one owner (one per source) become one edge with the
        largest share stated.
        """
        owners: dict[str, tuple[Entity, Any]] = {}  # owner id -> entity, largest share
        remarks: list[str] = []
        for role, edge in self.ownerships():
            if role != "asset" or not _current(edge):
                continue
            for owner_id in edge.props.get("owner", []):
                if not self.reader.is_listing(owner_id):
                    continue
                owner = self.reader.owner_entity(owner_id, self.stack)
                if isinstance(owner, str):
                    self.where.add(
                        "owner",
                        f"owner {owner_id} left out ({owner}); kept in remarks",
                        line=edge.line,
                        rid=edge.id,
                    )
                    remarks.append(self.ownership_text("Owner", owner_id, edge))
                    continue
                share = None
                if (percent := edge.first("percentage")) is not None:
                    try:
                        share = v.percent(percent)
                    except TradeControlError as exc:
                        self.where.add(
                            "percentage",
                            f"{exc.message}; share left unknown",
                            line=edge.line,
                            rid=edge.id,
                        )
                known = owners.get(owner_id, (owner, None))[1]
                if known is None or (share is not None and share > known):
                    known = share  # several sources state one edge: keep the largest share
                owners[owner_id] = (owner, known)
        out = [Ownership(owner=owner, share_percent=share) for owner, share in owners.values()]
        return out, remarks

    def owner_texts(self) -> list[str]:
        return [
            self.ownership_text("Owner", owner_id, edge)
            for role, edge in self.ownerships()
            if role == "asset" and _current(edge)
            for owner_id in edge.props.get("owner", [])
            if self.reader.is_listing(owner_id)
        ]

    def ownership_text(self, label: str, other: str, edge: _Entity) -> str:
        details = [f"{clean(p)}%" for p in edge.props.get("percentage", [])[:1]]
        details += [clean(r) for r in edge.props.get("role", [])[:1]]
        start, end = edge.first("startDate"), edge.first("endDate")
        if start:
            details.append(f"from {clean(start)}")
        if end:
            details.append(f"until {clean(end)}")
        suffix = f" ({', '.join(details)})" if details else ""
        return f"{label}: {self.reader.caption(other)} [{other}]{suffix}"

    def relations(self) -> list[str]:
        """Remarks for ownerships that are not owner edges, and for other links."""
        out: list[str] = []
        for role, link in self.reader.links.get(self.ent.id, []):
            if link.schema in ("Sanction", "Passport", "Identification"):
                continue
            roles = LINKS[link.schema]
            others = [r for key in roles if key != role for r in link.props.get(key, [])]
            if link.schema == "Ownership":
                if role == "asset":
                    for owner_id in others:
                        if _current(link) and self.reader.is_listing(owner_id):
                            continue  # an owner edge (or its remark when left out)
                        out.append(self.ownership_text("Owner", owner_id, link))
                else:
                    out += [self.ownership_text("Owns", o, link) for o in others]
                continue
            details = [
                clean(x)
                for x in (link.props.get("role") or link.props.get("relationship") or [])[:1]
            ]
            if start := link.first("startDate"):
                details.append(f"from {clean(start)}")
            if end := link.first("endDate"):
                details.append(f"until {clean(end)}")
            suffix = f" ({', '.join(details)})" if details else ""
            for key in roles:
                if key == role:
                    continue
                for other in link.props.get(key, []):
                    out.append(
                        f"{link.schema}: {key} {self.reader.caption(other)} [{other}]{suffix}"
                    )
        return out


def _primary(ent: _Entity, sanctions: list[_Entity]) -> tuple[str, str, str, list[_Entity]]:
    """List code, authority, dataset and the Sanction entities that define the listing."""
    datasets = set(ent.datasets)
    for dataset, code, authority in OFFICIAL:
        if dataset not in datasets:
            continue
        linked = [s for s in sanctions if dataset in s.datasets]
        if dataset != "us_trade_csl":
            return code, authority, dataset, linked
        by_list: dict[tuple[str, str], list[_Entity]] = {}
        for s in linked:
            for text in s.props.get("program", []) + s.props.get("authority", []):
                if (found := csl_source(text)) is not None:
                    by_list.setdefault(found, []).append(s)
                    break
        if by_list:
            (csl_code, csl_authority), same = next(iter(by_list.items()))
            return csl_code, csl_authority, dataset, same
    sanctioned = sorted({d for s in sanctions for d in s.datasets} & datasets)
    others = sorted(datasets)
    dataset = (
        sanctioned[0]
        if sanctioned
        else next((d for d in others if not d.startswith("ext_")), others[0] if others else "")
    )
    if not dataset:
        return "OS", "OS", "", []
    return (
        f"OS:{dataset}",
        f"OS:{dataset}",
        dataset,
        [s for s in sanctions if dataset in s.datasets],
    )


def _full_dates(values: list[str], name: str, s: _Entity, where: _Where) -> list[datetime.date]:
    out = []
    for value in values:
        day = iso_date(clean(value))
        if day is None:
            where.add(
                f"properties.{name}",
                f"{value[:60]!r} is not a full date; not used for the window",
                line=s.line,
                rid=s.id,
            )
        else:
            out.append(day)
    return out


def _version(primary: list[_Entity], authority: str, dataset: str, where: _Where) -> ListingVersion:
    zone = "America/New_York" if authority.startswith("US-") else ZONES.get(authority, "UTC")
    starts: list[datetime.date] = []
    ends: list[datetime.date] = []
    every_ended = bool(primary)
    for s in primary:
        begun = _full_dates(s.props.get("startDate", []), "startDate", s, where) or _full_dates(
            s.props.get("listingDate", []), "listingDate", s, where
        )
        if begun:
            starts.append(min(begun))
        ended = _full_dates(s.props.get("endDate", []), "endDate", s, where)
        if ended:
            ends.append(max(ended))
        else:
            every_ended = False
    start = min(starts) if starts else None
    end = max(ends) if every_ended and ends else None
    try:
        window = Window(start=start, end=end, zone=zone)
    except TradeControlError as exc:
        where.add("properties.endDate", f"{exc.message}; end left open")
        window = Window(start=start, zone=zone)
    citations = fr_citations(
        [a for s in primary for a in s.props.get("authorityId", []) if _looks_like_fr(a)]
    )
    requirement: LicenseRequirement | None = None
    policy: ReviewPolicy | None = None
    policy_text: str | None = None
    if dataset == "us_trade_csl":
        for s in primary:
            for text in s.props.get("reason", []):
                found, reason = license_requirement(text)
                if found is not None:
                    requirement = found
                    if reason:
                        where.add("properties.reason", reason, line=s.line, rid=s.id)
                    break
            for text in s.props.get("provisions", []):
                found_policy, _ = review_policy(text)
                if found_policy is not None:
                    policy = found_policy
                    policy_text = _cut(clean(text), "properties.provisions", where)
                    break
    note = None
    if start is None:
        note = NO_DATE_NOTE
    elif dataset:
        note = f"listing dates from the OpenSanctions dataset {dataset}"
    return ListingVersion(
        window=window,
        license_requirement=requirement,
        review_policy=policy,
        review_policy_text=policy_text,
        citations=citations,
        note=note,
    )


_FR = re.compile(r"^\d{1,3}\s+F\.?\s?R\.?\s+\d+\b")


def _looks_like_fr(text: str) -> bool:
    return bool(_FR.match(clean(text)))


def _sanction_remark(s: _Entity) -> str:
    programs = s.props.get("programId", []) or s.props.get("program", [])
    parts = [", ".join(clean(p) for p in programs[:3])] if programs else []
    start = min(s.props.get("startDate", []) or s.props.get("listingDate", []) or [""])
    if start:
        parts.append(f"from {clean(start)}")
    if end := s.first("endDate"):
        parts.append(f"until {clean(end)}")
    detail = " ".join(parts) or "no programme stated"
    return f"Sanction ({', '.join(sorted(s.datasets)) or 'no dataset'}): {detail}"


def _cut(text: str, field: str, where: Any) -> str:
    """``text`` within the text limit; a longer one is cut and the cut is a problem."""
    if len(text) <= v.MAX_TEXT:
        return text
    where.add(field, f"{len(text)} characters, cut to {v.MAX_TEXT}")
    return text[: v.MAX_TEXT]
