"""Documentation: every public name is in the API reference and shows an example."""

from __future__ import annotations

import inspect

import pytest

import tradecontrol
from tests.conftest import ROOT

API = (ROOT / "docs" / "api.rst").read_text(encoding="utf-8")
NAMES = [n for n in tradecontrol.__all__ if n != "__version__"]


@pytest.mark.parametrize("name", NAMES)
def test_public_name_is_documented_with_an_example(name: str) -> None:
    obj = getattr(tradecontrol, name)
    module = obj.__module__
    documented = (
        f"tradecontrol.{name}" in API
        or f"{module}.{name}" in API
        or f".. automodule:: {module}" in API
    )
    assert documented, f"{name} is not in docs/api.rst"
    doc = inspect.getdoc(obj) or ""
    assert ">>>" in doc, f"{name}'s docstring has no example"
    assert "Example" in doc


def test_version_is_a_string() -> None:
    assert isinstance(tradecontrol.__version__, str) and tradecontrol.__version__.count(".") == 2


def test_transaction_page_lists_every_end_use_and_fact_of_the_bundled_rulebook() -> None:
    """docs/transactions.rst names every end-use code and fact a bundled rule tests."""
    from pathlib import Path

    from tradecontrol import Rulebook

    page = (Path(__file__).resolve().parent.parent / "docs" / "transactions.rst").read_text(
        encoding="utf-8"
    )
    rulebook = Rulebook.default()
    missing = [f"``{x}``" for x in (*rulebook.end_uses, *rulebook.fact_names)]
    assert [x for x in missing if x not in page] == []
