r"""What the four OFAC loaders share (internal): ids, list codes, countries, dates, remarks.

Listing ids
    ``us-sdn-<uid>`` for an entry of the SDN List and ``us-ofac-<uid>`` for an entry of a
    non-SDN list, where ``uid`` is OFAC's entity number (``ent_num`` in the legacy CSV,
    ``uid`` in the classic XML, ``id`` of an Enhanced XML ``entity``, ``FixedRef`` of an
    Advanced XML ``DistinctParty``). OFAC keeps that number for the life of an entry, in
    every format, so a CSV and an XML snapshot give the same ids. The non-SDN id does not
    carry the list code because the legacy formats do not state the list (see below). An
    entity on both the SDN List and a non-SDN list has one listing of each.

Non-SDN list codes
    The Enhanced and Advanced XML name each entry's lists; the legacy CSV (``cons_prim.csv``)
    and the classic XML (``consolidated.xml``) name only programmes, so the list is inferred
    from them (first rule that applies):

    ===========  ================================================================
    code         when
    ===========  ================================================================
    ``FSE``      a programme ``FSE-*`` (Foreign Sanctions Evaders: FSE-IR, FSE-SY)
    ``PLC``      ``NS-PLC`` (Non-SDN Palestinian Legislative Council List)
    ``CAP``      ``561-Related`` or ``561List`` (CAPTA List, formerly Part 561 List)
    ``CMIC``     ``CMIC-EO13959`` (Non-SDN Chinese Military-Industrial Complex List)
    ``SSI``      ``UKRAINE-EO13662`` (Sectoral Sanctions Identifications List)
    ``NS-MBS``   a menu-based programme: ``RUSSIA-EO14024``, ``CAATSA - RUSSIA``,
                 ``CAATSA - IRAN``, ``BURMA-EO14014``, ``ILLICIT-DRUGS-EO14059``,
                 ``MBS``, ``NS-ISA``/``ISA`` (the Non-SDN Iranian Sanctions Act List,
                 renamed the Non-SDN Menu-Based Sanctions List in 2018)
    ``13599``    ``IRAN`` (the 2012–2018 list of persons blocked solely under
                 E.O. 13599)
    ``NON-SDN``  anything else, with a non-fatal problem naming the programmes
    ===========  ================================================================

    An entry that OFAC puts on several non-SDN lists (SSI and NS-MBS for some Russian
    companies under E.O. 14024 directives) gets the first code of this order; the version
    note names the other lists where the file states them.

Whether a legacy file is the SDN List or the non-SDN consolidated list is decided from its
content: it is the non-SDN list when more than half its entries carry a programme that only
the non-SDN lists use (``NS-PLC``, ``CMIC-EO13959``, ``561*``, ``FSE-*``, ``UKRAINE-EO13662``,
``MBS``, ``NS-ISA``); fewer than 1 % of SDN entries do. The file name decides only for a
file with no entries.
"""

from __future__ import annotations

import calendar
import datetime
import functools
import re
from collections.abc import Iterable, Sequence
from typing import Any, cast

import attrs

from tradecontrol import _validators as v
from tradecontrol._time import Window
from tradecontrol.entities import Address, Entity, EntityKind, Identifier
from tradecontrol.errors import InvalidInputError, TradeControlError
from tradecontrol.jurisdictions import country_code, is_known_code
from tradecontrol.listings import Listing, ListingVersion
from tradecontrol.lists import _trusted
from tradecontrol.lists._core import Problem
from tradecontrol.lists._text import CONTROLS_REMOVED, controls_removed
from tradecontrol.lists._text import clean as _clean

__all__ = [
    "AUTHORITY",
    "Draft",
    "clean",
    "country",
    "final_entity",
    "is_non_sdn_file",
    "list_code_for_name",
    "list_code_for_programs",
    "listing_id",
    "ofac_date",
    "parse_clean_remarks",
    "parse_remarks",
    "remark_facts",
]

AUTHORITY = "US-OFAC"
SEARCH_URL = "https://sanctionssearch.ofac.treas.gov/Details.aspx?id={uid}"
NO_DATE_NOTE = "listing date not stated in the source"

# --- ids and list codes ---------------------------------------------------------------


def listing_id(uid: str, *, sdn: bool) -> str:
    """``us-sdn-<uid>`` for the SDN List, ``us-ofac-<uid>`` for a non-SDN list."""
    return f"us-{'sdn' if sdn else 'ofac'}-{uid}"


_MENU = frozenset(
    {
        "RUSSIA-EO14024",
        "CAATSA - RUSSIA",
        "CAATSA - IRAN",
        "BURMA-EO14014",
        "ILLICIT-DRUGS-EO14059",
        "MBS",
        "NS-ISA",
        "ISA",
    }
)
_RULES: tuple[tuple[str, frozenset[str]], ...] = (
    ("PLC", frozenset({"NS-PLC"})),
    ("CAP", frozenset({"561-Related", "561List", "561-RELATED"})),
    ("CMIC", frozenset({"CMIC-EO13959"})),
    ("SSI", frozenset({"UKRAINE-EO13662"})),
    ("NS-MBS", _MENU),
    ("13599", frozenset({"IRAN"})),
)
LIST_ORDER = ("FSE", "PLC", "CAP", "CMIC", "SSI", "NS-MBS", "13599", "NON-SDN")
"""Non-SDN list codes, in the order used to pick one when an entry is on several."""

_NON_SDN_ONLY = frozenset(
    {"NS-PLC", "CMIC-EO13959", "561-Related", "561List", "UKRAINE-EO13662", "MBS", "NS-ISA"}
)

