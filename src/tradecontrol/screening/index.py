"""The candidate index: blocking keys → listings (internal).

A :class:`CandidateIndex` holds the :class:`~tradecontrol.screening.scoring.Prepared` form
of every listing and an inverted index from each blocking key to the listings carrying it.
A query is compared only with the listings filed under one of the keys it looks up
(``probes``); by the key contract of :mod:`~tradecontrol.screening.scoring` (a pair scoring
at least ``CANDIDATE_FLOOR`` meets through a key) this gives exactly the result of
comparing every listing.

The rulebook builds its index once, on first use (:class:`LazyIndex`); the index is not
pickled with the rulebook but rebuilt by the process that unpickles it.

Example:
    >>> from tradecontrol import Entity, Listing, ListingVersion, Window
    >>> listing = Listing(id="x-1", list_code="INTERNAL", authority="ACME",
    ...                   entity=Entity(name="Orion Star Shipping"),
    ...                   versions=[ListingVersion(window=Window(start="2020-01-01"))])
    >>> index = CandidateIndex.build((listing,))
    >>> index.candidates(prepare(Entity(name="ORION STAR")))
    (0,)
    >>> index.candidates(prepare(Entity(name="Polaris")))
    ()
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from typing import Any, TypeVar, cast

import attrs

from tradecontrol.listings import Listing
from tradecontrol.screening.scoring import Prepared, comparison_key, prepare

__all__ = ["CandidateIndex", "LazyIndex"]

T = TypeVar("T")

_MISSING: Any = object()  # a value no computation returns

MEMO_SIZE = 64
"""Screening results a rulebook remembers (the rules of one ``evaluate`` call screen each
party several times: the listing rules and ``screening.review``)."""


@attrs.frozen(kw_only=True, slots=True)
class CandidateIndex:
    """Prepared listings and the inverted index of their blocking keys.

    Args:
        prepared: ``prepare(listing.entity)`` for each listing, in rulebook order.
        postings: Blocking key → positions (ascending) of the listings carrying it.
        same: Position → the first position whose prepared entity compares the same
            with any query (:func:`~tradecontrol.screening.scoring.comparison_key`): the
            same person or company listed on several lists (the CSL repeats the SDN
            list) is compared once per query.
    """

    prepared: tuple[Prepared, ...]
    postings: dict[str, tuple[int, ...]]
    same: tuple[int, ...]

    @classmethod
    def build(cls, listings: tuple[Listing, ...]) -> CandidateIndex:
        """Prepare every listing and index it under each of its keys."""
        prepared = tuple(prepare(listing.entity) for listing in listings)
        postings: dict[str, list[int]] = {}
        first: dict[Hashable, int] = {}
        same: list[int] = []
        for pos, item in enumerate(prepared):
            for key in item.keys:
                postings.setdefault(key, []).append(pos)
            same.append(first.setdefault(comparison_key(item), pos))
        return cls(
            prepared=prepared,
            postings={k: tuple(p) for k, p in postings.items()},
            same=tuple(same),
        )

    def candidates(self, query: Prepared) -> tuple[int, ...]:
        """Positions of the listings filed under one of ``query.probes``, ascending."""
        postings = self.postings
        # one union in C over the posting lists of the probes that are keys of the index
        found: set[int] = set().union(*[postings[key] for key in postings.keys() & query.probes])
        return tuple(sorted(found))

    def shared_keys(self, query: Prepared) -> dict[int, list[str]]:
        """Position of each listing filed under one of ``query.probes`` → those keys.

        The same listings as :meth:`candidates` (positions in the order first found);
        screening passes each listing's keys to
        :func:`~tradecontrol.screening.scoring.compare_at_least`, which then tests each
        listed name against those few keys instead of all the query's probes.

        Args:
            query: A prepared query.

        Returns:
            Position → the keys of ``query.probes`` that listing is filed under.

        Example:
            >>> from tradecontrol import Entity, Listing, ListingVersion, Window
            >>> from tradecontrol.screening.index import CandidateIndex
            >>> from tradecontrol.screening.scoring import prepare
            >>> listing = Listing(id="x-1", list_code="INTERNAL", authority="ACME",
            ...                   entity=Entity(name="Orion Star Shipping"),
            ...                   versions=[ListingVersion(window=Window(start="2020-01-01"))])
            >>> index = CandidateIndex.build((listing,))
            >>> shared = index.shared_keys(prepare(Entity(name="ORION STAR")))
            >>> list(shared), set(shared[0]) <= index.prepared[0].keys
            ([0], True)
        """
        found: dict[int, list[str]] = {}
        get = found.get
        for key in query.probes:
            for pos in self.postings.get(key, ()):
                keys = get(pos)
                if keys is None:
                    found[pos] = [key]
                else:
                    keys.append(key)
        return found

    def stats(self) -> dict[str, int]:
        """Sizes: listings, distinct keys, total postings and the longest posting list."""
        sizes = [len(p) for p in self.postings.values()]
        return {
            "listings": len(self.prepared),
            "keys": len(sizes),
            "postings": sum(sizes),
            "largest": max(sizes, default=0),
        }


class LazyIndex:
    """Builds a :class:`CandidateIndex` once, on first use, under a lock.

    Pickling keeps only the recipe, not the built index (the unpickling process builds its
    own on first use), so a rulebook sent to a process pool stays small. It also remembers
    the last :data:`MEMO_SIZE` screening results (:meth:`remember`), which are not pickled
    either.
    """

    __slots__ = ("_build", "_index", "_lock", "_memo")

    def __init__(self, build: Callable[[], CandidateIndex]) -> None:
        self._build = build
        self._index: CandidateIndex | None = None
        self._lock = threading.Lock()
        self._memo: dict[Hashable, Any] = {}

    def remember(self, key: Hashable, compute: Callable[[], T]) -> T:
        """``compute()``, or its remembered result for ``key`` (an immutable value)."""
        with self._lock:
            found = self._memo.get(key, _MISSING)  # one look-up (the key's hash is worked out)
        if found is not _MISSING:
            return cast(T, found)
        value = compute()
        with self._lock:
            if len(self._memo) >= MEMO_SIZE:
                del self._memo[next(iter(self._memo))]
            self._memo[key] = value
        return value

    def get(self) -> CandidateIndex:
        """The index, building it on the first call (at most once per process)."""
        index = self._index
        if index is None:
            with self._lock:
                index = self._index
                if index is None:
                    index = self._build()
                    self._index = index
        return index

    @property
    def built(self) -> bool:
        """True once the index has been built."""
        return self._index is not None

    def __getstate__(self) -> dict[str, Any]:
        return {"build": self._build}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self._build = state["build"]
        self._index = None
        self._lock = threading.Lock()
        self._memo = {}
