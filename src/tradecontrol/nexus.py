"""Which regimes reach a transaction (nexus): the EAR, OFAC, EU and UK sanctions law.

Each regime is checked on its own jurisdictional hook:

* **EAR** (15 CFR 734.3) follows the *item*: it applies when any item is subject to the
  EAR — U.S.-origin items anywhere, items in the United States, foreign-made items above
  the de minimis level (§734.4) or caught by a foreign direct product rule (§734.9) —
  whoever exports them. The answer per item comes from
  :func:`tradecontrol.rules.subject_to_ear.subject_to_ear`; an item that cannot be
  decided makes the EAR apply (fail closed).
* **OFAC** follows *U.S. persons* and *U.S. territory*: a party that is a U.S. person
  (``Party.us_person``, or derived from the entity's country or nationality), or the deal
  leaving from or going to the United States or a U.S. territory; and, for Iran, U.S.-origin
  *goods* reexported by anyone (31 CFR 560.205: 10% U.S. content or more, 560.420). A
  transaction that names no exporter is taken to have a U.S. exporter (the worked-cases
  convention; failing closed), and the reason says so.
* **EU** follows *EU persons* and *Union territory*: a party that is an EU person
  (``Party.eu_person``, or an entity of, or national of, a Member State as of the
  transaction date) or the deal leaving from or going to a Member State.
* **UK** follows *UK persons* and *UK territory*, the same way (``Party.uk_person``, ``GB``).

The tests are data: citations and the U.S. territories are parameters of the rule
``nexus.regimes`` in the rulebook (``tools/sources/nexus-facts.json``); EU membership by
date, with the United Kingdom's transition period, is the rulebook's destination data.

Example:
    >>> from tradecontrol import Rulebook, Transaction
    >>> from tradecontrol.nexus import regimes
    >>> t = Transaction.from_dict({
    ...     "id": "N-1", "date": "2024-05-01", "origin": "DE", "destination": "FR",
    ...     "parties": [{"role": "exporter", "entity": {"name": "EuroMach GmbH",
    ...                                                 "country": "DE"}}],
    ...     "items": [{"description": "U.S.-made controller", "origin": "US"}]})
    >>> [(c.regime.value, c.applies) for c in regimes(t, Rulebook.default(), t.date)]
    [('EAR', True), ('OFAC', False), ('EU', True), ('UK', False)]
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal

import attrs

from tradecontrol import _validators as v
from tradecontrol._time import Moment
from tradecontrol.entities import EntityKind
from tradecontrol.errors import DataError, InvalidInputError
from tradecontrol.jurisdictions import Jurisdiction
from tradecontrol.transactions import Item, Party, Role, Transaction

TYPE_CHECKING = False
if TYPE_CHECKING:  # pragma: no cover
    from tradecontrol.rulebook import Rulebook, RuleInfo
    from tradecontrol.rules.subject_to_ear import Subjection

RULE_ID = "nexus.regimes"

__all__ = ["RULE_ID", "Regime", "RegimeCheck", "check_regime", "regimes"]


class Regime(enum.Enum):
    """A body of export-control or sanctions law whose reach :func:`check_regime` tests.

    Example:
        >>> Regime("OFAC")
        <Regime.OFAC: 'OFAC'>
    """

    EAR = "EAR"
    OFAC = "OFAC"
    EU = "EU"
    UK = "UK"


@attrs.frozen(kw_only=True, slots=True, field_transformer=v.locate_errors)
class RegimeCheck:
    """Whether one regime reaches the transaction, and why.

    Args:
        regime: The :class:`Regime` checked.
        applies: True when the regime reaches the transaction (or cannot be ruled out).
        reason: One sentence: why it applies or not.
        citations: Legal sources of the test, e.g. ``("15 CFR 734.3",)``.

    Example:
        >>> RegimeCheck(regime="EAR", applies=True, reason="the item is of U.S. origin",
        ...             citations=["15 CFR 734.3(a)(2)"]).citations
        ('15 CFR 734.3(a)(2)',)
    """

    regime: Regime = attrs.field(converter=Regime)
    applies: bool = attrs.field(validator=attrs.validators.instance_of(bool))
    reason: str = attrs.field(converter=v.text)
    citations: tuple[str, ...] = attrs.field(default=(), converter=v.text_tuple)


def _check(regime: Regime, applies: bool, reason: str, citations: tuple[str, ...]) -> RegimeCheck:
    """A :class:`RegimeCheck` of values this module built: the text checks run, attrs' do not.

    Text that the checks refuse goes through the constructor, so the error is the same.
    """
    try:
        cited = v.text_tuple(citations)
    except InvalidInputError:
        return RegimeCheck(regime=regime, applies=applies, reason=reason, citations=citations)
    return trusted_check(regime, applies, reason, cited)


def trusted_check(
    regime: Regime, applies: bool, reason: str, cited: tuple[str, ...]
) -> RegimeCheck:
    """A check whose citations are validated already; the reason's text check runs here.

    A reason the check refuses (e.g. too long) goes through the constructor, which raises
    the same error :func:`~tradecontrol.check_regime` would (internal).
    """
    try:
        reason_text = v.text(reason)
    except InvalidInputError:
        return RegimeCheck(regime=regime, applies=applies, reason=reason, citations=cited)
    out = object.__new__(RegimeCheck)
    object.__setattr__(out, "regime", regime)
    object.__setattr__(out, "applies", applies)
    object.__setattr__(out, "reason", reason_text)
    object.__setattr__(out, "citations", cited)
    return out


def _day(moment: Moment) -> date:
    return moment.date() if isinstance(moment, datetime) else moment


def _eu_places(
    rulebook: Rulebook, transaction: Transaction, day: date, facts: _Facts | None = None
) -> frozenset[str]:
    """Countries of the transaction where Union law applies on ``day`` (membership by date)."""
    windows = rulebook.plan.eu_law_windows
    if windows is None:
        raise DataError(f"rulebook {rulebook.id} has no EU membership data (destinations)")
    facts = facts or _facts(transaction)
    places = {*facts.places, *(h for homes in facts.homes for h in homes)}
    places.discard("EU")
    # Destinations.eu_law_applies: membership, or a transition period, in force on ``day``.
    return frozenset(code for code in places if any(w.contains(day) for w in windows.get(code, ())))


@attrs.frozen(slots=True)
class _Facts:
    """What the regime checks read of a transaction, worked out once for all four.

    ``homes``: per party, the country codes of :func:`_homes`; ``places``: the country
    codes of the origin and destination.
    """

    homes: tuple[tuple[str, ...], ...]
    places: tuple[str, ...]


def _facts(transaction: Transaction) -> _Facts:
    return _Facts(
        homes=tuple(tuple(h.code for h in _homes(p)) for p in transaction.parties),
        places=tuple(
            p.country.code for p in (transaction.origin, transaction.destination) if p is not None
        ),
    )


def _homes(party: Party) -> tuple[Jurisdiction, ...]:
    """Where the party belongs: country, else addresses' countries; and nationalities.

    A person in a country is that country's person (31 CFR 560.314: any person in the
    United States), so the addresses count when no country is given.
    """
    entity = party.entity
    if entity.country is not None:
        homes = [entity.country]
    else:
        homes = [a.country for a in entity.addresses if a.country is not None]
    if entity.kind is EntityKind.PERSON:
        homes.extend(entity.nationalities)
    return tuple(h.country for h in homes)


def _persons(
    transaction: Transaction, flag: str, codes: frozenset[str], facts: _Facts | None = None
) -> tuple[list[str], list[str]]:
    """Parties that are persons of a regime: (stated explicitly, derived from country)."""
    stated, derived = [], []
    homes = (facts or _facts(transaction)).homes
    for party, home in zip(transaction.parties, homes, strict=True):
        explicit = getattr(party, flag)
        if explicit is True:
            stated.append(f"the {party.role.value.replace('_', ' ')} {party.entity.name!r}")
        elif explicit is None and not codes.isdisjoint(home):
            derived.append(f"the {party.role.value.replace('_', ' ')} {party.entity.name!r}")
    return stated, derived


def _places(transaction: Transaction, codes: frozenset[str]) -> list[str]:
    out = []
    for what, where in (("leaves from", transaction.origin), ("goes to", transaction.destination)):
        if where is not None and where.country.code in codes:
            out.append(f"the deal {what} {where.code}")
    return out


def _us_share(item: Item) -> Decimal | None:
    """U.S.-origin content of an item, percent of its value (all of it when U.S.-made)."""
    if item.origin is not None and item.origin.country.code == "US":
        return Decimal(100)
    if item.us_content:
        shares = [c.percent for c in item.us_content]
        if any(x is None for x in shares):
            return None
        return sum((Decimal(x) for x in shares if x is not None), Decimal(0))
    if item.us_content_percent is not None:
        return Decimal(item.us_content_percent)
    return None


def _us_goods(transaction: Transaction, info: RuleInfo) -> list[str]:
    """OFAC's reach over U.S.-origin goods reexported by anyone (ITSR 31 CFR 560.205).

    Values ``"IR:10"``: to that destination, items whose U.S.-origin content is that percent
    of their value or more (less is exempt, 31 CFR 560.420) bring the program in; an item
    whose U.S. content is not known is taken to reach it (fail closed).
    """
    if transaction.destination is None:
        return []
    out = []
    for value in info.param("ofac_reexport_content"):
        code, _, level = value.partition(":")
        if transaction.destination.country.code != code:
            continue
        for index, item in enumerate(transaction.items):
            share = _us_share(item)
            if share is None or share >= Decimal(level):
                told = "unknown" if share is None else f"{share}%"
                out.append(
                    f"item {index} going to {code} has U.S.-origin content ({told}) not below "
                    f"{level}% of its value"
                )
    return out


def _persons_check(
    regime: Regime,
    transaction: Transaction,
    info: RuleInfo,
    flag: str,
    codes: frozenset[str],
    label: str,
    facts: _Facts | None = None,
) -> RegimeCheck:
    citations = info.param(regime.value.lower())
    a = "an" if label == "EU" else "a"
    stated, derived = _persons(transaction, flag, codes, facts)
    hooks = [f"{w} is {a} {label} person" for w in stated]
    hooks += [f"{w} is {a} {label} person by its country or nationality" for w in derived]
    hooks += _places(transaction, codes)
    if regime is Regime.OFAC and not any(p.role is Role.EXPORTER for p in transaction.parties):
        hooks.append(
            "no exporter is named, so a U.S. exporter is assumed (state the exporter "
            "party to change this)"
        )
    if regime is Regime.OFAC:
        goods = _us_goods(transaction, info)
        if goods:
            hooks += goods
            citations = (*citations, *info.param("ofac_reexport_citations"))
    if hooks:
        return _check(
            regime,
            True,
            f"{regime.value} applies: " + "; ".join(hooks) + ".",
            citations=citations,
        )
    return _check(
        regime,
        False,
        f"{regime.value} does not apply: no party is {a} {label} person and the deal "
        f"neither leaves from nor goes to {label} territory.",
        citations=citations,
    )


def _ear_check(
    transaction: Transaction,
    rulebook: Rulebook,
    as_of: Moment,
    info: RuleInfo,
    subjection: Callable[[Item], Subjection] | None = None,
) -> RegimeCheck:
    from tradecontrol.rules.subject_to_ear import subject_to_ear

    if subjection is None:
        subjection = lambda item: subject_to_ear(transaction, item, rulebook, as_of)  # noqa: E731
    citations = info.param("ear")
    if not transaction.items:
        return _check(
            Regime.EAR,
            False,
            "EAR does not apply: the transaction has no items.",
            citations=citations,
        )
    subject: list[str] = []
    unknown: list[str] = []
    out: list[str] = []
    buckets = {True: subject, None: unknown, False: out}
    for index, item in enumerate(transaction.items):
        answer = subjection(item)
        buckets[answer.subject].append(f"item {index} ({answer.reason})")
        new = [c for c in answer.citations if c not in citations]  # against the old tuple
        if new:
            citations = (*citations, *new)
    if subject:
        reason = "EAR applies: items subject to the EAR: " + "; ".join(subject)
    elif unknown:
        reason = "EAR may apply (fail closed): cannot tell for " + "; ".join(unknown)
    else:
        reason = "EAR does not apply: no item is subject to the EAR: " + "; ".join(out)
    return _check(
        Regime.EAR,
        bool(subject or unknown),
        reason + ".",
        citations=citations,
    )


def check_regime(
    regime: Regime, transaction: Transaction, rulebook: Rulebook, as_of: Moment
) -> RegimeCheck:
    """Decide whether ``regime`` reaches ``transaction`` as of ``as_of``.

    Args:
        regime: The :class:`Regime` to check.
        transaction: The transaction; its parties' ``us_person``/``eu_person``/``uk_person``
            flags win over what their entity's country or nationality suggests.
        rulebook: Supplies the parameters of rule ``nexus.regimes`` (citations, U.S.
            territories), EU membership by date (``rulebook.destinations``) and the data
            of ``ear.subject_to_ear``.
        as_of: The moment to decide for (date or aware datetime); EU membership and the
            de minimis / direct product rules are read as of its date.

    Returns:
        A :class:`RegimeCheck` with a one-sentence reason and the citations of the test.

    Raises:
        DataError: The rulebook lacks the ``nexus.regimes`` parameters, or (for the EU)
            destination data.

    Example:
        >>> from tradecontrol import Item, Rulebook, Transaction
        >>> t = Transaction(id="T", date="2019-07-01", destination="CN",
        ...                 items=[Item(description="cable", origin="US")])
        >>> c = check_regime(Regime.OFAC, t, Rulebook.default(), t.date)
        >>> c.applies, c.reason.startswith("OFAC applies: no exporter is named")
        (True, True)
    """
    return _check_regime(Regime(regime), transaction, rulebook, as_of, None)


def _check_regime(
    regime: Regime,
    transaction: Transaction,
    rulebook: Rulebook,
    as_of: Moment,
    facts: _Facts | None,
    subject: Callable[[Item], Subjection] | None = None,
) -> RegimeCheck:
    """:func:`check_regime`, with work shared with the other checks of one evaluation.

    ``facts`` is :func:`_facts` of ``transaction``; ``subject`` answers ``subject_to_ear``
    for an item of ``transaction`` (``None``: each is worked out here).
    """
    info = rulebook.rule(RULE_ID)
    if regime is Regime.EAR:
        return _ear_check(transaction, rulebook, as_of, info, subject)
    if regime is Regime.OFAC:
        codes = frozenset(info.param("us_territory"))
        return _persons_check(regime, transaction, info, "us_person", codes, "U.S.", facts)
    if regime is Regime.EU:
        codes = _eu_places(rulebook, transaction, _day(as_of), facts)
        return _persons_check(regime, transaction, info, "eu_person", codes, "EU", facts)
    codes = frozenset(info.param("uk_territory"))
    return _persons_check(regime, transaction, info, "uk_person", codes, "UK", facts)


def regimes(transaction: Transaction, rulebook: Rulebook, as_of: Moment) -> tuple[RegimeCheck, ...]:
    """Check every :class:`Regime`, in the order EAR, OFAC, EU, UK.

    Args:
        transaction: The transaction.
        rulebook: The rulebook (see :func:`check_regime`).
        as_of: The moment to decide for.

    Returns:
        One :class:`RegimeCheck` per regime.

    Example:
        >>> from tradecontrol import Rulebook, Transaction
        >>> t = Transaction(id="T", date="2019-07-01", origin="US", destination="CN")
        >>> [c.applies for c in regimes(t, Rulebook.default(), t.date)]
        [False, True, False, False]
    """
    return tuple(check_regime(r, transaction, rulebook, as_of) for r in Regime)
