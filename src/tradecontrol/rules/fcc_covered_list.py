"""FCC: no federal subsidy for covered equipment — rule id ``us.fcc_covered_list``.

From 2020-01-03 (FCC 19-121, 85 FR 230) no Universal Service Fund support may be used to
buy or obtain equipment or services of a covered company; Huawei and ZTE were designated
initially that day and finally on 2020-06-30. From the Covered List of 2021-03-12 (Secure
and Trusted Communications Networks Act, Pub. L. 116-124) no FCC-administered federal
subsidy may be used for covered equipment, which adds Hytera, Hikvision and Dahua for
security uses. The bar attaches to the subsidy, not to a private purchase: an ``import``
paid with the buyer's own funds gets no finding here (see ``us.icts_eo13873``).

Facts read: ``usf_funded`` (bought with USF support), ``federal_subsidy`` (with another
FCC-administered subsidy), ``security_purpose`` (for the purpose-limited producers). Dates
and listings are rule data (``final_designation``, ``covered_list``, ``purpose_limited``).

Example:
    >>> from tradecontrol import Rulebook, Transaction
    >>> t = Transaction.from_dict({"id": "WC-53-c", "date": "2020-07-15", "kind": "import",
    ...     "items": [{"description": "LTE base stations", "producer": "ZTE Corporation"}],
    ...     "facts": {"usf_funded": True}})
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

RULE_ID = "us.fcc_covered_list"

__all__ = ["RULE_ID", "evaluate"]


def evaluate(transaction: Transaction, rulebook: Rulebook, as_of: Moment) -> tuple[Finding, ...]:
    """Apply the federal-subsidy bar to items made by covered producers.

    Args:
        transaction: An ``import`` (equipment obtained for use in the United States).
        rulebook: Supplies the producer listings and this rule's parameters.
        as_of: The moment to decide for.

    Returns:
        Per covered item paid with a subsidy the bar reaches: ``prohibited``; before the
        final designation ``not_restricted`` with a caution; ``review_required`` when the
        funding or (for purpose-limited producers) the use is not stated.
    """
    info = rulebook.rule(RULE_ID)
    if transaction.kind._value_ not in info.transaction_kinds:
        return ()
    day = day_of(as_of)
    covered_list = day >= param_date(info, "covered_list")
    usf = transaction.fact("usf_funded")
    other = transaction.fact("federal_subsidy")
    funded = usf is True or (covered_list and other is True)
    unknown = not funded and (usf is None or (covered_list and other is None))
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
        which = "USF support" + (" or another FCC-administered subsidy" if covered_list else "")
        if unknown and not funded:
            findings.append(
                attrs.evolve(
                    base,
                    message=f"Item {hit.index} is made by {producer}; {which} may not pay for "
                    "it, and the transaction does not state how it is paid (facts "
                    "'usf_funded', 'federal_subsidy').",
                )
            )
            continue
        if not funded:
            continue
        purpose = purpose_covered(transaction, info, hit.listing)
        if purpose is not True:
            if purpose is None:
                findings.append(
                    attrs.evolve(
                        base,
                        message=f"Item {hit.index} is made by {producer}, covered only when "
                        f"used for {PURPOSES}; fact 'security_purpose' is not stated.",
                    )
                )
            continue
        if day < param_date(info, "final_designation"):
            findings.append(
                attrs.evolve(
                    base,
                    outcome=Outcome.NOT_RESTRICTED,
                    requirement=None,
                    citations=merge_citations(base.citations, info.param("usf_rule")),
                    message=f"Item {hit.index} is made by {producer}, only initially designated "
                    "under the USF rule on this date; USF support is barred from the final "
                    f"designation of {info.param('final_designation')[0]}.",
                    cautions=(
                        "initial designation only: check for the final designation before "
                        "paying with USF support",
                    ),
                )
            )
            continue
        findings.append(
            attrs.evolve(
                base,
                outcome=Outcome.PROHIBITED,
                requirement=Outcome.PROHIBITED,
                message=f"Item {hit.index} is made by {producer}: {which} may not be used to "
                "buy or obtain it.",
            )
        )
    return tuple(findings)
