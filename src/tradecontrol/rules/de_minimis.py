"""De minimis U.S. content (15 CFR 734.4, Supplement No. 2 to Part 734) — ``ear.de_minimis``.

A foreign-made item outside the United States is subject to the EAR when its U.S.-origin
*controlled* content **exceeds** the de minimis level for its destination (15 CFR
734.3(a)(3)(ii): "in quantities exceeding the de minimis levels"); content exactly at the
level leaves it outside the EAR. The levels, as dated data (rule ``ear.de_minimis``):

* 10% to Country Group E:1, and to E:2 from 2019-10-21 (84 FR 56117) — group membership
  by date from the rulebook's destination data, so Cuba is 10% until 2015-07-21 (E:1), 25%
  from 2015-07-22 to 2019-10-20 (E:2) and 10% again from 2019-10-21; Sudan is 10% until it
  left E:1 on 2021-01-14;
* 25% everywhere else;
* no level (0%) when the item incorporates U.S.-origin content the rule names (5E002
  technology in foreign encryption technology, §734.4(a)).

Controlled content is content that would itself need a licence to the destination: the
caller's ``license_required``, else a Part 746 control in force there (Cuba, North Korea,
Syria, the covered regions of Ukraine reach every input, EAR99 included; Iran and
Russia/Belarus their CCL inputs), else its reasons for control against the destination's
Commerce Country Chart row (:meth:`tradecontrol.Rulebook.chart_reasons`). The Entity List
is never used for this (Supplement No. 2, (a)(1)). A share that cannot be pinned down
either side of the level gives "cannot tell" (``None``), which callers turn into
``review_required``.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from tradecontrol._time import Moment
from tradecontrol.content import UsContent
from tradecontrol.decision import merge_citations
from tradecontrol.destinations import EmbargoScope, day_of
from tradecontrol.errors import DataError, TradeControlError
from tradecontrol.rules.subject_to_ear import Subjection
from tradecontrol.transactions import Item, Transaction

TYPE_CHECKING = False
if TYPE_CHECKING:  # pragma: no cover
    from tradecontrol.rulebook import Rulebook, RuleInfo

RULE_ID = "ear.de_minimis"

__all__ = ["RULE_ID", "country_groups", "de_minimis", "de_minimis_level"]


def _head(eccn: str) -> str:
    return eccn.split(".", 1)[0]


def country_groups(rulebook: Rulebook, country: str, as_of: Moment) -> frozenset[str]:
    """The Country Groups ``country`` is in at ``as_of`` (one look-up for several tests).

    Raises:
        DataError: The rulebook has no destination data, or it cannot answer for the date.
    """
    if rulebook.destinations is None:
        raise DataError(f"rulebook {rulebook.id} has no Country Group data")
    return frozenset(rulebook.destinations.country_groups(country, as_of))


def de_minimis_level(
    destination: str, rulebook: Rulebook, as_of: Moment
) -> tuple[Decimal, tuple[str, ...]]:
    """The de minimis level for ``destination`` as of ``as_of``, with its citations.

    Args:
        destination: ISO 3166 code of the foreign-made item's destination.
        rulebook: Supplies rule ``ear.de_minimis`` and Country Group membership by date.
        as_of: The moment to decide for.

    Returns:
        ``(percent 0–100, citations)``: 10 for the reduced-level groups, else 25.

    Raises:
        DataError: The rulebook lacks the rule or Country Group data.

    Example:
        >>> import datetime
        >>> from tradecontrol import Rulebook
        >>> from tradecontrol.rules.de_minimis import de_minimis_level
        >>> rb = Rulebook.default()
        >>> de_minimis_level("CU", rb, datetime.date(2019, 10, 1))[0]
        Decimal('25')
        >>> de_minimis_level("CU", rb, datetime.date(2019, 11, 1))[0]
        Decimal('10')
    """
    info = rulebook.rule(RULE_ID)
    day = day_of(as_of)
    groups = country_groups(rulebook, destination, day)
    for entry in info.param("reduced_groups"):
        group, _, since = entry.partition(" from ")
        if since and day.isoformat() < since:
            continue
        if group in groups:
            return Decimal(info.param("reduced_level")[0]), info.param("reduced_citations")
    return Decimal(info.param("general_level")[0]), info.param("general_citations")


def _part746(content: UsContent, destination: str, rulebook: Rulebook, day: date) -> bool | None:
    """Whether a Part 746 control in force reaches the input; ``False``: none does.

    Cuba (all items), North Korea, Syria and the covered regions of Ukraine (all items but
    EAR99 food and medicine) reach every input; Iran (CCL items) and Russia/Belarus (CCL
    categories) reach classified inputs, and their EAR99 or unclassified inputs cannot be
    told (OFAC authorization, HTS lists).
    """
    data = rulebook.destinations
    if data is None:
        return None
    answers: list[bool | None] = []
    for embargo in data.embargoes_at(destination):
        version = embargo.version_at(day)
        if version is None:
            continue
        scope = version.scope
        if scope in (EmbargoScope.ALL_ITEMS, EmbargoScope.ALL_ITEMS_EXCEPT_EAR99_FOOD_MEDICINE):
            answers.append(True)
        elif content.eccn is None or content.eccn == "EAR99":
            answers.append(None)
        elif scope is EmbargoScope.CCL_ITEMS:
            answers.append(True)
        else:
            answers.append(content.eccn[0] in version.categories)
    if True in answers:
        return True
    return None if None in answers else False


def _controlled(
    content: UsContent, destination: str, rulebook: Rulebook, as_of: Moment, info: RuleInfo
) -> bool | None:
    """Whether one input would need a licence to the destination; ``None``: cannot tell.

    Supplement No. 2 to Part 734, (a)(1): the Commerce Country Chart and Part 746 decide;
    Part 744 (the Entity List) never does.
    """
    if content.license_required is not None:
        return content.license_required
    day = day_of(as_of)
    embargoed = _part746(content, destination, rulebook, day)
    if embargoed is not False:
        return embargoed
    if content.eccn == "EAR99":
        return False
    reasons = content.reasons_for_control
    if not reasons and content.eccn is not None and rulebook.destinations is not None:
        entry = rulebook.destinations.ccl_entry(content.eccn)
        if entry is not None and not entry.partial:
            reasons = entry.reasons
    if not reasons:
        return None
    return bool(rulebook.chart_reasons(destination, reasons, day))


def de_minimis(
    transaction: Transaction, item: Item, rulebook: Rulebook, as_of: Moment
) -> Subjection:
    """Whether a foreign-made ``item`` is subject to the EAR through its U.S. content.

    Args:
        transaction: Gives the destination.
        item: A foreign-made item outside the United States, with ``us_content_percent``
            (the controlled share, percent 0–100 of its value) and/or ``us_content``.
        rulebook: Supplies rule ``ear.de_minimis``, Country Groups and the Country Chart.
        as_of: The moment to decide for.

    Returns:
        A :class:`~tradecontrol.rules.subject_to_ear.Subjection`: ``True`` above the level
        (or any content with no level), ``False`` at or below it, ``None`` when the share
        or the destination is unknown.

    Example:
        >>> from tradecontrol import Item, Rulebook, Transaction
        >>> from tradecontrol.rules.de_minimis import de_minimis
        >>> t = Transaction(id="T", date="2019-07-01", destination="CN")
        >>> item = Item(origin="TW", us_content_percent="25")
        >>> de_minimis(t, item, Rulebook.default(), t.date).subject
        False
        >>> de_minimis(t, Item(origin="TW", us_content_percent="25.01"), Rulebook.default(),
        ...            t.date).subject
        True
    """
    info = rulebook.rule(RULE_ID)
    base = info.citations
    no_level = info.param("no_level_content")
    for content in item.us_content:
        if content.eccn is not None and _head(content.eccn) in no_level:
            return Subjection(
                subject=True,
                reason=f"it incorporates U.S.-origin {content.eccn} content, for which there "
                "is no de minimis level",
                citations=merge_citations(base, info.param("no_level_citations")),
            )
    for content in item.us_content:
        if content.eccn is not None and _head(content.eccn) in info.param(
            "no_level_review_content"
        ):
            return Subjection(
                subject=None,
                reason=f"it incorporates U.S.-origin {content.eccn} content, which in some "
                "forms has no de minimis level; check 15 CFR 734.4(a)",
                citations=merge_citations(base, info.param("no_level_citations")),
            )
    if transaction.destination is None:
        return Subjection(
            subject=None,
            reason="the destination is not given, so the de minimis level is unknown",
            citations=base,
        )
    destination = transaction.destination.code
    try:
        level, level_citations = de_minimis_level(destination, rulebook, as_of)
    except TradeControlError as exc:
        return Subjection(
            subject=None,
            reason=f"the de minimis level for {destination} cannot be told ({exc})",
            citations=base,
        )
    citations = merge_citations(base, level_citations, info.param("exceeding_citations"))
    try:
        low, high, how = _share(item, destination, rulebook, as_of, info)
    except TradeControlError as exc:
        return Subjection(
            subject=None,
            reason=f"which U.S. content counts for {destination} cannot be told ({exc})",
            citations=citations,
        )
    if low is None:
        return Subjection(
            subject=None,
            reason="its U.S.-controlled content is not given (us_content_percent or "
            "us_content), so de minimis cannot be applied",
            citations=citations,
        )
    where = f"the {level}% de minimis level for {destination}"
    if low > level:
        return Subjection(
            subject=True,
            reason=f"its U.S.-controlled content ({how}) exceeds {where}",
            citations=citations,
        )
    if high is not None and high <= level:
        return Subjection(
            subject=False,
            reason=f"its U.S.-controlled content ({how}) does not exceed {where}",
            citations=citations,
        )
    return Subjection(
        subject=None,
        reason=f"its U.S.-controlled content ({how}) may or may not exceed {where}: "
        "state which inputs would need a licence to the destination",
        citations=merge_citations(citations, info.param("controlled_content_citations")),
    )


def _share(
    item: Item, destination: str, rulebook: Rulebook, as_of: Moment, info: RuleInfo
) -> tuple[Decimal | None, Decimal | None, str]:
    """``(lowest, highest or None when unbounded, words)`` controlled share, percent."""
    if item.us_content_percent is not None:
        pct = Decimal(item.us_content_percent)
        return pct, pct, f"{pct}% as stated"
    if not item.us_content:
        return None, None, ""
    low = Decimal(0)
    high: Decimal | None = Decimal(0)
    unknown = 0
    for content in item.us_content:
        controlled = _controlled(content, destination, rulebook, as_of, info)
        if controlled is False:
            continue
        if content.percent is None:
            high = None
            unknown += 1
            continue
        if controlled:
            low += content.percent
        else:
            unknown += 1
        if high is not None:
            high += content.percent
    if unknown == 0:
        return low, high, f"{low}% counted from us_content"
    upper = f"{high}%" if high is not None else "unknown"
    return low, high, f"{low}% to {upper} counted from us_content"
