"""UK asset freeze with ownership and control — rule id ``uk.ownership_control``.

An entity is owned or controlled by a designated person when that person holds, directly
or indirectly, more than 50% of its shares or voting rights, or can appoint or remove a
majority of its board, or can otherwise ensure its affairs follow their wishes (OFSI
guidance 4.12–4.13). OFSI does not simply aggregate different designated persons'
holdings unless they act under a joint arrangement or one controls the other's rights
(para 4.14): shares are added up only within one ``joint_arrangement`` label. Control
stated as a fact blocks. Applies where a UK person or UK territory is involved
(:mod:`tradecontrol.nexus`).

Threshold, lists and citations are rule parameters.
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

RULE_ID = "uk.ownership_control"

__all__ = ["RULE_ID", "evaluate"]


def evaluate(
    transaction: Transaction,
    rulebook: Rulebook,
    as_of: Moment,
    *,
    context: EvaluationContext | None = None,
) -> tuple[Finding, ...]:
    """Apply the UK freeze (designation, ownership, control) to every party.

    Args:
        transaction: The transaction.
        rulebook: Supplies UK listings, ownership edges and this rule's parameters.
        as_of: The moment to decide for (date or aware datetime).
        context: The evaluation's shared results (see :mod:`tradecontrol.context`);
            ``None`` when called directly.

    Returns:
        Per party: ``prohibited`` when designated, owned more than 50% by one designated
        person (or a joint arrangement) or controlled; ``review_required`` for unknown
        shares; ``not_restricted`` with a caution otherwise where designated persons hold
        shares; nothing when no UK person or territory is involved.
    """
    return blocking_findings(RULE_ID, transaction, rulebook, as_of, context)
