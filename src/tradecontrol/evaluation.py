"""The pure evaluation function.

``evaluate(transaction, rulebook)`` runs every rule, applies licences and combines the
findings into a :class:`~tradecontrol.decision.Decision`. It does no I/O, reads no clock,
environment or global state and mutates nothing: the same inputs give the same Decision,
byte for byte.
"""

from __future__ import annotations

import contextlib
import hashlib
import inspect
import json
from collections.abc import Callable, Mapping
from datetime import date, datetime
from decimal import Decimal

from tradecontrol import __version__
from tradecontrol._json import CONVERTER
from tradecontrol._time import Moment, parse_moment
from tradecontrol.context import EvaluationContext
from tradecontrol.decision import Decision, Finding, Outcome, RulebookRef, _trusted_decision
from tradecontrol.drawdown import LicenseUsage
from tradecontrol.errors import InvalidInputError, TradeControlError, UnknownLicenseError
from tradecontrol.licensing import (
    _LICENSABLE,
    Memo,
    apply_licenses,
    drawdowns,
    unknown_license_findings,
)
from tradecontrol.nexus import RULE_ID as NEXUS_RULE_ID
from tradecontrol.nexus import Regime, RegimeCheck
from tradecontrol.rulebook import Rulebook
from tradecontrol.rules import RULES, Rule
from tradecontrol.screening import scoring
from tradecontrol.transactions import Transaction

__all__ = ["canonical_bytes", "evaluate", "transaction_digest"]


_CANONICAL = json.JSONEncoder(
    sort_keys=True, separators=(",", ":"), ensure_ascii=False, check_circular=False
).encode
"""Canonical JSON text: sorted keys, no spaces, UTF-8 (to_dict output has no cycles)."""

_for_digest = CONVERTER.get_unstructure_hook(Transaction)
"""``Transaction.to_dict`` without the converter's dispatch (for a Transaction itself)."""

_fast_dumps: Callable[..., bytes] | None
try:  # the optional extra tradecontrol[fast]: the same canonical bytes, encoded in C
    import orjson

    _fast_dumps, _SORTED = orjson.dumps, orjson.OPT_SORT_KEYS
except ImportError:  # pragma: no cover - the core install
    _fast_dumps, _SORTED = None, 0


def canonical_bytes(transaction: Transaction) -> bytes:
    """The canonical JSON of ``transaction`` as UTF-8 bytes (what the digest hashes).

    :meth:`Transaction.to_dict` serialised with sorted keys, no spaces and UTF-8 text
    (``json.dumps(..., sort_keys=True, separators=(",", ":"), ensure_ascii=False)``),
    byte for byte. With the ``fast`` extra installed, ``orjson`` encodes it when its bytes
    are sure to be the same: not when a fact holds a number (a Decimal fact may be written
    as a float, which ``orjson`` formats differently, e.g. ``1e-7`` for ``1e-07``), and
    never when it refuses the value (e.g. an integer beyond 64 bits); the standard library
    encodes those. ``tests/test_digest.py`` compares the two on generated transactions.

    Example:
        >>> from tradecontrol import Transaction
        >>> canonical_bytes(Transaction.from_dict({"id": "T", "date": "2019-06-01"}))
        b'{"date":"2019-06-01","id":"T"}'
    """
    data = _for_digest(transaction) if type(transaction) is Transaction else transaction.to_dict()
    if _fast_dumps is not None and not any(
        isinstance(value, Decimal) for _, value in transaction.facts
    ):
        try:
            fast: bytes = _fast_dumps(data, option=_SORTED)
            return fast
        except Exception:  # refused: the standard library decides, below
            pass
    return _CANONICAL(data).encode("utf-8")


def transaction_digest(
    transaction: Transaction,
    rulebook: Rulebook,
    as_of: Moment,
    usage: Mapping[str, LicenseUsage] | None = None,
) -> str:
    """``sha256:<hex>`` over the canonical transaction JSON, ``as_of``, rulebook and library.

    The canonical JSON is :meth:`Transaction.to_dict` serialised with sorted keys, no
    spaces and UTF-8 (:func:`canonical_bytes`); the rulebook is identified by id and
    version. Licence usage, when given, is appended the same way (so a digest without
    usage is unchanged).
    """
    parts = ["", as_of.isoformat(), rulebook.id, rulebook.version, __version__]
    if usage:
        parts.append(
            json.dumps(
                {k: u.to_dict() for k, u in usage.items()}, sort_keys=True, separators=(",", ":")
            )
        )
    # "\n".join of the texts, encoded: the canonical bytes, then the rest after a "\n"
    blob = canonical_bytes(transaction) + "\n".join(parts).encode("utf-8")
    return "sha256:" + hashlib.sha256(blob).hexdigest()


