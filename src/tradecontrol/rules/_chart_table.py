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

from tradecontrol._time import Moment
from tradecontrol.context import EvaluationContext
from tradecontrol.context import subjection as shared_subjection
from tradecontrol.decision import Finding, _trusted_reindex
from tradecontrol.destinations import ChartRow, Destinations
from tradecontrol.errors import DataError
from tradecontrol.jurisdictions import Jurisdiction
from tradecontrol.transactions import Item, Transaction

TYPE_CHECKING = False
if TYPE_CHECKING:  # pragma: no cover
    from tradecontrol.rulebook import Rulebook

__all__ = ["item_finding"]

NEXUS_RULE = "nexus.regimes"

Decide = Callable[[], "Finding | None"]


def item_finding(
    transaction: Transaction,
    rulebook: Rulebook,
    data: Destinations,
    destination: Jurisdiction | None,
    index: int,
    item: Item,
    what: str,
    as_of: Moment,
    context: EvaluationContext,
    decide: Decide,
) -> Finding | None:
    """The chart finding of one item: ``decide()``'s, from the plan's template when known.

    Args:
        transaction: The transaction.
        rulebook: Supplies the chart and the plan.
        data: ``rulebook.destinations``.
        destination: Where the items go (the rule's ``_destination``).
        index: The item's index in ``transaction.items``.
        item: The item.
        what: The words naming the item at the start of a message (``"item 0 (…)"``).
        as_of: The moment of the decision.
        context: The evaluation's context (``subject_to_ear`` once per item).
        decide: The rule's own decision for this item (used for the first item of a key,
            and whenever the item falls outside the cases a template covers).

    Returns:
        What ``decide()`` returns, field for field.
    """
    if item.eccn == "EAR99" and not item.reasons_for_control:
        return None
    if destination is None:
        return decide()
    subjection = shared_subjection(transaction, item, rulebook, as_of, context)
    if subjection.subject is False:
        return None
    plan = rulebook.plan
    memo = context._memo  # the destination's row once per evaluation, not once per item
    place = memo.get(("chart row", destination.code))  # a code: no attrs hash per item
    if place is None:
        place = memo[("chart row", destination.code)] = _place(rulebook, data, destination, as_of)
    if place is True:
        return None
    if place is False:
        return decide()
    row = place
    # ``row`` is held by the rulebook's destination data, which lives as long as the plan.
    key = (
        "chart finding",
        destination.code,
        id(row),
        item.eccn,
        item.reasons_for_control,
        subjection.subject,
        subjection.reason,
        subjection.citations,
    )
    head = "The " + what
    found = plan.remember(key, lambda: _template(decide(), head, index))
    if found is None:
        return None
    finding, tail = found
    if finding.item_index == index and finding.message == head + tail:
        return finding
    return _trusted_reindex(finding, index, head + tail)


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


def _template(finding: Finding | None, head: str, index: int) -> tuple[Finding, str] | None:
    """``(finding, message after the item's words)``; ``None`` for no finding."""
    if finding is None:
        return None
    if not finding.message.startswith(head) or finding.item_index != index:
        raise DataError(  # never for this rule's findings; a template would be wrong
            f"chart finding {finding.message[:60]!r} does not start with the item's words"
        )
    return finding, finding.message[len(head) :]
