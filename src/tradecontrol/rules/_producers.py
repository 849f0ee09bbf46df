"""Shared helpers for the rules that bar equipment by its producer (FCC, section 889, ICTS).

These rules look at who *made* an item (``Item.producer``), not at the parties: the FCC
Covered List and section 889 name producers. A producer matches a listing of the rule's
``list_codes`` by exact normalised name or alias (subsidiaries and affiliates are covered by
the law but must be named as such by the caller).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime

import attrs

from tradecontrol._time import Moment, _local_day, _zone
from tradecontrol.transactions import Item, Transaction

TYPE_CHECKING = False
if TYPE_CHECKING:  # pragma: no cover
    from tradecontrol.listings import Listing, ListingVersion
    from tradecontrol.rulebook import NameMatch, Rulebook, RuleInfo

__all__ = ["PURPOSES", "CoveredItem", "covered_items", "day_of", "param_date", "purpose_covered"]


@attrs.frozen(kw_only=True, slots=True)
class CoveredItem:
    """An item whose producer matches a listing in force."""

    index: int
    item: Item
    match: NameMatch
    listing: Listing
    version: ListingVersion


def day_of(moment: Moment, zone: str = "America/New_York") -> date:
    """The calendar day of ``moment`` in ``zone`` (a date is its own day)."""
    if isinstance(moment, datetime):
        return _local_day(moment, _zone(zone))
    return moment


def param_date(info: RuleInfo, key: str) -> date:
    """The rule parameter ``key`` read as an ISO date."""
    return date.fromisoformat(info.param(key)[0])


def covered_items(
    transaction: Transaction, rulebook: Rulebook, info: RuleInfo, as_of: Moment
) -> Iterator[CoveredItem]:
    """Items whose producer matches a listing of ``info.list_codes`` in force at ``as_of``."""
    for index, item in enumerate(transaction.items):
        if item.producer is None:
            continue
        for match in rulebook.match_entity_name(item.producer):
            listing = match.listing
            if listing.list_code not in info.list_codes:
                continue
            found = listing.version_at(as_of)
            if found is None:
                continue
            yield CoveredItem(
                index=index, item=item, match=match, listing=listing, version=found[0]
            )


PURPOSES = (
    "public safety, security of government facilities, physical security surveillance of "
    "critical infrastructure or other national security purposes"
)
"""The uses for which Hytera, Hikvision and Dahua equipment is covered (889(f)(3)(B))."""


def purpose_covered(transaction: Transaction, info: RuleInfo, listing: Listing) -> bool | None:
    """Whether the use brings the item within a purpose-limited listing.

    Returns ``True`` when the listing covers every use (rule parameter ``purpose_limited``
    does not name it) or the transaction states ``security_purpose: true``; ``False`` when it
    states ``false``; ``None`` when the fact is missing.
    """
    if listing.id not in info.param("purpose_limited"):
        return True
    purpose = transaction.fact("security_purpose")
    return purpose if isinstance(purpose, bool) else None
