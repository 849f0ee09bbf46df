"""Sphinx configuration for tradecontrol."""

from __future__ import annotations

import sys
from pathlib import Path

import tradecontrol

sys.path.insert(0, str(Path(__file__).parent / "_ext"))

import offline_intersphinx

project = "tradecontrol"
author = "tradecontrol contributors"
copyright = "2026, tradecontrol contributors"
release = tradecontrol.__version__
version = release

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
    "sphinx.ext.doctest",
    "sphinx.ext.intersphinx",
    "myst_parser",
    "huawei_timeline",
    "ownership_graph",
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

# No network at build time: the Python and attrs inventories are generated locally from the
# installed modules (docs/_ext/offline_intersphinx.py); links point at the online docs.
intersphinx_mapping = offline_intersphinx.mapping(Path(__file__).parent / "_generated" / "inv")
nitpicky = True
nitpick_ignore_regex = [
    # documented as tradecontrol.Percent (a NewType of Decimal)
    (r"py:class", r"tradecontrol\._validators\.Percent"),
    # the scoring engine's types are described in prose in docs/screening.rst
    (r"py:class", r"tradecontrol\.screening\.scoring\.(Prepared|Comparison|Feature|_\w+)"),
    # the date-or-aware-datetime alias tradecontrol._time.Moment, unresolved where the
    # signature also names a type imported only for type checking (circular imports)
    (r"py:class", r"Moment"),
    # Decimal in attrs fields of modules whose type hints name TYPE_CHECKING-only imports
    (r"py:class", r"Decimal"),
    # the type variable of tradecontrol.plan.Plan.remember
    (r"py:class", r"tradecontrol\.plan\.T"),
    # dask (no inventory here)
    (r"py:(class|obj|func)", r"dask\..*"),
]