_LIST_NAMES = {
    "sdn list": "SDN",
    "specially designated nationals list": "SDN",
    "non-sdn palestinian legislative council list": "PLC",
    "palestinian legislative council list": "PLC",
    "fse list": "FSE",
    "foreign sanctions evaders list": "FSE",
    "sectoral sanctions identifications list": "SSI",
    "capta list": "CAP",
    "part 561 list": "CAP",
    "non-sdn menu-based sanctions list": "NS-MBS",
    "non-sdn iranian sanctions act list": "NS-MBS",
    "non-sdn cmic list": "CMIC",
    "non-sdn chinese military-industrial complex companies list": "CMIC",
    "13599 list": "13599",
}
CONSOLIDATED = "consolidated list"
"""The pseudo-list naming every non-SDN entry (not a list of its own)."""


def list_code_for_programs(programs: Iterable[str]) -> tuple[str, bool]:
    """The non-SDN list code for an entry's programmes, and whether a rule matched."""
    progs = [p.strip() for p in programs]
    if any(p.upper().startswith("FSE-") for p in progs):
        return "FSE", True
    for code, names in _RULES:
        if any(p in names for p in progs):
            return code, True
    return "NON-SDN", False


def list_code_for_name(name: str) -> str | None:
    """The list code for a list name as the Enhanced/Advanced XML write it; None if unknown."""
    return _LIST_NAMES.get(clean(name).lower())


def is_non_sdn_file(
    entries: Iterable[Sequence[str] | tuple[Sequence[str], int]], name: str
) -> bool:
    """Whether a legacy file (one programme list per entry) is the non-SDN list.

    ``entries`` gives each entry's programmes, or ``(programmes, number of entries)`` for
    entries with equal programmes (a tuple whose second item is an ``int``).
    """
    total = marked = 0
    for entry in entries:
        if _counted(entry):
            programs, count = cast("tuple[Sequence[str], int]", entry)
        else:
            programs, count = cast("Sequence[str]", entry), 1
        total += count
        if any(p in _NON_SDN_ONLY or p.upper().startswith("FSE-") for p in programs):
            marked += count
    if total == 0:
        return name.lower().startswith("cons")
    return marked * 2 > total


def _counted(entry: object) -> bool:
    return type(entry) is tuple and len(entry) == 2 and type(entry[1]) is int


@functools.cache
def _id_type_re() -> re.Pattern[str]:
    """The identifier types as one alternation, in ``_ID_TYPES`` order (first match wins)."""
    return re.compile("(" + "|".join(re.escape(t) for t in _ID_TYPES) + ") ")


@functools.cache
def _id_types_by_word() -> dict[str, tuple[str, ...]]:
    """``_ID_TYPES`` grouped by their first word, in ``_ID_TYPES`` order within a group."""
    groups: dict[str, list[str]] = {}
    for name in _ID_TYPES:
        groups.setdefault(name.split(" ", 1)[0], []).append(name)
    return {word: tuple(names) for word, names in groups.items()}


def _id_type(segment: str) -> str | None:
    """The first of ``_ID_TYPES`` (longest first) that opens ``segment``, followed by a space.

    The same answer as ``_id_type_re().match(segment)``, looking only at the types that
    share the segment's first word.
    """
    for name in _id_types_by_word().get(segment.split(" ", 1)[0], ()):
        if segment.startswith(name) and segment[len(name) : len(name) + 1] == " ":
            return name
    return None


def split_programs(text: str) -> list[str]:
    """``"SDGT] [NS-PLC"`` (legacy CSV) -> ``["SDGT", "NS-PLC"]``."""
    return list(_split_programs(text))


@functools.lru_cache(maxsize=1024)
def _split_programs(text: str) -> tuple[str, ...]:
    inner = clean(text).strip("[] ")
    return tuple(p for p in (clean(x) for x in inner.split("] [")) if p)


# --- text -----------------------------------------------------------------------------


clean = _clean
""":func:`tradecontrol.lists._text.clean` (``None`` gives ``""``)."""


def empty(text: str | None) -> bool:
    """Empty, or OFAC's ``-0-`` placeholder."""
    return not text or text.strip() in ("", "-0-")


# --- countries ------------------------------------------------------------------------

_COUNTRIES: dict[str, str | None] = {
    # OFAC spellings that the ISO names do not cover
    "russia": "RU",
    "korea, north": "KP",
    "north korea": "KP",
    "korea, south": "KR",
    "south korea": "KR",
    "burma": "MM",
    "turkey": "TR",
    "congo, democratic republic of the": "CD",
    "congo, republic of the": "CG",
    "the gambia": "GM",
    "gambia, the": "GM",
    "bahamas, the": "BS",
    "the bahamas": "BS",
    "man, isle of": "IM",
    "brunei": "BN",
    "macau": "MO",
    "cape verde": "CV",
    "holy see": "VA",
    "vatican city": "VA",
    "sint maarten": "SX",
    "micronesia": "FM",
    "st. kitts and nevis": "KN",
    "ivory coast": "CI",
    "east timor": "TL",
    "swaziland": "SZ",
    "uk": "GB",
    "north macedonia, the republic of": "MK",
    "macedonia, the former yugoslav republic of": "MK",
    "palestinian": "PS",
    "palestine": "PS",
    "west bank": "PS",
    "gaza": "PS",
    "gaza strip": "PS",
    "crimea": "UA-43",
    "northern mali": "ML",
    "kosovo": "XK",
    # named by OFAC, with no ISO 3166 code: no country, and not a problem
    "undetermined": None,
    "kafia kingi": None,
    "netherlands antilles": None,
    "yugoslavia": None,
    "serbia and montenegro": None,
    "soviet union": None,
    "ussr": None,
    "czechoslovakia": None,
}


