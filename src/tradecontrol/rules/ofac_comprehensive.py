"""OFAC comprehensive sanctions programs — rule id ``ofac.comprehensive``.

Where OFAC reaches the transaction (a U.S. person is a party, or the deal leaves from or
goes to U.S. territory: :func:`tradecontrol.nexus.check_regime`), a program in force at
``as_of`` on a place the transaction touches — its destination or origin, or the country or
address of any party — makes it ``prohibited``: Iran (31 CFR 560), Cuba (31 CFR 515), North
Korea (31 CFR 510), the Crimea region (E.O. 13685) and the so-called DNR and LNR regions
(E.O. 14065, from 2022-02-21). For a U.S. exporter to Crimea or the DNR/LNR this is a
separate finding beside the EAR licence requirement of rule ``ear.embargo``.

For Cuba and North Korea an export, reexport or transfer of items gives ``review_required``
instead (check OFAC beside the EAR licence requirement): the fact base does not record how
those programs treat exports the EAR licenses (worked cases WC-13, WC-28, WC-33).

No food or medicine exception is applied: the fact base records none for these programs;
an OFAC authorization must be established outside this rule (the finding says so).
The programs, their places and dates are rulebook data
(:class:`~tradecontrol.destinations.OfacProgram`).
"""

from __future__ import annotations

from tradecontrol._time import Moment
from tradecontrol.context import EvaluationContext, regime_check
from tradecontrol.decision import Finding, Outcome, merge_citations
from tradecontrol.destinations import OfacProgram, Place, transaction_places
from tradecontrol.errors import DataError
from tradecontrol.nexus import Regime
from tradecontrol.rules._places import OFAC_PROGRAMS, any_controls, touched_codes
from tradecontrol.transactions import Transaction

TYPE_CHECKING = False
if TYPE_CHECKING:  # pragma: no cover
    from tradecontrol.rulebook import Rulebook

RULE_ID = "ofac.comprehensive"
EXPORT_KINDS = ("export", "reexport", "transfer")

__all__ = ["RULE_ID", "evaluate"]


def evaluate(
    transaction: Transaction,
    rulebook: Rulebook,
    as_of: Moment,
    *,
    context: EvaluationContext | None = None,
) -> tuple[Finding, ...]:
    """Apply OFAC's comprehensive programs to ``transaction`` as of ``as_of``.

    Args:
        transaction: The transaction (every kind: exports, imports, services, payments).
        rulebook: Supplies the programs and the nexus parameters.
        as_of: The moment to decide for (date or aware datetime).
        context: The evaluation's shared results (see :mod:`tradecontrol.context`);
            ``None`` when called directly.

    Returns:
        One ``prohibited`` finding per program in force on a place the transaction touches,
        when OFAC reaches the transaction; nothing otherwise.

    Raises:
        DataError: The rulebook has no destination data.
    """
    info = rulebook.rule(RULE_ID)
    if transaction.kind._value_ not in info.transaction_kinds:
        return ()
    data = rulebook.destinations
    if data is None:
        raise DataError(f"rulebook {rulebook.id} has no OFAC program data")
    if not any_controls(
        rulebook, data, touched_codes(transaction, None, origin=True), OFAC_PROGRAMS
    ):
        return ()  # no place it touches is under any OFAC program
    places = transaction_places(transaction, origin=True)
    found: dict[str, tuple[OfacProgram, Place]] = {}
    for place in places:
        for program in data.ofac_programs_at(place.code):
            if program.id not in found and program.window.contains(as_of):
                found[program.id] = (program, place)
    hits = list(found.values())
    if not hits:
        return ()
    nexus = regime_check(Regime.OFAC, transaction, rulebook, as_of, context)
    if not nexus.applies:
        return ()
    food = any(item.food_or_medicine for item in transaction.items)
    cautions = tuple(info.param("exceptions_note")) if food else ()
    exporting = transaction.kind.value in EXPORT_KINDS
    out = []
    for program, place in hits:
        where = f"The {place.where} ({place.code}) is under the {program.title}"
        why = f"({nexus.reason.rstrip('.')})"
        if program.exports_review and exporting:
            outcome = Outcome.REVIEW_REQUIRED
            message = (
                f"{where}: check whether OFAC authorizes this export for U.S. persons {why}; "
                + info.param("exports_review_note")[0]
                + "."
            )
        else:
            outcome = Outcome.PROHIBITED
            message = (
                f"{where}, which prohibits U.S. persons' dealings there without OFAC "
                f"authorization {why}."
            )
        out.append(
            Finding(
                rule=RULE_ID,
                authority="US-OFAC",
                outcome=outcome,
                requirement=outcome,
                citations=merge_citations(program.citations, nexus.citations),
                party_role=place.party_role,
                party_name=place.party_name,
                message=message,
                cautions=cautions,
            )
        )
    return tuple(out)
