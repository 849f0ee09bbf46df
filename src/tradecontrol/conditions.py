"""Conditions: the tests that licence scopes and listing exceptions apply to a transaction.

Conditions are data (loaded from the rulebook), not code. Each has a ``test``, its
operands and a ``label`` that says in words what it requires; :meth:`Condition.check`
returns ``None`` when met, else the reason it failed. A condition whose fact is missing is
not met, and the reason says so (DESIGN.md §4).

Example:
    >>> from tradecontrol.conditions import Condition
    >>> from tradecontrol import Transaction
    >>> c = Condition(test="fact_on_or_before", fact="contract_date", value="2019-05-16",
    ...               label="contract executed on or before 2019-05-16")
    >>> t = Transaction.from_dict({"id": "T", "date": "2019-06-10",
    ...                            "facts": {"contract_date": "2019-06-01"}})
    >>> c.check(t, None)
    'contract_date 2019-06-01 is after 2019-05-16 (contract executed on or before 2019-05-16)'
"""

from __future__ import annotations

import enum
from datetime import date
from typing import Any

import attrs

from tradecontrol import _validators as v
from tradecontrol._time import Moment, moment_on_or_before, parse_moment
from tradecontrol.errors import InvalidInputError
from tradecontrol.jurisdictions import Jurisdiction
from tradecontrol.transactions import Item, Transaction

__all__ = ["Condition", "ConditionTest"]


class ConditionTest(enum.Enum):
    """What a condition tests.

    Example:
        >>> ConditionTest("end_use_in")
        <ConditionTest.END_USE_IN: 'end_use_in'>
    """

    FACT_ON_OR_BEFORE = "fact_on_or_before"
    """The dated fact ``fact`` is on or before ``value``."""
    FACT_ON_OR_AFTER = "fact_on_or_after"
    """The dated fact ``fact`` is on or after ``value``."""
    FACT_IS = "fact_is"
    """The fact ``fact`` equals ``value`` (``true``, ``false`` or a string)."""
    END_USE_IN = "end_use_in"
    """The transaction's ``end_use`` is one of ``values``."""
    ECCN_IN = "eccn_in"
    """The item's ECCN is one of ``values`` (``EAR99`` allowed)."""
    DESTINATION_IN = "destination_in"
    """The destination lies within one of ``values`` (ISO 3166)."""
    NOT_INVOLVING = "not_involving"
    """Neither the destination nor any party's country lies within ``values``."""
    CONSIGNEE_IN = "consignee_in"
    """The ultimate consignee's name, normalised, is one of ``values``."""


_FACT_TESTS = {
    ConditionTest.FACT_ON_OR_BEFORE,
    ConditionTest.FACT_ON_OR_AFTER,
    ConditionTest.FACT_IS,
}
_DATE_TESTS = {ConditionTest.FACT_ON_OR_BEFORE, ConditionTest.FACT_ON_OR_AFTER}


def _value(value: Any) -> bool | str | None:
    if value is None or isinstance(value, bool):
        return value
    return v.text(value)


