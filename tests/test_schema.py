"""The generated JSON Schemas accept what the library writes and reject what it refuses."""

from __future__ import annotations

import json
from typing import Any

import jsonschema
import pytest

from tests.conftest import ROOT, transaction
from tradecontrol import Decision, License, Listing, Rulebook, Transaction, evaluate
from tradecontrol.schema import json_schema

EXAMPLES = ROOT / "examples" / "huawei-2019.jsonl"


def _validator(cls: type) -> jsonschema.Draft202012Validator:
    schema = json_schema(cls)
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


def test_examples_transactions_and_their_decisions_match_the_schemas() -> None:
    transactions, decisions = _validator(Transaction), _validator(Decision)
    rulebook = Rulebook.default()
    for line in EXAMPLES.read_text().splitlines():
        data = json.loads(line)
        transactions.validate(data)
        t = Transaction.from_dict(data)
        transactions.validate(t.to_dict())
        decisions.validate(json.loads(json.dumps(evaluate(t, rulebook).to_dict())))


def test_bundled_listings_and_licences_match_the_schemas() -> None:
    listings, licences = _validator(Listing), _validator(License)
    rulebook = Rulebook.default()
    for listing in rulebook.listings:
        listings.validate(json.loads(json.dumps(listing.to_dict())))
    for licence in rulebook.licenses:
        licences.validate(json.loads(json.dumps(licence.to_dict())))


@pytest.mark.parametrize(
    "change",
    [{"colour": "red"}, {"kind": "smuggle"}, {"parties": "Huawei"}, {"id": ""}],
)
def test_the_schema_rejects_what_from_dict_rejects(change: dict[str, Any]) -> None:
    data = {**transaction("2019-05-17"), **change}
    assert not _validator(Transaction).is_valid(data)
    with pytest.raises(ValueError):
        Transaction.from_dict(data)


def test_zte_example_and_a_drawdown_decision_match_the_schemas() -> None:
    from tradecontrol import LicenseUsage

    transactions, decisions = _validator(Transaction), _validator(Decision)
    rulebook = Rulebook.default()
    for line in (ROOT / "examples" / "zte-telecom.jsonl").read_text().splitlines():
        data = json.loads(line)
        transactions.validate(data)
        decisions.validate(
            json.loads(json.dumps(evaluate(Transaction.from_dict(data), rulebook).to_dict()))
        )
    lic = License.from_dict(
        {
            "id": "D1",
            "kind": "specific",
            "issuer": "US-BIS",
            "title": "BIS licence D1",
            "authorizes": ["ear.entity_list"],
            "versions": [
                {
                    "window": {"start": "2019-01-01"},
                    "value_limit": "1000",
                    "currency": "USD",
                    "value_tolerance_percent": "10",
                    "quantity_limit": 5,
                }
            ],
        }
    )
    _validator(License).validate(json.loads(json.dumps(lic.to_dict())))
    deal = transaction(
        "2019-06-10",
        items=[{"eccn": "EAR99", "value": "100", "currency": "USD", "quantity": 1, "origin": "US"}],
        licenses=["D1"],
    )
    decision = evaluate(
        Transaction.from_dict(deal),
        rulebook.with_licenses([lic]),
        usage={"D1": LicenseUsage(value="10", quantity=1)},
    )
    assert decision.drawdowns
    decisions.validate(json.loads(json.dumps(decision.to_dict())))
