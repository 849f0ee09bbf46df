"""Commerce Country Chart findings from a template per row and classification (internal).

:mod:`tradecontrol.rules.country_chart` decides each item from the destination's chart
row, the item's ECCN (or stated reasons for control) and its ``subject_to_ear`` answer;
the item's index and description only appear in the finding's ``item_index`` and in the
words naming the item at the start of its message (``"The item 0 ('chip', ECCN 3A001.a)
…"``). So the rulebook's plan (:meth:`tradecontrol.plan.Plan.remember`) keeps, per
(destination, chart row, ECCN, reasons for control, ``subject_to_ear`` answer), the finding
the rule made for the first such item, with the item's words cut out; the next item with
the same key gets that finding with its own index and words put back (findings are
immutable, so sharing the rest is safe). The first item of each key is decided by the
rule's own code, so the template is the rule's answer, not a copy of its logic.

Example:
    >>> from tradecontrol import Rulebook, Transaction
    >>> from tradecontrol.context import EvaluationContext
    >>> from tradecontrol.rules import country_chart
    >>> t = Transaction.from_dict({"id": "T", "date": "2021-03-01", "origin": "US",
    ...     "destination": "CN", "items": [{"description": "a", "eccn": "3A001.a"},
    ...                                    {"description": "b", "eccn": "3A001.a"}]})
    >>> rb = Rulebook.default()
    >>> shared = country_chart.evaluate(t, rb, t.date,
    ...                                 context=EvaluationContext.build(t, rb, t.date))
    >>> shared == country_chart.evaluate(t, rb, t.date), [f.item_index for f in shared]
    (True, [0, 1])
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from tradecontrol._time import Moment
from tradecontrol.context import EvaluationContext
from tradecontrol.decision import Finding, _trusted_reindex
from tradecontrol.destinations import ChartRow, Destinations
from tradecontrol.errors import DataError
from tradecontrol.jurisdictions import Jurisdiction
from tradecontrol.transactions import Item, Transaction

TYPE_CHECKING = False
if TYPE_CHECKING:  # pragma: no cover
    from tradecontrol.rulebook import Rulebook

__all__ = ["item_findings"]

NEXUS_RULE = "nexus.regimes"


def item_findings(
    transaction: Transaction,
    rulebook: Rulebook,
    data: Destinations,
    destination: Jurisdiction,
    as_of: Moment,
    context: EvaluationContext,
    what: Callable[[int, Item], str],
    decide: Callable[[int, Item], Finding | None],
) -> list[Finding]:
    """The chart findings of every item: ``decide``'s, from the plan's templates when known.

    One call per rule, not one per item: the destination's row is looked up once per
    evaluation, and ``decide`` (the rule's own decision) runs only for the first item of a
    template's key, or for every item when no row governs the destination. Each finding
    equals ``decide``'s for its item, field for field.

    Args:
        transaction: The transaction.
        rulebook: Supplies the chart and the plan.
        data: ``rulebook.destinations``.
        destination: Where the items go (not ``None``: without a destination every item
            is decided by the rule itself).
        as_of: The moment of the decision.
        context: The evaluation's context, built for this call.
        what: The words naming an item at the start of a message (``"item 0 (…)"``).
        decide: The rule's own decision for item ``index``.

    Returns:
        The findings, in item order (an item without one is left out).
    """
    out: list[Finding] = []
    subjection_of = context.subjection_of
    remember = rulebook.plan.remember
    place: ChartRow | bool | None = None
    code = destination.code
    for index, item in enumerate(transaction.items):
        eccn = item.eccn
        reasons = item.reasons_for_control
        if eccn == "EAR99" and not reasons:
            continue
        subjection = subjection_of(item)
        if subjection.subject is False:
            continue
        if place is None:
            memo = context._memo  # the row once per evaluation
            place = memo.get(("chart row", code))
            if place is None:
                place = memo[("chart row", code)] = _place(rulebook, data, destination, as_of)
        if place is True:
            return out  # no item gets a finding
        if place is False:
            found = decide(index, item)
            if found is not None:
                out.append(found)
            continue
        key = (
            "chart finding",
            code,
            id(place),
            eccn,
            reasons,
            subjection.subject,
            subjection.reason,
            subjection.citations,
        )
        head = "The " + what(index, item)
        template = remember(key, partial(_decided, decide, index, item, head))
        if template is None:
            continue
        finding, tail = template
        if finding.item_index == index and finding.message == head + tail:
            out.append(finding)
        else:
            out.append(_trusted_reindex(finding, index, head + tail))
    return out


def _place(
    rulebook: Rulebook, data: Destinations, destination: Jurisdiction, as_of: Moment
) -> ChartRow | bool:
    """The chart row with marks that governs ``destination``, once per evaluation.

    ``True``: no item gets a finding (U.S. territory, an embargoed row, a row without
    marks); ``False``: no row governs it (the rule's own code says why, per item).
    """
    territory = rulebook.plan.remember(
        ("us territory", NEXUS_RULE),
        lambda: frozenset(rulebook.rule(NEXUS_RULE).param("us_territory")),
    )
    if destination.country.code in territory:
        return True
    try:
        row = data.chart_row(destination.code, as_of)
    except DataError:
        return False
    if row.pointer is not None or not row.marks:
        return True
    return row


def _decided(
    decide: Callable[[int, Item], Finding | None], index: int, item: Item, head: str
) -> tuple[Finding, str] | None:
    """:func:`_template` of the rule's own decision for item ``index``."""
    return _template(decide(index, item), head, index)


def _template(finding: Finding | None, head: str, index: int) -> tuple[Finding, str] | None:
    """``(finding, message after the item's words)``; ``None`` for no finding."""
    if finding is None:
        return None
    if not finding.message.startswith(head) or finding.item_index != index:
        raise DataError(  # never for this rule's findings; a template would be wrong
            f"chart finding {finding.message[:60]!r} does not start with the item's words"
        )
    return finding, finding.message[len(head) :]
