"""Ownership graphs and the ownership tests of OFAC, the EU, the UK and BIS.

An ownership graph has entities as nodes and :class:`~tradecontrol.entities.Ownership`
edges ("owner holds ``share_percent`` of owned", percent 0–100, Decimal, with an optional
``control`` flag and ``joint_arrangement`` label). Edges come from two places:

* the transaction: each party's entity may carry nested ``owners`` in the canonical JSON;
* the rulebook: known edges (:class:`OwnershipEdge`), loaded from data and indexed once
  when the rulebook is built (:meth:`tradecontrol.Rulebook.with_ownership`).

Entities are identified across the graph by identifier first (scheme and value), then by
normalised name (``normalize_name``) and country.

:func:`assess` applies an :class:`OwnershipTest` — threshold, whether an owner's share at
exactly the threshold counts, whether different owners' shares are aggregated, whether
control blocks — to the part of the graph reachable upwards from the parties, so its cost
grows with that part, not with the whole graph. Blocked status propagates: an entity
blocked through ownership counts as a blocked owner further down (OFAC FAQ 401), while
holdings through unblocked intermediaries are not looked through. Cycles are handled as
a least fixed point (nothing is blocked by a cycle alone), diamonds by summing each
distinct direct edge once.

Example:
    >>> from decimal import Decimal
    >>> from tradecontrol import Entity, Listing, ListingVersion, Rulebook, Window
    >>> sdn = lambda n: Listing(id=n, list_code="SDN", authority="US-OFAC",
    ...     entity=Entity(name=n), versions=[ListingVersion(window=Window(start="2020-01-01"))])
    >>> rb = Rulebook.default().with_listings([sdn("SDN A"), sdn("SDN B")])
    >>> gamma = Entity.from_dict({"name": "Gamma Industrial LLC", "owners": [
    ...     {"owner": {"name": "SDN A"}, "share_percent": "30%"},
    ...     {"owner": {"name": "SDN B"}, "share_percent": "25"}]})
    >>> from tradecontrol.ownership import OwnershipTest, assess
    >>> test = OwnershipTest(list_codes=frozenset({"SDN"}), threshold=Decimal(50))
    >>> import datetime
    >>> result = assess([gamma], rb, datetime.date(2023, 1, 10), test)[0]
    >>> result.blocked, result.share
    (True, Decimal('55'))
    >>> result.paths[-1]
    'SDN A 30% + SDN B 25% → Gamma Industrial LLC = 55% ≥ 50%'
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING

import attrs

from tradecontrol import _validators as v
from tradecontrol._canonical import CanonicalJSON
from tradecontrol._time import Moment, Window
from tradecontrol.entities import Entity, same_entity
from tradecontrol.errors import DataError, InvalidInputError
from tradecontrol.screening.normalize import normalize_name

if TYPE_CHECKING:  # pragma: no cover
    from tradecontrol.rulebook import NameMatch, Rulebook

__all__ = [
    "Holding",
    "OwnershipEdge",
    "OwnershipIndex",
    "OwnershipResult",
    "OwnershipTest",
    "assess",
    "ownership_graph",
]

HUNDRED = Decimal(100)
MAX_PATH_LINES = 20
"""Most arithmetic lines an explanation keeps (the ones nearest the entity)."""


@attrs.frozen(kw_only=True, slots=True, field_transformer=v.locate_errors)
class OwnershipEdge(CanonicalJSON):
    """A known ownership edge held in a rulebook: ``owner`` holds a share of ``owned``.

    Args:
        owned: The owned entity (name, country, identifiers identify it).
        owner: The owning entity.
        share_percent: Share held, percent 0–100 (``"30"`` or ``"30%"``); ``None`` when
            unknown (a blocked owner with an unknown share needs review).
        control: True when the owner controls the owned entity whatever its share.
        joint_arrangement: Label shared by owners acting under a joint arrangement
            (UK OFSI guidance para 4.14).
        citations: Where the edge is stated (company register extract, designation
            notice, ...).
        window: When the holding existed (e.g. through the day before a divestment, OFAC
            FAQ 402); ``None`` when not dated. Evaluation uses the edges in force at
            ``as_of``.

    Raises:
        InvalidInputError: A field is malformed, ``owned`` and ``owner`` are the same entity,
            or either carries nested ``owners`` (give each holding as its own edge).

    Example:
        >>> e = OwnershipEdge.from_dict({"owned": {"name": "Gamma Industrial LLC"},
        ...     "owner": {"name": "SDN A"}, "share_percent": "30%"})
        >>> e.share_percent
        Decimal('30')
    """

    owned: Entity = attrs.field(validator=v.instance(Entity))
    owner: Entity = attrs.field(validator=v.instance(Entity))
    share_percent: v.Percent | None = attrs.field(default=None, converter=v.opt_percent)
    control: bool = attrs.field(default=False)
    joint_arrangement: str | None = attrs.field(default=None, converter=v.optional_text)
    citations: tuple[str, ...] = attrs.field(default=(), converter=v.text_tuple)
    window: Window | None = attrs.field(
        default=None, validator=attrs.validators.optional(v.instance(Window))
    )

    @control.validator
    def _check_control(self, _: attrs.Attribute[bool], value: bool) -> None:
        if not isinstance(value, bool):
            raise InvalidInputError("control must be true or false", path="control")

    def __attrs_post_init__(self) -> None:
        for name, entity in (("owned", self.owned), ("owner", self.owner)):
            if entity.owners:  # the index reads edges only: nested owners would be lost
                raise InvalidInputError(
                    "an edge's entities carry no owners; give each holding as its own edge",
                    path=f"{name}.owners",
                )
        if same_entity(self.owned, self.owner):
            raise InvalidInputError(
                f"{self.owner.name!r} is the same entity as {self.owned.name!r} (same "
                "identifier, or same name and country): an entity cannot be its own owner",
                path="owner",
            )


@attrs.frozen(slots=True)
class _Edge:
    owner: int
    share: Decimal | None
    control: bool
    joint: str | None
    window: Window | None = None


def _name_key(entity: Entity) -> tuple[str, str]:
    country = entity.country.code if entity.country is not None else ""
    return normalize_name(entity.name), country


def _id_keys(entity: Entity) -> list[tuple[str, str]]:
    return [(i.scheme, i.value.strip().upper()) for i in entity.identifiers]


class _Resolver:
    """Maps entities to node numbers: identifier first, then normalised name and country."""

    __slots__ = ("by_id", "by_name", "nodes", "offset")

    def __init__(self, offset: int = 0) -> None:
        self.nodes: list[Entity] = []  # node number ``offset + i`` is ``nodes[i]``
        self.offset = offset
        self.by_id: dict[tuple[str, str], int] = {}
        self.by_name: dict[tuple[str, str], int] = {}

    def find(self, entity: Entity) -> int | None:
        for key in _id_keys(entity):
            if key in self.by_id:
                return self.by_id[key]
        node = self.by_name.get(_name_key(entity))
        if node is None:
            return None
        known = _id_keys(self.nodes[node - self.offset])
        mine = _id_keys(entity)
        if known and mine and not set(known) & set(mine):
            return None  # same name and country, different identifiers: another entity
        return node

    def add(self, entity: Entity, node: int) -> None:
        for key in _id_keys(entity):
            self.by_id.setdefault(key, node)
        self.by_name.setdefault(_name_key(entity), node)


def _check_total(edges: Iterable[_Edge], what: str) -> str | None:
    total = sum((e.share for e in edges if e.share is not None), Decimal(0))
    if total > HUNDRED:
        return f"owners' shares of {what} add up to {total}%, more than 100%"
    return None


class OwnershipIndex:
    """The rulebook's ownership edges, indexed once (nodes, owners of each node, keys).

    Args:
        edges: The rulebook's :class:`OwnershipEdge` objects.

    Raises:
        DataError: The shares of one entity's undated owners add up to more than 100%, or
            an undated edge is given twice (dated edges are checked as of each evaluation).

    Example:
        >>> from tradecontrol.ownership import OwnershipEdge, OwnershipIndex
        >>> idx = OwnershipIndex([OwnershipEdge.from_dict({"owned": {"name": "B"},
        ...     "owner": {"name": "A"}, "share_percent": "60"})])
        >>> len(idx)
        2
    """

    __slots__ = ("_owners", "_resolver")

    def __init__(self, edges: Sequence[OwnershipEdge]) -> None:
        resolver = _Resolver()
        owners: dict[int, list[_Edge]] = {}

        def node(entity: Entity) -> int:
            found = resolver.find(entity)
            if found is None:
                found = len(resolver.nodes)
                resolver.nodes.append(entity)
            resolver.add(entity, found)
            return found

        for i, edge in enumerate(edges):
            owned, owner = node(edge.owned), node(edge.owner)
            known = owners.setdefault(owned, [])
            if edge.window is None and any(e.owner == owner and e.window is None for e in known):
                raise DataError(
                    f"{edge.owner.name!r} is given twice as an undated owner of "
                    f"{edge.owned.name!r}",
                    path=f"ownership[{i}]",
                )
            known.append(
                _Edge(owner, edge.share_percent, edge.control, edge.joint_arrangement, edge.window)
            )
            problem = _check_total((e for e in known if e.window is None), repr(edge.owned.name))
            if problem:
                raise DataError(problem, path=f"ownership[{i}]")
        self._resolver = resolver
        self._owners = {k: tuple(d) for k, d in owners.items()}

    def __len__(self) -> int:
        return len(self._resolver.nodes)

    def __getstate__(self) -> tuple[_Resolver, dict[int, tuple[_Edge, ...]]]:
        return self._resolver, self._owners

    def __setstate__(self, state: tuple[_Resolver, dict[int, tuple[_Edge, ...]]]) -> None:
        self._resolver, self._owners = state


class _Graph:
    """The rulebook's index overlaid with the owners a transaction states (per call)."""

    def __init__(self, index: OwnershipIndex, as_of: Moment | None = None) -> None:
        self.base = index
        self.as_of = as_of
        self.cache: dict[int, tuple[_Edge, ...]] = {}
        self.extra = _Resolver(offset=len(index))  # the transaction's nodes follow the index's
        self.entities: dict[int, Entity] = {}
        self.stated: dict[int, dict[int, _Edge]] = {}
        self.problems: dict[int, str] = {}
        self.conflicts: dict[int, set[str]] = {}

    def node(self, entity: Entity) -> int:
        found = self.base._resolver.find(entity)
        if found is None:
            found = self.extra.find(entity)
        if found is None:
            found = len(self.base) + len(self.extra.nodes)
            self.extra.nodes.append(entity)
        self.extra.add(entity, found)
        self.entities.setdefault(found, entity)
        return found

    def entity(self, node: int) -> Entity:
        if node in self.entities:
            return self.entities[node]
        return self.base._resolver.nodes[node]

    def add_owners(self, entity: Entity) -> int:
        """Add ``entity`` and every owner it states (at any depth); return its node.

        An entity stated several times has the union of its stated owners; the same
        owner stated twice with different terms is a problem (review), whatever the order.
        """
        me = self.node(entity)
        for own in entity.owners:
            owner = self.add_owners(own.owner)
            edge = _Edge(owner, own.share_percent, own.control, own.joint_arrangement)
            stated = self.stated.setdefault(me, {})
            if owner in stated and stated[owner] != edge:
                self.conflicts.setdefault(me, set()).add(self.entity(owner).name)
            stated.setdefault(owner, edge)
        return me

    def problem(self, nodes: Iterable[int]) -> str | None:
        """Why the graph over ``nodes`` cannot be trusted (all reasons, sorted), if so."""
        found = set()
        for n in nodes:
            if n in self.problems:
                found.add(self.problems[n])
            if n in self.conflicts:
                names = ", ".join(repr(x) for x in sorted(self.conflicts[n]))
                found.add(
                    f"{names} stated more than once as owner(s) of {self.entity(n).name!r} "
                    "with different terms"
                )
        return "; ".join(sorted(found)) or None

    def owners(self, node: int) -> tuple[_Edge, ...]:
        """The owners of ``node`` in force at ``as_of``: the transaction's win, owner by owner."""
        if node in self.cache:
            return self.cache[node]
        merged: dict[int, _Edge] = {}
        twice: set[str] = set()
        for e in self.base._owners.get(node, ()):
            if (
                e.window is not None
                and self.as_of is not None
                and not e.window.contains(self.as_of)
            ):
                continue
            if e.owner in merged:
                twice.add(self.entity(e.owner).name)
            merged[e.owner] = e
        dated = any(e.window is not None for e in merged.values())
        stated = self.stated.get(node, {})
        merged.update(stated)
        edges = tuple(merged.values())
        if twice:
            names = ", ".join(repr(x) for x in sorted(twice))
            self.problems[node] = (
                f"the rulebook has overlapping dated holdings of {names} in "
                f"{self.entity(node).name!r}"
            )
        elif (stated or dated) and node not in self.conflicts:
            problem = _check_total(edges, repr(self.entity(node).name))
            if problem:
                self.problems[node] = problem + (
                    " (transaction and rulebook combined)" if stated else ""
                )
        self.cache[node] = edges
        return edges


