"""Fuzzy name scoring: how closely a query entity resembles a listed one, and why.

:func:`prepare` turns an :class:`~tradecontrol.entities.Entity` into a ``Prepared``
(folded names, token weights, legal forms, numbers, dates of birth, countries, identifiers
and the blocking ``keys`` of the candidate index), once per listing. :func:`compare` scores
two prepared entities from 0 to 1 and says which :class:`Feature` raised or lowered the
score. With the optional extra ``tradecontrol[screening]`` (rapidfuzz, anyascii) the score
is fuzzy; without it (:data:`AVAILABLE` false) it is exact-normalised: 1.0 when two names
fold to the same key (:func:`tradecontrol.screening.normalize_name`), else 0.0.

Key contract (what makes the candidate index exact): when ``compare(q, l).score >=``
``CANDIDATE_FLOOR``, ``q.probes & l.keys`` is non-empty (the keys a name looks up are its
own keys, and for organisations the ``M:``/``S:`` keys that let a one-word name meet a
several-word name). A name pair that does not meet through a key is never scored, and an
identifier match is itself a key.

Example:
    >>> from tradecontrol import Entity
    >>> q = prepare(Entity(name="ACME TRADING CO LTD"))
    >>> listed = prepare(Entity(name="Acme Trading Company Limited", kind="organization"))
    >>> c = compare(q, listed)
    >>> round(c.score, 2), c.matched_name
    (1.0, 'Acme Trading Company Limited')
    >>> [f.name for f in c.features]
    ['name_similarity', 'legal_form_equivalent']
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Collection
from collections.abc import Set as AbstractSet
from functools import cache, lru_cache
from typing import Any, NamedTuple, TypeVar

import attrs

from tradecontrol.data import read_json
from tradecontrol.entities import Entity, EntityKind
from tradecontrol.jurisdictions import country_code
from tradecontrol.screening._text import HAVE_ANYASCII, fold_tokens, join_initials
from tradecontrol.screening.normalize import name_keys

try:
    from rapidfuzz.distance import Indel as _Indel
    from rapidfuzz.distance import Levenshtein as _Levenshtein
    from rapidfuzz.process import extractOne as _extract_one

    AVAILABLE: bool = HAVE_ANYASCII
    """True when the extra ``tradecontrol[screening]`` (rapidfuzz, anyascii) is importable."""
except ImportError:  # pragma: no cover - exercised when the extra is absent
    AVAILABLE = False

__all__ = [
    "AVAILABLE",
    "CANDIDATE_FLOOR",
    "DEFAULT_MATCH",
    "DEFAULT_REVIEW",
    "Comparison",
    "Feature",
    "Prepared",
    "compare",
    "compare_at_least",
    "prepare",
]

DEFAULT_MATCH: float = 0.85
"""Default match threshold (score 0–1): at or above it a candidate is a ``match``."""

DEFAULT_REVIEW: float = 0.70
"""Default review threshold (score 0–1): from it up to the match threshold, ``review``."""

CANDIDATE_FLOOR: float = 0.50
"""Lowest allowed review threshold; a score at or above it implies a shared index key."""

WEAK_ALIAS_CAP: float = 0.80
"""Highest score a weak alias alone can give (below ``DEFAULT_MATCH``)."""

_PERSON, _ORG = 0, 1
# token types
_WORD, _GENERIC, _LEGAL, _NUMBER = 0, 1, 2, 3
_PAIR_MIN = 0.62  # lowest token similarity that pairs two tokens
_WEAK_PAIR = 0.8  # a pair less similar than this counts as its square (near miss, no evidence)
_CONTRA_COST = 1.5  # a person's name part contradicted by one on the other side costs more
_MAX_MISS = 3  # unpaired tokens beyond which missing names are no longer cheap
_KNOWN_DIFF = 0.05  # what a near miss of two different common names loses (Jason, Juan)
_COMMON_AGREE = 3  # agreeing common name parts that make extra parts cheap without a rare one
_NICK_SIM = 0.9  # a nickname and the given name it stands for (Ted, Theodore): agreeing
_SKELETON_SIM = 0.9  # least similarity of two tokens with the same consonant skeleton
_AGREE = 0.9  # two names agreeing at least this much make extra names cheap (persons)
_STRONG_PAIR = 0.8  # a distinctive token pair at least this similar is identity evidence
_INITIAL_SIM = 0.85  # a person's initial against a name starting with that letter
_MIDDLE_COST = 0.15  # share of its weight an unpaired person-name token costs
_FORM_COST = 0.05  # legal forms of different classes (a reorganised company keeps its name)
_ORG_EXTRA_COST = 1.5  # an unpaired word of an organisation name costs more than its weight
_WORD_OR_NUMBER = (0, 3)
# kinds never compared as persons: a person is an incompatible kind for each of them
_NOT_PERSON = frozenset({EntityKind.ORGANIZATION, EntityKind.VESSEL, EntityKind.AIRCRAFT})
_NONE: frozenset[str] = frozenset()
# weights in tenths of a letter, so that every weight is a whole number and weight sums
# are exact in any order (a word weighs 10 per letter, from 2 to 10 letters)
_GENERIC_WEIGHT = 15.0
_STOP_WEIGHT = 3.0
_FUZZY_FORM_MIN = 8  # tokens this long may be a misspelt legal form
_FUZZY_FORM_SIM = 0.9
_CUT_MIN = 4  # letters of a name's last token that may be a word cut at a field length
_NEAR_SKELETON = 5  # consonants of a skeleton that also gets its one-consonant deletions
_NUMBER_WEIGHT = 30.0
_INITIAL_LEN = 1  # letters of the second token in a pair key
_SKELETON_MIN = 4  # tokens this long also get their consonant skeleton as a key
_DELETION_MIN = 5  # tokens this long also get their one-letter deletions as keys
_VOWELS = re.compile(r"[aeiouy]")
_DOUBLES = re.compile(r"(.)\1+")


@attrs.frozen(kw_only=True, slots=True)
class Feature:
    """One reason the score went up or down.

    Args:
        name: Machine name: ``name_similarity``, ``legal_form_equivalent``,
            ``legal_form_mismatch``, ``joined_tokens``, ``number_mismatch``,
            ``no_distinctive_match``, ``kind_mismatch``, ``weak_alias``,
            ``identifier_match``, ``identifier_mismatch``, ``birth_date_match``,
            ``birth_date_mismatch``, ``country_match``, ``country_mismatch``,
            ``exact_normalised``, ``characters_differ``.
        effect: Signed contribution to the score (the effects add up to the score).
        detail: A sentence for a human reviewer.

    Example:
        >>> from tradecontrol.screening.scoring import Feature
        >>> Feature(name="number_mismatch", effect=-0.4, detail="numbers differ: 7 vs 8").effect
        -0.4
    """

    name: str
    effect: float
    detail: str


class _Token(NamedTuple):
    text: str
    type: int
    weight: float
    skeleton: str = ""  # consonant skeleton of words of _SKELETON_MIN letters or more


K = TypeVar("K")
V = TypeVar("V")


class _Memo(dict[K, V]):
    """A cache of results that follow from the view it belongs to.

    It takes no part in equality or hashing, so views and prepared entities compare and
    hash by what they are, whatever a query has remembered.
    """

    __slots__ = ()

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Memo)

    def __ne__(self, other: object) -> bool:
        return not isinstance(other, _Memo)

    def __hash__(self) -> int:  # type: ignore[override]
        return 0


class _View(NamedTuple):
    """One name analysed for one kind of comparison (person or organisation)."""

    tokens: tuple[_Token, ...]
    legal: frozenset[str]
    numbers: frozenset[str]
    joined: str  # every token, no spaces
    form: str  # the normalised form shown to users
    distinctive: bool  # has a word or number token
    scored: tuple[_Token, ...]  # the tokens that are not legal forms
    texts: tuple[str, ...]  # their texts
    plain: tuple[bool, ...]  # True for a word or generic word of two letters or more
    # per scored token, precomputed once so that ``_align`` reads tuples, not tokens
    skeletons: tuple[str, ...]  # consonant skeletons ("" for none)
    weights: tuple[float, ...]
    words: tuple[bool, ...]  # True for a word token
    distinct: tuple[bool, ...]  # True for a word or number token
    long: tuple[bool, ...]  # True for a token of two characters or more
    common: tuple[bool, ...]  # True for a common name part (persons; every syllable of a Han name)
    # persons whose name has a nasab particle (bin, bint): 1 for the person's own name
    # before it, 2 for the father's and forefathers' names after it; else 0
    lineage: tuple[int, ...]
    nick: tuple[frozenset[str], ...]  # persons: the names a given name is a nickname of, or has
    # ``(index, text)`` of the tokens a listed token of lineage 0, 1, 2 may pair with
    by_lineage: tuple[tuple[tuple[int, str], ...], ...]
    total: float  # sum of ``weights``
    integral: bool  # every weight a whole number, so weight sums are exact in any order
    joined_key: str  # ``"j:" + joined``
    # ``"j:"`` + the scored tokens written together (the name without its legal forms), for
    # an organisation view with a legal form and a word that is not generic; else
    # ``joined_key``
    bare_key: str
    profiles: tuple[str, ...]  # per scored token: text, word and common flags (memo key)
    memo: _Memo[str, tuple[tuple[float, int], ...]]  # pair columns against this view (query)
    # alignments against listed names, by their tokens' profiles (which decide every
    # per-token column an alignment reads: the same name listed more than once, or written
    # with other punctuation, is aligned once)
    aligned: _Memo[tuple[str, ...], tuple[float, bool]]


class _Name(NamedTuple):
    original: str
    # the views a comparison of the entity's kind can read (:func:`_views`): ``None`` for the
    # organisation view of a person and the person view of an organisation, vessel or
    # aircraft (those pairs of kinds are compared as persons only with a person, which is
    # an incompatible kind: :func:`_person_form` gives the form a kind mismatch shows)
    person: _View | None
    org: _View | None
    keys: frozenset[str]  # the keys the name is filed under
    probes: frozenset[str]  # the keys it looks up (the same object when they are the same)
    exact: tuple[str, ...]  # exact-normalised keys (fallback)
    syllabic: str  # sorted characters of a name written only in Han, kana or Hangul, else ""
    # its ``j:`` keys (each filed and looked up): the whole name written together ("" when
    # shorter than four letters), then the name without its legal forms written together
    # (also of the name before a parenthesised short name), where those differ
    joined: tuple[str, ...]


class _Birth(NamedTuple):
    low: int
    high: int
    month: int | None
    day: int | None


@attrs.frozen(kw_only=True, slots=True)
class Prepared:
    """An entity pre-normalised for fast comparison; picklable; built once per listing.

    Args:
        entity: The entity.
        keys: Blocking keys for the candidate index: ``P:`` a typo-tolerant key of one
            distinctive token with the initial of another (names of several tokens),
            ``S:`` typo-tolerant keys of the only distinctive token (and ``S:d:`` its
            consonant skeleton less one consonant), ``j:`` the name written
            without spaces (and, for an organisation name with a legal form, without its
            legal forms: ``j:huaweitechnologies`` for ``Huawei Technologies Co., Ltd.``),
            ``x:`` the exact-normalised name, ``i:`` identifiers; and
            for an organisation, ``M:`` typo-tolerant keys of each token of a name of
            several that outweighs the others (a one-token name looks them up).
        kind: The entity's kind; ``organization`` when unknown but a name carries a legal
            form.
        names: The name and strong aliases, analysed.
        weak: The weak aliases, analysed.
        identifiers: ``(scheme, value)`` pairs, values upper-case alphanumeric.
        births: Dates of birth as year ranges with month and day where known.
        countries: ISO 3166-1 alpha-2 codes of country, nationalities and addresses.

    Example:
        >>> from tradecontrol import Entity
        >>> from tradecontrol.screening.scoring import prepare
        >>> p = prepare(Entity(name="JSC ARGUMENT"))
        >>> sorted(k for k in p.keys if not k.startswith(("S:t:", "S:d:")))
        ['S:s:argmnt', 'j:argument', 'j:jscargument', 'x:jsc argument']
        >>> sorted(k for k in p.keys if k.startswith("S:d:"))[:2]  # near misses
        ['S:d:agmnt', 'S:d:argmn']
    """

    entity: Entity
    keys: frozenset[str]
    kind: EntityKind
    names: tuple[_Name, ...]
    weak: tuple[_Name, ...]
    identifiers: frozenset[tuple[str, str]]
    births: tuple[_Birth, ...]
    countries: frozenset[str]

    @property
    def probes(self) -> frozenset[str]:
        """The keys the entity looks up in the index (computed on use, not stored).

        Its own keys, except ``M:``, the near-miss deletions ``S:d:`` and the nickname
        initials a person's given name is also filed under; for a name's only distinctive
        token, its skeleton's deletions as ``S:s:`` and its skeleton as ``S:d:``; for an
        organisation, the ``M:`` keys of a one-token name and the ``S:`` keys of each
        outweighing token of a name of several. The key
        contract reads ``query.probes & listed.keys``.
        """
        own = self.names + self.weak
        if all(n.probes is n.keys for n in own):
            return self.keys
        found = set().union(*(n.probes for n in own))
        # the identifier keys (``prepare`` files no other key under ``i:``)
        found.update(f"i:{scheme}:{value}" for scheme, value in self.identifiers)
        return frozenset(found)


@attrs.frozen(kw_only=True, slots=True)
class Comparison:
    """How a query compares with one listed entity.

    Args:
        score: 0–1; 1 is certain identity.
        matched_name: The listed name or alias (as listed) that gave the score.
        query_form: Normalised query name used.
        listed_form: Normalised listed name used.
        features: What raised or lowered the score, in the order applied.

    Example:
        >>> from tradecontrol import Entity
        >>> from tradecontrol.screening.scoring import compare, prepare
        >>> c = compare(prepare(Entity(name="Emma Daniels", kind="person")),
        ...             prepare(Entity(name="EMMA LLC", kind="organization")))
        >>> c.score, c.features[0].name
        (0.0, 'kind_mismatch')
    """

    score: float
    matched_name: str
    query_form: str
    listed_form: str
    features: tuple[Feature, ...]


# --------------------------------------------------------------------------- vocabulary


def _by_initial(words: list[str]) -> dict[str, tuple[str, ...]]:
    """Words grouped by their first letter, in order."""
    out: dict[str, list[str]] = {}
    for word in words:
        out.setdefault(word[:1], []).append(word)
    return {k: tuple(v) for k, v in out.items()}


@cache
def _terms() -> dict[str, Any]:
    data: dict[str, Any] = read_json("name_terms.json")
    forms: dict[str, str] = data["legal_forms"]
    phrases = sorted(((tuple(k.split()), v) for k, v in forms.items()), key=lambda p: -len(p[0]))
    by_first: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    for phrase in phrases:  # longest first within each group too
        by_first.setdefault(phrase[0][0], []).append(phrase)
    return {
        "phrases": tuple(phrases),
        "forms": forms,
        "single": tuple(sorted(k for k in forms if " " not in k)),
        "by_first": {k: tuple(v) for k, v in by_first.items()},
        "first": frozenset(p[0][0] for p in phrases),
        "classes": data["legal_form_classes"],
        "generic": frozenset(data["generic_words"]),
        "generic_by_initial": _by_initial(data["generic_words"]),
        "stop": frozenset(data["stopwords"]),
        "fuzzy_forms": {
            k: v for k, v in forms.items() if len(k) >= _FUZZY_FORM_MIN and " " not in k
        },
        "titles": frozenset(data["titles"]),
        "particles": data["particles"],
        "lineage": frozenset(data["lineage_particles"]),
        "nicknames": {k: frozenset(v) for k, v in data["nicknames"].items()},
        "unique_ids": frozenset(data["unique_identifiers"]),
        "common": frozenset(data["common_name_parts"]),
        "numbers": data["number_words"],
        "ordinal": frozenset(data["ordinal_suffixes"]),
        "ids": frozenset(data["identifying_identifiers"]),
    }


def _weight(text: str) -> float:
    return float(10 * max(2, min(len(text), 10)))


def _skeleton(text: str) -> str:
    """Consonant skeleton: first letter kept, later vowels dropped, doubles collapsed."""
    return text[0] + _DOUBLES.sub(r"\1", _VOWELS.sub("", text[1:]))


_TOKEN_CACHE = 1 << 15
"""Distinct tokens (and token pairs) whose analysis each per-token cache keeps: bounded,
so memory stays flat over a long batch; the cached functions are pure, so a cache only
saves time, never changes a result."""


@lru_cache(maxsize=_TOKEN_CACHE)
def _word(text: str) -> _Token:
    skeleton = _skeleton(text) if len(text) >= _SKELETON_MIN else ""
    if len(skeleton) < _SKELETON_MIN - 1:  # ``lc`` (Lucy, Lucio) says too little
        skeleton = ""
    return _Token(text, _WORD, _weight(text), skeleton)


def _legal_at(tokens: list[str], i: int) -> tuple[int, str] | None:
    """The legal form starting at ``tokens[i]``: (its length in tokens, canonical form).

    A phrase that ends the name may have its last word cut at a field length
    (``JOINT STOCK COMPAN``): a last token of ``_CUT_MIN`` letters or more that begins
    the phrase's last word completes it.
    """
    end = len(tokens)
    for phrase, canon in _terms()["by_first"].get(tokens[i], ()):
        n = len(phrase)
        if tuple(tokens[i : i + n]) == phrase:
            return n, canon
        if (
            n > 1
            and i + n == end
            and len(tokens[-1]) >= _CUT_MIN
            and phrase[-1].startswith(tokens[-1])
            and tuple(tokens[i:-1]) == phrase[:-1]
        ):
            return n, canon
    return None


@lru_cache(maxsize=_TOKEN_CACHE)
def _cut_form(token: str) -> str | None:
    """The one-word legal form a name's last token is the beginning of (``compan``), if any."""
    single: tuple[str, ...] = _terms()["single"]
    k = bisect_left(single, token)
    if k < len(single) and single[k].startswith(token) and single[k] != token:
        return str(_terms()["forms"][single[k]])
    return None


