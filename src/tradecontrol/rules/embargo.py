"""EAR embargoes and special controls — rule id ``ear.embargo`` (15 CFR Part 746).

For every Part 746 control in force at ``as_of`` on a place the transaction touches (its
destination, or the country or address of its ultimate consignee or end user; a region
such as Crimea ``UA-43`` or the so-called DNR ``UA-14`` lies in Ukraine and is a region of
its own), each item subject to the EAR that the control reaches needs a licence, with the
control's licence review policy:

* Cuba (§746.2): every item, EAR99 included; general policy of denial.
* Iran (§746.7): CCL items; an EAR99 item needs OFAC authorization, which this rule cannot
  see, so it gives ``review_required`` (rule ``ofac.comprehensive`` decides for U.S. persons).
* North Korea (§746.4), Syria (§746.9), Crimea and the so-called DNR/LNR regions (§746.6):
  every item except food and medicine designated EAR99 (``Item.food_or_medicine``). Syria
  from 2025-09-02: License Exception SPP (§740.5) authorizes EAR99 items unless a party is
  on the Entity List (§740.2, Part 744).
* Russia and Belarus (§746.8): CCL Categories 3–9 from 2022-02-24 (Belarus 2022-03-02), all
  categories 0–9 from 2022-04-08; EAR99 items listed by HTS code cannot be told from the
  transaction and give ``review_required``.

The controls, their dates, scopes and policies are rulebook data
(:class:`~tradecontrol.destinations.Embargo`), generated from cited facts.
"""

from __future__ import annotations

import attrs

from tradecontrol._time import Moment
from tradecontrol.decision import Finding, Outcome, ReviewPolicy, merge_citations
from tradecontrol.destinations import (
    Destinations,
    Embargo,
    EmbargoScope,
    EmbargoVersion,
    Place,
    transaction_places,
)
from tradecontrol.errors import DataError
from tradecontrol.rules._places import EMBARGOES, any_controls, touched_codes
from tradecontrol.rules.subject_to_ear import subject_to_ear
from tradecontrol.transactions import Item, Role, Transaction

TYPE_CHECKING = False
if TYPE_CHECKING:  # pragma: no cover
    from tradecontrol.rulebook import Rulebook

RULE_ID = "ear.embargo"
ENTITY_LIST_RULE = "ear.entity_list"
PLACE_ROLES = (Role.ULTIMATE_CONSIGNEE, Role.END_USER)
_PLACE_ROLES = frozenset(role.value for role in PLACE_ROLES)

__all__ = ["RULE_ID", "evaluate"]


def evaluate(transaction: Transaction, rulebook: Rulebook, as_of: Moment) -> tuple[Finding, ...]:
    """Apply the Part 746 controls in force at ``as_of`` to every item of ``transaction``.

    Args:
        transaction: The transaction (exports, reexports and in-country transfers).
        rulebook: Supplies the controls and this rule's parameters.
        as_of: The moment to decide for (date or aware datetime).

    Returns:
        One finding per control, place and item it reaches: ``license_required`` with the
        review policy, ``authorized`` under a licence exception the control makes available,
        or ``review_required`` where the transaction does not tell.

    Raises:
        DataError: The rulebook has no destination data.
    """
    info = rulebook.rule(RULE_ID)
    if transaction.kind._value_ not in info.transaction_kinds:
        return ()
    data = rulebook.destinations
    if data is None:
        raise DataError(f"rulebook {rulebook.id} has no embargo data")
    if not any_controls(
        rulebook, data, touched_codes(transaction, _PLACE_ROLES, origin=False), EMBARGOES
    ):
        return ()  # no place it touches is under any Part 746 control
    places = transaction_places(transaction, roles=PLACE_ROLES)
    findings: list[Finding] = []
    hits: dict[str, tuple[Embargo, Place]] = {}
    for place in places:
        for embargo in data.embargoes_at(place.code):
            hits.setdefault(embargo.id, (embargo, place))
    for embargo, place in hits.values():
        version = embargo.version_at(as_of)
        if version is None:
            continue
        cautions = _region_caution(data, place)
        base = Finding(
            rule=RULE_ID,
            authority=embargo.authority,
            outcome=Outcome.REVIEW_REQUIRED,
            requirement=Outcome.REVIEW_REQUIRED,
            review_policy=version.review_policy,
            citations=merge_citations(info.citations, embargo.citations, version.citations),
            party_role=place.party_role,
            party_name=place.party_name,
            message=f"The {place.where} ({place.code}) is under {embargo.title}, but no "
            "items are described, so it cannot be told which need a licence.",
            cautions=cautions,
        )
        if not transaction.items:
            findings.append(base)
            continue
        for index, item in enumerate(transaction.items):
            finding = _item_finding(
                transaction, rulebook, embargo, version, place, base, index, item, as_of
            )
            if finding is not None:
                findings.append(finding)
    return tuple(findings)