@attrs.frozen(kw_only=True, slots=True, field_transformer=v.locate_errors)
class Condition:
    """One test over a transaction (and, for item tests, one item).

    Args:
        test: A :class:`ConditionTest` value.
        label: What the condition requires, in words (used in near-miss messages).
        fact: Name of the fact tested (fact tests only).
        value: ISO date or datetime for date tests; ``true``/``false``/text for ``fact_is``.
        values: Codes for the membership tests (end uses, ECCNs, ISO 3166 codes, names).

    Raises:
        InvalidInputError: Operands do not fit the test.

    Example:
        >>> c = Condition(test="end_use_in", values=["existing-network-support"],
        ...               label="authorized activities")
        >>> c.is_item_test
        False
    """

    test: ConditionTest = attrs.field(converter=ConditionTest)
    label: str = attrs.field(converter=v.text)
    fact: str | None = attrs.field(default=None, converter=v.optional_text)
    value: bool | str | None = attrs.field(default=None, converter=_value)
    values: tuple[str, ...] = attrs.field(default=(), converter=v.text_tuple)

    def __attrs_post_init__(self) -> None:
        if self.test in _FACT_TESTS and (self.fact is None or self.value is None):
            raise InvalidInputError(f"test {self.test.value!r} needs 'fact' and 'value'")
        if self.test in _DATE_TESTS:
            parse_moment(self.value, path="value")
        if self.test in _FACT_TESTS and self.values:
            raise InvalidInputError(f"test {self.test.value!r} takes no 'values'", path="values")
        if self.test not in _FACT_TESTS:
            if not self.values:
                raise InvalidInputError(f"test {self.test.value!r} needs 'values'", path="values")
            if self.fact is not None or self.value is not None:
                raise InvalidInputError(
                    f"test {self.test.value!r} takes 'values', not 'fact' or 'value'"
                )
        if self.test in (ConditionTest.DESTINATION_IN, ConditionTest.NOT_INVOLVING):
            for i, code in enumerate(self.values):
                try:
                    Jurisdiction(code)
                except InvalidInputError as exc:
                    raise InvalidInputError(exc.message, path=f"values[{i}]") from None
        if self.test is ConditionTest.ECCN_IN:
            for i, code in enumerate(self.values):
                if v.eccn(code) != code:
                    raise InvalidInputError(
                        f"write ECCN {code!r} as {v.eccn(code)!r}", path=f"values[{i}]"
                    )

    @property
    def is_item_test(self) -> bool:
        """True when the condition looks at an item (so it is checked per item)."""
        return self.test is ConditionTest.ECCN_IN

    def check(self, transaction: Transaction, item: Item | None) -> str | None:
        """Return ``None`` when met, else why not.

        Args:
            transaction: The transaction.
            item: The item concerned (needed by item tests; ``None`` fails them).
        """
        test = self.test
        if test in _FACT_TESTS:
            return self._check_fact(transaction)
        if test is ConditionTest.END_USE_IN:
            if transaction.end_use is None:
                return f"end use not stated ({self.label})"
            if transaction.end_use not in self.values:
                return f"end use {transaction.end_use!r} is not covered ({self.label})"
            return None
        if test is ConditionTest.ECCN_IN:
            if item is None or item.eccn is None:
                return f"ECCN not stated ({self.label})"
            if item.eccn not in self.values:
                return f"ECCN {item.eccn} is not covered ({self.label})"
            return None
        if test is ConditionTest.DESTINATION_IN:
            dest = transaction.destination
            if dest is None:
                return f"destination not stated ({self.label})"
            if not any(c in (dest.code, dest.country.code) for c in self.values):
                return f"destination {dest.code} is not covered ({self.label})"
            return None
        if test is ConditionTest.NOT_INVOLVING:
            return self._check_not_involving(transaction)
        return self._check_consignee(transaction)

    def _check_fact(self, transaction: Transaction) -> str | None:
        assert self.fact is not None
        actual = transaction.fact(self.fact)
        if actual is None:
            return f"fact {self.fact!r} not stated ({self.label})"
        if self.test is ConditionTest.FACT_IS:
            if actual != self.value:
                return f"{self.fact} is {_show(actual)}, not {_show(self.value)} ({self.label})"
            return None
        if not isinstance(actual, date):
            return f"fact {self.fact!r} is not a date ({self.label})"
        limit = parse_moment(self.value)
        before = (
            moment_on_or_before(actual, limit)
            if self.test is ConditionTest.FACT_ON_OR_BEFORE
            else _on_or_after(actual, limit)
        )
        if before is None:
            return (
                f"{self.fact} {actual.isoformat()} is the day of {limit.isoformat()}; "
                f"give the time to decide ({self.label})"
            )
        if not before:
            word = "after" if self.test is ConditionTest.FACT_ON_OR_BEFORE else "before"
            return f"{self.fact} {actual.isoformat()} is {word} {limit.isoformat()} ({self.label})"
        return None

    def _check_not_involving(self, transaction: Transaction) -> str | None:
        places = []
        if transaction.destination is not None:
            places.append(("destination", transaction.destination))
        for party in transaction.parties:
            if party.entity.country is not None:
                places.append((party.role.value, party.entity.country))
        for what, place in places:
            if any(c in (place.code, place.country.code) for c in self.values):
                return f"{what} in {place.code} is excluded ({self.label})"
        return None

    def _check_consignee(self, transaction: Transaction) -> str | None:
        from tradecontrol.screening.normalize import normalize_name

        wanted = {normalize_name(n) for n in self.values}
        consignees = [p for p in transaction.parties if p.role.value == "ultimate_consignee"]
        if not consignees:
            return f"no ultimate consignee stated ({self.label})"
        for party in consignees:
            if not any(normalize_name(n) in wanted for n in party.entity.names):
                return f"ultimate consignee {party.entity.name!r} is not covered ({self.label})"
        return None


def _on_or_after(actual: Moment, limit: Moment) -> bool | None:
    before = moment_on_or_before(limit, actual)
    return before


def _show(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    return repr(value)
