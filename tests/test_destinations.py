"""Destination rules: worked cases WC-12, WC-13, WC-27 to WC-33, both sides of every date.

Rules ``ear.country_chart``, ``ear.embargo`` (15 CFR Part 746) and ``ofac.comprehensive``.
Unless a row says otherwise the exporter is a U.S. company shipping from the United States
(worked-cases "Conventions"); ``FOREIGN`` rows ship U.S.-origin items from Germany by a
German exporter, so OFAC does not reach them and the EAR decides alone.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import HUAWEI, build, party, transaction
from tradecontrol import Outcome, ReviewPolicy, Rulebook, evaluate

LR = Outcome.LICENSE_REQUIRED
PR = Outcome.PROHIBITED
NR = Outcome.NOT_RESTRICTED
RR = Outcome.REVIEW_REQUIRED
AU = Outcome.AUTHORIZED
POD = ReviewPolicy.POLICY_OF_DENIAL
GPOD = ReviewPolicy.GENERAL_POLICY_OF_DENIAL
CBC = ReviewPolicy.CASE_BY_CASE

EAR99 = {"description": "goods", "eccn": "EAR99", "origin": "US"}
FOOD = {"description": "canned food", "eccn": "EAR99", "origin": "US", "food_or_medicine": True}
VALVE = {"description": "industrial valve", "eccn": "EAR99", "origin": "US"}
GENERATOR = {"description": "diesel generator", "eccn": "EAR99", "origin": "US"}
BEARINGS = {"description": "precision bearings", "eccn": "2A991", "origin": "US"}
AMPLIFIER = {"description": "RF amplifier module", "eccn": "3A001", "origin": "US"}
AT_ONLY_CAT3 = {
    "description": "AT-only electronics",
    "eccn": "3A991",
    "origin": "US",
    "reasons_for_control": ["AT1"],
}
LAPTOPS = {"description": "laptop computers", "eccn": "5A992.c", "origin": "US"}


def deal(
    date: str,
    where: str,
    item: dict[str, Any],
    *,
    consignee: str = "Consignee Co.",
    foreign: bool = False,
    **fields: Any,
) -> dict[str, Any]:
    data = transaction(
        date,
        destination=where,
        parties=[party(consignee, country=where)],
        items=[item],
        **fields,
    )
    if foreign:
        data["origin"] = "DE"
        data["parties"][0] = party("Berlin Export GmbH", "exporter", "DE")
    return data


# (id, transaction, overall outcome, {rule: (outcome, review policy or None)} that must hold;
#  a rule mapped to None must have no finding)
Case = tuple[str, dict[str, Any], Outcome, dict[str, tuple[Outcome, ReviewPolicy | None] | None]]

CASES: list[Case] = [
    # WC-27 Iran: EAR99 office printer by a U.S. company -> OFAC prohibits
    (
        "WC-27",
        deal("2024-05-01", "IR", {**EAR99, "description": "office printer"}),
        PR,
        {"ofac.comprehensive": (PR, None), "ear.embargo": (RR, None)},
    ),
    (
        # a non-U.S. person reexporting U.S.-origin goods to Iran is within the ITSR
        # (31 CFR 560.205; U.S. content of 10% or more, 560.420; worked cases WC-24-a, WC-52-c)
        "WC-27-foreign-exporter",
        deal("2024-05-01", "IR", EAR99, foreign=True),
        PR,
        {"ofac.comprehensive": (PR, None), "ear.embargo": (RR, None)},
    ),
    (
        "WC-27-ccl-item",
        deal("2024-05-01", "IR", AMPLIFIER, foreign=True),
        PR,
        {"ear.embargo": (LR, POD), "ear.country_chart": None, "ofac.comprehensive": (PR, None)},
    ),
    # WC-28 Cuba: EAR99 pump -> licence, general policy of denial (OFAC: check)
    (
        "WC-28",
        deal("2024-05-01", "CU", {**EAR99, "description": "industrial water pump"}),
        LR,
        {"ear.embargo": (LR, GPOD), "ofac.comprehensive": (RR, None)},
    ),
    (
        "WC-28-food-still-licensed",
        deal("2024-05-01", "CU", FOOD),
        LR,
        {"ear.embargo": (LR, GPOD)},
    ),
    # WC-29 Crimea region
    (
        "WC-29-a",
        deal("2023-05-01", "UA-43", FOOD),
        PR,
        {"ear.embargo": None, "ofac.comprehensive": (PR, None)},
    ),
    (
        "WC-29-a-foreign-exporter",
        deal("2023-05-01", "UA-43", FOOD, foreign=True),
        NR,
        {"ear.embargo": None, "ofac.comprehensive": None},
    ),
    (
        "WC-29-b",
        deal("2023-05-01", "UA-43", VALVE),
        PR,
        {"ear.embargo": (LR, POD), "ofac.comprehensive": (PR, None)},
    ),
    (
        "WC-29-b-foreign-exporter",
        deal("2023-05-01", "UA-43", VALVE, foreign=True),
        LR,
        {"ear.embargo": (LR, POD)},
    ),
    (
        "WC-29-sevastopol",
        deal("2023-05-01", "UA-40", VALVE, foreign=True),
        LR,
        {"ear.embargo": (LR, POD)},
    ),
    (
        "WC-29-consignee-in-crimea",
        {
            **deal("2023-05-01", "UA", VALVE, foreign=True),
            "parties": [
                party("Berlin Export GmbH", "exporter", "DE"),
                party("Simferopol Market LLC", country="UA-43"),
            ],
        },
        LR,
        {"ear.embargo": (LR, POD)},
    ),
    (
        "WC-29-rest-of-ukraine",
        deal("2023-05-01", "UA", VALVE),
        NR,
        {"ear.embargo": None, "ofac.comprehensive": None},
    ),
    (
        "crimea-ear-day-before",
        deal("2015-01-28", "UA-43", VALVE, foreign=True),
        NR,
        {"ear.embargo": None},
    ),
    (
        "crimea-ear-first-day",
        deal("2015-01-29", "UA-43", VALVE, foreign=True),
        LR,
        {"ear.embargo": (LR, POD)},
    ),
    (
        "crimea-ofac-day-before",
        deal("2014-12-18", "UA-43", FOOD),
        NR,
        {"ofac.comprehensive": None},
    ),
    (
        "crimea-ofac-first-day",
        deal("2014-12-19", "UA-43", FOOD),
        PR,
        {"ofac.comprehensive": (PR, None)},
    ),
    # WC-30 so-called DNR: EO 14065 from 2022-02-21, EAR from 2022-02-24
    (
        "WC-30-a",
        deal("2022-02-20", "UA-14", GENERATOR),
        NR,
        {"ear.embargo": None, "ofac.comprehensive": None},
    ),
    (
        "WC-30-c",
        deal("2022-02-22", "UA-14", GENERATOR),
        PR,
        {"ear.embargo": None, "ofac.comprehensive": (PR, None)},
    ),
    (
        "WC-30-ear-day-before",
        deal("2022-02-23", "UA-14", GENERATOR, foreign=True),
        NR,
        {"ear.embargo": None},
    ),
    (
        "WC-30-ear-first-day",
        deal("2022-02-24", "UA-14", GENERATOR, foreign=True),
        LR,
        {"ear.embargo": (LR, POD)},
    ),
    (
        "WC-30-b",
        deal("2022-02-25", "UA-14", GENERATOR),
        PR,
        {"ear.embargo": (LR, POD), "ofac.comprehensive": (PR, None)},
    ),
    (
        "WC-30-lnr",
        deal("2022-02-25", "UA-09", GENERATOR, foreign=True),
        LR,
        {"ear.embargo": (LR, POD)},
    ),
    # WC-31 Russia: AT-only Category 2 item, all categories from 2022-04-08
    ("WC-31-a", deal("2022-03-15", "RU", BEARINGS), NR, {"ear.embargo": None}),
    ("WC-31-day-before", deal("2022-04-07", "RU", BEARINGS), NR, {"ear.embargo": None}),
    ("WC-31-first-day", deal("2022-04-08", "RU", BEARINGS), LR, {"ear.embargo": (LR, POD)}),
    ("WC-31-b", deal("2022-04-10", "RU", BEARINGS), LR, {"ear.embargo": (LR, POD)}),
    # Categories 3-9 from 2022-02-24 (Russia), 2022-03-02 (Belarus)
    ("russia-cat3-before", deal("2022-02-23", "RU", AT_ONLY_CAT3), NR, {"ear.embargo": None}),
    (
        "russia-cat3-first-day",
        deal("2022-02-24", "RU", AT_ONLY_CAT3),
        LR,
        {"ear.embargo": (LR, POD)},
    ),
    ("belarus-cat3-before", deal("2022-03-01", "BY", AT_ONLY_CAT3), NR, {"ear.embargo": None}),
    (
        "belarus-cat3-first-day",
        deal("2022-03-02", "BY", AT_ONLY_CAT3),
        LR,
        {"ear.embargo": (LR, POD)},
    ),
    (
        "russia-ear99-hts-unknown",
        deal("2022-05-01", "RU", EAR99),
        RR,
        {"ear.embargo": (RR, None)},
    ),
    # WC-32 Syria: EAR99 before and after the 2025-09-02 relaxation
    (
        "WC-32-a",
        deal("2025-06-01", "SY", {**EAR99, "description": "irrigation pumps"}),
        LR,
        {"ear.embargo": (LR, GPOD), "ofac.comprehensive": None},
    ),
    ("WC-32-day-before", deal("2025-09-01", "SY", EAR99), LR, {"ear.embargo": (LR, GPOD)}),
    ("WC-32-first-day", deal("2025-09-02", "SY", EAR99), AU, {"ear.embargo": (AU, CBC)}),
    ("WC-32-b", deal("2025-09-15", "SY", EAR99), AU, {"ear.embargo": (AU, CBC)}),
    (
        "WC-32-c",
        {
            **deal("2025-09-15", "SY", EAR99),
            "parties": [
                party("Acme Cables Inc.", "exporter", "US"),
                party("Aleppo Agri Trading", country="SY"),
                party(HUAWEI, "end_user", "CN"),
            ],
        },
        LR,
        {"ear.embargo": (LR, CBC), "ear.entity_list": (LR, ReviewPolicy.PRESUMPTION_OF_DENIAL)},
    ),
    ("syria-food", deal("2025-06-01", "SY", FOOD), NR, {"ear.embargo": None}),
    ("syria-ccl-after", deal("2025-09-15", "SY", LAPTOPS), LR, {"ear.embargo": (LR, CBC)}),
    # WC-33 North Korea: any EAR item except EAR99 food/medicine (+ check OFAC)
    (
        "WC-33",
        deal("2024-05-01", "KP", LAPTOPS),
        LR,
        {"ear.embargo": (LR, CBC), "ofac.comprehensive": (RR, None)},
    ),
    (
        "WC-33-food",
        deal("2024-05-01", "KP", FOOD, foreign=True),
        NR,
        {"ear.embargo": None},
    ),
    (
        "cuba-no-items-described",
        {**deal("2024-05-01", "CU", EAR99), "items": []},
        RR,
        {"ear.embargo": (RR, GPOD), "ofac.comprehensive": (RR, None)},
    ),
    (
        "iran-end-user-behind-a-dubai-consignee",
        {
            **deal("2024-05-01", "AE", AMPLIFIER, foreign=True),
            "parties": [
                party("Berlin Export GmbH", "exporter", "DE"),
                party("Dubai Trading FZE", country="AE"),
                party("Tehran Office Supply Co.", "end_user", "IR"),
            ],
        },
        LR,
        {"ear.embargo": (LR, POD), "ear.country_chart": (LR, None)},
    ),
    # OFAC beyond exports: payments, services, imports
    (
        "ofac-payment-to-cuba",
        deal("2024-05-01", "CU", EAR99, kind="payment"),
        PR,
        {"ofac.comprehensive": (PR, None), "ear.embargo": None},
    ),
    (
        "ofac-import-from-iran",
        {**deal("2024-05-01", "US", EAR99, kind="import"), "origin": "IR"},
        PR,
        {"ofac.comprehensive": (PR, None)},
    ),
    # Commerce Country Chart
    (
        "chart-3A001-china",
        deal("2024-05-01", "CN", AMPLIFIER),
        LR,
        {"ear.country_chart": (LR, None)},
    ),
    ("chart-3A001-canada", deal("2024-05-01", "CA", AMPLIFIER), NR, {"ear.country_chart": None}),
    (
        "chart-3A001-crimea",
        deal("2024-05-01", "UA-43", AMPLIFIER, foreign=True),
        LR,
        {"ear.country_chart": (LR, None), "ear.embargo": (LR, POD)},
    ),
    ("chart-ear99", deal("2024-05-01", "CN", EAR99), NR, {"ear.country_chart": None}),
    (
        "chart-no-eccn",
        deal("2024-05-01", "CN", {"description": "widget", "origin": "US"}),
        RR,
        {"ear.country_chart": (RR, None)},
    ),
    (
        "chart-eccn-not-in-subset",
        deal("2024-05-01", "CN", {**EAR99, "eccn": "6A003"}),
        RR,
        {"ear.country_chart": (RR, None)},
    ),
    (
        "chart-3D001-partial-ns1",
        deal("2024-05-01", "CN", {**EAR99, "eccn": "3D001"}),
        RR,
        {"ear.country_chart": (RR, None)},
    ),
    (
        "chart-stated-reasons",
        deal("2024-05-01", "CN", {**EAR99, "eccn": "6A003", "reasons_for_control": ["NS2", "RS2"]}),
        LR,
        {"ear.country_chart": (LR, None)},
    ),
    (
        "chart-hong-kong-2019",
        deal("2019-06-01", "HK", AMPLIFIER),
        RR,
        {"ear.country_chart": (RR, None)},
    ),
    (
        "chart-hong-kong-2021",
        deal("2021-06-01", "HK", AMPLIFIER),
        LR,
        {"ear.country_chart": (LR, None)},
    ),
    (
        "chart-embargoed-row",
        deal("2024-05-01", "SY", AMPLIFIER),
        LR,
        {"ear.country_chart": None, "ear.embargo": (LR, GPOD)},
    ),
    (
        "chart-domestic-transfer",
        deal("2024-05-01", "US", AMPLIFIER, kind="transfer"),
        NR,
        {"ear.country_chart": None},
    ),
    (
        "chart-import",
        deal("2024-05-01", "CN", AMPLIFIER, kind="import"),
        NR,
        {"ear.country_chart": None},
    ),
]


@pytest.mark.parametrize(("case", "data", "expected", "rules"), CASES, ids=[c[0] for c in CASES])
def test_destination_case(
    case: str,
    data: dict[str, Any],
    expected: Outcome,
    rules: dict[str, tuple[Outcome, ReviewPolicy | None] | None],
    rulebook: Rulebook,
) -> None:
    decision = evaluate(build(data), rulebook)
    assert decision.outcome is expected, [(f.rule, f.outcome, f.message) for f in decision.findings]
    for rule, want in rules.items():
        found = [f for f in decision.findings if f.rule == rule]
        if want is None:
            assert not found, (rule, [f.message for f in found])
            continue
        outcome, policy = want
        assert found, rule
        assert {f.outcome for f in found} == {outcome}, (rule, [f.message for f in found])
        if policy is not None:
            assert {f.review_policy for f in found} == {policy}, rule
        assert all(f.citations for f in found), rule


def _finding(data: dict[str, Any], rule: str, rulebook: Rulebook) -> Any:
    decision = evaluate(build(data), rulebook)
    return next(f for f in decision.findings if f.rule == rule)


def test_wc12_remaining_requirement_is_the_chart_ns2(rulebook: Rulebook) -> None:
    data = transaction(
        "2019-07-01",
        items=[AMPLIFIER],
        end_use="existing-network-support",
        facts={"contract_date": "2018-11-01", "certification_on_file": True},
    )
    decision = evaluate(build(data), rulebook)
    assert decision.outcome is LR
    chart = next(f for f in decision.findings if f.rule == "ear.country_chart")
    assert chart.outcome is LR and "NS2" in chart.message
    assert {"15 CFR 738 Supp. 1", "15 CFR 742.4", "15 CFR 774 Supp. 1"} <= set(chart.citations)
    # 3A001's MT1/NP1/RS1/NS1 apply to some paragraphs only and are marked for China
    assert any("some paragraphs" in c for c in chart.cautions)
    el = [f for f in decision.findings if f.rule == "ear.entity_list"]
    assert el and all(f.outcome is AU for f in el)


def test_wc13_cuba_affiliate_needs_both_licences(rulebook: Rulebook) -> None:
    data = transaction(
        "2019-10-01",
        destination="CU",
        parties=[party("Huawei Cuba", country="CU")],
        items=[
            {"description": "patch for existing network equipment", "eccn": "EAR99", "origin": "US"}
        ],
        end_use="existing-network-support",
        facts={
            "contract_date": "2018-06-01",
            "recipient_certification": True,
            "third_party_network": True,
            "enhances_functional_capacity": False,
        },
    )
    decision = evaluate(build(data), rulebook)
    assert decision.outcome is LR
    policies = {(f.rule, f.review_policy) for f in decision.findings if f.outcome is LR}
    assert ("ear.entity_list", ReviewPolicy.PRESUMPTION_OF_DENIAL) in policies
    assert ("ear.embargo", GPOD) in policies


def test_embargo_finding_cites_part_746_and_the_rule(rulebook: Rulebook) -> None:
    finding = _finding(deal("2022-02-25", "UA-14", GENERATOR), "ear.embargo", rulebook)
    assert {"15 CFR 746.6(a)(2)", "87 FR 12226"} <= set(finding.citations)
    assert "(UA-14)" in finding.message and finding.review_policy is POD
    assert any("oblast" in c for c in finding.cautions)  # DNR/LNR boundaries


def test_ofac_finding_says_why_ofac_applies(rulebook: Rulebook) -> None:
    finding = _finding(deal("2024-05-01", "IR", EAR99), "ofac.comprehensive", rulebook)
    assert finding.authority == "US-OFAC" and "31 CFR 560" in finding.citations
    assert "U.S. person" in finding.message


def test_ofac_food_gets_no_invented_exception(rulebook: Rulebook) -> None:
    finding = _finding(deal("2024-05-01", "IR", FOOD), "ofac.comprehensive", rulebook)
    assert finding.outcome is PR
    assert any("food or medicine" in c for c in finding.cautions)


def test_syria_spp_names_the_exception(rulebook: Rulebook) -> None:
    finding = _finding(deal("2025-09-15", "SY", EAR99), "ear.embargo", rulebook)
    assert finding.license_id == "LE-SPP-740.5"
    assert {"15 CFR 740.5", "FR Doc 2025-16724"} <= set(finding.citations)


def test_syria_spp_barred_for_entity_list_party_says_so(rulebook: Rulebook) -> None:
    data = deal("2025-09-15", "SY", EAR99)
    data["parties"].append(party(HUAWEI, "end_user", "CN"))
    finding = _finding(data, "ear.embargo", rulebook)
    assert finding.outcome is LR and "Entity List" in finding.message


def test_a_rulebook_without_destination_data_fails_closed(rulebook: Rulebook) -> None:
    import attrs

    bare = attrs.evolve(rulebook, destinations=None)
    decision = evaluate(build(deal("2024-05-01", "CN", AMPLIFIER)), bare)
    chart = [f for f in decision.findings if f.rule == "ear.country_chart"]
    assert chart and chart[0].outcome is RR and "no Commerce Country Chart" in chart[0].message
