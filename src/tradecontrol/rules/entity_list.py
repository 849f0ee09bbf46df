"""BIS Entity List — rule id ``ear.entity_list`` (15 CFR 744.11, 744.16).

Any party to an export, reexport or in-country transfer (purchaser, intermediate
consignee, ultimate consignee, end user, forwarder, ...) that matches a listing in force at
``as_of`` makes every item subject to the EAR — EAR99 included — licence-required, with the
listing's licence review policy (§744.16(c)); licence exceptions are unavailable
(§744.16(b)). Exceptions stated in the entry itself (e.g. the 2020 standards-organization
carve-out in the Huawei entries, 85 FR 36720) are honoured. Parties are matched through
:meth:`tradecontrol.Rulebook.match_entity`: equal names after normalisation, or a name
screening score at or above the match threshold (the message then gives the score).

The rule's citations, the transaction kinds it applies to and the lists it reads are rule
parameters in the rulebook (``rules`` → ``ear.entity_list``).
"""

from __future__ import annotations

from datetime import datetime, timedelta

import attrs

from tradecontrol._time import Moment, Position
from tradecontrol.context import EvaluationContext, no_matches, party_matches
from tradecontrol.decision import Finding, Outcome, merge_citations
from tradecontrol.listings import RequirementScope
from tradecontrol.rules.subject_to_ear import subject_to_ear
from tradecontrol.transactions import Party, Transaction

TYPE_CHECKING = False
if TYPE_CHECKING:  # pragma: no cover
    from tradecontrol.listings import Listing, ListingVersion
    from tradecontrol.rulebook import NameMatch, Rulebook, RuleInfo

RULE_ID = "ear.entity_list"

__all__ = ["RULE_ID", "evaluate"]


def _caution(version: ListingVersion, position: Position) -> tuple[str, ...]:
    window = version.window
    if position is Position.START_DAY and isinstance(window.start, datetime):
        return (
            f"the listing took effect at {window.start.isoformat()} ({window.zone}); the "
            "transaction gives only a date, so it is treated as listed: check the time",
        )
    if position is Position.END_DAY and isinstance(window.end, datetime):
        return (
            f"the listing ended at {window.end.isoformat()} ({window.zone}); the transaction "
            "gives only a date, so it is treated as listed: check the time",
        )
    return ()


def _policy_words(version: ListingVersion) -> str:
    if version.review_policy is None:
        return "review policy the entry does not state"
    words = version.review_policy.value.replace("_", " ")
    return words if "policy" in words else f"{words} policy"


def evaluate(
    transaction: Transaction,
    rulebook: Rulebook,
    as_of: Moment,
    *,
    context: EvaluationContext | None = None,
) -> tuple[Finding, ...]:
    """Apply the Entity List to every party of ``transaction`` as of ``as_of``.

    Args:
        transaction: The transaction.
        rulebook: Supplies listings and this rule's parameters.
        as_of: The moment to decide for (date or aware datetime).
        context: The evaluation's shared party matches (see :mod:`tradecontrol.context`).

    Returns:
        One finding per listed party and item (``license_required`` before licences,
        ``not_restricted`` where the entry's own exception applies, ``review_required``
        where it cannot be told whether an item is subject to the EAR).
    """
    info = rulebook.rule(RULE_ID)
    if transaction.kind._value_ not in info.transaction_kinds:
        return ()
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
                findings.extend(_published_soon(party, match, listing, as_of, info))
                continue
            version, position = found
            findings.extend(
                _party_findings(
                    transaction, rulebook, party, match, listing, version, position, as_of
                )
            )
    return tuple(findings)


def _published_soon(
    party: Party, match: NameMatch, listing: Listing, as_of: Moment, info: RuleInfo
) -> list[Finding]:
    """A review finding when a listing dated by its publication date starts soon after as_of.

    Lists such as the CSL give the Federal Register publication date, and BIS rules often
    take effect days earlier (on public inspection): a transaction in the lead-up cannot be
    cleared from the list alone (rule parameter ``publication_lead_days``).
    """
    lead = int(info.param("publication_lead_days")[0])
    day = as_of.date() if isinstance(as_of, datetime) else as_of
    for version in listing.versions:
        start = version.window.start
        if not version.published_start or start is None:
            continue
        start_day = start.date() if isinstance(start, datetime) else start
        if day < start_day <= day + timedelta(days=lead):
            return [
                Finding(
                    rule=RULE_ID,
                    authority=listing.authority,
                    outcome=Outcome.REVIEW_REQUIRED,
                    requirement=Outcome.REVIEW_REQUIRED,
                    review_policy=version.review_policy,
                    citations=merge_citations(info.citations, version.citations),
                    party_role=party.role.value,
                    party_name=party.entity.name,
                    listing_id=listing.id,
                    matched_name=match.matched_name,
                    message=f"The {party.role.value.replace('_', ' ')} {party.entity.name!r} "
                    f"matches {match.matched_name!r}, which the list dates "
                    f"{start_day.isoformat()}: that is the publication date, and the listing "
                    "may have taken effect earlier; check the Federal Register rule's "
                    "effective date.",
                )
            ]
    return []


