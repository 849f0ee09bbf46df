"""Bundled, generated data files (see ``tools/`` for the scripts that write them)."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

__all__ = ["read_json"]


@cache
def read_json(name: str) -> Any:
    """Read a bundled JSON data file by name (cached: the files never change at run time).

    Args:
        name: File name inside ``tradecontrol/data``, e.g. ``"iso3166.json"``.

    Returns:
        The parsed JSON document. Callers must not mutate it.
    """
    text = resources.files(__name__).joinpath(name).read_text(encoding="utf-8")
    return json.loads(text)
