"""EU asset freeze with ownership and control — rule id ``eu.ownership_control``.

Funds and economic resources belonging to, owned, held or controlled by persons listed in
Annex I to Regulation (EU) No 269/2014 (and like regulations) are frozen, and none may be
made available to them (Art. 2). A non-listed entity owned or controlled by listed persons
is presumed to be controlled with its assets (Commission FAQ 1, rebuttable); the
ownership of several listed persons is aggregated (FAQ 8). The line was "more than 50%"
until 2 July 2024 and is "50% or more" from 3 July 2024 (Council EU Best Practices);
control stated as a fact (``control`` on an ownership edge: e.g. the right to appoint a
majority of the board) blocks whatever the share. Applies where an EU person or EU
territory is involved (:mod:`tradecontrol.nexus`).

Threshold, the date of the change, lists and citations are rule parameters.
"""

from __future__ import annotations

from tradecontrol._time import Moment
from tradecontrol.context import EvaluationContext
from tradecontrol.decision import Finding
from tradecontrol.rules._blocking import blocking_findings
from tradecontrol.transactions import Transaction

TYPE_CHECKING = False
if TYPE_CHECKING:  # pragma: no cover
    from tradecontrol.rulebook import Rulebook

RULE_ID = "eu.ownership_control"

__all__ = ["RULE_ID", "evaluate"]


def evaluate(
    transaction: Transaction,
    rulebook: Rulebook,
    as_of: Moment,
    *,
    context: EvaluationContext | None = None,
) -> tuple[Finding, ...]:
    """Apply the EU freeze (listing, ownership, control) to every party of ``transaction``.

    Args:
        transaction: The transaction.
        rulebook: Supplies EU listings, ownership edges and this rule's parameters.
        as_of: The moment to decide for (date or aware datetime).
        context: The evaluation's shared results (see :mod:`tradecontrol.context`);
            ``None`` when called directly.

    Returns:
        Per party: ``prohibited`` when listed, owned (aggregated) or controlled;
        ``review_required`` for unknown shares; ``not_restricted`` with a caution for
        lesser listed holdings; nothing when no EU person or territory is involved.
    """
    return blocking_findings(RULE_ID, transaction, rulebook, as_of, context)