def evaluate(
    transaction: Transaction,
    rulebook: Rulebook,
    *,
    as_of: Moment | str | None = None,
    usage: Mapping[str, LicenseUsage] | None = None,
) -> Decision:
    """Decide ``transaction`` under ``rulebook`` as of ``as_of``.

    Args:
        transaction: The transaction (see :meth:`~tradecontrol.Transaction.from_dict`).
        rulebook: Listings, licences and rule parameters, e.g. :meth:`Rulebook.default`.
        as_of: The moment to decide for: a date or an aware datetime, or ISO 8601 text
            of one (``"2019-06-01"``, as ``evaluate_many`` and the CLI's ``--as-of`` take).
            Defaults to ``transaction.date``. Deciding 2019-06-01 today gives the 2019
            answer.
        usage: What has already been shipped against each specific licence, by licence id
            (:class:`LicenseUsage`: value in the licence's currency, units). It replaces
            the licence's stored ``value_used``/``quantity_used``; the decision's
            ``drawdowns`` say what this transaction would add (the caller records it).

    Returns:
        A :class:`Decision`: the most restrictive finding outcome, every finding with its
        citations, the drawdown of limited licences, the rulebook id/version/snapshot and
        a digest of the inputs. A rule that fails gives a ``review_required`` finding
        naming the error (fail closed).

    Raises:
        InvalidInputError: ``as_of`` is not a date or an aware datetime, or ``usage`` is
            not a mapping of licence ids to :class:`LicenseUsage`.
        UnknownLicenseError: ``usage`` names a licence the rulebook does not hold (a
            misspelt id would otherwise leave that licence's drawdown uncounted).

    Example:
        >>> from tradecontrol import Rulebook, Transaction, evaluate
        >>> t = Transaction.from_dict({
        ...     "id": "WC-02", "date": "2019-05-17", "origin": "US", "destination": "CN",
        ...     "parties": [{"role": "ultimate_consignee",
        ...                  "entity": {"name": "Huawei Technologies Co., Ltd."}}],
        ...     "items": [{"description": "USB cables", "eccn": "EAR99"}]})
        >>> d = evaluate(t, Rulebook.default())
        >>> d.outcome.value, d.findings[0].review_policy.value
        ('license_required', 'presumption_of_denial')
        >>> import datetime
        >>> evaluate(t, Rulebook.default(), as_of=datetime.date(2019, 5, 10)).outcome.value
        'not_restricted'
    """
    if not isinstance(transaction, Transaction):
        raise InvalidInputError(
            f"expected a Transaction, got {type(transaction).__name__}; "
            "build one with Transaction.from_dict()",
            path="transaction",
        )
    if not isinstance(rulebook, Rulebook):
        raise InvalidInputError(
            f"expected a Rulebook, got {type(rulebook).__name__}; use Rulebook.default()",
            path="rulebook",
        )
    moment = transaction.date if as_of is None else as_of
    if isinstance(moment, str):
        try:
            moment = parse_moment(moment)
        except InvalidInputError as exc:
            raise InvalidInputError(exc.message, path="as_of") from None
    if not isinstance(moment, date) or (
        isinstance(moment, datetime) and moment.utcoffset() is None
    ):
        raise InvalidInputError("must be a date or an aware datetime", path="as_of")
    if usage is not None:
        _check_usage(usage, rulebook)
    findings: list[Finding] = []
    memo: Memo = {}
    context = EvaluationContext.build(transaction, rulebook, moment)
    for rule_id, rule, shared in _STEPS if RULES is _RULES else _steps(RULES):
        try:
            if shared:
                found = rule(transaction, rulebook, moment, context=context)  # type: ignore[call-arg]
            else:
                found = rule(transaction, rulebook, moment)
            if found:
                # apply_licenses returns any other finding unchanged: no call for it
                findings.extend(
                    [
                        apply_licenses(f, transaction, rulebook, moment, memo, usage)
                        if f.requirement in _LICENSABLE and f.outcome is f.requirement
                        else f
                        for f in found
                    ]
                )
        except Exception as exc:
            findings.append(_rule_error(rule_id, rulebook, exc))
    findings.extend(unknown_license_findings(transaction, rulebook))
    outcome = max((f.outcome for f in findings), default=Outcome.NOT_RESTRICTED)
    # Every value below was built and checked by this function, the rules (Finding's own
    # validators) or the validated inputs, so the Decision skips its input converters.
    return _trusted_decision(
        transaction_id=transaction.id,
        outcome=outcome,
        as_of=moment,
        rulebook=rulebook.plan.remember("rulebook ref", lambda: _ref(rulebook)),
        findings=tuple(findings),
        rules_checked=_RULE_IDS if RULES is _RULES else tuple(rule_id for rule_id, _ in RULES),
        cautions=_cautions(transaction, rulebook, moment, findings, context),
        digest=transaction_digest(transaction, rulebook, moment, usage),
        library_version=__version__,
        drawdowns=drawdowns(findings, transaction, rulebook, moment, usage),
        regimes=_regimes(transaction, rulebook, moment, context),
    )


