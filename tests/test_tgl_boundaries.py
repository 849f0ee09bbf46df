"""Both sides of every Huawei TGL window boundary (15 CFR 744 Supp. 7; facts §4.1).

The expected citations are written here, independently of the bundled data, so a data
change that moves a window or a citation makes these fail.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import HUAWEI, build, party, transaction
from tradecontrol import Outcome, Rulebook, evaluate

PATCH = {"description": "patch", "eccn": "5D992.c", "origin": "US"}
ORIGINAL_TERMS = {"contract_date": "2019-04-01", "certification_on_file": True}
REVISED_TERMS = {
    "contract_date": "2019-04-01",
    "third_party_network": True,
    "recipient_certification": True,
    "enhances_functional_capacity": False,
}
C1 = "TGL-744-SUPP7-C1"


def _network(date: str, facts: dict[str, Any]) -> dict[str, Any]:
    return transaction(date, items=[PATCH], end_use="existing-network-support", facts=facts)


# (date, facts, expected outcome, citation that must name the licence version in force)
NETWORK_BOUNDARIES = [
    ("2019-05-19", ORIGINAL_TERMS, Outcome.LICENSE_REQUIRED, None),
    ("2019-05-20", ORIGINAL_TERMS, Outcome.AUTHORIZED, "84 FR 23468"),
    ("2019-08-18", ORIGINAL_TERMS, Outcome.AUTHORIZED, "84 FR 23468"),
    ("2019-08-19", ORIGINAL_TERMS, Outcome.LICENSE_REQUIRED, None),  # revised terms apply
    ("2019-08-19", REVISED_TERMS, Outcome.AUTHORIZED, "84 FR 43487"),
    ("2019-11-17", REVISED_TERMS, Outcome.AUTHORIZED, "84 FR 43487"),
    ("2019-11-18", REVISED_TERMS, Outcome.AUTHORIZED, "84 FR 64018"),
    ("2020-02-12", REVISED_TERMS, Outcome.AUTHORIZED, "84 FR 64018"),
    ("2020-02-13", REVISED_TERMS, Outcome.AUTHORIZED, "85 FR 8722"),
    ("2020-02-16", REVISED_TERMS, Outcome.AUTHORIZED, "85 FR 8722"),
    ("2020-02-17", REVISED_TERMS, Outcome.AUTHORIZED, "85 FR 8722"),
    ("2020-03-09", REVISED_TERMS, Outcome.AUTHORIZED, "85 FR 8722"),
    ("2020-03-10", REVISED_TERMS, Outcome.AUTHORIZED, "FR Doc 2020-05190"),
    ("2020-04-01", REVISED_TERMS, Outcome.AUTHORIZED, "FR Doc 2020-05190"),
    ("2020-04-02", REVISED_TERMS, Outcome.AUTHORIZED, "FR Doc 2020-05190"),
    ("2020-05-14", REVISED_TERMS, Outcome.AUTHORIZED, "FR Doc 2020-05190"),
    ("2020-05-15", REVISED_TERMS, Outcome.AUTHORIZED, "85 FR 29610"),
    ("2020-08-13", REVISED_TERMS, Outcome.AUTHORIZED, "85 FR 29610"),
    ("2020-08-13T23:59-04:00", REVISED_TERMS, Outcome.AUTHORIZED, "85 FR 29610"),
    ("2020-08-14T00:00-04:00", REVISED_TERMS, Outcome.LICENSE_REQUIRED, None),
    ("2020-08-14T03:59Z", REVISED_TERMS, Outcome.AUTHORIZED, "85 FR 29610"),  # 23:59 EDT
    ("2020-08-14T04:00Z", REVISED_TERMS, Outcome.LICENSE_REQUIRED, None),  # 00:00 EDT
    ("2020-08-14", REVISED_TERMS, Outcome.LICENSE_REQUIRED, None),
]


@pytest.mark.parametrize(
    ("date", "facts", "expected", "citation"),
    NETWORK_BOUNDARIES,
    ids=[f"{d}-{'orig' if f is ORIGINAL_TERMS else 'rev'}" for d, f, _, _ in NETWORK_BOUNDARIES],
)
def test_network_support_chain(
    date: str,
    facts: dict[str, Any],
    expected: Outcome,
    citation: str | None,
    rulebook: Rulebook,
) -> None:
    decision = evaluate(build(_network(date, facts)), rulebook)
    assert decision.outcome is expected
    deciding = decision.deciding
    assert deciding is not None
    if citation is not None:
        assert deciding.license_id == C1
        assert citation in deciding.citations
    else:
        assert deciding.license_id is None


STANDARDS_ITEM = {"description": "3GPP contribution", "eccn": "EAR99", "origin": "US"}


@pytest.mark.parametrize(
    ("date", "expected", "license_id"),
    [
        ("2019-05-19", Outcome.LICENSE_REQUIRED, None),
        ("2019-05-20", Outcome.AUTHORIZED, "TGL-744-SUPP7-C4"),
        ("2019-08-18", Outcome.AUTHORIZED, "TGL-744-SUPP7-C4"),
        ("2019-08-19", Outcome.LICENSE_REQUIRED, None),  # (c)(4) removed by 84 FR 43487
        ("2020-06-17", Outcome.LICENSE_REQUIRED, None),
        ("2020-06-18", Outcome.NOT_RESTRICTED, None),  # standards carve-out, 85 FR 36720
    ],
)
def test_standards_engagement_over_time(
    date: str, expected: Outcome, license_id: str | None, rulebook: Rulebook
) -> None:
    data = transaction(
        date,
        parties=[party(HUAWEI, "end_user")],
        items=[STANDARDS_ITEM],
        end_use="standards-development",
        facts={"certification_on_file": True, "recipient_certification": True},
    )
    decision = evaluate(build(data), rulebook)
    assert decision.outcome is expected
    assert decision.deciding is not None
    assert decision.deciding.license_id == license_id


def test_standards_carve_out_needs_ear99(rulebook: Rulebook) -> None:
    data = transaction(
        "2020-07-01",
        parties=[party(HUAWEI, "end_user")],
        items=[{"description": "3GPP contribution", "eccn": "3E001", "origin": "US"}],
        end_use="standards-development",
    )
    assert evaluate(build(data), rulebook).outcome is Outcome.LICENSE_REQUIRED


VULN_ITEM = {"description": "vulnerability report", "eccn": "EAR99", "origin": "US"}


@pytest.mark.parametrize(
    ("date", "facts", "expected", "license_id"),
    [
        ("2019-06-01", {"certification_on_file": True}, Outcome.AUTHORIZED, "TGL-744-SUPP7-C3"),
        ("2020-08-13", {"recipient_certification": True}, Outcome.AUTHORIZED, "TGL-744-SUPP7-C3"),
        ("2020-08-14", {"recipient_certification": True}, Outcome.LICENSE_REQUIRED, None),
        ("2020-08-16", {}, Outcome.LICENSE_REQUIRED, None),
        ("2020-08-17", {}, Outcome.AUTHORIZED, "BIS-HUAWEI-VULN-DISCLOSURE-2020"),
        ("2026-11-30", {}, Outcome.AUTHORIZED, "BIS-HUAWEI-VULN-DISCLOSURE-2020"),
    ],
)
def test_vulnerability_disclosure_over_time(
    date: str,
    facts: dict[str, Any],
    expected: Outcome,
    license_id: str | None,
    rulebook: Rulebook,
) -> None:
    data = transaction(date, items=[VULN_ITEM], end_use="vulnerability-disclosure", facts=facts)
    decision = evaluate(build(data), rulebook)
    assert decision.outcome is expected
    assert decision.deciding is not None
    assert decision.deciding.license_id == license_id


def test_august_2019_affiliates_covered_by_the_tgl_only_from_the_revision(
    rulebook: Rulebook,
) -> None:
    """The August 2019 revision brought the newly listed affiliates within the TGL."""
    uk = party("Huawei Technologies (UK) Co., Ltd.", country="GB")
    data = transaction(
        "2019-08-20",
        destination="GB",
        parties=[uk],
        items=[PATCH],
        end_use="existing-network-support",
        facts=REVISED_TERMS,
    )
    decision = evaluate(build(data), rulebook)
    assert decision.outcome is Outcome.AUTHORIZED
    assert decision.deciding is not None
    assert decision.deciding.license_id == C1


def test_as_of_overrides_the_transaction_date(rulebook: Rulebook) -> None:
    t = build(_network("2019-06-10", ORIGINAL_TERMS))
    assert evaluate(t, rulebook).outcome is Outcome.AUTHORIZED
    import datetime

    later = evaluate(t, rulebook, as_of=datetime.date(2020, 8, 14))
    assert later.outcome is Outcome.LICENSE_REQUIRED
    assert later.as_of == datetime.date(2020, 8, 14)