@lru_cache(maxsize=_TOKEN_CACHE)
def _fuzzy_form(token: str) -> str | None:
    """The legal form a long token misspells (``aktiengeselschaft`` -> ``ag``), if any."""
    if not AVAILABLE:  # exact-normalised matching only: no misspelt legal forms
        return None
    forms: dict[str, str] = _terms()["fuzzy_forms"]
    found = _extract_one(
        token, forms.keys(), scorer=_Indel.normalized_similarity, score_cutoff=_FUZZY_FORM_SIM
    )
    return forms[found[0]] if found else None


def _read_numbers(tokens: list[str], terms: dict[str, Any]) -> list[str]:
    """Number words as digits (``forty four`` -> ``44``), ordinal suffixes dropped (``1 st``)."""
    words: dict[str, int] = terms["numbers"]
    if not any(t in words or t in terms["ordinal"] for t in tokens):
        return tokens
    out: list[str] = []
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        i += 1
        if tok in words:
            value = words[tok]
            nxt = words.get(tokens[i], 10) if i < len(tokens) else 10
            if value >= 20 and value % 10 == 0 and nxt < 10:  # forty four
                value += nxt
                i += 1
            out.append(str(value))
        elif tok in terms["ordinal"] and out and out[-1].isdigit():
            continue  # the suffix of 1st, 2nd, 44th
        else:
            out.append(tok)
    return out


