"""The rulebook: an immutable, indexed bundle of listings, licences and rule parameters.

:meth:`Rulebook.default` returns the bundled, dated data (see ``tools/gen_rulebook.py`` for
how it is generated and from which sources). A rulebook builds its indexes once, so
:func:`~tradecontrol.evaluate` is a few dictionary look-ups per party. It is picklable (for
process pools) and saved and loaded as documented JSON (:meth:`to_dict`,
:meth:`from_dict`), never as a pickle file.

Example:
    >>> from tradecontrol import Rulebook
    >>> rb = Rulebook.default()
    >>> rb.id, rb.snapshot.isoformat()
    ('tradecontrol-default', '2022-05-05')
    >>> [m.matched_name for m in rb.match_entity_name("HUAWEI TECHNOLOGIES CO., LIMITED")][:1]
    ['Huawei Technologies Co., Ltd. (Huawei)']
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
from collections.abc import Callable, Hashable, Iterable
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

import attrs

from tradecontrol import _validators as v
from tradecontrol._time import Moment
from tradecontrol.conditions import ConditionTest
from tradecontrol.destinations import Destinations
from tradecontrol.entities import Entity
from tradecontrol.errors import DataError, InvalidInputError, UnknownLicenseError
from tradecontrol.licenses import License
from tradecontrol.listings import Listing
from tradecontrol.ownership import OwnershipEdge, OwnershipIndex
from tradecontrol.plan import Plan, PlanSlot, exact_matches, is_moment
from tradecontrol.screening.allowlist import AllowEntry
from tradecontrol.screening.index import CandidateIndex, LazyIndex
from tradecontrol.screening.normalize import name_keys
from tradecontrol.screening.thresholds import Thresholds

__all__ = ["NameMatch", "RuleInfo", "RuleParameter", "Rulebook", "Source"]

T = TypeVar("T")

FORMAT = "tradecontrol.rulebook"
FORMAT_VERSION = 1


@attrs.frozen(kw_only=True, slots=True, field_transformer=v.locate_errors)
class Source:
    """Where a part of the rulebook's data comes from.

    Args:
        name: What it is (``Consolidated Screening List (trade.gov), CSV``).
        path: File it was generated from, relative to the shared data folder.
        sha256: Hex digest of that file.
        url: Where the data was published, if known.
        snapshot: Date of the data (list date), if known.

    Example:
        >>> Source(name="CSL", sha256="f55c...").name
        'CSL'
    """

    name: str = attrs.field(converter=v.text)
    path: str | None = attrs.field(default=None, converter=v.optional_text)
    sha256: str | None = attrs.field(default=None, converter=v.optional_text)
    url: str | None = attrs.field(default=None, converter=v.optional_text)
    snapshot: date | None = None


@attrs.frozen(kw_only=True, slots=True, field_transformer=v.locate_errors)
class RuleParameter:
    """A named list of values a rule reads (citations for one branch, codes…).

    Example:
        >>> RuleParameter(key="publication_lead_days", values=["30"]).values
        ('30',)
    """

    key: str = attrs.field(converter=v.text)
    values: tuple[str, ...] = attrs.field(default=(), converter=v.text_tuple)


@attrs.frozen(kw_only=True, slots=True, field_transformer=v.locate_errors)
class RuleInfo:
    """Parameters of one rule, with its legal source.

    Args:
        id: Rule id (``ear.entity_list``).
        authority: ``US-BIS``…
        title: Human title.
        citations: Legal sources of the rule itself (``15 CFR 744.11``).
        transaction_kinds: Transaction kinds the rule applies to (``export``…).
        list_codes: Lists whose listings the rule reads (``EL``).
        parameters: Further named values the rule reads (see each rule module); a
            parameter ``facts`` names the transaction facts the rule reads itself.

    Example:
        >>> Rulebook.default().rule("ear.entity_list").citations
        ('15 CFR 744.11', '15 CFR 744.16')
    """

    id: str = attrs.field(converter=v.text)
    authority: str = attrs.field(converter=v.text)
    title: str = attrs.field(converter=v.text)
    citations: tuple[str, ...] = attrs.field(default=(), converter=v.text_tuple)
    transaction_kinds: tuple[str, ...] = attrs.field(default=(), converter=v.text_tuple)
    list_codes: tuple[str, ...] = attrs.field(default=(), converter=v.text_tuple)
    parameters: tuple[RuleParameter, ...] = attrs.field(
        default=(), converter=v.freeze, validator=v.each(RuleParameter)
    )
    _by_key: dict[str, tuple[str, ...]] = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        by_key: dict[str, tuple[str, ...]] = {}
        for p in self.parameters:
            by_key.setdefault(p.key, p.values)  # the first one wins, as it always did
        object.__setattr__(self, "_by_key", by_key)

    def param(self, key: str) -> tuple[str, ...]:
        """Return the values of parameter ``key``.

        Raises:
            DataError: The rule has no such parameter.
        """
        try:
            return self._by_key[key]
        except KeyError:
            raise DataError(f"rule {self.id!r} has no parameter {key!r}") from None

    def param_or(self, key: str, default: tuple[str, ...] = ()) -> tuple[str, ...]:
        """The values of parameter ``key``, or ``default`` when the rule has none.

        Example:
            >>> Rulebook.default().rule("ear.entity_list").param_or("no_such_key")
            ()
        """
        return self._by_key.get(key, default)


@attrs.frozen(kw_only=True, slots=True)
class NameMatch:
    """A listing whose name or alias matched an entity name.

    Args:
        listing: The listing.
        matched_name: The listed name or alias that matched, as the list writes it.
        query_name: The entity's name or alias that matched, as given.
        score: 0–1: 1.0 for an exact normalised match, the screening score otherwise.

    Example:
        >>> m = Rulebook.default().match_entity_name("HUAWEI TECHNOLOGIES CO., LIMITED")[0]
        >>> m.matched_name, m.score
        ('Huawei Technologies Co., Ltd. (Huawei)', 1.0)
    """

    listing: Listing
    matched_name: str
    query_name: str
    score: float = 1.0


def _index(listings: tuple[Listing, ...]) -> dict[str, tuple[tuple[int, str], ...]]:
    """Normalised name key → ``(listing position, listed name)`` pairs.

    A key that exists only once the place after a legal name is cut off
    (:func:`~tradecontrol.screening.normalize.name_variants`; the CSL's ``Hua Ying
    Management Co. Limited, Tsim Sha Tsui``) is indexed only where no listing carries it
    as a name of its own: ``Huawei Technologies Co., Ltd.`` finds the main entry, not also
    every ``Huawei Technologies Co., Ltd., <place or institute>`` entry.
    """
    index: dict[str, list[tuple[int, str]]] = {}
    cut: dict[str, list[tuple[int, str]]] = {}
    for pos, listing in enumerate(listings):
        for name in listing.entity.names:
            keys = name_keys(name)
            derived = set(keys).difference(name_keys(name, cut=False))
            for key in keys:
                bucket = (cut if key in derived else index).setdefault(key, [])
                # positions arrive in order: only the last pair can be this listing's
                if not bucket or bucket[-1][0] != pos:
                    bucket.append((pos, name))
    for key, bucket in cut.items():
        if key not in index:
            index[key] = bucket
    return {k: tuple(b) for k, b in index.items()}


@attrs.frozen(kw_only=True, slots=True, field_transformer=v.locate_errors)
class Rulebook:
    """Listings, licences and rule parameters, each dated and sourced.

    Args:
        id: Rulebook id (``tradecontrol-default``).
        version: Data version; changes whenever the data does.
        snapshot: Date of the newest source data.
        listings: Listings, in source order.
        licenses: Licences (general, specific, exceptions, savings clauses).
        rules: Parameters of each rule.
        sources: Provenance of the data.
        end_use_codes: Activity codes the rulebook recognises in ``Transaction.end_use``
            (those its conditions test are added automatically).
        destinations: Country Groups, Commerce Country Chart, embargoes and EU membership
            (:class:`~tradecontrol.destinations.Destinations`), if the rulebook has them.
        ownership: Known ownership edges (:class:`~tradecontrol.ownership.OwnershipEdge`),
            indexed once for the ownership rules.
        thresholds: Screening score thresholds for this rulebook (:class:`Thresholds`);
            ``None`` for the library defaults.
        allow_list: Known false positives (:class:`AllowEntry`): a party's match against
            the entry's listing is suppressed while the entry is in force.

    Raises:
        DataError: Duplicate listing or licence ids; owners' shares of one entity above
            100%.

    Example:
        >>> rb = Rulebook.default()
        >>> len(rb.listings), rb.license("TGL-744-SUPP7-C1").kind.value
        (138, 'general')
    """

    id: str = attrs.field(converter=v.text)
    version: str = attrs.field(converter=v.text)
    snapshot: date
    listings: tuple[Listing, ...] = attrs.field(
        default=(), converter=v.freeze_all, validator=v.each(Listing)
    )
    licenses: tuple[License, ...] = attrs.field(
        default=(), converter=v.freeze_all, validator=v.each(License)
    )
    rules: tuple[RuleInfo, ...] = attrs.field(
        default=(), converter=v.freeze, validator=v.each(RuleInfo)
    )
    sources: tuple[Source, ...] = attrs.field(
        default=(), converter=v.freeze, validator=v.each(Source)
    )
    end_use_codes: tuple[str, ...] = attrs.field(default=(), converter=v.text_tuple)
    thresholds: Thresholds | None = attrs.field(
        default=None, validator=attrs.validators.optional(v.instance(Thresholds))
    )
    allow_list: tuple[AllowEntry, ...] = attrs.field(
        default=(), converter=v.freeze, validator=v.each(AllowEntry)
    )
    destinations: Destinations | None = attrs.field(
        default=None, validator=attrs.validators.optional(v.instance(Destinations))
    )
    ownership: tuple[OwnershipEdge, ...] = attrs.field(
        default=(), converter=v.freeze_all, validator=v.each(OwnershipEdge)
    )
    _ownership_index: OwnershipIndex = attrs.field(init=False, repr=False, eq=False)
    _name_index: dict[str, tuple[tuple[int, str], ...]] = attrs.field(
        init=False, repr=False, eq=False
    )
    _licenses_by_id: dict[str, License] = attrs.field(init=False, repr=False, eq=False)
    _rules_by_id: dict[str, RuleInfo] = attrs.field(init=False, repr=False, eq=False)
    _listings_by_id: dict[str, Listing] = attrs.field(init=False, repr=False, eq=False)
    _assessed: frozenset[str] = attrs.field(init=False, repr=False, eq=False)
    _vocabulary: tuple[frozenset[str], frozenset[str]] = attrs.field(
        init=False, repr=False, eq=False
    )
    _screening: LazyIndex = attrs.field(init=False, repr=False, eq=False)
    _plan: PlanSlot = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        for what, field, ids in (
            ("listing", "listings", [x.id for x in self.listings]),
            ("licence", "licenses", [x.id for x in self.licenses]),
            ("rule", "rules", [x.id for x in self.rules]),
            ("allow-list entry", "allow_list", [x.id for x in self.allow_list]),
        ):
            seen: dict[str, int] = {}
            for pos, i in enumerate(ids):
                if i in seen:
                    raise DataError(
                        f"duplicate {what} id {i!r} (also at {field}[{seen[i]}])",
                        path=f"{field}[{pos}]",
                    )
                seen[i] = pos
        _check_barring_rules(self)
        object.__setattr__(self, "_name_index", _index(self.listings))
        object.__setattr__(self, "_licenses_by_id", {x.id: x for x in self.licenses})
        object.__setattr__(self, "_rules_by_id", {x.id: x for x in self.rules})
        object.__setattr__(self, "_listings_by_id", {x.id: x for x in self.listings})
        object.__setattr__(self, "_vocabulary", _vocabulary(self))
        object.__setattr__(
            self, "_screening", LazyIndex(functools.partial(CandidateIndex.build, self.listings))
        )
        object.__setattr__(
            self, "_assessed", frozenset(code for rule in self.rules for code in rule.list_codes)
        )
        object.__setattr__(self, "_ownership_index", OwnershipIndex(self.ownership))
        object.__setattr__(self, "_plan", PlanSlot())

    @classmethod
    def default(cls) -> Rulebook:
        """The bundled rulebook (Huawei 2019 Entity List entries and TGL; ZTE 2016–2018 history).

        Returns:
            The same immutable rulebook on every call.
        """
        return _default()

    def license(self, license_id: str) -> License:
        """Return the licence with this id.

        Raises:
            UnknownLicenseError: No such licence.
        """
        try:
            return self._licenses_by_id[license_id]
        except KeyError:
            raise UnknownLicenseError(f"no licence {license_id!r} in rulebook {self.id}") from None

    @property
    def assessed_list_codes(self) -> frozenset[str]:
        """List codes that some rule of this rulebook reads (``list_codes`` of its rules)."""
        return self._assessed

    def list_codes_read_for(self, kind: str) -> frozenset[str]:
        """List codes read by a rule that applies to transactions of ``kind`` (``export``…).

        A subset of :attr:`assessed_list_codes`; remembered on the rulebook's plan.

        Example:
            >>> "NDAA-889" in Rulebook.default().list_codes_read_for("export")
            False
        """
        return self.plan.remember(
            ("list codes read for", kind),
            lambda: frozenset(
                code
                for rule in self.rules
                if not rule.transaction_kinds or kind in rule.transaction_kinds
                for code in rule.list_codes
            ),
        )

    def rules_reading(self, list_code: str, kind: str) -> tuple[str, ...]:
        """Ids of the rules that read ``list_code`` for transactions of ``kind``, in order.

        A rule without transaction kinds applies to every kind, as in
        :meth:`list_codes_read_for`; remembered on the rulebook's plan.

        Example:
            >>> Rulebook.default().rules_reading("SDN", "payment")
            ('ofac.fifty_percent',)
        """
        return self.plan.remember(
            ("rules reading", list_code, kind),
            lambda: tuple(
                rule.id
                for rule in self.rules
                if list_code in rule.list_codes
                and (not rule.transaction_kinds or kind in rule.transaction_kinds)
            ),
        )

    @property
    def ownership_index(self) -> OwnershipIndex:
        """The known ownership edges, indexed (built once with the rulebook)."""
        return self._ownership_index

    @property
    def plan(self) -> Plan:
        """The compiled evaluation plan (:class:`~tradecontrol.plan.Plan`), built once."""
        return self._plan.get(self)

    @property
    def fact_names(self) -> frozenset[str]:
        """Names of the facts that some condition of this rulebook tests."""
        return self._vocabulary[0]

    @property
    def end_uses(self) -> frozenset[str]:
        """End-use codes this rulebook recognises (``end_use_codes`` and those tested)."""
        return self._vocabulary[1]

    def listing(self, listing_id: str) -> Listing:
        """Return the listing with this id.

        Raises:
            DataError: No such listing.
        """
        try:
            return self._listings_by_id[listing_id]
        except KeyError:
            raise DataError(f"no listing {listing_id!r} in rulebook {self.id}") from None

    def has_license(self, license_id: str) -> bool:
        """True when the rulebook holds a licence with this id."""
        return license_id in self._licenses_by_id

    def rule(self, rule_id: str) -> RuleInfo:
        """Return the parameters of a rule.

        Raises:
            DataError: The rulebook has no parameters for this rule.
        """
        try:
            return self._rules_by_id[rule_id]
        except KeyError:
            raise DataError(f"rulebook {self.id} has no parameters for rule {rule_id!r}") from None

    def _destinations(self) -> Destinations:
        if self.destinations is None:
            raise DataError(f"rulebook {self.id} has no destination data (Country Groups, chart)")
        return self.destinations

    def in_country_group(self, country: str, group: str, as_of: date) -> bool:
        """True when ``country`` is in Country Group ``group`` (15 CFR 740 Supp. 1) at ``as_of``.

        Args:
            country: ISO 3166-1 alpha-2 (``"CN"``) or ISO 3166-2 subdivision (``"UA-43"``,
                which takes its country's groups).
            group: ``"A:1"`` … ``"A:6"``, ``"B"``, ``"D:1"`` … ``"D:5"``, ``"E:1"``, ``"E:2"``.
            as_of: Date (or aware datetime) the membership is asked for.

        Raises:
            InvalidInputError: ``country`` is not an ISO 3166 code.
            DataError: Unknown group, no destination data, or the data cannot answer for
                that date (Hong Kong before 2020-12-23).

        Example:
            >>> import datetime
            >>> rb = Rulebook.default()
            >>> rb.in_country_group("CU", "E:1", datetime.date(2015, 7, 21))
            True
            >>> rb.in_country_group("CU", "E:2", datetime.date(2015, 7, 22))
            True
        """
        return self._destinations().in_country_group(country, group, as_of)

    def chart_reasons(
        self, destination: str, reasons: Iterable[str], as_of: date
    ) -> tuple[str, ...]:
        """The ``reasons`` marked X for ``destination`` in the Commerce Country Chart.

        Args:
            destination: ISO 3166 code; a subdivision uses its country's row; Hong Kong
                uses China's from 2020-12-23 (85 FR 83788).
            reasons: Reasons for control, e.g. ``("NS2", "RS2", "AT1")``.
            as_of: Date (or aware datetime).

        Returns:
            The marked reasons in chart order (Supplement No. 1 to 15 CFR Part 738).

        Raises:
            InvalidInputError: A reason is not one of the 16 chart columns.
            DataError: No row governs the destination (indeterminate, 15 CFR 738.3(b)).

        Example:
            >>> import datetime
            >>> Rulebook.default().chart_reasons("UA-43", ["NS2", "RS2"], datetime.date(2024, 1, 1))
            ('NS2', 'RS2')
        """
        return self._destinations().chart_reasons(destination, reasons, as_of)

    def match_entity_name(self, name: str) -> tuple[NameMatch, ...]:
        """Listings whose name or alias equals ``name`` after normalisation (exact only)."""
        out: list[NameMatch] = []
        self._collect(name, set(), out)
        return tuple(out)

    def _collect(self, name: str, seen: set[int], out: list[NameMatch]) -> None:
        """Append a match for each listing not in ``seen`` indexed under a key of ``name``."""
        index = self._name_index
        for key in name_keys(name):
            for pos, listed in index.get(key, ()):
                if pos not in seen:
                    seen.add(pos)
                    out.append(
                        NameMatch(listing=self.listings[pos], matched_name=listed, query_name=name)
                    )

    def exact_name_hits(self, key: str) -> tuple[tuple[int, str], ...]:
        """``(listing position, listed name)`` pairs indexed under a normalised name key."""
        return self._name_index.get(key, ())

    @property
    def candidate_index(self) -> CandidateIndex:
        """The screening candidate index, built once on first use (not pickled)."""
        return self._screening.get()

    def _screening_memo(self, key: Hashable, compute: Callable[[], T]) -> T:
        """``compute()``, or the result this rulebook remembers for ``key`` (internal)."""
        return self._screening.remember(key, compute)

    def match_entity(self, entity: Entity, *, as_of: Moment | None = None) -> tuple[NameMatch, ...]:
        """Listings the entity matches: the matching seam every listing rule reads.

        A listing matches when one of its names equals one of the entity's after
        normalisation (score 1.0) or when screening scores it at or above the match
        threshold (:func:`tradecontrol.screen`, ``thresholds``). A party with a score of
        1.0 against a listing (its name is a listed name) is identified as that listed
        entity on that list: its lesser matches against other listings *of the same list
        code* are then not returned; matches on other lists always are (an exact hit on one
        list never hides another list's match). The
        listing's window is not checked here (each rule checks it). Review candidates and
        matches suppressed by the allow-list are not returned; the ``screening.review``
        rule reports them.

        Args:
            entity: The party.
            as_of: When given, allow-list entries in force at this moment suppress their
                matches; without it nothing is suppressed (fail closed).

        Returns:
            One :class:`NameMatch` per listing, best score first.
        """
        if self.plan.exact and isinstance(entity, Entity) and (as_of is None or is_moment(as_of)):
            return exact_matches(self, entity)  # the same matches, without the screening memo
        from tradecontrol.screening.screen import candidates

        matches = [m for m in candidates(entity, self, as_of=as_of) if m.status == "match"]
        identified = {m.listing.list_code for m in matches if m.score >= 1.0 and not m.suppressed}
        return tuple(
            NameMatch(
                listing=m.listing,
                matched_name=m.matched_name,
                query_name=m.query_name,
                score=m.score,
            )
            for m in matches
            if not m.suppressed and (m.score >= 1.0 or m.listing.list_code not in identified)
        )

    def with_listings(
        self, listings: Iterable[Listing] | Any, *, snapshot: date | None = None
    ) -> Rulebook:
        """Return a new rulebook with more listings (its version says so).

        Args:
            listings: The listings to add, or a whole
                :class:`~tradecontrol.lists.ListSnapshot` from
                :func:`tradecontrol.lists.load`, whose publication date (when the file
                states one) then counts as ``snapshot``.
            snapshot: Date of the added data (e.g. the list's publication date); the new
                rulebook's snapshot is the later of it and the current one (the default
                ``as_of`` of :func:`tradecontrol.screen`, and the date after which
                ``evaluate`` cautions that later list changes are not reflected).

        Raises:
            DataError: A listing id is already present.
            InvalidInputError: Something other than listings was given.

        Example:
            >>> import datetime
            >>> from tradecontrol.lists import ListSnapshot
            >>> snap = ListSnapshot(format="canonical", source="mine.jsonl", listings=(),
            ...                     problems=(), published=datetime.date(2026, 2, 27))
            >>> Rulebook.default().with_listings(snap).snapshot
            datetime.date(2026, 2, 27)
        """
        from tradecontrol.lists._core import ListSnapshot

        if isinstance(listings, ListSnapshot):
            if snapshot is None:
                snapshot = listings.published
            listings = listings.listings
        extra = _only(listings, Listing, "listings", self.listings)
        return attrs.evolve(
            self,
            listings=self.listings + extra,
            version=_derived_version(self.version, "listings", [x.to_dict() for x in extra]),
            snapshot=max(self.snapshot, snapshot) if snapshot else self.snapshot,
        )

    def with_licenses(self, licenses: Iterable[License]) -> Rulebook:
        """Return a new rulebook with more licences, e.g. the exporter's specific licences.

        Raises:
            DataError: A licence id is already present.
        """
        extra = _only(licenses, License, "licenses", self.licenses)
        return attrs.evolve(
            self,
            licenses=self.licenses + extra,
            version=_derived_version(self.version, "licenses", [x.to_dict() for x in extra]),
        )

    def with_thresholds(self, thresholds: Thresholds | None) -> Rulebook:
        """Return a new rulebook with these screening thresholds (its version says so).

        Example:
            >>> Rulebook.default().with_thresholds(Thresholds(match=0.95)).thresholds.match
            0.95
        """
        payload = [thresholds.to_dict() if thresholds is not None else None]
        return attrs.evolve(
            self,
            thresholds=thresholds,
            version=_derived_version(self.version, "thresholds", payload),
        )

    def with_allow_list(self, entries: Iterable[AllowEntry]) -> Rulebook:
        """Return a new rulebook with more allow-list entries (its version says so).

        Raises:
            DataError: An entry id is already present.
        """
        extra = _only(entries, AllowEntry, "allow_list", self.allow_list)
        return attrs.evolve(
            self,
            allow_list=self.allow_list + extra,
            version=_derived_version(self.version, "allow_list", [x.to_dict() for x in extra]),
        )

    def with_ownership(self, edges: Iterable[OwnershipEdge]) -> Rulebook:
        """Return a new rulebook with more known ownership edges (its version says so).

        Args:
            edges: :class:`~tradecontrol.ownership.OwnershipEdge` objects, e.g. read from a
                company register extract with ``OwnershipEdge.from_dict``.

        Raises:
            DataError: The owners' shares of one entity would add up to more than 100%.

        Example:
            >>> from tradecontrol.ownership import OwnershipEdge
            >>> rb = Rulebook.default().with_ownership([OwnershipEdge.from_dict(
            ...     {"owned": {"name": "B"}, "owner": {"name": "A"}, "share_percent": 60})])
            >>> len(rb.ownership)
            1
        """
        extra = _only(edges, OwnershipEdge, "ownership")
        return attrs.evolve(
            self,
            ownership=self.ownership + extra,
            version=_derived_version(self.version, "ownership", [x.to_dict() for x in extra]),
        )

    def to_dict(self) -> dict[str, Any]:
        """Return the documented JSON form (``format: tradecontrol.rulebook``, version 1)."""
        from tradecontrol._json import unstructure

        body = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "id": self.id,
            "version": self.version,
            "snapshot": self.snapshot.isoformat(),
            "sources": unstructure(self.sources),
            "rules": unstructure(self.rules),
            "listings": unstructure(self.listings),
            "licenses": unstructure(self.licenses),
            "end_use_codes": list(self.end_use_codes),
        }
        if self.destinations is not None:
            body["destinations"] = unstructure(self.destinations)
        if self.ownership:
            body["ownership"] = unstructure(self.ownership)
        if self.thresholds is not None:
            body["thresholds"] = self.thresholds.to_dict()
        if self.allow_list:
            body["allow_list"] = unstructure(self.allow_list)
        return body

    def save(self, path: str | os.PathLike[str], *, compress: bool | None = None) -> Path:
        """Write the rulebook to ``path`` as data, so it can be built once and shipped.

        The file is the JSON of :meth:`to_dict` (``"format": "tradecontrol.rulebook"``,
        ``"format_version": 1``; see :doc:`/scale`), UTF-8, gzip-compressed when
        ``compress`` is true or, by default, when ``path`` ends in ``.gz``. Never a pickle:
        :meth:`load` parses and validates it and cannot run code. The file is written
        beside ``path`` and renamed into place, so readers never see half of it; its mode
        is 0666 less the process umask (``0644`` with umask ``022``), as for any new file.

        Args:
            path: Target file (``rulebook.json`` or ``rulebook.json.gz``).
            compress: Force gzip on or off.

        Returns:
            The path written.

        Raises:
            OSError: The file cannot be written.

        Example:
            >>> import pathlib, tempfile
            >>> folder = pathlib.Path(tempfile.mkdtemp())
            >>> rb = Rulebook.default()
            >>> path = rb.save(folder / "rulebook.json.gz")
            >>> Rulebook.load(path) == rb
            True
        """
        from tradecontrol import _rulebook_io

        return _rulebook_io.save(self, path, compress=compress)

    @classmethod
    def load(cls, path: str | os.PathLike[str], *, max_bytes: int | None = None) -> Rulebook:
        """Read a rulebook written by :meth:`save` (plain or gzip JSON, detected).

        Every value is validated as in :meth:`from_dict`; the indexes are rebuilt.

        Args:
            path: The file (a regular file: not a directory, device or pipe).
            max_bytes: Refuse a file larger than this many bytes of JSON, counted after
                decompression (default 256 MiB, ``_rulebook_io.MAX_RULEBOOK_BYTES``; a
                rulebook with the full CSL, UN and SDN lists is about 16 MiB).

        Returns:
            The rulebook, equal to the one saved (same id and version).

        Raises:
            DataError: The file cannot be read, is not a regular file, is larger than
                ``max_bytes``, is not JSON, repeats a key in an object, has another
                ``format`` or an unsupported ``format_version``, or holds an invalid value
                (the error names the file and the JSON path).
            InvalidInputError: ``path`` is not a str or os.PathLike, or ``max_bytes`` is
                not a positive int.

        Example:
            >>> import pathlib, tempfile
            >>> path = pathlib.Path(tempfile.mkdtemp()) / "rb.json"
            >>> _ = path.write_text('{"format": "tradecontrol.rulebook", "format_version": 9}')
            >>> try:
            ...     Rulebook.load(path)
            ... except DataError as exc:
            ...     print(exc.message)
            rulebook format_version 9 is not supported (this library reads 1)
        """
        from tradecontrol import _rulebook_io

        return _rulebook_io.load(cls, path, max_bytes=max_bytes)

    @classmethod
    def from_dict(cls, data: Any) -> Rulebook:
        """Read the JSON form written by :meth:`to_dict`.

        Raises:
            DataError: Wrong format or version, or malformed content (with its JSON path).
        """
        from tradecontrol._json import structure

        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise DataError(f"not a rulebook: 'format' must be {FORMAT!r}")
        version = data.get("format_version")
        if type(version) is not int or version != FORMAT_VERSION:
            raise DataError(
                f"rulebook format_version {data.get('format_version')!r} is not supported "
                f"(this library reads {FORMAT_VERSION})"
            )
        body = {k: val for k, val in data.items() if k not in ("format", "format_version")}
        try:
            return structure(body, cls)
        except InvalidInputError as exc:
            raise DataError(exc.message, path=exc.path) from None


def _check_barring_rules(rulebook: Rulebook) -> None:
    """Every rule a licence exception names as barring it is a rule of the rulebook."""
    if rulebook.destinations is None:
        return
    known = {x.id for x in rulebook.rules}
    for i, embargo in enumerate(rulebook.destinations.embargoes):
        for j, version in enumerate(embargo.versions):
            exception = version.license_exception
            for rule_id in exception.barred_by_rules if exception is not None else ():
                if rule_id not in known:
                    raise DataError(
                        f"{rule_id!r} is not a rule of this rulebook",
                        path=f"destinations.embargoes[{i}].versions[{j}]"
                        ".license_exception.barred_by_rules",
                    )


def _vocabulary(rulebook: Rulebook) -> tuple[frozenset[str], frozenset[str]]:
    conditions = [c for lic in rulebook.licenses for ver in lic.versions for c in ver.conditions]
    conditions += [
        c
        for listing in rulebook.listings
        for ver in listing.versions
        if ver.license_requirement is not None
        for exc in ver.license_requirement.exceptions
        for c in exc.conditions
    ]
    facts = frozenset(c.fact for c in conditions if c.fact is not None) | frozenset(
        name
        for rule in rulebook.rules
        for p in rule.parameters
        if p.key == "facts"
        for name in p.values
    )
    end_uses = frozenset(rulebook.end_use_codes) | frozenset(
        code for c in conditions if c.test is ConditionTest.END_USE_IN for code in c.values
    )
    return facts, end_uses


_ID_LABELS = {"listings": "listing", "licenses": "licence", "allow_list": "allow-list entry"}


def _only(
    values: Iterable[Any], kind: type[Any], what: str, present: Iterable[Any] | None = None
) -> tuple[Any, ...]:
    """``values`` as a tuple of ``kind``; with ``present``, each id new (not in it, not repeated).

    Raises:
        InvalidInputError: A value is not a ``kind``.
        DataError: An id is already present or given twice (path: its position in
            ``values``).
    """
    out = v.freeze_all(values)
    for i, value in enumerate(out):
        if not isinstance(value, kind):
            raise InvalidInputError(
                f"expected {kind.__name__}, got {type(value).__name__}; build it with "
                f"{kind.__name__}.from_dict()",
                path=f"{what}[{i}]",
            )
    if present is None:
        return out
    ids = {x.id for x in present}
    label = _ID_LABELS.get(what, what)
    first: dict[str, int] = {}
    for i, value in enumerate(out):
        if value.id in ids:
            raise DataError(
                f"{label} id {value.id!r} is already in the rulebook", path=f"{what}[{i}]"
            )
        if value.id in first:
            raise DataError(
                f"{label} id {value.id!r} given twice (also at {what}[{first[value.id]}])",
                path=f"{what}[{i}]",
            )
        first[value.id] = i
    return out


def _derived_version(base: str, what: str, payload: list[Any]) -> str:
    blob = json.dumps(payload, sort_keys=True, separators=(",", ":")).encode()
    return f"{base}+{what}.{hashlib.sha256(blob).hexdigest()[:12]}"


@cache
def _default() -> Rulebook:
    from tradecontrol.data import read_json

    base = read_json("rulebook.json")
    extra = read_json("destinations.json")
    return Rulebook.from_dict(
        {
            **base,
            "version": f"{base['version']}+{extra['version']}",
            "sources": [*base["sources"], *extra["sources"]],
            "rules": [*base["rules"], *extra["rules"]],
            "destinations": extra["destinations"],
        }
    )
