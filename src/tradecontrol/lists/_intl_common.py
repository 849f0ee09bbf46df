"""Helpers shared by the UN, EU, UK and BIS Denied Persons List loaders (internal).

* :class:`Draft` collects one record's parts (names, addresses, identifiers, dates,
  remarks) and turns every part it cannot represent into a non-fatal
  :class:`~tradecontrol.lists.Problem`, keeping the raw text in the listing's remarks;
  :meth:`Draft.listing` builds the :class:`~tradecontrol.listings.Listing` or, when even
  that fails, a fatal problem.
* :func:`xml_records` streams the record elements of an XML file through ``defusedxml``
  (DTDs, entity expansion and external entities are refused with a ``DataError``).
* :func:`xml_root` reads the root element's name and attributes from a file's first bytes
  for the sniffers.
"""

from __future__ import annotations

import contextlib
import datetime
import importlib
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any, Protocol

import attrs

from tradecontrol import _validators as v
from tradecontrol._time import Window
from tradecontrol.entities import Address, Entity, EntityKind, Identifier
from tradecontrol.errors import DataError, TradeControlError
from tradecontrol.jurisdictions import country_code, is_known_code
from tradecontrol.listings import Listing, ListingVersion
from tradecontrol.lists._core import Problem, Published
from tradecontrol.lists._text import CONTROLS_REMOVED, visible
from tradecontrol.lists._xmlzip import ChunkedReads, Stray, StrayWatch

NO_DATE_NOTE = "listing date not stated in the source"

_SPACE = re.compile(r"\s+")
_CONTROL = re.compile(  # categories Cc and Cs, and bidirectional controls (refused in a listing)
    "[\x00-\x1f\x7f-\x9f\ud800-\udfff\u202a-\u202e\u2066-\u2069]"
)

# Country names the UN, EU, UK and BIS files use that ``country_code`` does not know (UN
# terminology and common short forms). Compared after ``normalize_name``.


class Node(Protocol):
    """The part of an ElementTree element the loaders use."""

    tag: str
    text: str | None
    attrib: dict[str, str]

    def get(self, key: str, default: None = None) -> str | None:
        """An attribute."""

    def find(self, path: str) -> Node | None:
        """The first matching sub-element."""

    def findall(self, path: str) -> list[Node]:
        """Every matching sub-element."""

    def iter(self, tag: str | None = None) -> Iterator[Node]:
        """This element and its descendants."""

    def itertext(self) -> Iterator[str]:
        """The text of this element and its descendants, in document order."""

    def clear(self) -> None:
        """Drop children, attributes and text."""

    def __iter__(self) -> Iterator[Node]: ...

    def __len__(self) -> int: ...


def local(tag: str) -> str:
    """An element name without its ``{namespace}``."""
    return tag.rsplit("}", 1)[-1]


def squash(value: str | None) -> str:
    """Whitespace runs (line breaks, tabs, non-breaking spaces) as one space, trimmed."""
    return _SPACE.sub(" ", value or "").strip()


def iso_date(value: str | None) -> datetime.date | None:
    """``YYYY-MM-DD`` (an offset or time after it is ignored), else ``None``."""
    match = re.match(r"\s*([0-9]{4})-([0-9]{2})-([0-9]{2})(?![0-9])", value or "")
    if not match:
        return None
    try:
        return datetime.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None


def slash_date(value: str | None, *, day_first: bool) -> datetime.date | None:
    """``DD/MM/YYYY`` (``day_first``) or ``MM/DD/YYYY``, one- or two-digit parts, else None."""
    match = re.fullmatch(r"\s*([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})\s*", value or "")
    if not match:
        return None
    a, b, year = int(match[1]), int(match[2]), int(match[3])
    day, month = (a, b) if day_first else (b, a)
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


def publication(source: str, field: str, raw: str | None) -> list[Published | Problem]:
    """The ``Published`` record for an ISO date attribute, or a problem if unreadable."""
    if raw is None or not raw.strip():
        return []
    day = iso_date(raw)
    if day is not None:
        return [Published(day)]
    reason = f"publication date not read: {squash(raw)[:40]!r}"
    return [Problem(source=source, record=0, field=field, reason=reason, fatal=False)]


def lookup_country(raw: str) -> str | None:
    """An alpha-2 code for an ISO code or a country name (see ``country_code``), else None."""
    return country_code(raw)


