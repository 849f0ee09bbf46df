"""Legal rules, one module each.

A rule is a pure function ``(transaction, rulebook, as_of) -> tuple[Finding, ...]``. The
rules run in the order of :data:`RULES`; adding one never touches the others.
"""

from __future__ import annotations

from collections.abc import Callable

from tradecontrol._time import Moment
from tradecontrol.decision import Finding
from tradecontrol.rules import entity_list, screening_review, unassessed_listing
from tradecontrol.transactions import Transaction

TYPE_CHECKING = False
if TYPE_CHECKING:  # pragma: no cover
    from tradecontrol.rulebook import Rulebook

Rule = Callable[[Transaction, "Rulebook", Moment], tuple[Finding, ...]]

RULES: tuple[tuple[str, Rule], ...] = (
    (entity_list.RULE_ID, entity_list.evaluate),
    (unassessed_listing.RULE_ID, unassessed_listing.evaluate),
    (screening_review.RULE_ID, screening_review.evaluate),
)
"""``(rule id, function)`` pairs, in evaluation order."""

__all__ = ["RULES", "Rule"]
