"""NDAA FY2019 section 889 (federal procurement) — rule id ``us.ndaa_889``.

Part A (889(a)(1)(A), from 2019-08-13; FAR 52.204-25): an agency may not procure or obtain
equipment, a system or a service that uses covered telecommunications equipment. Part B
(889(a)(1)(B), from 2020-08-13): an agency may not contract with an entity that *uses*
covered equipment, whether or not in performance of the contract. Covered: Huawei and ZTE
telecommunications equipment; Hytera, Hikvision and Dahua video surveillance and
telecommunications equipment used for public safety, security or national security
purposes. Exceptions: services connecting to third-party facilities (backhaul, roaming,
interconnection) and equipment that cannot route or redirect user data or see it. A
waiver is a licence in the rulebook that names this rule.

Facts read: ``furnished_to_government`` (Part A), ``used_by_contractor`` (Part B),
``security_purpose``, ``third_party_interconnection``, ``cannot_route_user_data``.

Example:
    >>> from tradecontrol import Rulebook, Transaction
    >>> t = Transaction.from_dict({"id": "WC-54-b", "date": "2019-09-01",
    ...     "kind": "procurement",
    ...     "items": [{"description": "IP cameras", "producer": "Huawei Technologies Co., Ltd."}],
    ...     "facts": {"furnished_to_government": True}})
    >>> [f.outcome.value for f in evaluate(t, Rulebook.default(), t.date)]
    ['prohibited']
"""

from __future__ import annotations

import attrs

from tradecontrol._time import Moment
from tradecontrol.decision import Finding, Outcome, merge_citations
from tradecontrol.rules._producers import (
    PURPOSES,
    covered_items,
    day_of,
    param_date,
    purpose_covered,
)
from tradecontrol.transactions import Transaction

TYPE_CHECKING = False
if TYPE_CHECKING:  # pragma: no cover
    from tradecontrol.rulebook import Rulebook

RULE_ID = "us.ndaa_889"

__all__ = ["RULE_ID", "evaluate"]


def evaluate(transaction: Transaction, rulebook: Rulebook, as_of: Moment) -> tuple[Finding, ...]:
    """Apply section 889 Parts A and B to the items of a federal procurement action.

    Args:
        transaction: A ``procurement`` transaction.
        rulebook: Supplies the producer listings and this rule's parameters.
        as_of: The date of the contract action.

    Returns:
        Per covered item: ``prohibited`` under the part in force that the facts engage;
        ``not_restricted`` (with the reason) under a statutory exception or before the part
        takes effect; ``review_required`` when the facts do not say which part is engaged,
        or the purpose test cannot be settled from the input.
    """
    info = rulebook.rule(RULE_ID)
    if transaction.kind._value_ not in info.transaction_kinds:
        return ()
    day = day_of(as_of)
    parts = [
        ("A", transaction.fact("furnished_to_government"), "the agency would procure or obtain it"),
        ("B", transaction.fact("used_by_contractor"), "the contractor uses it"),
    ]
    findings = []
    for hit in covered_items(transaction, rulebook, info, as_of):
        producer = f"{hit.item.producer!r} (covered as {hit.match.matched_name!r})"
        base = Finding(
            rule=RULE_ID,
            authority=hit.listing.authority,
            outcome=Outcome.REVIEW_REQUIRED,
            requirement=Outcome.REVIEW_REQUIRED,
            citations=merge_citations(info.citations, hit.version.citations),
            message="",
            item_index=hit.index,
            listing_id=hit.listing.id,
            matched_name=hit.match.matched_name,
        )
        excepted = [
            label
            for fact, label in (
                ("third_party_interconnection", "a service connecting to third-party facilities"),
                ("cannot_route_user_data", "equipment that cannot route or redirect user data"),
            )
            if transaction.fact(fact) is True
        ]
        if excepted:
            findings.append(
                attrs.evolve(
                    base,
                    outcome=Outcome.NOT_RESTRICTED,
                    requirement=None,
                    citations=merge_citations(base.citations, info.param("exceptions")),
                    message=f"Item {hit.index} involves equipment made by {producer}, but "
                    f"section 889 excepts {excepted[0]}.",
                )
            )
            continue
        purpose = purpose_covered(transaction, info, hit.listing)
        if purpose is not True:
            stated = "is not stated" if purpose is None else "is stated as false"
            findings.append(
                attrs.evolve(
                    base,
                    message=f"Item {hit.index} is made by {producer}, covered only when used "
                    f"for {PURPOSES}; fact 'security_purpose' {stated}, and the purpose test "
                    "needs a person's review.",
                )
            )
            continue
        engaged = [(part, why) for part, fact, why in parts if fact is True]
        if not engaged and all(fact is False for _, fact, _ in parts):
            continue  # the facts say neither part is engaged
        if not engaged:
            findings.append(
                attrs.evolve(
                    base,
                    message=f"Item {hit.index} is covered equipment made by {producer}; state "
                    "whether the agency procures it (fact 'furnished_to_government', Part A) "
                    "or the contractor uses it (fact 'used_by_contractor', Part B).",
                )
            )
            continue
        in_force = [
            (part, why)
            for part, why in engaged
            if day >= param_date(info, f"part_{part.lower()}_effective")
        ]
        if not in_force:
            part, _ = engaged[0]
            start = info.param(f"part_{part.lower()}_effective")[0]
            findings.append(
                attrs.evolve(
                    base,
                    outcome=Outcome.NOT_RESTRICTED,
                    requirement=None,
                    citations=merge_citations(base.citations, info.param(f"part_{part.lower()}")),
                    message=f"Item {hit.index} is covered equipment made by {producer}, but "
                    f"section 889 Part {part} takes effect only on {start}.",
                    cautions=(f"section 889 Part {part} takes effect on {start}",),
                )
            )
            continue
        part, why = in_force[0]
        findings.append(
            attrs.evolve(
                base,
                outcome=Outcome.PROHIBITED,
                requirement=Outcome.PROHIBITED,
                citations=merge_citations(base.citations, info.param(f"part_{part.lower()}")),
                message=f"Item {hit.index} is covered telecommunications equipment made by "
                f"{producer} and {why}: section 889 Part {part} bars the contract action "
                "unless a waiver is held.",
            )
        )
    return tuple(findings)
