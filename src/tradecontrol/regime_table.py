"""Regime checks from a small key, remembered per rulebook (internal).

:func:`~tradecontrol.check_regime` writes a reason that names the parties, so a check
cannot simply be remembered per transaction. What decides a check is much smaller than the
transaction: for OFAC, the EU and the UK, which parties are persons of the regime (stated
or by their country or nationality) and in which role, whether the deal leaves from or goes
to the regime's territory, whether an exporter is named and (OFAC) which items reach it as
U.S.-origin goods; for the EAR, each item's ``subject_to_ear`` answer. That *shape* is the
key under which the rulebook's plan (:meth:`tradecontrol.plan.Plan.remember`) keeps the
check as a template: the fixed text, validated once, with holes where party names go. The
names are filled in per transaction; a check that names no party is shared whole (checks
are immutable).

The result equals :func:`~tradecontrol.check_regime`'s, field for field
(``tests/test_regime_table.py`` compares them on generated transactions).

Example:
    >>> from tradecontrol import Rulebook, Transaction
    >>> from tradecontrol.nexus import Regime, _facts, check_regime
    >>> from tradecontrol.regime_table import persons_check
    >>> t = Transaction.from_dict({"id": "T", "date": "2019-07-01", "destination": "CN",
    ...     "parties": [{"role": "exporter", "entity": {"name": "Acme", "country": "US"}}]})
    >>> rb = Rulebook.default()
    >>> fast = persons_check(Regime.OFAC, t, rb, t.date, _facts(t))
    >>> fast == check_regime(Regime.OFAC, t, rb, t.date), fast.reason
    (True, "OFAC applies: the exporter 'Acme' is a U.S. person by its country or nationality.")
"""

from __future__ import annotations

from collections.abc import Callable

from tradecontrol import _validators as v
from tradecontrol._time import Moment
from tradecontrol.entities import EntityKind
from tradecontrol.errors import DataError
from tradecontrol.jurisdictions import Jurisdiction
from tradecontrol.nexus import (
    RULE_ID,
    Regime,
    RegimeCheck,
    _day,
    _ear_check,
    _eu_places,
    _Facts,
    _us_goods,
    trusted_check,
)
from tradecontrol.transactions import Item, Role, Transaction

TYPE_CHECKING = False
if TYPE_CHECKING:  # pragma: no cover
    from tradecontrol.rulebook import Rulebook, RuleInfo
    from tradecontrol.rules.subject_to_ear import Subjection

__all__ = ["ear_check", "persons_check", "persons_checks", "three_checks"]

_FLAGS = {Regime.OFAC: "us_person", Regime.EU: "eu_person", Regime.UK: "uk_person"}
_LABELS = {Regime.OFAC: "U.S.", Regime.EU: "EU", Regime.UK: "UK"}
_TERRITORY = {Regime.OFAC: "us_territory", Regime.UK: "uk_territory"}

Template = tuple[bool, tuple[str | tuple[int, str], ...], tuple[str, ...]] | RegimeCheck
"""A whole check (no party named), or ``(applies, reason parts, validated citations)``:
a part is fixed text or ``(party index, text after the party's name)``."""


_trusted = trusted_check  # a check whose citations are validated already


