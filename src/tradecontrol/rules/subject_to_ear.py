"""Whether an item is subject to the EAR (15 CFR 734.3) — rule id ``ear.subject_to_ear``.

This release decides the two bright-line cases of §734.3(a): items in the United States
(a)(1), and U.S.-origin items wherever located (a)(2). Foreign-made items abroad may be
subject through de minimis (§734.4) or a foreign direct product rule (§734.9); until those
rules are added the answer for them is "cannot tell", which callers turn into
``review_required`` (fail closed).
"""

from __future__ import annotations

import attrs

from tradecontrol._time import Moment
from tradecontrol.transactions import Item, Transaction

TYPE_CHECKING = False
if TYPE_CHECKING:  # pragma: no cover
    from tradecontrol.rulebook import Rulebook

RULE_ID = "ear.subject_to_ear"

__all__ = ["RULE_ID", "Subjection", "subject_to_ear"]


@attrs.frozen(kw_only=True, slots=True)
class Subjection:
    """Answer to "is this item subject to the EAR?".

    Args:
        subject: True, False, or None when it cannot be decided from the input.
        reason: One sentence.
        citations: Legal sources of the answer.
    """

    subject: bool | None
    reason: str
    citations: tuple[str, ...]


def subject_to_ear(
    transaction: Transaction, item: Item, rulebook: Rulebook, as_of: Moment
) -> Subjection:
    """Decide whether ``item`` is subject to the EAR in ``transaction``.

    Args:
        transaction: Gives where the item leaves from (``origin``).
        item: Gives where it was made (``origin``).
        rulebook: Supplies the rule's citations.
        as_of: The moment to decide for (date or aware datetime).

    Returns:
        A :class:`Subjection`.
    """
    info = rulebook.rule(RULE_ID)
    if transaction.origin is not None and transaction.origin.country.code == "US":
        return Subjection(
            subject=True,
            reason="the item is in the United States",
            citations=info.param("in_united_states"),
        )
    if item.origin is not None and item.origin.country.code == "US":
        return Subjection(
            subject=True, reason="the item is of U.S. origin", citations=info.param("us_origin")
        )
    where = item.origin.code if item.origin is not None else "an unstated country"
    return Subjection(
        subject=None,
        reason=(
            f"the item was made in {where} and is outside the United States; whether U.S. "
            "content (de minimis) or a foreign direct product rule makes it subject to the "
            "EAR is not decided by this version"
        ),
        citations=info.param("foreign_made"),
    )