def ownership_graph(
    entities: Sequence[Entity], rulebook: Rulebook, as_of: Moment | None = None
) -> tuple[list[int], dict[int, Entity], dict[int, tuple[tuple[int, Decimal | None, bool], ...]]]:
    """The part of the ownership graph reachable upwards from ``entities``.

    Args:
        entities: Starting entities (e.g. the transaction's parties).
        rulebook: Supplies the known ownership edges.
        as_of: When given, only dated edges in force then are used (date or aware
            datetime); ``None`` uses every edge.

    Returns:
        ``(start nodes, {node: entity}, {owned node: ((owner node, share, control), ...)})``.

    Example:
        >>> from tradecontrol import Entity, Rulebook
        >>> from tradecontrol.ownership import ownership_graph
        >>> starts, nodes, edges = ownership_graph(
        ...     [Entity.from_dict({"name": "B", "owners": [{"owner": {"name": "A"},
        ...      "share_percent": 60}]})], Rulebook.default())
        >>> [nodes[n].name for n in sorted(nodes)], edges[starts[0]][0][1]
        (['B', 'A'], Decimal('60'))
    """
    graph = _Graph(rulebook.ownership_index, as_of)
    starts = [graph.add_owners(e) for e in entities]
    reach = _reach(graph, starts)
    return (
        starts,
        {n: graph.entity(n) for n in reach},
        {n: tuple((e.owner, e.share, e.control) for e in graph.owners(n)) for n in reach},
    )


