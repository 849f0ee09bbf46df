"""The allow-list: known false positives ("good guys"), each tied to one listing.

An :class:`AllowEntry` says that a given party — identified by an identifier, or by its
normalised name and country — is *not* the entity of a given listing, for a period and a
reason (typically the compliance analyst's finding). A screening match of that party
against that listing, while the entry is in force, is **suppressed**: it stays visible in
:func:`~tradecontrol.screen`'s output and in the Decision (as a ``not_restricted`` finding
that names the entry), but it does not raise the outcome. An entry never suppresses a
match against any other listing, and it lapses at the end of its window.

Entries live in the rulebook (``Rulebook.allow_list``, saved in its JSON) and can be read
from JSON lines with :func:`load_allow_list`.

Example:
    >>> import datetime
    >>> from tradecontrol import Entity
    >>> entry = AllowEntry(id="FP-1", listing_id="us-el-1", name="Emma Daniels",
    ...                    country="GB", reason="Different person: UK national, born 1990",
    ...                    window=Window(start="2024-01-01", end="2024-12-31"))
    >>> entry.covers(Entity(name="EMMA DANIELS", country="gb"), datetime.date(2024, 6, 1))
    True
    >>> entry.covers(Entity(name="EMMA DANIELS", country="gb"), datetime.date(2025, 1, 2))
    False
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import attrs

from tradecontrol import _validators as v
from tradecontrol._canonical import CanonicalJSON
from tradecontrol._time import Moment, Position, Window
from tradecontrol.entities import Entity, Identifier
from tradecontrol.errors import DataError, InvalidInputError, TradeControlError
from tradecontrol.jurisdictions import Jurisdiction, opt_jurisdiction
from tradecontrol.screening.normalize import normalize_name

__all__ = ["AllowEntry", "load_allow_list"]

MAX_LINE_BYTES = 1 << 16
"""Longest accepted allow-list line (64 KiB)."""

_ID_NOISE = re.compile(r"[\s\-./]+")


def _id_value(value: str) -> str:
    return _ID_NOISE.sub("", value).casefold()


def _opt_identifier(value: Any) -> Identifier | None:
    if value is None or isinstance(value, Identifier):
        return value
    raise InvalidInputError(f"expected an Identifier, got {type(value).__name__}")


@attrs.frozen(kw_only=True, slots=True, field_transformer=v.locate_errors)
class AllowEntry(CanonicalJSON):
    """One suppressed (party, listing) pair, in force during ``window``.

    Args:
        id: Your reference for the entry (``FP-2024-017``).
        listing_id: The listing the party is *not* (``Listing.id``).
        reason: Why the match is a false positive, in words (kept in the Decision).
        identifier: The party's identifier (scheme and value; spaces, dots, dashes and case
            are ignored when comparing). When given, it alone identifies the party.
        name: The party's name, compared after normalisation with each of the party's names
            and aliases (used when no identifier is given).
        country: The party's country, ISO 3166; required with ``name``.
        window: When the entry is in force (dates read in ``window.zone``); open by default.

    Raises:
        InvalidInputError: Neither an identifier nor a name and country is given.

    Example:
        >>> AllowEntry(id="FP-2", listing_id="un-QDi.1", reason="LEI differs",
        ...            identifier=Identifier(scheme="lei", value="5493001KJTIIGC8Y1R12")).id
        'FP-2'
    """

    id: str = attrs.field(converter=v.text)
    listing_id: str = attrs.field(converter=v.text)
    reason: str = attrs.field(converter=v.text)
    identifier: Identifier | None = attrs.field(default=None, converter=_opt_identifier)
    name: str | None = attrs.field(default=None, converter=v.optional_text)
    country: Jurisdiction | None = attrs.field(default=None, converter=opt_jurisdiction)
    window: Window = attrs.field(factory=Window, validator=v.instance(Window))

    def __attrs_post_init__(self) -> None:
        if self.identifier is None and (self.name is None or self.country is None):
            raise InvalidInputError(
                "an allow-list entry identifies the party by 'identifier', or by 'name' and "
                "'country'"
            )

    def in_force(self, moment: Moment) -> bool:
        """True when ``moment`` (date or aware datetime) falls in the entry's window."""
        return self.window.position(moment) not in (Position.BEFORE, Position.AFTER)

    def identifies(self, entity: Entity) -> bool:
        """True when ``entity`` is the party described (by identifier, else name and country)."""
        if self.identifier is not None:
            want = (self.identifier.scheme, _id_value(self.identifier.value))
            return any((i.scheme, _id_value(i.value)) == want for i in entity.identifiers)
        if self.country is None or entity.country is None or self.name is None:
            return False
        if entity.country.code != self.country.code:
            return False
        key = normalize_name(self.name)
        return any(normalize_name(n) == key for n in entity.names)

    def covers(self, entity: Entity, moment: Moment) -> bool:
        """True when the entry identifies ``entity`` and is in force at ``moment``."""
        return self.in_force(moment) and self.identifies(entity)


def load_allow_list(path: str | Path) -> tuple[AllowEntry, ...]:
    r"""Read allow-list entries from a JSON-lines file (one :class:`AllowEntry` object a line).

    Blank lines are skipped. Nothing is dropped: the first bad line raises.

    Args:
        path: The file.

    Returns:
        The entries, in file order.

    Raises:
        DataError: The file cannot be read, or a line is not a valid entry (the message
            names the file, line and field); repeated entry ids.

    Example:
        >>> import pathlib, tempfile
        >>> p = pathlib.Path(tempfile.mkdtemp()) / "allow.jsonl"
        >>> _ = p.write_text('{"id": "FP-1", "listing_id": "x-1", "reason": "other firm", '
        ...                  '"name": "Emma LLC", "country": "US"}\n')
        >>> [e.id for e in load_allow_list(p)]
        ['FP-1']
    """
    from tradecontrol.lists._text import json_lines

    name = str(path)
    entries: list[AllowEntry] = []
    seen: set[str] = set()
    try:
        with open(path, "rb") as fh:
            for number, data in json_lines(fh, MAX_LINE_BYTES):
                try:
                    if isinstance(data, TradeControlError):
                        raise data
                    entry = AllowEntry.from_dict(data)
                    if entry.id in seen:
                        raise InvalidInputError(f"entry id {entry.id!r} appears twice", path="id")
                except TradeControlError as exc:
                    raise DataError(exc.message, path=exc.path, source=name, line=number) from None
                seen.add(entry.id)
                entries.append(entry)
    except OSError as exc:
        raise DataError(f"cannot read the allow-list: {exc.strerror}", source=name) from None
    return tuple(entries)