def country(text: str | None) -> tuple[str | None, str | None, bool]:
    """Map an OFAC country name to an ISO 3166 code.

    Pure, and cached (bounded): a file names the same few hundred countries many times.

    Returns:
        ``(code, region, known)``: the code (None when there is none); the region OFAC
        named with ``Region: ...`` (``Gaza``); ``known`` is False when the name is not
        recognised (the caller reports it).
    """
    if not text:
        return None, None, True
    return _country(text)


@functools.lru_cache(maxsize=4096)
def _country(text: str) -> tuple[str | None, str | None, bool]:
    raw = clean(text)
    if not raw:
        return None, None, True
    region = None
    if raw.lower().startswith("region:"):
        raw = region = raw.split(":", 1)[1].strip()
    key = raw.lower()
    if key in _COUNTRIES:
        code = _COUNTRIES[key]
        if code is not None and not is_known_code(code):
            return None, region or raw, True  # e.g. XK before the ISO tables carry it
        return code, region, True
    code = country_code(raw)
    if code is not None:
        return code, region, True
    return None, region, region is not None


# --- dates ----------------------------------------------------------------------------

_MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_abbr) if m}
_DMY = re.compile(r"^(\d{1,2}) ([A-Za-z]{3})[a-z]*\.? (\d{4})$")
_MY = re.compile(r"^([A-Za-z]{3})[a-z]*\.? (\d{4})$")
_Y = re.compile(r"^\d{4}$")
_ISO = re.compile(r"^\d{4}-\d{2}(?:-\d{2})?$")
_MDY = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


def _one_date(text: str) -> str | None:
    if _Y.match(text) or _ISO.match(text):
        return text
    if match := _DMY.match(text):
        month = _MONTHS.get(match.group(2).lower())
        return f"{match.group(3)}-{month:02d}-{int(match.group(1)):02d}" if month else None
    if match := _MY.match(text):
        month = _MONTHS.get(match.group(1).lower())
        return f"{match.group(2)}-{month:02d}" if month else None
    if match := _MDY.match(text):
        return f"{match.group(3)}-{int(match.group(1)):02d}-{int(match.group(2)):02d}"
    return None


@functools.lru_cache(maxsize=8192)
def ofac_date(text: str | None) -> str | None:
    """An OFAC date in tradecontrol's partial-date form, or None when unreadable.

    Reads ``10 Dec 1948``, ``Dec 1948``, ``1962``, ``circa 1951``, ``1960 to 1962`` and
    ``circa 1960-1962``.

    Example:
        >>> ofac_date("10 Dec 1948"), ofac_date("circa 1960-1962"), ofac_date("Mar 1960")
        ('1948-12-10', 'circa 1960 to 1962', '1960-03')
    """
    raw = clean(text)
    if raw.isascii():  # the usual forms first, with the answer the general reading gives
        if len(raw) == 4 and raw.isdigit():  # what _Y matches in clean ASCII text
            return raw
        if match := _DMY.match(raw):
            day, name, year = match.groups()
            month = _MONTHS.get(name.lower())
            if month is None:
                return None
            try:
                datetime.date(int(year), month, int(day))
            except ValueError:
                return None
            return f"{year}-{month:02d}-{int(day):02d}"
    return _general_date(raw)


def _general_date(raw: str) -> str | None:
    """:func:`ofac_date` of a cleaned text, every form."""
    prefix = ""
    for word in ("circa ", "approximately ", "approx. "):
        if raw.lower().startswith(word):
            prefix, raw = "circa ", raw[len(word) :].strip()
    raw = re.sub(r"^(\d{4})\s*-\s*(\d{4})$", r"\1 to \2", raw)
    parts = [p.strip() for p in raw.split(" to ")]
    if len(parts) > 2:
        return None
    dates = [_one_date(p) for p in parts]
    if not all(dates):
        return None
    out = prefix + " to ".join(d for d in dates if d)
    try:
        return v.partial_date(out)
    except InvalidInputError:
        return None


def iso_date(text: str | None) -> datetime.date | None:
    """``2025-01-10``, ``2025-01-10T00:00:00`` or ``01/08/2026`` (U.S. order) as a date."""
    raw = clean(text)
    try:
        if match := _MDY.match(raw):
            return datetime.date(int(match.group(3)), int(match.group(1)), int(match.group(2)))
        return datetime.date.fromisoformat(raw[:10])
    except ValueError:
        return None


def period_date(
    start: datetime.date | None, end: datetime.date | None, *, approximate: bool = False
) -> str | None:
    """A date period (earliest, latest) as a partial date at the precision it spans."""
    if start is None and end is None:
        return None
    start = start or end
    end = end or start
    assert start is not None and end is not None
    if start == end:
        out = start.isoformat()
    elif (start.month, start.day, end.month, end.day) == (1, 1, 12, 31):
        out = str(start.year) if start.year == end.year else f"{start.year} to {end.year}"
    elif (
        start.day == 1
        and (start.year, start.month) == (end.year, end.month)
        and end.day == calendar.monthrange(end.year, end.month)[1]
    ):
        out = f"{start.year}-{start.month:02d}"
    else:
        out = f"{start.isoformat()} to {end.isoformat()}"
    return ("circa " if approximate else "") + out


# --- identifiers ----------------------------------------------------------------------

