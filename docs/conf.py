"""Sphinx configuration for tradecontrol."""

from __future__ import annotations

import sys
from pathlib import Path

import tradecontrol

sys.path.insert(0, str(Path(__file__).parent / "_ext"))

project = "tradecontrol"
author = "tradecontrol contributors"
copyright = "2026, tradecontrol contributors"
release = tradecontrol.__version__
version = release

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
    "sphinx.ext.doctest",
    "huawei_timeline",
]
autodoc_typehints = "description"
autodoc_member_order = "bysource"
autodoc_default_options = {"members": True, "show-inheritance": False}
napoleon_google_docstring = True
napoleon_numpy_docstring = False
exclude_patterns = ["_build", "_generated"]
html_theme = "furo"
html_title = f"tradecontrol {release}"
doctest_global_setup = """
import datetime
from decimal import Decimal

import tradecontrol as tc
from tradecontrol import *  # noqa: F403
"""

# No network at build time, so no intersphinx inventories: standard-library types named in
# signatures are not cross-referenced (everything of tradecontrol's own must resolve).
nitpicky = True
nitpick_ignore_regex = [
    (
        r"py:(class|obj|data|func)",
        r"(datetime|decimal|enum|pathlib|collections\.abc|typing|json|types)\..*",
    ),
    (r"py:(class|obj)", r"(Self|ExceptionGroup|attrs\..*)"),
    # documented as tradecontrol.Percent (a NewType of Decimal)
    (r"py:class", r"tradecontrol\._validators\.Percent"),
    # the scoring engine's types are described in prose in docs/screening.rst
    (r"py:class", r"tradecontrol\.screening\.scoring\.(Prepared|Comparison|Feature|_\w+)"),
]
