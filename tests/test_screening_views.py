"""A name is analysed only in the views its entity's kind is compared by: same results."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tradecontrol import Entity
from tradecontrol.screening import _text, scoring
from tradecontrol.screening.scoring import compare, prepare

pytestmark = pytest.mark.skipif(not scoring.AVAILABLE, reason="tradecontrol[screening] absent")

WORDS = ["Orion", "Star", "bin", "Hasan", "Bank", "of", "trading", "Co.,", "Ltd", "JSC"]
WORDS += ["COMPAN", "7", "forty", "four", "Иван", "高市", "Ted", "Theodore", "SMITH,", "Dr"]
NAMES = st.lists(st.sampled_from(WORDS), min_size=1, max_size=5).map(" ".join)
KINDS = st.sampled_from(["unknown", "person", "organization", "vessel", "aircraft"])


def _both(name: str, kind: object) -> scoring._Views:
    """Every view of a name, whatever the kind (what ``prepare`` built before)."""
    tokens = _text.fold_tokens(name)
    syllabic = scoring._syllabic(name)
    person = scoring._person_view(name, tokens, syllabic)
    return person, scoring._view(tokens, scoring._ORG), syllabic, "".join(tokens)


def entity(name: str, kind: str, alias: str) -> Entity:
    if not name.strip(" ,"):
        name = "Orion"
    return Entity(name=name, kind=kind, weak_aliases=[alias] if alias.strip(" ,") else [])


@settings(max_examples=200, deadline=None)
@given(a=NAMES, b=NAMES, kind_a=KINDS, kind_b=KINDS, alias=NAMES, floor=st.sampled_from([0.0, 0.7]))
def test_comparisons_equal_those_of_every_view(
    a: str, b: str, kind_a: str, kind_b: str, alias: str, floor: float
) -> None:
    query, listed = entity(a, kind_a, ""), entity(b, kind_b, alias)
    fewer = (prepare(query), prepare(listed))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(scoring, "_views", _both)
        every = (prepare(query), prepare(listed))
    assert [p.keys for p in fewer] == [p.keys for p in every]
    assert [p.probes for p in fewer] == [p.probes for p in every]
    assert [p.kind for p in fewer] == [p.kind for p in every]
    got = scoring.compare_at_least(*fewer, floor)
    assert got == scoring.compare_at_least(*every, floor)
    assert compare(*fewer) == compare(*every)


@pytest.mark.parametrize(
    ("person", "other", "kind", "forms"),
    [
        ("Emma Daniels", "EMMA LLC", "organization", ("emma daniels", "emma llc")),
        ("Orion, Star", "Orion Star 7", "vessel", ("orion star", "orion star 7")),
        ("高石早苗", "高市早苗", "aircraft", ("gaoshizaomiao", "gaoshizaomiao")),
    ],
)
def test_a_kind_mismatch_shows_both_person_forms(
    person: str, other: str, kind: str, forms: tuple[str, str]
) -> None:
    p = prepare(Entity(name=person, kind="person"))
    o = prepare(Entity(name=other, kind=kind))
    assert p.names[0].org is None and o.names[0].person is None  # never compared so
    found = compare(p, o)
    assert (found.score, found.features[0].name) == (0.0, "kind_mismatch")
    assert (found.query_form, found.listed_form) == forms
    assert (compare(o, p).query_form, compare(o, p).listed_form) == forms[::-1]


COLUMNS = ["texts", "plain", "skeletons", "weights", "words", "distinct", "long", "common"]
COLUMNS += ["lineage", "nick", "by_lineage", "total", "integral"]


@settings(max_examples=200, deadline=None)
@given(a=NAMES, b=NAMES, syllabic=st.booleans(), inverted=st.booleans())
def test_token_profiles_decide_what_an_alignment_reads(
    a: str, b: str, syllabic: bool, inverted: bool
) -> None:
    # alignments are remembered by the listed name's profiles: equal profiles in one mode
    # must mean equal per-token columns
    for mode in (scoring._PERSON, scoring._ORG):
        one = scoring._view(_text.fold_tokens(a), mode, syllabic, inverted)
        for other in (
            scoring._view(_text.fold_tokens(b), mode, syllabic, inverted),
            scoring._view(_text.fold_tokens(a.upper() + " ,"), mode, syllabic, inverted),
        ):
            if one.profiles == other.profiles:
                assert [getattr(one, c) for c in COLUMNS] == [getattr(other, c) for c in COLUMNS]