def _party_findings(
    transaction: Transaction,
    rulebook: Rulebook,
    party: Party,
    match: NameMatch,
    listing: Listing,
    version: ListingVersion,
    position: Position,
    as_of: Moment,
) -> list[Finding]:
    info = rulebook.rule(RULE_ID)
    citations = merge_citations(info.citations, version.citations)
    who = f"{party.role.value.replace('_', ' ')} {party.entity.name!r}"
    listed = f"is on the Entity List as {match.matched_name!r}"
    if match.score < 1.0:
        listed = (
            f"matches {match.matched_name!r} on the Entity List "
            f"(name screening score {match.score:.2f})"
        )
    base = Finding(
        rule=RULE_ID,
        authority=listing.authority,
        outcome=Outcome.REVIEW_REQUIRED,
        requirement=Outcome.REVIEW_REQUIRED,
        review_policy=version.review_policy,
        citations=citations,
        message=f"The {who} {listed}, but no items are described, so it cannot be told "
        "which items need a licence.",
        party_role=party.role.value,
        party_name=party.entity.name,
        listing_id=listing.id,
        matched_name=match.matched_name,
        cautions=_caution(version, position),
    )
    if not transaction.items:
        return [base]
    out = []
    for index, item in enumerate(transaction.items):
        subjection = subject_to_ear(transaction, item, rulebook, as_of)
        if subjection.subject is None:
            out.append(
                attrs.evolve(
                    base,
                    item_index=index,
                    citations=merge_citations(citations, subjection.citations),
                    message=f"The {who} {listed}; {subjection.reason}.",
                )
            )
            continue
        if not subjection.subject:
            continue
        if subjection.authorized_by is not None:
            out.append(
                attrs.evolve(
                    base,
                    outcome=Outcome.AUTHORIZED,
                    requirement=Outcome.LICENSE_REQUIRED,
                    item_index=index,
                    license_id=subjection.authorized_by,
                    citations=merge_citations(citations, subjection.citations),
                    message=f"The {who} {listed}: the item is subject to the EAR "
                    f"({subjection.reason}), so a licence would be required; the savings "
                    f"clause {subjection.authorized_by} authorizes it.",
                )
            )
            continue
        requirement = version.license_requirement
        if requirement is not None and requirement.scope is RequirementScope.AS_STATED:
            out.append(
                attrs.evolve(
                    base,
                    item_index=index,
                    citations=merge_citations(citations, subjection.citations),
                    message=f"The {who} {listed}; its licence requirement covers the items it "
                    f"states, which this version cannot read: {requirement.text!r}.",
                )
            )
            continue
        excepted = next(
            (
                exc
                for exc in (
                    version.license_requirement.exceptions if version.license_requirement else ()
                )
                if all(c.check(transaction, item) is None for c in exc.conditions)
            ),
            None,
        )
        if excepted is not None:
            out.append(
                attrs.evolve(
                    base,
                    outcome=Outcome.NOT_RESTRICTED,
                    requirement=None,
                    review_policy=None,
                    item_index=index,
                    citations=merge_citations(citations, excepted.citations),
                    message=f"The {who} {listed}, but the entry's licence requirement "
                    f"excepts {excepted.label}.",
                )
            )
            continue
        out.append(
            attrs.evolve(
                base,
                outcome=Outcome.LICENSE_REQUIRED,
                requirement=Outcome.LICENSE_REQUIRED,
                item_index=index,
                citations=merge_citations(citations, subjection.citations),
                message=f"The {who} {listed}: a licence is required for every item subject "
                f"to the EAR ({subjection.reason}), reviewed under a {_policy_words(version)}; "
                "licence exceptions are unavailable.",
                cautions=(*base.cautions, *_unread_exceptions(version)),
            )
        )
    return out


def _unread_exceptions(version: ListingVersion) -> tuple[str, ...]:
    """A caution when the entry's text states exceptions that are not structured data."""
    requirement = version.license_requirement
    if requirement is None or requirement.exceptions or "except" not in requirement.text.lower():
        return ()
    return (
        "the entry's licence requirement states exceptions this version does not apply "
        f"automatically; check whether the item falls under them: {requirement.text!r}",
    )
