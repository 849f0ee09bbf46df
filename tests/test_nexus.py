"""Which regimes apply (nexus), de minimis and the foreign direct product rules.

Facts: ../shared/docs/regulatory-facts.md §2 and its Corrections; cases WC-21 … WC-26,
WC-55, WC-56 of ../shared/docs/worked-cases.md (Corrections win).
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import build, party, transaction
from tradecontrol import (
    Decision,
    InvalidInputError,
    Item,
    Listing,
    Outcome,
    Regime,
    RegimeCheck,
    ReviewPolicy,
    Rulebook,
    Transaction,
    check_regime,
    evaluate,
)
from tradecontrol.rules.de_minimis import de_minimis, de_minimis_level
from tradecontrol.rules.foreign_direct_product import russia_belarus_fdp
from tradecontrol.rules.subject_to_ear import subject_to_ear

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
    (
        "ofac-person-in-the-us-by-address",
        Regime.OFAC,
        _deal(
            parties=[
                DE_EXPORTER,
                {
                    "role": "purchaser",
                    "entity": {"name": "Buyer", "addresses": [{"city": "Austin", "country": "US"}]},
                },
            ]
        ),
        True,
        "the purchaser 'Buyer' is a U.S. person by its country",
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


# --- de minimis and the foreign direct product rules (WC-21 … WC-26, WC-55, WC-56) ---------

HUAWEI = "Huawei Technologies Co., Ltd."
HISILICON = "HiSilicon Technologies Co., Ltd (HiSilicon)"


def _foreign(
    date: str,
    item: dict[str, Any],
    *,
    exporter: tuple[str, str] = ("TaiNet Corp.", "TW"),
    consignee: tuple[str, str] = (HUAWEI, "CN"),
    destination: str = "CN",
    role: str = "ultimate_consignee",
) -> Transaction:
    """A non-U.S. exporter reexporting a foreign-made item from its own country."""
    return build(
        transaction(
            date,
            parties=[],
            kind="reexport",
            origin=exporter[1],
            destination=destination,
            items=[item],
        )
        | {
            "parties": [
                party(exporter[0], "exporter", exporter[1]) | {"us_person": False},
                party(consignee[0], role, consignee[1]),
            ]
        }
    )


def _router(pct: str | None, **extra: Any) -> dict[str, Any]:
    item: dict[str, Any] = {"description": "Taiwan-made router", "origin": "TW"}
    if pct is not None:
        item["us_content_percent"] = pct
    return item | {"direct_product": {}} | extra


def _chip(**direct_product: Any) -> dict[str, Any]:
    ns = direct_product.get("ns_controlled")
    return {
        "description": "integrated circuits",
        "eccn": "3A001.a" if ns else "3A991.a",
        "reasons_for_control": ["NS2", "AT1"] if ns else ["AT1"],
        "origin": "TW",
        "us_content_percent": "0",
        "direct_product": {"plant_of": ["3E001"]} | direct_product,
    }


def _unclassified(item: dict[str, Any]) -> dict[str, Any]:
    """The item without ECCN or reasons for control: whether it is NS-controlled is unknown."""
    return {k: v for k, v in item.items() if k not in ("eccn", "reasons_for_control")}


HISILICON_DESIGN = {"designed_by": HISILICON, "ns_controlled": False}

# (case, transaction, expected outcome, expected licence id or None)
CASES: list[tuple[str, Transaction, Outcome, str | None]] = [
    # WC-21/22: 25% to China, Entity List consignee; 20% below, 30% above.
    (
        "WC-21",
        _foreign(
            "2019-07-01",
            _router(
                "20",
                us_content=[{"eccn": "3A001", "percent": "20", "license_required": True}],
            ),
        ),
        Outcome.NOT_RESTRICTED,
        None,
    ),
    ("WC-22", _foreign("2019-07-01", _router("30")), Outcome.LICENSE_REQUIRED, None),
    # exactly at the level is not "exceeding" (15 CFR 734.3(a)(3)(ii)): outside the EAR
    ("WC-21-at-25", _foreign("2019-07-01", _router("25")), Outcome.NOT_RESTRICTED, None),
    ("WC-22-above-25", _foreign("2019-07-01", _router("25.01")), Outcome.LICENSE_REQUIRED, None),
    # WC-23: 40% U.S. content, none of it controlled to China (Entity List not used).
    (
        "WC-23",
        _foreign(
            "2019-07-01",
            _router(
                None,
                us_content=[
                    {"eccn": "EAR99", "percent": "25", "license_required": False},
                    {"eccn": "5A992.c", "percent": "15", "license_required": False},
                ],
            ),
        ),
        Outcome.NOT_RESTRICTED,
        None,
    ),
    (
        "WC-23-from-the-chart",
        _foreign(
            "2019-07-01",
            _router(
                None,
                us_content=[
                    {"eccn": "EAR99", "percent": "25"},
                    {"eccn": "5A992.c", "percent": "15", "reasons_for_control": ["AT1"]},
                ],
            ),
        ),
        Outcome.NOT_RESTRICTED,
        None,
    ),
    (
        "WC-22-from-the-chart",
        _foreign(
            "2019-07-01",
            _router(
                None,
                us_content=[{"eccn": "3A001", "percent": "30", "reasons_for_control": ["NS2"]}],
            ),
        ),
        Outcome.LICENSE_REQUIRED,
        None,
    ),
    (
        "controlled-status-unknown-but-below-the-level",
        _foreign("2019-07-01", _router(None, us_content=[{"eccn": "3A001", "percent": "20"}])),
        Outcome.NOT_RESTRICTED,
        None,
    ),
    (
        "controlled-status-unknown-around-the-level",
        _foreign("2019-07-01", _router(None, us_content=[{"eccn": "3A001", "percent": "30"}])),
        Outcome.REVIEW_REQUIRED,
        None,
    ),
    (
        "share-unknown",
        _foreign("2019-07-01", {"description": "router", "origin": "TW"}),
        Outcome.REVIEW_REQUIRED,
        None,
    ),
    # WC-25: no de minimis level for U.S.-origin 5E002 technology.
    (
        "WC-25",
        _foreign(
            "2021-01-10",
            {
                "description": "foreign-produced encryption technology (design documents)",
                "origin": "IL",
                "us_content": [{"eccn": "5E002", "percent": "1"}],
            },
            exporter=("CryptoLab Ltd.", "IL"),
            role="end_user",
        ),
        Outcome.LICENSE_REQUIRED,
        None,
    ),
    # WC-26-a: before the footnote 1 rule; the NS direct product rule reaches NS chips to D:1.
    (
        "WC-26-a",
        _foreign(
            "2020-03-01",
            _chip(**HISILICON_DESIGN),
            consignee=(HISILICON, "CN"),
            exporter=("FabCo", "TW"),
        ),
        Outcome.NOT_RESTRICTED,
        None,
    ),
    (
        "WC-26-a-ns-controlled",
        _foreign(
            "2020-03-01",
            _chip(designed_by=HISILICON, ns_controlled=True),
            consignee=(HISILICON, "CN"),
            exporter=("FabCo", "TW"),
        ),
        Outcome.LICENSE_REQUIRED,
        None,
    ),
    (
        "WC-26-a-ns-unknown",
        _foreign(
            "2020-03-01",
            _unclassified(_chip(designed_by=HISILICON)),
            consignee=(HISILICON, "CN"),
            exporter=("FabCo", "TW"),
        ),
        Outcome.REVIEW_REQUIRED,
        None,
    ),
    # WC-26-b: May 2020 rule; production begun before 2020-05-15 ships until 2020-09-14.
    *[
        (
            f"WC-26-b-{ship}-made-{started}",
            _foreign(
                ship,
                _chip(**HISILICON_DESIGN, production_started=started),
                consignee=(HISILICON, "CN"),
                exporter=("FabCo", "TW"),
            ),
            outcome,
            licence,
        )
        for ship, started, outcome, licence in [
            ("2020-05-14", "2020-04-01", Outcome.NOT_RESTRICTED, None),
            ("2020-05-15", "2020-05-14", Outcome.AUTHORIZED, "savings_fdp_2020_09_14"),
            ("2020-05-15", "2020-05-15", Outcome.LICENSE_REQUIRED, None),
            ("2020-06-01", "2020-04-01", Outcome.AUTHORIZED, "savings_fdp_2020_09_14"),
            ("2020-09-14", "2020-04-01", Outcome.AUTHORIZED, "savings_fdp_2020_09_14"),
            ("2020-09-15", "2020-04-01", Outcome.LICENSE_REQUIRED, None),
        ]
    ],
    (
        "WC-26-b-not-a-huawei-design",
        _foreign(
            "2020-06-01",
            _chip(designed_by="Generic Chip Co", ns_controlled=False),
            consignee=(HISILICON, "CN"),
            exporter=("FabCo", "TW"),
        ),
        Outcome.NOT_RESTRICTED,
        None,
    ),
    # WC-26-c: August 2020 rule: knowledge of incorporation into a footnote 1 entity's parts.
    *[
        (
            f"WC-26-c-{day}",
            _foreign(
                day,
                _chip(designed_by="Generic Chip Co", incorporated_for=HUAWEI),
                consignee=("Module Maker Co.", "KR"),
                destination="KR",
                exporter=("FabCo", "TW"),
            ),
            outcome,
            None,
        )
        for day, outcome in [
            ("2020-08-16", Outcome.NOT_RESTRICTED),
            ("2020-08-17", Outcome.LICENSE_REQUIRED),
            ("2020-09-20", Outcome.LICENSE_REQUIRED),
        ]
    ],
    (
        "WC-26-c-august-rule-footnote-1-party",
        _foreign(
            "2020-09-20",
            _chip(designed_by="Generic Chip Co", ns_controlled=False),
            consignee=(HISILICON, "CN"),
            exporter=("FabCo", "TW"),
        ),
        Outcome.LICENSE_REQUIRED,
        None,
    ),
]


@pytest.mark.parametrize(
    ("t", "outcome", "licence"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_worked_cases(
    t: Transaction, outcome: Outcome, licence: str | None, rulebook: Rulebook
) -> None:
    d = evaluate(t, rulebook)
    assert d.outcome is outcome, [f.message for f in d.findings]
    deciding = d.deciding
    if outcome is Outcome.NOT_RESTRICTED:
        assert d.regimes[0].applies is False, d.regimes[0].reason
        return
    assert deciding is not None
    assert deciding.license_id == licence
    assert deciding.citations
    if outcome is Outcome.LICENSE_REQUIRED and deciding.rule == "ear.entity_list":
        assert deciding.review_policy is ReviewPolicy.PRESUMPTION_OF_DENIAL


# (case, destination, date, controlled share, subject?) — the level by destination and date
LEVELS: list[tuple[str, str, str, str, bool]] = [
    ("WC-24-a-iran-10%", "IR", "2024-05-01", "15", True),
    ("WC-24-b-france-25%", "FR", "2024-05-01", "15", False),
    ("iran-exactly-10", "IR", "2024-05-01", "10", False),
    ("iran-above-10", "IR", "2024-05-01", "10.01", True),
    ("china-exactly-25", "CN", "2024-05-01", "25", False),
    ("china-above-25", "CN", "2024-05-01", "25.01", True),
    # WC-55: Cuba 10% (E:1) until 2015-07-21, 25% (E:2) to 2019-10-20, 10% from 2019-10-21
    ("WC-55-cuba-e1-2015-07-21", "CU", "2015-07-21", "15", True),
    ("WC-55-cuba-e2-2015-07-22", "CU", "2015-07-22", "15", False),
    ("WC-55-cuba-2019-10-01", "CU", "2019-10-01", "15", False),
    ("WC-55-cuba-2019-10-20", "CU", "2019-10-20", "15", False),
    ("WC-55-cuba-2019-10-21", "CU", "2019-10-21", "15", True),
    ("WC-55-cuba-2019-11-01", "CU", "2019-11-01", "15", True),
    # WC-56: Sudan left E:1 on 2021-01-14
    ("WC-56-sudan-2021-01-10", "SD", "2021-01-10", "15", True),
    ("WC-56-sudan-2021-01-13", "SD", "2021-01-13", "15", True),
    ("WC-56-sudan-2021-01-14", "SD", "2021-01-14", "15", False),
    ("WC-56-sudan-2021-02-01", "SD", "2021-02-01", "15", False),
]


@pytest.mark.parametrize(
    ("destination", "day", "share", "subject"),
    [row[1:] for row in LEVELS],
    ids=[row[0] for row in LEVELS],
)
def test_de_minimis_levels(
    destination: str, day: str, share: str, subject: bool, rulebook: Rulebook
) -> None:
    t = _foreign(
        day,
        {
            "description": "German-made machine controller",
            "origin": "DE",
            "us_content_percent": share,
            "direct_product": {},
        },
        exporter=("EuroMach GmbH", "DE"),
        consignee=("Customer", destination),
        destination=destination,
    )
    answer = subject_to_ear(t, t.items[0], rulebook, t.date)
    assert answer.subject is subject, answer.reason
    assert "15 CFR 734.3(a)(3)(ii)" in answer.citations
    check = check_regime(Regime.EAR, t, rulebook, t.date)
    assert check.applies is subject


def test_wc24b_germany_to_france_is_eu_only(rulebook: Rulebook) -> None:
    t = _foreign(
        "2024-05-01",
        {"description": "controller", "origin": "DE", "us_content_percent": "15"},
        exporter=("EuroMach GmbH", "DE"),
        consignee=("Client SARL", "FR"),
        destination="FR",
    )
    d = evaluate(t, rulebook)
    assert d.outcome is Outcome.NOT_RESTRICTED
    assert [(c.regime.value, c.applies) for c in d.regimes] == [
        ("EAR", False),
        ("OFAC", False),
        ("EU", True),
        ("UK", False),
    ]


def test_savings_clause_does_not_cover_an_item_the_ns_rule_may_reach(rulebook: Rulebook) -> None:
    t = _foreign(
        "2020-06-01",
        _unclassified(_chip(designed_by=HISILICON, production_started="2020-04-01")),
        consignee=(HISILICON, "CN"),
        exporter=("FabCo", "TW"),
    )
    answer = subject_to_ear(t, t.items[0], rulebook, t.date)
    assert answer.subject is True and answer.authorized_by is None
    assert evaluate(t, rulebook).outcome is Outcome.LICENSE_REQUIRED


def test_us_origin_and_us_located_items_stay_subject(rulebook: Rulebook) -> None:
    t = build(transaction("2019-07-01"))
    assert subject_to_ear(t, t.items[0], rulebook, t.date).subject is True


def test_the_level_follows_the_source_data(rulebook: Rulebook) -> None:
    info = rulebook.rule("ear.de_minimis")
    assert info.param("general_level") == ("25",)
    assert info.param("reduced_level") == ("10",)
    assert de_minimis_level("CN", rulebook, datetime.date(2024, 5, 1))[0] == 25
    assert de_minimis_level("KP", rulebook, datetime.date(2024, 5, 1))[0] == 10


@pytest.mark.parametrize(
    "bad",
    [
        {"us_content": [{"eccn": "nonsense"}]},
        {"us_content": [{"percent": "120"}]},
        {"us_content": [{"license_required": "yes"}]},
        {"direct_product": {"of": ["3X001"]}},
        {"direct_product": {"production_started": "2020-05-01T10:00+00:00"}},
        {"direct_product": {"ns_controlled": 1}},
    ],
)
def test_bad_content_fields_are_refused_with_their_path(bad: dict[str, Any]) -> None:
    data = transaction("2020-06-01", items=[{"description": "x", "origin": "TW"} | bad])
    with pytest.raises(InvalidInputError, match=r"items\[0\]\."):
        Transaction.from_dict(data)


def test_item_content_round_trips() -> None:
    t = _foreign("2020-06-01", _chip(**HISILICON_DESIGN, production_started="2020-04-01"))
    assert Transaction.from_dict(t.to_dict()) == t


DESTINATIONS = st.sampled_from(["CN", "FR", "IR", "CU", "SD", "KP", "SY", "RU", "DE", "IN"])
SHARES = st.decimals(min_value=0, max_value=100, places=2, allow_nan=False)
LEVEL_DAYS = st.dates(min_value=datetime.date(2014, 1, 1), max_value=datetime.date(2026, 1, 1))


@settings(max_examples=150, deadline=None)
@given(destination=DESTINATIONS, day=LEVEL_DAYS, a=SHARES, b=SHARES)
def test_de_minimis_is_a_strict_threshold_and_monotone(
    destination: str, day: datetime.date, a: Decimal, b: Decimal
) -> None:
    rulebook = Rulebook.default()
    level, _ = de_minimis_level(destination, rulebook, day)
    low, high = sorted((a, b))
    answers = []
    for share in (low, high):
        t = Transaction(
            id="P",
            date=day,
            origin="JP",
            destination=destination,
            items=[Item(origin="JP", us_content_percent=share)],
        )
        answer = de_minimis(t, t.items[0], rulebook, day)
        assert answer.subject is (share > level), answer.reason
        answers.append(answer.subject)
    assert not answers[0] or answers[1]


def _iran(share: str | None) -> Transaction:
    item: dict[str, Any] = {
        "description": "German-made machine controller",
        "origin": "DE",
        "direct_product": {},
    }
    if share is not None:
        item["us_content"] = [{"eccn": "3A001", "percent": share, "license_required": True}]
    return _foreign(
        "2024-05-01",
        item,
        exporter=("EuroMach GmbH", "DE"),
        consignee=("Isfahan Machine Works", "IR"),
        destination="IR",
    )


def test_wc24a_iran_reexport_by_a_non_us_person_is_prohibited(rulebook: Rulebook) -> None:
    d = evaluate(_iran("15"), rulebook)
    assert d.outcome is Outcome.PROHIBITED
    ear, ofac = d.regimes[0], d.regimes[1]
    assert ear.applies and "10% de minimis level for IR" in ear.reason
    assert ofac.applies and "31 CFR 560.205" in ofac.citations


@pytest.mark.parametrize(
    ("share", "applies"), [("9.99", False), ("10", True), (None, True)], ids=str
)
def test_ofac_reaches_us_goods_reexported_to_iran_from_10_percent(
    share: str | None, applies: bool, rulebook: Rulebook
) -> None:
    t = _iran(share)
    check = check_regime(Regime.OFAC, t, rulebook, t.date)
    assert check.applies is applies, check.reason


def test_group_parameters_name_real_country_groups(rulebook: Rulebook) -> None:
    de_minimis_info = rulebook.rule("ear.de_minimis")
    groups = [
        *(g.partition(" from ")[0] for g in de_minimis_info.param("reduced_groups")),
        *rulebook.rule("ear.foreign_direct_product").param("ns_groups"),
    ]
    for group in groups:  # in_country_group refuses a name that is not a Country Group
        assert isinstance(rulebook.in_country_group("CN", group, datetime.date(2024, 1, 1)), bool)


@pytest.mark.parametrize("place", ["US", "PR", "GU"])
def test_items_made_or_located_in_us_territory_are_subject(place: str, rulebook: Rulebook) -> None:
    made = Transaction(
        id="T", date="2024-05-01", origin="DE", destination="CN", items=[Item(origin=place)]
    )
    located = Transaction(
        id="T", date="2024-05-01", origin=place, destination="CN", items=[Item(origin="DE")]
    )
    for t in (made, located):
        assert subject_to_ear(t, t.items[0], rulebook, t.date).subject is True


# WC-52-b/c: a German company's German-made switch to ZTE Parsian (Entity List since
# 2016-03-08, 81 FR 12004); the listing is built here since the bundled rulebook holds only
# the Huawei entries.
PARSIAN = Listing.from_dict(
    {
        "id": "test-el-zte-parsian",
        "list_code": "EL",
        "authority": "US-BIS",
        "entity": {"name": "ZTE Parsian", "country": "IR"},
        "versions": [
            {
                "window": {"start": "2016-03-08"},
                "license_requirement": {
                    "scope": "all_items_subject_to_ear",
                    "text": "For all items subject to the EAR.",
                },
                "review_policy": "presumption_of_denial",
                "citations": ["81 FR 12004"],
            }
        ],
    }
)


@pytest.mark.parametrize(
    ("share", "outcome", "ear"),
    [("5", Outcome.NOT_RESTRICTED, False), ("15", Outcome.PROHIBITED, True)],
    ids=["WC-52-b", "WC-52-c"],
)
def test_wc52_parsian_switch_from_germany(
    share: str, outcome: Outcome, ear: bool, rulebook: Rulebook
) -> None:
    book = rulebook.with_listings([PARSIAN])
    t = _foreign(
        "2026-11-30",
        {
            "description": "German-made switch",
            "origin": "DE",
            "us_content": [{"eccn": "5A991", "percent": share, "license_required": True}],
            "direct_product": {},
        },
        exporter=("Berlin Netz GmbH", "DE"),
        consignee=("ZTE Parsian", "IR"),
        destination="IR",
    )
    d = evaluate(t, book)
    assert d.outcome is outcome, [f.message for f in d.findings]
    assert d.regimes[0].applies is ear
    entity_list = [f for f in d.findings if f.rule == "ear.entity_list"]
    if ear:
        assert entity_list and entity_list[0].outcome is Outcome.LICENSE_REQUIRED
        assert entity_list[0].review_policy is ReviewPolicy.PRESUMPTION_OF_DENIAL
    else:
        assert not entity_list  # the Entity List reaches only items subject to the EAR


# Part 746 identifies controlled content too (Supplement No. 2 to Part 734, (a)(1)).
PART_746: list[tuple[str, str, dict[str, Any], bool | None]] = [
    ("crimea-ear99-counts", "UA-43", {"eccn": "EAR99", "percent": "30"}, True),
    ("cuba-ear99-counts", "CU", {"eccn": "EAR99", "percent": "15"}, True),
    ("north-korea-ear99-counts", "KP", {"eccn": "EAR99", "percent": "15"}, True),
    ("russia-ccl-category-counts", "RU", {"eccn": "5A992.c", "percent": "30"}, True),
    ("russia-ear99-cannot-be-told", "RU", {"eccn": "EAR99", "percent": "30"}, None),
    ("russia-ear99-below-the-level", "RU", {"eccn": "EAR99", "percent": "20"}, False),
    ("iran-ear99-cannot-be-told", "IR", {"eccn": "EAR99", "percent": "15"}, None),
    ("iran-ccl-item-counts", "IR", {"eccn": "5A992.c", "percent": "15"}, True),
    ("france-ear99-does-not-count", "FR", {"eccn": "EAR99", "percent": "90"}, False),
]


@pytest.mark.parametrize(
    ("destination", "content", "subject"),
    [row[1:] for row in PART_746],
    ids=[row[0] for row in PART_746],
)
def test_part_746_identifies_controlled_content(
    destination: str, content: dict[str, Any], subject: bool | None, rulebook: Rulebook
) -> None:
    t = _foreign(
        "2024-05-01",
        {"description": "machine", "origin": "DE", "us_content": [content], "direct_product": {}},
        exporter=("EuroMach GmbH", "DE"),
        consignee=("Customer", destination),
        destination=destination,
    )
    answer = de_minimis(t, t.items[0], rulebook, t.date)
    assert answer.subject is subject, answer.reason


@pytest.mark.parametrize(
    ("destination", "day", "item", "subject"),
    [
        ("RU", "2022-02-23", {"eccn": "5A991", "direct_product": {"of": ["5E991"]}}, False),
        ("RU", "2022-02-24", {"eccn": "5A991", "direct_product": {"of": ["5E991"]}}, None),
        ("BY", "2022-03-01", {"eccn": "5A991", "direct_product": {"of": ["5E991"]}}, False),
        ("BY", "2022-03-02", {"eccn": "5A991", "direct_product": {"of": ["5E991"]}}, None),
        ("RU", "2024-05-01", {"eccn": "5A991"}, None),
        ("RU", "2024-05-01", {"eccn": "5A991", "direct_product": {}}, False),
        ("RU", "2024-05-01", {"eccn": "EAR99", "direct_product": {"of": ["5E991"]}}, False),
        ("KZ", "2024-05-01", {"eccn": "5A991", "direct_product": {"of": ["5E991"]}}, False),
    ],
    ids=lambda x: x if isinstance(x, str) else None,
)
def test_russia_belarus_direct_product_rule_fails_closed(
    destination: str, day: str, item: dict[str, Any], subject: bool | None, rulebook: Rulebook
) -> None:
    t = _foreign(
        day,
        {"description": "part", "origin": "TW"} | item,
        consignee=("Customer", destination),
        destination=destination,
    )
    assert russia_belarus_fdp(t, t.items[0], rulebook, t.date).subject is subject