def persons_check(
    regime: Regime, transaction: Transaction, rulebook: Rulebook, as_of: Moment, facts: _Facts
) -> RegimeCheck:
    """The OFAC, EU or UK check of ``transaction``, as :func:`~tradecontrol.check_regime`.

    Args:
        regime: ``Regime.OFAC``, ``Regime.EU`` or ``Regime.UK``.
        transaction: The transaction.
        rulebook: Supplies rule ``nexus.regimes`` and EU membership; its plan keeps the
            templates.
        as_of: The moment (EU membership is read on its date).
        facts: ``tradecontrol.nexus._facts(transaction)`` (the parties' homes, the places).

    Returns:
        The :class:`~tradecontrol.RegimeCheck`, equal to ``check_regime``'s.

    Raises:
        DataError: As :func:`~tradecontrol.check_regime` (missing parameters or EU data).
    """
    info = rulebook.rule(RULE_ID)
    plan = rulebook.plan
    if regime is Regime.EU:
        codes = _eu_places(rulebook, transaction, _day(as_of), facts)
    else:
        param = _TERRITORY[regime]
        codes = plan.remember(("regime codes", param), lambda: frozenset(info.param(param)))
    info.param(regime.value.lower())  # a missing parameter raises first, as in check_regime
    flag = _FLAGS[regime]
    shape: list[tuple[int, str] | None] = []  # role values: enum hashing is slow
    exporter = False
    for party, home in zip(transaction.parties, facts.homes, strict=True):
        explicit = getattr(party, flag)
        if party.role is Role.EXPORTER:
            exporter = True
        if explicit is True:
            shape.append((1, party.role.value))
        elif explicit is None and not codes.isdisjoint(home):
            shape.append((2, party.role.value))
        else:
            shape.append(None)
    places = tuple(
        None if where is None or where.country.code not in codes else where.code
        for where in (transaction.origin, transaction.destination)
    )
    goods = tuple(_us_goods(transaction, info)) if regime is Regime.OFAC else ()
    key = ("regime shape", regime.value, tuple(shape), places, exporter, goods)
    found: Template = plan.remember(
        key, lambda: _persons_template(regime, rulebook, shape, places, exporter, goods)
    )
    if isinstance(found, RegimeCheck):
        return found
    applies, parts, cited = found
    parties = transaction.parties
    hooks = [
        part
        if isinstance(part, str)
        else f"the {parties[part[0]].role.value.replace('_', ' ')} "
        f"{parties[part[0]].entity.name!r}{part[1]}"
        for part in parts
    ]
    return _trusted(regime, applies, f"{regime.value} applies: " + "; ".join(hooks) + ".", cited)


def _persons_template(
    regime: Regime,
    rulebook: Rulebook,
    shape: list[tuple[int, str] | None],
    places: tuple[str | None, ...],
    exporter: bool,
    goods: tuple[str, ...],
) -> Template:
    """What ``tradecontrol.nexus._persons_check`` builds, with holes for the names."""
    info = rulebook.rule(RULE_ID)
    citations = info.param(regime.value.lower())
    label = _LABELS[regime]
    a = "an" if label == "EU" else "a"
    parts: list[str | tuple[int, str]] = [
        (i, f" is {a} {label} person") for i, s in enumerate(shape) if s and s[0] == 1
    ]
    parts += [
        (i, f" is {a} {label} person by its country or nationality")
        for i, s in enumerate(shape)
        if s and s[0] == 2
    ]
    for what, code in zip(("leaves from", "goes to"), places, strict=True):
        if code is not None:
            parts.append(f"the deal {what} {code}")
    if regime is Regime.OFAC and not exporter:
        parts.append(
            "no exporter is named, so a U.S. exporter is assumed (state the exporter "
            "party to change this)"
        )
    if goods:
        parts += goods
        citations = (*citations, *info.param("ofac_reexport_citations"))
    cited = v.text_tuple(citations)
    if not parts:
        return RegimeCheck(
            regime=regime,
            applies=False,
            reason=f"{regime.value} does not apply: no party is {a} {label} person and the "
            f"deal neither leaves from nor goes to {label} territory.",
            citations=cited,
        )
    if all(isinstance(p, str) for p in parts):
        return RegimeCheck(
            regime=regime,
            applies=True,
            reason=f"{regime.value} applies: " + "; ".join(map(str, parts)) + ".",
            citations=cited,
        )
    return (True, tuple(parts), cited)


