"""Whether an item is subject to the EAR (15 CFR 734.3) — rule id ``ear.subject_to_ear``.

* Items in the United States (§734.3(a)(1)) and U.S.-origin items wherever located
  ((a)(2)) are subject.
* A foreign-made item outside the United States is subject when its U.S.-controlled content
  exceeds the de minimis level (§734.4; :mod:`tradecontrol.rules.de_minimis`) or a foreign
  direct product rule reaches it (§734.9; :mod:`tradecontrol.rules.foreign_direct_product`:
  the national security rule and the dated Huawei footnote 1 rule). It is not subject
  when both say no, and "cannot tell" (``None``) when either cannot decide — which callers
  turn into ``review_required`` (fail closed).
"""

from __future__ import annotations

import attrs

from tradecontrol._time import Moment
from tradecontrol.decision import merge_citations
from tradecontrol.transactions import Item, Transaction

TYPE_CHECKING = False
if TYPE_CHECKING:  # pragma: no cover
    from tradecontrol.rulebook import Rulebook

RULE_ID = "ear.subject_to_ear"

__all__ = ["RULE_ID", "Subjection", "in_united_states", "subject_to_ear"]


@attrs.frozen(kw_only=True, slots=True)
class Subjection:
    """Answer to "is this item subject to the EAR?".

    Args:
        subject: True, False, or None when it cannot be decided from the input.
        reason: One sentence.
        citations: Legal sources of the answer.
        authorized_by: Id of a savings clause that lets the item ship without a licence
            although it is subject (the May 2020 direct product rule's run-off,
            ``savings_fdp_2020_09_14``); ``None`` otherwise.
    """

    subject: bool | None
    reason: str
    citations: tuple[str, ...]
    authorized_by: str | None = None


def _united_states(rulebook: Rulebook) -> frozenset[str]:
    """The States and the U.S. territories (15 CFR 772.1 "United States"), as ISO codes.

    Worked out once per rulebook (its plan remembers it).
    """
    return rulebook.plan.remember("united states", lambda: _territory(rulebook))


def _territory(rulebook: Rulebook) -> frozenset[str]:
    from tradecontrol.errors import DataError

    try:
        return frozenset(rulebook.rule("nexus.regimes").param("us_territory"))
    except DataError:
        return frozenset({"US"})


def in_united_states(transaction: Transaction, rulebook: Rulebook) -> Subjection | None:
    """The answer for every item of a transaction that leaves from the United States.

    ``None`` when ``transaction.origin`` is not in the United States (each item is then
    decided on its own by :func:`subject_to_ear`). The answer is remembered on the
    rulebook's plan (it is the same object for every such item).

    Raises:
        DataError: The rulebook has no parameters for rule ``ear.subject_to_ear``.
    """
    info = rulebook.rule(RULE_ID)
    united_states = _united_states(rulebook)
    if transaction.origin is not None and transaction.origin.country.code in united_states:
        return rulebook.plan.remember(  # the same answer for every item in the United States
            "subject to the EAR: in the United States",
            lambda: Subjection(
                subject=True,
                reason="the item is in the United States",
                citations=info.param("in_united_states"),
            ),
        )
    return None


def subject_to_ear(
    transaction: Transaction, item: Item, rulebook: Rulebook, as_of: Moment
) -> Subjection:
    """Decide whether ``item`` is subject to the EAR in ``transaction`` as of ``as_of``.

    Args:
        transaction: Gives where the item leaves from (``origin``) and goes to.
        item: Gives where it was made (``origin``), its U.S. content (``us_content_percent``,
            ``us_content``) and its direct-product facts (``direct_product``).
        rulebook: Supplies the rules' data (``ear.subject_to_ear``, ``ear.de_minimis``,
            ``ear.foreign_direct_product``), Country Groups and the Country Chart.
        as_of: The moment to decide for (date or aware datetime): the de minimis levels and
            the direct product rules are those in force then.

    Returns:
        A :class:`Subjection`.

    Example:
        >>> from tradecontrol import Item, Rulebook, Transaction
        >>> from tradecontrol.rules.subject_to_ear import subject_to_ear
        >>> t = Transaction(id="T", date="2019-07-01", origin="TW", destination="CN")
        >>> router = Item(origin="TW", us_content_percent="30")
        >>> subject_to_ear(t, router, Rulebook.default(), t.date).reason
        'its U.S.-controlled content (30% as stated) exceeds the 25% de minimis level for CN'
    """
    from tradecontrol.rules.de_minimis import de_minimis
    from tradecontrol.rules.foreign_direct_product import (
        huawei_fdp,
        national_security_fdp,
        russia_belarus_fdp,
    )

    in_us = in_united_states(transaction, rulebook)
    if in_us is not None:
        return in_us
    info = rulebook.rule(RULE_ID)
    united_states = _united_states(rulebook)
    if item.origin is not None and item.origin.country.code in united_states:
        return Subjection(
            subject=True, reason="the item is of U.S. origin", citations=info.param("us_origin")
        )
    if item.origin is None:
        return Subjection(
            subject=None,
            reason="the item's country of origin is not given and it is outside the United "
            "States, so it cannot be told whether it is U.S.-origin or foreign-made",
            citations=info.param("foreign_made"),
        )
    answers: list[Subjection] = []
    for test in (de_minimis, national_security_fdp, russia_belarus_fdp, huawei_fdp):
        answer = test(transaction, item, rulebook, as_of)
        if answer.subject is True:
            if answer.authorized_by and any(a.subject is None for a in answers):
                # the savings clause covers the footnote 1 rule only: fail closed
                return attrs.evolve(answer, authorized_by=None)
            return answer
        answers.append(answer)
    where = f"the item was made in {item.origin.code} and is outside the United States"
    citations = merge_citations(info.param("foreign_made"), *(a.citations for a in answers))
    unknown = [a.reason for a in answers if a.subject is None]
    if unknown:
        return Subjection(
            subject=None, reason=f"{where}; " + "; ".join(unknown), citations=citations
        )
    return Subjection(
        subject=False,
        reason=f"{where}: " + "; ".join(a.reason for a in answers),
        citations=citations,
    )
