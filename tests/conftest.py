"""Shared fixtures and builders for the test suite."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from tradecontrol import Rulebook, Transaction

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"

HUAWEI = "Huawei Technologies Co., Ltd."


def party(name: str, role: str = "ultimate_consignee", country: str = "CN") -> dict[str, Any]:
    return {"role": role, "entity": {"name": name, "country": country}}


def transaction(
    date: str,
    *,
    parties: list[dict[str, Any]] | None = None,
    items: list[dict[str, Any]] | None = None,
    **fields: Any,
) -> dict[str, Any]:
    """A canonical-JSON transaction: a U.S. exporter shipping EAR99 USB cables to Huawei."""
    data: dict[str, Any] = {
        "id": fields.pop("id", "T"),
        "date": date,
        "kind": "export",
        "origin": "US",
        "destination": "CN",
        "parties": [party("Acme Cables Inc.", "exporter", "US")]
        + (parties if parties is not None else [party(HUAWEI)]),
        "items": items
        if items is not None
        else [{"description": "USB cables", "eccn": "EAR99", "origin": "US"}],
    }
    data.update(fields)
    return copy.deepcopy(data)


@pytest.fixture(scope="session")
def rulebook() -> Rulebook:
    return Rulebook.default()


def build(data: dict[str, Any]) -> Transaction:
    return Transaction.from_dict(data)
