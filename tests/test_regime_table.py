"""Regime checks from the plan's templates equal :func:`check_regime`'s, field for field."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tradecontrol import Rulebook, Transaction
from tradecontrol.context import EvaluationContext, regime_check
from tradecontrol.errors import InvalidInputError
from tradecontrol.nexus import Regime, check_regime

RULEBOOK = Rulebook.default()
COUNTRIES = ["US", "DE", "FR", "GB", "CN", "IR", "PR", "HR", "CU", "RU"]


def _persons_only(entity: dict[str, Any]) -> dict[str, Any]:
    """Nationalities are for persons only."""
    if entity.get("kind") != "person":
        entity.pop("nationalities", None)
    return entity


FLAG = st.sampled_from([None, True, False])
PARTY = st.fixed_dictionaries(
    {
        "role": st.sampled_from(["exporter", "ultimate_consignee", "end_user", "purchaser"]),
        "entity": st.fixed_dictionaries(
            {"name": st.sampled_from(["Acme", "O'Brien GmbH", 'Kai "K" Ltd', "Émile"])},
            optional={
                "country": st.sampled_from(COUNTRIES),
                "kind": st.sampled_from(["organization", "person"]),
                "nationalities": st.lists(st.sampled_from(COUNTRIES), max_size=2),
                "addresses": st.lists(
                    st.fixed_dictionaries({"country": st.sampled_from(COUNTRIES)}), max_size=2
                ),
            },
        ).map(_persons_only),
    },
    optional={"us_person": FLAG, "eu_person": FLAG, "uk_person": FLAG},
)
ITEM = st.fixed_dictionaries(
    {"description": st.sampled_from(["chip", "cable"])},
    optional={
        "eccn": st.sampled_from(["EAR99", "3A001.a", "5A992.c"]),
        "origin": st.sampled_from(COUNTRIES),
        "us_content_percent": st.sampled_from(["0", "9.99", "10", "40"]),
        "value": st.sampled_from(["100", "5000"]),
    },
).map(lambda d: {**d, "currency": "USD"} if "value" in d else d)
TRANSACTION = st.fixed_dictionaries(
    {
        "id": st.just("T"),
        "date": st.sampled_from(["2012-05-01", "2013-07-01", "2019-06-01", "2021-03-01"]),
        "parties": st.lists(PARTY, max_size=4),
        "items": st.lists(ITEM, max_size=3),
    },
    optional={
        "origin": st.sampled_from(COUNTRIES),
        "destination": st.sampled_from(COUNTRIES),
    },
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(TRANSACTION, min_size=1, max_size=3))
def test_table_checks_equal_check_regime(batch: list[dict[str, Any]]) -> None:
    # Several transactions in a row share the plan's templates, as in a batch.
    for data in batch:
        try:
            t = Transaction.from_dict(data)
        except InvalidInputError:  # e.g. us_person false for a U.S. entity
            continue
        context = EvaluationContext.build(t, RULEBOOK, t.date)
        for regime in Regime:
            fast = regime_check(regime, t, RULEBOOK, t.date, context)
            slow = check_regime(regime, t, RULEBOOK, t.date)
            assert (fast.regime, fast.applies, fast.reason, fast.citations) == (
                slow.regime,
                slow.applies,
                slow.reason,
                slow.citations,
            )
