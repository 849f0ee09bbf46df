"""Licences: general licences, specific licences, licence exceptions and savings clauses.

A :class:`License` keeps its history as :class:`LicenseVersion` objects, each with its
validity window, Federal Register citations and scope. Scope is data: the rules whose
requirement it can authorize, the listings it covers (by the Federal Register rule that
listed them), conditions over the transaction and its facts, and an optional value limit.

Example:
    >>> from tradecontrol import Rulebook
    >>> tgl = Rulebook.default().license("TGL-744-SUPP7-C1")
    >>> [ver.window.describe() for ver in tgl.versions][:2]
    ['2019-05-20 through 2019-08-19', '2019-08-19 through 2019-11-18']
"""

from __future__ import annotations

import enum
from decimal import Decimal

import attrs

from tradecontrol import _validators as v
from tradecontrol._canonical import CanonicalJSON
from tradecontrol._time import Moment, Window, check_oldest_first
from tradecontrol.conditions import Condition
from tradecontrol.errors import InvalidInputError

__all__ = ["License", "LicenseKind", "LicenseVersion"]


class LicenseKind(enum.Enum):
    """How a licence is granted.

    Example:
        >>> LicenseKind("specific")
        <LicenseKind.SPECIFIC: 'specific'>
    """

    GENERAL = "general"
    """Published by the authority; applies by itself when in scope (e.g. the Huawei TGL)."""
    SPECIFIC = "specific"
    """Issued to one holder; applies only when the transaction lists its id."""
    EXCEPTION = "exception"
    """A licence exception (15 CFR 740); unavailable where a rule says so (744.16(b))."""
    SAVINGS_CLAUSE = "savings_clause"
    """A rule's transition clause (e.g. shipments en route when a listing took effect)."""


@attrs.frozen(kw_only=True, slots=True, field_transformer=v.locate_errors)
class LicenseVersion:
    """A licence's terms during one validity window.

    Args:
        window: When these terms are in force (inclusive; date bounds in US Eastern time).
        citations: Federal Register citations of the rule that set these terms.
        listing_citations: When not empty, the licence covers only restrictions from
            listings citing one of these Federal Register rules (e.g. ``84 FR 22961``).
        conditions: Every condition must hold (scope, activities, facts, exclusions).
        value_limit: Maximum total value authorized, in ``currency``.
        value_used: Value already shipped against the limit (drawdown), in ``currency``;
            the ``usage`` argument of :func:`~tradecontrol.evaluate` replaces it.
        currency: ISO 4217 code of the value limit.
        value_tolerance_percent: How far (percent 0–100 of ``value_limit``) the shipped value
            may exceed the limit; 0 (the default) means none, as for ECCNs whose unit is
            "$ value" under the older 15 CFR 750.11 text. State the licence's own figure.
        quantity_limit: Maximum total number of units authorized (no tolerance: 15 CFR
            750.11 never lets the number of units exceed the licence).
        quantity_used: Units already shipped against ``quantity_limit``.
        listing_ids: When not empty, the licence covers only restrictions from these
            listings (a general licence naming some entities of a rule, e.g. the ZTE TGL).
        note: A sentence on what changed in this version.

    Example:
        >>> v = LicenseVersion(window=Window(end="2024-03-31"), value_limit="100000",
        ...                    currency="USD")
        >>> v.value_limit - v.value_used
        Decimal('100000')
    """

    window: Window = attrs.field(validator=v.instance(Window))
    citations: tuple[str, ...] = attrs.field(default=(), converter=v.text_tuple)
    listing_citations: tuple[str, ...] = attrs.field(default=(), converter=v.text_tuple)
    conditions: tuple[Condition, ...] = attrs.field(
        default=(), converter=v.freeze, validator=v.each(Condition)
    )
    value_limit: Decimal | None = attrs.field(default=None, converter=v.opt_non_negative_decimal)
    value_used: Decimal = attrs.field(default=Decimal(0), converter=v.non_negative_decimal)
    currency: str | None = attrs.field(default=None, converter=v.opt_currency)
    value_tolerance_percent: v.Percent = attrs.field(
        default=v.Percent(Decimal(0)), converter=v.percent
    )
    quantity_limit: int | None = attrs.field(default=None, converter=v.opt_non_negative_int)
    quantity_used: int = attrs.field(default=0, converter=v.non_negative_int)
    listing_ids: tuple[str, ...] = attrs.field(default=(), converter=v.text_tuple)
    note: str | None = attrs.field(default=None, converter=v.optional_text)

    def __attrs_post_init__(self) -> None:
        if self.value_limit is not None and self.currency is None:
            raise InvalidInputError("a value limit needs a currency", path="currency")

    @property
    def has_limits(self) -> bool:
        """True when the version caps value or quantity (so transactions draw it down)."""
        return self.value_limit is not None or self.quantity_limit is not None


