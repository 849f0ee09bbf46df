"""Country Chart findings from the plan's templates equal the rule's own, field for field."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.test_regime_table import PARTY
from tradecontrol import Rulebook, Transaction
from tradecontrol.context import EvaluationContext
from tradecontrol.errors import InvalidInputError
from tradecontrol.rules import country_chart

RULEBOOK = Rulebook.default()
PLACES = ["US", "CN", "RU", "DE", "IR", "PR", "UA-43", "HK", "AE"]
ITEM = st.fixed_dictionaries(
    {"description": st.sampled_from(["chip", "cable", "O'Brien's router"])},
    optional={
        "eccn": st.sampled_from(["EAR99", "3A001.a", "5A992.c", "5A002.a", "9A515.x", "0A999"]),
        "origin": st.sampled_from(["US", "DE", "CN"]),
        "us_content_percent": st.sampled_from(["0", "10", "40"]),
        "reasons_for_control": st.lists(st.sampled_from(["NS2", "AT1", "RS2"]), max_size=2),
    },
)
TRANSACTION = st.fixed_dictionaries(
    {
        "id": st.just("T"),
        "date": st.sampled_from(["2014-05-01", "2019-06-01", "2021-03-01", "2022-04-10"]),
        "parties": st.lists(PARTY, max_size=2),
        "items": st.lists(ITEM, max_size=4),
    },
    optional={"origin": st.sampled_from(PLACES), "destination": st.sampled_from(PLACES)},
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(TRANSACTION, min_size=1, max_size=3))
def test_chart_findings_from_templates_equal_the_rules(batch: list[dict[str, Any]]) -> None:
    # Several transactions in a row share the plan's templates, as in a batch.
    for data in batch:
        try:
            t = Transaction.from_dict(data)
        except InvalidInputError:
            continue
        context = EvaluationContext.build(t, RULEBOOK, t.date)
        try:
            alone = country_chart.evaluate(t, RULEBOOK, t.date)
        except Exception as exc:  # the rule fails the same way with the context
            try:
                country_chart.evaluate(t, RULEBOOK, t.date, context=context)
            except Exception as shared:
                assert repr(shared) == repr(exc)
                continue
            raise AssertionError("no error with the context") from exc
        assert country_chart.evaluate(t, RULEBOOK, t.date, context=context) == alone