def _reach(graph: _Graph, starts: Iterable[int]) -> list[int]:
    order = list(dict.fromkeys(starts))
    seen = set(order)
    for n in order:  # breadth first; the list grows while it is read
        for e in graph.owners(n):
            if e.owner not in seen:
                seen.add(e.owner)
                order.append(e.owner)
    return order


@attrs.frozen(kw_only=True, slots=True)
class OwnershipTest:
    """One regime's ownership arithmetic.

    Args:
        list_codes: Lists whose parties count as blocked owners (``SDN``; ``EL``, ``MEU``).
        threshold: Share in percent (``50``).
        at_threshold: True when exactly the threshold counts ("50% or more"), False for
            "more than 50%".
        aggregate: True when different blocked owners' shares are added up; False when
            only one owner's share counts, or the sum of owners under one joint
            arrangement.
        control_blocks: True when a blocked owner's control blocks whatever its share.

    Example:
        >>> from decimal import Decimal
        >>> from tradecontrol.ownership import OwnershipTest
        >>> OwnershipTest(list_codes=frozenset({"UK"}), threshold=Decimal(50),
        ...               at_threshold=False, aggregate=False).describe()
        'more than 50%, each owner or joint arrangement alone'
    """

    list_codes: frozenset[str]
    threshold: Decimal
    at_threshold: bool = True
    aggregate: bool = True
    control_blocks: bool = False

    def meets(self, share: Decimal) -> bool:
        """True when ``share`` (percent) reaches the threshold."""
        return share >= self.threshold if self.at_threshold else share > self.threshold

    def relation(self, share: Decimal) -> str:
        """``≥``/``<`` (or ``>``/``≤``) for ``share`` against the threshold."""
        if self.at_threshold:
            return "≥" if share >= self.threshold else "<"
        return ">" if share > self.threshold else "≤"

    def describe(self) -> str:
        """The test in words."""
        more = "or more" if self.at_threshold else ""
        words = f"{self.threshold}% {more}" if more else f"more than {self.threshold}%"
        how = "aggregated" if self.aggregate else "each owner or joint arrangement alone"
        return f"{words}, {how}"


