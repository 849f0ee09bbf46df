"""Python API misuse found by a QA pass: each is a TradeControlError naming what and where."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

import tradecontrol as tc
from tradecontrol.errors import InvalidInputError

DEAL: dict[str, Any] = {"id": "x", "date": "2020-01-01", "parties": []}

CASES: list[tuple[str, Callable[[], object], str, str]] = [
    (
        "non-text key",
        lambda: tc.Transaction.from_dict({**DEAL, 1: 2}),
        "[1]",
        "keys must be text",
    ),
    (
        "non-text key beside an unknown one",
        lambda: tc.Transaction.from_dict({**DEAL, None: 1, "zz": 2}),
        "zz",
        "unknown field [also [None]: keys must be text]",
    ),
    (
        "NUL in a rulebook path",
        lambda: tc.Rulebook.load("rb.json\x00x"),
        "",
        "contains a NUL character",
    ),
    (
        "NUL in a save path",
        lambda: tc.Rulebook.default().save("rb\x00.json"),
        "",
        "contains a NUL character",
    ),
    (
        "transactions not iterable",
        lambda: tc.evaluate_many(5, tc.Rulebook.default()),  # type: ignore[arg-type]
        "transactions",
        "expected an iterable of transactions",
    ),
]


@pytest.mark.parametrize(("what", "call", "path", "message"), CASES, ids=[c[0] for c in CASES])
def test_misuse_is_an_invalid_input_error(
    what: str, call: Callable[[], object], path: str, message: str
) -> None:
    with pytest.raises(InvalidInputError) as caught:
        call()
    assert caught.value.path == path
    assert message in caught.value.message
