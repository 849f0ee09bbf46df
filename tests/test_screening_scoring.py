"""Name scoring (issue 4 items 3 and 8): one named test per matching rule, and the regressions."""

from __future__ import annotations

import pickle
from typing import Any

import pytest

from tradecontrol import Entity
from tradecontrol.entities import Identifier
from tradecontrol.screening import scoring
from tradecontrol.screening.scoring import (
    CANDIDATE_FLOOR,
    DEFAULT_MATCH,
    DEFAULT_REVIEW,
    Comparison,
    compare,
    prepare,
)

pytestmark = pytest.mark.skipif(not scoring.AVAILABLE, reason="tradecontrol[screening] absent")


def ent(name: str, kind: str = "unknown", **fields: Any) -> Entity:
    return Entity(name=name, kind=kind, **fields)


def cmp(query: Entity, listed: Entity) -> Comparison:
    result = compare(prepare(query), prepare(listed))
    q, lst = prepare(query), prepare(listed)
    if result.score >= CANDIDATE_FLOOR:  # the key contract of the candidate index
        assert q.keys & lst.keys
    return result


def names(c: Comparison) -> list[str]:
    return [f.name for f in c.features]


def is_match(c: Comparison) -> bool:
    return c.score >= DEFAULT_MATCH


def test_thresholds_are_ordered() -> None:
    assert 0 < CANDIDATE_FLOOR <= DEFAULT_REVIEW < DEFAULT_MATCH <= 1


# --- item 8: the ten regression inputs -------------------------------------------------


def test_regression_acme_co_ltd() -> None:
    c = cmp(ent("Acme Trading Co., Ltd."), ent("ACME TRADING COMPANY LIMITED", "organization"))
    assert is_match(c)
    assert "legal_form_equivalent" in names(c)


def test_regression_lukoil_comp() -> None:
    assert is_match(cmp(ent("LUKOIL OIL COMP"), ent("LUKOIL OIL COMPANY", "organization")))


def test_regression_belletech_vs_11420_corp() -> None:
    c = cmp(ent("BELLETECH CORP"), ent("11420 CORP.", "organization"))
    assert c.score < DEFAULT_REVIEW


def test_regression_sidorov_cyrillic_with_birth_year() -> None:
    listed = ent("Ivan Petrovich SIDOROV", "person", birth_date="1961-04-02")
    c = cmp(ent("Сидоров Иван Петрович", "person", birth_date="1961"), listed)
    assert is_match(c)
    assert "birth_date_match" in names(c)


def test_regression_sidorov_other_birth_year_is_review_with_reason() -> None:
    listed = ent("Ivan Petrovich SIDOROV", "person", birth_date="1961-04-02")
    c = cmp(ent("Сидоров Иван Петрович", "person", birth_date="1975"), listed)
    assert not is_match(c)
    mismatch = [f for f in c.features if f.name == "birth_date_mismatch"]
    assert mismatch and mismatch[0].effect < 0 and "14 year" in mismatch[0].detail


@pytest.mark.parametrize("query", ["Petro Kovalenko", "KOVALENKO Petro"])
def test_regression_kovalenko_token_order_and_missing_patronymic(query: str) -> None:
    assert is_match(cmp(ent(query, "person"), ent("KOVALENKO, Petro Ivanovych", "person")))


def _nwm() -> Entity:
    return ent(
        "NEW WORLD MARITIME HOLDINGS LIMITED",
        "organization",
        aliases=["NWM SHIPPING"],
        weak_aliases=["NWMS"],
    )


def test_regression_nwm_shipping_matches_strong_alias() -> None:
    c = cmp(ent("NWM Shipping"), _nwm())
    assert is_match(c)
    assert c.matched_name == "NWM SHIPPING"


def test_regression_weak_alias_alone_is_no_automatic_match() -> None:
    c = cmp(ent("NWMS"), _nwm())
    assert c.matched_name == "NWMS"
    assert not is_match(c)
    assert "weak_alias" in names(c)


def test_regression_person_does_not_match_llc() -> None:
    c = cmp(ent("Emma Daniels", "person"), ent("EMMA LLC", "organization"))
    assert c.score == 0.0
    assert names(c) == ["kind_mismatch"]


def test_regression_emma_unknown_kind_still_no_match() -> None:
    assert cmp(ent("Emma Daniels"), ent("EMMA LLC")).score < DEFAULT_REVIEW


def test_regression_jscargument() -> None:
    c = cmp(ent("JSCARGUMENT"), ent("JSC ARGUMENT", "organization"))
    assert is_match(c)
    assert "joined_tokens" in names(c)


def test_regression_orion_star_numbers_discriminate() -> None:
    c = cmp(ent("ORION STAR 8", "vessel"), ent("ORION STAR 7", "vessel"))
    assert c.score < DEFAULT_REVIEW
    assert "number_mismatch" in names(c)


def test_regression_orion_star_same_imo_matches() -> None:
    c = cmp(
        ent("ORION STAR 8", "vessel", identifiers=[Identifier(scheme="imo", value="IMO 9123456")]),
        ent("ORION STAR 7", "vessel", identifiers=[Identifier(scheme="imo", value="9123456")]),
    )
    assert is_match(c)
    assert "identifier_match" in names(c)


def test_prepared_is_picklable() -> None:
    p = prepare(_nwm())
    assert pickle.loads(pickle.dumps(p)) == p
