"""Canonical JSON structuring and unstructuring with cattrs (internal).

``structure(data, cls)`` turns parsed JSON into validated value objects and reports every
problem with its JSON path; ``unstructure(obj)`` writes the canonical JSON (defaults and
empty collections left out, Decimals and dates as strings).
"""

from __future__ import annotations

import enum
import functools
import json
import math
import operator
import types
import typing
from collections.abc import Callable, Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal, TypeVar

import attrs
import cattrs
from cattrs.errors import (
    ClassValidationError,
    ForbiddenExtraKeysError,
    IterableValidationError,
    StructureHandlerNotFoundError,
)
from cattrs.fns import identity, raise_error
from cattrs.gen import make_dict_structure_fn

from tradecontrol import _validators as v
from tradecontrol._time import Moment, parse_moment
from tradecontrol.entities import MAX_OWNERSHIP_ENTITIES, Entity
from tradecontrol.errors import InvalidInputError, TradeControlError
from tradecontrol.jurisdictions import Jurisdiction
from tradecontrol.transactions import FactValue, _facts

T = TypeVar("T")

MAX_DEPTH = 128
"""Deepest JSON nesting accepted (an ownership level nests three deep)."""


class _PathErrors(Exception):
    """Problems already located: a list of ``(path, message)`` pairs."""

    def __init__(self, entries: list[tuple[str, str]]) -> None:
        super().__init__(entries)
        self.entries = entries


def _join(parent: str, child: str) -> str:
    if not child:
        return parent
    if not parent:
        return child
    return parent + child if child.startswith("[") else f"{parent}.{child}"


def _key(name: object) -> str:
    """A JSON key as a path step; odd keys are quoted so they cannot forge output."""
    if isinstance(name, str) and name.isidentifier() and name.isascii():
        return name
    return f"[{name!r}]"


def _depth_exceeds(data: Any, limit: int) -> bool:
    """True when ``data`` nests objects and lists deeper than ``limit`` (iterative walk).

    A sub-object shared by several parents (possible in Python, not in parsed JSON) is
    queued once per level, so sharing cannot make the walk explode.
    """
    if not _is_container(data):
        return limit < 1
    level = [data]
    depth = 1
    while level:  # breadth first, one list per level; leaves are never queued
        if depth > limit or (depth == limit and any(len(node) for node in level)):
            return True  # a node (container or leaf) sits at depth limit + 1
        below = []
        queued: set[int] = set()
        for node in level:
            for child in node.values() if isinstance(node, Mapping) else node:
                kind = type(child)
                if kind is str or kind is int or kind is bool or kind is float or child is None:
                    continue
                if (kind is dict or kind is list or isinstance(child, Mapping | list | tuple)) and (
                    id(child) not in queued
                ):
                    queued.add(id(child))
                    below.append(child)
        level = below
        depth += 1
    return False


def _is_container(node: Any) -> bool:
    return isinstance(node, Mapping | list | tuple) and not isinstance(node, str)


def _check_owner_tree(data: Mapping[str, Any]) -> None:
    """Refuse an entity whose nested ``owners`` state more than MAX_OWNERSHIP_ENTITIES.

    Checked on the raw data before anything is built, so a tree of shared sub-objects
    (exponentially many entities from a small Python structure) costs at most the limit.
    """
    count = 0
    stack: list[Any] = [data]
    while stack:
        node = stack.pop()
        count += 1
        if count > MAX_OWNERSHIP_ENTITIES:
            raise InvalidInputError(
                f"owner tree states more than {MAX_OWNERSHIP_ENTITIES} entities", path="owners"
            )
        owners = node.get("owners") if isinstance(node, Mapping) else None
        if isinstance(owners, list | tuple):
            for own in owners[: v.MAX_LIST + 1]:
                if isinstance(own, Mapping):
                    stack.append(own.get("owner"))


