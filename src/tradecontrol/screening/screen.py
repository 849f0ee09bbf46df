"""Screening an entity against a rulebook's listings: :func:`screen`.

Every listing whose entity shares a blocking key with the query is scored
(:mod:`~tradecontrol.screening.scoring`); a score at or above the match threshold is a
``"match"``, one at or above the review threshold a ``"review"`` candidate. A name equal to
a listed name or alias after normalisation (:func:`~tradecontrol.screening.normalize_name`)
is always a match with score 1.0, exactly as before fuzzy screening. Listings out of force
at ``as_of`` never match. Allow-list entries in force suppress a match of the party they
identify against their listing; a suppressed match is returned, marked, never dropped.

:func:`tradecontrol.evaluate` reads the same matches through
:meth:`tradecontrol.Rulebook.match_entity`, so ``screen`` and ``evaluate`` agree.

Example:
    >>> import datetime
    >>> from tradecontrol import Entity, Rulebook, screen
    >>> best = screen(Entity(name="HUAWEI TECHNOLOGIES CO LIMITED"), Rulebook.default(),
    ...               as_of=datetime.date(2019, 6, 1))[0]
    >>> best.status, best.score, best.matched_name
    ('match', 1.0, 'Huawei Technologies Co., Ltd. (Huawei)')
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import attrs

from tradecontrol._time import Moment
from tradecontrol.entities import Entity
from tradecontrol.errors import InvalidInputError
from tradecontrol.listings import Listing
from tradecontrol.rulebook import Rulebook
from tradecontrol.screening import scoring
from tradecontrol.screening.allowlist import AllowEntry
from tradecontrol.screening.normalize import name_keys, normalize_name
from tradecontrol.screening.scoring import Comparison, Feature
from tradecontrol.screening.thresholds import Status, Thresholds

__all__ = ["Match", "Status", "Thresholds", "candidates", "screen"]


@attrs.frozen(kw_only=True, slots=True)
class Match:
    """A listing that an entity matches (or may match), with why.

    Args:
        listing: The listing.
        score: 0–1; 1.0 for a name equal to a listed name after normalisation.
        status: ``"match"`` (at or above the match threshold) or ``"review"``.
        matched_name: The listed name or alias that gave the score, as listed.
        query_name: The entity's name or alias that gave the score, as given.
        explanation: The comparison: normalised forms and the features that raised or
            lowered the score.
        suppressed_by: The allow-list entry that suppresses this match, if any: the match
            is kept and shown, but does not restrict.

    Example:
        >>> import datetime
        >>> from tradecontrol import Entity, Rulebook, screen
        >>> m = screen(Entity(name="Huawei Technologies Co., Ltd."), Rulebook.default(),
        ...            as_of=datetime.date(2019, 6, 1))[0]
        >>> m.suppressed, m.explanation.query_form
        (False, 'huawei technologies co ltd')
    """

    listing: Listing
    score: float
    status: Status
    matched_name: str
    query_name: str
    explanation: Comparison
    suppressed_by: AllowEntry | None = None

    @property
    def suppressed(self) -> bool:
        """True when an allow-list entry suppresses this match."""
        return self.suppressed_by is not None

    def to_dict(self) -> dict[str, Any]:
        """A JSON object: listing id, list, authority, listed name, score, status, why."""
        out: dict[str, Any] = {
            "listing_id": self.listing.id,
            "list_code": self.listing.list_code,
            "authority": self.listing.authority,
            "listed_name": self.listing.entity.name,
            "matched_name": self.matched_name,
            "query_name": self.query_name,
            "score": round(self.score, 4),
            "status": self.status,
            "suppressed": self.suppressed,
            "explanation": {
                "query_form": self.explanation.query_form,
                "listed_form": self.explanation.listed_form,
                "features": [
                    {"name": f.name, "effect": round(f.effect, 4), "detail": f.detail}
                    for f in self.explanation.features
                ],
            },
        }
        if self.suppressed_by is not None:
            out["suppressed_by"] = {
                "id": self.suppressed_by.id,
                "reason": self.suppressed_by.reason,
            }
        return out


_DEFAULT = Thresholds()
"""The thresholds of a rulebook that sets none (one frozen value, not one per call)."""


class _Key:
    """A memo key whose hash is worked out once (an entity's hash walks all its fields)."""

    __slots__ = ("hash", "key")

    def __init__(self, key: tuple[Any, ...]) -> None:
        self.key = key
        self.hash = hash(key)  # TypeError for an unhashable field value

    def __hash__(self) -> int:
        return self.hash

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Key) and self.hash == other.hash and self.key == other.key


