"""OFAC blocking and the 50 Percent Rule — rule id ``ofac.fifty_percent``.

A party on the SDN List is blocked; so is any entity owned 50% or more, directly or
indirectly, in the aggregate, by one or more blocked persons (OFAC Revised Guidance of
13 August 2014, 79 FR 47726; codified e.g. at 31 CFR 587.406). Entities blocked this way
count as blocked owners further down (FAQ 401); holdings through unblocked intermediaries
are not looked through; holdings of persons blocked under different programmes are
aggregated. Before 13 August 2014 (the February 2008 guidance) different owners' stakes
were not combined: such a case is ``not_restricted`` with a strong caution. Control alone
does not block (FAQ 398): a blocked owner with control gives ``review_required``. Where
OFAC jurisdiction applies (a U.S. person or U.S. territory, from
:mod:`tradecontrol.nexus`), a blocked party makes the transaction ``prohibited`` unless an
OFAC general or specific licence authorizes it (e.g. a wind-down general licence).

Threshold, dates, lists and citations are rule parameters in the rulebook.
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

RULE_ID = "ofac.fifty_percent"

__all__ = ["RULE_ID", "evaluate"]


def evaluate(
    transaction: Transaction,
    rulebook: Rulebook,
    as_of: Moment,
    *,
    context: EvaluationContext | None = None,
) -> tuple[Finding, ...]:
    """Apply OFAC blocking and the 50 Percent Rule to every party of ``transaction``.

    Args:
        transaction: The transaction (every kind; payments included).
        rulebook: Supplies SDN listings, known ownership edges and this rule's parameters.
        as_of: The moment to decide for (date or aware datetime).
        context: The evaluation's shared results (see :mod:`tradecontrol.context`);
            ``None`` when called directly.

    Returns:
        Per party: ``prohibited`` when blocked (listed or owned), ``review_required`` for
        unknown shares or control, ``not_restricted`` with a caution for lesser blocked
        holdings; nothing when OFAC jurisdiction does not apply.
    """
    return blocking_findings(RULE_ID, transaction, rulebook, as_of, context)