def _walk(exc: BaseException, path: str) -> list[tuple[str, str]]:
    """Flatten a (possibly nested) structuring error into ``(path, message)`` pairs."""
    if isinstance(exc, _PathErrors):
        return [(_join(path, p), m) for p, m in exc.entries]
    if isinstance(exc, ForbiddenExtraKeysError):
        return [
            (_join(path, _key(k)), "unknown field" if isinstance(k, str) else "keys must be text")
            for k in sorted(exc.extra_fields, key=lambda k: (not isinstance(k, str), str(k)))
        ]
    if isinstance(exc, ClassValidationError | IterableValidationError):
        with_notes, without = exc.group_exceptions()
        out: list[tuple[str, str]] = []
        for sub, note in with_notes:
            name = getattr(note, "name", None)
            index = getattr(note, "index", None)
            step = str(name) if name is not None else f"[{index}]"
            if isinstance(sub, KeyError) and not isinstance(sub, TradeControlError):
                out.append((_join(path, step), "required field missing"))
            else:
                out.extend(_walk(sub, _join(path, step)))
        for sub in without:
            out.extend(_walk(sub, path))
        return out
    if isinstance(exc, TradeControlError):
        return [(_join(path, exc.path), exc.message)]
    if isinstance(exc, RecursionError):
        return [(path, f"nested deeper than {MAX_DEPTH} levels")]
    return [(path, f"invalid value ({type(exc).__name__}: {exc})")]


def _percent(value: Any) -> v.Percent:
    """A percentage; a text that is no number is quoted as given (``'30%%'``, not ``'30%'``)."""
    try:
        return v.percent(value)
    except InvalidInputError as exc:
        if isinstance(value, str) and exc.message.endswith("is not a decimal number"):
            quoted = repr(value) if len(value) <= 64 else f"{value[:60]!r}…"
            raise InvalidInputError(
                f"{quoted} is not a decimal number (a percentage 0–100, optionally followed by %)"
            ) from None
        raise


def _strict_str(value: Any, _: Any) -> str:
    if not isinstance(value, str):
        raise InvalidInputError(f"expected a string, got {type(value).__name__}")
    return value


def _strict_bool(value: Any, _: Any) -> bool:
    if not isinstance(value, bool):
        raise InvalidInputError(f"expected true or false, got {value!r}")
    return value


def _strict_int(value: Any, _: Any) -> int:
    return v.non_negative_int(value)


def _enum(value: Any, cls: type[enum.Enum]) -> enum.Enum:
    try:
        return cls(value)
    except ValueError:
        allowed = ", ".join(repr(m.value) for m in cls)
        raise InvalidInputError(f"{value!r} is not one of {allowed}") from None


def _is_moment(t: Any) -> bool:
    return bool(t == Moment or t == (Moment | None))


def _moment(value: Any, _: Any) -> Moment | None:
    return None if value is None else parse_moment(value)


def _plain_date(value: Any) -> date:
    moment = parse_moment(value)
    if isinstance(moment, datetime):
        raise InvalidInputError(f"expected a date (YYYY-MM-DD), got {value!r}")
    return moment


def _is_homogeneous_tuple(t: Any) -> bool:
    args = typing.get_args(t)
    return typing.get_origin(t) is tuple and len(args) == 2 and args[1] is Ellipsis


def _is_fixed_tuple(t: Any) -> bool:
    args = typing.get_args(t)
    return typing.get_origin(t) is tuple and bool(args) and Ellipsis not in args


def _kind(value: Any) -> str:
    return "null" if value is None else type(value).__name__


def _fixed_tuple(conv: cattrs.Converter, t: Any) -> Callable[[Any, Any], tuple[Any, ...]]:
    """Structure hook for ``tuple[A, B]``: a JSON list of exactly that many elements."""
    kinds = typing.get_args(t)

    def structure_fixed(value: Any, _: Any) -> tuple[Any, ...]:
        if not isinstance(value, list | tuple) or len(value) != len(kinds):
            got = f"{len(value)} elements" if isinstance(value, list | tuple) else _kind(value)
            raise InvalidInputError(f"expected a list of {len(kinds)} elements, got {got}")
        out: list[Any] = []
        errors: list[tuple[str, str]] = []
        for i, (item, kind) in enumerate(zip(value, kinds, strict=True)):
            try:
                out.append(conv.structure(item, kind))
            except Exception as exc:
                errors.extend(_walk(exc, f"[{i}]"))
        if errors:
            raise _PathErrors(errors)
        return tuple(out)

    return structure_fixed


def _attrs_hook(
    conv: cattrs.Converter, cls: type[Any], detailed: bool
) -> Callable[[Any, Any], Any]:
    """Structure hook for an attrs class: a JSON object, its keys the class's fields."""
    if detailed:
        inner = make_dict_structure_fn(cls, conv, _cattrs_forbid_extra_keys=True)
    else:
        inner = make_dict_structure_fn(
            cls,
            conv,
            _cattrs_forbid_extra_keys=True,
            _cattrs_prefer_attrib_converters=True,
            **_fast_overrides(cls, conv),
        )

    guard = cls is Entity

    def structure_obj(value: Any, _: Any) -> Any:
        if type(value) is not dict and not isinstance(value, Mapping):
            raise InvalidInputError(f"expected an object, got {type(value).__name__}")
        if guard:
            _check_owner_tree(value)
        return inner(value, cls)

    return structure_obj