@attrs.frozen(kw_only=True, slots=True)
class Holding:
    """A blocked owner's direct holding in an entity.

    Args:
        owner: The owner's name.
        share: Percent held, ``None`` when unknown.
        control: The owner controls the entity.
        listed: True when the owner is listed itself; False when blocked through ownership.
        joint_arrangement: Joint-arrangement label, if any.
    """

    owner: str
    share: Decimal | None
    control: bool
    listed: bool
    joint_arrangement: str | None = None


@attrs.frozen(kw_only=True, slots=True)
class OwnershipResult:
    """What an :class:`OwnershipTest` says about one entity.

    Args:
        entity: The entity assessed.
        blocked: True when listed itself, owned at the threshold, or controlled where
            control blocks.
        listed: Listings in force that the entity itself matches.
        by_control: Blocked (only) because a blocked owner controls it.
        share: The blocked share counted (aggregate, or the largest single or joint
            holding), percent.
        aggregate_share: All blocked owners' known shares added up, percent.
        holdings: Direct holdings of blocked owners.
        unknown: Blocked owners whose share is unknown.
        controllers: Blocked owners with control.
        owner_listings: Listings of the listed owners at the roots of the blocking paths.
        paths: The arithmetic, deepest first
            (``SDN A 30% + SDN B 25% → Gamma Industrial LLC = 55% ≥ 50%``).
        problem: Why the graph cannot be trusted (shares above 100%), if so.
        indirect: Names of blocked entities further up the graph that are not direct
            owners (their stakes pass through intermediaries, blocked or not).
    """

    entity: Entity
    blocked: bool
    listed: tuple[NameMatch, ...] = ()
    by_control: bool = False
    share: Decimal = Decimal(0)
    aggregate_share: Decimal = Decimal(0)
    holdings: tuple[Holding, ...] = ()
    unknown: tuple[str, ...] = ()
    controllers: tuple[str, ...] = ()
    owner_listings: tuple[NameMatch, ...] = ()
    paths: tuple[str, ...] = ()
    problem: str | None = None
    indirect: tuple[str, ...] = ()


