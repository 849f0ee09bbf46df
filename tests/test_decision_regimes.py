"""The Decision's regime checks: read from the rules' checks, made for the others."""

from __future__ import annotations

from tradecontrol import Rulebook, Transaction, evaluate

RULEBOOK = Rulebook.default()


def test_a_regime_check_that_fails_is_treated_as_applying() -> None:
    """The Decision's regimes: a check no rule made and that fails applies, and says why."""
    data = RULEBOOK.to_dict()
    for rule in data["rules"]:
        if rule["id"] == "nexus.regimes":
            rule["parameters"] = [p for p in rule["parameters"] if p["key"] != "ear"]
    broken = Rulebook.from_dict(data)
    t = Transaction.from_dict(
        {
            "id": "T",
            "date": "2019-06-10",
            "origin": "US",
            "destination": "CN",
            "parties": [{"role": "exporter", "entity": {"name": "Acme", "country": "US"}}],
        }
    )
    ear, ofac, eu, uk = evaluate(t, broken).regimes
    assert ear.applies and "EAR could not be checked (DataError" in ear.reason
    assert [ofac.applies, eu.applies, uk.applies] == [True, False, False]
    assert (ofac, eu, uk) == evaluate(t, RULEBOOK).regimes[1:]
