"""U.S. import and procurement bars on covered telecom equipment (WC-53, WC-54).

FCC USF rule and Covered List (``us.fcc_covered_list``), the FCC equipment-authorization bar
(``us.fcc_equipment_authorization``), NDAA section 889 Parts A and B (``us.ndaa_889``) and
EO 13873 (``us.icts_eo13873``), from the bundled rulebook; both sides of every date.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import build
from tradecontrol import Decision, License, Outcome, Rulebook, evaluate

NR, AU, PR, RR = (
    Outcome.NOT_RESTRICTED,
    Outcome.AUTHORIZED,
    Outcome.PROHIBITED,
    Outcome.REVIEW_REQUIRED,
)
ZTE, HUAWEI, HIKVISION = "ZTE Corporation", "Huawei Technologies Co., Ltd.", "Hikvision"


def carrier(date: str, producer: str = ZTE, **facts: Any) -> dict[str, Any]:
    """WC-53: a U.S. carrier obtaining LTE base stations for its network."""
    return {
        "id": "WC-53",
        "date": date,
        "kind": "import",
        "origin": "CN",
        "destination": "US",
        "parties": [{"role": "purchaser", "entity": {"name": "RuralTel Co.", "country": "US"}}],
        "items": [{"description": "LTE base stations", "producer": producer, "origin": "CN"}],
        "facts": facts,
    }


def contractor(date: str, producer: str = HUAWEI, **facts: Any) -> dict[str, Any]:
    """WC-54: a federal contract action involving IP cameras."""
    return {
        "id": "WC-54",
        "date": date,
        "kind": "procurement",
        "parties": [
            {"role": "other", "entity": {"name": "FedIntegrator LLC", "country": "US"}},
        ],
        "items": [{"description": "IP video surveillance cameras", "producer": producer}],
        "facts": facts,
    }


def decide(data: dict[str, Any], rulebook: Rulebook) -> Decision:
    return evaluate(build(data), rulebook)


# (case, transaction, outcome, rule of the deciding finding, citation on it)
CASES: list[tuple[str, dict[str, Any], Outcome, str | None, str | None]] = [
    # WC-53: FCC and EO 13873
    ("WC-53-a", carrier("2019-06-01", fcc_authorization_date="2018-03-01"), NR, None, None),
    ("WC-53-pre-EO", carrier("2019-05-14"), NR, None, None),
    ("WC-53-b", carrier("2020-03-01", usf_funded=True), NR, None, None),
    ("WC-53-b-eve", carrier("2020-06-29", usf_funded=True), NR, None, None),
    (
        "WC-53-c-final",
        carrier("2020-06-30", usf_funded=True),
        PR,
        "us.fcc_covered_list",
        "85 FR 230",
    ),
    ("WC-53-c", carrier("2020-07-15", usf_funded=True), PR, "us.fcc_covered_list", "85 FR 230"),
    ("WC-53-c-own", carrier("2020-07-15", usf_funded=False), NR, None, None),
    ("WC-53-c-unstated", carrier("2020-07-15"), RR, "us.fcc_covered_list", "85 FR 230"),
    (
        "WC-53-subsidy-pre-list",
        carrier("2021-03-11", usf_funded=False, federal_subsidy=True),
        RR,  # only the ICTS review: other subsidies are barred from the Covered List
        "us.icts_eo13873",
        None,
    ),
    (
        "WC-53-subsidy-list",
        carrier("2021-03-22", usf_funded=False, federal_subsidy=True),
        PR,
        "us.fcc_covered_list",
        "Pub. L. 116-124",
    ),
    (
        "WC-53-d",
        carrier(
            "2021-06-01",
            HUAWEI,
            usf_funded=False,
            federal_subsidy=False,
            fcc_authorization_date="2018-03-01",
        ),
        RR,
        "us.icts_eo13873",
        "86 FR 4909",
    ),
    (
        "WC-53-d-subsidy-unstated",
        carrier("2021-06-01", HUAWEI, usf_funded=False, fcc_authorization_date="2018-03-01"),
        RR,
        "us.fcc_covered_list",
        "Pub. L. 116-124",
    ),
    (
        "ICTS-covers-from",
        carrier("2021-01-19", HUAWEI, usf_funded=False, fcc_authorization_date="2018-03-01"),
        RR,
        "us.icts_eo13873",
        "86 FR 4909",
    ),
    (
        "ICTS-eve",
        carrier("2021-01-18", HUAWEI, usf_funded=False, fcc_authorization_date="2018-03-01"),
        NR,
        None,
        None,
    ),
    ("USF-rule-eve", carrier("2020-01-02", usf_funded=True), NR, None, None),
    (
        "WC-53-e",
        carrier("2023-03-01", usf_funded=False, fcc_authorized=False),
        PR,
        "us.fcc_equipment_authorization",
        "88 FR 7592",
    ),
    (
        "WC-53-e-day",
        carrier("2023-02-06", usf_funded=False, fcc_authorized=False),
        PR,
        "us.fcc_equipment_authorization",
        "88 FR 7592",
    ),
    ("WC-53-e-eve", carrier("2023-02-05", usf_funded=False, fcc_authorized=False), RR, None, None),
    (
        "WC-53-f",
        carrier(
            "2026-01-15",
            usf_funded=False,
            federal_subsidy=False,
            fcc_authorization_date="2021-01-10",
        ),
        RR,
        "us.fcc_equipment_authorization",
        "90 FR 53227",
    ),
    (
        "WC-53-f-limited",
        carrier(
            "2026-01-15",
            usf_funded=False,
            fcc_authorization_date="2021-01-10",
            fcc_authorization_limited=True,
        ),
        PR,
        "us.fcc_equipment_authorization",
        "90 FR 53227",
    ),
    (
        "WC-53-f-eve",
        carrier(
            "2025-12-25",
            usf_funded=False,
            federal_subsidy=False,
            fcc_authorization_date="2021-01-10",
        ),
        RR,
        "us.icts_eo13873",
        None,
    ),
    ("unlisted-producer", carrier("2024-01-01", "Nokia Solutions and Networks Oy"), NR, None, None),
    # WC-54: section 889
    ("WC-54-a", contractor("2019-06-01", furnished_to_government=True), NR, None, None),
    (
        "WC-54-a-day",
        contractor("2019-08-13", furnished_to_government=True),
        PR,
        "us.ndaa_889",
        "84 FR 40216",
    ),
    ("WC-54-b", contractor("2019-09-01", furnished_to_government=True), PR, "us.ndaa_889", None),
    ("WC-54-c", contractor("2020-07-01", used_by_contractor=True), NR, None, None),
    ("WC-54-c-eve", contractor("2020-08-12", used_by_contractor=True), NR, None, None),
    ("WC-54-d-day", contractor("2020-08-13", used_by_contractor=True), PR, "us.ndaa_889", None),
    (
        "WC-54-d",
        contractor("2020-09-01", used_by_contractor=True),
        PR,
        "us.ndaa_889",
        "85 FR 42665",
    ),
    (
        "WC-54-e",
        contractor("2020-09-01", HIKVISION, used_by_contractor=True, security_purpose=False),
        RR,
        "us.ndaa_889",
        None,
    ),
    (
        "WC-54-f",
        contractor("2020-09-01", HIKVISION, used_by_contractor=True, security_purpose=True),
        PR,
        "us.ndaa_889",
        "Pub. L. 115-232 sec. 889(f)(3)(B)",
    ),
    (
        "WC-54-g",
        contractor("2020-09-01", used_by_contractor=True, third_party_interconnection=True),
        NR,
        None,
        None,
    ),
    ("WC-54-unstated", contractor("2020-09-01"), RR, "us.ndaa_889", None),
]


@pytest.mark.parametrize(
    ("case", "data", "outcome", "rule", "citation"), CASES, ids=[c[0] for c in CASES]
)
def test_telecom_restrictions(
    case: str,
    data: dict[str, Any],
    outcome: Outcome,
    rule: str | None,
    citation: str | None,
    rulebook: Rulebook,
) -> None:
    decision = decide(data, rulebook)
    assert decision.outcome is outcome, (case, [f.message for f in decision.findings])
    if rule is not None:
        deciding = decision.deciding
        assert deciding is not None
        assert deciding.rule == rule
        if citation is not None:
            assert citation in deciding.citations, deciding.citations


def test_wc53_a_cautions_that_the_order_has_no_rule_yet(rulebook: Rulebook) -> None:
    decision = decide(carrier("2019-06-01", fcc_authorization_date="2018-03-01"), rulebook)
    (icts,) = [f for f in decision.findings if f.rule == "us.icts_eo13873"]
    assert icts.outcome is NR
    assert "2021-01-19" in icts.cautions[0] and "2021-03-22" in icts.cautions[0]


@pytest.mark.parametrize("date", ["2020-01-03", "2020-03-01", "2020-06-29"])
def test_wc53_b_initial_designation_is_a_caution(date: str, rulebook: Rulebook) -> None:
    decision = decide(carrier(date, usf_funded=True), rulebook)
    (usf,) = [f for f in decision.findings if f.rule == "us.fcc_covered_list"]
    assert usf.outcome is NR and "initial designation" in usf.cautions[0]
    assert "2020-06-30" in usf.message


def test_wc54_d_waiver_authorizes(rulebook: Rulebook) -> None:
    waiver = License.from_dict(
        {
            "id": "889_waiver",
            "kind": "specific",
            "issuer": "US-FAR",
            "title": "Section 889(d) waiver granted by the head of the agency",
            "authorizes": ["us.ndaa_889"],
            "versions": [{"window": {"start": "2020-08-13", "end": "2022-09-30"}}],
        }
    )
    data = contractor("2020-09-01", used_by_contractor=True)
    rb = rulebook.with_licenses([waiver])
    assert evaluate(build(data), rb).outcome is PR  # not held: does not apply
    data["licenses"] = ["889_waiver"]
    decision = evaluate(build(data), rb)
    assert decision.outcome is AU
    assert decision.deciding is not None and decision.deciding.license_id == "889_waiver"


@pytest.mark.parametrize("kind", ["export", "payment"])
def test_import_and_procurement_rules_do_not_reach_exports(kind: str, rulebook: Rulebook) -> None:
    data = carrier("2023-03-01", usf_funded=True, fcc_authorized=False)
    data["kind"] = kind
    decision = decide(data, rulebook)
    assert not any(f.rule.startswith("us.") for f in decision.findings)


def test_purpose_limited_producers_need_the_purpose(rulebook: Rulebook) -> None:
    unstated = decide(carrier("2023-03-01", HIKVISION, fcc_authorized=False), rulebook)
    rules = {f.rule: f.outcome for f in unstated.findings}
    assert rules["us.fcc_equipment_authorization"] is RR
    not_security = decide(
        carrier("2023-03-01", HIKVISION, fcc_authorized=False, security_purpose=False), rulebook
    )
    assert "us.fcc_equipment_authorization" not in {f.rule for f in not_security.findings}
    security = decide(
        carrier("2023-03-01", HIKVISION, fcc_authorized=False, security_purpose=True), rulebook
    )
    assert security.outcome is PR


def test_facts_are_known_to_the_rulebook(rulebook: Rulebook) -> None:
    decision = decide(carrier("2020-07-15", usf_funded=True), rulebook)
    assert not any("facts not read" in c for c in decision.cautions)


@pytest.mark.parametrize(
    ("facts", "outcome", "part"),
    [
        ({"cannot_route_user_data": True, "used_by_contractor": True}, NR, None),
        ({"furnished_to_government": True, "used_by_contractor": True}, PR, "84 FR 40216"),
        ({"furnished_to_government": False, "used_by_contractor": True}, PR, "85 FR 42665"),
        ({"furnished_to_government": False, "used_by_contractor": False}, NR, None),
        ({"furnished_to_government": False}, RR, None),
    ],
    ids=[
        "no-user-data-exception",
        "both-parts-cite-A",
        "part-B-only",
        "neither-part",
        "part-B-unstated",
    ],
)
def test_section_889_parts_and_exceptions(
    facts: dict[str, Any], outcome: Outcome, part: str | None, rulebook: Rulebook
) -> None:
    decision = decide(contractor("2020-09-01", **facts), rulebook)
    assert decision.outcome is outcome
    if part is not None:
        assert decision.deciding is not None and part in decision.deciding.citations


def test_unlisted_producer_in_procurement_is_clear(rulebook: Rulebook) -> None:
    data = contractor("2020-09-01", "Axis Communications AB", used_by_contractor=True)
    assert decide(data, rulebook).outcome is NR
