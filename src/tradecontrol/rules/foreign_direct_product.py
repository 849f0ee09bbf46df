"""Foreign direct product rules (15 CFR 734.9), ``ear.foreign_direct_product``.

Two rules, as dated data (rule ``ear.foreign_direct_product`` in the rulebook):

* **National security direct product rule** (§734.9(b), formerly §736.2(b)(3)): a
  foreign-made item that is NS-controlled and the direct product of NS-controlled U.S.
  technology or software (or made by a plant that is) is subject to the EAR when it goes to
  Country Group D:1, E:1 or E:2. It predates the Huawei rules: in March 2020 it already
  reached NS-controlled chips going to China (worked-cases Correction WC-26-a).
* **Entity List footnote 1 (Huawei) direct product rule** (§734.9(e)(1)):

  - *May 2020 version* (2020-05-15 to 2020-08-16; 85 FR 29849, entries at 85 FR 29853):
    items of a footnote-1 entity's design that are the direct product of specified Category
    3, 4 or 5 technology or software, or made by a plant that is, when destined to a
    footnote-1 entity (a party as purchaser, consignee or end user);
  - *August 2020 version* (from 2020-08-17; 85 FR 51596): any item that is such a direct
    product, when a footnote-1 entity is a party, or when the item will go into (or help
    produce or develop) a part, component or equipment a footnote-1 entity produces,
    purchases or orders (``DirectProduct.incorporated_for``);
  - *run-off*: items already in production before 2020-05-15 could still be shipped until
    2020-09-14 (savings clause ``savings_fdp_2020_09_14``) — reported as ``authorized``.

A footnote-1 entity is an Entity List entry in force whose citations include the May 2020
footnote designation (85 FR 29852/29853). This module answers "is the item subject to the
EAR through a direct product rule" for :func:`~tradecontrol.rules.subject_to_ear.subject_to_ear`
and, as a rule, adds the licence requirement of §744.11(a)(2)(i) when the footnote-1 entity
is reached only through ``incorporated_for`` (a listed *party* is the Entity List rule's).
"""

from __future__ import annotations

from datetime import date

from tradecontrol._time import Moment
from tradecontrol.context import EvaluationContext, party_matches
from tradecontrol.decision import Finding, Outcome, merge_citations
from tradecontrol.destinations import day_of
from tradecontrol.errors import TradeControlError
from tradecontrol.rules.de_minimis import country_groups
from tradecontrol.rules.subject_to_ear import Subjection, subject_to_ear
from tradecontrol.transactions import Item, Transaction

TYPE_CHECKING = False
if TYPE_CHECKING:  # pragma: no cover
    from tradecontrol.listings import ListingVersion
    from tradecontrol.rulebook import NameMatch, Rulebook, RuleInfo

RULE_ID = "ear.foreign_direct_product"

__all__ = [
    "RULE_ID",
    "evaluate",
    "footnote1_match",
    "huawei_fdp",
    "national_security_fdp",
    "russia_belarus_fdp",
]


def _head(eccn: str) -> str:
    return eccn.split(".", 1)[0]


def footnote1_match(
    name: str, rulebook: Rulebook, as_of: Moment
) -> tuple[NameMatch, ListingVersion] | None:
    """The Entity List entry in force at ``as_of`` with footnote 1 that ``name`` matches.

    Example:
        >>> import datetime
        >>> from tradecontrol import Rulebook
        >>> from tradecontrol.rules.foreign_direct_product import footnote1_match
        >>> rb = Rulebook.default()
        >>> footnote1_match("HiSilicon Technologies Co., Ltd (HiSilicon)", rb,
        ...                 datetime.date(2020, 3, 1)) is None
        True
        >>> footnote1_match("HiSilicon Technologies Co., Ltd (HiSilicon)", rb,
        ...                 datetime.date(2020, 6, 1)) is not None
        True
    """
    marks = set(rulebook.rule(RULE_ID).param("fn1_listing_citations"))
    for match in rulebook.match_entity_name(name):
        if match.listing.list_code != "EL":
            continue
        found = match.listing.version_at(as_of)
        if found is not None and marks.intersection(found[0].citations):
            return match, found[0]
    return None


