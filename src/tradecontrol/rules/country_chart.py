"""Commerce Country Chart — rule id ``ear.country_chart`` (15 CFR 738.4, Supp. 1 to Part 738).

For each item subject to the EAR, the reasons for control its ECCN names (the item's
``reasons_for_control``, or else the rulebook's CCL subset by ECCN) are looked up in the
destination's row of the chart: every reason marked X gives ``license_required`` naming the
reason (e.g. ``NS2``) and the Part 742 section that states its licence review policy
(15 CFR 738.4(a)(2)). Each reason must be overcome separately.

Fail closed: an item whose classification is unknown, whose ECCN the rulebook's CCL subset
does not hold, a destination with no chart row (15 CFR 738.3(b) names no exhaustive list),
or a reason that applies only to some paragraphs of the ECCN gives ``review_required``.
EAR99 items have no chart reasons. The four embargoed rows (Cuba, Iran, North Korea,
Syria) point to Part 746, which rule ``ear.embargo`` applies.
"""

from __future__ import annotations

from tradecontrol._time import Moment
from tradecontrol.context import EvaluationContext
from tradecontrol.context import subjection as shared_subjection
from tradecontrol.decision import Finding, Outcome, merge_citations
from tradecontrol.destinations import CclEntry, Destinations
from tradecontrol.errors import DataError
from tradecontrol.jurisdictions import Jurisdiction
from tradecontrol.rules._chart_table import item_findings
from tradecontrol.transactions import Item, Role, Transaction

TYPE_CHECKING = False
if TYPE_CHECKING:  # pragma: no cover
    from tradecontrol.rulebook import Rulebook, RuleInfo

RULE_ID = "ear.country_chart"
NEXUS_RULE = "nexus.regimes"

__all__ = ["RULE_ID", "evaluate"]


def _destination(transaction: Transaction) -> Jurisdiction | None:
    if transaction.destination is not None:
        return transaction.destination
    for role in (Role.ULTIMATE_CONSIGNEE, Role.END_USER):
        for party in transaction.parties:
            if party.role is role and party.entity.country is not None:
                return party.entity.country
    return None


def _us_territory(rulebook: Rulebook) -> tuple[str, ...]:
    """The United States and its territories (parameter of rule ``nexus.regimes``)."""
    return rulebook.rule(NEXUS_RULE).param("us_territory")


def _sections(info: RuleInfo, reasons: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(s for r in reasons for s in info.param(r[:2])))


def _what(index: int, item: Item) -> str:
    label = item.description or item.eccn or "item"
    return f"item {index} ({label!r}, ECCN {item.eccn or 'unknown'})"


def evaluate(
    transaction: Transaction,
    rulebook: Rulebook,
    as_of: Moment,
    *,
    context: EvaluationContext | None = None,
) -> tuple[Finding, ...]:
    """Apply the Commerce Country Chart to every item of ``transaction`` as of ``as_of``.

    Args:
        transaction: The transaction (exports, reexports and in-country transfers).
        rulebook: Supplies the chart, the CCL subset and this rule's parameters.
        as_of: The moment to decide for (date or aware datetime).
        context: The evaluation's shared results (see :mod:`tradecontrol.context`): each
            item's ``subject_to_ear`` answer is worked out once; ``None`` when called directly.

    Returns:
        One finding per item that needs a licence (``license_required``) or review.

    Raises:
        DataError: The rulebook has no destination data.
    """
    info = rulebook.rule(RULE_ID)
    if transaction.kind._value_ not in info.transaction_kinds or not transaction.items:
        return ()
    data = rulebook.destinations
    if data is None:
        raise DataError(f"rulebook {rulebook.id} has no Commerce Country Chart")
    destination = _destination(transaction)
    if (
        destination is not None
        and context is not None
        and context.is_for(transaction, rulebook, as_of)
    ):
        # inside evaluate: from the plan's template for the row and classification
        return tuple(
            item_findings(
                transaction,
                rulebook,
                data,
                destination,
                as_of,
                context,
                _what,
                lambda index, item: _item_finding(
                    transaction, rulebook, info, data, destination, index, item, as_of, context
                ),
            )
        )
    findings = []
    for index, item in enumerate(transaction.items):
        finding = _item_finding(
            transaction, rulebook, info, data, destination, index, item, as_of, context
        )
        if finding is not None:
            findings.append(finding)
    return tuple(findings)


