"""Intersphinx inventories for Python and attrs, generated offline at build time.

The docs build runs without network access, so the usual ``objects.inv`` downloads are not
possible. This module writes small inventories instead, by introspecting the installed
standard-library modules and attrs: every public class, function and constant of the listed
modules becomes an entry pointing at its page on docs.python.org or attrs.org, in the URL
scheme those sites use (``library/<module>.html#<name>``; attrs' ``api.html#<name>``).
Links therefore point at the real online documentation; only the index is built locally.
The inventories are written with sphobjinv (``pip install '.[docs]'``).
"""

from __future__ import annotations

import builtins
import importlib
import inspect
from pathlib import Path

import sphobjinv as soi

PYTHON_URL = "https://docs.python.org/3"
ATTRS_URL = "https://www.attrs.org/en/stable"

#: Standard-library modules whose public names the reference may mention.
PYTHON_MODULES = (
    "collections.abc",
    "datetime",
    "decimal",
    "enum",
    "fractions",
    "io",
    "json",
    "os",
    "pathlib",
    "types",
    "typing",
    "zoneinfo",
    "concurrent.futures",
    "multiprocessing",
)
ATTRS_MODULES = ("attrs",)


def _role(obj: object) -> str:
    if inspect.isclass(obj):
        return "exception" if issubclass(obj, BaseException) else "class"
    if inspect.isfunction(obj) or inspect.isbuiltin(obj):
        return "function"
    return "data"


def _entries(module_name: str, page: str) -> list[soi.DataObjStr]:
    module = importlib.import_module(module_name)
    out = [
        soi.DataObjStr(
            name=module_name, domain="py", role="module", priority="0", uri=page, dispname="-"
        )
    ]
    names = [*getattr(module, "__all__", ()), *(n for n in dir(module) if not n.startswith("_"))]
    for name in sorted(set(names)):
        obj = getattr(module, name, None)
        if obj is None or inspect.ismodule(obj):
            continue
        out.append(
            soi.DataObjStr(
                name=f"{module_name}.{name}",
                domain="py",
                role=_role(obj),
                priority="1",
                uri=f"{page}#$",
                dispname="-",
            )
        )
    return out


def _write(path: Path, project: str, version: str, entries: list[soi.DataObjStr]) -> Path:
    inventory = soi.Inventory()
    inventory.project = project
    inventory.version = version
    inventory.objects.extend(entries)
    path.parent.mkdir(parents=True, exist_ok=True)
    soi.writebytes(path, soi.compress(inventory.data_file(contract=True)))
    return path


def python_inventory(path: Path) -> Path:
    """Write the Python inventory (modules above plus built-in exceptions) to ``path``."""
    import sys

    entries: list[soi.DataObjStr] = []
    for module in PYTHON_MODULES:
        entries.extend(_entries(module, f"library/{module}.html"))
    for name in dir(builtins):
        obj = getattr(builtins, name)
        if inspect.isclass(obj) and issubclass(obj, BaseException):
            entries.append(
                soi.DataObjStr(
                    name=name,
                    domain="py",
                    role="exception",
                    priority="1",
                    uri="library/exceptions.html#$",
                    dispname="-",
                )
            )
    version = f"{sys.version_info.major}.{sys.version_info.minor}"
    return _write(path, "Python", version, entries)


def attrs_inventory(path: Path) -> Path:
    """Write the attrs inventory (public names of ``attrs``) to ``path``."""
    import attrs

    entries: list[soi.DataObjStr] = []
    for module in ATTRS_MODULES:
        entries.extend(_entries(module, "api.html"))
    return _write(path, "attrs", attrs.__version__, entries)


def mapping(folder: Path) -> dict[str, tuple[str, str]]:
    """Generate both inventories into ``folder`` and return an ``intersphinx_mapping``."""
    return {
        "python": (PYTHON_URL, str(python_inventory(folder / "python.inv"))),
        "attrs": (ATTRS_URL, str(attrs_inventory(folder / "attrs.inv"))),
    }
