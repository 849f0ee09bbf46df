"""Outcomes, findings and decisions.

An :class:`Outcome` is ordered from least to most restrictive::

    not_restricted < authorized < review_required < license_required < prohibited

A :class:`Decision` carries the most restrictive outcome of its :class:`Finding` objects.

Example:
    >>> from tradecontrol import Outcome
    >>> max(Outcome.AUTHORIZED, Outcome.LICENSE_REQUIRED)
    <Outcome.LICENSE_REQUIRED: 'license_required'>
    >>> Outcome.REVIEW_REQUIRED > Outcome.AUTHORIZED
    True
"""

from __future__ import annotations

import enum
import functools
from datetime import date
from typing import Any

import attrs

from tradecontrol import _validators as v
from tradecontrol._canonical import CanonicalJSON
from tradecontrol._time import Moment, parse_moment
from tradecontrol.drawdown import Drawdown
from tradecontrol.nexus import RegimeCheck

__all__ = [
    "Decision",
    "Finding",
    "NearMiss",
    "Outcome",
    "ReviewPolicy",
    "RulebookRef",
    "merge_citations",
]


def merge_citations(*groups: tuple[str, ...]) -> tuple[str, ...]:
    """Concatenate citation tuples, keeping the first occurrence of each.

    Example:
        >>> merge_citations(("15 CFR 744.11", "84 FR 22961"), ("84 FR 22961", "84 FR 23468"))
        ('15 CFR 744.11', '84 FR 22961', '84 FR 23468')
    """
    return tuple(dict.fromkeys(c for group in groups for c in group))


@functools.total_ordering
class Outcome(enum.Enum):
    """The result of a finding or a decision, ordered by restrictiveness (DESIGN.md §2).

    Example:
        >>> sorted([Outcome.PROHIBITED, Outcome.AUTHORIZED])[0]
        <Outcome.AUTHORIZED: 'authorized'>
    """

    NOT_RESTRICTED = "not_restricted"
    AUTHORIZED = "authorized"
    REVIEW_REQUIRED = "review_required"
    LICENSE_REQUIRED = "license_required"
    PROHIBITED = "prohibited"

    @property
    def rank(self) -> int:
        """0 for ``not_restricted`` up to 4 for ``prohibited``."""
        return _RANK[self]

    # Ranks by value: a member's ``_value_`` is a plain attribute (``.value`` and hashing a
    # member run Python code), and these comparisons run for every finding.
    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Outcome):
            return NotImplemented
        return _RANK_BY_VALUE[self._value_] < _RANK_BY_VALUE[other._value_]

    def __gt__(self, other: object) -> bool:
        if not isinstance(other, Outcome):
            return NotImplemented
        return _RANK_BY_VALUE[self._value_] > _RANK_BY_VALUE[other._value_]


_RANK = {outcome: rank for rank, outcome in enumerate(Outcome)}
_RANK_BY_VALUE = {outcome.value: rank for outcome, rank in _RANK.items()}


class ReviewPolicy(enum.Enum):
    """Licence review policy stated by a listing or a control (15 CFR 744.16(c)).

    Example:
        >>> ReviewPolicy("presumption_of_denial")
        <ReviewPolicy.PRESUMPTION_OF_DENIAL: 'presumption_of_denial'>
    """

    PRESUMPTION_OF_DENIAL = "presumption_of_denial"
    POLICY_OF_DENIAL = "policy_of_denial"
    GENERAL_POLICY_OF_DENIAL = "general_policy_of_denial"
    CASE_BY_CASE = "case_by_case"
    APPROVAL = "approval"


@attrs.frozen(kw_only=True, slots=True, field_transformer=v.locate_errors)
class NearMiss:
    """A licence that was in view for a restriction but did not authorize it.

    Args:
        license_id: The licence's id.
        failed: Each condition that failed, in words (``"contract_date 2019-06-01 is after
            2019-05-16"``).

    Example:
        >>> NearMiss(license_id="TGL-744-SUPP7-C1", failed=["contract after 2019-05-16"]).failed
        ('contract after 2019-05-16',)
    """

    license_id: str
    failed: tuple[str, ...] = attrs.field(converter=v.freeze)


@attrs.frozen(kw_only=True, slots=True, field_transformer=v.locate_errors)
class Finding:
    """One rule's conclusion about one party and item (or the whole transaction).

    Args:
        rule: Stable rule id, e.g. ``ear.entity_list``.
        authority: ``US-BIS``, ``US-OFAC``, ``EU``, ``UK``, ``UN``.
        outcome: The outcome after licences were applied.
        requirement: What the rule requires before licences (``license_required``,
            ``prohibited``…); ``None`` for findings that restrict nothing.
        review_policy: The licence review policy when a licence is required.
        citations: Legal sources, e.g. ``("15 CFR 744.11", "84 FR 22961")``.
        message: One sentence saying why.
        party_role: Role of the party concerned, if any.
        party_name: Name of that party as given in the transaction.
        item_index: Index in ``transaction.items`` of the item concerned, if any.
        listing_id: The matched listing.
        matched_name: The listed name or alias that matched.
        license_id: The licence that authorizes it (``authorized`` only).
        near_misses: Licences that almost applied, with the conditions that failed.
        cautions: Things a person should check (e.g. a clock-time boundary).

    Example:
        >>> f = Finding(rule="ear.entity_list", authority="US-BIS",
        ...             outcome=Outcome.LICENSE_REQUIRED, message="Listed.")
        >>> f.outcome > Outcome.AUTHORIZED
        True
    """

    rule: str
    authority: str
    outcome: Outcome
    message: str
    requirement: Outcome | None = None
    review_policy: ReviewPolicy | None = None
    citations: tuple[str, ...] = attrs.field(default=(), converter=v.freeze)
    party_role: str | None = None
    party_name: str | None = None
    item_index: int | None = None
    listing_id: str | None = None
    matched_name: str | None = None
    license_id: str | None = None
    near_misses: tuple[NearMiss, ...] = attrs.field(
        default=(), converter=v.freeze, validator=v.each(NearMiss)
    )
    cautions: tuple[str, ...] = attrs.field(default=(), converter=v.freeze)