def _make_converter(*, detailed: bool = True, list_hooks: bool = True) -> cattrs.Converter:
    """The converter; ``detailed=False`` gives the fast structurer (see :func:`structure`).

    ``list_hooks``: homogeneous tuples unstructure to a list built by one list
    comprehension (:func:`_list_hook`), the same list cattrs' own hook builds from a
    generator, faster (every ``to_dict``, the digest's canonical JSON, the CLI's Decision
    lines); ``False`` keeps cattrs' hook (the reference ``tests/test_digest.py`` compares
    with).

    The fast one registers the same hooks, but its generated functions keep no per-field
    error bookkeeping, its lists skip the per-element ``try``, and a field whose attrs
    converter checks everything the field's type hook checks is handed to that converter
    as parsed (:func:`_pass_through`), instead of being structured twice. It is never
    asked to explain an error: on any exception :func:`structure` asks the detailed one.
    """
    conv = cattrs.Converter(
        forbid_extra_keys=True, omit_if_default=True, detailed_validation=detailed
    )

    conv.register_structure_hook(str, _strict_str)
    conv.register_structure_hook(bool, _strict_bool)
    conv.register_structure_hook(int, _strict_int)
    conv.register_structure_hook(Decimal, lambda x, _: v.decimal(x))
    conv.register_structure_hook(v.Percent, lambda x, _: _percent(x))
    conv.register_structure_hook(Jurisdiction, lambda x, _: _jurisdiction(x))
    conv.register_structure_hook_func(_is_moment, _moment)
    conv.register_structure_hook(date, lambda x, _: _plain_date(x))
    conv.register_structure_hook_func(
        lambda t: isinstance(t, type) and issubclass(t, enum.Enum), _enum
    )

    def seq_factory(t: Any) -> Callable[[Any, Any], tuple[Any, ...]]:
        elem = typing.get_args(t)[0]
        if _is_fact_pair(elem):
            return lambda x, _: _facts(x)
        if not detailed:
            return _fast_seq(conv, elem)

        def structure_seq(value: Any, _: Any) -> tuple[Any, ...]:
            if not isinstance(value, list | tuple):
                raise InvalidInputError(f"expected a list, got {type(value).__name__}")
            out: list[Any] = []
            errors: list[tuple[str, str]] = []
            for i, item in enumerate(value):
                try:
                    out.append(conv.structure(item, elem))
                except Exception as exc:
                    errors.extend(_walk(exc, f"[{i}]"))
            if errors:
                raise _PathErrors(errors)
            return tuple(out)

        return structure_seq

    conv.register_structure_hook_factory(_is_homogeneous_tuple, seq_factory)

    conv.register_structure_hook_factory(_is_fixed_tuple, lambda t: _fixed_tuple(conv, t))

    conv.register_structure_hook_factory(attrs.has, lambda cls: _attrs_hook(conv, cls, detailed))

    conv.register_unstructure_hook(Jurisdiction, lambda j: j.code)
    conv.register_unstructure_hook(Decimal, str)
    conv.register_unstructure_hook(date, lambda d: d.isoformat())
    conv.register_unstructure_hook(datetime, lambda d: d.isoformat())
    conv.register_unstructure_hook_func(_is_moment, lambda d: None if d is None else d.isoformat())
    conv.register_unstructure_hook_func(_is_fact_tuple, _unstructure_facts)

    def unstructure_fixed(t: Any) -> Callable[[Any], list[Any]]:
        kinds = typing.get_args(t)
        return lambda value: [conv.unstructure(e, k) for e, k in zip(value, kinds, strict=True)]

    # ``tuple[A, B]`` is a JSON list, as structure_fixed reads it (never a Python tuple)
    conv.register_unstructure_hook_factory(_is_fixed_tuple, unstructure_fixed)
    # Hot path of to_dict (every Decision's digest): hooks the generated code inlines
    # (identity for optional text) or calls without the generic Optional wrapper.
    conv.register_unstructure_hook_func(lambda t: _is_optional(t, str), identity)
    conv.register_unstructure_hook_func(
        lambda t: _is_optional(t, Jurisdiction), lambda j: None if j is None else j.code
    )
    conv.register_unstructure_hook_func(
        lambda t: _is_optional(t, Decimal), lambda d: None if d is None else str(d)
    )
    conv.register_unstructure_hook_factory(
        lambda t: isinstance(t, type) and issubclass(t, enum.Enum),
        lambda _: operator.attrgetter("_value_"),
    )
    if list_hooks:
        conv.register_unstructure_hook_factory(
            lambda t: _is_homogeneous_tuple(t) and not _is_fact_tuple(t),
            lambda t: _list_hook(conv, t),
        )
    return conv


