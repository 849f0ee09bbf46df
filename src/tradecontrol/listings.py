"""Listings: designations of an entity on a restricted-party list, with their history.

A :class:`Listing` names the list (``EL`` for the BIS Entity List), the authority and the
entity, and keeps a :class:`ListingVersion` for each period with the licence requirement,
licence review policy and Federal Register citations then in force (15 CFR 744 Supp. 4
columns). Evaluation uses the version in force at ``as_of``.

Example:
    >>> from tradecontrol import Rulebook
    >>> rb = Rulebook.default()
    >>> huawei = rb.match_entity_name("Huawei Technologies Co., Ltd.")[0].listing
    >>> huawei.versions[0].window.start.isoformat()
    '2019-05-16T16:15:00-04:00'
"""

from __future__ import annotations

import enum

import attrs

from tradecontrol import _validators as v
from tradecontrol._canonical import CanonicalJSON
from tradecontrol._time import Moment, Position, Window, check_oldest_first
from tradecontrol.conditions import Condition
from tradecontrol.decision import ReviewPolicy
from tradecontrol.entities import Entity
from tradecontrol.errors import InvalidInputError

__all__ = [
    "LicenseRequirement",
    "Listing",
    "ListingVersion",
    "RequirementException",
    "RequirementScope",
]


class RequirementScope(enum.Enum):
    """Which items a listing's licence requirement reaches.

    Example:
        >>> RequirementScope("all_items_subject_to_ear")
        <RequirementScope.ALL_ITEMS_SUBJECT_TO_EAR: 'all_items_subject_to_ear'>
    """

    ALL_ITEMS_SUBJECT_TO_EAR = "all_items_subject_to_ear"
    """"For all items subject to the EAR" (EAR99 included), 15 CFR 744.11."""
    AS_STATED = "as_stated"
    """Items as the entry's text states them, which is kept unstructured for a person to read."""


@attrs.frozen(kw_only=True, slots=True, field_transformer=v.locate_errors)
class RequirementException:
    """An exception stated in the entry's licence requirement (all conditions must hold).

    Args:
        label: What is excepted, in words.
        citations: Where the exception comes from (``85 FR 36720``).
        conditions: When it applies.

    Example:
        >>> from tradecontrol.conditions import Condition
        >>> RequirementException(label="EAR99 technology for standards", conditions=[
        ...     Condition(test="eccn_in", values=["EAR99"], label="EAR99")]).label
        'EAR99 technology for standards'
    """

    label: str = attrs.field(converter=v.text)
    conditions: tuple[Condition, ...] = attrs.field(converter=v.freeze, validator=v.each(Condition))
    citations: tuple[str, ...] = attrs.field(default=(), converter=v.text_tuple)


@attrs.frozen(kw_only=True, slots=True, field_transformer=v.locate_errors)
class LicenseRequirement:
    """The "License requirement" column of an entry.

    Args:
        scope: A :class:`RequirementScope`.
        text: The requirement as the list states it.
        exceptions: Structured exceptions stated in the text.
        license_exceptions_available: False where 15 CFR 744.16(b) bars licence exceptions.

    Example:
        >>> LicenseRequirement(scope="all_items_subject_to_ear",
        ...                    text="For all items subject to the EAR.").scope.value
        'all_items_subject_to_ear'
    """

    scope: RequirementScope = attrs.field(converter=RequirementScope)
    text: str = attrs.field(converter=v.text)
    exceptions: tuple[RequirementException, ...] = attrs.field(
        default=(), converter=v.freeze, validator=v.each(RequirementException)
    )
    license_exceptions_available: bool = False


def _opt_policy(value: object) -> ReviewPolicy | None:
    return None if value is None else ReviewPolicy(value)