def _pct(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return f"{text}%"


class _Assessment:
    def __init__(
        self,
        graph: _Graph,
        rulebook: Rulebook,
        as_of: Moment,
        test: OwnershipTest,
        match: Callable[[Entity], tuple[NameMatch, ...]] | None = None,
    ) -> None:
        self.graph, self.rulebook, self.as_of, self.test = graph, rulebook, as_of, test
        self.match = match or (lambda entity: rulebook.match_entity(entity, as_of=as_of))
        self.listed: dict[int, tuple[NameMatch, ...]] = {}
        self.blocked: set[int] = set()

    def listings(self, node: int) -> tuple[NameMatch, ...]:
        if node not in self.listed:
            self.listed[node] = tuple(
                m
                for m in self.match(self.graph.entity(node))
                if m.listing.list_code in self.test.list_codes
                and m.listing.version_at(self.as_of) is not None
            )
        return self.listed[node]

    def counted(self, node: int) -> tuple[Decimal, Decimal, bool]:
        """(counted share, aggregate share, controlled) from currently blocked owners."""
        groups: dict[object, Decimal] = {}
        total = Decimal(0)
        controlled = False
        for e in self.graph.owners(node):
            if e.owner not in self.blocked:
                continue
            controlled = controlled or e.control
            if e.share is None:
                continue
            total += e.share
            key: object = ("joint", e.joint) if e.joint is not None else e.owner
            groups[key] = groups.get(key, Decimal(0)) + e.share
        counted = total if self.test.aggregate else max(groups.values(), default=Decimal(0))
        return counted, total, controlled

    def is_blocked(self, node: int) -> bool:
        counted, _, controlled = self.counted(node)
        return self.test.meets(counted) or (controlled and self.test.control_blocks)

    def run(self, starts: Sequence[int]) -> list[int]:
        reach = _reach(self.graph, starts)
        owned_by: dict[int, list[int]] = {}
        for n in reach:
            for e in self.graph.owners(n):
                owned_by.setdefault(e.owner, []).append(n)
        work = [n for n in reach if self.listings(n)]
        self.blocked.update(work)
        while work:  # least fixed point: each node turns blocked at most once
            n = work.pop()
            for child in owned_by.get(n, ()):
                if child not in self.blocked and self.is_blocked(child):
                    self.blocked.add(child)
                    work.append(child)
        return reach

    def blocked_edges(self, node: int) -> list[_Edge]:
        """Edges from blocked owners, largest share first, then by owner name."""
        return sorted(
            (e for e in self.graph.owners(node) if e.owner in self.blocked),
            key=lambda e: (-(e.share or Decimal(0)), self.graph.entity(e.owner).name),
        )

    def roots(self, node: int, seen: set[int]) -> list[NameMatch]:
        """Listings of the listed owners at the top of the blocking paths (iterative)."""
        out: list[NameMatch] = []
        stack = [node]
        while stack:
            n = stack.pop()
            if n in seen:
                continue
            seen.add(n)
            own = self.listings(n)
            if own:
                out.extend(own)
                continue
            stack.extend(e.owner for e in self.graph.owners(n) if e.owner in self.blocked)
        return out

    def paths(self, node: int, seen: set[int]) -> list[str]:
        """Arithmetic lines of the entities blocked through ownership, deepest first."""
        out: list[str] = []
        stack: list[tuple[int, bool]] = [(node, False)]
        while stack:  # iterative post-order: owners' lines before the owned entity's
            n, done = stack.pop()
            if done:
                out.append(self.line(n, self.blocked_edges(n)))
                continue
            if n in seen or n not in self.blocked or self.listings(n):
                continue
            seen.add(n)
            stack.append((n, True))
            stack.extend((e.owner, False) for e in reversed(self.blocked_edges(n)))
        return out

    def line(self, node: int, edges: Sequence[_Edge]) -> str:
        counted, _, controlled = self.counted(node)
        name = self.graph.entity(node).name
        parts = []
        for e in edges:
            share = _pct(e.share) if e.share is not None else "share unknown"
            joint = f" [joint: {e.joint}]" if e.joint and not self.test.aggregate else ""
            ctrl = " (control)" if e.control else ""
            parts.append(f"{self.graph.entity(e.owner).name} {share}{joint}{ctrl}")
        joiner = " + " if self.test.aggregate else ", "
        what = "" if self.test.aggregate else "largest holding "
        text = (
            f"{joiner.join(parts)} → {name} = {what}{_pct(counted)} "
            f"{self.test.relation(counted)} {_pct(self.test.threshold)}"
        )
        if controlled and self.test.control_blocks and not self.test.meets(counted):
            text += "; controlled by a blocked owner"
        return text

    def result(self, node: int) -> OwnershipResult:
        entity = self.graph.entity(node)
        listed = self.listings(node)
        counted, total, controlled = self.counted(node)
        holdings = []
        unknown = []
        controllers = []
        for e in sorted(self.graph.owners(node), key=lambda e: self.graph.entity(e.owner).name):
            if e.owner not in self.blocked:
                continue
            owner_name = self.graph.entity(e.owner).name
            holdings.append(
                Holding(
                    owner=owner_name,
                    share=e.share,
                    control=e.control,
                    listed=bool(self.listings(e.owner)),
                    joint_arrangement=e.joint,
                )
            )
            if e.share is None:
                unknown.append(owner_name)
            if e.control:
                controllers.append(owner_name)
        blocked = node in self.blocked
        paths: list[str] = []
        if holdings:
            seen: set[int] = {node}
            for e in self.graph.owners(node):
                if e.owner in self.blocked:
                    paths.extend(self.paths(e.owner, seen))
            paths.append(self.line(node, self.blocked_edges(node)))
            paths = list(dict.fromkeys(paths))
            if len(paths) > MAX_PATH_LINES:
                omitted = len(paths) - MAX_PATH_LINES + 1
                paths = [f"({omitted} earlier steps omitted)", *paths[-MAX_PATH_LINES + 1 :]]
        reach = _reach(self.graph, [node])
        direct = {e.owner for e in self.graph.owners(node)}
        roots = _unique(self.roots(node, set())) if blocked and not listed else ()
        if not blocked:
            roots = _unique(
                r
                for e in self.graph.owners(node)
                if e.owner in self.blocked
                for r in self.roots(e.owner, set())
            )
        return OwnershipResult(
            entity=entity,
            blocked=blocked,
            listed=listed,
            by_control=blocked
            and not listed
            and not self.test.meets(counted)
            and controlled
            and self.test.control_blocks,
            share=counted,
            aggregate_share=total,
            holdings=tuple(holdings),
            unknown=tuple(unknown),
            controllers=tuple(controllers),
            owner_listings=tuple(roots),
            paths=tuple(dict.fromkeys(paths)),
            problem=self.graph.problem(reach),
            indirect=tuple(
                sorted(
                    {
                        self.graph.entity(n).name
                        for n in reach[1:]
                        if n in self.blocked and n not in direct
                    }
                )
            ),
        )


def _unique(matches: Iterable[NameMatch]) -> tuple[NameMatch, ...]:
    out: dict[str, NameMatch] = {}
    for m in matches:
        out.setdefault(m.listing.id, m)
    return tuple(sorted(out.values(), key=lambda m: m.listing.id))


def assess(
    entities: Sequence[Entity],
    rulebook: Rulebook,
    as_of: Moment,
    test: OwnershipTest,
    *,
    match: Callable[[Entity], tuple[NameMatch, ...]] | None = None,
) -> tuple[OwnershipResult, ...]:
    """Apply ``test`` to each of ``entities`` through their owners, as of ``as_of``.

    Args:
        entities: The entities to assess (usually the transaction's parties), with any
            owners they state.
        rulebook: Supplies listings (matched by name, in force at ``as_of``) and known
            ownership edges.
        as_of: The moment (date or aware datetime) at which listings must be in force.
        test: The regime's arithmetic.
        match: Matches an entity's names at ``as_of``; ``None`` uses
            :meth:`~tradecontrol.Rulebook.match_entity` (an evaluation passes its
            :meth:`~tradecontrol.context.EvaluationContext.match`, which remembers answers).

    Returns:
        One :class:`OwnershipResult` per entity, in order. Cost grows with the part of
        the graph reachable upwards from ``entities``. Malformed input is rejected earlier,
        when the entities and the rulebook are built; inconsistent statements (shares above
        100% across transaction and rulebook) are reported in ``OwnershipResult.problem``.
    """
    graph = _Graph(rulebook.ownership_index, as_of)
    starts = [graph.add_owners(e) for e in entities]
    run = _Assessment(graph, rulebook, as_of, test, match)
    run.run(starts)
    return tuple(run.result(n) for n in starts)