def is_latin(text: str) -> bool:
    """True when every letter of ``text`` is a Latin letter."""
    for ch in text:
        if ch.isalpha():
            try:
                if not unicodedata.name(ch).startswith("LATIN"):
                    return False
            except ValueError:
                return False
    return True


class Draft:
    """One record being mapped to a listing; collects non-fatal problems and remarks.

    Args:
        source: File name.
        record: Record number (row or element number).
        record_id: The record's id in the source, when known.
    """

    def __init__(self, source: str, record: int, record_id: str | None = None) -> None:
        self.source = source
        self.record = record
        self.record_id = record_id
        self.problems: list[Problem] = []
        self.remarks: list[str] = []
        self.aliases: list[str] = []
        self.weak_aliases: list[str] = []
        self.addresses: list[Address] = []
        self.identifiers: list[Identifier] = []
        self.birth_dates: list[str] = []
        self.nationalities: list[str] = []
        self.programs: list[str] = []
        self.citations: list[str] = []

    # -- problems and text ---------------------------------------------------------------

    def problem(
        self, field: str, reason: str, *, fatal: bool = False, skipped: bool = False
    ) -> Problem:
        """A problem of this record (non-fatal unless said); kept for :meth:`listing`."""
        found = Problem(
            source=self.source,
            record=self.record,
            field=field,
            reason=reason,
            record_id=self.record_id,
            fatal=fatal,
            skipped=skipped,
        )
        if not fatal:
            self.problems.append(found)
        return found

    def fail(self, field: str, reason: str) -> Iterator[Problem]:
        """The record's non-fatal problems so far, then a fatal problem: no listing."""
        yield from self._located()
        yield self.problem(field, reason, fatal=True)

    def skip(self, field: str, reason: str) -> Iterator[Problem]:
        """As :meth:`fail`, for a record that is by design not a listing (``skipped=True``).

        Only for a record whose loss loses nothing (an exact duplicate, a row with no
        value): see :class:`~tradecontrol.lists.Problem`.
        """
        yield from self._located()
        yield self.problem(field, reason, fatal=True, skipped=True)

    def text(self, field: str, value: str | None, *, limit: int = v.MAX_TEXT) -> str | None:
        """Cleaned text: whitespace squashed, control characters removed (a problem).

        Returns ``None`` for empty text or text without a visible character (U+200B...);
        longer text than ``limit`` is cut with a problem.
        """
        out = squash(value)
        if not out:
            return None
        if _CONTROL.search(out):
            out = squash(_CONTROL.sub("", out))
            if not any(  # one problem per field (a cell read as several texts, say)
                p.field == field and p.reason == CONTROLS_REMOVED for p in self.problems
            ):
                self.problem(field, CONTROLS_REMOVED)
        if not out.isascii():
            out = visible(out)  # only invisible characters (U+200B, U+FEFF...): as empty
        if not out:
            return None
        if len(out) > limit:
            self.problem(field, f"text of {len(out)} characters cut to {limit}")
            out = out[: limit - 3].rstrip() + "..."
        return out

    def name_text(self, field: str, value: str | None) -> str | None:
        """Cleaned name text; a name that is too long or invisible is refused (a problem)."""
        out = self.text(field, value, limit=1 << 30)
        if out is None:
            return None
        try:
            return v.text(out)
        except TradeControlError as exc:
            self.problem(field, f"name refused: {exc.message}")
            self.note(field, out[:200] + ("..." if len(out) > 200 else ""))
            return None

    def note(self, label: str, value: str | None) -> None:
        """Add ``label: value`` (or just ``value`` when label is empty) to the remarks."""
        text = squash(value)
        if text:
            self.remarks.append(f"{label}: {text}" if label else text)

    # -- parts ---------------------------------------------------------------------------

    def country(self, field: str, raw: str | None, label: str = "Country") -> str | None:
        """An alpha-2 code for a code or name; unknown ones are a problem and a remark."""
        text = squash(raw)
        if not text:
            return None
        code = lookup_country(text)
        if code is None:
            self.problem(field, f"unknown country {text[:100]!r}; kept in remarks")
            self.note(label, text)
        return code

    def iso_country(self, field: str, code: str | None, name: str | None) -> str | None:
        """An ISO alpha-2 attribute (``00`` = unknown), falling back to the country name."""
        raw = squash(code).upper()
        if raw in ("", "00") and squash(name).upper() in ("", "UNKNOWN"):
            return None
        if len(raw) == 2 and is_known_code(raw):
            return raw
        if squash(name) and squash(name).upper() != "UNKNOWN":
            return self.country(field, name)
        return self.country(field, raw)

    def alias(self, field: str, value: str | None, *, weak: bool = False) -> None:
        """Add a strong (or weak) alias."""
        name = self.name_text(field, value)
        if name is not None:
            (self.weak_aliases if weak else self.aliases).append(name)

    def birth_date(self, field: str, value: str) -> None:
        """Add a partial birth date (``1962``, ``1962-01-15``, ``circa 1962``...)."""
        try:
            self.birth_dates.append(v.partial_date(value))
        except TradeControlError as exc:
            self.problem(field, f"date of birth not kept as a date: {exc.message}")
            self.note("Date of birth", value)

    def nationality(self, field: str, raw: str | None) -> None:
        """Add a nationality given as a country name or code."""
        code = self.country(field, raw, "Nationality")
        if code is not None:
            self.nationalities.append(code)

    def address(
        self,
        field: str,
        *,
        street: str | None = None,
        city: str | None = None,
        region: str | None = None,
        postal_code: str | None = None,
        country: str | None = None,
    ) -> None:
        """Add an address (country already a code); an empty address is skipped."""
        parts = {
            "street": self.text(f"{field}.street", street),
            "city": self.text(f"{field}.city", city),
            "region": self.text(f"{field}.region", region),
            "postal_code": self.text(f"{field}.postal_code", postal_code),
        }
        if not any(parts.values()) and country is None:
            return
        try:
            self.addresses.append(Address(country=country, **parts))
        except TradeControlError as exc:
            self.problem(field, f"address refused: {exc.message}")
            self.note("Address", ", ".join(x for x in parts.values() if x))

    def identifier(
        self, field: str, scheme: str, value: str | None, country: str | None = None
    ) -> None:
        """Add an identifier (passport, national_id, imo...)."""
        number = self.text(field, value)
        if number is None:
            return
        try:
            self.identifiers.append(Identifier(scheme=scheme, value=number, country=country))
        except TradeControlError as exc:
            self.problem(field, f"identifier refused: {exc.message}")
            self.note(scheme, number)

    def window(
        self,
        field: str,
        start: datetime.date | None,
        end: datetime.date | None,
        zone: str,
    ) -> Window:
        """The listing window; an end before the start is a problem and is dropped."""
        try:
            return Window(start=start, end=end, zone=zone)
        except TradeControlError as exc:
            self.problem(field, f"end date dropped: {exc.message}")
            self.note("End date", end.isoformat() if end else None)
            return Window(start=start, zone=zone)

    # -- the listing -----------------------------------------------------------------------

    def listing(
        self,
        *,
        id: str,
        list_code: str,
        authority: str,
        name: str,
        kind: EntityKind,
        window: Window,
        country: str | None = None,
        note: str | None = None,
        source_url: str | None = None,
    ) -> Iterator[Problem | Listing]:
        """The non-fatal problems, then the listing (or a fatal problem when it is invalid)."""
        person = kind is EntityKind.PERSON
        if not person and (self.birth_dates or self.nationalities):
            self.problem("", f"birth dates and nationalities kept in remarks (a {kind.value})")
            self.note("Date of birth", ", ".join(self.birth_dates))
            self.note("Nationality", ", ".join(self.nationalities))
        strong = _unique(a for a in self.aliases if a != name)
        weak = _unique(a for a in self.weak_aliases if a != name and a not in strong)
        births = _unique(self.birth_dates) if person else []
        remarks = self.text("remarks", "; ".join(_unique(self.remarks)))
        try:
            entity = Entity(
                name=name,
                kind=kind,
                country=country,
                aliases=self._capped("aliases", strong),
                weak_aliases=self._capped("weak_aliases", weak),
                addresses=self._capped("addresses", _unique(self.addresses)),
                identifiers=self._capped("identifiers", _unique(self.identifiers)),
                birth_date=births[0] if births else None,
                birth_dates=self._capped("birth_dates", births[1:]),
                nationalities=(
                    self._capped("nationalities", _unique(self.nationalities)) if person else ()
                ),
            )
            version = ListingVersion(
                window=window,
                citations=self._capped("citations", _unique(self.citations)),
                note=note,
            )
            listing = Listing(
                id=id,
                list_code=list_code,
                authority=authority,
                entity=entity,
                versions=(version,),
                programs=self._capped("programs", _unique(self.programs)),
                source_url=source_url,
                remarks=remarks,
            )
        except (TradeControlError, ValueError) as exc:
            message = exc.message if isinstance(exc, TradeControlError) else str(exc)
            field = exc.path if isinstance(exc, TradeControlError) else ""
            yield from self.fail(field, f"record refused: {message}")
            return
        yield from self._located()
        yield listing

    def _located(self) -> Iterator[Problem]:
        """The non-fatal problems, naming the record id found after some were raised."""
        for found in self.problems:
            if found.record_id is None and self.record_id is not None:
                yield attrs.evolve(found, record_id=self.record_id)
            else:
                yield found

    def _capped(self, field: str, values: list[Any]) -> list[Any]:
        if len(values) > v.MAX_LIST:
            self.problem(field, f"{len(values)} values; only the first {v.MAX_LIST} kept")
            return values[: v.MAX_LIST]
        return values


