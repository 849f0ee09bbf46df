"""The web-service how-to (examples/web_service.py) works as documented."""

from __future__ import annotations

import importlib.util
from types import ModuleType
from typing import Any

import pytest

from tests.conftest import ROOT, transaction

flask = pytest.importorskip("flask", reason="flask is in the test extra")


def _app() -> Any:
    spec = importlib.util.spec_from_file_location(
        "web_service", ROOT / "examples" / "web_service.py"
    )
    assert spec is not None and spec.loader is not None
    module: ModuleType = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.app


def test_evaluate_endpoint() -> None:
    client = _app().test_client()
    response = client.post("/evaluate", json=transaction("2019-05-17"))
    assert response.status_code == 200
    body = response.get_json()
    assert body["outcome"] == "license_required"
    assert body["findings"][0]["citations"][:2] == ["15 CFR 744.11", "15 CFR 744.16"]
    earlier = client.post("/evaluate?as_of=2019-05-10", json=transaction("2019-05-17"))
    assert earlier.get_json()["outcome"] == "not_restricted"


def test_bad_input_is_a_400_naming_the_field() -> None:
    client = _app().test_client()
    bad = {**transaction("2019-05-17"), "destination": "XX"}
    response = client.post("/evaluate", json=bad)
    assert response.status_code == 400
    assert response.get_json() == {"error": "'XX' is not an ISO 3166 code", "path": "destination"}
    assert (
        client.post("/evaluate?as_of=tomorrow", json=transaction("2019-05-17")).status_code == 400
    )


def test_rulebook_endpoint() -> None:
    body = _app().test_client().get("/rulebook").get_json()
    assert body["id"] == "tradecontrol-default" and body["snapshot"] == "2022-05-05"
