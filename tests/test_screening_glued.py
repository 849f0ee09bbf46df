"""Names written together or split apart (issue 4 follow-up, QA recall gap).

A listed organisation name written without spaces and without its legal form
(``HuaweiTechnologies`` for ``Huawei Technologies Co., Ltd.``), or with a distinctive token
split in two (``Hua wei Technologies``), meets the listed name through the ``j:`` key of its
name without legal forms and scores as the same name. A glued name that is not a listed
name (``Huaweitech Consulting``, common words glued: ``GlobalTrading``) does not.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from tests.conftest import build, party, transaction
from tradecontrol import Entity, Outcome, Rulebook, evaluate, screen
from tradecontrol.screening import scoring
from tradecontrol.screening.scoring import CANDIDATE_FLOOR, DEFAULT_REVIEW, compare, prepare

pytestmark = pytest.mark.skipif(not scoring.AVAILABLE, reason="tradecontrol[screening] absent")

HUAWEI = "Huawei Technologies Co., Ltd."


def score(query: str, listed: str, kind: str = "organization", **fields: Any) -> Any:
    """Compare, checking the key contract of the candidate index on the way."""
    q = prepare(Entity(name=query, **fields))
    lst = prepare(Entity(name=listed, kind=kind))
    found = compare(q, lst)
    if found.score >= CANDIDATE_FLOOR:
        assert q.probes & lst.keys, "a candidate must meet through an index key"
    return found


# --- the QA cases and their spellings: the same name, written together or split ------------


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        pytest.param("HuaweiTechnologies", HUAWEI, id="camel-case-glued"),
        pytest.param("huaweitechnologies", HUAWEI, id="lower-case-glued"),
        pytest.param("HUAWEITECHNOLOGIES", HUAWEI, id="upper-case-glued"),
        pytest.param("Huawei\u200bTechnologies", HUAWEI, id="zero-width-space-folds-to-glued"),
        pytest.param("Hua wei Technologies", HUAWEI, id="distinctive-token-split"),
        pytest.param("Huawei Tech nologies", HUAWEI, id="generic-word-split"),
        pytest.param("HuaweiTechnologies Co Ltd", "Huawei Technologies", id="query-legal-form"),
        pytest.param("AcmeTrading", "ACME TRADING COMPANY LIMITED", id="other-legal-form-spelling"),
        pytest.param("Ac meTrading", "Acme Trading Co Ltd", id="split-and-glued"),
        pytest.param("OrionStar7Shipping", "Orion Star 7 Shipping Co", id="with-a-number"),
    ],
)
@pytest.mark.parametrize("kind", ["organization", "unknown"])
def test_glued_or_split_listed_name_matches(query: str, listed: str, kind: str) -> None:
    found = score(query, listed, kind)
    assert found.score == 1.0
    assert [f.name for f in found.features][:2] == ["name_similarity", "joined_tokens"]
    assert "equal without spaces" in found.features[0].detail


def test_without_legal_forms_is_said_in_the_explanation() -> None:
    found = score("HuaweiTechnologies", HUAWEI)
    assert found.features[0].detail == (
        "'huaweitechnologies' and 'huawei technologies co ltd' are equal without spaces "
        "and legal forms"
    )
    whole = score("HUAWEITECHNOLOGIES CO LTD", HUAWEI)  # the whole name glued: unchanged
    assert whole.features[0].detail.endswith("are equal without spaces")


# --- near neighbours: glued names that are not the listed name ----------------------------


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        pytest.param("Huaweitech Consulting", HUAWEI, id="glued-prefix-other-company"),
        pytest.param("HuaweiTechnologiesShenzhen", HUAWEI, id="glued-with-an-extra-word"),
        pytest.param("TechnologiesHuawei", HUAWEI, id="glued-in-another-order"),
        pytest.param("GlobalTrading", "Orion Global Trading LLC", id="common-words-glued"),
        pytest.param("GlobalTrading", "Global Trading Co Ltd", id="generic-words-only"),
        pytest.param("GlobalTrading LLC", "Global Trading Solutions LLC", id="generic-and-form"),
        pytest.param("OrionStar8Shipping", "Orion Star 7 Shipping Co", id="other-number"),
        pytest.param("OrionStarShipping", "Orion Star 7 Shipping Co", id="number-missing"),
        pytest.param("AcmeTradingGmbH", "Acme Trading Co Ltd", id="legal-form-glued-in"),
    ],
)
def test_glued_name_that_is_not_the_listed_name_does_not_match(query: str, listed: str) -> None:
    assert score(query, listed).score < DEFAULT_REVIEW


def test_a_person_name_gets_no_key_without_legal_forms() -> None:
    """Persons have no legal forms: their keys are as before (``j:`` of the whole name)."""
    person = prepare(Entity(name="Ivan Co Sidorov", kind="person"))
    assert {k for k in person.keys if k.startswith("j:")} == {"j:ivancosidorov"}
    org = prepare(Entity(name="Ivan Co Sidorov", kind="organization"))
    assert {k for k in org.keys if k.startswith("j:")} == {"j:ivancosidorov", "j:ivansidorov"}


def test_short_names_without_legal_forms_get_no_extra_key() -> None:
    """Fewer than four letters without the legal form: no ``j:`` key of their own."""
    keys = prepare(Entity(name="ABC Co Ltd", kind="organization")).keys
    assert {k for k in keys if k.startswith("j:")} == {"j:abccoltd"}


# --- through screen() and evaluate() on the bundled rulebook (the QA report) ---------------

QA_DAY = datetime.date(2019, 6, 1)
QA = [
    "HuaweiTechnologies",
    "huaweitechnologies",
    "Hua wei Technologies",
    "Huawei\u200bTechnologies",
]


@pytest.mark.parametrize("name", QA)
def test_qa_cases_screen_as_the_listed_name(name: str) -> None:
    rb = Rulebook.default()
    found = screen(Entity(name=name), rb, as_of=QA_DAY)
    assert found and found[0].status == "match" and found[0].score == 1.0
    assert found[0].listing.entity.name.startswith("Huawei Technologies")


@pytest.mark.parametrize("name", QA)
def test_qa_cases_decide_as_the_listed_name(name: str) -> None:
    rb = Rulebook.default()
    glued = evaluate(build(transaction("2019-06-01", parties=[party(name)])), rb)
    spaced = evaluate(build(transaction("2019-06-01", parties=[party(HUAWEI)])), rb)
    assert glued.outcome is spaced.outcome
    assert glued.outcome is not Outcome.NOT_RESTRICTED
    assert {f.listing_id for f in glued.findings} == {f.listing_id for f in spaced.findings}


@pytest.mark.parametrize("name", ["Huaweitech Consulting", "GlobalTrading"])
def test_qa_near_neighbours_are_not_matched(name: str) -> None:
    found = screen(Entity(name=name), Rulebook.default(), as_of=QA_DAY)
    assert not [m for m in found if m.status == "match"]