def guarded(
    source: str, number: int, mapper: Callable[..., Iterable[Any]], *args: Any
) -> list[Any]:
    """``list(mapper(*args))``, or one fatal problem for record ``number`` if that fails.

    A malformed record must not stop the file: a ``ValueError`` (every
    ``TradeControlError`` about input is one), ``LookupError`` or ``TypeError`` raised
    while mapping it becomes a fatal problem for that record alone.
    """
    try:
        return list(mapper(*args))
    except (ValueError, LookupError, TypeError) as exc:
        message = exc.message if isinstance(exc, TradeControlError) else str(exc)
        return [
            Problem(
                source=source,
                record=number,
                field="",
                reason=f"record could not be read: {type(exc).__name__}: {message[:200]}",
            )
        ]


def unique_id(source: str, seen: dict[str, int], number: int, records: list[Any]) -> list[Any]:
    """Give a listing whose id an earlier record already took the suffix ``-<number>``.

    Ids name listings in snapshots and diffs, so they must be unique within a file; the
    renamed listing is kept (with a non-fatal problem) rather than dropped.
    """
    out: list[Any] = []
    for record in records:
        if not isinstance(record, Listing) or record.id not in seen:
            if isinstance(record, Listing):
                seen[record.id] = number
            out.append(record)
            continue
        renamed = attrs.evolve(record, id=f"{record.id}-{number}")
        out.append(
            Problem(
                source=source,
                record=number,
                field="",
                reason=f"id {record.id!r} already used by record {seen[record.id]}; "
                f"loaded as {renamed.id!r}",
                record_id=record.id,
                fatal=False,
            )
        )
        seen.setdefault(renamed.id, number)
        out.append(renamed)
    return out