DOC_TYPES = (
    "Cedula No.", "Passport", "SSN", "R.F.C.", "D.N.I.", "NIT #", "US FEIN",
    "Driver's License No.", "RUC #", "N.I.E.", "C.I.F.", "Business Registration Document #",
    "RIF #", "National ID No.", "Registration ID", "LE Number", "Bosnian Personal ID No.",
    "Registered Charity No.", "V.A.T. Number", "Credencial electoral", "Kenyan ID No.",
    "Italian Fiscal Code", "Serial No.", "C.I.N.", "C.U.I.T.", "Tax ID No.",
    "Moroccan Personal ID No.", "Public Security and Immigration No.", "C.U.R.P.",
    "British National Overseas Passport", "C.R. No.", "UK Company Number", "Immigration No.",
    "Travel Document Number", "Electoral Registry No.", "Identification Number",
    "Paraguayan tax identification number", "National Foreign ID Number", "RFC",
    "Diplomatic Passport", "Dubai Chamber of Commerce Membership No.", "Trade License No.",
    "Commercial Registry Number", "Certificate of Incorporation Number", "Tourism License No.",
    "Aircraft Serial Identification", "Cartilla de Servicio Militar Nacional", "C.U.I.P.",
    "Vessel Registration Identification", "Personal ID Card", "Federal ID Card",
    "Registration Certificate Number (Dubai)", "VisaNumberID", "Matricula Mercantil No",
    "Residency Number", "Numero Unico de Identificacao Tributaria (NUIT)",
    "CNP (Personal Numerical Code)", "Romanian Permanent Resident", "Government Gazette Number",
    "Fiscal Code", "Pilot License Number", "Romanian C.R.", "Folio Mercantil No.",
    "Istanbul Chamber of Comm. No.", "Turkish Identification Number",
    "Romanian Tax Registration", "Stateless Person Passport", "Stateless Person ID Card",
    "Refugee ID Card", "Afghan Money Service Provider License Number", "MMSI",
    "Company Number", "Public Registration Number", "N.I.F.", "RTN", "Numero de Identidad",
    "Tarjeta de Identidad", "SRE Permit No.", "Tazkira National ID Card", "License",
    "Chinese Commercial Code", "I.F.E.", "Branch Unit Number", "Enterprise Number",
    "Organization Code", "Citizen's Card Number", "UAE Identification",
    "United Social Credit Code Certificate (USCCC)", "Chamber of Commerce Number",
    "Legal Entity Number", "Business Number", "Birth Certificate Number",
    "Business Registration Number", "Registration Number", "MSB Registration Number",
    "File Number", "C.U.I.", "Seafarer's Identification Document",
    "Unified Social Credit Code (USCC)", "Central Registration System Number",
    "Economic Register Number (CBLS)", "Trademark number", "Permit Number",
    "Military Registration Number",
    "Russian State Individual Business Registration Number Pattern (OGRNIP)",
    "Global Intermediary Identification Number", "Entity Code",
)  # fmt: skip
"""OFAC's identity-document types (the Advanced XML ``IDRegDocType`` values)."""

ID_FEATURES = (
    "SWIFT/BIC", "Website", "Email Address", "Phone Number", "ISIN", "Equity Ticker",
    "D-U-N-S Number", "BIK (RU)", "MICEX Code", "UN/LOCODE", "Vessel Call Sign",
    "Other Vessel Call Sign", "Aircraft Construction Number (also called L/N or S/N or F/N)",
    "Aircraft Manufacturer's Serial Number (MSN)", "Aircraft Mode S Transponder Code",
    "Aircraft Tail Number", "Previous Aircraft Tail Number",
)  # fmt: skip
"""Features whose value identifies the entity; other features are kept as remarks."""

_SCHEMES = {
    "passport": "passport",
    "national id no.": "national_id",
    "tax id no.": "tax_id",
    "registration number": "registration_number",
    "registration id": "registration_number",
    "swift/bic": "swift_bic",
    "vessel registration identification": "imo",
    "vessel call sign": "call_sign",
    "other vessel call sign": "call_sign",
    "legal entity number": "lei",
    "mmsi": "mmsi",
    "email address": "email",
    "phone number": "phone",
    "d-u-n-s number": "duns",
    "unified social credit code (uscc)": "uscc",
    "aircraft construction number (also called l/n or s/n or f/n)": "aircraft_construction_number",
    "aircraft manufacturer's serial number (msn)": "aircraft_msn",
    "aircraft mode s transponder code": "aircraft_mode_s",
}
_ID_TYPES = tuple(sorted({*DOC_TYPES, *ID_FEATURES}, key=len, reverse=True))


_DESCRIPTIVE = re.compile(
    r"(?:[:-]$|Date|Information|Determination|Gender|Type|Issuer Name|Nationality|Flag|Owner|"
    r"Tonnage|Model|Operator|Title|Location|Risk|Year of Build|Country)",
    re.IGNORECASE,
)


def is_identifier_type(name: str) -> bool:
    """Whether an OFAC id or feature type names an identifier (not a descriptive fact).

    Known document types and identifying features are identifiers; a type that reads as a
    description (``Gender``, ``Secondary sanctions risk:``, ``Listing Date (CMIC)``) is not;
    an unknown type is taken for an identifier.
    """
    name = clean(name)
    if name in _ID_TYPES or name.startswith("Digital Currency Address - "):
        return True
    return not _DESCRIPTIVE.search(name)


@functools.lru_cache(maxsize=1024)
def scheme(type_name: str) -> str:
    """The identifier scheme for an OFAC type name: known ones mapped, else snake case."""
    key = clean(type_name).lower()
    return _SCHEMES.get(key) or re.sub(r"[^a-z0-9]+", "_", key).strip("_") or "identifier"


# --- remarks --------------------------------------------------------------------------

_ALIAS = re.compile(r"\b[afn]\.k\.a\.,? '(.+?)'(?=\s*(?:;|,|\)|\.?\s*$))")
_ID_TAIL = re.compile(
    r"^(?P<value>.+?)(?: \((?P<country>[^()]+)\))?(?: issued (?P<issued>.+?))?"
    r"(?: expires (?P<expires>.+?))?$"
)


@attrs.define
class Facts:
    """What :func:`parse_remarks` found in remarks text."""

    weak_aliases: list[str] = attrs.Factory(list)
    birth_dates: list[str] = attrs.Factory(list)
    nationalities: list[str] = attrs.Factory(list)
    identifiers: list[tuple[str, str, str | None]] = attrs.Factory(list)


