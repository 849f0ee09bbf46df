"""FCC equipment-authorization bar — rule id ``us.fcc_equipment_authorization``.

From 2023-02-06 (FCC 22-84, 88 FR 7592) covered equipment can no longer obtain an FCC
equipment authorization, and new covered equipment may not be imported, marketed or sold;
existing authorizations were not revoked. From 2025-12-26 (FCC 25-71, 90 FR 53227) the FCC
may limit previously granted authorizations to stop continued importation and marketing.

Facts read: ``fcc_authorized`` (``false``: the model has no FCC authorization),
``fcc_authorization_date`` (when the model was authorized), ``fcc_authorization_limited``
(the FCC has limited it), ``security_purpose`` (for the purpose-limited producers).

Example:
    >>> from tradecontrol import Rulebook, Transaction
    >>> t = Transaction.from_dict({"id": "WC-53-e", "date": "2023-03-01", "kind": "import",
    ...     "items": [{"description": "LTE base stations", "producer": "ZTE Corporation"}],
    ...     "facts": {"fcc_authorized": False}})
    >>> [f.outcome.value for f in evaluate(t, Rulebook.default(), t.date)]
    ['prohibited']
"""

from __future__ import annotations

from datetime import date

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

RULE_ID = "us.fcc_equipment_authorization"

__all__ = ["RULE_ID", "evaluate"]


def evaluate(transaction: Transaction, rulebook: Rulebook, as_of: Moment) -> tuple[Finding, ...]:
    """Apply the equipment-authorization bar to items made by covered producers.

    Args:
        transaction: An ``import``.
        rulebook: Supplies the producer listings and this rule's parameters.
        as_of: The moment to decide for.

    Returns:
        Per covered item from the bar's effective date: ``prohibited`` without an
        authorization granted before the bar (or with one the FCC has limited);
        ``review_required`` when the authorization status or use is not stated, or when a
        pre-bar authorization may have been limited under FCC 25-71.
    """
    info = rulebook.rule(RULE_ID)
    if transaction.kind._value_ not in info.transaction_kinds:
        return ()
    day = day_of(as_of)
    bar = param_date(info, "bar_effective")
    if day < bar:
        return ()
    limitation = day >= param_date(info, "limitation_effective")
    authorized = transaction.fact("fcc_authorized")
    granted = transaction.fact("fcc_authorization_date")
    limited = transaction.fact("fcc_authorization_limited")
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
        purpose = purpose_covered(transaction, info, hit.listing)
        if purpose is False:
            continue
        if purpose is None:
            findings.append(
                attrs.evolve(
                    base,
                    message=f"Item {hit.index} is made by {producer}, covered only when used "
                    f"for {PURPOSES}; fact 'security_purpose' is not stated.",
                )
            )
            continue
        prohibited = attrs.evolve(base, outcome=Outcome.PROHIBITED, requirement=Outcome.PROHIBITED)
        if authorized is False:
            findings.append(
                attrs.evolve(
                    prohibited,
                    message=f"Item {hit.index} is covered equipment made by {producer} with no "
                    f"FCC authorization; none can be granted since {bar.isoformat()}, and it "
                    "may not be imported or marketed.",
                )
            )
            continue
        if not isinstance(granted, date):
            findings.append(
                attrs.evolve(
                    base,
                    message=f"Item {hit.index} is covered equipment made by {producer}; state "
                    "whether and when the model was FCC-authorized (facts 'fcc_authorized', "
                    "'fcc_authorization_date').",
                )
            )
            continue
        if granted >= bar:
            findings.append(
                attrs.evolve(
                    base,
                    message=f"Item {hit.index} is covered equipment made by {producer}, with an "
                    f"authorization dated {granted.isoformat()}, after the bar of "
                    f"{bar.isoformat()}: check the authorization.",
                )
            )
            continue
        if not limitation:
            continue
        cites = merge_citations(base.citations, info.param("limitation_rule"))
        if limited is True:
            findings.append(
                attrs.evolve(
                    prohibited,
                    citations=cites,
                    message=f"Item {hit.index} is covered equipment made by {producer} whose "
                    "FCC authorization has been limited to stop continued importation and "
                    "marketing.",
                )
            )
        elif limited is None:
            findings.append(
                attrs.evolve(
                    base,
                    citations=cites,
                    message=f"Item {hit.index} is covered equipment made by {producer}, "
                    f"authorized {granted.isoformat()}; since "
                    f"{info.param('limitation_effective')[0]} the FCC may limit earlier "
                    "authorizations: check whether it has limited this one (fact "
                    "'fcc_authorization_limited').",
                )
            )
    return tuple(findings)
