"""An exact hit on one list never hides another list's match or review candidate.

Regression for a silent clear found by bad-input testing: ``Huawei Technologies Co.`` scored
1.0 against the NDAA section 889 listing ``Huawei Technologies Company`` (equal once legal
forms are set aside), and the party's Entity List matches (0.97) were dropped as "lesser
matches of an identified party" — the export came out ``not_restricted``. Identification
now holds per list code only. Adding a listing on another list must never make an outcome
more permissive (the monotonicity the rulebook promises).
"""

from __future__ import annotations

import datetime

import attrs
import pytest

from tradecontrol import Entity, Listing, Outcome, Rulebook, Transaction, evaluate, screen
from tradecontrol.screening import scoring

pytestmark = pytest.mark.skipif(not scoring.AVAILABLE, reason="tradecontrol[screening] absent")

WHEN = datetime.date(2019, 6, 10)


def _export(name: str) -> Transaction:
    return Transaction.from_dict(
        {
            "id": "R1",
            "date": WHEN.isoformat(),
            "kind": "export",
            "origin": "US",
            "destination": "CN",
            "parties": [{"role": "ultimate_consignee", "entity": {"name": name}}],
            "items": [{"description": "chips", "eccn": "EAR99"}],
        }
    )


@pytest.mark.parametrize(
    ("name", "at_least"),
    [
        # exact 1.0 on NDAA-889 "Huawei Technologies Company"; Entity List 0.97 matches
        ("Huawei Technologies Co.", Outcome.LICENSE_REQUIRED),
        ("Huawei Technologies", Outcome.LICENSE_REQUIRED),
        # a 0.86 match on the FCC Covered List (not yet in force) and 0.83 EL candidates
        ("Huawel Technologies Co Ltd", Outcome.LICENSE_REQUIRED),
        ("Huawei Technologies Co., Ltd.", Outcome.LICENSE_REQUIRED),
    ],
)
def test_entity_list_is_not_hidden_by_another_lists_hit(name: str, at_least: Outcome) -> None:
    rulebook = Rulebook.default()
    decision = evaluate(_export(name), rulebook)
    assert decision.outcome >= at_least or decision.outcome == Outcome.REVIEW_REQUIRED, (
        name,
        decision.outcome,
    )
    assert any(
        f.rule in {"ear.entity_list", "screening.review"} and f.outcome != Outcome.NOT_RESTRICTED
        for f in decision.findings
    ), [f.rule for f in decision.findings]


def test_match_entity_keeps_matches_of_other_lists() -> None:
    rulebook = Rulebook.default()
    codes = {
        m.listing.list_code for m in rulebook.match_entity(Entity(name="Huawei Technologies Co."))
    }
    assert {"EL", "NDAA-889"} <= codes


def test_a_new_exact_listing_on_another_list_never_relaxes_the_outcome() -> None:
    """Copy an Entity List party's name as an exact entry of an internal list."""
    base = Rulebook.default()
    name = "Huawei Technologie Co., Ltd."  # 0.93 against the Entity List, no exact hit
    before = evaluate(_export(name), base)
    internal = Listing.from_dict(
        {
            "id": "internal-1",
            "list_code": "INTERNAL",
            "authority": "ACME-COMPLIANCE",
            "entity": {"name": name},
            "versions": [{"window": {"start": "2000-01-01"}}],
        }
    )
    after = evaluate(_export(name), base.with_listings([internal]))
    assert before.outcome == Outcome.LICENSE_REQUIRED
    assert after.outcome >= before.outcome
    assert {f.rule for f in before.findings if f.outcome != Outcome.NOT_RESTRICTED} <= {
        f.rule for f in after.findings if f.outcome != Outcome.NOT_RESTRICTED
    }


def test_screen_still_lists_every_list() -> None:
    found = screen(Entity(name="Huawei Technologies Co."), Rulebook.default(), as_of=WHEN)
    assert {m.listing.list_code for m in found if m.status == "match"} >= {"EL", "NDAA-889"}
    assert attrs.has(type(found[0]))


@pytest.mark.parametrize(
    ("kind", "reported"),
    [("export", False), ("procurement", True)],
)
def test_review_candidates_only_on_lists_whose_rules_apply(kind: str, reported: bool) -> None:
    """``Huawei Russia`` resembles the section 889 entry ``Huawei`` (review): reported for a
    procurement, where section 889 applies, not for an export, where no rule reads it."""
    data = _export("Huawei Russia").to_dict()
    data["kind"] = kind
    decision = evaluate(Transaction.from_dict(data), Rulebook.default())
    codes = {
        f.listing_id for f in decision.findings if f.rule == "screening.review" and f.listing_id
    }
    assert ("us-889-huawei" in codes) is reported


def test_an_exact_hit_on_a_list_no_rule_applies_to_hides_no_candidate() -> None:
    """Found by the monotonicity property: before this, an Entity List entry naming an
    import's party (the Entity List rule does not apply to imports) counted the party as
    identified everywhere, which hid its section 889 review candidate (``Huawei``, 0.73):
    ``review_required`` became ``not_restricted`` when a listing was added."""
    data = {
        "id": "I1",
        "date": "2019-01-01",
        "kind": "import",
        "parties": [{"role": "exporter", "entity": {"name": "Huawei Tech Investment Co., Ltd."}}],
        "items": [],
    }
    base = Rulebook.default()
    before = evaluate(Transaction.from_dict(data), base)
    listing = Listing.from_dict(
        {
            "id": "test-el-1",
            "list_code": "EL",
            "authority": "US-BIS",
            "entity": {"name": "Huawei Tech Investment Co., Ltd."},
            "versions": [
                {
                    "window": {"start": "2019-01-01"},
                    "license_requirement": {
                        "scope": "all_items_subject_to_ear",
                        "text": "All items.",
                    },
                    "review_policy": "presumption_of_denial",
                    "citations": ["TEST FR 1"],
                }
            ],
        }
    )
    after = evaluate(Transaction.from_dict(data), base.with_listings([listing]))
    assert before.outcome == Outcome.REVIEW_REQUIRED
    assert after.outcome == Outcome.REVIEW_REQUIRED
    assert "us-889-huawei" in {f.listing_id for f in after.findings if f.rule == "screening.review"}
