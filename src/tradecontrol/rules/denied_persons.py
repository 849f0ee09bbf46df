"""BIS denial orders (Denied Persons List) — rule id ``ear.denied_persons``.

A denial order is not a licence requirement: while it is in force the denied person may not
take part in any transaction involving an item subject to the EAR, and no one may export,
reexport or transfer such an item to or for it, facilitate its acquisition of one, or
service one it owns (the standard terms of an order under 15 CFR 764.3(a)(2); e.g. the ZTE
order of 2018-04-15, 83 FR 17644). Every such transaction is ``prohibited``; only an
authorization BIS grants under the order (a licence in the rulebook that names this rule in
``authorizes``, such as the July 2018 ZTE authorization) can lift it. Licence exceptions
never do.

The order reaches foreign-made items only when they are subject to the EAR, so each item is
put to :func:`~tradecontrol.rules.subject_to_ear.subject_to_ear`: not subject → no finding;
cannot tell → ``review_required``. The rule reads the lists named by its ``list_codes``
(``DPL``), in force at ``as_of``. On the first or last day of an order given only as a date
(effective immediately, time of day unknown) the finding counts the order as in force and
cautions that the time should be checked.

A *suspended* denial order (list codes in the rule parameter ``suspended_list_codes``, e.g.
ZTE's under its 2017 and 2018 settlements) restricts no one until BIS activates it: it
gives a ``not_restricted`` finding with a caution, so the decision shows it is on file.
"""

from __future__ import annotations

from datetime import date, datetime

import attrs

from tradecontrol._time import Moment, Window, _local_day, _zone
from tradecontrol.context import EvaluationContext, no_matches, party_matches
from tradecontrol.decision import Finding, Outcome, merge_citations
from tradecontrol.rules.subject_to_ear import subject_to_ear
from tradecontrol.transactions import Transaction

TYPE_CHECKING = False
if TYPE_CHECKING:  # pragma: no cover
    from tradecontrol.rulebook import Rulebook

RULE_ID = "ear.denied_persons"

__all__ = ["RULE_ID", "evaluate"]


def _boundary_caution(window: Window, as_of: Moment) -> tuple[str, ...]:
    day = as_of if not isinstance(as_of, datetime) else _local_day(as_of, _zone(window.zone))
    out = []
    start, end = window.start, window.end
    if isinstance(start, date) and not isinstance(start, datetime) and start == day:
        out.append(
            f"the order took effect on {day.isoformat()} and its time of day is not "
            "recorded; it is treated as in force all day: check the time"
        )
    if isinstance(end, date) and not isinstance(end, datetime) and end == day:
        out.append(
            f"the order ended on {day.isoformat()} and its time of day is not recorded; "
            "it is treated as in force all day: check the time"
        )
    return tuple(out)


def evaluate(
    transaction: Transaction,
    rulebook: Rulebook,
    as_of: Moment,
    *,
    context: EvaluationContext | None = None,
) -> tuple[Finding, ...]:
    """Apply the denial orders in force at ``as_of`` to every party of ``transaction``.

    Args:
        transaction: The transaction (the kinds in the rule's ``transaction_kinds``).
        rulebook: Supplies listings and this rule's parameters.
        as_of: The moment to decide for (date or aware datetime).
        context: The evaluation's shared party matches (see :mod:`tradecontrol.context`);
            ``None`` when called directly.

    Returns:
        One finding per denied party and item: ``prohibited`` for items subject to the
        EAR, ``review_required`` where that cannot be told or no items are described.

    Example:
        >>> from tradecontrol import Rulebook, Transaction
        >>> t = Transaction.from_dict({"id": "WC-49-a", "date": "2018-05-01",
        ...     "origin": "US", "destination": "CN",
        ...     "parties": [{"role": "ultimate_consignee",
        ...                  "entity": {"name": "ZTE Corporation", "country": "CN"}}],
        ...     "items": [{"description": "power-supply modules", "eccn": "EAR99",
        ...                "origin": "US"}]})
        >>> [f.outcome.value for f in evaluate(t, Rulebook.default(), t.date)]
        ['prohibited']
    """
    info = rulebook.rule(RULE_ID)
    if transaction.kind._value_ not in info.transaction_kinds:
        return ()
    suspended = info.param("suspended_list_codes")
    if no_matches(transaction, rulebook, context, as_of):
        return ()  # no party matches any listing
    findings: list[Finding] = []
    for party, matches in party_matches(transaction, rulebook, context, as_of):
        for match in matches:
            listing = match.listing
            if listing.list_code not in info.list_codes:
                continue
            found = listing.version_at(as_of)
            if found is None:
                continue
            version, _ = found
            who = f"{party.role.value.replace('_', ' ')} {party.entity.name!r}"
            if listing.list_code in suspended:
                findings.append(
                    Finding(
                        rule=RULE_ID,
                        authority=listing.authority,
                        outcome=Outcome.NOT_RESTRICTED,
                        citations=merge_citations(info.citations, version.citations),
                        message=f"The {who} is subject to a suspended denial order "
                        f"({match.matched_name!r}), which restricts no one unless BIS "
                        f"activates it. {version.note or ''}".strip(),
                        party_role=party.role.value,
                        party_name=party.entity.name,
                        listing_id=listing.id,
                        cautions=(
                            "a suspended BIS denial order is on file for this party: check "
                            "the current Denied Persons List before shipping",
                        ),
                    )
                )
                continue
            denied = (
                f"The {who} is a denied person ({match.matched_name!r}, "
                f"{listing.list_code}, {listing.authority})"
            )
            base = Finding(
                rule=RULE_ID,
                authority=listing.authority,
                outcome=Outcome.REVIEW_REQUIRED,
                requirement=Outcome.REVIEW_REQUIRED,
                citations=merge_citations(info.citations, version.citations),
                message=f"{denied}, but no items are described, so it cannot be told whether "
                "the transaction involves items subject to the EAR.",
                party_role=party.role.value,
                party_name=party.entity.name,
                listing_id=listing.id,
                matched_name=match.matched_name,
                cautions=_boundary_caution(version.window, as_of),
            )
            if not transaction.items:
                findings.append(base)
                continue
            for index, item in enumerate(transaction.items):
                subjection = subject_to_ear(transaction, item, rulebook, as_of)
                citations = merge_citations(base.citations, subjection.citations)
                if subjection.subject is None:
                    findings.append(
                        attrs.evolve(
                            base,
                            item_index=index,
                            citations=citations,
                            message=f"{denied}; {subjection.reason}.",
                        )
                    )
                elif subjection.subject:
                    findings.append(
                        attrs.evolve(
                            base,
                            outcome=Outcome.PROHIBITED,
                            requirement=Outcome.PROHIBITED,
                            item_index=index,
                            citations=citations,
                            message=f"{denied}: the denial order bars every transaction in "
                            f"items subject to the EAR ({subjection.reason}) with it; no licence "
                            "or licence exception applies, only an authorization under the "
                            "order.",
                        )
                    )
    return tuple(findings)