def ear_check(
    transaction: Transaction, rulebook: Rulebook, subjection: Callable[[Item], Subjection]
) -> RegimeCheck:
    """The EAR check of ``transaction``, as :func:`~tradecontrol.check_regime`.

    It names no party: the check is a function of the items' ``subject_to_ear`` answers
    (subject, reason, citations), so equal answers share one remembered check.

    Args:
        transaction: The transaction.
        rulebook: Supplies rule ``nexus.regimes``; its plan keeps the checks.
        subjection: ``subject_to_ear`` of an item of ``transaction`` at the moment.

    Returns:
        The :class:`~tradecontrol.RegimeCheck`, equal to ``check_regime``'s.
    """
    info = rulebook.rule(RULE_ID)
    info.param("ear")  # a missing parameter raises first, as in check_regime
    answers = [subjection(item) for item in transaction.items]
    key = ("EAR check", tuple([(a.subject, a.reason, a.citations) for a in answers]))
    return rulebook.plan.remember(key, lambda: _ear_template(transaction, rulebook, answers))


def _ear_template(
    transaction: Transaction, rulebook: Rulebook, answers: list[Subjection]
) -> RegimeCheck:
    """``nexus._ear_check`` with the items' answers already worked out."""
    by_item = {id(item): answer for item, answer in zip(transaction.items, answers, strict=True)}
    info = rulebook.rule(RULE_ID)
    return _ear_check(transaction, rulebook, transaction.date, info, lambda item: by_item[id(item)])


def persons_checks(
    transaction: Transaction, rulebook: Rulebook, as_of: Moment
) -> dict[Regime, RegimeCheck]:
    """The OFAC, EU and UK checks of ``transaction`` together, from one small key.

    The checks of :func:`three_checks`, by regime.

    Args:
        transaction: The transaction.
        rulebook: Supplies rule ``nexus.regimes``, EU membership and the plan.
        as_of: The moment (EU membership is read on its date).

    Returns:
        The three checks, each equal to :func:`~tradecontrol.check_regime`'s.

    Raises:
        DataError: A parameter or the EU data is missing.
    """
    return dict(zip(_PERSONS_REGIMES, three_checks(transaction, rulebook, as_of), strict=True))


def three_checks(
    transaction: Transaction, rulebook: Rulebook, as_of: Moment
) -> tuple[RegimeCheck, RegimeCheck, RegimeCheck]:
    """The OFAC, EU and UK checks of ``transaction``, in that order, from one small key.

    One pass over the parties tells, for each regime, whether each party is a person of
    it by its ``us_person``/``eu_person``/``uk_person`` flag (stated), by its homes
    (``tradecontrol.nexus._homes``: derived) or not at all; only a party that is one
    for some regime keeps its role in the key (the others leave it out). With the places
    in each regime's territory (the EU's as of the day) and the U.S.-origin goods (OFAC),
    that is the key of the three templates, remembered together on the plan.

    Args:
        transaction: The transaction.
        rulebook: Supplies rule ``nexus.regimes``, EU membership and the plan.
        as_of: The moment (EU membership is read on its date).

    Returns:
        The OFAC, EU and UK checks, each equal to :func:`~tradecontrol.check_regime`'s.

    Raises:
        DataError: A parameter or the EU data is missing (the caller then checks each
            regime on its own, so each fails, or not, as ``check_regime`` does).
    """
    info = rulebook.rule(RULE_ID)
    plan = rulebook.plan
    windows = plan.eu_law_windows
    if windows is None:
        raise DataError(f"rulebook {rulebook.id} has no EU membership data (destinations)")
    us, uk, reexport = plan.remember(("regime territories", RULE_ID), lambda: _territories(info))
    day = _day(as_of)
    origin, destination = transaction.origin, transaction.destination
    places = {_country_code(w) for w in (origin, destination) if w is not None}
    all_homes = []
    for party in transaction.parties:
        entity = party.entity
        country = entity.country
        if country is not None:
            homes: tuple[str, ...] = (_country_code(country),)
        else:
            homes = tuple(
                _country_code(a.country) for a in entity.addresses if a.country is not None
            )
        if entity.nationalities and entity.kind is EntityKind.PERSON:
            homes += tuple(_country_code(n) for n in entity.nationalities)
        places.update(homes)
        all_homes.append(homes)
    places.discard("EU")
    members = places.intersection(windows)  # most deals touch no member state
    eu = (
        frozenset(c for c in members if any(w.contains(day) for w in windows[c]))
        if members
        else frozenset()
    )
    sigs: list[tuple[str, int, int, int] | None] = []
    exporter = False
    for party, homes in zip(transaction.parties, all_homes, strict=True):
        role = party.role
        if role is Role.EXPORTER:
            exporter = True
        flag = party.us_person
        a = 1 if flag is True else 2 if flag is None and not us.isdisjoint(homes) else 0
        flag = party.eu_person
        b = 1 if flag is True else 2 if flag is None and not eu.isdisjoint(homes) else 0
        flag = party.uk_person
        c = 1 if flag is True else 2 if flag is None and not uk.isdisjoint(homes) else 0
        sigs.append((role._value_, a, b, c) if a or b or c else None)
    where = (_where(origin, us, eu, uk), _where(destination, us, eu, uk))
    goods = (
        tuple(_us_goods(transaction, info))
        if destination is not None and destination.country.code in reexport
        else ()
    )
    key = ("persons checks", tuple(sigs), where, exporter, goods)
    found: tuple[Template, Template, Template] = plan.remember(
        key, lambda: _three_templates(rulebook, info, sigs, where, exporter, goods)
    )
    parties = transaction.parties
    out = []
    for regime, template in zip(_PERSONS_REGIMES, found, strict=True):
        if isinstance(template, RegimeCheck):
            out.append(template)
            continue
        applies, parts, cited = template
        hooks = [
            part
            if isinstance(part, str)
            else f"the {parties[part[0]].role._value_.replace('_', ' ')} "
            f"{parties[part[0]].entity.name!r}{part[1]}"
            for part in parts
        ]
        out.append(
            _trusted(regime, applies, f"{regime._value_} applies: " + "; ".join(hooks) + ".", cited)
        )
    ofac_check, eu_check, uk_check = out
    return ofac_check, eu_check, uk_check


