"""BIS Affiliates rule — rule id ``ear.affiliates``.

A foreign entity owned 50% or more, directly or indirectly, individually or in the
aggregate, by parties on the Entity List or the MEU List (or by entities themselves
caught by the rule) takes the same licence requirement as its owners, and where several
listed owners apply the most restrictive review policy (interim final rule FR Doc
2025-19001, effective 29 September 2025; 15 CFR 744 Supp. 8). Ownership only, not
control. The rule was suspended from 10 November 2025 through 9 November 2026 and is
reimposed on 10 November 2026 absent further action; before 29 September 2025 and during
the suspension a subsidiary is "legally distinct" and not listed by its owner's entry
(a caution says so). The windows are rule parameters (``in_force``, ``suspended``,
``unconfirmed_from``), so an extension or a lapse is a data change.

Not yet covered: SDN owners under the programmes of §744.8(a)(1), TGL No. 7 and the
29 October 2025 savings clause.
"""

from __future__ import annotations

from datetime import date

import attrs

from tradecontrol._time import US_EASTERN, Moment
from tradecontrol.context import EvaluationContext, nothing_to_assess, ownership_results
from tradecontrol.decision import Finding, Outcome, ReviewPolicy, merge_citations
from tradecontrol.ownership import OwnershipResult
from tradecontrol.rules._blocking import day_of, opt_param, rule_ownership_test, windows
from tradecontrol.rules.subject_to_ear import subject_to_ear
from tradecontrol.transactions import Party, Transaction

TYPE_CHECKING = False
if TYPE_CHECKING:  # pragma: no cover
    from tradecontrol.rulebook import Rulebook, RuleInfo

RULE_ID = "ear.affiliates"

__all__ = ["RULE_ID", "evaluate"]


def _policy(result: OwnershipResult, as_of: Moment, order: tuple[str, ...]) -> ReviewPolicy | None:
    policies = []
    for m in result.owner_listings:
        found = m.listing.version_at(as_of)
        if found is not None and found[0].review_policy is not None:
            policies.append(found[0].review_policy)
    ranked = sorted(policies, key=lambda p: order.index(p.value) if p.value in order else 0)
    return ranked[0] if ranked else None


def evaluate(
    transaction: Transaction,
    rulebook: Rulebook,
    as_of: Moment,
    *,
    context: EvaluationContext | None = None,
) -> tuple[Finding, ...]:
    """Apply the Affiliates rule to every party of ``transaction`` not listed itself.

    Args:
        transaction: The transaction (exports, reexports, in-country transfers).
        rulebook: Supplies Entity List and MEU listings, ownership edges and the rule's
            windows and citations.
        as_of: The moment to decide for (date or aware datetime).
        context: The evaluation's shared results (see :mod:`tradecontrol.context`);
            ``None`` when called directly.

    Returns:
        For a party owned 50% or more by listed parties: ``license_required`` per item
        subject to the EAR with the most restrictive owner's review policy while the rule
        is in force, ``not_restricted`` with a caution before it and while suspended;
        ``review_required`` for unknown shares (Red Flag 29); ``not_restricted`` with a
        caution for lesser listed holdings.
    """
    info = rulebook.rule(RULE_ID)
    if transaction.kind._value_ not in info.transaction_kinds:
        return ()
    codes = info.param("owner_list_codes")
    test = rule_ownership_test(rulebook, info, as_of, codes)
    if context is not None and context.is_for(transaction, rulebook, as_of) and context.quiet():
        return ()  # no party matched, no owners: no affiliate
    entities = [p.entity for p in transaction.parties]
    if nothing_to_assess(entities, transaction, rulebook, as_of, test.list_codes, context):
        return ()  # no owners and no listed party: no affiliate
    results = ownership_results(entities, transaction, rulebook, as_of, test, context)
    findings: list[Finding] = []
    for party, result in zip(transaction.parties, results, strict=True):
        if result.listed or not (result.holdings or result.problem):
            continue  # listed parties are for ear.entity_list
        findings.extend(_party(transaction, rulebook, info, party, result, as_of))
    return tuple(findings)