def _unique(values: Iterable[Any]) -> list[Any]:
    out: list[Any] = []
    seen: set[Any] = set()
    for value in values:
        if value not in seen:
            seen.add(value)
            out.append(value)
    return out


# -- XML ---------------------------------------------------------------------------------

_ROOT_NAME = re.compile(r"<(?P<name>[A-Za-z_][\w.:-]*+)(?P<attrs>[^>]*+)>")
_PROLOG_SPACE = re.compile(r"\s*+")
_DOCTYPE_END = re.compile(r"[^\[>]*+(?:>|\[)")
_SUBSET_END = re.compile(r"\]\s*+>")


def _prolog_end(text: str) -> int | None:
    """Where the root element starts, past processing instructions, comments and DOCTYPE.

    One forward pass (linear in the head's length: a regular expression with nested
    repetition backtracked exponentially on a run of ``<?x ?>``). ``None``: a construct
    is not closed within the head.
    """
    pos = 0
    while True:
        space = _PROLOG_SPACE.match(text, pos)
        pos = space.end() if space else pos
        if text.startswith("<?", pos):
            end = text.find("?>", pos + 2)
            if end < 0:
                return None
            pos = end + 2
        elif text.startswith("<!--", pos):
            end = text.find("-->", pos + 4)
            if end < 0:
                return None
            pos = end + 3
        elif text.startswith("<!DOCTYPE", pos):
            head = _DOCTYPE_END.match(text, pos + 9)
            if head is None:
                return None
            pos = head.end()
            if text[pos - 1] == "[":  # an internal subset: up to the first "]" then ">"
                subset = _SUBSET_END.search(text, pos)
                if subset is None:
                    return None
                pos = subset.end()
        else:
            return pos


