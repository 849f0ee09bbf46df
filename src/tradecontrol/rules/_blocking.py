"""Shared steps of the ownership rules (internal): parameters, regime nexus, findings.

The blocking rules (``ofac.fifty_percent``, ``eu.ownership_control``,
``uk.ownership_control``) differ only in their data: list codes, threshold, whether a
holding of exactly the threshold counts (and until when it did not), aggregation, whether
control blocks, and citations — all rule parameters in the rulebook.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import attrs

from tradecontrol._time import Moment, Window
from tradecontrol.context import (
    EvaluationContext,
    nothing_to_assess,
    ownership_results,
    regime_check,
)
from tradecontrol.decision import Finding, Outcome, merge_citations
from tradecontrol.errors import DataError
from tradecontrol.nexus import Regime
from tradecontrol.ownership import OwnershipResult, OwnershipTest
from tradecontrol.transactions import Party, Transaction

TYPE_CHECKING = False
if TYPE_CHECKING:  # pragma: no cover
    from tradecontrol.rulebook import NameMatch, Rulebook, RuleInfo

__all__ = [
    "blocking_findings",
    "day_of",
    "opt_param",
    "ownership_test",
    "regime_applies",
    "rule_ownership_test",
    "windows",
]


def day_of(moment: Moment) -> date:
    """The calendar date of a moment (a datetime's own local date)."""
    return moment.date() if isinstance(moment, datetime) else moment


def opt_param(info: RuleInfo, key: str) -> tuple[str, ...]:
    """The values of an optional rule parameter (empty when absent)."""
    return info.param_or(key)


def _flag(info: RuleInfo, key: str) -> bool:
    value = info.param(key)[0]
    if value not in ("true", "false"):
        raise DataError(f"rule {info.id!r} parameter {key!r} must be 'true' or 'false'")
    return value == "true"


def windows(info: RuleInfo, key: str, zone: str) -> tuple[Window, ...]:
    """Windows written ``START/END`` (ISO dates; an empty END is open) in parameter ``key``."""
    out = []
    for text in opt_param(info, key):
        start, _, end = text.partition("/")
        out.append(Window(start=start or None, end=end or None, zone=zone))
    return tuple(out)


def ownership_test(info: RuleInfo, as_of: Moment, list_codes: tuple[str, ...]) -> OwnershipTest:
    """The rule's :class:`~tradecontrol.ownership.OwnershipTest` in force at ``as_of``.

    Parameters read: ``threshold_percent``, ``at_threshold`` (and ``more_than_until``,
    through which date "more than" applied), ``aggregation`` (``all`` or
    ``joint_arrangement``) and ``aggregation_from`` (before it, no aggregation),
    ``control_blocks``.
    """
    day = day_of(as_of)
    at_threshold = _flag(info, "at_threshold")
    until = opt_param(info, "more_than_until")
    if until and day <= date.fromisoformat(until[0]):
        at_threshold = False
    aggregate = info.param("aggregation")[0] == "all"
    since = opt_param(info, "aggregation_from")
    if since and day < date.fromisoformat(since[0]):
        aggregate = False
    return OwnershipTest(
        list_codes=frozenset(list_codes),
        threshold=Decimal(info.param("threshold_percent")[0]),
        at_threshold=at_threshold,
        aggregate=aggregate,
        control_blocks=_flag(info, "control_blocks"),
    )


def rule_ownership_test(
    rulebook: Rulebook, info: RuleInfo, as_of: Moment, list_codes: tuple[str, ...]
) -> OwnershipTest:
    """:func:`ownership_test` of ``rulebook``'s rule ``info``, once per rule, lists and day.

    The test depends on the moment only through its date, so the rulebook's plan remembers
    it (:meth:`tradecontrol.plan.Plan.remember`).
    """
    key = ("ownership test", info.id, list_codes, day_of(as_of))
    return rulebook.plan.remember(key, lambda: ownership_test(info, as_of, list_codes))


def regime_applies(
    info: RuleInfo,
    transaction: Transaction,
    rulebook: Rulebook,
    as_of: Moment,
    context: EvaluationContext | None = None,
) -> tuple[bool, str, tuple[str, ...]]:
    """Whether the rule's regime (parameter ``regime``) applies: (applies, reason, citations).

    The answer comes from :func:`tradecontrol.nexus.check_regime` (U.S., EU or UK persons
    and territory), once per evaluation when ``context`` is given.
    """
    value = info.param("regime")[0]
    regime = _REGIMES.get(value) or Regime(value)  # a dict look-up: no enum call
    check = regime_check(regime, transaction, rulebook, as_of, context)
    return check.applies, check.reason.rstrip("."), check.citations


_REGIMES = {regime.value: regime for regime in Regime}


def _who(party: Party) -> str:
    return f"{party.role.value.replace('_', ' ')} {party.entity.name!r}"


def _listing_citations(result: OwnershipResult, as_of: Moment) -> tuple[str, ...]:
    out: list[str] = []
    for m in (*result.listed, *result.owner_listings):
        found = m.listing.version_at(as_of)
        if found is not None:
            out.extend(found[0].citations)
    return tuple(out)


def blocking_findings(
    rule_id: str,
    transaction: Transaction,
    rulebook: Rulebook,
    as_of: Moment,
    context: EvaluationContext | None = None,
) -> tuple[Finding, ...]:
    """Findings of a blocking rule (OFAC, EU or UK) for every party of ``transaction``.

    A party that is listed, or owned (or, where control blocks, controlled) by listed
    parties per the regime's test, is ``prohibited``; a blocked owner of unknown share,
    or one with control where control does not block, gives ``review_required``; lesser
    blocked holdings give ``not_restricted`` with a caution and the arithmetic.
    ``context`` (the evaluation's, or ``None``) shares the regime check and name matches
    with the other rules.
    """
    info = rulebook.rule(rule_id)
    if transaction.kind._value_ not in info.transaction_kinds:
        return ()
    applies, why, nexus_citations = regime_applies(info, transaction, rulebook, as_of, context)
    if not applies:
        return ()
    test = rule_ownership_test(rulebook, info, as_of, info.list_codes)
    if context is not None and context.is_for(transaction, rulebook, as_of) and context.quiet():
        return ()  # no party matched, no owners: nothing to assess on any list
    entities = [p.entity for p in transaction.parties]
    if nothing_to_assess(entities, transaction, rulebook, as_of, test.list_codes, context):
        return ()  # no owners and no listed party: every party is "not blocked, no holdings"
    results = ownership_results(entities, transaction, rulebook, as_of, test, context)
    regime = info.param("regime")[0]
    findings: list[Finding] = []
    for party, result in zip(transaction.parties, results, strict=True):
        found = _party_finding(rule_id, info, party, result, test, as_of, regime, why)
        if found is not None and found.outcome is not Outcome.NOT_RESTRICTED:
            found = attrs.evolve(found, citations=merge_citations(found.citations, nexus_citations))
        if found is not None:
            findings.append(found)
    return tuple(findings)


def _undated_owners(
    result: OwnershipResult, anchor: NameMatch | None, as_of: Moment
) -> tuple[str, ...]:
    """A caution naming the blocked owners besides ``anchor`` whose source gives no date.

    The Decision's own caution covers the finding's ``listing_id`` (``anchor``); the
    other owners on the blocking paths count as well (two owners' 30 % and 25 % make 55 %).
    """
    undated = dict.fromkeys(
        f"{m.listing.id} ({m.listing.list_code})"
        for m in result.owner_listings
        if m is not anchor and m.listing.undated_at(as_of)
    )
    if not undated:
        return ()
    return (
        f"the source gives no listing date for blocked owner(s) {', '.join(undated)} on "
        f"these paths: treated as in force on {as_of.isoformat()}; check when each was listed",
    )


def _party_finding(
    rule_id: str,
    info: RuleInfo,
    party: Party,
    result: OwnershipResult,
    test: OwnershipTest,
    as_of: Moment,
    regime: str,
    why: str,
) -> Finding | None:
    if not (
        result.problem is not None
        or result.listed
        or result.blocked
        or result.holdings
        or result.indirect
    ):
        return None  # nothing to say (the last branches below need holdings or indirect)
    who = _who(party)
    arithmetic = "; ".join(result.paths)
    base_citations = merge_citations(info.citations, _listing_citations(result, as_of))
    anchor = (result.listed or result.owner_listings or (None,))[0]
    base = Finding(
        rule=rule_id,
        authority=info.authority,
        outcome=Outcome.NOT_RESTRICTED,
        message="",
        party_role=party.role.value,
        party_name=party.entity.name,
        listing_id=anchor.listing.id if anchor is not None else None,
        matched_name=anchor.matched_name if anchor is not None else None,
    )
    if result.problem is not None:
        return attrs.evolve(
            base,
            outcome=Outcome.REVIEW_REQUIRED,
            requirement=Outcome.REVIEW_REQUIRED,
            citations=info.citations,
            listing_id=None,
            matched_name=None,
            message=f"The ownership of the {who} cannot be assessed: {result.problem}.",
        )
    if result.listed:
        m = result.listed[0]
        return attrs.evolve(
            base,
            outcome=Outcome.PROHIBITED,
            requirement=Outcome.PROHIBITED,
            citations=merge_citations(base_citations, info.param("citations_blocked")),
            message=f"The {who} matches {m.matched_name!r} on the {m.listing.list_code} list: "
            f"its property is blocked and {regime} persons may not deal with it ({why}).",
        )
    if result.blocked:
        extra = info.param("citations_indirect")
        if len(result.holdings) > 1 and test.aggregate:
            extra = merge_citations(extra, info.param("citations_aggregation"))
        if result.by_control:
            extra = merge_citations(extra, info.param("citations_control"))
            reason = "controlled by " + ", ".join(result.controllers)
        else:
            reason = f"owned {test.describe()}: {arithmetic}"
        return attrs.evolve(
            base,
            outcome=Outcome.PROHIBITED,
            requirement=Outcome.PROHIBITED,
            citations=merge_citations(base_citations, info.param("citations_blocked"), extra),
            message=f"The {who} is blocked as an entity {reason} ({why}).",
            cautions=_undated_owners(result, anchor, as_of),
        )
    if not result.holdings:
        if not result.indirect:
            return None
        return attrs.evolve(
            base,
            citations=merge_citations(info.citations, info.param("citations_indirect")),
            message=f"The {who} is not blocked by ownership: blocked parties "
            f"({', '.join(result.indirect)}) hold stakes in it only through intermediaries "
            "that are not blocked, which are not looked through.",
            cautions=(
                "blocked persons have indirect interests through unblocked intermediaries: "
                "check for control and for changes in ownership",
            ),
        )
    if result.unknown:
        return attrs.evolve(
            base,
            outcome=Outcome.REVIEW_REQUIRED,
            requirement=Outcome.REVIEW_REQUIRED,
            citations=merge_citations(base_citations, info.param("citations_indirect")),
            message=f"The {who} is owned by blocked owner(s) "
            f"{', '.join(result.unknown)} whose share is not stated; it may be blocked "
            f"({test.describe()}): find out the shares.",
            cautions=_undated_owners(result, anchor, as_of),
        )
    if result.controllers:
        return attrs.evolve(
            base,
            outcome=Outcome.REVIEW_REQUIRED,
            requirement=Outcome.REVIEW_REQUIRED,
            citations=merge_citations(base_citations, info.param("citations_control")),
            message=f"The {who} is controlled by blocked owner(s) "
            f"{', '.join(result.controllers)} but owned below the line ({arithmetic}); "
            f"control alone does not block under {regime} guidance, but the entity may be "
            "designated and dealings through the blocked person are barred: review it.",
        )
    cautions = [
        f"blocked owners hold {arithmetic}: significant blocked ownership; the entity may be "
        "designated later, and dealings with the blocked owners themselves are barred"
    ]
    citations = merge_citations(base_citations, info.param("citations_indirect"))
    if not test.aggregate and test.meets(result.aggregate_share):
        citations = merge_citations(citations, info.param("citations_aggregation"))
        before = opt_param(info, "aggregation_from")
        when = (
            f"before {before[0]} different owners' shares were not aggregated"
            if before and day_of(as_of) < date.fromisoformat(before[0])
            else "different owners' shares are aggregated only under a joint arrangement "
            "or where one controls the other's rights"
        )
        cautions.append(
            f"together the blocked owners hold {result.aggregate_share.normalize():f}%, but "
            f"{when}: check for a joint arrangement and for control"
        )
    return attrs.evolve(
        base,
        outcome=Outcome.NOT_RESTRICTED,
        citations=citations,
        message=f"The {who} is not blocked by ownership ({arithmetic}; {test.describe()}).",
        cautions=tuple(cautions),
    )