def _party(
    transaction: Transaction,
    rulebook: Rulebook,
    info: RuleInfo,
    party: Party,
    result: OwnershipResult,
    as_of: Moment,
) -> list[Finding]:
    who = f"{party.role.value.replace('_', ' ')} {party.entity.name!r}"
    arithmetic = "; ".join(result.paths)
    citations = merge_citations(info.citations)
    anchor = result.owner_listings[0] if result.owner_listings else None
    base = Finding(
        rule=RULE_ID,
        authority=info.authority,
        outcome=Outcome.NOT_RESTRICTED,
        citations=citations,
        party_role=party.role.value,
        party_name=party.entity.name,
        listing_id=anchor.listing.id if anchor is not None else None,
        matched_name=anchor.matched_name if anchor is not None else None,
        message="",
    )
    if result.problem is not None:
        return [
            attrs.evolve(
                base,
                outcome=Outcome.REVIEW_REQUIRED,
                requirement=Outcome.REVIEW_REQUIRED,
                listing_id=None,
                matched_name=None,
                message=f"The ownership of the {who} cannot be assessed: {result.problem}.",
            )
        ]
    in_force = windows(info, "in_force", US_EASTERN)
    suspended = windows(info, "suspended", US_EASTERN)
    if not any(w.contains(as_of) for w in in_force):
        if not result.blocked:
            return []
        if any(w.contains(as_of) for w in suspended):
            why = "the Affiliates rule is suspended"
            cites = merge_citations(citations, info.param("citations_suspension"))
        else:
            why = "the Affiliates rule is not in force"
            cites = merge_citations(info.param("citations_legally_distinct"), citations)
        return [
            attrs.evolve(
                base,
                citations=cites,
                message=f"The {who} is owned by listed parties ({arithmetic}), but {why} on "
                f"{as_of.isoformat()}: a subsidiary is legally distinct and not covered by "
                "its owner's entry.",
                cautions=(
                    "acting as an agent, front or shell for a listed owner, or knowledge "
                    "that the items are for it, still needs a licence (General Prohibition "
                    "10, 15 CFR 764.2(b))",
                ),
            )
        ]
    if result.unknown:
        return [
            attrs.evolve(
                base,
                outcome=Outcome.REVIEW_REQUIRED,
                requirement=Outcome.REVIEW_REQUIRED,
                message=f"The {who} is owned by listed parties {', '.join(result.unknown)} "
                "whose share is not stated (Red Flag 29): resolve the ownership, get a "
                "licence or use a licence exception.",
            )
        ]
    if not result.blocked:
        return [
            attrs.evolve(
                base,
                message=f"The {who} is not an affiliate under the rule ({arithmetic}); "
                "the rule tests ownership only, not control.",
                cautions=(f"listed parties hold {arithmetic}: check for changes in ownership",),
            )
        ]
    policy = _policy(result, as_of, info.param("review_policy_order"))
    cautions: tuple[str, ...] = ()
    unconfirmed = opt_param(info, "unconfirmed_from")
    if unconfirmed and day_of(as_of) >= date.fromisoformat(unconfirmed[0]):
        cautions = (
            f"the rule is treated as reimposed from {unconfirmed[0]} after its suspension; "
            "verify whether the suspension was extended",
        )
    message = (
        f"The {who} is an affiliate of listed parties ({arithmetic}): it takes their "
        "licence requirement"
    )
    if not transaction.items:
        return [
            attrs.evolve(
                base,
                outcome=Outcome.REVIEW_REQUIRED,
                requirement=Outcome.REVIEW_REQUIRED,
                review_policy=policy,
                message=f"{message}, but no items are described.",
                cautions=cautions,
            )
        ]
    out = []
    for index, item in enumerate(transaction.items):
        subjection = subject_to_ear(transaction, item, rulebook, as_of)
        if subjection.subject is False:
            continue
        outcome = Outcome.LICENSE_REQUIRED if subjection.subject else Outcome.REVIEW_REQUIRED
        words = policy.value.replace("_", " ") if policy is not None else "unstated"
        out.append(
            attrs.evolve(
                base,
                outcome=outcome,
                requirement=outcome,
                review_policy=policy,
                item_index=index,
                citations=merge_citations(citations, subjection.citations),
                message=f"{message} ({subjection.reason}); review policy: {words} "
                "(the most restrictive of its listed owners').",
                cautions=cautions,
            )
        )
    return out