_PERSONS_REGIMES = (Regime.OFAC, Regime.EU, Regime.UK)


def _country_code(place: Jurisdiction) -> str:
    """``place.country.code``, without the property call for most places.

    ISO 3166-2 codes, and only they, have a hyphen; a country's code, ``EU`` or ``XK`` is
    its own country.
    """
    code = place.code
    return code if "-" not in code else place.country.code


def _where(
    place: Jurisdiction | None, us: frozenset[str], eu: frozenset[str], uk: frozenset[str]
) -> tuple[str, bool, bool, bool] | None:
    """The place's code and whether it is U.S., EU or UK territory (``None``: no place)."""
    if place is None:
        return None
    code = _country_code(place)
    return (place.code, code in us, code in eu, code in uk)


def _territories(info: RuleInfo) -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """U.S. and UK territory, and the destinations of OFAC's reexport content test."""
    return (
        frozenset(info.param("us_territory")),
        frozenset(info.param("uk_territory")),
        frozenset(value.partition(":")[0] for value in info.param("ofac_reexport_content")),
    )


def _three_templates(
    rulebook: Rulebook,
    info: RuleInfo,
    sigs: list[tuple[str, int, int, int] | None],
    where: tuple[tuple[str, bool, bool, bool] | None, ...],
    exporter: bool,
    goods: tuple[str, ...],
) -> tuple[Template, Template, Template]:
    out: list[Template] = []
    for regime, slot in ((Regime.OFAC, 1), (Regime.EU, 2), (Regime.UK, 3)):
        info.param(regime.value.lower())  # a missing parameter raises, as in check_regime
        shape: list[tuple[int, str] | None] = [
            None if s is None or not s[slot] else (int(s[slot]), s[0]) for s in sigs
        ]
        places = tuple(None if w is None or not w[slot] else w[0] for w in where)
        out.append(
            _persons_template(
                regime, rulebook, shape, places, exporter, goods if regime is Regime.OFAC else ()
            )
        )
    return out[0], out[1], out[2]
