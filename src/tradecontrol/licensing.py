"""Applying licences to restriction findings.

After the rules have said what is required, each ``license_required`` finding (and each
``prohibited`` finding of a rule that some licence names in ``authorizes``, e.g. an OFAC
blocking lifted by a wind-down general licence) is checked against the rulebook's
licences: general licences and savings clauses apply by themselves when in scope, specific
licences only when the transaction lists their id, licence exceptions only where the
listing allows them (15 CFR 744.16(b) bars them for the Entity List). A licence that
authorizes the finding turns it ``authorized`` and is named; licences that almost applied
are kept as near misses with the conditions that failed.
"""

from __future__ import annotations

from decimal import Decimal

import attrs

from tradecontrol._time import Moment, Position
from tradecontrol.decision import Finding, NearMiss, Outcome, merge_citations
from tradecontrol.licenses import License, LicenseKind, LicenseVersion
from tradecontrol.transactions import Item, Transaction

TYPE_CHECKING = False
if TYPE_CHECKING:  # pragma: no cover
    from tradecontrol.rulebook import Rulebook

RULE_ID = "licensing.license_ids"
_LICENSABLE = (Outcome.LICENSE_REQUIRED, Outcome.PROHIBITED)
"""Requirements a licence can authorize: a licence requirement, or a prohibition (e.g. an
OFAC blocking) that a general or specific licence of the rule's authority lifts."""
MAX_NEAR_MISSES = 3

__all__ = ["apply_licenses", "unknown_license_findings"]


def unknown_license_findings(transaction: Transaction, rulebook: Rulebook) -> tuple[Finding, ...]:
    """A ``review_required`` finding for each licence id the rulebook does not hold."""
    return tuple(
        Finding(
            rule=RULE_ID,
            authority="tradecontrol",
            outcome=Outcome.REVIEW_REQUIRED,
            requirement=Outcome.REVIEW_REQUIRED,
            message=f"The transaction names licence {lid!r}, which rulebook "
            f"{rulebook.id} does not hold; add it with Rulebook.with_licenses().",
        )
        for lid in transaction.licenses
        if not rulebook.has_license(lid)
    )


Memo = dict[tuple[str, tuple[str, ...], int | None], tuple[LicenseVersion | None, list[str]]]
"""Per-call cache of licence checks; results depend on the item only through item tests."""


def apply_licenses(
    finding: Finding,
    transaction: Transaction,
    rulebook: Rulebook,
    as_of: Moment,
    memo: Memo | None = None,
) -> Finding:
    """Return ``finding`` authorized by the first licence that covers it, or with near misses.

    Args:
        finding: A finding from a rule.
        transaction: The transaction.
        rulebook: Holds the licences.
        as_of: The moment of the decision.
        memo: A cache shared by the findings of one evaluation (local to that call).

    Returns:
        The finding, unchanged when it requires nothing a licence can give.
    """
    if finding.requirement not in _LICENSABLE or finding.outcome is not finding.requirement:
        return finding
    listing_citations: tuple[str, ...] = ()
    exceptions_available = True
    if finding.listing_id is not None:
        found = rulebook.listing(finding.listing_id).version_at(as_of)
        if found is not None:
            listing_citations = found[0].citations
            requirement = found[0].license_requirement
            exceptions_available = (
                requirement.license_exceptions_available if requirement is not None else True
            )
    item = transaction.items[finding.item_index] if finding.item_index is not None else None
    memo = {} if memo is None else memo
    near: list[tuple[tuple[bool, bool, int], NearMiss]] = []
    for lic in rulebook.licenses:
        if finding.rule not in lic.authorizes:
            continue
        if lic.kind is LicenseKind.SPECIFIC and lic.id not in transaction.licenses:
            continue
        if lic.kind is LicenseKind.EXCEPTION and not exceptions_available:
            continue
        if listing_citations and not lic.covers_listing(listing_citations):
            continue
        key = (lic.id, listing_citations, finding.item_index if lic.item_bound else None)
        if key not in memo:
            memo[key] = _check(lic, transaction, item, as_of, listing_citations)
        version, failures = memo[key]
        if version is not None and not failures:
            return attrs.evolve(
                finding,
                outcome=Outcome.AUTHORIZED,
                license_id=lic.id,
                citations=merge_citations(finding.citations, lic.citations, version.citations),
                message=f"{finding.message} Authorized by {lic.title} ({lic.id}).",
                near_misses=(),
            )
        rank = (lic.id not in transaction.licenses, version is None, len(failures))
        near.append((rank, NearMiss(license_id=lic.id, failed=tuple(failures))))
    # licences the transaction names first, then those in force, then the fewest failures
    near.sort(key=lambda pair: pair[0])
    kept = tuple(n for _, n in near[:MAX_NEAR_MISSES])
    tail = " No licence applies."
    if kept:
        tail = f" No licence applies; nearest: {kept[0].license_id} ({kept[0].failed[0]})."
    return attrs.evolve(finding, near_misses=kept, message=finding.message + tail)


def _window_failure(lic: License, as_of: Moment) -> str:
    for ver in lic.versions:
        position = ver.window.position(as_of)
        if position in (Position.START_DAY, Position.END_DAY):
            return (
                f"{lic.id} starts or ends at a clock time on {as_of.isoformat()} "
                f"({ver.window.describe()}); give the transaction's time to decide"
            )
    first, last = lic.versions[0].window, lic.versions[-1].window
    span = (
        f"{first.start.isoformat() if first.start else '(open)'} through "
        f"{last.end.isoformat() if last.end else '(open)'}"
    )
    return f"not in force on {as_of.isoformat()} (valid {span})"


def _check(
    lic: License,
    transaction: Transaction,
    item: Item | None,
    as_of: Moment,
    listing_citations: tuple[str, ...],
) -> tuple[LicenseVersion | None, list[str]]:
    version = lic.version_at(as_of)
    if version is None:
        return None, [_window_failure(lic, as_of)]
    failures: list[str] = []
    if (
        listing_citations
        and version.listing_citations
        and not set(version.listing_citations) & set(listing_citations)
    ):
        failures.append(
            f"this version covers only listings made by {', '.join(version.listing_citations)}"
        )
    for condition in version.conditions:
        reason = condition.check(transaction, item)
        if reason is not None:
            failures.append(reason)
    if version.value_limit is not None:
        failures.extend(_value_failures(version, transaction))
    return version, failures


def _value_failures(version: LicenseVersion, transaction: Transaction) -> list[str]:
    assert version.value_limit is not None
    in_scope = [
        it
        for it in transaction.items
        if all(c.check(transaction, it) is None for c in version.conditions if c.is_item_test)
    ]
    total = Decimal(0)
    for it in in_scope:
        if it.value is None:
            return ["item value not stated; the licence has a value limit"]
        if it.currency != version.currency:
            return [f"item value is in {it.currency}; the licence limit is in {version.currency}"]
        total += it.value
    remaining = version.value_limit - version.value_used
    if total > remaining:
        return [
            f"value cap exceeded: {version.currency} {total} in this transaction, "
            f"{version.currency} {remaining} left of {version.currency} {version.value_limit} "
            f"({version.currency} {version.value_used} used)"
        ]
    return []