def _list_hook(conv: cattrs.Converter, t: Any) -> Callable[[Any], list[Any]]:
    """Unstructure hook of ``tuple[X, ...]``: ``[hook_of_X(x) for x in value]``.

    cattrs' own hook (``make_iterable_unstructure_fn``) gives ``list(hook_of_X(x) for x in
    value)`` with the same hook of ``X`` (``get_unstructure_hook(X)``): the same list, without
    a generator. The hook of ``X`` is looked up on first use (an entity's owners nest
    entities, so looking it up here could recurse).
    """
    elem = typing.get_args(t)[0]
    if elem is str:
        return list  # text is its own JSON
    hooks: list[Callable[[Any], Any]] = []

    def unstructure_list(values: Any) -> list[Any]:
        if not hooks:
            hooks.append(conv.get_unstructure_hook(elem))
        hook = hooks[0]
        return [hook(value) for value in values]

    return unstructure_list


def _is_optional(t: Any, inner: type) -> bool:
    """True for ``inner | None`` (and ``Optional[inner]``)."""
    origin = typing.get_origin(t)
    return (origin is typing.Union or origin is types.UnionType) and set(typing.get_args(t)) == {
        inner,
        type(None),
    }


@functools.lru_cache(maxsize=4096)
def _known_jurisdiction(code: str) -> Jurisdiction:
    return Jurisdiction(code)


def _jurisdiction(value: Any) -> Jurisdiction:
    """A Jurisdiction; instances are immutable, so each valid code text is built once."""
    if type(value) is str and len(value) <= 16:
        return _known_jurisdiction(value)
    return Jurisdiction(value)


def _is_fact_pair(t: Any) -> bool:
    return typing.get_origin(t) is tuple and typing.get_args(t) == (str, FactValue)


def _is_fact_tuple(t: Any) -> bool:
    return _is_homogeneous_tuple(t) and _is_fact_pair(typing.get_args(t)[0])


