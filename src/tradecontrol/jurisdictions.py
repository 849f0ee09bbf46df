"""Jurisdictions: ISO 3166-1 countries, ISO 3166-2 subdivisions and the EU.

Codes are validated against the ISO 3166 tables bundled in ``data/iso3166.json``, and
subdivision names are read from ``data/iso3166_subdivisions.json`` when asked for (both
generated from the Debian iso-codes database by ``tools/gen_iso3166.py``).

Example:
    >>> from tradecontrol import Jurisdiction
    >>> Jurisdiction("UA-43").country
    Jurisdiction(code='UA')
    >>> Jurisdiction("cn").code
    'CN'
    >>> Jurisdiction("XX")
    Traceback (most recent call last):
    ...
    tradecontrol.errors.InvalidInputError: 'XX' is not an ISO 3166 code
"""

from __future__ import annotations

from functools import cache, lru_cache
from typing import Any

import attrs

from tradecontrol.data import read_json
from tradecontrol.errors import InvalidInputError

__all__ = [
    "Jurisdiction",
    "country_code",
    "is_known_code",
    "jurisdiction",
    "jurisdictions",
    "opt_jurisdiction",
]


def _tables() -> tuple[dict[str, str], dict[str, str]]:
    """ISO 3166-1 code -> short name, and the extra codes (``EU``...) -> name."""
    data = read_json("iso3166.json")
    return data["countries"], data["extra"]


def is_known_code(code: str) -> bool:
    """True when ``code`` is an ISO 3166-1 alpha-2 code, an ISO 3166-2 code or ``EU``."""
    return code in _known_codes()


@cache
def _subdivisions() -> frozenset[str]:
    """The ISO 3166-2 codes (each starts with its country's code and a hyphen)."""
    return frozenset(read_json("iso3166.json")["subdivision_codes"].split())


@cache
def _known_codes() -> frozenset[str]:
    countries, extra = _tables()
    return _subdivisions().union(countries, extra)


def _normalise(value: str) -> str:
    if not isinstance(value, str):
        raise InvalidInputError(f"expected an ISO 3166 code string, got {type(value).__name__}")
    code = value.strip().upper()
    if not is_known_code(code):
        raise InvalidInputError(f"{value!r} is not an ISO 3166 code")
    return code


@attrs.frozen(slots=True)
class Jurisdiction:
    """A country (``CN``), a subdivision (``UA-43``, Crimea) or the European Union (``EU``).

    Args:
        code: ISO 3166-1 alpha-2 or ISO 3166-2 code, case-insensitive; ``EU``.

    Raises:
        InvalidInputError: The code is not in the bundled ISO 3166 tables.

    Example:
        >>> Jurisdiction("UA-43").within(Jurisdiction("UA"))
        True
    """

    code: str = attrs.field(converter=_normalise)

    @property
    def country(self) -> Jurisdiction:
        """The country a subdivision lies in (itself for a country or ``EU``)."""
        if self.code in _subdivisions():  # (its country is the code before the hyphen)
            return _interned(self.code.partition("-")[0])
        return self

    @property
    def name(self) -> str:
        """The ISO short name, e.g. ``'China'`` or ``'Avtonomna Respublika Krym'``."""
        if self.code in _subdivisions():
            return str(read_json("iso3166_subdivisions.json")["names"][self.code])
        countries, extra = _tables()
        return countries.get(self.code) or extra[self.code]

    def within(self, other: Jurisdiction) -> bool:
        """True when this jurisdiction is ``other`` or lies inside it (``UA-43`` within ``UA``)."""
        return other.code in (self.code, self.country.code)

    def __str__(self) -> str:
        return self.code


def jurisdiction(value: Any) -> Jurisdiction:
    """Converter: a :class:`Jurisdiction` from itself or from a code string."""
    if isinstance(value, Jurisdiction):
        return value
    if type(value) is str and len(value) <= 16:  # ISO 3166-2 codes are short
        return _interned(value)
    return Jurisdiction(value)


@lru_cache(maxsize=4096)
def _interned(code: str) -> Jurisdiction:
    """One shared (frozen) :class:`Jurisdiction` per code string; errors are not cached."""
    return Jurisdiction(code)


def opt_jurisdiction(value: Any) -> Jurisdiction | None:
    """Converter: ``None`` or :func:`jurisdiction`."""
    return None if value is None else jurisdiction(value)


def jurisdictions(values: Any) -> tuple[Jurisdiction, ...]:
    """Converter: a tuple of :func:`jurisdiction` values."""
    from tradecontrol._validators import freeze

    return tuple(jurisdiction(x) for x in freeze(values))


@cache
def _names() -> dict[str, str]:
    from tradecontrol.screening.normalize import normalize_name

    data = read_json("iso3166.json")
    out = {}
    for name, code in data["country_names"].items():
        key = normalize_name(name)
        out[key] = code
        if key.startswith("the "):
            out[key[4:]] = code
    out.update({normalize_name(name): code for code, name in data["countries"].items()})
    return out


def country_code(text: str) -> str | None:
    """The ISO 3166-1 alpha-2 code for a code or an ISO country name, else ``None``.

    Names are compared after normalisation and may be the ISO short, common or official
    name, in either order around a comma, or the English name of Unicode CLDR (``Iran,
    Islamic Republic of``, ``Islamic Republic of Iran``, ``Russia``, ``Burma``).

    Example:
        >>> country_code("Iran"), country_code("russian federation"), country_code("cn")
        ('IR', 'RU', 'CN')
        >>> country_code("China, Hong Kong Special Administrative Region")  # UN's name
        'HK'
        >>> country_code("Atlantis") is None
        True
    """
    from tradecontrol.screening.normalize import normalize_name

    raw = text.strip()
    if len(raw) == 2 and raw.isalpha() and is_known_code(raw.upper()):
        return raw.upper()
    names = _names()
    candidates = [raw]
    if raw.endswith(")") and "(" in raw:  # "Netherlands (Kingdom of the)"
        candidates.append(raw[: raw.index("(")])
    if "," in raw:  # "Korea, Republic of"; UN "China, Hong Kong Special Administrative Region"
        head, _, tail = raw.partition(",")
        candidates.append(f"{tail} {head}")
        candidates.append(f"{tail} of {head}")  # ISO official "... Region of China"
    for candidate in candidates:
        key = normalize_name(candidate)
        code = names.get(key) or names.get(key.removeprefix("the "))
        if code is not None:
            return code
    return None
