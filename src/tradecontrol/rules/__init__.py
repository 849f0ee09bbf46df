"""Legal rules, one module each.

A rule is a pure function ``(transaction, rulebook, as_of) -> tuple[Finding, ...]``. The
rules run in the order of :data:`RULES`; adding one never touches the others.
"""

from __future__ import annotations

from collections.abc import Callable

from tradecontrol._time import Moment
from tradecontrol.decision import Finding
from tradecontrol.rules import (
    country_chart,
    denied_persons,
    ear_affiliates,
    embargo,
    entity_list,
    eu_ownership_control,
    fcc_covered_list,
    fcc_equipment_authorization,
    foreign_direct_product,
    icts_eo13873,
    ndaa_889,
    ofac_comprehensive,
    ofac_fifty_percent,
    screening_review,
    uk_ownership_control,
    unassessed_listing,
)
from tradecontrol.transactions import Transaction

TYPE_CHECKING = False
if TYPE_CHECKING:  # pragma: no cover
    from tradecontrol.rulebook import Rulebook

Rule = Callable[[Transaction, "Rulebook", Moment], tuple[Finding, ...]]

RULES: tuple[tuple[str, Rule], ...] = (
    (entity_list.RULE_ID, entity_list.evaluate),
    (ear_affiliates.RULE_ID, ear_affiliates.evaluate),
    (country_chart.RULE_ID, country_chart.evaluate),
    (embargo.RULE_ID, embargo.evaluate),
    (ofac_comprehensive.RULE_ID, ofac_comprehensive.evaluate),
    (ofac_fifty_percent.RULE_ID, ofac_fifty_percent.evaluate),
    (eu_ownership_control.RULE_ID, eu_ownership_control.evaluate),
    (uk_ownership_control.RULE_ID, uk_ownership_control.evaluate),
    (denied_persons.RULE_ID, denied_persons.evaluate),
    (fcc_covered_list.RULE_ID, fcc_covered_list.evaluate),
    (fcc_equipment_authorization.RULE_ID, fcc_equipment_authorization.evaluate),
    (ndaa_889.RULE_ID, ndaa_889.evaluate),
    (icts_eo13873.RULE_ID, icts_eo13873.evaluate),
    (unassessed_listing.RULE_ID, unassessed_listing.evaluate),
    (foreign_direct_product.RULE_ID, foreign_direct_product.evaluate),
    (screening_review.RULE_ID, screening_review.evaluate),
)
"""``(rule id, function)`` pairs, in evaluation order."""

__all__ = ["RULES", "Rule"]
