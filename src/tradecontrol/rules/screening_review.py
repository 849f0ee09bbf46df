"""Screening candidates and suppressed matches — rule id ``screening.review``.

The listing rules (``ear.entity_list``, ``lists.unassessed``…) read the parties' matches
through :meth:`tradecontrol.Rulebook.match_entity`: exact normalised hits and screening
scores at or above the match threshold. This rule reports the rest of what screening found
for each party among the listings in force at ``as_of`` (as :func:`tradecontrol.screen`
returns them):

- for each list on which the party's best (unsuppressed) result is a ``"review"``
  candidate — no listing of that list matches it, in force or not — each candidate in
  force (score between the review and match thresholds) gives ``review_required``, naming
  the candidate, its list and its score: a person must decide whether the party is the
  listed entity (fail closed). A party that matches a listing is identified on that list:
  that listing's rule decides (also when the listing is not in force at ``as_of``), and its
  lesser candidates on the same list are not reported. Only a party whose name *is* a
  listed name (score 1.0) of a listing in force, on a list that some rule reads for this
  kind of transaction (or that no rule assesses, so ``lists.unassessed`` reviews it), is
  identified everywhere, so that its lesser candidates on other lists are not reported
  either; a fuzzy match, a match with a listing not in force, or a match on a list no rule
  applies to this transaction (an Entity List name beside an import) never silences
  another list's candidates (a typo that resembles a not-yet-listed FCC entry still gets
  the Entity List candidates reviewed);
- a candidate on a list whose every reading rule skips this kind of transaction (the FCC
  Covered List and section 889 entries beside an export) is not reported: were it
  confirmed, no rule would restrict the transaction;
- a match suppressed by an allow-list entry in force gives a ``not_restricted`` finding
  naming the entry and its reason, so the suppression stays visible in the Decision.

The citations are those of the listing's version in force.
"""

from __future__ import annotations

from tradecontrol._time import Moment
from tradecontrol.decision import Finding, Outcome, merge_citations
from tradecontrol.plan import is_moment
from tradecontrol.screening.screen import candidates
from tradecontrol.transactions import Transaction

TYPE_CHECKING = False
if TYPE_CHECKING:  # pragma: no cover
    from tradecontrol.rulebook import Rulebook

RULE_ID = "screening.review"

__all__ = ["RULE_ID", "evaluate"]


def evaluate(transaction: Transaction, rulebook: Rulebook, as_of: Moment) -> tuple[Finding, ...]:
    """Review findings for screening candidates; visible findings for suppressed matches.

    Args:
        transaction: The transaction (every kind).
        rulebook: Supplies the listings, thresholds and allow-list.
        as_of: The moment to decide for.

    Returns:
        One finding per party and listing that is a review candidate or a suppressed match.
    """
    if rulebook.plan.exact and is_moment(as_of):
        return ()  # exact matching: every candidate is a match, and nothing is suppressed
    findings: list[Finding] = []
    assessed = rulebook.assessed_list_codes
    read = rulebook.list_codes_read_for(transaction.kind.value)
    for party in transaction.parties:
        who = f"{party.role.value.replace('_', ' ')} {party.entity.name!r}"
        everything = candidates(party.entity, rulebook, as_of=as_of)
        matched = {
            m.listing.list_code for m in everything if m.status == "match" and not m.suppressed
        }
        identified = any(
            m.score >= 1.0
            and not m.suppressed
            and (m.listing.list_code in read or m.listing.list_code not in assessed)
            and m.listing.version_at(as_of) is not None
            for m in everything
        )
        for match in everything:
            if not match.suppressed and (
                match.status == "match" or identified or match.listing.list_code in matched
            ):
                continue  # a match on this list: the listing's rule decides
            listing = match.listing
            code = listing.list_code
            if match.suppressed_by is None and code in assessed and code not in read:
                continue  # no rule reading this list applies to this kind of transaction
            found = listing.version_at(as_of)
            if found is None:  # out of force: never a match (as screen() does)
                continue
            version, _ = found
            listed = (
                f"{match.matched_name!r} on the {listing.list_code} list ({listing.authority}, "
                f"listing {listing.id})"
            )
            reasons = "; ".join(f.detail for f in match.explanation.features)
            why = f" ({reasons})" if reasons else ""
            base = Finding(
                rule=RULE_ID,
                authority=listing.authority,
                outcome=Outcome.REVIEW_REQUIRED,
                requirement=Outcome.REVIEW_REQUIRED,
                review_policy=version.review_policy,
                citations=merge_citations(version.citations),
                party_role=party.role.value,
                party_name=party.entity.name,
                listing_id=listing.id,
                matched_name=match.matched_name,
                message=f"The {who} may be {listed}: name screening score "
                f"{match.score:.2f}{why}, below the match threshold; a person must decide "
                "whether it is the listed entity.",
            )
            entry = match.suppressed_by
            if entry is not None:
                base = Finding(
                    rule=RULE_ID,
                    authority=listing.authority,
                    outcome=Outcome.NOT_RESTRICTED,
                    citations=base.citations,
                    party_role=base.party_role,
                    party_name=base.party_name,
                    listing_id=listing.id,
                    matched_name=match.matched_name,
                    message=f"The {who} matches {listed} with score {match.score:.2f} "
                    f"({match.status}), suppressed by allow-list entry {entry.id!r}: "
                    f"{entry.reason}",
                )
            findings.append(base)
    return tuple(findings)
