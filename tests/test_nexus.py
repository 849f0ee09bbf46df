"""Which regimes apply (nexus), de minimis and the foreign direct product rules.

Facts: ../shared/docs/regulatory-facts.md §2 and its Corrections; cases WC-21 … WC-26,
WC-55, WC-56 of ../shared/docs/worked-cases.md (Corrections win).
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import build, party, transaction
from tradecontrol import (
    Decision,
    InvalidInputError,
    Regime,
    RegimeCheck,
    Rulebook,
    Transaction,
    check_regime,
    evaluate,
)

FOREIGN_ITEM = {"description": "German-made controller", "origin": "DE", "us_content_percent": "0"}
US_ITEM = {"description": "U.S.-made controller", "origin": "US"}


def _deal(
    *,
    parties: list[dict[str, Any]],
    origin: str = "DE",
    destination: str = "FR",
    items: list[dict[str, Any]] | None = None,
    date: str = "2024-05-01",
) -> Transaction:
    return build(
        transaction(
            date,
            parties=[],
            origin=origin,
            destination=destination,
            items=items if items is not None else [US_ITEM],
        )
        | {"parties": parties}
    )


DE_EXPORTER = party("EuroMach GmbH", "exporter", "DE")

# (regime, transaction, applies, words the reason must contain)
REGIME_ROWS: list[tuple[str, Regime, Transaction, bool, str]] = [
    ("ear-us-origin", Regime.EAR, _deal(parties=[DE_EXPORTER]), True, "U.S. origin"),
    (
        "ear-no-items",
        Regime.EAR,
        _deal(parties=[DE_EXPORTER], items=[]),
        False,
        "no items",
    ),
    (
        "ofac-us-exporter",
        Regime.OFAC,
        _deal(parties=[party("Acme Inc.", "exporter", "US")]),
        True,
        "is a U.S. person by its country",
    ),
    (
        "ofac-explicit-us-person",
        Regime.OFAC,
        _deal(parties=[DE_EXPORTER | {"us_person": True}]),
        True,
        "is a U.S. person",
    ),
    (
        "ofac-us-territory",
        Regime.OFAC,
        _deal(parties=[DE_EXPORTER], destination="PR"),
        True,
        "goes to PR",
    ),
    (
        "ofac-default-us-exporter",
        Regime.OFAC,
        _deal(parties=[party("Client SARL", "ultimate_consignee", "FR")]),
        True,
        "U.S. exporter is assumed",
    ),
    ("ofac-none", Regime.OFAC, _deal(parties=[DE_EXPORTER]), False, "no party is a U.S."),
    (
        "ofac-flag-wins-over-country",
        Regime.OFAC,
        _deal(
            parties=[DE_EXPORTER, party("Acme Inc.", "purchaser", "CH") | {"us_person": False}],
            origin="CH",
            destination="CH",
        ),
        False,
        "does not apply",
    ),
    ("eu-member-exporter", Regime.EU, _deal(parties=[DE_EXPORTER]), True, "goes to FR"),
    (
        "eu-none",
        Regime.EU,
        _deal(parties=[party("TaiNet", "exporter", "TW")], origin="TW", destination="CN"),
        False,
        "no party is an EU",
    ),
    (
        "eu-uk-in-transition-2020",
        Regime.EU,
        _deal(
            parties=[party("Brit Ltd", "exporter", "GB")],
            origin="GB",
            destination="CN",
            date="2020-12-31",
        ),
        True,
        "leaves from GB",
    ),
    (
        "eu-uk-after-transition-2021",
        Regime.EU,
        _deal(
            parties=[party("Brit Ltd", "exporter", "GB")],
            origin="GB",
            destination="CN",
            date="2021-01-01",
        ),
        False,
        "does not apply",
    ),
    (
        "uk-national-abroad",
        Regime.UK,
        _deal(
            parties=[
                DE_EXPORTER,
                {
                    "role": "end_user",
                    "entity": {"name": "J. Smith", "kind": "person", "nationalities": ["GB"]},
                },
            ]
        ),
        True,
        "is a UK person by its country or nationality",
    ),
    ("uk-none", Regime.UK, _deal(parties=[DE_EXPORTER]), False, "no party is a UK"),
    (
        "uk-explicit",
        Regime.UK,
        _deal(parties=[DE_EXPORTER | {"uk_person": True}]),
        True,
        "is a UK person",
    ),
]


@pytest.mark.parametrize(
    ("regime", "t", "applies", "words"),
    [row[1:] for row in REGIME_ROWS],
    ids=[row[0] for row in REGIME_ROWS],
)
def test_regime_checks(
    regime: Regime, t: Transaction, applies: bool, words: str, rulebook: Rulebook
) -> None:
    check = check_regime(regime, t, rulebook, t.date)
    assert check.regime is regime
    assert check.applies is applies, check.reason
    assert words in check.reason
    assert check.citations


def test_croatia_is_a_member_state_only_from_accession(rulebook: Rulebook) -> None:
    hr = [party("Zagreb d.o.o.", "exporter", "HR")]
    before = _deal(parties=hr, origin="HR", destination="CN", date="2013-06-30")
    after = _deal(parties=hr, origin="HR", destination="CN", date="2013-07-01")
    assert not check_regime(Regime.EU, before, rulebook, before.date).applies
    assert check_regime(Regime.EU, after, rulebook, after.date).applies


def test_decision_lists_every_regime_and_round_trips(rulebook: Rulebook) -> None:
    t = _deal(parties=[DE_EXPORTER])
    d = evaluate(t, rulebook)
    assert [c.regime for c in d.regimes] == list(Regime)
    data = d.to_dict()
    assert data["regimes"][0]["regime"] == "EAR"
    assert Decision.from_dict(data) == d


def test_a_rulebook_without_the_nexus_rule_gives_no_regimes(rulebook: Rulebook) -> None:
    import attrs

    bare = attrs.evolve(rulebook, rules=[r for r in rulebook.rules if r.id != "nexus.regimes"])
    assert evaluate(_deal(parties=[DE_EXPORTER]), bare).regimes == ()


@pytest.mark.parametrize("flag", ["us_person", "eu_person", "uk_person"])
def test_person_flags_must_be_booleans(flag: str) -> None:
    data = transaction("2024-05-01")
    data["parties"][0][flag] = "yes"
    with pytest.raises(InvalidInputError, match=rf"parties\[0\]\.{flag}"):
        Transaction.from_dict(data)


def test_regime_check_validates() -> None:
    with pytest.raises(InvalidInputError):
        RegimeCheck(regime="EAR", applies=True, reason="")