def parse_remarks(text: str) -> Facts:
    """Facts clearly stated in OFAC remarks.

    Read: ``a.k.a. 'X'`` (weak aliases), ``DOB``, ``nationality``/``citizen``, and
    identifiers (``Passport A123 (Iran)``, ``Vessel Registration Identification IMO
    9187629``, ``SWIFT/BIC ...``). Place of birth (``POB``) and everything else stays in the
    remarks text.

    Example:
        >>> f = parse_remarks("DOB 1962; POB Tehran; nationality Iran; Passport A123 (Iran); "
        ...                   "a.k.a. 'ABU X'.")
        >>> f.birth_dates, f.nationalities, f.identifiers, f.weak_aliases
        (['1962'], ['Iran'], [('Passport', 'A123', 'Iran')], ['ABU X'])
    """
    return parse_clean_remarks(clean(text))


def parse_clean_remarks(body: str) -> Facts:
    """:func:`parse_remarks` of a text that is already clean (``clean(body) == body``).

    The facts of :func:`remark_facts`, as a :class:`Facts`.

    Example:
        >>> parse_clean_remarks("DOB 1962; nationality Iran.").birth_dates
        ['1962']
    """
    return Facts(*remark_facts(body))


RemarkFacts = tuple[list[str], list[str], list[str], list[tuple[str, str, str | None]]]
"""Weak aliases, birth dates, nationalities and identifiers ``(type, value, country)``."""


def remark_facts(body: str) -> RemarkFacts:
    """The facts of clean remarks (``clean(body) == body``), as :func:`parse_remarks` reads them.

    The ``;``-separated segments are split at C speed; a segment is read further only
    when its first word (after the white space, parentheses and ``alt. `` that the segment
    reading strips) opens a fact (``DOB``, ``nationality``, ``citizen``, an identifier
    type): the segment reading finds nothing in the others. A date of birth or nationality
    at the very start of its segment is taken at once, as that reading takes it, and an
    identifier there is looked up among the types that start with that first word.

    Example:
        >>> remark_facts("DOB 1962; Passport A1 (Iran); nationality Iran.")
        ([], ['1962'], ['Iran'], [('Passport', 'A1', 'Iran')])
    """
    at = body.find("k.a.")  # an a.k.a. starts two characters before its "k.a."
    aliases = (
        [text for m in _ALIAS.findall(body, max(at - 2, 0)) if (text := clean(m))]
        if at >= 0
        else []
    )  # (the search from there finds what it finds from the start: ``\b`` sees the text before)
    births: list[str] = []
    nationalities: list[str] = []
    identifiers: list[tuple[str, str, str | None]] = []
    openers = _openers()
    by_word = _id_types_by_word()
    for raw in body.removesuffix(".").split(";"):
        head = raw.lstrip(" (")  # strips at least what _segment strips before the word
        if head.startswith("alt. "):
            head = head[5:].lstrip(" ")
        word = head.split(" ", 1)[0]
        if word not in openers:
            continue  # no fact: _segment would find none
        segment = raw.strip()
        if segment.startswith("DOB "):  # (no parenthesis or ``alt. `` to strip)
            births.append(segment[4:].strip())
        elif segment.startswith(("nationality ", "citizen ")):
            nationalities.append(segment.split(" ", 1)[1].strip())
        elif segment[:1] != "(" and not segment.startswith("alt. "):
            # what _identifier_segment reads (nothing to strip; ``word`` is the segment's
            # first word, so these are the types _id_type tries, in its order)
            kind = None
            for name in by_word.get(word, ()):
                if segment.startswith(name) and segment[len(name) : len(name) + 1] == " ":
                    kind = name
                    break
            if kind is None and segment.startswith("Digital Currency Address - "):
                kind = " ".join(segment.split(" ", 5)[:5])
            if kind is not None:
                value, where = id_tail(segment[len(kind) :].strip().removeprefix("# ").strip())
                if value:
                    identifiers.append((kind, value, where))
        else:
            facts = Facts(aliases, births, nationalities, identifiers)
            _segment(facts, raw)  # appends to the same lists
    return aliases, births, nationalities, identifiers


@functools.cache
def _openers() -> frozenset[str]:
    """First words of the segments that can state a fact (``DOB``, ``Passport``...)."""
    return frozenset({"DOB", "nationality", "citizen", "Digital", *_id_types_by_word()})


def _segment(facts: Facts, raw: str) -> None:
    """Read one ``;``-separated segment of remarks into ``facts``."""
    segment = raw.strip()
    if segment.startswith("(") and segment.endswith(")"):
        segment = segment[1:-1].strip()
    segment = segment.removeprefix("alt. ").strip()
    if segment.startswith("DOB "):
        facts.birth_dates.append(segment[4:].strip())
    elif segment.startswith(("nationality ", "citizen ")):
        facts.nationalities.append(segment.split(" ", 1)[1].strip())
    else:
        _identifier_segment(facts, segment)


def _identifier_segment(facts: Facts, segment: str) -> None:
    """Read an identifier from a segment as ``_segment`` leaves it (stripped, unwrapped)."""
    kind = _id_type(segment)
    if kind is None and segment.startswith("Digital Currency Address - "):
        kind = " ".join(segment.split(" ", 5)[:5])
    if kind is None:
        return
    rest = segment[len(kind) :].strip().removeprefix("# ").strip()
    value, where = id_tail(rest)
    if value:
        facts.identifiers.append((kind, value, where))


