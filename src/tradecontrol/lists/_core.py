"""Types shared by the list loaders: problems, snapshots, diffs and the format contract.

A loader (one module per official format) turns a file into a stream of records, each a
:class:`~tradecontrol.listings.Listing` or a :class:`Problem`; nothing is dropped. The
format contract a loader module implements:

* ``NAME: str`` — the format name (``csl-csv``);
* ``sniff(head: bytes, path: pathlib.Path) -> bool`` — whether the file is in this format,
  judged from its first bytes (up to 64 KiB) and, only as a tie-breaker, its name;
* ``read(path: pathlib.Path) -> Iterator[Listing | Problem | Published]`` — every record of
  the file in order; a :class:`Published` record gives the publication date the file states.

Rules every loader follows (contributors: read these before writing one):

* Register the module in ``FORMATS`` in ``lists/__init__.py``, specific sniffers first; a
  sniffer must return False for every other format's files (test it on ``../shared/data``).
* Stream: the ``csv`` module; XML only through ``defusedxml`` (``iterparse`` and
  ``elem.clear()``), so entity expansion and external entities are refused; raise
  a ``DataError`` naming the ``lists`` extra when defusedxml is missing.
  ZIP members are streamed with caps on uncompressed size and compression ratio.
* Every record becomes exactly one :class:`~tradecontrol.listings.Listing` or a fatal
  :class:`Problem`; a part of a record that cannot be represented (unknown country name,
  malformed date, over-long field) is a non-fatal ``Problem`` and the raw text is kept (e.g.
  in ``remarks``). A record that is by design not a listing and loses nothing (an exact
  duplicate of an earlier record, a row with no value, an entity the source marks as
  context only) is a fatal problem with ``skipped=True``; when in doubt, refuse (the
  default). Only ``TradeControlError`` subclasses escape ``read``.
* Mapping: ``id`` stable and prefixed by source (``us-sdn-36``, ``un-QDi.001``); ``list_code``
  (SDN, EL, DPL, UVL, MEU, SSI, ISN, DTC, CMIC, PLC, CAP, NS-MBS, FSE, UN, EU, UK...);
  ``authority`` (US-OFAC, US-BIS, US-STATE, UN, EU, UK); programs; entity with kind, strong
  and weak aliases, addresses, identifiers (lower-case schemes: passport, national_id, imo,
  registration_number, tax_id, swift_bic, call_sign), birth dates at their precision (never
  padded), nationalities; one ``ListingVersion`` whose window starts at the listing date the
  source states (``None`` with ``note="listing date not stated in the source"`` otherwise)
  and ends at a stated delisting or expiry; licence requirement and review policy only where
  the list has them; citations cleaned of non-breaking and trailing spaces.
* Tests (``tests/test_lists_<module>.py``): exact counts on every real file in
  ``../shared/data`` (skipped when it is absent, a failure when ``CI=true``), field-by-field
  spot checks, and a hypothesis fuzz test (truncation, byte flips, encodings, missing
  columns): only ``TradeControlError`` escapes and ``records == len(listings) + fatal
  problems``. ``mypy --strict``, ``ruff check`` and ``ruff format`` clean.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from pathlib import Path
from typing import Protocol

import attrs

from tradecontrol import _validators as v
from tradecontrol.errors import DataError, InvalidInputError
from tradecontrol.listings import Listing

__all__ = [
    "Amendment",
    "ListDiff",
    "ListFormat",
    "ListProblemError",
    "ListSnapshot",
    "Problem",
    "Published",
    "Record",
]


@attrs.frozen(kw_only=True, slots=True, repr=False)
class Problem:
    """A record of a list file that became no listing, or a part of one that was refused.

    Three classes of problem, told apart by ``fatal`` and ``skipped``:

    * **refused** (``fatal=True, skipped=False``): a record that should have been a listing
      and could not (a truncated row, a record without a name, an invalid value). The file
      was not wholly loaded: ``tradecontrol evaluate --list`` exits 1 for it.
    * **skipped** (``fatal=True, skipped=True``): a record that is by design not a listing
      and whose loss loses nothing: an exact duplicate of an earlier record (its listing is
      already there), a row with no value at all, an entity the source itself marks as
      context only (OpenSanctions ``"target": false``). Reported, but the file counts as
      wholly loaded.
    * **note** (``fatal=False``; ``skipped`` is always False): the record became a listing
      and only this part of it was refused (its raw text is usually kept in the remarks).

    Skipped and refused records are both records seen: ``ListSnapshot.records`` is
    ``len(listings)`` plus every fatal problem, skipped or not.

    Args:
        source: File name.
        record: 1-based row number (CSV, text, JSON lines) or element number (XML, JSON).
        field: Column, element or JSON path of the bad value; ``""`` for the whole record.
        reason: What is wrong (for a skipped record: why it is not a listing).
        record_id: The record's id in the source, when it could be read.
        fatal: True when the whole record became no listing; False when the record became
            a listing and only this part of it was refused.
        skipped: True when the record (``fatal`` must be True) is by design not a listing
            and nothing is lost without it (see above).

    Raises:
        InvalidInputError: ``skipped=True`` with ``fatal=False`` (a part of a listing cannot
            be skipped by design; field path ``skipped``).

    Example:
        >>> from tradecontrol.errors import InvalidInputError
        >>> from tradecontrol.lists import Problem
        >>> duplicate = Problem(
        ...     source="dpl.txt",
        ...     record=7,
        ...     field="",
        ...     reason="exact duplicate of the row at line 6 (same listing)",
        ...     skipped=True,
        ... )
        >>> duplicate.fatal, duplicate.skipped
        (True, True)
        >>> try:
        ...     Problem(source="a", record=1, field="", reason="x", fatal=False, skipped=True)
        ... except InvalidInputError as exc:
        ...     print(exc)
        skipped: skipped=True needs fatal=True (only a record that became no listing is skipped)
    """

    source: str
    record: int
    field: str
    reason: str
    record_id: str | None = None
    fatal: bool = True
    skipped: bool = attrs.field(default=False)

    @skipped.validator
    def _only_fatal(self, _attribute: attrs.Attribute[bool], value: bool) -> None:
        if value and not self.fatal:
            raise InvalidInputError(
                "skipped=True needs fatal=True (only a record that became no listing is skipped)",
                path="skipped",
            )

    def __repr__(self) -> str:
        """The attrs repr, ``skipped`` shown only when True (reprs of other problems as before)."""
        shown = [
            f"{field.name}={getattr(self, field.name)!r}"
            for field in attrs.fields(Problem)
            if field.name != "skipped" or self.skipped
        ]
        return f"Problem({', '.join(shown)})"

    def to_error(self) -> ListProblemError:
        """This problem as an exception (for ``strict=True``)."""
        return ListProblemError(self.reason, path=self.field, source=self.source, line=self.record)


class ListProblemError(DataError):
    """A record of a list file could not be loaded (raised in groups by ``strict=True``)."""


@attrs.frozen(slots=True)
class Published:
    """The publication date a list file states (a record of the loader stream)."""

    date: datetime.date


Record = Listing | Problem | Published


class ListFormat(Protocol):
    """What a loader module provides (see the module docstring)."""

    NAME: str

    def sniff(self, head: bytes, path: Path) -> bool:
        """Whether the file is in this format."""

    def read(self, path: Path) -> Iterator[Record]:
        """Every record of the file."""


@attrs.frozen(kw_only=True, slots=True)
class ListSnapshot:
    """What one list file holds.

    Args:
        source: The file read.
        format: The format name (``csl-csv``, ``ofac-csv``...).
        listings: Every record that became a listing, in file order.
        problems: Every record (or part) that could not, with row, field and reason:
            refused and skipped records and notes (see :class:`Problem`).
        published: Publication date the file states, if any.
        records: Records seen: ``len(listings)`` plus the fatal problems (skipped or not).
    """

    source: str
    format: str
    listings: tuple[Listing, ...] = attrs.field(converter=v.freeze_all)
    problems: tuple[Problem, ...] = attrs.field(converter=v.freeze_all)
    published: datetime.date | None = None
    records: int = 0

    def count_by_list(self) -> dict[str, int]:
        """Number of listings per list code, largest first."""
        counts: dict[str, int] = {}
        for listing in self.listings:
            counts[listing.list_code] = counts.get(listing.list_code, 0) + 1
        return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


@attrs.frozen(kw_only=True, slots=True)
class Amendment:
    """A listing present in both snapshots whose content changed.

    Args:
        id: The listing id.
        fields: Top-level fields that differ (``entity.aliases``, ``versions``...).
        old: The listing before.
        new: The listing after.
    """

    id: str
    fields: tuple[str, ...]
    old: Listing
    new: Listing


@attrs.frozen(kw_only=True, slots=True)
class ListDiff:
    """Differences between two snapshots, matched by listing id."""

    added: tuple[Listing, ...]
    removed: tuple[Listing, ...]
    amended: tuple[Amendment, ...]