def _moment(value: Any, rulebook: Rulebook) -> Moment:
    if value is None:
        return rulebook.snapshot
    if not isinstance(value, date) or (isinstance(value, datetime) and value.utcoffset() is None):
        raise InvalidInputError("must be a date or an aware datetime", path="as_of")
    return value


def _check(entity: Any, rulebook: Any, thresholds: Any) -> Thresholds:
    if not isinstance(entity, Entity):
        raise InvalidInputError(
            f"expected an Entity, got {type(entity).__name__}; build one with Entity.from_dict()",
            path="entity",
        )
    if not isinstance(rulebook, Rulebook):
        raise InvalidInputError(
            f"expected a Rulebook, got {type(rulebook).__name__}; use Rulebook.default()",
            path="rulebook",
        )
    if thresholds is None:
        return rulebook.thresholds or _DEFAULT
    if not isinstance(thresholds, Thresholds):
        raise InvalidInputError(
            f"expected Thresholds, got {type(thresholds).__name__}", path="thresholds"
        )
    return thresholds


def _query_name(entity: Entity, form: str) -> str:
    return next((n for n in entity.names if normalize_name(n) == form), entity.name)


def _exact(entity: Entity, rulebook: Rulebook) -> dict[int, Match]:
    """Listings with a name equal to one of the entity's after normalisation (score 1.0)."""
    out: dict[int, Match] = {}
    for name in entity.names:
        for key in dict.fromkeys((normalize_name(name), *name_keys(name))):
            for pos, listed in rulebook.exact_name_hits(key):
                if pos in out:
                    continue
                out[pos] = Match(
                    listing=rulebook.listings[pos],
                    score=1.0,
                    status="match",
                    matched_name=listed,
                    query_name=name,
                    explanation=Comparison(
                        score=1.0,
                        matched_name=listed,
                        query_form=normalize_name(name),
                        listed_form=key,
                        features=(
                            Feature(
                                name="exact_normalised",
                                effect=0.0,
                                detail="the names are equal after normalisation",
                            ),
                        ),
                    ),
                )
    return out


def _scored(
    entity: Entity, rulebook: Rulebook, thresholds: Thresholds, *, full_scan: bool
) -> list[Match]:
    if full_scan:
        return list(_score_all(entity, rulebook, thresholds, full_scan=True))
    try:
        key = _Key(("scored", entity, thresholds))
    except TypeError:  # pragma: no cover - an unhashable field value
        return list(_score_all(entity, rulebook, thresholds, full_scan=False))
    return list(
        rulebook._screening_memo(
            key, lambda: _score_all(entity, rulebook, thresholds, full_scan=False)
        )
    )


def _score_all(
    entity: Entity, rulebook: Rulebook, thresholds: Thresholds, *, full_scan: bool
) -> tuple[Match, ...]:
    found = _exact(entity, rulebook)
    exact = set(found)
    if not thresholds.fuzzy:  # exact-normalised mode: no index, no scoring
        return tuple(found[pos] for pos in sorted(found))
    index = rulebook.candidate_index
    query = scoring.prepare(entity)
    # the keys each candidate is filed under (a full scan compares the others too)
    shared = index.shared_keys(query)
    positions = range(len(index.prepared)) if full_scan else sorted(shared)
    prepared, same = index.prepared, index.same
    review = thresholds.review
    # one comparison per distinct listed entity (the same entity on several lists compares
    # the same: ``scoring.comparison_key``); the Match is still one per listing
    compared: dict[int, scoring.Comparison | None] = {}
    for pos in positions:
        if pos in found:
            continue
        first = same[pos]
        if first in compared:
            comparison = compared[first]
        else:
            comparison = compared[first] = scoring.compare_at_least(
                query, prepared[pos], review, shared=shared.get(pos, [])
            )
        if comparison is None:
            continue
        status = thresholds.status(comparison.score)
        if status is None:
            continue
        found[pos] = Match(
            listing=rulebook.listings[pos],
            score=comparison.score,
            status=status,
            matched_name=comparison.matched_name,
            query_name=_query_name(entity, comparison.query_form),
            explanation=comparison,
        )
    # best first; at equal scores, names equal after normalisation before scored ones
    return tuple(
        found[pos] for pos in sorted(found, key=lambda p: (-found[p].score, p not in exact, p))
    )