@attrs.frozen(kw_only=True, slots=True, field_transformer=v.locate_errors)
class License(CanonicalJSON):
    """A licence with its history.

    Args:
        id: Stable id (``TGL-744-SUPP7-C1``, ``D123456``).
        kind: A :class:`LicenseKind`.
        issuer: Authority, e.g. ``US-BIS``.
        title: Short human title.
        authorizes: Rule ids whose requirement it can authorize (``ear.entity_list``).
        holder: For specific licences, the licensee's name.
        citations: Citations that apply to every version (e.g. ``15 CFR 744 Supp. 7``).
        versions: The terms over time, oldest first; the one in force at ``as_of`` is
            used (the latest starting one where windows overlap on a boundary day).

    Raises:
        InvalidInputError: Malformed fields, no versions, or versions not oldest first.

    Example:
        >>> lic = License(id="D123456", kind="specific", issuer="US-BIS", title="BIS licence",
        ...               authorizes=["ear.entity_list"],
        ...               versions=[LicenseVersion(window=Window(end="2024-03-31"))])
        >>> import datetime
        >>> lic.version_at(datetime.date(2024, 4, 1)) is None
        True
    """

    id: str = attrs.field(converter=v.text)
    kind: LicenseKind = attrs.field(converter=LicenseKind)
    issuer: str = attrs.field(converter=v.text)
    title: str = attrs.field(converter=v.text)
    authorizes: tuple[str, ...] = attrs.field(converter=v.text_tuple)
    versions: tuple[LicenseVersion, ...] = attrs.field(
        converter=v.freeze, validator=v.each(LicenseVersion)
    )
    holder: str | None = attrs.field(default=None, converter=v.optional_text)
    citations: tuple[str, ...] = attrs.field(default=(), converter=v.text_tuple)

    _item_bound: bool = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        if not self.versions:
            raise InvalidInputError("a licence needs at least one version", path="versions")
        check_oldest_first([ver.window for ver in self.versions])
        object.__setattr__(
            self,
            "_item_bound",
            any(
                ver.has_limits or any(c.is_item_test for c in ver.conditions)
                for ver in self.versions
            ),
        )
        if not self.authorizes:
            raise InvalidInputError(
                "a licence must name the rules it authorizes", path="authorizes"
            )

    @property
    def item_bound(self) -> bool:
        """True when the licence's answer can differ from item to item (ECCN scope, value)."""
        return self._item_bound

    def version_at(self, moment: Moment) -> LicenseVersion | None:
        """The version in force at ``moment`` (clock-time boundary days excluded), or None."""
        from tradecontrol._time import Position

        found = None
        for version in self.versions:
            if version.window.position(moment) is Position.INSIDE:
                found = version
        return found

    def covers_listing(self, citations: tuple[str, ...], listing_id: str | None = None) -> bool:
        """True when some version covers a listing citing one of ``citations``.

        Args:
            citations: The listing version's Federal Register citations (not checked when
                empty).
            listing_id: The listing's id, checked against versions that name listings.
        """
        return any(
            (
                not citations
                or not ver.listing_citations
                or set(ver.listing_citations) & set(citations)
            )
            and (not ver.listing_ids or listing_id in ver.listing_ids)
            for ver in self.versions
        )
