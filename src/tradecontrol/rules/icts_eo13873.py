"""Executive Order 13873 (ICTS supply chain) — rule id ``us.icts_eo13873``.

EO 13873 (2019-05-15, 84 FR 22689) lets the Secretary of Commerce prohibit or mitigate
transactions in information and communications technology and services from persons owned
by, controlled by or subject to a foreign adversary; it names no company. Its rule (15 CFR
part 7, 86 FR 4909) took effect on 2021-03-22 and reaches transactions initiated, pending
or completed on or after 2021-01-19, case by case. No determination prohibiting Huawei or
ZTE equipment as a class was found, so the rule never prohibits by itself: from
2021-01-19 it asks for review of imports of equipment made by producers the U.S. has named
under section 889 or the FCC Covered List (rule data ``list_codes``); between the order
and that date it cautions.

Example:
    >>> from tradecontrol import Rulebook, Transaction
    >>> t = Transaction.from_dict({"id": "WC-53-d", "date": "2021-06-01", "kind": "import",
    ...     "items": [{"description": "LTE base stations",
    ...                "producer": "Huawei Technologies Co., Ltd."}]})
    >>> [f.outcome.value for f in evaluate(t, Rulebook.default(), t.date)]
    ['review_required']
"""

from __future__ import annotations

import attrs

from tradecontrol._time import Moment
from tradecontrol.decision import Finding, Outcome, merge_citations
from tradecontrol.rules._producers import covered_items, day_of, param_date
from tradecontrol.transactions import Transaction

TYPE_CHECKING = False
if TYPE_CHECKING:  # pragma: no cover
    from tradecontrol.rulebook import Rulebook

RULE_ID = "us.icts_eo13873"

__all__ = ["RULE_ID", "evaluate"]


def evaluate(transaction: Transaction, rulebook: Rulebook, as_of: Moment) -> tuple[Finding, ...]:
    """Flag imports of equipment from named foreign-adversary producers under EO 13873.

    Args:
        transaction: An ``import``.
        rulebook: Supplies the producer listings and this rule's parameters.
        as_of: The moment to decide for.

    Returns:
        One finding per item whose producer is named (once per item): ``review_required``
        for transactions the rule reaches (from 2021-01-19), ``not_restricted`` with a
        caution between the order and that date.
    """
    info = rulebook.rule(RULE_ID)
    if transaction.kind._value_ not in info.transaction_kinds:
        return ()
    day = day_of(as_of)
    if day < param_date(info, "order_signed"):
        return ()
    effective = info.param("rule_effective")[0]
    covers = info.param("rule_covers_from")[0]
    in_force = day >= param_date(info, "rule_covers_from")
    findings = []
    seen: set[int] = set()
    for hit in covered_items(transaction, rulebook, info, as_of):
        if hit.index in seen:
            continue
        seen.add(hit.index)
        base = Finding(
            rule=RULE_ID,
            authority="US-DOC",
            outcome=Outcome.NOT_RESTRICTED,
            citations=merge_citations(info.citations, hit.version.citations),
            message=f"Item {hit.index} is made by {hit.item.producer!r}, a producer the U.S. "
            f"has named ({hit.match.matched_name!r}, {hit.listing.list_code}); EO 13873 "
            f"has no implementing rule reaching transactions before {covers}.",
            item_index=hit.index,
            listing_id=hit.listing.id,
            matched_name=hit.match.matched_name,
            cautions=(
                f"EO 13873 was signed on {info.param('order_signed')[0]}; 15 CFR part 7 "
                f"(effective {effective}) reviews ICTS transactions from {covers} case by case",
            ),
        )
        if not in_force:
            findings.append(base)
            continue
        findings.append(
            attrs.evolve(
                base,
                outcome=Outcome.REVIEW_REQUIRED,
                requirement=Outcome.REVIEW_REQUIRED,
                citations=merge_citations(base.citations, info.param("rule")),
                message=f"Item {hit.index} is made by {hit.item.producer!r}, a producer the "
                f"U.S. has named ({hit.match.matched_name!r}, {hit.listing.list_code}): an "
                "ICTS transaction with a foreign-adversary supplier that Commerce may "
                f"prohibit or mitigate case by case (15 CFR part 7, effective {effective}, "
                f"for transactions from {covers}); no class-wide determination is recorded, "
                "so a person must review it.",
                cautions=(),
            )
        )
    return tuple(findings)
