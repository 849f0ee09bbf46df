"""Name scoring (temporary stand-in; the screening-score branch owns this module).

This minimal version follows the agreed interface so that :func:`tradecontrol.screen`, the
candidate index and the allow-list can be built and tested: names are compared with
rapidfuzz's ``token_sort_ratio`` on their :func:`~tradecontrol.screening.normalize_name`
forms, and the blocking keys are the normalised tokens that are not legal forms or very
common words (all tokens when a name has no other). Two names
that share no key score 0 (which keeps the key contract trivially). Without rapidfuzz,
names score 1.0 when their normalised forms are equal and 0.0 otherwise.

Example:
    >>> from tradecontrol import Entity
    >>> q = prepare(Entity(name="ACME TRADING CO LTD"))
    >>> compare(q, prepare(Entity(name="Acme Trading Company Limited"))).score
    1.0
"""

from __future__ import annotations

import importlib.util
from functools import cache

import attrs

from tradecontrol.data import read_json
from tradecontrol.entities import Entity, EntityKind
from tradecontrol.screening.normalize import normalize_name

AVAILABLE: bool = importlib.util.find_spec("rapidfuzz") is not None
"""True when the extra ``tradecontrol[screening]`` (rapidfuzz) is importable."""
if AVAILABLE:
    from rapidfuzz import fuzz

__all__ = [
    "AVAILABLE",
    "CANDIDATE_FLOOR",
    "DEFAULT_MATCH",
    "DEFAULT_REVIEW",
    "Comparison",
    "Feature",
    "Prepared",
    "compare",
    "prepare",
]

DEFAULT_MATCH = 0.92
"""Default match threshold (0–1)."""
DEFAULT_REVIEW = 0.8
"""Default review threshold (0–1, below :data:`DEFAULT_MATCH`)."""
CANDIDATE_FLOOR = 0.5
"""Lowest allowed review threshold; a pair scoring at least this shares a blocking key."""


@attrs.frozen(kw_only=True, slots=True)
class Feature:
    """One reason the score went up or down.

    Example:
        >>> from tradecontrol.screening.scoring import Feature
        >>> Feature(name="number_mismatch", effect=-0.5, detail="7 ≠ 8").effect
        -0.5
    """

    name: str
    effect: float
    detail: str


@cache
def _legal_forms() -> frozenset[str]:
    forms: dict[str, str] = read_json("legal_forms.json")["forms"]
    return frozenset(tok for val in forms.values() for tok in val.split())


_COMMON = frozenset(
    [
        "al",
        "el",
        "de",
        "la",
        "le",
        "du",
        "da",
        "di",
        "and",
        "of",
        "the",
        "s",
        "abu",
        "bin",
        "ibn",
        "group",
        "trading",
        "international",
        "ooo",
        "obshchestvo",
        "otvetstvennostyu",
        "ogranichennoi",
        "aktsionernoe",
        "obshchestvom",
        "cv",
    ]
)


@attrs.frozen(kw_only=True, slots=True)
class Prepared:
    """An entity pre-normalised for comparison.

    Example:
        >>> sorted(prepare(Entity(name="Acme Trading Co., Ltd.")).keys)
        ['acme']
    """

    entity: Entity
    keys: frozenset[str]
    forms: tuple[tuple[str, str], ...]  # (name as written, normalised form)


@attrs.frozen(kw_only=True, slots=True)
class Comparison:
    """The score of a query against a listed entity and why.

    Example:
        >>> from tradecontrol import Entity
        >>> from tradecontrol.screening.scoring import compare, prepare
        >>> c = compare(prepare(Entity(name="X")), prepare(Entity(name="Y")))
        >>> c.score
        0.0
    """

    score: float
    matched_name: str
    query_form: str
    listed_form: str
    features: tuple[Feature, ...] = ()


def prepare(entity: Entity) -> Prepared:
    """Normalise an entity's names (strong names only) and compute its blocking keys.

    Example:
        >>> prepare(Entity(name="JSC Argument")).forms
        (('JSC Argument', 'jsc argument'),)
    """
    forms = tuple((name, normalize_name(name)) for name in entity.names)
    legal = _legal_forms()
    keys: set[str] = set()
    for _, form in forms:
        tokens = [tok for tok in form.split() if tok not in legal]
        rare = [tok for tok in tokens if tok not in _COMMON]
        keys.update(rare or tokens)
    return Prepared(entity=entity, keys=frozenset(keys), forms=forms)


_COMPATIBLE = {
    EntityKind.PERSON: {EntityKind.PERSON, EntityKind.UNKNOWN},
    EntityKind.ORGANIZATION: {EntityKind.ORGANIZATION, EntityKind.UNKNOWN},
    EntityKind.VESSEL: {EntityKind.VESSEL, EntityKind.UNKNOWN},
    EntityKind.AIRCRAFT: {EntityKind.AIRCRAFT, EntityKind.UNKNOWN},
}


def compare(query: Prepared, listed: Prepared) -> Comparison:
    """Score ``query`` against ``listed``: the best pair of their names, 0–1.

    Example:
        >>> compare(prepare(Entity(name="LUKOIL OIL COMP")),
        ...         prepare(Entity(name="LUKOIL OIL COMPANY"))).score > 0.9
        True
    """
    best = Comparison(
        score=0.0,
        matched_name=listed.forms[0][0],
        query_form=query.forms[0][1],
        listed_form=listed.forms[0][1],
    )
    kind_q, kind_l = query.entity.kind, listed.entity.kind
    if kind_q in _COMPATIBLE and kind_l not in _COMPATIBLE[kind_q]:
        return attrs.evolve(
            best,
            features=(
                Feature(
                    name="kind_mismatch",
                    effect=-1.0,
                    detail=f"a {kind_q.value} is not a {kind_l.value}",
                ),
            ),
        )
    if not query.keys & listed.keys:
        return best
    for _, q_form in query.forms:
        for written, l_form in listed.forms:
            if AVAILABLE:
                score = fuzz.token_sort_ratio(q_form, l_form) / 100.0
            else:  # pragma: no cover
                score = 1.0 if q_form == l_form else 0.0
            if score > best.score:
                best = Comparison(
                    score=score, matched_name=written, query_form=q_form, listed_form=l_form
                )
    return best