def id_tail(rest: str) -> tuple[str, str | None]:
    """``(value, country)`` of an identifier's text after its type (``A123 (Iran)``).

    The value is stripped (``""`` when there is none). The same answer as matching
    ``_ID_TAIL``, which reads the value, then an optional ``(country)``, ``issued ...`` and
    ``expires ...``; the two usual forms, a bare value and ``value (country)``, are read
    without the regular expression.

    Example:
        >>> id_tail("A123 (Iran)"), id_tail("9187629"), id_tail("X (Y) expires 2030")
        (('A123', 'Iran'), ('9187629', None), ('X', 'Y'))
    """
    if " issued " not in rest and " expires " not in rest and "\n" not in rest:
        if "(" not in rest:
            return rest.strip(), None  # no group can match: the value runs to the end
        opening = rest.find("(")
        if (
            opening >= 2
            and rest[opening - 1] == " "
            and rest.find(")") == len(rest) - 1  # one ")", at the end
            and rest.find("(", opening + 1) < 0  # one "("
            and opening < len(rest) - 2
        ):  # one "(country)" at the end, after a value: the only way the groups match
            return rest[: opening - 1].strip(), rest[opening + 1 : -1]
    match = _ID_TAIL.match(rest)
    if match is None:
        return "", None
    return match.group("value").strip(), match.group("country")


# --- building a listing ---------------------------------------------------------------

_KINDS = {
    "individual": "person",
    "entity": "organization",
    "-0-": "organization",
    "": "organization",
    "vessel": "vessel",
    "aircraft": "aircraft",
}


@functools.lru_cache(maxsize=256)
def entity_kind(text: str | None) -> str | None:
    """``individual``/``Entity``/``Vessel``/``Aircraft`` (or ``-0-``) -> an EntityKind value."""
    return _KINDS.get(clean(text).lower())


