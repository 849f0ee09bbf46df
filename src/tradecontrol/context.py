"""Work shared by the rules of one :func:`~tradecontrol.evaluate` call.

Several rules ask the same question of each party ("which listings does this name match?").
:class:`EvaluationContext` answers it once per party and evaluation, so adding a rule that
reads the lists costs a loop over the matches, not another round of name matching (and,
when fuzzy screening is on, not another screening pass).

The context also remembers, for the one evaluation, the other answers several rules need:
the regime checks (:func:`regime_check`, :func:`tradecontrol.check_regime`), the names
matched inside ownership assessments (:meth:`EvaluationContext.match`) and the ownership
assessments themselves (:func:`ownership_results`). Each is a pure function of the
transaction, the rulebook and the moment, so a remembered answer equals a fresh one; the
memo lives and dies with the context (no global state).

A rule keeps the signature ``(transaction, rulebook, as_of)``; a rule that also declares a
keyword parameter ``context`` receives the evaluation's context (``None`` when called
directly, in which case it works everything out by itself).

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

import contextlib
from collections.abc import Iterator, Sequence
from typing import Any

import attrs

from tradecontrol._time import Moment
from tradecontrol.entities import Entity
from tradecontrol.nexus import Regime, _facts, check_regime
from tradecontrol.ownership import assess
from tradecontrol.plan import exact_matches, flat_ownership, is_moment, unowned_results
from tradecontrol.regime_table import ear_check, persons_check, three_checks
from tradecontrol.transactions import Party, Transaction

TYPE_CHECKING = False
if TYPE_CHECKING:  # pragma: no cover
    from tradecontrol.nexus import RegimeCheck
    from tradecontrol.ownership import OwnershipResult, OwnershipTest
    from tradecontrol.rulebook import NameMatch, Rulebook
    from tradecontrol.rules.subject_to_ear import Subjection
    from tradecontrol.transactions import Item

__all__ = [
    "EvaluationContext",
    "no_matches",
    "nothing_to_assess",
    "ownership_results",
    "party_matches",
    "regime_check",
    "subjection",
]


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
    _memo: dict[Any, Any] = attrs.field(factory=dict, init=False, eq=False, repr=False)

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
        # exact mode: what match_entity would answer, without its checks per party
        exact = rulebook.plan.exact and is_moment(as_of)
        for party in transaction.parties:
            key = id(party.entity)
            found = seen.get(key)
            if found is None:
                found = seen[key] = (
                    exact_matches(rulebook, party.entity)
                    if exact
                    else rulebook.match_entity(party.entity, as_of=as_of)
                )
            out.append(found)
        # :meth:`match` finds the parties' answers in ``matches`` when first asked
        return cls(transaction=transaction, rulebook=rulebook, as_of=as_of, matches=tuple(out))

    def is_for(self, transaction: Transaction, rulebook: Rulebook, as_of: Moment | None) -> bool:
        """Whether this context was built for this call (``as_of`` ``None``: any moment)."""
        return (
            self.transaction is transaction
            and self.rulebook is rulebook
            and (as_of is None or self.as_of == as_of)
        )

    def match(self, entity: Entity) -> tuple[NameMatch, ...]:
        """:meth:`~tradecontrol.Rulebook.match_entity` of ``entity`` at ``as_of``, once.

        Args:
            entity: A party's entity, or an owner reached from one.

        Returns:
            The listings its names match (allow-list entries in force suppress theirs).
        """
        key = ("match", id(entity))
        found = self._memo.get(key)
        if found is None:
            for party, own in zip(self.transaction.parties, self.matches, strict=True):
                if party.entity is entity:  # a party: matched by build
                    found = (entity, own)
                    break
            else:
                found = (entity, self.rulebook.match_entity(entity, as_of=self.as_of))
            # The entity is kept with its answer, so its id cannot be reused meanwhile.
            self._memo[key] = found
        matches: tuple[NameMatch, ...] = found[1]
        return matches

    def subjection_of(self, item: Item) -> Subjection:
        """:func:`subjection` of one of the transaction's items, at ``as_of``."""
        memo = self._memo
        key = ("subject to the EAR", id(item))  # the item lives as long as the transaction
        found: Subjection | None = memo.get(key)
        if found is None:
            from tradecontrol.rules.subject_to_ear import in_united_states, subject_to_ear

            # leaving from the United States: one answer for every item, asked once
            if "in the United States" not in memo:
                memo["in the United States"] = in_united_states(self.transaction, self.rulebook)
            found = memo["in the United States"]
            if found is None:
                found = subject_to_ear(self.transaction, item, self.rulebook, self.as_of)
            memo[key] = found
        return found

    def regime(self, regime: Regime) -> RegimeCheck:
        """:func:`regime_check` of this context's call (remembered under the regime's value).

        Args:
            regime: The regime (EAR, OFAC, EU or UK), or its value.

        Returns:
            The check. A check that raises is not remembered.

        Raises:
            ValueError: ``regime`` is not a regime's value.
            DataError: As :func:`~tradecontrol.check_regime` (a parameter or data missing).
        """
        memo = self._memo
        # the value as the key: hashing an enum member runs Python code
        if type(regime) is not Regime:
            regime = Regime(regime)
        key = regime._value_
        found: RegimeCheck | None = memo.get(key)
        if found is not None:
            return found
        transaction, rulebook, as_of = self.transaction, self.rulebook, self.as_of
        if regime is Regime.EAR:  # from the items' answers (regime_table), shared by shape
            found = memo[key] = ear_check(transaction, rulebook, self.subjection_of)
            return found
        if "persons checks" not in memo:  # OFAC, EU and UK from one key (regime_table)
            memo["persons checks"] = True
            # any failure (a parameter or data missing): each regime on its own, below, so
            # each fails, or not, as check_regime does
            with contextlib.suppress(Exception):
                memo["OFAC"], memo["EU"], memo["UK"] = three_checks(transaction, rulebook, as_of)
        found = memo.get(key)
        if found is None:  # a parameter or data is missing: this regime on its own
            found = memo[key] = persons_check(
                regime, transaction, rulebook, as_of, _facts(transaction)
            )
        return found

    def party_matches(self) -> Iterator[tuple[Party, tuple[NameMatch, ...]]]:
        """Yield ``(party, its matches)`` in party order."""
        return zip(self.transaction.parties, self.matches, strict=True)

    def quiet(self) -> bool:
        """True when no party matches any listing and no ownership edge reaches a party.

        Then every ownership test finds nothing (:func:`nothing_to_assess` is true for any
        list codes), which is the case of most transactions. Worked out once.
        """
        memo = self._memo
        found: bool | None = memo.get("quiet")
        if found is None:
            if any(self.matches):
                found = False
            else:
                entities = [p.entity for p in self.transaction.parties]
                ids = tuple(id(e) for e in entities)
                flat = memo.get(("flat", ids))
                if flat is None:  # the entities are kept alive by the transaction
                    flat = memo[("flat", ids)] = flat_ownership(entities, self.rulebook)
                found = flat
            memo["quiet"] = found
        return found


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
    if context is not None and context.is_for(transaction, rulebook, as_of):
        return context.party_matches()
    return ((p, rulebook.match_entity(p.entity, as_of=as_of)) for p in transaction.parties)


