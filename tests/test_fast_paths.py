"""The evaluation fast paths give what the validating paths give."""

from __future__ import annotations

import attrs
import pytest

from tests.conftest import HUAWEI, build, party, transaction
from tradecontrol import Decision, Rulebook, evaluate
from tradecontrol.context import EvaluationContext
from tradecontrol.rules import RULES

CASES = [
    transaction("2019-05-10"),
    transaction("2019-05-17"),
    transaction("2019-06-10", parties=[party(HUAWEI), party("HiSilicon Technologies Co., Ltd.")]),
    transaction("2019-06-10", licenses=["NO-SUCH-LICENCE"], facts={"colour": "red"}),
    transaction("2019-06-10", items=[]),
]


@pytest.mark.parametrize("data", CASES)
def test_the_trusted_decision_equals_a_validated_one(rulebook: Rulebook, data: dict) -> None:  # type: ignore[type-arg]
    decision = evaluate(build(data), rulebook)
    fields = {f.name: getattr(decision, f.name) for f in attrs.fields(Decision)}  # all set
    assert Decision(**fields) == decision
    assert Decision.from_dict(decision.to_dict()) == decision


@pytest.mark.parametrize("data", CASES)
def test_rules_find_the_same_with_and_without_the_context(
    rulebook: Rulebook,
    data: dict,  # type: ignore[type-arg]
) -> None:
    t = build(data)
    context = EvaluationContext.build(t, rulebook, t.date)
    for _, rule in RULES:
        alone = rule(t, rulebook, t.date)
        try:
            shared = rule(t, rulebook, t.date, context=context)  # type: ignore[call-arg]
        except TypeError:  # a rule without the context parameter
            continue
        assert shared == alone


def test_a_context_for_another_transaction_is_ignored(rulebook: Rulebook) -> None:
    listed, clean = build(CASES[2]), build(CASES[0])
    wrong = EvaluationContext.build(clean, rulebook, clean.date)
    for _, rule in RULES:
        try:
            found = rule(listed, rulebook, listed.date, context=wrong)  # type: ignore[call-arg]
        except TypeError:
            continue
        assert found == rule(listed, rulebook, listed.date)