@attrs.frozen(kw_only=True, slots=True, field_transformer=v.locate_errors)
class ListingVersion:
    """A listing's terms during one period.

    Args:
        window: When in force: effective date or time (Federal Register effective date, not
            the publication date) through removal (``None`` while listed).
        license_requirement: The licence requirement (Entity List and similar lists);
            ``None`` for lists that block or freeze rather than require a licence.
        review_policy: The licence review policy, where the list states one (the most
            restrictive one named when the text names several).
        review_policy_text: The review policy as the list writes it.
        published_start: True when ``window.start`` is the date the list *published* the
            entry (the CSL's ``start_date``), which may be later than its effective date.
        citations: Federal Register citations for this version (``84 FR 22961``).
        note: What changed.

    Example:
        >>> ListingVersion(window=Window(start="2019-08-19"),
        ...                review_policy="presumption_of_denial").review_policy.value
        'presumption_of_denial'
    """

    window: Window = attrs.field(validator=v.instance(Window))
    license_requirement: LicenseRequirement | None = attrs.field(
        default=None, validator=attrs.validators.optional(v.instance(LicenseRequirement))
    )
    review_policy: ReviewPolicy | None = attrs.field(default=None, converter=_opt_policy)
    review_policy_text: str | None = attrs.field(default=None, converter=v.optional_text)
    published_start: bool = False
    citations: tuple[str, ...] = attrs.field(default=(), converter=v.text_tuple)
    note: str | None = attrs.field(default=None, converter=v.optional_text)


@attrs.frozen(kw_only=True, slots=True, field_transformer=v.locate_errors)
class Listing(CanonicalJSON):
    """A designation of one entity on one list.

    Args:
        id: Stable id, prefixed by source (``us-el-d05d55fa214aff19``).
        list_code: ``EL`` (Entity List), ``SDN``, ``DPL``…
        authority: ``US-BIS``, ``US-OFAC``, ``EU``, ``UK``, ``UN``.
        entity: The listed entity (name, aliases, country, addresses).
        versions: The designation over time, oldest first.
        programs: Sanctions programmes, where the list names them.
        source_url: Where the list publishes the entry.
        remarks: Free text from the list.

    Raises:
        InvalidInputError: Malformed fields, no versions, or versions not oldest first.

    Example:
        >>> from tradecontrol.entities import Entity
        >>> listing = Listing(id="acme-1", list_code="INTERNAL", authority="ACME",
        ...                   entity=Entity(name="Example Trading Ltd."),
        ...                   versions=[ListingVersion(window=Window(start="2024-01-01"))])
        >>> import datetime
        >>> listing.version_at(datetime.date(2023, 12, 31)) is None
        True
    """

    id: str = attrs.field(converter=v.text)
    list_code: str = attrs.field(converter=v.text)
    authority: str = attrs.field(converter=v.text)
    entity: Entity = attrs.field(validator=v.instance(Entity))
    versions: tuple[ListingVersion, ...] = attrs.field(
        converter=v.freeze, validator=v.each(ListingVersion)
    )
    programs: tuple[str, ...] = attrs.field(default=(), converter=v.text_tuple)
    source_url: str | None = attrs.field(default=None, converter=v.optional_text)
    remarks: str | None = attrs.field(default=None, converter=v.optional_text)

    def __attrs_post_init__(self) -> None:
        if not self.versions:
            raise InvalidInputError("a listing needs at least one version", path="versions")
        check_oldest_first([ver.window for ver in self.versions])

    def undated_at(self, moment: Moment) -> bool:
        """True when the version in force at ``moment`` has no start date in the source.

        Such a listing is treated as in force, and Decisions caution about it.

        Example:
            >>> import datetime
            >>> from tradecontrol.entities import Entity
            >>> Listing(id="x", list_code="SDN", authority="US-OFAC", entity=Entity(name="X"),
            ...         versions=[ListingVersion(window=Window())]).undated_at(
            ...     datetime.date(2020, 1, 1))
            True
        """
        found = self.version_at(moment)
        return found is not None and found[0].window.start is None

    def version_at(self, moment: Moment) -> tuple[ListingVersion, Position] | None:
        """The version in force at ``moment`` and where ``moment`` stands in its window.

        A date-only moment on the day a version takes effect at a clock time counts as in
        force (``Position.START_DAY``), the conservative reading (DESIGN.md §3).

        Returns:
            ``(version, position)`` or ``None`` when not listed at ``moment``.
        """
        found = None
        for version in self.versions:
            position = version.window.position(moment)
            if position not in (Position.BEFORE, Position.AFTER):
                found = (version, position)
        return found