def _view(tokens: list[str], mode: int, syllabic: bool = False, inverted: bool = False) -> _View:
    terms = _terms()
    out: list[_Token] = []
    legal: set[str] = set()
    if mode == _ORG:
        tokens = _read_numbers(join_initials(tokens), terms)
    i = 0
    end = len(tokens)
    org = mode == _ORG
    first = terms["first"]
    while i < end:
        tok = tokens[i]
        if org and tok in first:
            found = _legal_at(tokens, i)
            if found is not None:
                out.append(_Token(found[1], _LEGAL, 0.0))
                legal.add(found[1])
                i += found[0]
                continue
        i += 1
        token = _token(tok, mode, org and i == end)
        out.append(token)
        if token.type == _LEGAL:
            legal.add(token.text)
    if not any(t.type == _WORD for t in out):
        # a name made only of generic words (``Bank of China``): they are its identity
        out = [
            _word(t.text)
            if t.type == _GENERIC and len(t.text) > 2 and t.text not in terms["stop"]
            else t
            for t in out
        ]
    scored = tuple(t for t in out if t.type != _LEGAL)
    person = mode == _PERSON
    # per scored token, its columns (cached per token): one row each, transposed at once
    rows = [_row(t, person, syllabic) for t in scored]
    (texts, plain, skeletons, weights, words, distinct, long, common, nick, prefixes) = (
        tuple(zip(*rows, strict=True)) if rows else ((),) * 10
    )
    lineage = _lineage(scored, terms["lineage"]) if person and not inverted else (0,) * len(scored)
    if any(lineage):
        by_lineage = tuple(
            tuple((k, text) for k, text in enumerate(texts) if not (r and lineage[k] not in (0, r)))
            for r in (0, 1, 2)
        )
        profiles = tuple(f"{p}{r}" for p, r in zip(prefixes, lineage, strict=True))
    else:  # no nasab: every token may pair with every other, all profiles of lineage 0
        by_lineage = (tuple(enumerate(texts)),) * 3
        profiles = tuple(p + "0" for p in prefixes)
    joined = "".join(tokens)
    joined_key = "j:" + joined
    bare_key = joined_key
    generic = terms["generic"]
    if legal and any(w and t not in generic for t, w in zip(texts, words, strict=True)):
        bare_key = "j:" + "".join(texts)
    return _View(
        tokens=tuple(out),
        legal=frozenset(legal),
        numbers=frozenset(t.text for t in out if t.type == _NUMBER),
        joined=joined,
        form=" ".join([t.text for t in out]),
        distinctive=any(distinct),  # legal forms are never distinctive
        scored=scored,
        texts=texts,
        plain=plain,
        skeletons=skeletons,
        weights=weights,
        words=words,
        distinct=distinct,
        long=long,
        common=common,
        lineage=lineage,
        by_lineage=by_lineage,
        nick=nick,
        total=sum(weights),
        integral=all(w.is_integer() for w in weights),
        joined_key=joined_key,
        bare_key=bare_key,
        profiles=profiles,
        memo=_Memo(),
        aligned=_Memo(),
    )


_Row = tuple[str, bool, str, float, bool, bool, bool, bool, frozenset[str], str]


@lru_cache(maxsize=_TOKEN_CACHE)
def _row(token: _Token, person: bool, syllabic: bool) -> _Row:
    """A scored token's entries in the per-token columns of a :class:`_View` (pure, cached).

    Text, plain, skeleton, weight, word, distinct, long, common, nicknames, and the
    profile without its lineage digit.
    """
    terms = _terms()
    text, kind = token.text, token.type
    word = kind == _WORD
    common = person and (syllabic or text in terms["common"])
    return (
        text,
        kind != _NUMBER and len(text) > 1,
        token.skeleton,
        token.weight,
        word,
        kind in _WORD_OR_NUMBER,
        len(text) > 1,
        common,
        terms["nicknames"].get(text, _NONE) if person and word else _NONE,
        f"{text} {word:d}{common:d}",
    )


@lru_cache(maxsize=_TOKEN_CACHE)
def _token(tok: str, mode: int, last: bool) -> _Token:
    """What one token is in a view of a name, outside a legal-form phrase (pure, cached).

    ``last``: the token ends an organisation's name (it may be a legal form cut at a field
    length, ``COMPAN``).
    """
    terms = _terms()
    if tok.isdigit():
        return _Token(tok.lstrip("0") or "0", _NUMBER, _NUMBER_WEIGHT)
    if mode == _PERSON and (tok in terms["titles"]):
        return _Token(tok, _GENERIC, _GENERIC_WEIGHT)
    if mode == _PERSON and tok in terms["particles"]:
        return _Token(terms["particles"][tok], _GENERIC, _GENERIC_WEIGHT)
    if tok in terms["stop"]:
        return _Token(tok, _GENERIC, _STOP_WEIGHT)
    if mode == _ORG and tok in terms["generic"]:
        return _Token(tok, _GENERIC, _GENERIC_WEIGHT)
    if mode == _ORG and len(tok) >= _FUZZY_FORM_MIN and (form := _fuzzy_form(tok)):
        return _Token(form, _LEGAL, 0.0)
    if mode == _ORG and last and len(tok) >= _CUT_MIN and (form := _cut_form(tok)):
        return _Token(form, _LEGAL, 0.0)  # cut at a field length: ``COMPAN``
    return _word(tok)


def _lineage(scored: tuple[_Token, ...], particles: frozenset[str]) -> tuple[int, ...]:
    """Per token of a person's name: 1 before a nasab particle, 2 after it, else 0.

    In ``AHMAD BIN HASAN AL-UBAIDI`` the token after ``bin`` (son of) names the father
    (Schimmel, *Islamic Names*, 1989): ``HASAN BIN AHMAD`` is his son or father, not him.
    The particles themselves are 0 (they pair with anything); so is every token when no
    particle stands between two names (``Salman Mohammed bin``), and when the name is
    written ``SURNAME, Given`` (the caller passes no lineage then).
    """
    marks = [t.type == _GENERIC and t.text in particles for t in scored]
    first = marks.index(True) if True in marks else 0
    if not first or all(marks[first:]):
        return (0,) * len(scored)
    return tuple(0 if mark else 1 if k < first else 2 for k, mark in enumerate(marks))