def _ref(rulebook: Rulebook) -> RulebookRef:
    """The Decision's reference to ``rulebook`` (the same for every Decision it makes)."""
    return RulebookRef(id=rulebook.id, version=rulebook.version, snapshot=rulebook.snapshot)


def _check_usage(usage: object, rulebook: Rulebook) -> None:
    if not isinstance(usage, Mapping):
        raise InvalidInputError(
            f"expected a mapping of licence ids to LicenseUsage, got {type(usage).__name__}",
            path="usage",
        )
    for key, value in usage.items():
        if not isinstance(key, str) or not isinstance(value, LicenseUsage):
            raise InvalidInputError(
                "expected licence id -> LicenseUsage (build it with LicenseUsage.from_dict())",
                path=f"usage[{key!r}]",
            )
        if not rulebook.has_license(key):
            raise UnknownLicenseError(
                f"usage given for licence {key!r}, which rulebook {rulebook.id} does not hold",
                path=f"usage[{key!r}]",
            )


def _regimes(
    transaction: Transaction, rulebook: Rulebook, moment: Moment, context: EvaluationContext
) -> tuple[RegimeCheck, ...]:
    """The regime checks; none for a rulebook without the ``nexus.regimes`` rule.

    A check that fails counts as applying (fail closed) and says why.
    """
    try:
        rulebook.rule(NEXUS_RULE_ID)
    except TradeControlError:
        return ()
    memo = context._memo  # the rules asked for them already, as a rule: read them at once
    ear, ofac, eu, uk = memo.get("EAR"), memo.get("OFAC"), memo.get("EU"), memo.get("UK")
    if ear is not None and ofac is not None and eu is not None and uk is not None:
        return (ear, ofac, eu, uk)  # the order of Regime
    out = []
    for regime, known in zip(_ALL_REGIMES, (ear, ofac, eu, uk), strict=True):
        check = known
        if check is None:  # no rule asked for it (the EAR check, as a rule): check it here
            try:
                check = context.regime(regime)
            except Exception as exc:
                check = RegimeCheck(
                    regime=regime,
                    applies=True,
                    reason=f"{regime.value} could not be checked ({type(exc).__name__}: "
                    f"{exc}); it is treated as applying.",
                )
        out.append(check)
    return tuple(out)


_RULES = RULES
_RULE_IDS = tuple(rule_id for rule_id, _ in RULES)
"""The ids of :data:`~tradecontrol.rules.RULES` (``rules_checked`` of every Decision)."""

_ALL_REGIMES = tuple(Regime)
"""The regimes, in order (iterating the enum itself is slower)."""


def _steps(rules: tuple[tuple[str, Rule], ...]) -> tuple[tuple[str, Rule, bool], ...]:
    """``(rule id, rule, whether it takes the context)`` for each rule, in order.

    A rule takes the shared :class:`EvaluationContext` when it has a keyword parameter
    ``context``.
    """
    return tuple(
        (rule_id, rule, "context" in inspect.signature(rule).parameters) for rule_id, rule in rules
    )


_STEPS = _steps(RULES)
"""The steps of :data:`~tradecontrol.rules.RULES` (no signature look-up per rule and call)."""