def xml_root(head: bytes) -> tuple[str, str, str] | None:
    """The root element's local name, its attribute text and the decoded head, or None."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = head.decode("utf-16", errors="replace")
    else:
        text = head.decode("utf-8", errors="replace")
    text = text.lstrip("\ufeff")
    start = _prolog_end(text)
    match = None if start is None else _ROOT_NAME.match(text, start)
    if not match:
        return None
    return local(match["name"]), match["attrs"], text


def _defused() -> ModuleType:
    try:
        return importlib.import_module("defusedxml.ElementTree")
    except ImportError:
        raise DataError(
            "XML lists need the lists extra: pip install 'tradecontrol[lists]' "
            "(from a clone: pip install '.[lists]')"
        ) from None


@contextlib.contextmanager
def _xml_errors(et: ModuleType, source: str) -> Iterator[None]:
    """Turn the parser's failures into :class:`DataError` naming the file."""
    common = importlib.import_module("defusedxml.common")
    try:
        yield
    except common.DefusedXmlException as exc:
        raise DataError(
            f"refused: the file declares a DTD or entities ({type(exc).__name__}); "
            "entity expansion and external entities are never processed",
            source=source,
        ) from None
    except et.ParseError as exc:
        raise DataError(f"not well-formed XML: {exc}", source=source) from None
    except (LookupError, UnicodeError) as exc:
        raise DataError(f"unreadable character encoding: {exc}", source=source) from None
    except OSError as exc:
        raise DataError(f"cannot read: {exc.strerror}", source=source) from None


def xml_records(
    path: Path,
    records: dict[str, int],
    *,
    structure: dict[str, int],
    on_start: Callable[[int, Node], None] | None = None,
    on_other: Callable[[int, Node], None] | None = None,
) -> Iterator[Node | Stray]:
    """Stream the record elements of an XML file, clearing each after use.

    Args:
        path: The file.
        records: Local names of the record elements and their depth (the root is depth 0).
        structure: The other elements the format puts at or above the records' depth, with
            their depth. Any other element there, and a record name at another depth, is
            yielded as a :class:`~tradecontrol.lists._xmlzip.Stray` (the loader reports it
            as a fatal problem) instead of being skipped.
        on_start: Called with ``(depth, element)`` at every start tag above the records
            (the root's attributes are complete there).
        on_other: Called with every complete non-record element at depth 1.

    Raises:
        DataError: Unreadable file, XML not well-formed, or a DTD / entity declaration
            (entity expansion and external entities are never processed).
    """
    et = _defused()
    source = str(path)
    try:
        fh = path.open("rb")
    except OSError as exc:
        raise DataError(f"cannot read: {exc.strerror}", source=source) from None
    with fh:
        stack: list[Node] = []
        in_record = 0
        watch = StrayWatch(records, structure)
        with _xml_errors(et, source):
            parser = et.iterparse(ChunkedReads(fh), events=("start", "end"), forbid_dtd=True)
            for event, elem in parser:
                if event == "start":
                    depth = len(stack)
                    stack.append(elem)
                    if in_record:
                        in_record += 1
                    elif watch.start(depth, local(elem.tag)):
                        pass
                    elif records.get(local(elem.tag)) == depth:
                        in_record = 1
                    elif on_start is not None:
                        on_start(depth, elem)
                    continue
                stack.pop()
                depth = len(stack)
                if in_record:
                    in_record -= 1
                    if in_record:
                        continue
                    yield elem
                elif watch.inside:
                    stray = watch.end([local(e.tag) for e in stack], local(elem.tag))
                    if stray is not None:
                        yield stray
                    if watch.inside:
                        continue
                elif depth == 1 and on_other is not None:
                    on_other(depth, elem)
                else:
                    continue
                # Done with it: free it and what its parent still holds (the root's
                # attributes were read at its start tag).
                elem.clear()
                if stack:
                    stack[-1].clear()


def stray_problem(source: str, number: int, stray: Stray) -> Problem:
    """The fatal problem for an element that stands where records stand but is none."""
    return Problem(source=source, record=number, field=stray.path, reason=stray.reason)