def _fn1_parties(transaction: Transaction, rulebook: Rulebook, as_of: Moment) -> list[str]:
    roles = rulebook.rule(RULE_ID).param("fn1_party_roles")
    out = []
    for party in transaction.parties:
        if party.role.value not in roles:
            continue
        if any(footnote1_match(n, rulebook, as_of) for n in party.entity.names):
            out.append(f"the {party.role.value.replace('_', ' ')} {party.entity.name!r}")
    return out


def _item_ns(item: Item, rulebook: Rulebook) -> bool | None:
    """Whether the item itself is controlled for national security, from its reasons."""
    if item.eccn == "EAR99":
        return False
    reasons = item.reasons_for_control
    if not reasons and item.eccn is not None and rulebook.destinations is not None:
        entry = rulebook.destinations.ccl_entry(item.eccn)
        if entry is not None and not any(r.startswith("NS") for r in entry.partial):
            reasons = entry.reasons
    if not reasons:
        return None
    return any(r.startswith("NS") for r in reasons)


def national_security_fdp(
    transaction: Transaction, item: Item, rulebook: Rulebook, as_of: Moment
) -> Subjection:
    """The national security direct product rule (§734.9(b), formerly §736.2(b)(3)).

    Returns:
        ``True`` when an NS-controlled direct product goes to D:1, E:1 or E:2; ``None``
        when the destination is such and the direct-product facts are missing.

    Example:
        >>> from tradecontrol import Item, Rulebook, Transaction
        >>> from tradecontrol.content import DirectProduct
        >>> from tradecontrol.rules.foreign_direct_product import national_security_fdp
        >>> t = Transaction(id="T", date="2020-03-01", destination="CN")
        >>> chip = Item(origin="TW", direct_product=DirectProduct(plant_of=["3E001"],
        ...                                                        ns_controlled=True))
        >>> national_security_fdp(t, chip, Rulebook.default(), t.date).subject
        True
    """
    info = rulebook.rule(RULE_ID)
    citations = info.param("ns_citations")
    if transaction.destination is None:
        reached = None
    else:
        day = day_of(as_of)
        code = transaction.destination.code
        reached = bool(country_groups(rulebook, code, day).intersection(info.param("ns_groups")))
    if reached is False:
        return Subjection(
            subject=False,
            reason="the national security direct product rule does not reach the destination "
            "(not in Country Group D:1, E:1 or E:2)",
            citations=citations,
        )
    dp = item.direct_product
    if dp is None:
        return Subjection(
            subject=None,
            reason="whether it is a direct product of U.S. technology or software (national "
            "security direct product rule) is not given",
            citations=citations,
        )
    if not dp.inputs or dp.ns_controlled is False or _item_ns(item, rulebook) is False:
        return Subjection(
            subject=False,
            reason="it is not an NS-controlled direct product of NS-controlled U.S. "
            "technology or software",
            citations=citations,
        )
    if dp.ns_controlled is None or reached is None:
        return Subjection(
            subject=None,
            reason="it is a direct product of U.S. technology or software, and whether it "
            "and that technology are NS-controlled, or where it goes, is not given "
            "(national security direct product rule)",
            citations=citations,
        )
    return Subjection(
        subject=True,
        reason="it is an NS-controlled direct product of NS-controlled U.S. technology or "
        f"software going to {transaction.destination}, in Country Group D:1, E:1 or E:2",
        citations=citations,
    )


