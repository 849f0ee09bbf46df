"""Every docs page's examples run on their own: each page imports what it uses.

The Sphinx doctest builder runs ``doctest_global_setup`` (docs/conf.py) before each page,
which would hide a missing import from a reader who copies the examples. Here each page runs
with empty globals instead, as in a fresh interpreter.
"""

from __future__ import annotations

import doctest
from pathlib import Path

import pytest

from tests.conftest import ROOT

DOCS = ROOT / "docs"
PAGES = sorted(p for p in DOCS.rglob("*.rst") if "_build" not in p.parts)
# Sphinx's doctest builder default flags, so both runs read the expected output alike.
FLAGS = doctest.ELLIPSIS | doctest.IGNORE_EXCEPTION_DETAIL | doctest.DONT_ACCEPT_TRUE_FOR_1


@pytest.mark.parametrize("page", PAGES, ids=[str(p.relative_to(DOCS)) for p in PAGES])
def test_page_examples_run_without_hidden_setup(page: Path) -> None:
    parser = doctest.DocTestParser()
    test = parser.get_doctest(
        page.read_text(encoding="utf-8"), {}, str(page.relative_to(ROOT)), str(page), 0
    )
    runner = doctest.DocTestRunner(optionflags=FLAGS)
    runner.run(test, clear_globs=True)
    result = runner.summarize(verbose=False)
    assert result.failed == 0, f"{page.name}: {result.failed} example(s) fail without conf.py setup"


def test_the_check_catches_a_missing_import() -> None:
    text = ">>> Rulebook.default().id\n'tradecontrol-default'\n"
    test = doctest.DocTestParser().get_doctest(text, {}, "page", "page.rst", 0)
    runner = doctest.DocTestRunner(optionflags=FLAGS)
    runner.run(test, out=lambda _: None)
    assert runner.summarize(verbose=False).failed == 1