_CONTEXT_RULES = frozenset(rule for _, rule, shared in _STEPS if shared)
"""Rules that take the shared :class:`EvaluationContext`."""


def _cautions(
    transaction: Transaction,
    rulebook: Rulebook,
    moment: Moment,
    findings: list[Finding],
    context: EvaluationContext,
) -> tuple[str, ...]:
    out = []
    day = moment.date() if isinstance(moment, datetime) else moment
    if day > rulebook.snapshot:
        out.append(
            f"as_of {moment.isoformat()} is after the rulebook snapshot "
            f"{rulebook.snapshot.isoformat()}: later list changes are not reflected"
        )
    if (rulebook.thresholds is None or rulebook.thresholds.fuzzy) and not scoring.AVAILABLE:
        out.append(
            "fuzzy name screening is off: the tradecontrol[screening] extra is not installed, "
            "so names were matched exactly after normalisation (a misspelt name is not caught)"
        )
    undated: dict[str, str] = {}
    for f in findings:
        if f.listing_id is None or f.outcome is Outcome.NOT_RESTRICTED or f.listing_id in undated:
            continue
        listing = rulebook.listing(f.listing_id)
        if listing.undated_at(moment):
            undated[f.listing_id] = listing.list_code
    if undated:
        out.append(
            "the source gives no listing date for "
            + ", ".join(f"{lid} ({code})" for lid, code in undated.items())
            + f": treated as in force on {moment.isoformat()}; check when it was listed"
        )
    if any(context.matches):
        out.extend(_unreached_matches(transaction, rulebook, moment, findings, context))
    unused = [name for name, _ in transaction.facts if name not in rulebook.fact_names]
    if unused:
        out.append(
            "facts not read by any rule of this rulebook (check the spelling): " + ", ".join(unused)
        )
    if transaction.end_use is not None and transaction.end_use not in rulebook.end_uses:
        out.append(
            f"end use {transaction.end_use!r} is not a code this rulebook tests; known codes: "
            + ", ".join(sorted(rulebook.end_uses))
        )
    return tuple(out)


def _unreached_matches(
    transaction: Transaction,
    rulebook: Rulebook,
    moment: Moment,
    findings: list[Finding],
    context: EvaluationContext,
) -> list[str]:
    """A caution per party matching a listing in force that no finding names.

    The rules that read the listing's list found nothing to restrict: their regime does
    not reach the deal (an SDN beside a deal with no U.S. nexus) or the items are outside
    them (EAR99 goods made abroad beside an Entity List party). The Decision must still
    show the match, never clear it silently. A list no rule reads for this kind of deal
    (section 889's list beside an export) is left out: it does not bear on the deal; so
    is a match when a rule reading its list made a finding for the party (the same entity
    is often listed twice, e.g. on the CSL and on OFAC's own file).
    """
    named = {(f.party_name, f.listing_id) for f in findings if f.listing_id is not None}
    acted = {(f.party_name, f.rule) for f in findings}  # a rule that spoke of the party
    kind = transaction.kind.value
    out = []
    for party, matches in context.party_matches():
        for m in matches:
            listing = m.listing
            name = party.entity.name
            if (name, listing.id) in named or listing.version_at(moment) is None:
                continue
            named.add((name, listing.id))
            readers = rulebook.rules_reading(listing.list_code, kind)
            if not readers:  # the list does not bear on this kind of deal (889 on exports)
                continue
            if any((name, rule_id) in acted for rule_id in readers):
                continue  # a reader acted on the party (through the same entity on another list)
            out.append(
                f"the {party.role.value.replace('_', ' ')} {name!r} matches {listing.id} "
                f"({listing.list_code}, {m.matched_name!r}), in force on {moment.isoformat()}, "
                f"but {', '.join(readers)} found nothing to restrict in this deal (see "
                "regimes for whose law reaches it); check it before relying on the outcome"
            )
    return out


def _rule_error(rule_id: str, rulebook: Rulebook, exc: Exception) -> Finding:
    authority = "tradecontrol"
    with contextlib.suppress(TradeControlError):
        authority = rulebook.rule(rule_id).authority
    return Finding(
        rule=rule_id,
        authority=authority,
        outcome=Outcome.REVIEW_REQUIRED,
        requirement=Outcome.REVIEW_REQUIRED,
        message=f"The rule could not be applied ({type(exc).__name__}: {exc}); "
        "the transaction needs review.",
    )