def russia_belarus_fdp(
    transaction: Transaction, item: Item, rulebook: Rulebook, as_of: Moment
) -> Subjection:
    """The Russia/Belarus direct product rule (15 CFR 734.9(f)), as far as it is modelled.

    From 2022-02-24 (Belarus 2022-03-02) a CCL-classified direct product of U.S. technology
    or software going to Russia or Belarus may be subject to the EAR; the rule's exact
    product scope and its exclusion of partner countries (Supplement No. 3 to Part 746) are
    not modelled, so such an item gets "cannot tell" (review), never a silent clear.

    Example:
        >>> from tradecontrol import Item, Rulebook, Transaction
        >>> from tradecontrol.content import DirectProduct
        >>> from tradecontrol.rules.foreign_direct_product import russia_belarus_fdp
        >>> t = Transaction(id="T", date="2022-05-01", destination="RU")
        >>> part = Item(origin="TW", eccn="5A991", direct_product=DirectProduct(of=["5E991"]))
        >>> russia_belarus_fdp(t, part, Rulebook.default(), t.date).subject is None
        True
    """
    info = rulebook.rule(RULE_ID)
    citations = info.param("russia_belarus_citations")
    day = day_of(as_of).isoformat()
    where = transaction.destination.country.code if transaction.destination else None
    reached = any(
        code == where and day >= since
        for code, _, since in (v.partition(":") for v in info.param("russia_belarus_from"))
    )
    if not reached:
        return Subjection(
            subject=False,
            reason="the Russia/Belarus direct product rule does not reach the destination "
            "on that date",
            citations=citations,
        )
    dp = item.direct_product
    if dp is not None and (not dp.inputs or item.eccn == "EAR99"):
        return Subjection(
            subject=False,
            reason="it is not a CCL-classified direct product of U.S. technology or software "
            "(Russia/Belarus direct product rule)",
            citations=citations,
        )
    return Subjection(
        subject=None,
        reason="the Russia/Belarus direct product rule may reach it (its product scope and "
        "the partner-country exclusion are not modelled): check 15 CFR 734.9(f)",
        citations=citations,
    )


def _window(info: RuleInfo, key: str) -> tuple[date, date | None]:
    values = info.param(key)
    end = date.fromisoformat(values[1]) if len(values) > 1 and values[1] else None
    return date.fromisoformat(values[0]), end


def huawei_fdp(
    transaction: Transaction, item: Item, rulebook: Rulebook, as_of: Moment
) -> Subjection:
    """The Entity List footnote 1 (Huawei) direct product rule, in its dated versions.

    Returns:
        ``True`` when the version in force reaches the item (with ``authorized_by`` set to
        the savings clause id when the May 2020 run-off covers it); ``None`` when a
        footnote-1 entity is involved but the direct-product facts are missing.

    Example:
        >>> from tradecontrol import Item, Rulebook, Transaction
        >>> from tradecontrol.content import DirectProduct
        >>> from tradecontrol.rules.foreign_direct_product import huawei_fdp
        >>> t = Transaction(id="T", date="2020-09-20", destination="KR")
        >>> chip = Item(origin="TW", direct_product=DirectProduct(
        ...     plant_of=["3E001"], incorporated_for="Huawei Technologies Co., Ltd."))
        >>> huawei_fdp(t, chip, Rulebook.default(), t.date).subject
        True
    """
    info = rulebook.rule(RULE_ID)
    day = day_of(as_of)
    may_start, _ = _window(info, "fn1_may2020_window")
    aug_start, _ = _window(info, "fn1_aug2020_window")
    if day < may_start:
        return Subjection(
            subject=False,
            reason=f"the footnote 1 (Huawei) direct product rule takes effect on {may_start}",
            citations=info.param("fn1_may2020_citations"),
        )
    august = day >= aug_start
    citations = info.param("fn1_aug2020_citations" if august else "fn1_may2020_citations")
    parties = _fn1_parties(transaction, rulebook, as_of)
    dp = item.direct_product
    ordered_for = (
        dp.incorporated_for
        if dp is not None
        and dp.incorporated_for is not None
        and footnote1_match(dp.incorporated_for, rulebook, as_of)
        else None
    )
    hooks = parties + ([f"it goes into items ordered by {ordered_for!r}"] if ordered_for else [])
    if (august and not hooks) or (not august and not parties):
        return Subjection(
            subject=False,
            reason="no footnote 1 entity is a party"
            + (" or orders what the item goes into" if august else ""),
            citations=citations,
        )
    if dp is None:
        return Subjection(
            subject=None,
            reason="a footnote 1 entity is involved and whether the item is a direct product "
            "of U.S. technology or software (or of a plant that is) is not given",
            citations=citations,
        )
    specified = info.param("fn1_eccns")
    if not any(_head(e) in specified for e in dp.inputs):
        return Subjection(
            subject=False,
            reason="it is not a direct product of the U.S. technology or software the footnote "
            "1 rule specifies (nor made by a plant that is)",
            citations=citations,
        )
    may_design: bool | None = None
    if dp.designed_by is not None:
        may_design = footnote1_match(dp.designed_by, rulebook, as_of) is not None
    if not august:
        if may_design is None:
            return Subjection(
                subject=None,
                reason="it is a specified direct product going to a footnote 1 entity; whose "
                "design it is (the May 2020 rule reaches a footnote 1 entity's design) is "
                "not given",
                citations=citations,
            )
        if not may_design:
            return Subjection(
                subject=False,
                reason="it is not of a footnote 1 entity's design (May 2020 rule)",
                citations=citations,
            )
    reason = (
        "it is a direct product of U.S. technology or software specified by the footnote 1 "
        "(Huawei) direct product rule and " + "; ".join(hooks)
    )
    savings_from, savings_until, savings_id = info.param("fn1_savings")
    started = dp.production_started
    if (
        may_design
        and parties
        and started is not None
        and started < date.fromisoformat(savings_from)
        and day <= date.fromisoformat(savings_until)
    ):
        return Subjection(
            subject=True,
            reason=f"{reason}; production began on {started}, before {savings_from}, so it "
            f"may ship until {savings_until} under the savings clause",
            citations=merge_citations(citations, info.param("fn1_savings_citations")),
            authorized_by=savings_id,
        )
    return Subjection(subject=True, reason=reason, citations=citations)