def no_matches(
    transaction: Transaction,
    rulebook: Rulebook,
    context: EvaluationContext | None,
    as_of: Moment | None = None,
) -> bool:
    """True when ``context`` is for this call and no party matches any listing.

    A rule that reads only the parties' matches (:func:`party_matches`) then has nothing
    to report; without a context (or for another call) always ``False``.
    """
    if context is None or not context.is_for(transaction, rulebook, as_of):
        return False
    return not any(context.matches)


def regime_check(
    regime: Regime,
    transaction: Transaction,
    rulebook: Rulebook,
    as_of: Moment,
    context: EvaluationContext | None,
) -> RegimeCheck:
    """:func:`~tradecontrol.check_regime`, once per regime and evaluation.

    Args:
        regime: The regime (OFAC, EU or UK).
        transaction: The transaction the rule was called with.
        rulebook: The rulebook the rule was called with.
        as_of: The moment of the decision.
        context: The evaluation's context, or ``None`` (then checked afresh).

    Returns:
        The check. A check that raises is not remembered, so it raises again for the
        next rule, as it would without the context.
    """
    if context is None or not context.is_for(transaction, rulebook, as_of):
        return check_regime(regime, transaction, rulebook, as_of)
    return context.regime(regime)


def ownership_results(
    entities: Sequence[Entity],
    transaction: Transaction,
    rulebook: Rulebook,
    as_of: Moment,
    test: OwnershipTest,
    context: EvaluationContext | None,
) -> tuple[OwnershipResult, ...]:
    """:func:`~tradecontrol.ownership.assess` of ``entities`` under ``test``, once per test.

    Inside an evaluation the names met in the ownership graph are matched once for all
    tests (:meth:`EvaluationContext.match`).

    Args:
        entities: The entities to assess (the transaction's parties, in order).
        transaction: The transaction the rule was called with.
        rulebook: The rulebook the rule was called with.
        as_of: The moment of the decision.
        test: The regime's arithmetic (:class:`~tradecontrol.ownership.OwnershipTest`).
        context: The evaluation's context, or ``None`` (then assessed afresh).

    Returns:
        One result per entity, in order.
    """
    if context is None or not context.is_for(transaction, rulebook, as_of):
        return assess(entities, rulebook, as_of, test)
    ids = tuple(id(e) for e in entities)
    key = ("ownership", test, ids)
    found: tuple[OwnershipResult, ...] | None = context._memo.get(key)
    if found is None:
        flat = context._memo.get(("flat", ids))
        if flat is None:  # the entities are kept alive by the transaction
            flat = context._memo[("flat", ids)] = flat_ownership(entities, rulebook)
        if flat:  # no owners anywhere: each result is the entity's own listings
            found = unowned_results(entities, as_of, test, context.match)
        else:
            found = assess(entities, rulebook, as_of, test, match=context.match)
        context._memo[key] = found
    return found


