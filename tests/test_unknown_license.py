"""A transaction naming a licence id the rulebook does not hold is reported, never ignored."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import build, party, transaction
from tradecontrol import License, Outcome, Rulebook, evaluate
from tradecontrol.licensing import RULE_ID


def _licence(license_id: str) -> License:
    return License.from_dict(
        {
            "id": license_id,
            "kind": "specific",
            "issuer": "US-BIS",
            "title": f"BIS licence {license_id}",
            "authorizes": ["ear.entity_list"],
            "versions": [{"window": {"start": "2019-01-01", "end": "2030-12-31"}}],
        }
    )


CLEAR = transaction("2024-06-01", parties=[party("Acme GmbH", country="DE")], destination="DE")
HUAWEI = transaction("2019-06-10")

# (transaction, licence ids named, licences added to the rulebook, outcome, unknown ids)
CASES: list[tuple[str, dict[str, Any], list[str], list[str], Outcome, list[str]]] = [
    ("no licence named", CLEAR, [], [], Outcome.NOT_RESTRICTED, []),
    ("unknown id on a clear deal", CLEAR, ["D999999"], [], Outcome.REVIEW_REQUIRED, ["D999999"]),
    ("each unknown id", CLEAR, ["D1", "D2"], ["D1"], Outcome.REVIEW_REQUIRED, ["D2"]),
    ("known id", CLEAR, ["D1"], ["D1"], Outcome.NOT_RESTRICTED, []),
    ("stricter finding wins", HUAWEI, ["D9"], [], Outcome.LICENSE_REQUIRED, ["D9"]),
    ("known id authorizes", HUAWEI, ["D9"], ["D9"], Outcome.AUTHORIZED, []),
]


@pytest.mark.parametrize(
    ("data", "named", "held", "outcome", "unknown"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_unknown_licence_ids_are_findings(
    rulebook: Rulebook,
    data: dict[str, Any],
    named: list[str],
    held: list[str],
    outcome: Outcome,
    unknown: list[str],
) -> None:
    book = rulebook.with_licenses([_licence(x) for x in held]) if held else rulebook
    decision = evaluate(build({**data, "licenses": named}), book)
    assert decision.outcome is outcome
    found = [f for f in decision.findings if f.rule == RULE_ID]
    assert [f.outcome for f in found] == [Outcome.REVIEW_REQUIRED] * len(unknown)
    for finding, license_id in zip(found, unknown, strict=True):
        assert f"names licence {license_id!r}" in finding.message
        assert "Rulebook.with_licenses()" in finding.message
