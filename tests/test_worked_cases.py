"""Worked cases WC-01 … WC-18, WC-41, WC-42 (../shared/docs/worked-cases.md), table-driven.

Each row: case id, transaction (canonical JSON), expected overall outcome, expected
deciding licence (or None), expected review policy (or None), citations that must appear
on the deciding finding. Parts of a case that belong to a later issue are written as
strict ``xfail`` tests with the reason, so they flip to failures the day the rule lands.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import HUAWEI, build, party, transaction
from tradecontrol import Decision, License, Outcome, Rulebook, evaluate

PATCH = {
    "description": "security patch for installed base-station management software",
    "eccn": "5D992.c",
    "origin": "US",
}
HANDSET_UPDATE = {
    "description": "security update for handset model HX-1",
    "eccn": "5D992.c",
    "origin": "US",
}
NETWORK_2019 = {"contract_date": "2019-04-01", "certification_on_file": True}
NETWORK_REVISED = {
    "contract_date": "2019-04-01",
    "third_party_network": True,
    "recipient_certification": True,
    "enhances_functional_capacity": False,
}
HANDSET_REVISED = {
    "product_public_date": "2018-10-15",
    "enhances_functional_capacity": False,
    "recipient_certification": True,
}
STANDARDS = {
    "description": "non-public technical contribution for a 3GPP working group",
    "eccn": "EAR99",
    "origin": "US",
}
VULN = {
    "description": "report of a security vulnerability in Huawei equipment",
    "eccn": "EAR99",
    "origin": "US",
}

LR, AU, NR = "license_required", "authorized", "not_restricted"
POD = "presumption_of_denial"
C1, C2, C4 = "TGL-744-SUPP7-C1", "TGL-744-SUPP7-C2", "TGL-744-SUPP7-C4"

CASES: list[tuple[str, dict[str, Any], str, str | None, str | None, list[str]]] = [
    ("WC-01", transaction("2019-05-10"), NR, None, None, []),
    ("WC-02", transaction("2019-05-17"), LR, None, POD, ["15 CFR 744.11", "84 FR 22963"]),
    ("WC-03-a", transaction("2019-05-16T10:00-04:00"), NR, None, None, []),
    ("WC-03-b", transaction("2019-05-16T17:00-04:00"), LR, None, POD, ["15 CFR 744.16"]),
    ("WC-03-b-utc", transaction("2019-05-16T20:16Z"), LR, None, POD, ["15 CFR 744.16"]),
    ("WC-03-a-utc", transaction("2019-05-16T20:14Z"), NR, None, None, []),
    ("WC-03-c", transaction("2019-05-16"), LR, None, POD, ["15 CFR 744.11"]),
    (
        "WC-04",
        transaction(
            "2019-05-18",
            facts={"order_date": "2019-05-01", "en_route_at": "2019-05-16T12:00-04:00"},
        ),
        AU,
        "SAVINGS-84FR22961",
        POD,
        ["84 FR 22961"],
    ),
    (
        "WC-04-x",
        transaction(
            "2019-05-18",
            facts={"order_date": "2019-05-01", "en_route_at": "2019-05-17T09:00-04:00"},
        ),
        LR,
        None,
        POD,
        [],
    ),
    (
        "WC-05",
        transaction(
            "2019-06-10", items=[PATCH], end_use="existing-network-support", facts=NETWORK_2019
        ),
        AU,
        C1,
        POD,
        ["84 FR 23468", "15 CFR 744 Supp. 7"],
    ),
    (
        "WC-06",
        transaction(
            "2019-06-10",
            items=[PATCH],
            end_use="existing-network-support",
            facts={**NETWORK_2019, "contract_date": "2019-06-01"},
        ),
        LR,
        None,
        POD,
        ["84 FR 22963"],
    ),
    (
        "WC-07",
        transaction(
            "2019-06-10",
            items=[{"description": "capacitors", "eccn": "EAR99", "origin": "US"}],
            end_use="new-product-production",
        ),
        LR,
        None,
        POD,
        [],
    ),
    (
        "WC-08",
        transaction(
            "2019-10-01",
            items=[HANDSET_UPDATE],
            end_use="existing-handset-support",
            facts=HANDSET_REVISED,
        ),
        AU,
        C2,
        POD,
        ["84 FR 43487"],
    ),
    (
        "WC-08-x",
        transaction(
            "2019-10-01",
            items=[HANDSET_UPDATE],
            end_use="existing-handset-support",
            facts={**HANDSET_REVISED, "recipient_certification": False},
        ),
        LR,
        None,
        POD,
        [],
    ),
    (
        "WC-09",
        transaction(
            "2019-10-01",
            items=[HANDSET_UPDATE],
            end_use="existing-handset-support",
            facts={**HANDSET_REVISED, "product_public_date": "2019-09-20"},
        ),
        LR,
        None,
        POD,
        [],
    ),
    (
        "WC-10",
        transaction(
            "2019-10-01",
            items=[HANDSET_UPDATE],
            end_use="existing-handset-support",
            facts={**HANDSET_REVISED, "enhances_functional_capacity": True},
        ),
        LR,
        None,
        POD,
        [],
    ),
    (
        "WC-11-a",
        transaction(
            "2019-06-15",
            parties=[party(HUAWEI, "end_user")],
            items=[STANDARDS],
            end_use="standards-development",
            facts={"certification_on_file": True},
        ),
        AU,
        C4,
        POD,
        ["84 FR 23468"],
    ),
    (
        "WC-11-b",
        transaction(
            "2019-09-15",
            parties=[party(HUAWEI, "end_user")],
            items=[STANDARDS],
            end_use="standards-development",
            facts={"certification_on_file": True, "recipient_certification": True},
        ),
        LR,
        None,
        POD,
        [],
    ),
    (
        "WC-11-c",
        transaction(
            "2020-07-01",
            parties=[party(HUAWEI, "end_user")],
            items=[STANDARDS],
            end_use="standards-development",
        ),
        NR,
        None,
        None,
        [],
    ),
    (
        "WC-13",
        transaction(
            "2019-10-01",
            destination="CU",
            parties=[party("Huawei Cuba", country="CU")],
            items=[
                {
                    "description": "patch for existing network equipment",
                    "eccn": "EAR99",
                    "origin": "US",
                }
            ],
            end_use="existing-network-support",
            facts={**NETWORK_REVISED, "contract_date": "2018-06-01"},
        ),
        LR,
        None,
        POD,
        ["84 FR 43495"],
    ),
    (
        "WC-14",
        transaction(
            "2020-04-15", items=[PATCH], end_use="existing-network-support", facts=NETWORK_REVISED
        ),
        AU,
        C1,
        POD,
        ["FR Doc 2020-05190"],
    ),
    (
        "WC-15-a",
        transaction(
            "2020-08-13", items=[PATCH], end_use="existing-network-support", facts=NETWORK_REVISED
        ),
        AU,
        C1,
        POD,
        ["85 FR 29610"],
    ),
    (
        "WC-15-b",
        transaction(
            "2020-08-14", items=[PATCH], end_use="existing-network-support", facts=NETWORK_REVISED
        ),
        LR,
        None,
        POD,
        [],
    ),
    (
        "WC-16-a",
        transaction("2020-09-01", items=[VULN], end_use="vulnerability-disclosure"),
        AU,
        "BIS-HUAWEI-VULN-DISCLOSURE-2020",
        POD,
        ["85 FR 51596"],
    ),
    (
        "WC-16-b",
        transaction(
            "2020-09-01", items=[PATCH], end_use="existing-network-support", facts=NETWORK_REVISED
        ),
        LR,
        None,
        POD,
        [],
    ),
    (
        "WC-17",
        transaction(
            "2019-07-01",
            destination="GB",
            parties=[party("Huawei Global Finance (UK) Limited, Great Britain", country="GB")],
            items=[{"description": "laboratory power supplies", "eccn": "EAR99", "origin": "US"}],
            end_use="general-commercial",
        ),
        LR,
        None,
        POD,
        ["84 FR 22961"],
    ),
    (
        "WC-18",
        transaction(
            "2021-03-01",
            destination="MY",
            parties=[
                party("Nusantara Retail Sdn Bhd", country="MY"),
                party("Huawei International Co., Limited", "intermediate_consignee", "HK"),
            ],
            items=[{"description": "retail POS terminals", "eccn": "5A992.c", "origin": "US"}],
        ),
        LR,
        None,
        POD,
        ["15 CFR 744.11"],
    ),
]


def _decide(data: dict[str, Any], rulebook: Rulebook) -> Decision:
    return evaluate(build(data), rulebook)


@pytest.mark.parametrize(
    ("case", "data", "outcome", "license_id", "policy", "citations"),
    CASES,
    ids=[c[0] for c in CASES],
)
def test_worked_case(
    case: str,
    data: dict[str, Any],
    outcome: str,
    license_id: str | None,
    policy: str | None,
    citations: list[str],
    rulebook: Rulebook,
) -> None:
    decision = _decide(data, rulebook)
    assert decision.outcome.value == outcome, decision.findings
    deciding = decision.deciding
    if outcome == NR and case != "WC-11-c":
        assert not decision.findings
        return
    assert deciding is not None
    assert deciding.license_id == license_id
    assert (deciding.review_policy.value if deciding.review_policy else None) == (
        policy if outcome != NR else None
    )
    for citation in citations:
        assert citation in deciding.citations, (citation, deciding.citations)


def test_wc03c_date_only_on_listing_day_says_check_the_time(rulebook: Rulebook) -> None:
    decision = _decide(transaction("2019-05-16"), rulebook)
    deciding = decision.deciding
    assert deciding is not None
    assert any("16:15" in c and "check the time" in c for c in deciding.cautions)


def test_wc03b_clock_time_leaves_no_caution(rulebook: Rulebook) -> None:
    decision = _decide(transaction("2019-05-16T17:00-04:00"), rulebook)
    assert all(not f.cautions for f in decision.findings)


def test_wc06_near_miss_names_the_failed_condition(rulebook: Rulebook) -> None:
    data = transaction(
        "2019-06-10",
        items=[PATCH],
        end_use="existing-network-support",
        facts={**NETWORK_2019, "contract_date": "2019-06-01"},
    )
    deciding = _decide(data, rulebook).deciding
    assert deciding is not None
    assert deciding.near_misses[0].license_id == C1
    assert deciding.near_misses[0].failed == (
        "contract_date 2019-06-01 is after 2019-05-16 (legally binding contract between Huawei "
        "and the third party executed on or before 2019-05-16)",
    )
    assert "contract_date 2019-06-01 is after 2019-05-16" in deciding.message


def test_wc07_new_products_are_outside_every_tgl_activity(rulebook: Rulebook) -> None:
    data = transaction("2019-06-10", end_use="new-product-production")
    deciding = _decide(data, rulebook).deciding
    assert deciding is not None
    tgl = [m for m in deciding.near_misses if m.license_id.startswith("TGL-")]
    assert tgl
    for miss in tgl:
        assert any("end use 'new-product-production' is not covered" in f for f in miss.failed)


def test_wc13_country_group_e_exclusion_is_the_failed_condition(rulebook: Rulebook) -> None:
    data = CASES[[c[0] for c in CASES].index("WC-13")][1]
    deciding = _decide(data, rulebook).deciding
    assert deciding is not None
    assert deciding.near_misses[0].license_id == C1
    assert deciding.near_misses[0].failed[0].startswith("destination in CU is excluded")


MAY_2019_DESTINATIONS = (
    "BE BO BR CA CH CL CN DE EG GB HK JM JO JP LB LK MG MM NL OM PK PY QA SG TW VN"
)


def test_wc17_every_destination_of_the_listing_follows_the_entity(rulebook: Rulebook) -> None:
    """The May 2019 rule listed affiliates in 26 destinations; each one is licence-required."""
    may = [
        x
        for x in rulebook.listings
        if "84 FR 22961" in x.versions[0].citations or "84 FR 22963" in x.versions[0].citations
    ]
    destinations = {x.entity.country.code for x in may if x.entity.country}
    assert destinations == set(MAY_2019_DESTINATIONS.split())
    for listing in may:
        data = transaction(
            "2019-07-01", parties=[party(listing.entity.name, country=str(listing.entity.country))]
        )
        assert _decide(data, rulebook).outcome is Outcome.LICENSE_REQUIRED, listing.entity.name


def test_august_2019_affiliates_listed_from_2019_08_19(rulebook: Rulebook) -> None:
    data = transaction(
        "2019-08-18", parties=[party("Huawei Technologies (UK) Co., Ltd.", country="GB")]
    )
    assert _decide(data, rulebook).outcome is Outcome.NOT_RESTRICTED
    data["date"] = "2019-08-19"
    assert _decide(data, rulebook).outcome is Outcome.LICENSE_REQUIRED


# --- WC-12, WC-41, WC-42: the Country Chart part (rule ear.country_chart) ------------------


def test_wc12_ccl_requirement_survives_the_tgl(rulebook: Rulebook) -> None:
    data = transaction(
        "2019-07-01",
        items=[{"description": "RF amplifier module", "eccn": "3A001", "origin": "US"}],
        end_use="existing-network-support",
        facts={"contract_date": "2018-11-01", "certification_on_file": True},
    )
    decision = _decide(data, rulebook)
    assert decision.outcome is Outcome.LICENSE_REQUIRED
    # Corrections: the remaining requirement is the Country Chart's (NS2 to China), not the
    # Entity List's presumption of denial
    deciding = decision.deciding
    assert deciding is not None and deciding.rule == "ear.country_chart"
    assert "NS2" in deciding.message and "15 CFR 742.4" in deciding.citations


def test_wc12_entity_list_part_is_authorized_by_the_tgl(rulebook: Rulebook) -> None:
    data = transaction(
        "2019-07-01",
        items=[{"description": "RF amplifier module", "eccn": "3A001", "origin": "US"}],
        end_use="existing-network-support",
        facts={"contract_date": "2018-11-01", "certification_on_file": True},
    )
    decision = _decide(data, rulebook)
    el = [f for f in decision.findings if f.rule == "ear.entity_list"]
    assert el and all(f.outcome is Outcome.AUTHORIZED and f.license_id == C1 for f in el)


def _specific(
    license_id: str,
    *,
    end: str,
    limit: str | None = None,
    used: str = "0",
    consignee: str,
    eccn: str,
) -> License:
    version: dict[str, Any] = {
        "window": {"start": "2023-01-01", "end": end},
        "citations": ["15 CFR 750.7"],
        "conditions": [
            {"test": "eccn_in", "values": [eccn], "label": f"ECCN {eccn}"},
            {"test": "consignee_in", "values": [consignee], "label": f"consignee {consignee}"},
        ],
    }
    if limit is not None:
        version.update(value_limit=limit, value_used=used, currency="USD")
    return License.from_dict(
        {
            "id": license_id,
            "kind": "specific",
            "issuer": "US-BIS",
            "title": f"BIS licence {license_id}",
            "authorizes": ["ear.entity_list", "ear.country_chart"],
            "holder": "NetSoft Inc.",
            "versions": [version],
        }
    )


# 3D001's NS Column 1 control covers software for 3A001.b-.h, 3A001.z and 3B, not the whole
# entry: the worked case states "licence required to China (NS)", so the item says NS1.
EDA_SOFTWARE = {"eccn": "3D001", "reasons_for_control": ["NS1", "AT1"], "origin": "US"}


def test_wc41_unlisted_consignee_value_cap(rulebook: Rulebook) -> None:
    lic = _specific(
        "D123456",
        end="2026-12-31",
        limit="100000",
        used="95000",
        consignee="Shanghai Design Tools Co.",
        eccn="3D001",
    )
    data = transaction(
        "2024-06-01",
        parties=[party("Shanghai Design Tools Co.")],
        items=[{**EDA_SOFTWARE, "value": "20000", "currency": "USD"}],
        licenses=["D123456"],
    )
    decision = evaluate(build(data), rulebook.with_licenses([lic]))
    assert decision.outcome is Outcome.LICENSE_REQUIRED
    deciding = decision.deciding
    assert deciding is not None and deciding.rule == "ear.country_chart"
    assert any("value cap exceeded" in f for f in deciding.near_misses[0].failed)
    data["items"][0]["value"] = "5000"
    assert evaluate(build(data), rulebook.with_licenses([lic])).outcome is Outcome.AUTHORIZED


def test_wc42_unlisted_consignee_expired_licence(rulebook: Rulebook) -> None:
    lic = _specific("D654321", end="2024-03-31", consignee="Shenzhen Sensor Co.", eccn="3A001.a")
    data = transaction(
        "2024-04-02",
        parties=[party("Shenzhen Sensor Co.")],
        items=[{"eccn": "3A001.a", "origin": "US"}],
        licenses=["D654321"],
    )
    assert evaluate(build(data), rulebook.with_licenses([lic])).outcome is Outcome.LICENSE_REQUIRED
    data["date"] = "2024-03-31"  # WC-42-a: last day of validity, inclusive
    assert evaluate(build(data), rulebook.with_licenses([lic])).outcome is Outcome.AUTHORIZED


# The licence mechanics of WC-41 and WC-42 do not depend on the Country Chart: the same
# specific licences, held for a listed Huawei affiliate, meet the Entity List requirement.
AFFILIATE = "Huawei International Co., Limited"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("20000", Outcome.LICENSE_REQUIRED),
        ("5000", Outcome.AUTHORIZED),
        ("5000.01", Outcome.LICENSE_REQUIRED),
    ],
    ids=["WC-41-a-over-cap", "WC-41-b-within-cap", "WC-41-one-cent-over"],
)
def test_wc41_value_cap_on_a_specific_licence(
    value: str, expected: Outcome, rulebook: Rulebook
) -> None:
    lic = _specific(
        "D123456", end="2026-12-31", limit="100000", used="95000", consignee=AFFILIATE, eccn="3D001"
    )
    data = transaction(
        "2024-06-01",
        destination="HK",
        parties=[party(AFFILIATE, country="HK")],
        items=[{**EDA_SOFTWARE, "value": value, "currency": "USD"}],
        licenses=["D123456"],
    )
    decision = evaluate(build(data), rulebook.with_licenses([lic]))
    assert decision.outcome is expected
    deciding = decision.deciding
    assert deciding is not None
    if expected is Outcome.AUTHORIZED:
        assert deciding.license_id == "D123456"
    else:
        assert any("value cap exceeded" in f for f in deciding.near_misses[0].failed)


@pytest.mark.parametrize(
    ("date", "expected"),
    [
        ("2024-03-31", Outcome.AUTHORIZED),
        ("2024-04-01", Outcome.LICENSE_REQUIRED),
        ("2024-04-02", Outcome.LICENSE_REQUIRED),
        ("2024-03-31T23:59-04:00", Outcome.AUTHORIZED),
        ("2024-04-01T00:00-04:00", Outcome.LICENSE_REQUIRED),
    ],
    ids=["WC-42-a-last-day", "day-after", "WC-42-b", "last-minute", "first-minute-after"],
)
def test_wc42_specific_licence_expiry(date: str, expected: Outcome, rulebook: Rulebook) -> None:
    lic = _specific("D654321", end="2024-03-31", consignee=AFFILIATE, eccn="3A001.a")
    data = transaction(
        date,
        destination="HK",
        parties=[party(AFFILIATE, country="HK")],
        items=[{"eccn": "3A001.a", "origin": "US"}],
        licenses=["D654321"],
    )
    assert evaluate(build(data), rulebook.with_licenses([lic])).outcome is expected


def test_specific_licence_not_held_does_not_apply(rulebook: Rulebook) -> None:
    lic = _specific("D654321", end="2024-03-31", consignee=AFFILIATE, eccn="3A001.a")
    data = transaction(
        "2024-03-01",
        destination="HK",
        parties=[party(AFFILIATE, country="HK")],
        items=[{"eccn": "3A001.a", "origin": "US"}],
    )
    assert evaluate(build(data), rulebook.with_licenses([lic])).outcome is (
        Outcome.LICENSE_REQUIRED
    )