def _suppress(matches: list[Match], entity: Entity, rulebook: Rulebook, moment: Moment) -> None:
    if not rulebook.allow_list:
        return
    for i, match in enumerate(matches):
        entry = next(
            (
                e
                for e in rulebook.allow_list
                if e.listing_id == match.listing.id and e.covers(entity, moment)
            ),
            None,
        )
        if entry is not None:
            matches[i] = attrs.evolve(match, suppressed_by=entry)


def candidates(
    entity: Entity,
    rulebook: Rulebook,
    *,
    as_of: Moment | None = None,
    thresholds: Thresholds | None = None,
    full_scan: bool = False,
) -> tuple[Match, ...]:
    """Every listing the entity matches or may match, *whatever the listing's window*.

    This is the seam the rules read through :meth:`~tradecontrol.Rulebook.match_entity`
    (they check the listing's window themselves, e.g. to warn of a listing published just
    after ``as_of``). :func:`screen` is the same, restricted to listings in force.

    Args:
        entity: The party to screen.
        rulebook: Supplies the listings, the index, the thresholds and the allow-list.
        as_of: When given, allow-list entries in force at this moment suppress their
            matches; when ``None`` nothing is suppressed.
        thresholds: Overrides ``rulebook.thresholds``.
        full_scan: Score every listing instead of the index's candidates (for tests and
            benchmarks; the result is the same).

    Returns:
        Matches, best first (score descending, then rulebook order).

    Raises:
        InvalidInputError: An argument of the wrong type; ``as_of`` not a date or aware
            datetime.

    Example:
        >>> from tradecontrol import Entity, Rulebook
        >>> len(candidates(Entity(name="Huawei Technologies Co., Ltd."), Rulebook.default())) > 0
        True
    """
    limits = _check(entity, rulebook, thresholds)
    matches = _scored(entity, rulebook, limits, full_scan=full_scan)
    if as_of is not None:
        _suppress(matches, entity, rulebook, _moment(as_of, rulebook))
    return tuple(matches)


def screen(
    entity: Entity,
    rulebook: Rulebook,
    *,
    as_of: Moment | None = None,
    thresholds: Thresholds | None = None,
) -> tuple[Match, ...]:
    """Screen an entity against the rulebook's listings in force at ``as_of``.

    Args:
        entity: The party: name, aliases, kind, country, identifiers, birth date… (the
            more it says, the better the score discriminates).
        rulebook: The listings (e.g. ``Rulebook.default().with_listings(lists.load(…)
            .listings)``), with their thresholds and allow-list.
        as_of: Date or aware datetime; listings out of force at that moment never match.
            Defaults to the rulebook's snapshot date.
        thresholds: Score thresholds for this call; default ``rulebook.thresholds``, or
            :class:`Thresholds` ``()`` when the rulebook sets none.

    Returns:
        Matches (status ``"match"`` or ``"review"``), best first; suppressed matches are
        included and marked (``Match.suppressed_by``).

    Raises:
        InvalidInputError: An argument of the wrong type; ``as_of`` not a date or aware
            datetime.

    Example:
        >>> import datetime
        >>> from tradecontrol import Entity, Rulebook
        >>> rb = Rulebook.default()
        >>> q = Entity(name="Huawei Technologies Co., Ltd.")
        >>> def lists(when):
        ...     return {m.listing.list_code for m in screen(q, rb, as_of=when)}
        >>> "EL" in lists(datetime.date(2019, 5, 10)), "EL" in lists(datetime.date(2019, 6, 1))
        (False, True)
    """
    limits = _check(entity, rulebook, thresholds)
    moment = _moment(as_of, rulebook)
    matches = [
        m
        for m in _scored(entity, rulebook, limits, full_scan=False)
        if m.listing.version_at(moment) is not None
    ]
    _suppress(matches, entity, rulebook, moment)
    return tuple(matches)