@lru_cache(maxsize=_TOKEN_CACHE)
def _fine(tok: _Token) -> tuple[str, ...]:
    """Keys of a token that survive one typo (pure, cached per token).

    The token, its consonant skeleton and its one-letter deletions; a number as written.
    """
    text = tok.text
    if tok.type == _NUMBER:
        return ("n:" + text,)
    keys = {"t:" + text}
    if tok.skeleton:
        keys.add("s:" + tok.skeleton)
    if len(text) >= _DELETION_MIN:
        keys.update("t:" + text[:k] + text[k + 1 :] for k in range(len(text)))
    return tuple(keys)


@lru_cache(maxsize=_TOKEN_CACHE)
def _tagged(tok: _Token, tag: str) -> tuple[str, ...]:
    """:func:`_fine` keys of a token, each prefixed with ``tag`` (``S:``, ``M:``), cached."""
    return tuple([tag + k for k in _fine(tok)])


@lru_cache(maxsize=_TOKEN_CACHE)
def _pair_keys(tok: _Token, initial: str) -> tuple[str, ...]:
    """``P:`` keys of a token with the initial (or number) of another token, cached."""
    return tuple([f"P:{k}|{initial}" for k in _fine(tok)])


@lru_cache(maxsize=_TOKEN_CACHE)
def _near(tok: _Token) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Keys of a name's only distinctive token that survive a near miss beyond one typo.

    Two skeletons of ``_NEAR_SKELETON`` consonants or more meet when one, less a consonant
    after the first, is the other (``Agriculture``/``Agricultural``: ``agrcltr``;
    ``Trafalgura``/``Trafigura``: ``trfgr``): the first letter and the other consonants
    agree. Returns (keys filed: the deletions as ``d:``; keys looked up: the deletions as
    ``s:``, the skeleton as ``d:``), so that two deletions never meet. Whether the pair is
    near enough is the score's business (a pair below 0.8 is no evidence: capped at 0.3).
    """
    sk = tok.skeleton
    if tok.type != _WORD or len(sk) < _NEAR_SKELETON:
        return (), ()
    deletions = [sk[:k] + sk[k + 1 :] for k in range(1, len(sk))]
    return tuple(["S:d:" + d for d in deletions]), tuple(
        ["S:s:" + d for d in deletions] + ["S:d:" + sk]
    )


def _view_keys(view: _View, cross: bool) -> tuple[AbstractSet[str], AbstractSet[str]]:
    """Index keys of one name: those it is filed under, and those it looks up (probes).

    A name of one distinctive token is filed under that token's typo-tolerant keys
    (``S:``). A name of several is filed, for each ordered pair of its distinctive tokens,
    under the typo-tolerant keys of the first with the initial of the second (``P:``): two
    such names are compared only when one token agrees and another begins with the same
    letter. Every name also looks up its own keys.

    The name of an organisation (of kind ``organization``, given or read from a legal
    form) of one distinctive token and one of several (``Bank of Chima``,
    ``Bank of China``; ``Deutsche Bank AG``, ``Deutsche Bank (Schweiz) AG``) meet through
    one agreeing token: the longer name is also filed under each token's keys as ``M:``,
    which the one-token name looks up, and looks up each token's ``S:`` keys. Person names
    of one token and of several never meet (except written together, ``j:``, or equal
    after normalisation, ``x:``).
    """
    distinct = [t for t, d in zip(view.scored, view.distinct, strict=True) if d]
    if len(distinct) == 1:
        keys = _tagged(distinct[0], "S:")
        near_filed, near_probes = _near(distinct[0])
        looked_up = {*keys, *near_probes}
        if cross:
            looked_up.update(_tagged(distinct[0], "M:"))
        return {*keys, *near_filed}, looked_up
    paired: set[str] = set()
    filed: set[str] = set()
    probes: set[str] = set()
    initials = [t.text if t.type == _NUMBER else t.text[:_INITIAL_LEN] for t in distinct]
    # a person's given name is also filed under its nicknames' initials (William: b for
    # Bill), which the nickname looks up as its own initial; the relation is symmetric
    extra: list[AbstractSet[str]] = (
        [
            {n[:_INITIAL_LEN] for n in view.nick[view.scored.index(t)]} - {initials[k]}
            if t.type == _WORD
            else _NONE
            for k, t in enumerate(distinct)
        ]
        if any(view.nick)
        else [_NONE] * len(distinct)
    )
    distinct_weight = sum(t.weight for t in distinct)
    other_weight = view.total - distinct_weight  # generic words and stopwords
    for i, tok in enumerate(distinct):
        if len(tok.text) < 2 and tok.type == _WORD:
            continue
        for j, initial in enumerate(initials):
            if j != i:
                paired.update(_pair_keys(tok, initial))
                for letter in extra[j]:
                    filed.update(_pair_keys(tok, letter))
        # against a one-token name, the other distinctive tokens go unpaired at
        # _ORG_EXTRA_COST: only a token outweighing them can reach CANDIDATE_FLOOR
        rest = distinct_weight - tok.weight
        if cross and _ORG_EXTRA_COST * rest <= 2 * (tok.weight + other_weight + 10):
            filed.update(_tagged(tok, "M:"))
            probes.update(_tagged(tok, "S:"))
    # the caller only reads the sets: one set serves both when nothing is added to either
    return (paired | filed) if filed else paired, (paired | probes) if probes else paired


_Views = tuple[_View | None, _View | None, str, str]


def _person_view(name: str, tokens: list[str], syllabic: str) -> _View:
    inverted = "," in name  # SURNAME, Given: the order of nasab is not the written one
    return _view(tokens, _PERSON, bool(syllabic) and not _KANA.search(name), inverted)


def _views(name: str, kind: EntityKind) -> _Views:
    """The views of a name that an entity of ``kind`` is compared by, and more.

    Returns the person view (``None`` for an organisation, vessel or aircraft), the
    organisation view (``None`` for a person), the syllabic characters and the folded
    tokens written together. A comparison reads the person views when either side is a
    person and the organisation views otherwise, and a person is never compared (by name)
    with an organisation, vessel or aircraft (:func:`_incompatible`); an entity of unknown
    kind has both views.
    """
    tokens = fold_tokens(name)
    syllabic = _syllabic(name)
    person = None if kind in _NOT_PERSON else _person_view(name, tokens, syllabic)
    org = None if kind is EntityKind.PERSON else _view(tokens, _ORG)
    return person, org, syllabic, "".join(tokens)


def _person_form(name: _Name) -> str:
    """The form of a name's person view (built here when the name has none)."""
    if name.person is not None:
        return name.person.form
    return _person_view(name.original, fold_tokens(name.original), name.syllabic).form


_NEAR_GENERIC_MIN = 4  # tokens this long may be a misspelt generic word (``banc``)


@lru_cache(maxsize=1 << 16)
def _near_generic(token: str) -> str | None:
    """The generic word a token misspells (``banc`` -> ``bank``, ``technolgies``), if any.

    Same first letter, length within one, and one edit (two for words of nine letters or
    more); the token itself is no generic word.
    """
    if not AVAILABLE or len(token) < _NEAR_GENERIC_MIN or not token.isalpha():
        return None
    terms = _terms()
    if token in terms["generic"] or token in terms["stop"] or country_code(token):
        return None  # a generic word, or a country of its own (``iraq`` is no ``iran``)
    edits = 2 if len(token) >= 9 else 1
    for word in terms["generic_by_initial"].get(token[0], ()):
        if abs(len(word) - len(token)) <= edits and (
            _Levenshtein.distance(token, word, score_cutoff=edits) <= edits
        ):
            return str(word)
    return None


def _generic_probes(name: str, kind: EntityKind, org: _View | None) -> AbstractSet[str]:
    """Keys to look up as if each misspelt generic word were spelt right.

    A misspelt generic word (``Banc Rossiya``, ``Huawei Technolgies Co Ltd``) reads as a
    distinctive word, so the name would be filed under other keys than the listed
    ``BANK ROSSIYA`` and never meet it. The name also looks up the keys of its corrected
    spelling; the score still sees the words as written.
    """
    if (
        kind is EntityKind.PERSON
        or org is None
        or not any(t.type == _WORD and _near_generic(t.text) for t in org.scored)
    ):
        return _NONE
    tokens = fold_tokens(name)
    fixed = [_near_generic(t) or t for t in tokens]
    if fixed == tokens:
        return _NONE
    org = _view(fixed, _ORG)
    filed, looked_up = _view_keys(org, kind is EntityKind.ORGANIZATION)
    return filed | looked_up


