"""JSON Schemas of the canonical JSON, generated from the value classes.

:func:`json_schema` walks an attrs class's fields and type hints and returns a JSON Schema
(draft 2020-12) for the JSON that its ``from_dict`` reads and ``to_dict`` writes: objects
with their properties, the required ones, no other keys; decimals as strings or numbers;
dates as ISO 8601 strings; enums by value.

Example:
    >>> from tradecontrol import Transaction
    >>> from tradecontrol.schema import json_schema
    >>> s = json_schema(Transaction)
    >>> s["$ref"], sorted(s["$defs"]["Transaction"]["required"])
    ('#/$defs/Transaction', ['date', 'id'])
    >>> s["$defs"]["Party"]["properties"]["role"]["enum"][:2]
    ['exporter', 'purchaser']
"""

from __future__ import annotations

import datetime
import enum
import types
import typing
from decimal import Decimal
from typing import Any

import attrs

from tradecontrol import _validators as v
from tradecontrol.jurisdictions import Jurisdiction

__all__ = ["json_schema"]

DIALECT = "https://json-schema.org/draft/2020-12/schema"

_DATE = {"type": "string", "format": "date"}
_DATETIME = {"type": "string", "format": "date-time"}
_SCALAR_FACT = {"type": ["boolean", "string", "number"]}


def _is_fact_pair(tp: Any) -> bool:
    from tradecontrol.transactions import FactValue

    return typing.get_origin(tp) is tuple and typing.get_args(tp) == (str, FactValue)


def _schema(tp: Any, defs: dict[str, Any]) -> dict[str, Any]:
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin in (typing.Union, types.UnionType):
        members = [a for a in args if a is not type(None)]
        if set(members) == {datetime.date, datetime.datetime}:
            inner: dict[str, Any] = {"anyOf": [_DATE, _DATETIME]}
        else:
            inner = (
                _schema(members[0], defs)
                if len(members) == 1
                else {"anyOf": [_schema(m, defs) for m in members]}
            )
        return {"anyOf": [inner, {"type": "null"}]} if type(None) in args else inner
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        if _is_fact_pair(args[0]):
            return {"type": "object", "additionalProperties": _SCALAR_FACT}
        return {"type": "array", "items": _schema(args[0], defs)}
    if tp is str:
        return {"type": "string", "minLength": 1, "maxLength": v.MAX_TEXT}
    if tp is bool:
        return {"type": "boolean"}
    if tp is int:
        return {"type": "integer", "minimum": 0}
    if tp is v.Percent:
        return {"type": ["string", "number"], "description": "percent, 0 to 100"}
    if tp is Decimal:
        return {"type": ["string", "number"], "description": "decimal number"}
    if tp is datetime.datetime:
        return _DATETIME
    if tp is datetime.date:
        return _DATE
    if tp is Jurisdiction:
        return {
            "type": "string",
            "pattern": "^[A-Za-z]{2}(-[A-Za-z0-9]{1,3})?$",
            "description": "ISO 3166-1 alpha-2, ISO 3166-2 or EU",
        }
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return {"enum": [m.value for m in tp]}
    if isinstance(tp, type) and attrs.has(tp):
        return _object(tp, defs)
    if tp is Any or tp is object:
        return {}
    raise TypeError(f"no JSON Schema for {tp!r}")


def _object(cls: type, defs: dict[str, Any]) -> dict[str, Any]:
    name = cls.__name__
    ref = {"$ref": f"#/$defs/{name}"}
    if name in defs:
        return ref
    defs[name] = {}  # placeholder for recursive types
    hints = typing.get_type_hints(cls)
    properties: dict[str, Any] = {}
    required: list[str] = []
    for field in attrs.fields(cls):
        if not field.init or field.name.startswith("_"):
            continue
        properties[field.name] = _schema(hints[field.name], defs)
        if field.default is attrs.NOTHING:
            required.append(field.name)
    doc = (cls.__doc__ or "").strip().splitlines()
    defs[name] = {
        "type": "object",
        "description": doc[0] if doc else name,
        "properties": properties,
        "required": required,
        "additionalProperties": False,
    }
    return ref


def json_schema(cls: type) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a value class's canonical JSON.

    Args:
        cls: An attrs value class such as :class:`~tradecontrol.Transaction`,
            :class:`~tradecontrol.Listing` or :class:`~tradecontrol.Decision`.

    Returns:
        A JSON-serialisable schema with the class and every nested class under ``$defs``.

    Raises:
        TypeError: ``cls`` has a field type with no JSON form.
    """
    defs: dict[str, Any] = {}
    ref = _object(cls, defs)
    return {"$schema": DIALECT, "title": cls.__name__, **ref, "$defs": defs}