def _review(info: RuleInfo, index: int, message: str, citations: tuple[str, ...]) -> Finding:
    return Finding(
        rule=RULE_ID,
        authority=info.authority,
        outcome=Outcome.REVIEW_REQUIRED,
        requirement=Outcome.REVIEW_REQUIRED,
        citations=merge_citations(info.citations, citations),
        item_index=index,
        message=message,
    )


def _item_finding(
    transaction: Transaction,
    rulebook: Rulebook,
    info: RuleInfo,
    data: Destinations,
    destination: Jurisdiction | None,
    index: int,
    item: Item,
    as_of: Moment,
    context: EvaluationContext | None = None,
) -> Finding | None:
    if item.eccn == "EAR99" and not item.reasons_for_control:
        return None  # EAR99 items have no reasons for control
    what = _what(index, item)
    subjection = shared_subjection(transaction, item, rulebook, as_of, context)
    if subjection.subject is False:
        return None
    if destination is None:
        return _review(
            info,
            index,
            f"The {what} may be controlled for reasons the Commerce Country Chart marks by "
            "destination, but the transaction names no destination.",
            subjection.citations,
        )
    if destination.country.code in _us_territory(rulebook):
        return None  # not an export: the chart governs destinations abroad (15 CFR 738.4)
    try:
        row = data.chart_row(destination.code, as_of)
    except DataError as exc:
        return _review(info, index, f"The {what}: {exc.message}.", subjection.citations)
    if row.pointer is not None or not row.marks:
        return None  # no X for any reason; embargoed rows: Part 746 (rule ear.embargo)
    entry: CclEntry | None = None
    partial: tuple[str, ...] = ()
    if item.reasons_for_control:
        reasons, basis = item.reasons_for_control, "as stated on the item"
    elif item.eccn is None:
        return _review(
            info,
            index,
            f"The {what} has no ECCN and no reasons for control, and {row.name}'s row of the "
            "Commerce Country Chart has marks: classify the item to tell whether a licence is "
            "required.",
            subjection.citations,
        )
    else:
        entry = data.ccl_entry(item.eccn)
        if entry is None:
            return _review(
                info,
                index,
                f"The {what} is not in this rulebook's subset of the Commerce Control List: "
                "give the item's reasons for control to apply the Commerce Country Chart.",
                merge_citations(info.param("ccl"), subjection.citations),
            )
        reasons, partial, basis = entry.reasons, entry.partial, f"ECCN {entry.eccn}"
    marked = tuple(r for r in row.marks if r in reasons)
    partly = tuple(r for r in row.marks if r in partial and r not in marked)
    notes = tuple(f"chart footnote {n}: {data.footnote(n)}" for n in row.footnotes)
    sources = info.param("ccl") if entry is not None else ()
    if subjection.subject is None and (marked or partly):
        return _review(
            info,
            index,
            f"The {what} has reasons for control marked for {row.name} "
            f"({', '.join(marked + partly)}), but {subjection.reason}.",
            merge_citations(sources, subjection.citations),
        )
    partial_caution = (
        (
            f"{', '.join(partly)} {'applies' if len(partly) == 1 else 'apply'} to some "
            f"paragraphs of ECCN {item.eccn} and {'is' if len(partly) == 1 else 'are'} marked "
            f"for {row.name}: check the item's paragraph",
        )
        if partly
        else ()
    )
    if not marked:
        if not partly:
            return None
        return Finding(
            rule=RULE_ID,
            authority=info.authority,
            outcome=Outcome.REVIEW_REQUIRED,
            requirement=Outcome.REVIEW_REQUIRED,
            citations=merge_citations(info.citations, sources, _sections(info, partly)),
            item_index=index,
            message=f"The {what}: {', '.join(partly)} of ECCN {item.eccn} "
            f"{'is' if len(partly) == 1 else 'are'} marked X for {row.name} but "
            "applies only to some paragraphs of the entry; the paragraph decides whether a "
            "licence is required.",
            cautions=notes,
        )
    return Finding(
        rule=RULE_ID,
        authority=info.authority,
        outcome=Outcome.LICENSE_REQUIRED,
        requirement=Outcome.LICENSE_REQUIRED,
        citations=merge_citations(
            info.citations, sources, _sections(info, marked), subjection.citations
        ),
        item_index=index,
        message=f"The {what} is controlled for {', '.join(marked)} ({basis}), marked X for "
        f"{row.name} in the Commerce Country Chart: a licence is required for each reason, "
        f"reviewed under the policy of {', '.join(_sections(info, marked))} "
        f"({subjection.reason}).",
        cautions=(*partial_caution, *notes),
    )