def _analyse(name: str, kind: EntityKind, views_of: _Views) -> _Name:
    person, org, syllabic, joined = views_of
    keys: set[str] = set()
    exact = name_keys(name, cut=False)  # the index decides cut legal names (primary first)
    keys.update("x:" + k for k in exact)
    probes = set(keys)
    bare: list[str] = []
    # a person is filed by its person view, an organisation, vessel or aircraft by its
    # organisation view, an entity of unknown kind by both (``kind`` as inferred)
    if kind is EntityKind.PERSON or kind is EntityKind.UNKNOWN:
        assert person is not None  # built for these kinds (_views)
        filed, looked_up = _view_keys(person, False)
        keys |= filed
        probes |= looked_up
    if kind is not EntityKind.PERSON:
        assert org is not None  # built for every kind but a person (_views)
        filed, looked_up = _view_keys(org, kind is EntityKind.ORGANIZATION)
        keys |= filed
        probes |= looked_up
        # the name without its legal forms written together (``HuaweiTechnologies`` for
        # ``Huawei Technologies Co., Ltd.``), also before a parenthesised short name
        # (``... Co., Ltd. (Huawei)``), filed and looked up alike
        views = [org, *(_view(k.split(), _ORG) for k in exact[1:])] if len(exact) > 1 else [org]
        bare = [v.bare_key for v in views if v.bare_key != v.joined_key and len(v.bare_key) >= 6]
    whole = "j:" + joined if len(joined) >= 4 else ""
    joins = (whole, *dict.fromkeys(k for k in bare if k != whole)) if bare else (whole,)
    found = [k for k in joins if k]
    keys.update(found)
    probes.update(found)
    probes |= _generic_probes(name, kind, org)
    frozen = frozenset(keys)
    return _Name(
        name,
        person,
        org,
        frozen,
        frozen if probes == keys else frozenset(probes),
        exact,
        syllabic,
        joins if found else (),
    )


_SYLLABIC = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")


def _syllabic(name: str) -> str:
    """The sorted characters of a name written only in Han, kana or Hangul, else ``""``.

    Each such character is a syllable chosen among homophones: ``高市`` and ``高石`` read
    alike in Latin letters but are different names.
    """
    if name.isascii():  # no Han, kana or Hangul character
        return ""
    letters = [c for c in name if not c.isspace() and c not in "·・-"]
    if letters and all(_SYLLABIC.fullmatch(c) for c in letters):
        return "".join(sorted(letters))
    return ""


_KANA = re.compile(r"[\u3040-\u30ff]")  # a name in kana spells its sounds, often a foreign name

_YEAR = re.compile(r"\d{4}")


def _birth(text: str) -> _Birth:
    years = [int(y) for y in _YEAR.findall(text)]
    if not years:  # pragma: no cover - validated upstream
        return _Birth(0, 9999, None, None)
    low, high = min(years), max(years)
    if "circa" in text.casefold():
        low, high = low - 1, high + 1
    parts = text.strip().split("-")
    if len(years) == 1 and len(parts) >= 2 and parts[0].isdigit():
        month = int(parts[1]) if parts[1].isdigit() else None
        day = int(parts[2]) if len(parts) > 2 and parts[2].isdigit() else None
        return _Birth(low, high, month, day)
    return _Birth(low, high, None, None)


def _ident_value(scheme: str, value: str) -> str:
    """Upper-case alphanumerics, without a leading scheme name (``IMO 9123456``)."""
    folded = "".join(ch for ch in value.upper() if ch.isalnum())
    prefix = "".join(ch for ch in scheme.upper() if ch.isalnum())
    if prefix and folded.startswith(prefix) and folded[len(prefix) :].isdigit():
        folded = folded[len(prefix) :]
    return folded


def _clear_query_caches() -> None:
    """Empty the per-token caches of :func:`prepare` (benchmarks measure cold passes)."""
    for cached in (_word, _token, _row, _fine, _tagged, _pair_keys, _near):
        cached.cache_clear()
    for cached_form in (_cut_form, _fuzzy_form, _near_generic):
        cached_form.cache_clear()


def prepare(entity: Entity) -> Prepared:
    """Analyse an entity once for :func:`compare`.

    Args:
        entity: A query or a listed entity.

    Returns:
        The ``Prepared`` form, with the blocking keys of the candidate index.

    Example:
        >>> from tradecontrol import Entity
        >>> from tradecontrol.screening.scoring import prepare
        >>> p = prepare(Entity(name="Иван Сидоров", kind="person"))
        >>> p.names[0].person.form
        'ivan sidorov'
    """
    kind = entity.kind
    strong = {n: _views(n, kind) for n in entity.names}
    if kind is EntityKind.UNKNOWN and any(v[1] and v[1].legal for v in strong.values()):
        kind = EntityKind.ORGANIZATION
    names = tuple(_analyse(n, kind, v) for n, v in strong.items())
    weak = tuple(_analyse(n, kind, _views(n, kind)) for n in dict.fromkeys(entity.weak_aliases))
    identifiers = frozenset(
        (i.scheme, value)
        for i in entity.identifiers
        if i.scheme in _terms()["ids"] and (value := _ident_value(i.scheme, i.value))
    )
    own = (*names, *weak)
    if identifiers:
        ids = (f"i:{scheme}:{value}" for scheme, value in identifiers)
        filed = frozenset().union(*(n.keys for n in own), ids)
    elif len(own) == 1:
        filed = own[0].keys  # one name: its keys are the entity's (no copy)
    else:
        filed = frozenset().union(*(n.keys for n in own))
    dates = (*([entity.birth_date] if entity.birth_date else []), *entity.birth_dates)
    countries = {j.code.split("-")[0] for j in entity.nationalities}
    if entity.country is not None:
        countries.add(entity.country.code.split("-")[0])
    countries.update(a.country.code.split("-")[0] for a in entity.addresses if a.country)
    return Prepared(
        entity=entity,
        keys=filed,
        kind=kind,
        names=names,
        weak=weak,
        identifiers=identifiers,
        births=tuple(_birth(d) for d in dates),
        countries=frozenset(countries),
    )


def comparison_key(listed: Prepared) -> tuple[Any, ...]:
    """Everything :func:`compare` reads of a listed entity, as one hashable value.

    Two prepared entities with the same key compare the same with every query (same
    score, names, forms and features): the kind, the primary name, the analysed names
    and weak aliases (each a pure function of its text and the kind), the identifiers,
    dates of birth and countries. The blocking keys follow from the names, kind and
    identifiers. The candidate index compares one listing of each key per query.

    Args:
        listed: A prepared (listed) entity.

    Returns:
        A tuple of hashable values.

    Example:
        >>> from tradecontrol import Address, Entity
        >>> from tradecontrol.screening.scoring import comparison_key, prepare
        >>> a = prepare(Entity(name="ORION STAR", country="PA"))
        >>> b = prepare(Entity(name="ORION STAR", country="PA",
        ...                    addresses=[Address(city="Panama City", country="PA")]))
        >>> comparison_key(a) == comparison_key(b)
        True
        >>> comparison_key(a) == comparison_key(prepare(Entity(name="ORION STAR")))
        False
    """
    return (
        listed.kind,
        listed.entity.name,
        tuple([n.original for n in listed.names]),
        tuple([n.original for n in listed.weak]),
        listed.identifiers,
        listed.births,
        listed.countries,
    )


# --------------------------------------------------------------------------- scoring

_INCOMPATIBLE = {
    frozenset({EntityKind.PERSON, EntityKind.ORGANIZATION}),
    frozenset({EntityKind.PERSON, EntityKind.VESSEL}),
    frozenset({EntityKind.PERSON, EntityKind.AIRCRAFT}),
    frozenset({EntityKind.VESSEL, EntityKind.AIRCRAFT}),
    frozenset({EntityKind.ORGANIZATION, EntityKind.AIRCRAFT}),
}


_UNKNOWN = EntityKind.UNKNOWN


def _incompatible(a: EntityKind, b: EntityKind) -> bool:
    """True when an ``a`` can never be a ``b`` (a person and a vessel)."""
    # the same kind, or an unknown one, is compatible: no set built, no enum hashed
    return (
        a is not b
        and a is not _UNKNOWN
        and b is not _UNKNOWN
        and frozenset((a, b)) in _INCOMPATIBLE
    )


class _NameScore(NamedTuple):
    score: float
    features: tuple[Feature, ...]
    aligned: tuple[float, bool]  # what ``_align`` gave, reused when explaining


