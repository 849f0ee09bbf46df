"""A rulebook's compiled evaluation plan and the fast paths it proves safe (internal).

:func:`~tradecontrol.evaluate` asks the same questions of every transaction: the rule
parameters, which list codes an ownership test reads, whether a party can reach a listed
owner through the rulebook's ownership graph. :class:`Plan` answers the parts that depend
on the rulebook alone, once per rulebook (held by the rulebook, built on first use, never
a module global); the per-transaction parts are cheap prechecks that prove a costly step
cannot change the Decision, so it is skipped:

* **Exact matching** (:func:`exact_matches`): with ``Thresholds(fuzzy=False)`` and no
  allow-list, a party's matches are its names' normalised keys looked up in the name
  index — the same matches, in the same order, as ``tradecontrol.screening.screen.candidates``
  gives, without the screening memo or the fuzzy index.
* **Ownership without owners** (:func:`flat_ownership`, :func:`unowned_results`): when no
  party states owners, none is a node of the rulebook's ownership graph with owners, and no
  two parties resolve to the same node, each party's ownership assessment is just its own
  listings under the test's list codes — :func:`tradecontrol.ownership.assess` gives the
  same :class:`~tradecontrol.ownership.OwnershipResult`, at far greater cost.

Every fast path gives byte-identical Decisions (``benchmarks/eval_speed.py --check``).

Example:
    >>> from tradecontrol import Entity, Rulebook
    >>> from tradecontrol.plan import exact_matches
    >>> [m.matched_name for m in exact_matches(Rulebook.default(),
    ...                                        Entity(name="HUAWEI TECHNOLOGIES CO LTD"))][:1]
    ['Huawei Technologies Co., Ltd. (Huawei)']
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Hashable, Mapping, Sequence
from datetime import date, datetime
from functools import lru_cache
from typing import Any, TypeVar

import attrs

from tradecontrol._time import Moment, Window
from tradecontrol.entities import Entity
from tradecontrol.licenses import License
from tradecontrol.ownership import (
    OwnershipResult,
    OwnershipTest,
    _id_keys,
    _name_key,
    _Resolver,
)
from tradecontrol.screening.normalize import name_keys, normalize_name

TYPE_CHECKING = False
if TYPE_CHECKING:  # pragma: no cover
    from tradecontrol.rulebook import NameMatch, Rulebook

__all__ = [
    "MEMO_SIZE",
    "Plan",
    "PlanSlot",
    "exact_matches",
    "flat_ownership",
    "is_moment",
    "unowned_results",
]


MEMO_SIZE = 16384
"""Most values a :class:`Plan` remembers (:meth:`Plan.remember`)."""

T = TypeVar("T")


@attrs.frozen(kw_only=True, slots=True)
class Plan:
    """What :func:`~tradecontrol.evaluate` needs of one rulebook, worked out once.

    Args:
        exact: Screening is exact-normalised (``Thresholds(fuzzy=False)``) and there is no
            allow-list: a party's matches are name-index look-ups, all of score 1.0, and
            the ``screening.review`` rule has nothing to report.
        owned_nodes: Nodes of the rulebook's ownership graph that have owners (a party
            resolving to one of them must be assessed through the graph).
        licenses_by_rule: For each rule id, the licences that authorize its findings
            (``License.authorizes``), in rulebook order.
        eu_law_windows: For each EU member state (ISO code), the windows in which Union
            law applies to it (membership, or a transition period), as
            :meth:`~tradecontrol.destinations.Destinations.eu_law_applies` reads them;
            ``None`` without destination data.

    Example:
        >>> from tradecontrol import Rulebook
        >>> from tradecontrol.screening.thresholds import Thresholds
        >>> Rulebook.default().with_thresholds(Thresholds(fuzzy=False)).plan.exact
        True
    """

    exact: bool
    owned_nodes: frozenset[int]
    eu_law_windows: Mapping[str, tuple[Window, ...]] | None
    licenses_by_rule: Mapping[str, tuple[License, ...]]
    _memo: dict[Hashable, Any] = attrs.field(factory=dict, eq=False, repr=False)

    def remember(self, key: Hashable, compute: Callable[[], T]) -> T:
        """``compute()``, or the value remembered for ``key``.

        ``compute`` must be a pure function of the rulebook and the key's small values
        (e.g. a rule's ownership test on a date). At most :data:`MEMO_SIZE` values are
        kept (the oldest go first), so memory stays flat over a long batch. A ``compute``
        that raises is not remembered.
        """
        try:
            found: T = self._memo[key]
            return found
        except KeyError:
            pass
        value = compute()
        if len(self._memo) >= MEMO_SIZE:
            with contextlib.suppress(StopIteration, KeyError, RuntimeError):
                del self._memo[next(iter(self._memo))]
        self._memo[key] = value
        return value

    @classmethod
    def build(cls, rulebook: Rulebook) -> Plan:
        """Compile the plan of ``rulebook`` (pure; the rulebook keeps it, see :class:`PlanSlot`)."""
        thresholds = rulebook.thresholds
        windows: dict[str, tuple[Window, ...]] | None = None
        if rulebook.destinations is not None:
            windows = {}
            for m in rulebook.destinations.eu_members:
                windows[m.country] = (*windows.get(m.country, ()), m.eu_law_window or m.window)
        return cls(
            exact=thresholds is not None and not thresholds.fuzzy and not rulebook.allow_list,
            owned_nodes=frozenset(rulebook.ownership_index._owners),
            eu_law_windows=windows,
            licenses_by_rule=_licenses_by_rule(rulebook.licenses),
        )


def _licenses_by_rule(licenses: Sequence[License]) -> dict[str, tuple[License, ...]]:
    out: dict[str, tuple[License, ...]] = {}
    for lic in licenses:
        for rule in dict.fromkeys(lic.authorizes):
            out[rule] = (*out.get(rule, ()), lic)
    return out


class PlanSlot:
    """Holds a rulebook's :class:`Plan`, built on first use under a lock.

    Pickling keeps nothing: the receiving process compiles its own plan on first use, so
    a rulebook sent to workers stays small and never carries derived state.
    """

    __slots__ = ("_lock", "_plan")

    def __init__(self) -> None:
        self._plan: Plan | None = None
        self._lock = threading.Lock()

    def get(self, rulebook: Rulebook) -> Plan:
        """The plan of ``rulebook`` (the rulebook that holds this slot)."""
        plan = self._plan
        if plan is None:
            with self._lock:
                plan = self._plan
                if plan is None:
                    plan = self._plan = Plan.build(rulebook)
        return plan

    def __getstate__(self) -> dict[str, Any]:
        return {}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self._plan = None
        self._lock = threading.Lock()


def is_moment(value: object) -> bool:
    """True for a date or an aware datetime (what ``as_of`` must be)."""
    return isinstance(value, date) and not (
        isinstance(value, datetime) and value.utcoffset() is None
    )


@lru_cache(maxsize=1 << 16)  # bounded: memory stays flat over a long batch
def _query_keys(name: str) -> tuple[str, ...]:
    """The index keys a query name is looked up under (as screening's exact step does)."""
    return tuple(dict.fromkeys((normalize_name(name), *name_keys(name))))


def exact_matches(rulebook: Rulebook, entity: Entity) -> tuple[NameMatch, ...]:
    """Listings with a name equal to one of ``entity``'s after normalisation, by position.

    The exact step of screening (``tradecontrol.screening.screen.candidates`` with
    ``fuzzy=False``), returned as :class:`~tradecontrol.rulebook.NameMatch` (score 1.0):
    each listing once, with the first of the entity's names that hit it, in rulebook
    order. No allow-list is applied (the caller checks there is none).

    Args:
        rulebook: Supplies the name index and the listings.
        entity: The party.

    Returns:
        The matches, in rulebook order.

    Example:
        >>> from tradecontrol import Entity, Rulebook
        >>> from tradecontrol.plan import exact_matches
        >>> exact_matches(Rulebook.default(), Entity(name="Acme Cables Inc."))
        ()
    """
    found: dict[int, tuple[str, str]] = {}
    hits = rulebook._name_index.get  # rulebook.exact_name_hits, without a call per key
    for name in (entity.name, *entity.aliases):  # entity.names
        for key in _query_keys(name):
            for pos, listed in hits(key, ()):
                if pos not in found:
                    found[pos] = (listed, name)
    if not found:
        return ()
    from tradecontrol.rulebook import NameMatch  # a cycle at import time

    listings = rulebook.listings
    return tuple(
        NameMatch(listing=listings[pos], matched_name=listed, query_name=name)
        for pos, (listed, name) in sorted(found.items())
    )


def flat_ownership(entities: Sequence[Entity], rulebook: Rulebook) -> bool:
    """True when no ownership edge can reach any of ``entities``, and each is its own node.

    That is: none states owners, none resolves to a node of the rulebook's ownership graph
    that has owners (dated or not), and no two of them share a normalised name and country,
    an identifier, or a node of the rulebook's graph (so the ownership graph would give each
    its own node holding that very entity). Then :func:`unowned_results` equals
    :func:`tradecontrol.ownership.assess` for every ownership test.

    Example:
        >>> from tradecontrol import Entity, Rulebook
        >>> from tradecontrol.plan import flat_ownership
        >>> rb = Rulebook.default()
        >>> flat_ownership([Entity(name="A"), Entity(name="B")], rb)
        True
        >>> flat_ownership([Entity(name="A"), Entity(name="a")], rb)
        False
    """
    index = rulebook.ownership_index
    owned = rulebook.plan.owned_nodes
    resolver = index._resolver
    names: set[tuple[str, str]] = set()
    ids: set[tuple[str, str]] = set()
    nodes: set[int] = set()
    for entity in entities:
        if entity.owners:
            return False
        key = _name_key(entity)
        mine = _id_keys(entity) if entity.identifiers else []
        node = _find(resolver, key, mine) if resolver.nodes else None
        if node is not None:
            if node in owned or node in nodes:
                return False
            nodes.add(node)
        if key in names:
            return False
        names.add(key)
        for id_key in mine:
            if id_key in ids:
                return False
            ids.add(id_key)
    return True


def _find(
    resolver: _Resolver, name_key: tuple[str, str], mine: list[tuple[str, str]]
) -> int | None:
    """``resolver.find(entity)``, given the entity's name key and identifier keys.

    The same steps as ``tradecontrol.ownership._Resolver.find``, without working the keys
    out a second time.
    """
    by_id = resolver.by_id
    for key in mine:
        if key in by_id:
            found: int = by_id[key]
            return found
    node: int | None = resolver.by_name.get(name_key)
    if node is None:
        return None
    known = _id_keys(resolver.nodes[node - resolver.offset])
    if known and mine and not set(known) & set(mine):
        return None  # same name and country, different identifiers: another entity
    return node


def unowned_results(
    entities: Sequence[Entity],
    as_of: Moment,
    test: OwnershipTest,
    match: Any,
) -> tuple[OwnershipResult, ...]:
    """:func:`~tradecontrol.ownership.assess` for entities that :func:`flat_ownership` clears.

    With no owners, an entity is blocked exactly when it matches a listing in force on one
    of the test's lists; there are no holdings, paths, problems or indirect owners.

    Args:
        entities: The entities (cleared by :func:`flat_ownership`).
        as_of: The moment listings must be in force.
        test: The regime's ownership test (only its ``list_codes`` matter here).
        match: Matches an entity's names (the evaluation context's memoised
            :meth:`~tradecontrol.context.EvaluationContext.match`).

    Returns:
        One :class:`~tradecontrol.ownership.OwnershipResult` per entity, in order.
    """
    codes = test.list_codes
    out = []
    for entity in entities:
        listed = tuple(
            m
            for m in match(entity)
            if m.listing.list_code in codes and m.listing.version_at(as_of) is not None
        )
        out.append(OwnershipResult(entity=entity, blocked=bool(listed), listed=listed))
    return tuple(out)
