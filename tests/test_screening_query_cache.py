"""The query side of screening: cached analysis never changes a result or shares a memo."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tradecontrol import Entity
from tradecontrol.entities import Identifier
from tradecontrol.screening import _text, scoring
from tradecontrol.screening.scoring import compare, prepare

pytestmark = pytest.mark.skipif(not scoring.AVAILABLE, reason="tradecontrol[screening] absent")

WORDS = ["Orion", "ORI0N", "Star", "bin", "Hasan", "Bank", "Banc", "of", "trading", "Co.,", "Ltd"]
WORDS += ["JSC", "Aktiengeselschaft", "COMPAN", "7", "forty", "four", "Иван", "高市", "O'Brien"]
WORDS += ["Ted", "Theodore", "a", "b", "(Huawei)", "SMITH,", "é", "&", "\u200b", "Dr"]
NAMES = st.lists(st.sampled_from(WORDS), max_size=6).map(" ".join)
KINDS = st.sampled_from(["unknown", "person", "organization", "vessel"])


def plain(p: scoring.Prepared) -> tuple[Any, ...]:
    """Everything ``prepare`` gives, without the per-query memos (they compare equal)."""

    def view(v: Any) -> tuple[Any, ...] | None:
        if v is None:  # a view the entity's kind is never compared by
            return None
        return tuple(x for f, x in zip(v._fields, v, strict=True) if f not in ("memo", "aligned"))

    def name(n: Any) -> tuple[Any, ...]:
        return (n.original, view(n.person), view(n.org), n.keys, n.probes, n.exact, n.syllabic)

    return (
        p.keys,
        p.probes,
        p.kind,
        [name(n) for n in p.names],
        [name(n) for n in p.weak],
        p.identifiers,
        p.births,
        p.countries,
    )


@settings(max_examples=150, deadline=None)
@given(name=NAMES, alias=NAMES, kind=KINDS)
def test_prepare_is_the_same_with_cold_and_warm_caches(name: str, alias: str, kind: str) -> None:
    if not name.strip(" ,.'&-()\u200b"):
        name = "x"
    aliases = [alias] if alias.strip(" ,.'&-()\u200b") else []
    entity = Entity(name=name, kind=kind, weak_aliases=aliases)
    warm = plain(prepare(entity))
    scoring._clear_query_caches()
    cold = plain(prepare(entity))
    assert cold == warm
    assert plain(prepare(entity)) == warm


def test_two_queries_with_one_name_share_no_memo() -> None:
    listed = prepare(Entity(name="Orion Star Shipping Co., Ltd.", kind="organization"))
    first = prepare(Entity(name="Orion Star Shiping"))
    assert compare(first, listed).score >= 0.85
    second = prepare(Entity(name="Orion Star Shiping"))
    for a, b in zip(first.names, second.names, strict=True):
        for view in ("person", "org"):
            va, vb = getattr(a, view), getattr(b, view)
            assert va.tokens[0] is vb.tokens[0]  # the tokens' analysis is shared...
            assert va.memo is not vb.memo and va.aligned is not vb.aligned  # ...memos never
    org, other = first.names[0].org, second.names[0].org
    assert org is not None and other is not None  # a name of unknown kind has both views
    assert org.aligned and org.memo  # the first query remembered its comparison
    assert not other.aligned and not other.memo


def test_identifier_keys_are_filed_and_looked_up() -> None:
    p = prepare(
        Entity(
            name="Orion Star",
            kind="vessel",
            weak_aliases=["Polaris Star"],
            identifiers=[Identifier(scheme="IMO", value="IMO 9123456")],
        )
    )
    assert "i:imo:9123456" in p.keys and "i:imo:9123456" in p.probes
    assert all(n.keys <= p.keys for n in p.names + p.weak)


def test_query_caches_are_bounded() -> None:
    cached: list[Any] = [scoring._word, scoring._token, scoring._row, scoring._fine]
    cached += [scoring._tagged, scoring._pair_keys, scoring._near]
    cached += [scoring._cut_form, scoring._fuzzy_form, scoring._near_generic]
    for function in cached:
        assert function.cache_info().maxsize is not None, function


def _fold_reference(name: str) -> list[str]:
    """``fold_tokens`` without its shortcuts (every step applied to every name)."""
    text = unicodedata.normalize("NFKC", name)
    text = "".join(ch for ch in text if unicodedata.category(ch) not in ("Cf", "Cc"))
    text = pytest.importorskip("anyascii").anyascii(text)
    text = text.casefold().replace("'", "").replace("`", "").replace("&", " and ")
    text = re.sub(r"[^0-9a-z]+", " ", text)
    text = _text._LEET.sub(lambda m: _text._LEET_MAP[m.group()], text)
    text = _text._DIGIT_ALPHA.sub(" ", text)
    return text.split()


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from([*"aBz 0134569,.'`&\t-_", "é", "Ж", "\u200b"])))
def test_fold_tokens_shortcuts_change_nothing(name: str) -> None:
    assert _text.fold_tokens(name) == _fold_reference(name)
