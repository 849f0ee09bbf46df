"""Screening score thresholds: :class:`Thresholds`.

Example:
    >>> Thresholds(match=0.95, review=0.85).status(0.9)
    'review'
"""

from __future__ import annotations

from typing import Any, Literal

import attrs

from tradecontrol import _validators as v
from tradecontrol._canonical import CanonicalJSON
from tradecontrol.errors import InvalidInputError
from tradecontrol.screening import scoring

__all__ = ["Status", "Thresholds"]

Status = Literal["match", "review"]


def _threshold(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidInputError(f"expected a number 0–1, got {type(value).__name__}")
    out = float(value)
    if not 0.0 <= out <= 1.0:
        raise InvalidInputError(f"{value!r} is not between 0 and 1")
    return out


@attrs.frozen(kw_only=True, slots=True, field_transformer=v.locate_errors)
class Thresholds(CanonicalJSON):
    """Score thresholds (0–1) of screening.

    Args:
        match: A score at or above it is a ``"match"``: the listing's rule applies as for
            an exact hit. Default ``tradecontrol.screening.scoring.DEFAULT_MATCH``.
        review: A score at or above it (and below ``match``) is a ``"review"`` candidate:
            ``evaluate`` gives ``review_required`` naming it. Default
            ``tradecontrol.screening.scoring.DEFAULT_REVIEW``; it may not be lower than
            ``tradecontrol.screening.scoring.CANDIDATE_FLOOR``.

        fuzzy: ``False`` screens exact-normalised names only (a party matches a listing when
            one of its names equals a listed name or alias after normalisation, score 1.0):
            no candidate index is built and nothing is scored, which is the fast mode for
            batches of clean names. The thresholds then play no part. Default ``True``.

    Raises:
        InvalidInputError: A threshold outside 0–1, ``review`` above ``match``, or
            ``review`` below the candidate floor.

    Example:
        >>> from tradecontrol.screening import scoring
        >>> t = Thresholds(match=0.95)
        >>> t.match, t.review == scoring.DEFAULT_REVIEW
        (0.95, True)
        >>> Thresholds(fuzzy=False).fuzzy
        False
        >>> Thresholds(match=0.7, review=0.9)
        Traceback (most recent call last):
        ...
        tradecontrol.errors.InvalidInputError: review threshold 0.9 is above the match threshold 0.7
    """

    match: float = attrs.field(default=scoring.DEFAULT_MATCH, converter=_threshold)
    review: float = attrs.field(default=scoring.DEFAULT_REVIEW, converter=_threshold)
    fuzzy: bool = attrs.field(default=True, validator=attrs.validators.instance_of(bool))

    def __attrs_post_init__(self) -> None:
        if self.review > self.match:
            raise InvalidInputError(
                f"review threshold {self.review} is above the match threshold {self.match}"
            )
        if self.review < scoring.CANDIDATE_FLOOR:
            raise InvalidInputError(
                f"review threshold {self.review} is below the candidate floor "
                f"{scoring.CANDIDATE_FLOOR}",
                path="review",
            )

    def status(self, score: float) -> Status | None:
        """``"match"``, ``"review"`` or ``None`` (no candidate) for a score."""
        if score >= self.match:
            return "match"
        if score >= self.review:
            return "review"
        return None
