"""Precheck of the place-based rules (internal): does any place carry a control at all?

``ear.embargo`` and ``ofac.comprehensive`` look up every place a transaction touches
(:func:`tradecontrol.destinations.transaction_places`) in the Part 746 controls or the
OFAC programs. Most transactions touch no such place. :func:`any_controls` tells so from
the places' ISO codes alone, each code's answer remembered on the rulebook's plan (a
table of at most one entry per ISO 3166 code), so the rule can return its empty answer
without building the places.

Example:
    >>> from tradecontrol import Rulebook, Transaction
    >>> from tradecontrol.rules._places import EMBARGOES, any_controls, touched_codes
    >>> t = Transaction.from_dict({"id": "T", "date": "2023-05-01", "destination": "UA-43"})
    >>> rb = Rulebook.default()
    >>> codes = touched_codes(t, None, origin=False)
    >>> codes, any_controls(rb, rb.destinations, codes, EMBARGOES)
    (['UA-43'], True)
"""

from __future__ import annotations

from tradecontrol.destinations import Destinations
from tradecontrol.transactions import Transaction

TYPE_CHECKING = False
if TYPE_CHECKING:  # pragma: no cover
    from tradecontrol.rulebook import Rulebook

__all__ = ["EMBARGOES", "OFAC_PROGRAMS", "any_controls", "touched_codes"]

EMBARGOES = 0
"""``which``: the Part 746 controls (:meth:`Destinations.embargoes_at`)."""
OFAC_PROGRAMS = 1
"""``which``: the OFAC programs (:meth:`Destinations.ofac_programs_at`)."""


def touched_codes(
    transaction: Transaction, roles: frozenset[str] | None, *, origin: bool
) -> list[str]:
    """The codes of the places :func:`~tradecontrol.destinations.transaction_places` gives.

    The same codes (possibly repeated), without building the places: the destination, the
    origin when ``origin``, and each party's country and address countries (parties whose
    role's value is in ``roles`` only, unless ``None``; values, because hashing an enum
    member runs Python code).
    """
    out = []
    if transaction.destination is not None:
        out.append(transaction.destination.code)
    if origin and transaction.origin is not None:
        out.append(transaction.origin.code)
    for party in transaction.parties:
        if roles is not None and party.role._value_ not in roles:
            continue
        entity = party.entity
        if entity.country is not None:
            out.append(entity.country.code)
        for address in entity.addresses:
            if address.country is not None:
                out.append(address.country.code)
    return out


def any_controls(rulebook: Rulebook, data: Destinations, codes: list[str], which: int) -> bool:
    """True when some code in ``codes`` has a control of kind ``which`` (of any date).

    Args:
        rulebook: Its plan remembers each code's answer (``rulebook.destinations`` is
            ``data``).
        data: The destination data.
        codes: ISO 3166 codes (from :func:`touched_codes`).
        which: :data:`EMBARGOES` or :data:`OFAC_PROGRAMS`.
    """
    # code -> answer, filled as codes are met (at most one entry per ISO 3166 code); the
    # answers are a function of the rulebook's data alone
    known: dict[str, bool] = rulebook.plan.remember(("controls at", which), dict)
    look = data.embargoes_at if which == EMBARGOES else data.ofac_programs_at
    for code in codes:
        found = known.get(code)
        if found is None:
            found = known[code] = bool(look(code))
        if found:
            return True
    return False
