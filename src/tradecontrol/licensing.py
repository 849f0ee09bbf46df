"""Applying licences to restriction findings.

After the rules have said what is required, each ``license_required`` finding (and each
``prohibited`` finding of a rule that some licence names in ``authorizes``, e.g. an OFAC
blocking lifted by a wind-down general licence) is checked against the rulebook's
licences: general licences and savings clauses apply by themselves when in scope, specific
licences only when the transaction lists their id, licence exceptions only where the
listing allows them (15 CFR 744.16(b) bars them for the Entity List). A licence that
authorizes the finding turns it ``authorized`` and is named; licences that almost applied
are kept as near misses with the conditions that failed.

``prohibited`` findings (a denial order, a procurement bar) are checked the same way
against the licences that name their rule in ``authorizes`` (e.g. a 15 CFR 764.3(a)(2)
authorization, a section 889 waiver); licence exceptions never authorize a prohibition.

Specific licences with value or quantity limits are drawn down: the caller's prior
``usage`` replaces the licence's stored ``value_used``/``quantity_used``, the transaction's
in-scope items must fit under the limit (value within the licence's stated tolerance;
quantity never above it), and :func:`drawdowns` reports what the transaction takes.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from tradecontrol._time import Moment, Position
from tradecontrol.decision import Finding, NearMiss, Outcome, _trusted_evolve, merge_citations
from tradecontrol.drawdown import Drawdown, LicenseUsage
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

__all__ = ["apply_licenses", "drawdowns", "unknown_license_findings"]

Usage = Mapping[str, LicenseUsage]
"""Prior usage per licence id (see :class:`~tradecontrol.LicenseUsage`)."""


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


Memo = dict[
    tuple[str, tuple[str, ...], str | None, int | None], tuple[LicenseVersion | None, list[str]]
]
"""Per-call cache of licence checks; results depend on the item only through item tests."""


def apply_licenses(
    finding: Finding,
    transaction: Transaction,
    rulebook: Rulebook,
    as_of: Moment,
    memo: Memo | None = None,
    usage: Usage | None = None,
) -> Finding:
    """Return ``finding`` authorized by the first licence that covers it, or with near misses.

    Args:
        finding: A finding from a rule.
        transaction: The transaction.
        rulebook: Holds the licences.
        as_of: The moment of the decision.
        memo: A cache shared by the findings of one evaluation (local to that call).
        usage: Prior usage per licence id; replaces the licences' stored usage.

    Returns:
        The finding, unchanged when it requires nothing a licence can give.
    """
    if finding.requirement not in _LICENSABLE or finding.outcome is not finding.requirement:
        return finding
    prohibition = finding.requirement is Outcome.PROHIBITED
    listing_citations: tuple[str, ...] = ()
    exceptions_available = not prohibition
    if finding.listing_id is not None:
        found = rulebook.listing(finding.listing_id).version_at(as_of)
        if found is not None:
            listing_citations = found[0].citations
            requirement = found[0].license_requirement
            exceptions_available = not prohibition and (
                requirement.license_exceptions_available if requirement is not None else True
            )
    item = transaction.items[finding.item_index] if finding.item_index is not None else None
    memo = {} if memo is None else memo
    near: list[tuple[tuple[bool, bool, int], NearMiss]] = []
    for lic in rulebook.plan.licenses_by_rule.get(finding.rule, ()):
        if lic.kind is LicenseKind.SPECIFIC and lic.id not in transaction.licenses:
            continue
        if (
            lic.id not in transaction.licenses
            and lic.versions[0].window.position(as_of) is Position.BEFORE
        ):
            continue  # not issued yet: no near miss (OFAC GL 126 of 2025 beside a 2022 deal)
        if lic.kind is LicenseKind.EXCEPTION and not exceptions_available:
            refused = (
                "a licence exception cannot authorize a prohibition"
                if prohibition
                else "licence exceptions are unavailable for this listing's licence requirement"
            )
            rank = (lic.id not in transaction.licenses, True, 99)
            near.append((rank, NearMiss(license_id=lic.id, failed=(refused,))))
            continue
        if (listing_citations or finding.listing_id is not None) and not lic.covers_listing(
            listing_citations, finding.listing_id
        ):
            continue
        key = (
            lic.id,
            listing_citations,
            finding.listing_id,
            finding.item_index if lic.item_bound else None,
        )
        if key not in memo:
            memo[key] = _check(
                lic, transaction, item, as_of, listing_citations, finding.listing_id, usage
            )
        version, failures = memo[key]
        if version is not None and not failures:
            return _trusted_evolve(
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
    if prohibition and not kept:
        return finding
    tail = " No licence applies."
    if kept:
        tail = f" No licence applies; nearest: {kept[0].license_id} ({kept[0].failed[0]})."
    return _trusted_evolve(finding, near_misses=kept, message=finding.message + tail)


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
    listing_id: str | None,
    usage: Usage | None,
) -> tuple[LicenseVersion | None, list[str]]:
    version = lic.version_at(as_of)
    if version is None:
        return None, [_window_failure(lic, as_of)]
    failures: list[str] = []
    if version.listing_ids and listing_id not in version.listing_ids:
        failures.append("this version covers only some listed entities, not this one")
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
    if version.has_limits:
        failures.extend(_limit_failures(lic.id, version, transaction, usage))
    return version, failures


def _in_scope(version: LicenseVersion, transaction: Transaction) -> list[Item]:
    return [
        it
        for it in transaction.items
        if all(c.check(transaction, it) is None for c in version.conditions if c.is_item_test)
    ]


def _used(license_id: str, version: LicenseVersion, usage: Usage | None) -> tuple[Decimal, int]:
    prior = usage.get(license_id) if usage is not None else None
    if prior is None:
        return version.value_used, version.quantity_used
    return prior.value, prior.quantity


def _amounts(
    version: LicenseVersion, transaction: Transaction
) -> tuple[Decimal | None, int | None, str | None]:
    """Value and quantity of the in-scope items, or the reason they cannot be summed."""
    value, quantity = Decimal(0), 0
    for it in _in_scope(version, transaction):
        if version.value_limit is not None:
            if it.value is None:
                return None, None, "item value not stated; the licence has a value limit"
            if it.currency != version.currency:
                return (
                    None,
                    None,
                    f"item value is in {it.currency}; the licence limit is in {version.currency}",
                )
            value += it.value
        if version.quantity_limit is not None:
            if it.quantity is None:
                return None, None, "item quantity not stated; the licence has a quantity limit"
            quantity += it.quantity
    return value, quantity, None


def _limit_failures(
    license_id: str, version: LicenseVersion, transaction: Transaction, usage: Usage | None
) -> list[str]:
    value, quantity, problem = _amounts(version, transaction)
    if problem is not None or value is None or quantity is None:
        return [problem or "amounts cannot be summed"]
    used_value, used_quantity = _used(license_id, version, usage)
    out = []
    cur = version.currency
    if version.value_limit is not None:
        limit = version.value_limit
        allowed = limit + limit * version.value_tolerance_percent / 100
        if used_value + value > allowed:
            tolerance = (
                f", tolerance {version.value_tolerance_percent}%"
                if version.value_tolerance_percent
                else ", no tolerance"
            )
            out.append(
                f"value cap exceeded: {cur} {value} in this transaction, {cur} "
                f"{limit - used_value} left of {cur} {limit} ({cur} {used_value} used"
                f"{tolerance})"
            )
    if version.quantity_limit is not None and used_quantity + quantity > version.quantity_limit:
        out.append(
            f"quantity limit exceeded: {quantity} units in this transaction, "
            f"{version.quantity_limit - used_quantity} left of {version.quantity_limit} "
            f"({used_quantity} used; no tolerance on units)"
        )
    return out


def drawdowns(
    findings: tuple[Finding, ...] | list[Finding],
    transaction: Transaction,
    rulebook: Rulebook,
    as_of: Moment,
    usage: Usage | None = None,
) -> tuple[Drawdown, ...]:
    """What the transaction takes from each limited licence that authorized a finding.

    Args:
        findings: The evaluated findings.
        transaction: The transaction.
        rulebook: Holds the licences.
        as_of: The moment of the decision.
        usage: Prior usage per licence id.

    Returns:
        One :class:`~tradecontrol.Drawdown` per licence with a value or quantity limit, in
        the order the licences first authorize a finding.
    """
    out = []
    seen: set[str] = set()
    for finding in findings:
        lid = finding.license_id
        if (
            finding.outcome is not Outcome.AUTHORIZED
            or lid is None
            or lid in seen
            or not rulebook.has_license(lid)
        ):
            continue
        seen.add(lid)
        version = rulebook.license(lid).version_at(as_of)
        if version is None or not version.has_limits:
            continue
        value, quantity, _ = _amounts(version, transaction)
        used_value, used_quantity = _used(lid, version, usage)
        valued = version.value_limit is not None and value is not None
        counted = version.quantity_limit is not None and quantity is not None
        out.append(
            Drawdown(
                license_id=lid,
                value=value if valued else None,
                quantity=quantity if counted else None,
                currency=version.currency if valued else None,
                value_used_before=used_value if valued else None,
                quantity_used_before=used_quantity if counted else None,
                value_remaining=(
                    version.value_limit - used_value - value
                    if valued and version.value_limit is not None and value is not None
                    else None
                ),
                quantity_remaining=(
                    version.quantity_limit - used_quantity - quantity
                    if counted and version.quantity_limit is not None and quantity is not None
                    else None
                ),
            )
        )
    return tuple(out)
