"""Work shared by the rules of one :func:`~tradecontrol.evaluate` call.

Several rules ask the same question of each party ("which listings does this name match?").
:class:`EvaluationContext` answers it once per party and evaluation, so adding a rule that
reads the lists costs a loop over the matches, not another round of name matching (and,
when fuzzy screening is on, not another screening pass).

A rule keeps the signature ``(transaction, rulebook, as_of)``; a rule that also declares a
keyword parameter ``context`` receives the evaluation's context (``None`` when called
directly, in which case it matches by itself).

Example:
    >>> from tradecontrol import Rulebook, Transaction
    >>> from tradecontrol.context import EvaluationContext
    >>> t = Transaction.from_dict({
    ...     "id": "T", "date": "2019-06-10",
    ...     "parties": [{"role": "exporter", "entity": {"name": "Acme Inc."}},
    ...                 {"role": "ultimate_consignee",
    ...                  "entity": {"name": "Huawei Technologies Co., Ltd."}}]})
    >>> ctx = EvaluationContext.build(t, Rulebook.default(), t.date)
    >>> [(p.role.value, len(m)) for p, m in ctx.party_matches()]
    [('exporter', 0), ('ultimate_consignee', 5)]
"""

from __future__ import annotations

from collections.abc import Iterator

import attrs

from tradecontrol._time import Moment
from tradecontrol.transactions import Party, Transaction

TYPE_CHECKING = False
if TYPE_CHECKING:  # pragma: no cover
    from tradecontrol.rulebook import NameMatch, Rulebook

__all__ = ["EvaluationContext", "party_matches"]


@attrs.frozen(kw_only=True, slots=True)
class EvaluationContext:
    """Per-evaluation results the rules share (built by :func:`~tradecontrol.evaluate`).

    Args:
        transaction: The transaction being decided.
        rulebook: The rulebook it is decided under.
        as_of: The moment of the decision (date or aware datetime).
        matches: For each party of ``transaction.parties``, in order, the listings its
            names match (:meth:`~tradecontrol.Rulebook.match_entity`).
    """

    transaction: Transaction
    rulebook: Rulebook
    as_of: Moment
    matches: tuple[tuple[NameMatch, ...], ...]

    @classmethod
    def build(
        cls, transaction: Transaction, rulebook: Rulebook, as_of: Moment
    ) -> EvaluationContext:
        """Match every party once; parties with the same entity share the answer.

        Args:
            transaction: The transaction.
            rulebook: Supplies :meth:`~tradecontrol.Rulebook.match_entity`.
            as_of: The moment of the decision.

        Returns:
            The context.
        """
        seen: dict[int, tuple[NameMatch, ...]] = {}
        out = []
        for party in transaction.parties:
            key = id(party.entity)
            found = seen.get(key)
            if found is None:
                found = seen[key] = rulebook.match_entity(party.entity, as_of=as_of)
            out.append(found)
        return cls(transaction=transaction, rulebook=rulebook, as_of=as_of, matches=tuple(out))

    def party_matches(self) -> Iterator[tuple[Party, tuple[NameMatch, ...]]]:
        """Yield ``(party, its matches)`` in party order."""
        return zip(self.transaction.parties, self.matches, strict=True)


def party_matches(
    transaction: Transaction,
    rulebook: Rulebook,
    context: EvaluationContext | None,
    as_of: Moment | None = None,
) -> Iterator[tuple[Party, tuple[NameMatch, ...]]]:
    """``(party, matches)`` from ``context`` when it is for this call, else matched afresh.

    Rules use it so they work both inside :func:`~tradecontrol.evaluate` (shared context)
    and when called directly.

    Args:
        transaction: The transaction the rule was called with.
        rulebook: The rulebook the rule was called with.
        context: The evaluation's context, or ``None``.
        as_of: The moment of the decision (allow-list entries in force then suppress
            their matches; see :meth:`~tradecontrol.Rulebook.match_entity`).

    Returns:
        An iterator of ``(party, matches)`` in party order.
    """
    if (
        context is not None
        and context.transaction is transaction
        and context.rulebook is rulebook
        and (as_of is None or context.as_of == as_of)
    ):
        return context.party_matches()
    return ((p, rulebook.match_entity(p.entity, as_of=as_of)) for p in transaction.parties)