@attrs.define
class Draft:
    """A listing being assembled from one source record, with its non-fatal problems.

    Loaders add what they read; :meth:`build` validates and returns the
    :class:`~tradecontrol.listings.Listing` (raising only for a record that cannot become
    one). Parts that cannot be represented become non-fatal problems and their text is kept
    in ``remarks``.
    """

    source: str
    record: int
    uid: str
    sdn: bool
    list_code: str
    name: str = ""
    kind: str = "organization"
    aliases: list[str] = attrs.Factory(list)
    weak_aliases: list[str] = attrs.Factory(list)
    addresses: list[Address] = attrs.Factory(list)
    identifiers: list[Identifier] = attrs.Factory(list)
    birth_dates: list[str] = attrs.Factory(list)
    nationalities: list[str] = attrs.Factory(list)
    vessel_flag: str | None = None
    programs: list[str] = attrs.Factory(list)
    remarks: list[str] = attrs.Factory(list)
    citations: list[str] = attrs.Factory(list)
    start: datetime.date | None = None
    note: str | None = None
    problems: list[Problem] = attrs.Factory(list)
    facts_in_remarks: bool = False
    """True when the remarks text already states DOB/nationality (legacy CSV)."""

    def warn(self, field: str, reason: str) -> None:
        """Record a non-fatal problem for this record."""
        self.problems.append(
            Problem(
                source=self.source,
                record=self.record,
                field=field,
                reason=reason,
                record_id=self.uid,
                fatal=False,
            )
        )

    def remark(self, text: str | None) -> None:
        """Keep a piece of text in the listing's remarks."""
        text = clean(text)
        if text and text not in self.remarks:
            self.remarks.append(text)

    def add_alias(self, name: str | None, *, weak: bool = False, field: str = "aliases") -> None:
        """An alias (a weak one when the list marks it low quality)."""
        text = clean(name)
        if not text:
            return
        target = self.weak_aliases if weak else self.aliases
        if len(target) >= v.MAX_LIST:
            self.warn(field, f"more than {v.MAX_LIST} aliases; {text!r} kept in remarks")
            self.remark(f"a.k.a. {text}")
            return
        if len(text) > v.MAX_TEXT:
            self.warn(field, f"alias longer than {v.MAX_TEXT} characters; cut")
            text = text[: v.MAX_TEXT]
        target.append(text)

    def add_address(
        self,
        *,
        street: str | None = None,
        city: str | None = None,
        region: str | None = None,
        postal_code: str | None = None,
        country_name: str | None = None,
        field: str = "addresses",
    ) -> None:
        """An address; an unknown country name is a problem, its text kept in remarks."""
        address, warnings, remarks, text = _address(street, city, region, postal_code, country_name)
        for reason in warnings:
            self.warn(field, reason)
        for remark in remarks:
            self.remark(remark)
        if address is None:
            return
        if len(self.addresses) >= v.MAX_LIST:
            self.warn(field, f"more than {v.MAX_LIST} addresses; the rest kept in remarks")
            self.remark("Address: " + text)
            return
        self.addresses.append(address)

    def add_identifier(
        self, type_name: str, value: str | None, country_name: str | None = None,
        *, field: str = "identifiers",
    ) -> None:  # fmt: skip
        """An identifier of an OFAC type (``Passport``, ``SWIFT/BIC``...)."""
        text = clean(value)
        kind = scheme(type_name)
        if kind == "imo":
            text = re.sub(r"^IMO\s*", "", text, flags=re.IGNORECASE)
        if not text:
            return
        code, _, known = country(country_name)
        if not known:
            self.warn(field, f"unknown country {clean(country_name)!r} of {type_name} {text}")
        if len(text) > v.MAX_TEXT:
            self.warn(field, f"{type_name} longer than {v.MAX_TEXT} characters; cut")
        try:
            ident = _trusted.identifier(scheme=kind, value=text[: v.MAX_TEXT], country=code)
        except InvalidInputError as exc:  # pragma: no cover - text is cleaned
            self.warn(field, exc.message)
            return
        if ident in self.identifiers:
            return
        if len(self.identifiers) >= v.MAX_LIST:
            self.warn(field, f"more than {v.MAX_LIST} identifiers; the rest kept in remarks")
            self.remark(f"{type_name} {text}")
            return
        self.identifiers.append(ident)

    def add_birth_date(self, text: str | None, *, field: str = "birth_date") -> None:
        """A date of birth as OFAC writes it; an unreadable one is a problem (kept in remarks)."""
        raw = clean(text)
        if not raw:
            return
        date = ofac_date(raw)
        if date is None:
            self.warn(field, f"{raw!r} is not a date this loader reads; kept in remarks")
            if not self.facts_in_remarks:
                self.remark(f"DOB {raw}")
        elif date not in self.birth_dates:
            self.birth_dates.append(date)

    def add_nationality(self, text: str | None, *, field: str = "nationalities") -> None:
        """A nationality or citizenship named as a country."""
        raw = clean(text)
        if not raw:
            return
        code, _, known = country(raw)
        if code is None:
            if not known:
                self.warn(field, f"unknown country {raw!r}; kept in remarks")
            if not self.facts_in_remarks:
                self.remark(f"nationality {raw}")
        elif code not in self.nationalities:
            self.nationalities.append(code)

    def _person_facts(self) -> dict[str, object]:
        if self.kind == "person":
            out: dict[str, object] = {}
            if self.birth_dates:
                out["birth_date"] = self.birth_dates[0]
                out["birth_dates"] = self.birth_dates[1:]
            out["nationalities"] = self.nationalities
            return out
        if self.birth_dates or self.nationalities:
            self.warn(
                "birth_date",
                f"dates of birth or nationalities given for a {self.kind}; kept in remarks",
            )
            if not self.facts_in_remarks:
                for date in self.birth_dates:
                    self.remark(f"DOB {date}")
                for code in self.nationalities:
                    self.remark(f"nationality {code}")
        return {}

    def _remarks_text(self) -> str | None:
        text = ""
        for part in self.remarks:
            text += (" " if text.endswith(".") else "; ") + part if text else part
        if len(text) > v.MAX_TEXT:
            self.warn("remarks", f"remarks longer than {v.MAX_TEXT} characters; cut")
            text = text[: v.MAX_TEXT - 1] + "…"
        return text or None

    def build(self) -> Listing:
        """The listing.

        Raises:
            InvalidInputError: The record has no usable name.
        """
        name = clean(self.name)
        if not name:
            raise InvalidInputError("the entry has no name", path="name")
        if len(name) > v.MAX_TEXT:
            self.warn("name", f"name longer than {v.MAX_TEXT} characters; cut")
            name = name[: v.MAX_TEXT]
        country_code_ = next((a.country.code for a in self.addresses if a.country), None)
        if country_code_ is None and self.kind == "vessel" and self.vessel_flag:
            country_code_, _, _ = country(self.vessel_flag)
        facts = self._person_facts()
        entity = _checked_entity(self, name, country_code_, facts)
        if entity is None:  # not every value in final form: the trusted (or validated) path
            entity = _trusted.entity(
                name=name,
                kind=EntityKind(self.kind),
                country=country_code_,
                aliases=self.aliases,
                weak_aliases=self.weak_aliases,
                addresses=self.addresses,
                identifiers=self.identifiers,
                **facts,
            )
        version = _version(
            self.start,
            tuple(dict.fromkeys(clean(c) for c in self.citations if clean(c)))
            if self.citations
            else (),
            self.note or (None if self.start else NO_DATE_NOTE),
        )
        programs = _programs(tuple(self.programs))
        remarks = self._remarks_text()
        listing_id_ = listing_id(self.uid, sdn=self.sdn)
        source_url = SEARCH_URL.format(uid=self.uid)
        if (
            _trusted.text_ok(listing_id_)
            and _trusted._known_ok(self.list_code)
            and _programs_ok(programs)
            and _trusted.text_ok(source_url)
            and (remarks is None or _trusted.text_ok(remarks))
        ):  # every value in final form: set without a check per field
            return _trusted.checked_listing(
                listing_id_,
                self.list_code,
                AUTHORITY,
                entity,
                (version,),
                programs,
                source_url,
                remarks,
            )
        return _trusted.listing(
            id=listing_id_,
            list_code=self.list_code,
            authority=AUTHORITY,
            entity=entity,
            versions=(version,),
            programs=programs,
            source_url=source_url,
            remarks=remarks,
        )

    def fatal(self, exc: TradeControlError) -> Problem:
        """The fatal problem for a record that could not become a listing."""
        return Problem(
            source=self.source,
            record=self.record,
            field=exc.path,
            reason=exc.message,
            record_id=self.uid,
        )


_KIND_ENUM = {kind.value: kind for kind in EntityKind}


def _checked_entity(
    draft: Draft, name: str, code: str | None, facts: dict[str, Any]
) -> Entity | None:
    """The draft's entity when every value is in final form, else ``None``.

    ``None`` means: build it with ``_trusted.entity`` (the same call as before, which
    falls back to the validated constructor).
    """
    return final_entity(
        name,
        draft.kind,
        code,
        draft.aliases,
        draft.weak_aliases,
        draft.addresses,
        draft.identifiers,
        facts.get("birth_date"),
        facts.get("birth_dates", ()),
        facts.get("nationalities", ()),
    )