def _pair_column(qv: _View, lv: _View, j: int, person: bool) -> tuple[tuple[float, int], ...]:
    """``(similarity, query token)`` of every query token that may pair with listed token j.

    Best first (descending similarity).

    Numbers pair only when equal; a person's initial pairs with a name it begins; a
    person's nickname pairs with the given name it stands for at ``_NICK_SIM``; a person's
    own name never pairs with a father's name (nasab, :func:`_lineage`). The result
    depends only on the query view and the listed token's profile (text, word, common,
    lineage).
    """
    out: list[tuple[float, int]] = []
    similarity = _Indel.normalized_similarity
    tb, pb, skb, wb, cb = lv.texts[j], lv.plain[j], lv.skeletons[j], lv.words[j], lv.common[j]
    qplain, qskel, qwords, qcommon = qv.plain, qv.skeletons, qv.words, qv.common
    nb = lv.nick[j]  # the relation is symmetric: the listed token's relatives suffice
    # an own name never pairs with a father's name: tokens of the other lineage are left out
    for i, ta in qv.by_lineage[lv.lineage[j]]:
        if ta == tb:
            sim = 1.0
        elif nb and ta in nb:
            sim = _NICK_SIM  # Ted and Theodore (nicknames, PyPI nicknames)
        elif pb and qplain[i]:
            sim = similarity(ta, tb, score_cutoff=_PAIR_MIN)
            if sim < _SKELETON_SIM:
                if skb and skb == qskel[i]:
                    sim = _SKELETON_SIM  # transliteration variants: Volodimir, Volodymyr
                elif not sim:
                    continue
                elif cb and qcommon[i]:
                    # two different common names (Jason, Juan) are not one misspelt
                    sim -= _KNOWN_DIFF
                    if sim < _PAIR_MIN:
                        continue
        elif (
            person
            and wb
            and qwords[i]
            and ((len(ta) == 1 and tb.startswith(ta)) or (len(tb) == 1 and ta.startswith(tb)))
        ):
            sim = _INITIAL_SIM  # an initial and a name it begins
        else:
            continue
        out.append((sim, i))
    out.sort(reverse=True)  # best first: ``column[0][0]`` is the column's best similarity
    return tuple(out)


def _token_pairs(
    qv: _View, lv: _View, person: bool, floor: float = 0.0
) -> list[tuple[float, int, int]] | None:
    """``(similarity, query token, listed token)`` of every pair of tokens that may pair.

    Each listed token's column (:func:`_pair_column`) is remembered in the query view's
    ``memo`` under the token's profile, so the candidates of one query, which share many
    tokens, compute each column once.

    When ``floor`` (0–1) is above 0, returns ``None``, before building any pair, if
    :func:`_align` certainly scores below it. The bound comes from each token's best
    similarity: the score is ``(matched - doubt) / (paired + c * unpaired)`` with
    ``matched`` at most the sum of each paired token's weight times its best similarity
    (``V`` over the tokens that may pair), ``unpaired`` at least the weight ``U`` of the
    tokens no token may pair with, and ``c`` at least ``_ORG_EXTRA_COST`` for
    organisations, ``_MIDDLE_COST`` for persons when two tokens on each side may agree
    (else 1). So the score is at most ``V / (V + c U)`` (``x / (x + k)`` grows with
    ``x``); a margin of 1e-9 covers the order of float sums.
    """
    memo = qv.memo
    if floor > 0.0:
        lweights = lv.weights
        best_q = [0.0] * len(qv.weights)
        value = lost = 0.0
        agree_l = 0
        left = lv.total  # weight of the listed tokens not yet looked at
        last = len(lweights) - 1
        for j, profile in enumerate(lv.profiles):
            column = memo.get(profile)
            if column is None:
                column = memo[profile] = _pair_column(qv, lv, j, person)
            left -= lweights[j]
            if not column:
                lost += lweights[j]
                # the same bound with every token not yet looked at pairing perfectly:
                # enough unpaired weight stops before the other columns are computed
                reach = value + left + qv.total
                cost = (
                    _ORG_EXTRA_COST
                    if not person
                    else _MIDDLE_COST
                    if agree_l + last - j >= 2 and len(qv.weights) >= 2
                    else 1.0
                )
                if reach / (reach + cost * lost) < floor - 1e-9:
                    return None
                continue
            top = column[0][0]  # columns are best first
            value += top * lweights[j]
            agree_l += top >= _AGREE
            for sim, i in column:
                if sim > best_q[i]:  # noqa: PLR1730 - max() costs a call per pair
                    best_q[i] = sim
        if value and _below(qv, person, floor, best_q, value, lost, agree_l):
            return None
    pairs: list[tuple[float, int, int]] = []
    append = pairs.append
    for j, profile in enumerate(lv.profiles):
        column = memo.get(profile)
        if column is None:
            column = memo[profile] = _pair_column(qv, lv, j, person)
        for sim, i in column:
            append((sim, i, j))
    return pairs


def _below(
    qv: _View,
    person: bool,
    floor: float,
    best_q: list[float],
    value: float,
    lost: float,
    agree_l: int,
) -> bool:
    """The bound of :func:`_token_pairs`: the query side added to the listed side's."""
    qweights = qv.weights
    agree_q = 0
    for i, sim in enumerate(best_q):
        if sim:
            value += sim * qweights[i]
            agree_q += sim >= _AGREE
        else:
            lost += qweights[i]
    if not person:
        cost = _ORG_EXTRA_COST
    elif agree_q >= 2 and agree_l >= 2:
        cost = _MIDDLE_COST
    else:
        cost = 1.0
    return value / (value + cost * lost) < floor - 1e-9


def _unpaired(view: _View, used: set[int], used_weight: float) -> float:
    """Weight of the tokens of ``view`` not in ``used``.

    Whole-number weights subtract exactly; otherwise the unpaired ones are summed in order.
    """
    if len(used) == len(view.weights):
        return 0.0
    if view.integral:
        return view.total - used_weight
    return sum(w for i, w in enumerate(view.weights) if i not in used)


def _align(qv: _View, lv: _View, mode: int, floor: float = 0.0) -> tuple[float, bool] | None:
    """Pair tokens greedily by similarity; return (score, distinctive evidence).

    Reads the per-token tuples of each view (texts, skeletons, weights, flags), not the
    tokens. With a ``floor`` (0–1) above 0, returns ``None`` instead when the score is
    certainly below it (:func:`_below`; the pairing is then not done).
    """
    if not qv.texts or not lv.texts:
        return 0.0, False
    person = mode == _PERSON
    pairs = _token_pairs(qv, lv, person, floor)
    if pairs is None:
        return None
    if not pairs:
        return 0.0, False  # nothing pairs: the score is 0 whatever the weights
    pairs.sort(reverse=True)
    qweights, lweights = qv.weights, lv.weights
    qdistinct, ldistinct = qv.distinct, lv.distinct
    qlong, llong = qv.long, lv.long
    used_q: set[int] = set()
    used_l: set[int] = set()
    matched = 0.0
    paired_weight = 0.0
    used_wq = used_wl = 0.0
    evidence = False
    strong = rare = 0
    doubt = 0.0
    qcommon, lcommon = qv.common, lv.common
    for sim, i, j in pairs:
        if i in used_q or j in used_l:
            continue
        used_q.add(i)
        used_l.add(j)
        wq, wl = qweights[i], lweights[j]
        used_wq += wq
        used_wl += wl
        w = wq + wl
        matched += sim * w
        if sim < 1.0 and (qcommon[i] or lcommon[j] or sim < _WEAK_PAIR):
            doubt += (sim - sim * sim) * w
        paired_weight += w
        if sim >= _STRONG_PAIR and (qdistinct[i] or ldistinct[j]):
            evidence = True
            if sim >= _AGREE and qlong[i] and llong[j]:
                strong += 1
                rare += not (qcommon[i] or lcommon[j])
    left_q = _unpaired(qv, used_q, used_wq)
    left_l = _unpaired(lv, used_l, used_wl)
    if (
        person
        and strong >= 2
        and not (left_q and left_l)
        and (rare or strong >= _COMMON_AGREE)
        and len(qweights) + len(lweights) - len(used_q) - len(used_l) <= _MAX_MISS
    ):
        # a missing middle name or patronymic on one side costs little
        left_q *= _MIDDLE_COST
        left_l *= _MIDDLE_COST
    elif not person:
        left_q *= _ORG_EXTRA_COST
        left_l *= _ORG_EXTRA_COST
    elif left_q >= 30 and left_l >= 30:  # three letters or more on each side
        # a person's name part contradicted by another name part on the other side
        # (Mahmood Ahmed vs Mahmood Sultan) costs more
        left_q *= _CONTRA_COST
        left_l *= _CONTRA_COST
    if person and not rare:
        # only common name parts agree: a near miss counts as its square (Borges, Bor)
        matched -= doubt
    total = paired_weight + left_q + left_l
    return (matched / total if total else 0.0), evidence


def _aligned(qv: _View, lv: _View, mode: int) -> tuple[float, bool]:
    """:func:`_align` without a floor (always a result)."""
    found = _align(qv, lv, mode)
    assert found is not None  # a floor of 0 prunes nothing
    return found


def _whole_in(q: _Name, lname: _Name) -> bool:
    """One name written whole equals a name or short name of the other."""
    return (
        bool(q.exact)
        and bool(lname.exact)
        and (q.exact[0] in lname.exact or lname.exact[0] in q.exact)
    )


