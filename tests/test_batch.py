"""evaluate_many: order, equality with evaluate, bad transactions, streaming, processes."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Any

import pytest

from tests.conftest import HUAWEI, build, party, transaction
from tradecontrol import BadTransaction, Decision, InvalidInputError, Rulebook, evaluate
from tradecontrol.batch import IN_FLIGHT_PER_JOB, evaluate_many


def _deals(count: int) -> list[dict[str, Any]]:
    dates = ["2019-05-10", "2019-05-17", "2019-06-10", "2020-09-01"]
    names = [HUAWEI, "Acme Widgets Ltd.", "HiSilicon Technologies Co., Ltd."]
    return [
        transaction(dates[i % 4], id=f"T-{i}", parties=[party(names[i % 3])]) for i in range(count)
    ]


def test_results_equal_evaluate_in_input_order(rulebook: Rulebook) -> None:
    deals = _deals(12)
    results = list(evaluate_many(deals, rulebook, chunk_size=5))
    assert results == [evaluate(build(d), rulebook) for d in deals]
    assert {r.outcome.value for r in results if isinstance(r, Decision)} >= {
        "not_restricted",
        "license_required",
    }


def test_objects_and_mappings_give_the_same_decisions(rulebook: Rulebook) -> None:
    deals = _deals(4)
    assert list(evaluate_many([build(d) for d in deals], rulebook)) == list(
        evaluate_many(deals, rulebook)
    )


def test_as_of_applies_to_every_transaction(rulebook: Rulebook) -> None:
    deals = _deals(6)
    results = list(evaluate_many(deals, rulebook, as_of="2019-05-01"))
    assert all(isinstance(r, Decision) and r.outcome.value == "not_restricted" for r in results)


@pytest.mark.parametrize(
    ("bad", "path"),
    [
        ({"id": "B", "date": "2019-06-10", "origin": "XX"}, "origin"),
        ({"id": "B", "date": "2019-06-10", "colour": "red"}, "colour"),
        ({"id": "B", "date": "2019-06-10T12:00"}, "date"),
        ("not an object", ""),
        (None, ""),
    ],
)
def test_a_bad_transaction_stands_in_place_and_the_batch_goes_on(
    rulebook: Rulebook, bad: Any, path: str
) -> None:
    deals: list[Any] = _deals(3)
    deals.insert(1, bad)
    results = list(evaluate_many(deals, rulebook))
    assert len(results) == 4
    assert [type(r).__name__ for r in results] == [
        "Decision",
        "BadTransaction",
        "Decision",
        "Decision",
    ]
    err = results[1]
    assert isinstance(err, BadTransaction)
    assert err.index == 1
    assert err.transaction_id == ("B" if isinstance(bad, dict) else None)
    assert err.error.path == path
    assert err.message.startswith("[1] ")


def test_input_is_read_lazily() -> None:
    pulled = itertools.count()

    def endless() -> Iterator[dict[str, Any]]:
        for i in itertools.count():
            next(pulled)
            yield transaction("2019-06-10", id=f"T-{i}")

    first = list(itertools.islice(evaluate_many(endless(), Rulebook.default(), chunk_size=8), 3))
    assert [d.transaction_id for d in first if isinstance(d, Decision)] == ["T-0", "T-1", "T-2"]
    assert next(pulled) <= 8


def test_processes_give_the_same_results_and_bound_the_window(rulebook: Rulebook) -> None:
    deals = _deals(40)
    consumed = 0

    def counted() -> Iterator[dict[str, Any]]:
        nonlocal consumed
        for d in deals:
            consumed += 1
            yield d

    stream = evaluate_many(counted(), rulebook, jobs=2, chunk_size=3)
    first = next(stream)
    # the window: at most jobs * IN_FLIGHT_PER_JOB chunks were read before the first result
    assert consumed <= 2 * IN_FLIGHT_PER_JOB * 3
    results = [first, *stream]
    assert results == list(evaluate_many(deals, rulebook))


@pytest.mark.parametrize(
    ("kwargs", "path"),
    [
        ({"jobs": -1}, "jobs"),
        ({"jobs": 1.5}, "jobs"),
        ({"chunk_size": 0}, "chunk_size"),
        ({"as_of": "2019-06-10T12:00"}, "as_of"),
        ({"as_of": 20190610}, "as_of"),
    ],
)
def test_bad_options_are_refused_at_the_call(kwargs: dict[str, Any], path: str) -> None:
    with pytest.raises(InvalidInputError) as info:
        evaluate_many(iter(()), Rulebook.default(), **kwargs)
    assert info.value.path == path


def test_the_rulebook_must_be_a_rulebook() -> None:
    with pytest.raises(InvalidInputError, match="expected a Rulebook"):
        evaluate_many([], {"id": "x"})  # type: ignore[arg-type]


def test_evaluate_many_caps_the_number_of_processes(monkeypatch: pytest.MonkeyPatch) -> None:
    """``jobs=100000`` would hang the machine forking: refused before any process starts."""
    import os

    from tradecontrol import InvalidInputError, Rulebook, evaluate_many

    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    with pytest.raises(InvalidInputError, match="more than the limit of 8") as info:
        next(iter(evaluate_many([], Rulebook.default(), jobs=100000)))
    assert info.value.path == "jobs"