def _region_caution(data: Destinations, place: Place) -> tuple[str, ...]:
    regions = data.regions_of(place.code)
    if data.region_caution and set(regions) & {"dnr", "lnr"}:
        return (data.region_caution,)
    return ()


def _reach(version: EmbargoVersion, embargo: Embargo, item: Item) -> tuple[bool | None, str]:
    """Whether the control reaches ``item``: True, False, or None (cannot tell), and why."""
    eccn = item.eccn
    scope = version.scope
    if scope is EmbargoScope.ALL_ITEMS:
        return True, version.text
    if eccn is None:
        return None, "the item has no ECCN, so it cannot be told whether the control reaches it"
    if scope is EmbargoScope.ALL_ITEMS_EXCEPT_EAR99_FOOD_MEDICINE:
        if eccn == "EAR99" and item.food_or_medicine:
            return False, "EAR99 food and medicine are excluded"
        return True, version.text
    if eccn == "EAR99":
        if embargo.ear99_review:
            return None, embargo.ear99_review
        return False, "EAR99 items are outside the control"
    if scope is EmbargoScope.CCL_ITEMS:
        return True, version.text
    return (True, version.text) if eccn[0] in version.categories else (False, "")


def _entity_listed(transaction: Transaction, rulebook: Rulebook, as_of: Moment) -> str | None:
    """The name of a party on the Entity List at ``as_of``, if any (§740.2 bars exceptions)."""
    codes = rulebook.rule(ENTITY_LIST_RULE).list_codes
    for party in transaction.parties:
        for match in rulebook.match_entity(party.entity, as_of=as_of):
            if match.listing.list_code in codes and match.listing.version_at(as_of) is not None:
                return party.entity.name
    return None


def _item_finding(
    transaction: Transaction,
    rulebook: Rulebook,
    embargo: Embargo,
    version: EmbargoVersion,
    place: Place,
    base: Finding,
    index: int,
    item: Item,
    as_of: Moment,
) -> Finding | None:
    subjection = subject_to_ear(transaction, item, rulebook, as_of)
    if subjection.subject is False:
        return None
    reaches, why = _reach(version, embargo, item)
    if reaches is False:
        return None
    label = item.description or item.eccn or "item"
    head = f"The {place.where} ({place.code}) is under {embargo.title}; item {index} ({label!r})"
    citations = merge_citations(base.citations, subjection.citations)
    if subjection.subject is None or reaches is None:
        reason = subjection.reason if subjection.subject is None else why
        return attrs.evolve(
            base, item_index=index, citations=citations, message=f"{head}: {reason}."
        )
    found = attrs.evolve(
        base,
        outcome=Outcome.LICENSE_REQUIRED,
        requirement=Outcome.LICENSE_REQUIRED,
        item_index=index,
        citations=citations,
        message=f"{head}: {why} ({subjection.reason}); reviewed under a "
        f"{_policy_words(version.review_policy)}.",
    )
    exception = version.license_exception
    if exception is None or (item.eccn or "") not in exception.eccns:
        return found
    listed = (
        _entity_listed(transaction, rulebook, as_of)
        if ENTITY_LIST_RULE in exception.barred_by_rules
        else None
    )
    if listed is not None:
        return attrs.evolve(
            found,
            message=f"{found.message} {exception.title} is unavailable: {listed!r} is on the "
            "Entity List.",
            citations=merge_citations(found.citations, exception.citations),
        )
    return attrs.evolve(
        found,
        outcome=Outcome.AUTHORIZED,
        license_id=exception.id,
        citations=merge_citations(found.citations, exception.citations),
        message=f"{found.message} Authorized by {exception.title} ({exception.id}).",
    )


def _policy_words(policy: ReviewPolicy) -> str:
    words = policy.value.replace("_", " ")
    return words if "policy" in words else f"{words} policy"