def _characters_differ(q: _Name, lname: _Name, score: float, out: list[Feature] | None) -> float:
    """Cap ``score`` at the similarity of two differing syllabic spellings (``高市``/``高石``)."""
    cap = _Indel.normalized_similarity(q.syllabic, lname.syllabic)
    if score <= cap:
        return score
    if out is not None:
        out.append(
            Feature(
                name="characters_differ",
                effect=cap - score,
                detail=f"{q.original!r} and {lname.original!r} are written with different "
                "characters",
            )
        )
    return float(cap)


def _joined_equal(q: _Name, lname: _Name) -> str:
    """How the names are equal written together, or ``""`` when they are not.

    ``"without spaces"``: the whole names (``JSCARGUMENT``, ``JSC ARGUMENT``); ``"without
    spaces and legal forms"``: one name, or both, without legal forms
    (``HuaweiTechnologies``, ``Hua wei Technologies`` and ``Huawei Technologies Co.,
    Ltd.``). The names share a ``j:`` key, so the key contract holds.
    """
    qkeys, joined = q.keys, lname.joined
    if qkeys.isdisjoint(joined):
        return ""
    if joined[0] in qkeys and q.joined and joined[0] == q.joined[0]:
        return "without spaces"
    return "without spaces and legal forms"


def _score_names(
    q: _Name,
    lname: _Name,
    mode: int,
    explain: bool,
    aligned: tuple[float, bool] | None = None,
) -> _NameScore:
    """Score two names; build the features only when ``explain`` (same score either way).

    ``aligned`` is the result of an earlier ``_align`` of the same two names, if any.
    """
    qv = q.person if mode == _PERSON else q.org
    lv = lname.person if mode == _PERSON else lname.org
    assert qv is not None and lv is not None  # the views of compatible kinds (_views)
    features: list[Feature] = []
    if aligned is None:
        aligned = _aligned(qv, lv, mode)
    score, evidence = aligned
    first = aligned
    joined = ""
    # the names share an ``x:`` key exactly when their exact-normalised keys meet
    # (a whole name against a whole name or a short name; two names whose parts outside
    # brackets agree are not equal: ``Bowne Global Solutions (Spain)`` / ``(Netherlands)``)
    exact = score < 1.0 and _whole_in(q, lname)
    if exact or (score < 1.0 and (joined := _joined_equal(q, lname))):
        score, evidence = 1.0, True
    if explain:
        if exact:
            detail = f"{q.original!r} and {lname.original!r} are equal after normalisation"
        elif joined:
            detail = f"{qv.form!r} and {lv.form!r} are equal {joined}"
        else:
            detail = f"token similarity of {qv.form!r} and {lv.form!r}"
        features.append(Feature(name="name_similarity", effect=score, detail=detail))
        if joined:
            features.append(Feature(name="joined_tokens", effect=0.0, detail=detail))
    if q.syllabic and lname.syllabic and q.syllabic != lname.syllabic:
        score = _characters_differ(q, lname, score, features if explain else None)
    if qv.legal and lv.legal:
        classes = _terms()["classes"]
        if qv.legal & lv.legal or {classes[f] for f in qv.legal} & {classes[f] for f in lv.legal}:
            if explain:
                features.append(
                    Feature(
                        name="legal_form_equivalent",
                        effect=0.0,
                        detail=f"legal forms {sorted(qv.legal)} and {sorted(lv.legal)} equivalent",
                    )
                )
        else:
            effect = -min(_FORM_COST, score)
            score += effect
            if explain:
                features.append(
                    Feature(
                        name="legal_form_mismatch",
                        effect=effect,
                        detail=f"legal forms differ: {sorted(qv.legal)} vs {sorted(lv.legal)}",
                    )
                )
    if qv.numbers != lv.numbers and (qv.numbers or lv.numbers):
        both = bool(qv.numbers and lv.numbers)
        cap = 0.4 if both else max(0.0, score - 0.1)
        if score > cap:
            if explain:
                features.append(
                    Feature(
                        name="number_mismatch",
                        effect=cap - score,
                        detail=f"numbers differ: {sorted(qv.numbers)} vs {sorted(lv.numbers)}",
                    )
                )
            score = cap
    if (not evidence and score > 0.3) or (not (qv.distinctive and lv.distinctive) and score > 0):
        cap = 0.3 if qv.distinctive and lv.distinctive else 0.0
        if score > cap:
            if explain:
                features.append(
                    Feature(
                        name="no_distinctive_match",
                        effect=cap - score,
                        detail="only generic words or legal forms agree",
                    )
                )
            score = cap
    return _NameScore(max(0.0, score), tuple(features), first)


_FEW_NAMES = 2  # a listed entity with this many names or fewer: no shared-key intersection


def _meeting(
    query: Prepared, listed: Prepared, shared: Collection[str] | None = None
) -> list[tuple[_Name, Collection[str]]]:
    """The query names that meet ``listed`` through a key, each with the keys it meets by.

    ``qname.probes & lname.keys`` is a subset of ``qname.probes & listed.keys`` (a listed
    entity is filed under the keys of all its names), so the keys found here, a handful,
    are all a listed name needs to be tested against (one intersection per query name
    instead of one test of all its probes per listed name). An entity of one or two names
    is tested with the probes themselves (the intersection would cost more than it saves).
    ``shared``, when the caller knows it (the candidate index), is
    ``query.probes & listed.keys``.
    """
    if shared is not None:
        if len(query.names) == 1:
            return [(query.names[0], shared)]
        return [(q, hits) for q in query.names if (hits := [k for k in shared if k in q.probes])]
    if len(listed.names) + len(listed.weak) <= _FEW_NAMES:
        return [(qname, qname.probes) for qname in query.names]
    keys = listed.keys
    return [(qname, found) for qname in query.names if (found := qname.probes & keys)]


def _best(
    meeting: list[tuple[_Name, Collection[str]]],
    names: tuple[_Name, ...],
    mode: int,
    floor: float = 0.0,
) -> tuple[_NameScore, _Name, _Name] | None:
    """The best-scoring pair of a query name and one of ``names``, not yet explained.

    Only the query names of ``meeting`` (:func:`_meeting`) are paired, and only with the
    names sharing one of their keys. A pair whose token alignment is below ``floor`` (0–1)
    and whose names are not equal whole or without spaces is skipped: every later feature
    only lowers its score.
    """
    best: tuple[_NameScore, _Name, _Name] | None = None
    person = mode == _PERSON
    # the pairs that meet, listed name first then query name (the order of ties)
    met = [
        (qname, lname)
        for lname in names
        for qname, hits in meeting
        if not lname.keys.isdisjoint(hits)
    ]
    for qname, lname in met:
        lv = lname.person if person else lname.org
        qv = qname.person if person else qname.org
        assert qv is not None and lv is not None  # the views of compatible kinds (_views)
        memo = qv.aligned  # the same name is often listed more than once (lists, aliases)
        # an alignment certainly below a floor f is remembered as (-f, False)
        profiles = lv.profiles
        aligned = memo.get(profiles)
        if aligned is None or -aligned[0] > floor:
            found = _align(qv, lv, mode, floor)
            aligned = memo[profiles] = (-floor, False) if found is None else found
        if aligned[0] < floor:
            # _whole_in, inlined: one name whole equals a name or short name of the other
            qx, lx = qname.exact, lname.exact
            # or the names share a ``j:`` key (:func:`_joined_equal`)
            if not (qx and lx and (qx[0] in lx or lx[0] in qx)) and qname.keys.isdisjoint(
                lname.joined
            ):
                continue
            if aligned[0] < 0.0:  # equal names score 1 whatever the alignment: do it
                aligned = memo[profiles] = _aligned(qv, lv, mode)
        result = _score_names(qname, lname, mode, False, aligned)
        if best is None or result.score > best[0].score:
            best = (result, qname, lname)
    return best


def _explain(found: tuple[_NameScore, _Name, _Name], mode: int) -> tuple[_NameScore, _Name, _Name]:
    """The same name score with its features (reusing the alignment)."""
    result, qname, lname = found
    return _score_names(qname, lname, mode, True, result.aligned), qname, lname