@attrs.frozen(kw_only=True, slots=True, field_transformer=v.locate_errors)
class RulebookRef:
    """Identifies the rulebook a decision was made with.

    Example:
        >>> import datetime
        >>> RulebookRef(id="rb", version="1", snapshot=datetime.date(2022, 5, 5)).version
        '1'
    """

    id: str
    version: str
    snapshot: date


@attrs.frozen(kw_only=True, slots=True, field_transformer=v.locate_errors)
class Decision(CanonicalJSON):
    """The answer for one transaction as of one moment.

    Args:
        transaction_id: The transaction's ``id``.
        outcome: The most restrictive finding outcome (``not_restricted`` when none).
        as_of: The moment the decision speaks for (date or aware datetime).
        rulebook: Id, version and snapshot date of the rulebook used.
        findings: Every finding, in rule order, then party and item order.
        rules_checked: Ids of the rules that ran.
        cautions: Things about the whole decision a person should know, e.g. facts or an
            end-use code that no rule of the rulebook reads, or an ``as_of`` after the
            rulebook's snapshot date.
        digest: ``sha256:`` hex digest over the canonical transaction JSON, the rulebook
            version and the library version (and the licence usage, when given), so a
            stored decision can be tied to its inputs.
        library_version: ``tradecontrol.__version__`` that made the decision.
        drawdowns: What this transaction takes from each specific licence with a value or
            quantity limit that authorized it (the caller records it; 15 CFR 750.7).
        regimes: The regimes checked (EAR, OFAC, EU, UK), each with whether it reaches the
            transaction and why (:class:`~tradecontrol.nexus.RegimeCheck`).

    Example:
        >>> import datetime
        >>> d = Decision(transaction_id="T", outcome=Outcome.NOT_RESTRICTED,
        ...              as_of="2019-05-10",
        ...              rulebook=RulebookRef(id="rb", version="1",
        ...                                   snapshot=datetime.date(2022, 5, 5)))
        >>> d.to_dict()["outcome"], d.deciding is None
        ('not_restricted', True)
    """

    transaction_id: str
    outcome: Outcome
    as_of: Moment = attrs.field(converter=parse_moment)
    rulebook: RulebookRef = attrs.field(validator=v.instance(RulebookRef))
    findings: tuple[Finding, ...] = attrs.field(
        default=(), converter=v.freeze_all, validator=v.each(Finding)
    )
    rules_checked: tuple[str, ...] = attrs.field(default=(), converter=v.freeze)
    cautions: tuple[str, ...] = attrs.field(default=(), converter=v.freeze)
    digest: str = ""
    library_version: str = ""
    drawdowns: tuple[Drawdown, ...] = attrs.field(
        default=(), converter=v.freeze, validator=v.each(Drawdown)
    )
    regimes: tuple[RegimeCheck, ...] = attrs.field(
        default=(), converter=v.freeze, validator=v.each(RegimeCheck)
    )

    @property
    def deciding(self) -> Finding | None:
        """The first finding whose outcome equals the decision's outcome, if any."""
        for finding in self.findings:
            if finding.outcome is self.outcome:
                return finding
        return None


def _trusted_evolve(finding: Finding, **changes: Any) -> Finding:
    """:func:`attrs.evolve` of a :class:`Finding` with values :func:`evaluate` made itself.

    Internal fast path: the changed values must already be of their declared types
    (tuples, not lists; ``near_misses`` of :class:`NearMiss`, at most ``MAX_LIST``), so the
    converters and validators would return them unchanged (a test checks it).
    """
    out = object.__new__(Finding)
    for name in _FINDING_FIELDS:
        object.__setattr__(out, name, changes[name] if name in changes else getattr(finding, name))
    return out


def _trusted_reindex(finding: Finding, item_index: int | None, message: str) -> Finding:
    """``_trusted_evolve(finding, item_index=item_index, message=message)``, field by field.

    Internal fast path for findings shared between items (the chart templates): the same
    fields as :class:`Finding` declares, written out (a test checks it against
    :func:`attrs.evolve`), without a loop over the field names.
    """
    out = _new(Finding)
    _set(out, "rule", finding.rule)
    _set(out, "authority", finding.authority)
    _set(out, "outcome", finding.outcome)
    _set(out, "message", message)
    _set(out, "requirement", finding.requirement)
    _set(out, "review_policy", finding.review_policy)
    _set(out, "citations", finding.citations)
    _set(out, "party_role", finding.party_role)
    _set(out, "party_name", finding.party_name)
    _set(out, "item_index", item_index)
    _set(out, "listing_id", finding.listing_id)
    _set(out, "matched_name", finding.matched_name)
    _set(out, "license_id", finding.license_id)
    _set(out, "near_misses", finding.near_misses)
    _set(out, "cautions", finding.cautions)
    return out


_new = object.__new__
_set = object.__setattr__


def _trusted_decision(**fields: Any) -> Decision:
    """Build a :class:`Decision` from values :func:`~tradecontrol.evaluate` made itself.

    Internal fast path: skips the converters and validators, which exist for user input.
    Every field must be given, already of its declared type (a test checks the names).
    """
    decision = object.__new__(Decision)
    for name, value in fields.items():
        object.__setattr__(decision, name, value)
    return decision


_FINDING_FIELDS = tuple(f.name for f in attrs.fields(Finding))