def subjection(
    transaction: Transaction,
    item: Item,
    rulebook: Rulebook,
    as_of: Moment,
    context: EvaluationContext | None,
) -> Subjection:
    """:func:`~tradecontrol.rules.subject_to_ear.subject_to_ear` of ``item``, once per evaluation.

    The EAR regime check and the Commerce Country Chart ask it of every item.

    Args:
        transaction: The transaction the rule was called with.
        item: One of its items.
        rulebook: The rulebook the rule was called with.
        as_of: The moment of the decision.
        context: The evaluation's context, or ``None`` (then decided afresh).

    Returns:
        The answer. An answer that raises is not remembered (it raises again).
    """
    if context is None or not context.is_for(transaction, rulebook, as_of):
        from tradecontrol.rules.subject_to_ear import subject_to_ear

        return subject_to_ear(transaction, item, rulebook, as_of)
    return context.subjection_of(item)


def nothing_to_assess(
    entities: Sequence[Entity],
    transaction: Transaction,
    rulebook: Rulebook,
    as_of: Moment,
    list_codes: frozenset[str],
    context: EvaluationContext | None,
) -> bool:
    """True when an ownership test on ``list_codes`` cannot find anything in ``entities``.

    That is: inside an evaluation, no ownership edge reaches the entities
    (:func:`tradecontrol.plan.flat_ownership`) and none of them matches a listing on those
    lists, in force or not. Every :class:`~tradecontrol.ownership.OwnershipResult` would
    then be "not blocked, nothing held", which the ownership rules do not report. Always
    ``False`` without a context (the rule then assesses everything itself).

    Args:
        entities: The entities to assess (the transaction's parties, in order).
        transaction: The transaction the rule was called with.
        rulebook: The rulebook the rule was called with.
        as_of: The moment of the decision.
        list_codes: The lists of the test's blocked owners.
        context: The evaluation's context, or ``None``.
    """
    if context is None or not context.is_for(transaction, rulebook, as_of):
        return False
    ids = tuple(id(e) for e in entities)
    memo = context._memo
    flat = memo.get(("flat", ids))
    if flat is None:
        flat = memo[("flat", ids)] = flat_ownership(entities, rulebook)
    if not flat:
        return False
    codes = memo.get(("matched lists", ids))
    if codes is None:  # the lists any of the entities matches, once for the four tests
        codes = memo[("matched lists", ids)] = frozenset(
            m.listing.list_code for e in entities for m in context.match(e)
        )
    return codes.isdisjoint(list_codes)
