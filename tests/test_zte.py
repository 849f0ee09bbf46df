"""ZTE 2015–2026 (worked cases WC-44 to WC-52, ../shared/docs/worked-cases.md section J).

Entity List 2016-03-08 (81 FR 12004), the ZTE TGL and its extensions, removal 2017-03-29
(82 FR 15458), the denial order 2018-04-15 to 2018-07-13 (83 FR 17644, 83 FR 34825) and the
July 2018 authorization under 15 CFR 764.3(a)(2), from the bundled rulebook; both sides of
every date, together with the Country Chart and embargo rules where a case needs them.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests._intl_lists import needs_shared
from tests.conftest import SHARED, build, party, transaction
from tradecontrol import Decision, Outcome, ReviewPolicy, Rulebook, evaluate, lists

ZTE = "ZTE Corporation"
KANGXUN = "ZTE Kangxun Telecommunications Ltd."
EIGHT_STAR = "Beijing 8-Star International Co."
PARSIAN = "ZTE Parsian"
TGL = "TGL-ZTE-744-SUPP7"
NETWORKS = "BIS-764-3A2-ZTE-2018-NETWORKS"
MODULES = {"description": "power-supply modules", "eccn": "EAR99", "origin": "US"}

NR, AU, LR, PR, RR = (
    Outcome.NOT_RESTRICTED,
    Outcome.AUTHORIZED,
    Outcome.LICENSE_REQUIRED,
    Outcome.PROHIBITED,
    Outcome.REVIEW_REQUIRED,
)
POD, PD = ReviewPolicy.PRESUMPTION_OF_DENIAL, ReviewPolicy.POLICY_OF_DENIAL


def zte_deal(
    date: str,
    consignee: str = ZTE,
    country: str = "CN",
    items: list[dict[str, Any]] | None = None,
    **fields: Any,
) -> dict[str, Any]:
    """A U.S. exporter shipping U.S.-origin EAR99 power-supply modules to a ZTE party."""
    data = transaction(
        date,
        parties=[party(consignee, country=country)],
        items=items if items is not None else [MODULES],
        destination=country,
        **fields,
    )
    data["parties"][0]["entity"]["name"] = "Acme Components Inc."
    return data


def decide(data: dict[str, Any], rulebook: Rulebook) -> Decision:
    return evaluate(build(data), rulebook)


def rule_findings(decision: Decision, rule: str) -> list[Any]:
    return [f for f in decision.findings if f.rule == rule]


# (case, transaction, outcome, licence id, review policy, citation on the deciding finding)
CASES: list[tuple[str, dict[str, Any], Outcome, str | None, ReviewPolicy | None, str | None]] = [
    ("WC-44-a", zte_deal("2015-06-01"), NR, None, None, None),
    ("WC-45-a", zte_deal("2016-03-07"), NR, None, None, None),
    ("WC-45-b", zte_deal("2016-03-08"), LR, None, POD, "81 FR 12004"),
    ("WC-45-c", zte_deal("2016-03-15"), LR, None, POD, "81 FR 12004"),
    ("WC-45-c-eve", zte_deal("2016-03-23"), LR, None, POD, "81 FR 12004"),
    ("WC-45-d", zte_deal("2016-03-24"), AU, TGL, POD, "81 FR 15633"),
    ("WC-45-e", zte_deal("2016-04-15"), AU, TGL, POD, "81 FR 15633"),
    ("WC-45-g", zte_deal("2016-04-15", KANGXUN), AU, TGL, POD, "15 CFR 744 Supp. 7"),
    ("WC-46-a", zte_deal("2016-04-15", EIGHT_STAR), LR, None, POD, "81 FR 12004"),
    ("WC-47-a", zte_deal("2016-06-30"), AU, TGL, POD, "15 CFR 744 Supp. 7"),
    ("WC-47-a-next", zte_deal("2016-07-01"), AU, TGL, POD, "15 CFR 744 Supp. 7"),
    ("WC-47-b", zte_deal("2016-08-15"), AU, TGL, POD, "15 CFR 744 Supp. 7"),
    ("WC-47-c", zte_deal("2016-11-28"), AU, TGL, POD, "15 CFR 744 Supp. 7"),
    ("WC-47-c-27", zte_deal("2016-11-27"), AU, TGL, POD, "15 CFR 744 Supp. 7"),
    ("WC-47-d", zte_deal("2017-03-28"), AU, TGL, POD, "15 CFR 744 Supp. 7"),
    ("WC-47-e", zte_deal("2017-03-29"), NR, None, None, None),
    ("WC-47-e-kangxun", zte_deal("2017-03-29", KANGXUN), NR, None, None, None),
    ("WC-47-f", zte_deal("2017-03-29", EIGHT_STAR), LR, None, POD, "81 FR 12004"),
    ("WC-47-f-tgl", zte_deal("2017-03-28", EIGHT_STAR), LR, None, POD, "81 FR 12004"),
    ("WC-48-a", zte_deal("2017-07-01"), NR, None, None, None),
    ("WC-48-b", zte_deal("2017-07-01", "Shi Lirong"), LR, None, PD, "82 FR 15458"),
    ("WC-48-b-eve", zte_deal("2017-03-28", "Shi Lirong"), NR, None, None, None),
    ("WC-49-a", zte_deal("2018-05-01"), PR, None, None, "83 FR 17644"),
    ("WC-49-a-kangxun", zte_deal("2018-05-01", KANGXUN), PR, None, None, "83 FR 17644"),
    ("WC-49-e", zte_deal("2018-04-15"), PR, None, None, "83 FR 17644"),
    ("WC-49-f", zte_deal("2018-04-14"), NR, None, None, None),
    ("WC-50-f", zte_deal("2018-07-13"), PR, None, None, "83 FR 34825"),
    ("WC-50-g", zte_deal("2018-07-14"), NR, None, None, None),
    ("WC-51-a", zte_deal("2018-08-01"), NR, None, None, None),
    ("WC-51-b", zte_deal("2026-11-30"), NR, None, None, None),
    ("WC-47-f-today", zte_deal("2026-11-30", EIGHT_STAR), LR, None, POD, "81 FR 12004"),
]


@pytest.mark.parametrize(
    ("case", "data", "outcome", "licence", "policy", "citation"), CASES, ids=[c[0] for c in CASES]
)
def test_zte_history(
    case: str,
    data: dict[str, Any],
    outcome: Outcome,
    licence: str | None,
    policy: ReviewPolicy | None,
    citation: str | None,
    rulebook: Rulebook,
) -> None:
    decision = decide(data, rulebook)
    assert decision.outcome is outcome, (case, [f.message for f in decision.findings])
    deciding = decision.deciding
    if outcome is NR:
        assert deciding is None or deciding.outcome is NR
        return
    assert deciding is not None
    assert deciding.license_id == licence
    assert deciding.review_policy is policy
    assert citation in deciding.citations


def test_wc45_tgl_is_keyed_by_rule_not_supplement_number(rulebook: Rulebook) -> None:
    """The ZTE TGL and the Huawei TGL were both Supplement No. 7 to Part 744 (facts 13.0)."""
    decision = decide(zte_deal("2019-06-01", "Huawei Technologies Co., Ltd."), rulebook)
    assert decision.outcome is LR
    assert all(m.license_id != TGL for f in decision.findings for m in f.near_misses)
    parsian = decide(zte_deal("2016-04-15", PARSIAN, "IR"), rulebook)
    assert TGL not in {f.license_id for f in parsian.findings}


@pytest.mark.parametrize("name", [PARSIAN, "ZTE PARSIAN"])
def test_wc46_parsian_entity_list_finding(name: str, rulebook: Rulebook) -> None:
    for date in ("2016-04-15", "2018-08-01", "2026-11-30"):
        decision = decide(zte_deal(date, name, "IR"), rulebook)
        (el,) = rule_findings(decision, "ear.entity_list")
        assert (el.outcome, el.review_policy) == (LR, POD)
        assert "81 FR 12004" in el.citations


def test_wc46_b_parsian_is_prohibited_overall(rulebook: Rulebook) -> None:
    assert decide(zte_deal("2016-04-15", PARSIAN, "IR"), rulebook).outcome is PR


def test_wc45_f_tgl_does_not_lift_the_country_chart(rulebook: Rulebook) -> None:
    items = [{"description": "integrated circuits", "eccn": "3A001.a", "origin": "US"}]
    assert decide(zte_deal("2016-04-15", items=items), rulebook).outcome is LR


def test_wc45_f_entity_list_part_is_authorized_by_the_tgl(rulebook: Rulebook) -> None:
    items = [{"description": "integrated circuits", "eccn": "3A001.a", "origin": "US"}]
    decision = decide(zte_deal("2016-04-15", items=items), rulebook)
    (el,) = rule_findings(decision, "ear.entity_list")
    assert el.license_id == TGL


@pytest.mark.parametrize(
    ("date", "caution"),
    [("2018-04-15", "took effect on 2018-04-15"), ("2018-07-13", "ended on 2018-07-13")],
    ids=["WC-49-e", "WC-50-f"],
)
def test_denial_order_boundary_days_say_check_the_time(
    date: str, caution: str, rulebook: Rulebook
) -> None:
    decision = decide(zte_deal(date), rulebook)
    (dpl,) = rule_findings(decision, "ear.denied_persons")
    assert dpl.outcome is PR
    assert any(caution in c and "check the time" in c for c in dpl.cautions)
    inside = rule_findings(decide(zte_deal("2018-05-01"), rulebook), "ear.denied_persons")
    assert inside[0].cautions == ()


def test_wc49_denial_order_is_not_a_licence_requirement(rulebook: Rulebook) -> None:
    decision = decide(zte_deal("2018-05-01", licenses=[]), rulebook)
    (dpl,) = rule_findings(decision, "ear.denied_persons")
    assert (dpl.requirement, dpl.review_policy, dpl.license_id) == (PR, None, None)
    assert dpl.citations[:2] == ("15 CFR 764.3(a)(2)", "83 FR 17644")
    # the DPL is assessed by a rule now, so lists.unassessed stays silent
    assert rule_findings(decision, "lists.unassessed") == []
    # a datetime inside the order
    late = decide(zte_deal("2018-07-13T18:00-04:00"), rulebook)
    assert late.outcome is PR


def test_wc49_d_servicing_a_zte_owned_router_is_barred(rulebook: Rulebook) -> None:
    items = [{"description": "on-site repair of a U.S.-origin router owned by ZTE", "origin": "US"}]
    data = zte_deal("2018-05-01", items=items, kind="service")
    assert decide(data, rulebook).outcome is PR


@pytest.mark.parametrize(
    ("content", "expected"), [("0", NR), ("25", NR), ("30", PR)], ids=["WC-49-b", "25%", "WC-49-c"]
)
def test_wc49_foreign_made_modules(content: str, expected: Outcome, rulebook: Rulebook) -> None:
    """A Taiwanese maker, no direct product nexus: the order reaches it above 25% (China)."""
    items = [
        {
            "description": "module",
            "eccn": "EAR99",
            "origin": "TW",
            "us_content_percent": content,
            "direct_product": {},
        }
    ]
    data = zte_deal("2018-05-01", items=items, origin="TW")
    data["parties"][0]["entity"]["country"] = "TW"
    assert decide(data, rulebook).outcome is expected


def test_wc49_foreign_made_modules_with_unknown_facts_need_review(rulebook: Rulebook) -> None:
    """Below de minimis, but whether a direct product rule reaches it is not given."""
    items = [{"description": "module", "eccn": "EAR99", "origin": "TW", "us_content_percent": "0"}]
    data = zte_deal("2018-05-01", items=items, origin="TW")
    decision = decide(data, rulebook)
    assert decision.outcome is RR
    (dpl,) = rule_findings(decision, "ear.denied_persons")
    assert dpl.outcome is RR and "direct product" in dpl.message


def test_denied_person_without_items_needs_review(rulebook: Rulebook) -> None:
    assert decide(zte_deal("2018-05-01", items=[]), rulebook).outcome is RR


PATCH = {
    "description": "security patch for ZTE equipment in a carrier network",
    "eccn": "5D992.c",
    "origin": "US",
}
AUTH_CASES: list[tuple[str, str, dict[str, Any], str, Outcome, str | None]] = [
    ("WC-50-a", "2018-07-05", {"contract_date": "2017-11-01"}, "US", AU, NETWORKS),
    ("WC-50-a-first-day", "2018-07-02", {"contract_date": "2017-11-01"}, "US", AU, NETWORKS),
    ("WC-50-a-eve", "2018-07-01", {"contract_date": "2017-11-01"}, "US", PR, None),
    ("WC-50-a-contract-eve", "2018-07-05", {"contract_date": "2018-04-14"}, "US", AU, NETWORKS),
    ("WC-50-b", "2018-07-05", {"contract_date": "2018-05-01"}, "US", PR, None),
    ("WC-50-b-day", "2018-07-05", {"contract_date": "2018-04-15"}, "US", PR, None),
    ("WC-50-b-missing", "2018-07-05", {}, "US", PR, None),
    ("WC-50-d", "2018-07-05", {"contract_date": "2017-11-01"}, "IR", PR, None),
]


@pytest.mark.parametrize(
    ("case", "date", "facts", "exporter_country", "expected", "licence"),
    AUTH_CASES,
    ids=[c[0] for c in AUTH_CASES],
)
def test_wc50_july_2018_authorization(
    case: str,
    date: str,
    facts: dict[str, Any],
    exporter_country: str,
    expected: Outcome,
    licence: str | None,
    rulebook: Rulebook,
) -> None:
    data = zte_deal(date, items=[PATCH], end_use="existing-network-support", facts=facts)
    data["parties"][0]["entity"]["country"] = exporter_country
    decision = decide(data, rulebook)
    assert decision.outcome is expected, case
    (dpl,) = rule_findings(decision, "ear.denied_persons")
    assert dpl.license_id == licence
    if expected is PR and date >= "2018-07-02":
        assert dpl.near_misses and dpl.near_misses[0].license_id == NETWORKS
        assert "No licence applies" in dpl.message


def test_wc50_c_new_production_is_outside_the_authorization(rulebook: Rulebook) -> None:
    data = zte_deal(
        "2018-07-05", end_use="new-product-production", facts={"contract_date": "2017-11-01"}
    )
    decision = decide(data, rulebook)
    assert decision.outcome is PR
    (dpl,) = rule_findings(decision, "ear.denied_persons")
    assert any("end use 'new-product-production'" in f for m in dpl.near_misses for f in m.failed)


def test_wc50_no_authorization_needed_after_the_termination(rulebook: Rulebook) -> None:
    """The authorization ran to 2018-08-01 but the order ended 2018-07-13 (83 FR 34825)."""
    data = zte_deal("2018-08-01", items=[PATCH], end_use="existing-network-support")
    decision = decide(data, rulebook)
    assert decision.outcome is NR
    # only the suspended order remains, as information
    assert [f.outcome for f in rule_findings(decision, "ear.denied_persons")] == [NR]


def test_wc50_e_authorization_does_not_lift_the_country_chart(rulebook: Rulebook) -> None:
    items = [{**PATCH, "eccn": "5D002", "reasons_for_control": ["NS1"]}]
    data = zte_deal(
        "2018-07-05",
        items=items,
        end_use="existing-network-support",
        facts={"contract_date": "2017-11-01"},
    )
    assert decide(data, rulebook).outcome is LR


def test_licence_exception_cannot_authorize_a_denial(rulebook: Rulebook) -> None:
    from tradecontrol import License

    exc = License.from_dict(
        {
            "id": "EXC",
            "kind": "exception",
            "issuer": "US-BIS",
            "title": "a licence exception",
            "authorizes": ["ear.denied_persons"],
            "versions": [{"window": {"start": "2018-01-01"}}],
        }
    )
    data = zte_deal("2018-05-01", licenses=["EXC"])
    decision = evaluate(build(data), rulebook.with_licenses([exc]))
    assert decision.outcome is PR
    (dpl,) = rule_findings(decision, "ear.denied_persons")
    refused = [m for m in dpl.near_misses if m.license_id == "EXC"]
    assert refused[0].failed == ("a licence exception cannot authorize a prohibition",)


def test_wc44_b_knowledge_of_iran_overrides_the_consignee_country(rulebook: Rulebook) -> None:
    data = zte_deal("2015-06-01")
    data["destination"] = "IR"
    decision = decide(data, rulebook)
    assert decision.outcome is PR
    assert rule_findings(decision, "ear.entity_list") == []  # not listed in 2015


def _german_switch(content: str) -> dict[str, Any]:
    items = [
        {
            "description": "German-made network switch",
            "eccn": "EAR99",
            "origin": "DE",
            "us_content_percent": content,
            "direct_product": {},
        }
    ]
    data = zte_deal("2026-11-30", PARSIAN, "IR", items=items, origin="DE")
    data["parties"][0]["entity"] = {"name": "Netzwerk Technik GmbH", "country": "DE"}
    return data


def test_wc52_a_parsian_today(rulebook: Rulebook) -> None:
    decision = decide(zte_deal("2026-11-30", PARSIAN, "IR"), rulebook)
    assert decision.outcome is PR
    (el,) = rule_findings(decision, "ear.entity_list")
    assert (el.outcome, el.review_policy) == (LR, POD)


@pytest.mark.parametrize(
    ("content", "listed"), [("5", False), ("15", True)], ids=["WC-52-b", "WC-52-c"]
)
def test_wc52_german_switch_to_parsian(content: str, listed: bool, rulebook: Rulebook) -> None:
    """Iran is in E:1, so the de minimis level is 10%: 5% is outside the EAR, 15% inside."""
    decision = decide(_german_switch(content), rulebook)
    el = rule_findings(decision, "ear.entity_list")
    if not listed:
        assert decision.outcome is NR and el == []
        return
    assert [(f.outcome, f.review_policy) for f in el] == [(LR, POD)]
    # the ITSR reaches a non-U.S. person's reexport to Iran at 10% or more U.S. content
    assert decision.outcome is PR


@pytest.mark.parametrize(
    ("date", "on_file"),
    [
        ("2017-03-22", False),
        ("2017-03-23", True),
        ("2017-07-01", True),
        ("2018-04-14", True),
        ("2018-07-14", True),
        ("2018-08-01", True),
        ("2026-11-30", True),
    ],
    ids=[
        "before-settlement",
        "settlement-day",
        "WC-48-a",
        "eve-of-activation",
        "day-after-termination",
        "WC-51-a",
        "WC-51-b",
    ],
)
def test_suspended_denial_order_is_information_only(
    date: str, on_file: bool, rulebook: Rulebook
) -> None:
    """A suspended denial order restricts no one (WC-48-a, WC-51-a): NR with a caution."""
    decision = decide(zte_deal(date), rulebook)
    # until 2017-03-28 ZTE was still on the Entity List, under the TGL
    assert decision.outcome is (AU if date < "2017-03-29" else NR)
    notes = [c for f in decision.findings for c in f.cautions if "suspended" in c]
    assert bool(notes) is on_file
    assert rule_findings(decision, "lists.unassessed") == []


@needs_shared
@pytest.mark.parametrize(
    ("date", "expected"),
    [("2017-10-15", NR), ("2017-10-16", PR), ("2020-10-13", PR), ("2020-10-14", NR)],
    ids=["eve", "first-day", "last-day", "day-after"],
)
def test_official_dpl_file_is_assessed(date: str, expected: Outcome, rulebook: Rulebook) -> None:
    """A row of the real BIS DPL file, loaded with lists.load, bars the export while in force."""
    snap = lists.load(SHARED / "data" / "bis" / "watchman" / "dpl.txt")
    rb = rulebook.with_listings(snap.listings)
    data = zte_deal(date, "ADRIAN MANUEL HERNANDEZ", "MX")
    decision = evaluate(build(data), rb)
    assert decision.outcome is expected
    assert rule_findings(decision, "lists.unassessed") == []
    if expected is PR:
        (dpl,) = rule_findings(decision, "ear.denied_persons")
        assert dpl.listing_id == "us-dpl-380fbfe79d58abdb"


@settings(max_examples=40, deadline=None)
@given(day=st.dates(min_value=datetime.date(2015, 1, 1), max_value=datetime.date(2026, 11, 30)))
def test_denial_order_prohibits_exactly_inside_its_window(day: datetime.date) -> None:
    """Any date: the ZTE export is prohibited exactly while the 2018 order was in force."""
    decision = decide(zte_deal(day.isoformat()), Rulebook.default())
    inside = datetime.date(2018, 4, 15) <= day <= datetime.date(2018, 7, 13)
    assert (decision.outcome is PR) is inside
    listed = datetime.date(2016, 3, 8) <= day <= datetime.date(2017, 3, 28)
    tgl = datetime.date(2016, 3, 24) <= day
    if listed:
        assert decision.outcome is (AU if tgl else LR)
    elif not inside:
        assert decision.outcome is NR
