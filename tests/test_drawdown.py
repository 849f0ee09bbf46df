"""Specific licences: drawdown against value and quantity limits, tolerance, licence exceptions.

WC-41 (value cap) and WC-42 (expiry) licence mechanics, with prior usage passed to the pure
``evaluate(..., usage=...)`` and the drawdown reported in the Decision. The consignee is a
listed Huawei affiliate so the Entity List supplies the licence requirement (the Country
Chart requirement of the unlisted WC-41/42 consignees is the destinations rule's).
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import build, party, transaction
from tradecontrol import (
    Decision,
    InvalidInputError,
    License,
    LicenseUsage,
    Outcome,
    Rulebook,
    evaluate,
)
from tradecontrol.drawdown import usage_from_dict

AFFILIATE = "Huawei International Co., Limited"


def _licence(
    *,
    limit: str | None = "100000",
    used: str = "0",
    quantity_limit: int | None = None,
    tolerance: str | None = None,
    end: str = "2026-12-31",
    kind: str = "specific",
) -> License:
    version: dict[str, Any] = {
        "window": {"start": "2023-01-01", "end": end},
        "citations": ["15 CFR 750.7"],
        "conditions": [{"test": "eccn_in", "values": ["3D001"], "label": "ECCN 3D001"}],
    }
    if limit is not None:
        version.update(value_limit=limit, value_used=used, currency="USD")
    if quantity_limit is not None:
        version["quantity_limit"] = quantity_limit
    if tolerance is not None:
        version["value_tolerance_percent"] = tolerance
    return License.from_dict(
        {
            "id": "D123456",
            "kind": kind,
            "issuer": "US-BIS",
            "title": "BIS licence D123456",
            "authorizes": ["ear.entity_list", "ear.country_chart"],
            "holder": "NetSoft Inc.",
            "versions": [version],
        }
    )


def _deal(
    items: list[dict[str, Any]] | None = None, date: str = "2024-06-01", **fields: Any
) -> dict[str, Any]:
    """A 3D001 shipment to a listed Huawei affiliate in Hong Kong (treated as China).

    3D001 items carry reason for control NS1, marked for China in the Country Chart, so the
    Country Chart rule and the Entity List both require the licence.
    """
    for item in items or []:
        if item.get("eccn") == "3D001":
            item.setdefault("reasons_for_control", ["NS1"])
    return transaction(
        date,
        destination="HK",
        parties=[party(AFFILIATE, country="HK")],
        items=items
        if items is not None
        else [
            {
                "eccn": "3D001",
                "value": "5000",
                "currency": "USD",
                "quantity": 1,
                "origin": "US",
                "reasons_for_control": ["NS1"],
            }
        ],
        licenses=["D123456"],
        **fields,
    )


def _decide(
    lic: License,
    data: dict[str, Any],
    rulebook: Rulebook,
    usage: dict[str, LicenseUsage] | None = None,
) -> Decision:
    return evaluate(build(data), rulebook.with_licenses([lic]), usage=usage)


# (case, licence kwargs, usage, item value, expected, reason fragment)
VALUE_CASES: list[tuple[str, dict[str, Any], dict[str, str] | None, str, Outcome, str]] = [
    ("WC-41-a usage passed", {}, {"value": "95000"}, "20000", Outcome.LICENSE_REQUIRED, "cap"),
    ("WC-41-b usage passed", {}, {"value": "95000"}, "5000", Outcome.AUTHORIZED, ""),
    ("one cent over", {}, {"value": "95000"}, "5000.01", Outcome.LICENSE_REQUIRED, "cap"),
    ("stored usage only", {"used": "95000"}, None, "5000.01", Outcome.LICENSE_REQUIRED, "cap"),
    ("usage replaces stored", {"used": "95000"}, {"value": "0"}, "20000", Outcome.AUTHORIZED, ""),
    (
        "within 10% tolerance",
        {"tolerance": "10"},
        {"value": "95000"},
        "15000",
        Outcome.AUTHORIZED,
        "",
    ),
    (
        "beyond 10% tolerance",
        {"tolerance": "10"},
        {"value": "95000"},
        "15000.01",
        Outcome.LICENSE_REQUIRED,
        "tolerance 10%",
    ),
]


@pytest.mark.parametrize(
    ("case", "kwargs", "prior", "value", "expected", "reason"),
    VALUE_CASES,
    ids=[c[0] for c in VALUE_CASES],
)
def test_value_limit_with_usage_and_tolerance(
    case: str,
    kwargs: dict[str, Any],
    prior: dict[str, str] | None,
    value: str,
    expected: Outcome,
    reason: str,
    rulebook: Rulebook,
) -> None:
    data = _deal([{"eccn": "3D001", "value": value, "currency": "USD", "origin": "US"}])
    usage = {"D123456": LicenseUsage.from_dict(prior)} if prior is not None else None
    decision = _decide(_licence(**kwargs), data, rulebook, usage)
    assert decision.outcome is expected, case
    deciding = decision.deciding
    assert deciding is not None
    if expected is Outcome.AUTHORIZED:
        assert deciding.license_id == "D123456"
        (drawdown,) = decision.drawdowns
        assert drawdown.value == Decimal(value)
    else:
        assert decision.drawdowns == ()
        failed = deciding.near_misses[0].failed
        assert any("value cap exceeded" in f and reason in f for f in failed), failed
        assert "value cap exceeded" in deciding.message


def test_drawdown_reports_the_transaction_and_what_is_left(rulebook: Rulebook) -> None:
    items = [
        {"eccn": "3D001", "value": "3000", "currency": "USD", "quantity": 2, "origin": "US"},
        {"eccn": "3D001", "value": "1500.50", "currency": "USD", "quantity": 1, "origin": "US"},
    ]
    lic = _licence(quantity_limit=10)
    usage = {"D123456": LicenseUsage(value="90000", quantity=4)}
    decision = _decide(lic, _deal(items), rulebook, usage)
    assert decision.outcome is Outcome.AUTHORIZED
    (d,) = decision.drawdowns
    assert (d.license_id, d.value, d.quantity, d.currency) == (
        "D123456",
        Decimal("4500.50"),
        3,
        "USD",
    )
    assert (d.value_used_before, d.quantity_used_before) == (Decimal("90000"), 4)
    assert (d.value_remaining, d.quantity_remaining) == (Decimal("5499.50"), 3)
    out = decision.to_dict()["drawdowns"]
    assert out == [
        {
            "license_id": "D123456",
            "value": "4500.50",
            "quantity": 3,
            "currency": "USD",
            "value_used_before": "90000",
            "quantity_used_before": 4,
            "value_remaining": "5499.50",
            "quantity_remaining": 3,
        }
    ]
    json.dumps(decision.to_dict())


@pytest.mark.parametrize(
    ("used", "quantity", "expected"),
    [
        (7, 3, Outcome.AUTHORIZED),
        (8, 3, Outcome.LICENSE_REQUIRED),
        (0, 11, Outcome.LICENSE_REQUIRED),
    ],
    ids=["exactly-at-limit", "one-unit-over", "single-shipment-over"],
)
def test_quantity_limit_has_no_tolerance(
    used: int, quantity: int, expected: Outcome, rulebook: Rulebook
) -> None:
    lic = _licence(limit="100000", tolerance="25", quantity_limit=10)
    items = [
        {"eccn": "3D001", "value": "10", "currency": "USD", "quantity": quantity, "origin": "US"}
    ]
    usage = {"D123456": LicenseUsage(quantity=used)}
    decision = _decide(lic, _deal(items), rulebook, usage)
    assert decision.outcome is expected
    if expected is not Outcome.AUTHORIZED:
        assert decision.deciding is not None
        assert "quantity limit exceeded" in decision.deciding.near_misses[0].failed[0]


def test_missing_quantity_fails_a_quantity_limited_licence(rulebook: Rulebook) -> None:
    lic = _licence(limit=None, quantity_limit=10)
    items = [{"eccn": "3D001", "origin": "US"}]
    decision = _decide(lic, _deal(items), rulebook)
    assert decision.outcome is Outcome.LICENSE_REQUIRED
    assert decision.deciding is not None
    assert "quantity not stated" in decision.deciding.near_misses[0].failed[0]


def test_out_of_scope_items_do_not_draw_down(rulebook: Rulebook) -> None:
    items = [
        {"eccn": "3D001", "value": "1000", "currency": "USD", "origin": "US"},
        {"eccn": "EAR99", "value": "99999", "currency": "USD", "origin": "US"},
    ]
    decision = _decide(_licence(), _deal(items), rulebook, {"D123456": LicenseUsage()})
    (d,) = decision.drawdowns
    assert d.value == Decimal("1000")
    # the EAR99 item is not covered by the licence's ECCN scope, so it still needs a licence
    assert decision.outcome is Outcome.LICENSE_REQUIRED


@pytest.mark.parametrize(
    ("date", "expected"),
    [("2026-12-31", Outcome.AUTHORIZED), ("2027-01-01", Outcome.LICENSE_REQUIRED)],
    ids=["last-day", "day-after"],
)
def test_expired_licence_says_why(date: str, expected: Outcome, rulebook: Rulebook) -> None:
    decision = _decide(_licence(), _deal(date=date), rulebook, {"D123456": LicenseUsage()})
    assert decision.outcome is expected
    if expected is Outcome.LICENSE_REQUIRED:
        assert decision.deciding is not None
        assert "not in force on 2027-01-01" in decision.deciding.near_misses[0].failed[0]
        assert decision.drawdowns == ()


def test_licence_exception_refused_for_entity_list_parties(rulebook: Rulebook) -> None:
    """15 CFR 744.16(b): no licence exceptions for Entity List parties; the finding says so."""
    exc = _licence(limit=None, kind="exception")
    decision = _decide(exc, _deal(), rulebook)
    assert decision.outcome is Outcome.LICENSE_REQUIRED
    deciding = decision.deciding
    assert deciding is not None
    assert deciding.near_misses[0].license_id == "D123456"
    assert "licence exceptions are unavailable" in deciding.near_misses[0].failed[0]


def test_usage_changes_the_digest_only_when_given(rulebook: Rulebook) -> None:
    rb = rulebook.with_licenses([_licence()])
    t = build(_deal())
    plain = evaluate(t, rb)
    assert evaluate(t, rb, usage={}).digest == plain.digest
    assert evaluate(t, rb, usage={"D123456": LicenseUsage(value="1")}).digest != plain.digest


def test_bad_usage_is_refused(rulebook: Rulebook) -> None:
    t = build(_deal())
    with pytest.raises(InvalidInputError, match="usage"):
        evaluate(t, rulebook, usage={"D123456": {"value": "1"}})  # type: ignore[dict-item]
    with pytest.raises(InvalidInputError, match=r"D1\.value"):
        usage_from_dict({"D1": {"value": "-5"}})
    with pytest.raises(InvalidInputError, match="quantity"):
        usage_from_dict({"D1": {"quantity": 1.5}})
    with pytest.raises(InvalidInputError, match="unknown field"):
        usage_from_dict({"D1": {"amount": 1}})


@settings(max_examples=60, deadline=None)
@given(
    used=st.integers(min_value=0, max_value=200_000),
    value=st.integers(min_value=0, max_value=200_000),
)
def test_authorized_exactly_when_the_shipment_fits(used: int, value: int) -> None:
    rulebook = Rulebook.default()
    data = _deal([{"eccn": "3D001", "value": str(value), "currency": "USD", "origin": "US"}])
    decision = _decide(_licence(), data, rulebook, {"D123456": LicenseUsage(value=used)})
    fits = used + value <= 100_000
    assert (decision.outcome is Outcome.AUTHORIZED) is fits
    if fits:
        assert decision.drawdowns[0].value_remaining == Decimal(100_000 - used - value)
