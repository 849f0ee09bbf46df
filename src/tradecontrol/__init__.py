"""tradecontrol: sanctions and export-control logic as a pure function.

Describe a transaction, pick a rulebook, and ask::

    decision = tradecontrol.evaluate(transaction, tradecontrol.Rulebook.default())

The decision says whether the deal is clear, authorized by a licence, needs a licence,
needs review or is prohibited, as of the transaction's date, with the legal citation for
every step.
"""

from __future__ import annotations

__version__ = "0.1.0"

from tradecontrol._time import Position, Window, parse_moment
from tradecontrol._validators import Percent
from tradecontrol.batch import BadTransaction, evaluate_many
from tradecontrol.conditions import Condition, ConditionTest
from tradecontrol.content import DirectProduct, UsContent
from tradecontrol.decision import Decision, Finding, NearMiss, Outcome, ReviewPolicy, RulebookRef
from tradecontrol.drawdown import Drawdown, LicenseUsage
from tradecontrol.entities import Address, Entity, EntityKind, Identifier, Ownership
from tradecontrol.errors import DataError, InvalidInputError, TradeControlError, UnknownLicenseError
from tradecontrol.evaluation import evaluate
from tradecontrol.jurisdictions import Jurisdiction
from tradecontrol.licenses import License, LicenseKind, LicenseVersion
from tradecontrol.listings import (
    LicenseRequirement,
    Listing,
    ListingVersion,
    RequirementException,
    RequirementScope,
)
from tradecontrol.nexus import Regime, RegimeCheck, check_regime, regimes
from tradecontrol.ownership import OwnershipEdge
from tradecontrol.rulebook import NameMatch, Rulebook, RuleInfo, RuleParameter, Source
from tradecontrol.screening.allowlist import AllowEntry, load_allow_list
from tradecontrol.screening.screen import Match, screen
from tradecontrol.screening.thresholds import Thresholds
from tradecontrol.transactions import Item, Party, Role, Transaction, TransactionKind

__all__ = [
    "Address",
    "AllowEntry",
    "BadTransaction",
    "Condition",
    "ConditionTest",
    "DataError",
    "Decision",
    "DirectProduct",
    "Drawdown",
    "Entity",
    "EntityKind",
    "Finding",
    "Identifier",
    "InvalidInputError",
    "Item",
    "Jurisdiction",
    "License",
    "LicenseKind",
    "LicenseRequirement",
    "LicenseUsage",
    "LicenseVersion",
    "Listing",
    "ListingVersion",
    "Match",
    "NameMatch",
    "NearMiss",
    "Outcome",
    "Ownership",
    "OwnershipEdge",
    "Party",
    "Percent",
    "Position",
    "Regime",
    "RegimeCheck",
    "RequirementException",
    "RequirementScope",
    "ReviewPolicy",
    "Role",
    "RuleInfo",
    "RuleParameter",
    "Rulebook",
    "RulebookRef",
    "Source",
    "Thresholds",
    "TradeControlError",
    "Transaction",
    "TransactionKind",
    "UnknownLicenseError",
    "UsContent",
    "Window",
    "__version__",
    "check_regime",
    "evaluate",
    "evaluate_many",
    "load_allow_list",
    "parse_moment",
    "regimes",
    "screen",
]
