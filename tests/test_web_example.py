"""The web-service how-to (examples/web_service.py) works as documented."""

from __future__ import annotations

import importlib.util
from types import ModuleType
from typing import Any

import pytest

from tests.conftest import ROOT, transaction

flask = pytest.importorskip("flask", reason="flask is in the test extra")


def _app(monkeypatch: pytest.MonkeyPatch | None = None, lists: str = "") -> Any:
    if monkeypatch is not None:
        monkeypatch.setenv("TRADECONTROL_LISTS", lists)
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


@pytest.mark.parametrize(
    ("body", "content_type", "start"),
    [
        (b"{not json", "application/json", "not valid JSON: Expecting property name"),
        (b"", "application/json", "not valid JSON: Expecting value"),
        (b'{"id": "T", "id": ', "text/plain", "not valid JSON"),
        (b"\xff\xfe{", "application/json", "not valid JSON"),
        (b"[1, 2]", "application/json", "expected an object, got list"),
    ],
)
def test_malformed_json_is_a_json_400(body: bytes, content_type: str, start: str) -> None:
    response = _app().test_client().post("/evaluate", data=body, content_type=content_type)
    assert response.status_code == 400
    assert response.is_json, response.data[:80]
    answer = response.get_json()
    assert answer["error"].startswith(start) and answer["path"] == ""


def test_lists_loaded_at_start_up(monkeypatch: pytest.MonkeyPatch) -> None:
    listed = "Example Photonics Co., Ltd."
    order = transaction("2021-03-01", parties=[{"role": "end_user", "entity": {"name": listed}}])
    assert _app(monkeypatch).test_client().post("/evaluate", json=order).get_json()["outcome"] in (
        "not_restricted",
        "authorized",
    )
    client = _app(monkeypatch, str(ROOT / "tests/fixtures/lists/csl/sample.csv")).test_client()
    body = client.post("/evaluate", json=order).get_json()
    assert body["outcome"] == "license_required"
    assert [f["matched_name"] for f in body["findings"] if f["rule"] == "ear.entity_list"] == [
        f"{listed} (EXP)"
    ]
    assert "+listings." in client.get("/rulebook").get_json()["version"]


def test_http_errors_are_json() -> None:
    client = _app().test_client()
    too_big = client.post("/evaluate", data=b" " * (1 << 21), content_type="application/json")
    wrong_method = client.get("/evaluate")
    unknown = client.get("/nowhere")
    for response, status in ((too_big, 413), (wrong_method, 405), (unknown, 404)):
        assert response.status_code == status
        assert response.is_json and response.get_json()["path"] == ""
        assert response.get_json()["error"]
