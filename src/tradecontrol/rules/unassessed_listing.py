"""Listings no rule assesses — rule id ``lists.unassessed``.

A rulebook may hold listings of lists that no rule of this release reads (the UN list, the
CMIC and other CSL lists without a rule, a company's internal list; SDN, EU, UK, DPL and
the telecom lists have rules of their own). A party
that matches one of them in force at ``as_of`` must not be cleared by silence: this rule
gives ``review_required`` naming the list, the listing and its citations (fail closed).
Which lists the other rules read is rule data (``list_codes`` of each rule).
"""

from __future__ import annotations

from tradecontrol._time import Moment
from tradecontrol.context import EvaluationContext, no_matches, party_matches
from tradecontrol.decision import Finding, Outcome, merge_citations
from tradecontrol.transactions import Transaction

TYPE_CHECKING = False
if TYPE_CHECKING:  # pragma: no cover
    from tradecontrol.rulebook import Rulebook

RULE_ID = "lists.unassessed"

__all__ = ["RULE_ID", "evaluate"]


def evaluate(
    transaction: Transaction,
    rulebook: Rulebook,
    as_of: Moment,
    *,
    context: EvaluationContext | None = None,
) -> tuple[Finding, ...]:
    """A review finding for each party matching a listing that no rule assesses.

    Args:
        transaction: The transaction (every kind: exports, payments, imports...).
        rulebook: Supplies listings and which list codes the rules read.
        as_of: The moment to decide for.
        context: The evaluation's shared party matches (see :mod:`tradecontrol.context`).

    Returns:
        One ``review_required`` finding per party and unassessed listing in force.
    """
    assessed = rulebook.assessed_list_codes
    if no_matches(transaction, rulebook, context, as_of):
        return ()  # no party matches any listing
    findings: list[Finding] = []
    for party, matches in party_matches(transaction, rulebook, context, as_of):
        for match in matches:
            listing = match.listing
            if listing.list_code in assessed:
                continue
            found = listing.version_at(as_of)
            if found is None:
                continue
            version, _ = found
            findings.append(
                Finding(
                    rule=RULE_ID,
                    authority=listing.authority,
                    outcome=Outcome.REVIEW_REQUIRED,
                    requirement=Outcome.REVIEW_REQUIRED,
                    review_policy=version.review_policy,
                    citations=merge_citations(version.citations),
                    party_role=party.role.value,
                    party_name=party.entity.name,
                    listing_id=listing.id,
                    matched_name=match.matched_name,
                    message=f"The {party.role.value.replace('_', ' ')} {party.entity.name!r} "
                    f"matches {match.matched_name!r}{_score(match.score)} on the "
                    f"{listing.list_code} list "
                    f"({listing.authority}), which no rule of this version assesses: a person "
                    "must review it.",
                )
            )
    return tuple(findings)


def _score(score: float) -> str:
    return "" if score >= 1.0 else f" (name screening score {score:.2f})"