def _birth_features(query: Prepared, listed: Prepared) -> tuple[Feature | None, bool]:
    if not query.births or not listed.births:
        return None, False
    full = False
    for a in query.births:
        for b in listed.births:
            if a.low <= b.high and b.low <= a.high:
                if (
                    a.month
                    and b.month
                    and a.day
                    and b.day
                    and (a.month, a.day)
                    != (
                        b.month,
                        b.day,
                    )
                ):
                    continue
                full = full or bool(a.day and b.day)
                return Feature(
                    name="birth_date_match",
                    effect=0.0,
                    detail="dates of birth agree" + (" to the day" if full else ""),
                ), True
    gap = min(
        min(abs(a.low - b.high), abs(b.low - a.high)) for a in query.births for b in listed.births
    )
    effect = -0.05 if gap == 0 else -0.1 if gap <= 1 else -0.2
    return Feature(
        name="birth_date_mismatch",
        effect=effect,
        detail=f"dates of birth differ ({gap} year(s) apart)"
        if gap
        else "dates of birth differ in month or day",
    ), False


def _exact(query: Prepared, listed: Prepared) -> Comparison:
    for lname in listed.names:
        for qname in query.names:
            if set(qname.exact) & set(lname.exact):
                return Comparison(
                    score=1.0,
                    matched_name=lname.original,
                    query_form=qname.exact[0],
                    listed_form=lname.exact[0],
                    features=(
                        Feature(
                            name="exact_normalised",
                            effect=1.0,
                            detail="names equal after normalisation (fuzzy matching not "
                            "installed: pip install tradecontrol[screening])",
                        ),
                    ),
                )
    return Comparison(
        score=0.0,
        matched_name=listed.entity.name,
        query_form=query.names[0].exact[0] if query.names[0].exact else "",
        listed_form=listed.names[0].exact[0] if listed.names[0].exact else "",
        features=(),
    )


def compare_at_least(
    query: Prepared, listed: Prepared, floor: float, *, shared: Collection[str] | None = None
) -> Comparison | None:
    """:func:`compare`, or ``None`` when the score is certainly below ``floor``.

    Every feature after the name score only lowers it, except a shared identifier; so
    when no identifier is shared and the best name score is below ``floor`` (0–1), the
    features are not built. The candidate index calls it with the review threshold.

    Args:
        query: The prepared query entity.
        listed: The prepared listed entity.
        floor: Score (0–1) below which no :class:`Comparison` is wanted.
        shared: The keys of ``query.probes`` that ``listed`` is filed under, when the
            caller knows them (:meth:`~tradecontrol.screening.index.CandidateIndex.shared_keys`);
            computed when ``None``. Same result either way.

    Returns:
        The :class:`Comparison` :func:`compare` gives, or ``None`` if its score would be
        below ``floor``.

    Example:
        >>> from tradecontrol import Entity
        >>> from tradecontrol.screening.scoring import compare_at_least, prepare
        >>> q = prepare(Entity(name="ORION STAR 8", kind="vessel"))
        >>> listed = prepare(Entity(name="ORION STAR 7", kind="vessel"))
        >>> compare_at_least(q, listed, 0.7) is None
        True
        >>> round(compare_at_least(q, listed, 0.3).score, 2)
        0.4
    """
    return _compare(query, listed, floor, shared)


def compare(query: Prepared, listed: Prepared) -> Comparison:
    """Score how closely ``query`` resembles ``listed`` (0–1) and explain it.

    The name score pairs the tokens of two names by similarity (rapidfuzz Indel ratio),
    weighting distinctive words by length, generic words (``trading``, ``international``)
    and personal titles lightly, and leaving legal forms out (they are compared as legal
    forms). Token order does not matter. For persons, once two tokens agree (three when
    both are common name parts, 1990 US Census), unpaired tokens (a missing middle name)
    cost little; near misses between common name parts count less, and so do pairs less
    similar than 0.8 when no rare name part agrees. Names written with or without spaces are
    also compared joined (``JSCARGUMENT``), organisation names also without their legal
    forms (``HuaweiTechnologies``, ``Hua wei Technologies`` for ``Huawei Technologies Co.,
    Ltd.``). The best pair of names wins; then the
    features below adjust it:

    - different numbers cap the score at 0.4; a number on one side only costs 0.1;
    - no agreeing distinctive word (only generic words or legal forms) caps it at 0.3;
    - two names written only in Han, kana or Hangul with different characters are capped
      at the similarity of their characters (``高市早苗`` vs ``高石早苗``: same reading,
      different names);
    - incompatible kinds (a person and an organisation, vessel or aircraft) give 0;
    - a weak alias alone gives at most ``WEAK_ALIAS_CAP`` (0.8);
    - a shared identifier (same scheme and value) gives 1; the same scheme with different
      values on both sides caps the score at 0.5;
    - dates of birth that disagree lower it (by 0.2 when years are more than one year
      apart), countries that disagree by 0.05; absence never raises the score.

    Args:
        query: The prepared query entity.
        listed: The prepared listed entity.

    Returns:
        A :class:`Comparison`; its features' effects add up to its score.

    Example:
        >>> from tradecontrol import Entity
        >>> from tradecontrol.screening.scoring import compare, prepare
        >>> c = compare(prepare(Entity(name="ORION STAR 8", kind="vessel")),
        ...             prepare(Entity(name="ORION STAR 7", kind="vessel")))
        >>> round(c.score, 2), c.features[-1].name
        (0.4, 'number_mismatch')
    """
    found = _compare(query, listed, 0.0)
    assert found is not None  # a floor of 0 always gives a comparison
    return found


def _compare(
    query: Prepared, listed: Prepared, floor: float, shared: Collection[str] | None = None
) -> Comparison | None:
    if not AVAILABLE:
        exact = _exact(query, listed)
        return exact if exact.score >= floor else None
    if _incompatible(query.kind, listed.kind):
        if floor > 0.0:
            return None
        return Comparison(
            score=0.0,
            matched_name=listed.entity.name,
            query_form=_person_form(query.names[0]),
            listed_form=_person_form(listed.names[0]),
            features=(
                Feature(
                    name="kind_mismatch",
                    effect=0.0,
                    detail=f"a {query.kind.value} cannot be a {listed.kind.value}",
                ),
            ),
        )
    mode = _PERSON if EntityKind.PERSON in (query.kind, listed.kind) else _ORG
    # below ``floor`` a name pair cannot give a comparison, unless an identifier is shared
    prune = floor if query.identifiers.isdisjoint(listed.identifiers) else 0.0
    meeting = _meeting(query, listed, shared)
    found = _best(meeting, listed.names, mode, prune) if meeting else None
    weak = _best(meeting, listed.weak, mode, prune) if meeting and listed.weak else None
    weak_used = weak is not None and (found is None or weak[0].score > found[0].score)
    if weak_used:
        found = weak
    if (
        floor > 0.0
        and (found is None or found[0].score < floor)
        and query.identifiers.isdisjoint(listed.identifiers)
    ):
        return None  # later features only lower the score
    if found is not None:
        found = _explain(found, mode)
    features: list[Feature] = []
    if found is None:
        score = 0.0
        qname, lname = query.names[0], listed.names[0]
    else:
        result, qname, lname = found
        score = result.score
        features.extend(result.features)
    support = False
    birth, birth_ok = _birth_features(query, listed)
    if birth is not None:
        support = support or birth_ok
        features.append(birth)
        score += birth.effect
    if query.countries and listed.countries:
        if query.countries & listed.countries:
            features.append(
                Feature(
                    name="country_match",
                    effect=0.0,
                    detail=f"country {sorted(query.countries & listed.countries)} agrees",
                )
            )
        else:
            features.append(
                Feature(
                    name="country_mismatch",
                    effect=-0.05,
                    detail=f"countries differ: {sorted(query.countries)} vs "
                    f"{sorted(listed.countries)}",
                )
            )
            score -= 0.05
    shared_ids = query.identifiers & listed.identifiers
    if shared_ids:
        scheme, value = sorted(shared_ids)[0]
        features.append(
            Feature(
                name="identifier_match",
                effect=1.0 - score,
                detail=f"same {scheme} identifier {value}",
            )
        )
        score = 1.0
    else:
        common = (
            {s for s, _ in query.identifiers}
            & {s for s, _ in listed.identifiers}
            & _terms()["unique_ids"]
        )
        if common and score > 0.5:
            features.append(
                Feature(
                    name="identifier_mismatch",
                    effect=0.5 - score,
                    detail=f"different {', '.join(sorted(common))} identifiers",
                )
            )
            score = 0.5
        if weak_used and not support and score > WEAK_ALIAS_CAP:
            features.append(
                Feature(
                    name="weak_alias",
                    effect=WEAK_ALIAS_CAP - score,
                    detail=f"{lname.original!r} is a weak alias and nothing else supports it",
                )
            )
            score = WEAK_ALIAS_CAP
    score = min(1.0, max(0.0, score))
    view = "person" if mode == _PERSON else "org"
    return Comparison(
        score=score,
        matched_name=lname.original,
        query_form=getattr(qname, view).form,
        listed_form=getattr(lname, view).form,
        features=tuple(features),
    )