def final_entity(
    name: str,
    kind_name: str,
    code: str | None,
    aliases: Sequence[str],
    weak_aliases: Sequence[str],
    addresses: Sequence[Address],
    identifiers: Sequence[Identifier],
    birth_date: Any,
    birth_dates: Sequence[Any],
    codes: Sequence[Any],
) -> Entity | None:
    """The entity ``_trusted.entity`` builds from these values when all are final, else None.

    The addresses and identifiers are value objects already (as the OFAC loaders build
    them); every text, date, code and length is checked here. Birth dates and
    nationalities are given for persons only (``Draft._person_facts``).
    """
    kind = _KIND_ENUM.get(kind_name)
    country_ = None if code is None or len(code) > 16 else _trusted.jurisdiction_or_none(code)
    nationalities = tuple(map(_jurisdiction, codes)) if codes else ()
    text_ok = _trusted.text_ok
    if (
        kind is None
        or (code is not None and country_ is None)
        or not _trusted.name_ok(name)
        or not all(map(text_ok, aliases))
        or not all(map(text_ok, weak_aliases))
        or len(aliases) > v.MAX_LIST
        or len(weak_aliases) > v.MAX_LIST
        or len(addresses) > v.MAX_LIST
        or len(identifiers) > v.MAX_LIST
        or (birth_date is not None and not _trusted._dates_ok((birth_date,)))
        or (birth_dates and not _trusted._dates_ok(birth_dates))
        or None in nationalities
        or len(nationalities) > v.MAX_LIST
        or (kind is not EntityKind.PERSON and (birth_date or birth_dates or nationalities))
    ):
        return None
    return _trusted.checked_entity(
        name,
        kind,
        country_,
        tuple(aliases),
        tuple(addresses),
        tuple(identifiers),
        tuple(weak_aliases),
        birth_date,
        tuple(birth_dates),
        nationalities,  # type: ignore[arg-type]
    )


def _jurisdiction(code: object) -> object:
    """A nationality code as ``_trusted.entity`` reads it (``None`` when it is not one)."""
    if type(code) is str and len(code) <= 16:
        return _trusted.jurisdiction_or_none(code)
    return None


@functools.lru_cache(maxsize=1024)
def _programs_ok(programs: tuple[str, ...]) -> bool:
    """Whether a (cleaned) programme tuple is one ``Listing`` keeps unchanged."""
    return _trusted._texts_ok(programs)


@functools.lru_cache(maxsize=1024)
def _programs(programs: tuple[str, ...]) -> tuple[str, ...]:
    """Programmes cleaned, without repeats, at most ``MAX_LIST`` (a file has few sets)."""
    return tuple(dict.fromkeys(p for p in (clean(x) for x in programs) if p))[: v.MAX_LIST]


@functools.lru_cache(maxsize=8192)
def _address(
    street: str | None,
    city: str | None,
    region: str | None,
    postal_code: str | None,
    country_name: str | None,
) -> tuple[Address | None, tuple[str, ...], tuple[str, ...], str]:
    """An address from its parts (pure, so cached: lists repeat cities and countries).

    Returns:
        ``(address or None, problems, remarks, the parts as text)``: an unknown country is
        a problem (its name kept in the remarks); over-long parts are cut with a problem;
        an address that cannot be built is a problem and its text kept in the remarks.
    """
    warnings: list[str] = []
    remarks: list[str] = []
    code, named_region, known = country(country_name)
    if not known:
        warnings.append(f"unknown country {clean(country_name)!r}; kept in remarks")
        remarks.append(f"Address country: {clean(country_name)}")
    if named_region:
        region = ", ".join(x for x in (clean(region), named_region) if x)
    values: tuple[str | None, ...] = (
        clean(street) or None,
        clean(city) or None,
        clean(region) or None,
        clean(postal_code) or None,
    )
    present = [x for x in values if x]
    text = ", ".join(present)
    if present and max(map(len, present)) > v.MAX_TEXT:
        warnings.append(f"address part longer than {v.MAX_TEXT} characters; cut")
        values = tuple(x[: v.MAX_TEXT] if x else x for x in values)
        present = [x for x in values if x]
    country_ = None if code is None or len(code) > 16 else _trusted.jurisdiction_or_none(code)
    if (code is None or country_ is not None) and all(map(_trusted.text_ok, present)):
        # every part final: what _trusted.address sets
        address = _trusted.checked_address(values[0], values[1], values[2], values[3], country_)
        return address, tuple(warnings), tuple(remarks), text
    fitted = dict(zip(("street", "city", "region", "postal_code"), values, strict=True))
    try:
        address = _trusted.address(**fitted, country=code)
    except InvalidInputError as exc:
        warnings.append(f"{exc.message}; kept in remarks")
        remarks.append("Address: " + text)
        return None, tuple(warnings), tuple(remarks), text
    return address, tuple(warnings), tuple(remarks), text


@functools.lru_cache(maxsize=4096)
def _version(
    start: datetime.date | None, citations: tuple[str, ...], note: str | None
) -> ListingVersion:
    """The version terms (cached: equal terms share one frozen object; errors are not cached)."""
    return ListingVersion(window=Window(start=start), citations=citations, note=note)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def warn_controls(draft: Draft, element: Any) -> None:
    """A non-fatal problem per sub-element whose text ``clean`` cuts characters from.

    For the XML loaders: an element's text holding characters ``_text.clean`` removes (C1
    bytes Windows-1252 leaves undefined, written ``&#x81;``; XML 1.0 allows no C0 control
    character) gives one problem whose field is the element's path below ``element``
    (``akaList/aka/lastName``), once per path. One search of the element's whole text
    settles the usual record.
    """
    if not controls_removed("".join(element.itertext())):
        return
    seen: set[str] = set()

    def walk(node: Any, path: str) -> None:
        for child in node:
            if not isinstance(child.tag, str):
                continue  # (comments, processing instructions)
            where = f"{path}/{_local(child.tag)}" if path else _local(child.tag)
            if child.text and controls_removed(child.text) and where not in seen:
                seen.add(where)
                draft.warn(where, CONTROLS_REMOVED)
            walk(child, where)

    walk(element, "")