def evaluate(
    transaction: Transaction,
    rulebook: Rulebook,
    as_of: Moment,
    *,
    context: EvaluationContext | None = None,
) -> tuple[Finding, ...]:
    """The licence requirement for items reaching a footnote-1 entity only as a component.

    When the footnote 1 rule makes an item subject to the EAR because it goes into a part,
    component or equipment a footnote-1 entity produces, purchases or orders, and no party
    of the transaction is on the Entity List (the Entity List rule handles listed parties),
    a licence is required (15 CFR 744.11(a)(2)(i)) under the entry's review policy.

    Args:
        transaction: The transaction.
        rulebook: Supplies the Entity List, footnote-1 entries and this rule's parameters.
        as_of: The moment to decide for (date or aware datetime).
        context: The evaluation's shared party matches (see :mod:`tradecontrol.context`);
            ``None`` when called directly.

    Returns:
        One ``license_required`` (or ``authorized``) finding per such item.
    """
    info = rulebook.rule(RULE_ID)
    if transaction.kind._value_ not in info.transaction_kinds:
        return ()
    if any(
        m.listing.list_code == "EL" and m.listing.version_at(as_of) is not None
        for _, matches in party_matches(transaction, rulebook, context, as_of)
        for m in matches
    ):
        return ()
    out = []
    for index, item in enumerate(transaction.items):
        dp = item.direct_product
        if dp is None or dp.incorporated_for is None:
            continue
        found = footnote1_match(dp.incorporated_for, rulebook, as_of)
        if found is None:
            continue
        try:
            answer = subject_to_ear(transaction, item, rulebook, as_of)
        except TradeControlError:
            continue
        if answer.subject is not True:
            continue
        match, version = found
        outcome = Outcome.AUTHORIZED if answer.authorized_by else Outcome.LICENSE_REQUIRED
        out.append(
            Finding(
                rule=RULE_ID,
                authority="US-BIS",
                outcome=outcome,
                requirement=Outcome.LICENSE_REQUIRED,
                review_policy=version.review_policy,
                citations=merge_citations(
                    info.param("license_requirement_citations"), answer.citations
                ),
                item_index=index,
                listing_id=match.listing.id,
                matched_name=match.matched_name,
                license_id=answer.authorized_by,
                message=f"Item {index} is subject to the EAR ({answer.reason}); a licence is "
                f"required because it goes into items of {dp.incorporated_for!r}, on the "
                f"Entity List as {match.matched_name!r} with footnote 1.",
                cautions=(
                    "BIS reviews licences for foreign direct products of the footnote 1 rule "
                    "with regard to the technology's sophistication and capabilities; check "
                    "the review policy of the entry as amended on 2020-08-17",
                ),
            )
        )
    return tuple(out)
