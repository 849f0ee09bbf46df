"""Names written in Han, kana or Hangul compare by their characters, not only their reading."""

from __future__ import annotations

import pytest

from tradecontrol import Entity
from tradecontrol.screening.scoring import DEFAULT_MATCH, compare, compare_at_least, prepare


def _score(a: str, b: str) -> tuple[float, list[str]]:
    c = compare(prepare(Entity(name=a, kind="person")), prepare(Entity(name=b, kind="person")))
    return c.score, [f.name for f in c.features]


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        ("高石早苗", "高市早苗"),  # same reading (Takaichi / Takaishi in romaji), other names
        ("习近朋", "习近平"),
        ("김종은", "김정은"),
    ],
)
def test_different_characters_same_reading_do_not_match(query: str, listed: str) -> None:
    score, features = _score(query, listed)
    assert score < DEFAULT_MATCH
    assert "characters_differ" in features


@pytest.mark.parametrize(
    ("query", "listed"),
    [("习近平", "习 近平"), ("习近平", "Xi Jinping"), ("金正恩", "金正恩")],
)
def test_same_characters_or_other_script_still_match(query: str, listed: str) -> None:
    score, features = _score(query, listed)
    assert score >= DEFAULT_MATCH
    assert "characters_differ" not in features


def test_compare_at_least_agrees_with_compare() -> None:
    q = prepare(Entity(name="习近朋", kind="person"))
    listed = prepare(Entity(name="习近平", kind="person"))
    full = compare(q, listed)
    assert compare_at_least(q, listed, full.score + 0.01) is None
    kept = compare_at_least(q, listed, full.score)
    assert kept is not None and kept.score == full.score