def _unstructure_facts(facts: tuple[tuple[str, Any], ...]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in facts:
        if isinstance(value, date):
            out[key] = value.isoformat()
        elif isinstance(value, Decimal):
            out[key] = _json_number(value)
        else:
            out[key] = value
    return out


def _json_number(value: Decimal) -> int | float | str:
    """A Decimal fact as a JSON number when that is exact, else as its string."""
    if value == value.to_integral_value() and abs(value) < 2**53:
        return int(value)
    as_float = float(value)
    return as_float if Decimal(repr(as_float)) == value else str(value)


def _fast_seq(conv: cattrs.Converter, elem: Any) -> Callable[[Any, Any], tuple[Any, ...]]:
    """Fast structure hook for ``tuple[X, ...]``: no per-element error bookkeeping."""
    hook: Callable[[Any, Any], Any] | None = None

    def structure_seq_fast(value: Any, _: Any) -> tuple[Any, ...]:
        nonlocal hook
        if not isinstance(value, list | tuple):
            raise InvalidInputError(f"expected a list, got {type(value).__name__}")
        if hook is None:  # resolved on first use: Entity -> Ownership -> Entity recurses
            hook = conv.get_structure_hook(elem)
        return tuple([hook(item, elem) for item in value])

    return structure_seq_fast


class _Slow(Exception):
    """The fast structurer cannot vouch for a value; the detailed one decides (internal)."""


def _str_or_none(value: Any, _: Any) -> Any:
    """Fast guard of a ``Jurisdiction | None`` field: what its type hook would accept."""
    if value is None or isinstance(value, str):
        return value
    raise _Slow


def _list_of_str(value: Any, _: Any) -> Any:
    """Fast guard of a ``tuple[str, ...]`` or ``tuple[Jurisdiction, ...]`` field."""
    if isinstance(value, list | tuple) and all(isinstance(x, str) for x in value):
        return value
    raise _Slow


def _inner_converter(converter: Any) -> Any:
    """The converter ``_validators.locate_errors`` wrapped (``fn`` of its closure)."""
    code = getattr(converter, "__code__", None)
    closure = getattr(converter, "__closure__", None)
    if code is not None and closure and "fn" in code.co_freevars:
        return closure[code.co_freevars.index("fn")].cell_contents
    return converter


def _pass_through(converter: Any, t: Any) -> Callable[[Any, Any], Any] | Literal[False] | None:
    """How the fast structurer treats a field with attrs converter ``converter`` and type ``t``.

    Returns ``None`` when the converter alone accepts exactly the values the type's hook
    accepts and gives, on those, what it gives after the hook (the parsed value goes
    straight to the class); a guard when that holds once the guard has checked the
    container and element types the hook checks (a guard returns the value unchanged or
    raises); ``False`` when the field must be structured by its type hook, as the
    detailed converter does. Each pair below was checked against the hooks of
    :func:`_make_converter` (``tests/test_fast_structure.py`` compares both structurers
    on generated data).
    """
    from tradecontrol import content, transactions
    from tradecontrol._reasons import reason_codes
    from tradecontrol.jurisdictions import jurisdictions, opt_jurisdiction

    fn = _inner_converter(converter)
    if isinstance(fn, v.enum_of):  # hook: cls(value); converter: the same, or the member
        return None if fn.cls is t else False
    if t is str:  # hook: a str; each converter starts with v.text (a str)
        return None if fn in (v.text, v.name_text, v.lower_text) else False
    if t == Moment:  # hook: parse_moment (None passed on; the converter refuses it)
        return None if fn is parse_moment else False
    if _is_optional(t, str):  # hook: None or a str; each converter: None or a str check
        return (
            None
            if fn in (v.optional_text, v.opt_eccn, v.opt_currency, v.opt_partial_date)
            else False
        )
    if _is_optional(t, Decimal):  # hook: v.decimal; converter: v.decimal plus a sign check
        return None if fn is v.opt_non_negative_decimal else False
    if _is_optional(t, int):  # hook and converter: v.non_negative_int
        return None if fn is v.opt_non_negative_int else False
    if _is_optional(t, v.Percent):  # hook and converter: v.percent
        return None if fn is v.opt_percent else False
    if _is_optional(t, bool):  # hook and converter: a bool or None
        return None if fn in (transactions._opt_bool, content._opt_bool) else False
    if _is_optional(t, Jurisdiction):  # hook: Jurisdiction(code), refusing a non-str
        return _str_or_none if fn in (opt_jurisdiction, transactions._place) else False
    if _is_homogeneous_tuple(t) and typing.get_args(t)[0] in (str, Jurisdiction):
        # hook: a list or tuple of str (each a Jurisdiction code, or text)
        convs = (v.text_tuple, v.partial_dates, reason_codes, transactions._licence_ids)
        if fn in (*convs, content._eccns, jurisdictions):
            return _list_of_str
    return False


def _type_hook(conv: cattrs.Converter, t: Any) -> Callable[[Any, Any], Any] | None:
    """The hook cattrs gives a field that has an attrs converter (None: the converter alone)."""
    try:
        hook = conv.get_structure_hook(t, cache_result=False)
    except StructureHandlerNotFoundError:
        return None
    return None if hook == raise_error else hook


def _fast_overrides(cls: type[Any], conv: cattrs.Converter) -> dict[str, Any]:
    """Per-field cattrs overrides of the fast structurer for attrs class ``cls``."""
    attrs.resolve_types(cls)
    out: dict[str, Any] = {}
    for a in attrs.fields(cls):
        if a.converter is None or not a.init:
            continue  # structured by its type hook, as in the detailed converter
        how = _pass_through(a.converter, a.type)
        if how is False:  # the hook the detailed converter uses (None: a type without one)
            how = _type_hook(conv, a.type)
        if how is not None:  # else handed to the attrs converter as parsed
            out[a.name] = cattrs.override(struct_hook=how)
    return out


CONVERTER = _make_converter()
FAST_CONVERTER = _make_converter(detailed=False)


def structure(data: Any, cls: type[T], *, check_depth: bool = True) -> T:
    """Build ``cls`` from parsed JSON, raising one error that names every bad field.

    Args:
        data: Parsed JSON.
        cls: The value class.
        check_depth: Refuse data nested deeper than :data:`MAX_DEPTH` (turn off only for
            data a loader built itself, whose shape is fixed).

    Raises:
        InvalidInputError: ``path: message`` of the first problem; ``.problems`` lists all.
    """
    if check_depth and _depth_exceeds(data, MAX_DEPTH):
        raise InvalidInputError(f"nested deeper than {MAX_DEPTH} levels")
    try:  # the fast structurer; it gives the same value whenever it succeeds
        return FAST_CONVERTER.structure(data, cls)
    except Exception:  # the detailed structurer finds and words every problem
        pass
    try:
        return CONVERTER.structure(data, cls)
    except Exception as exc:
        problems = _walk(exc, "")
        if not problems:  # pragma: no cover - defensive
            problems = [("", str(exc))]
        raise _located_error(problems) from None


def structure_json(text: str, cls: type[T]) -> T:
    """:func:`parse_json` then :func:`structure`: the same value, or the same error.

    The nesting-depth walk of :func:`structure` is skipped when the text holds fewer than
    :data:`MAX_DEPTH` opening brackets (``{`` and ``[``, those inside strings included):
    every level of nesting opens one, so such a value cannot nest that deep.

    Raises:
        InvalidInputError: As :func:`parse_json`, then as :func:`structure`.

    Example:
        >>> from tradecontrol import Transaction
        >>> structure_json('{"id": "T-1", "date": "2019-05-17"}', Transaction).kind.value
        'export'
        >>> structure_json('{"id": "T-1", "date": "2019-05-17", "id": "T-2"}', Transaction)
        Traceback (most recent call last):
        ...
        tradecontrol.errors.InvalidInputError: id: key 'id' appears twice in one object
    """
    data = parse_json(text)
    return structure(data, cls, check_depth=text.count("{") + text.count("[") >= MAX_DEPTH)


def _located_error(problems: list[tuple[str, str]]) -> InvalidInputError:
    """One error for ``(path, message)`` pairs: the first, with up to three more named."""
    path, message = problems[0]
    if len(problems) > 1:
        others = "; ".join(f"{p or '(top)'}: {m}" for p, m in problems[1:4])
        more = f" (and {len(problems) - 4} more)" if len(problems) > 4 else ""
        message = f"{message} [also {others}{more}]"
    err = InvalidInputError(message, path=path)
    err.problems = problems  # type: ignore[attr-defined]
    return err


def within(exc: InvalidInputError, prefix: str) -> InvalidInputError:
    """``exc`` (from :func:`structure`) moved under ``prefix``, every path it names included.

    Args:
        exc: The error, with ``.problems`` when it came from :func:`structure`.
        prefix: JSON path of the structured value in its document (``[0]``).

    Returns:
        A new error whose path and "also" paths all start with ``prefix``.

    Example:
        >>> from tradecontrol import License
        >>> try:
        ...     License.from_dict({"id": "D1"})
        ... except InvalidInputError as exc:
        ...     print(within(exc, "[0]"))  # doctest: +ELLIPSIS
        [0].kind: required field missing [also [0].issuer: required field missing; ...]
    """
    problems = getattr(exc, "problems", None) or [(exc.path, exc.message)]
    return _located_error([(_join(prefix, p), m) for p, m in problems])


def unstructure(obj: Any) -> Any:
    """Return the canonical JSON form of a value object."""
    return CONVERTER.unstructure(obj)


class _Refused:
    """A JSON value :func:`parse_json` refuses, kept in place so its path can be found."""

    __slots__ = ("reason",)

    def __init__(self, reason: str) -> None:
        self.reason = reason


class _RepeatedKey(dict[str, Any]):
    """A JSON object that states ``key`` more than once (JSON would keep only the last)."""

    __slots__ = ("key",)
    key: str


def _shown(text: str) -> str:
    return text if len(text) <= 40 else f"{text[:20]}…{text[-8:]} ({len(text)} characters)"


def parse_json(text: str) -> Any:
    """Parse JSON text, refusing what plain :func:`json.loads` accepts or reports vaguely.

    A key repeated in one object (JSON would silently keep the last), an integer longer
    than Python converts (4,300 digits), a number out of a float's range (``1e400``,
    which would become infinity) and ``NaN``/``Infinity`` (not JSON, though Python's
    parser takes them) are refused with the JSON path of the value.

    Args:
        text: The JSON document (already decoded; a byte order mark is the caller's).

    Returns:
        The parsed value (dicts, lists, str, int, float, bool, None).

    Raises:
        InvalidInputError: ``path``: where the bad value is; ``message``: what is wrong,
            quoting the input; invalid JSON gives its line and column.

    Example:
        >>> parse_json('{"parties": [{"entity": {"name": "a", "name": "b"}}]}')
        Traceback (most recent call last):
        ...
        tradecontrol.errors.InvalidInputError: parties[0].entity.name: key 'name' appears twice in one object
        >>> parse_json('{"value": 1e400}')
        Traceback (most recent call last):
        ...
        tradecontrol.errors.InvalidInputError: value: number 1e400 is out of range
    """  # noqa: E501
    try:  # one C pass whose hooks stop at anything refused; no closures, no flag
        return _decode_plain(text)
    except Exception:  # refused, or not JSON: the located parse says what and where
        return _parse_located(text)


class _Stop(Exception):
    """A value :func:`parse_json` refuses (internal; the located parse reports it)."""


def _unique_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out = dict(pairs)
    if len(out) != len(pairs):
        raise _Stop
    return out


def _finite_float(literal: str) -> float:
    number = float(literal)
    if number in (math.inf, -math.inf):
        raise _Stop
    return number


def _no_constant(literal: str) -> Any:
    raise _Stop


_decode_plain = json.JSONDecoder(
    object_pairs_hook=_unique_pairs, parse_float=_finite_float, parse_constant=_no_constant
).decode
"""The fast pass of :func:`parse_json`: the value :func:`_parse_located` returns for the
same text whenever it returns at all (an integer over Python's 4,300 digits raises
``ValueError`` in the C scanner; a byte order mark is no JSON value), else an exception."""


def _parse_located(text: str) -> Any:
    """:func:`parse_json` in full: every refusal kept in place, then found with its path."""
    refused = False

    def pairs_hook(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        nonlocal refused
        out = dict(pairs)
        if len(out) == len(pairs):
            return out
        refused = True
        seen: set[str] = set()
        marked = _RepeatedKey(out)
        for key, _ in pairs:
            if key in seen:
                marked.key = key
                break
            seen.add(key)
        return marked

    def int_hook(literal: str) -> int | _Refused:
        nonlocal refused
        try:
            return int(literal)
        except ValueError:  # over sys.get_int_max_str_digits()
            refused = True
            digits = len(literal.lstrip("-"))
            return _Refused(f"integer of {digits} digits is out of range")

    def constant_hook(literal: str) -> _Refused:
        nonlocal refused
        refused = True
        return _Refused(f"{literal} is not a JSON number (JSON has no NaN or Infinity)")

    def float_hook(literal: str) -> float | _Refused:
        nonlocal refused
        number = float(literal)
        if number in (math.inf, -math.inf):
            refused = True
            return _Refused(f"number {_shown(literal)} is out of range")
        return number

    try:
        data = json.loads(
            text,
            object_pairs_hook=pairs_hook,
            parse_int=int_hook,
            parse_float=float_hook,
            parse_constant=constant_hook,
        )
    except json.JSONDecodeError as exc:
        body = text.rstrip("\r\n")  # a JSON-lines line ends with its line break
        if "\n" in body:
            where = f"line {exc.lineno}, column {exc.colno}"
        else:  # one line: past its end is the end of the line, not a next line
            where = f"column {min(exc.pos, len(body)) + 1}"
        raise InvalidInputError(f"not valid JSON: {exc.msg} ({where})") from None
    except RecursionError:
        raise InvalidInputError("not valid JSON: nested too deeply") from None
    if refused:
        _raise_refused(data)
    return data


def _raise_refused(data: Any) -> None:
    """Raise for the first refused value of ``data`` in document order, with its path."""
    stack: list[tuple[str, Any]] = [("", data)]
    while stack:
        path, node = stack.pop()
        if isinstance(node, _Refused):
            raise InvalidInputError(node.reason, path=path)
        if isinstance(node, _RepeatedKey):
            key = node.key
            raise InvalidInputError(
                f"key {key!r} appears twice in one object", path=_join(path, _key(key))
            )
        if isinstance(node, dict):
            stack.extend((_join(path, _key(k)), child) for k, child in reversed(node.items()))
        elif isinstance(node, list):
            stack.extend((f"{path}[{i}]", child) for i, child in reversed(list(enumerate(node))))
