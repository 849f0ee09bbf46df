"""Exact-match name normalisation.

:func:`normalize_name` folds case, diacritics, punctuation, spacing and legal-form
spellings (``Co., Ltd.`` ≡ ``Company Limited``; ``K.K.`` ≡ ``Kabushiki Kaisha``), so that
two spellings of one registered name compare equal.

Example:
    >>> normalize_name("HUAWEI TECHNOLOGIES CO., LIMITED")
    'huawei technologies co ltd'
    >>> normalize_name("Huawei Technologies Company Ltd.") == normalize_name(
    ...     "Huawei Technologies Co., Ltd.")
    True
    >>> normalize_name("Société Générale S.A.")
    'societe generale sa'
    >>> name_keys("Huawei Technologies Co., Ltd. (Huawei)")
    ('huawei technologies co ltd huawei', 'huawei technologies co ltd', 'huawei')
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache

from tradecontrol.data import read_json
from tradecontrol.screening._text import join_initials

__all__ = ["name_keys", "normalize_name"]

_NON_WORD = re.compile(r"[^\w]+")
_SHORT_NAME = re.compile(
    r"^(?P<base>[^()]*\S)\s*\((?P<short>[^()]+)\)\s*(?:,\s*(?P<place>[^()]+))?$"
)


@cache
def _forms() -> tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]:
    forms: dict[str, str] = read_json("legal_forms.json")["forms"]
    pairs = [(tuple(k.split()), tuple(val.split())) for k, val in forms.items()]
    pairs.sort(key=lambda p: -len(p[0]))  # longest phrase first
    return tuple(pairs)


@cache
def _forms_by_first() -> dict[str, tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]]:
    """:func:`_forms` grouped by their first token, each group still longest first."""
    groups: dict[str, list[tuple[tuple[str, ...], tuple[str, ...]]]] = {}
    for phrase, canon in _forms():
        groups.setdefault(phrase[0], []).append((phrase, canon))
    return {first: tuple(group) for first, group in groups.items()}


def _fold_forms(tokens: list[str]) -> list[str]:
    out: list[str] = []
    i = 0
    forms = _forms_by_first()
    while i < len(tokens):
        for phrase, canon in forms.get(tokens[i], ()):
            if tuple(tokens[i : i + len(phrase)]) == phrase:
                out.extend(canon)
                i += len(phrase)
                break
        else:
            out.append(tokens[i])
            i += 1
    return out


@lru_cache(maxsize=1 << 16)  # bounded: memory stays flat over a long batch
def normalize_name(name: str) -> str:
    """Return the exact-match key of a name.

    Steps: Unicode NFKD with combining marks and invisible format characters (zero-width
    space, soft hyphen) removed; case folding; every run of
    punctuation or space becomes one space; runs of single letters are joined; legal-form
    spellings are replaced by their canonical abbreviation (``data/legal_forms.json``).

    Args:
        name: A name as written.

    Returns:
        The normalised key (may be ``""`` for a name of punctuation only).
    """
    if name.isascii() and name.isprintable():  # fast path: nothing to decompose or drop
        stripped = name
    else:
        decomposed = unicodedata.normalize("NFKD", name)
        stripped = "".join(
            ch
            for ch in decomposed
            if not unicodedata.combining(ch) and unicodedata.category(ch) not in ("Cf", "Cc")
        )
    tokens = _NON_WORD.sub(" ", stripped.casefold()).replace("_", " ").split()
    return " ".join(_fold_forms(join_initials(tokens)))


@cache
def _form_tokens() -> frozenset[str]:
    """Tokens of the canonical legal forms (``co``, ``ltd``, ``gmbh``...)."""
    return frozenset(token for _, canon in _forms() for token in canon)


@lru_cache(maxsize=1 << 16)
def name_variants(name: str) -> tuple[str, ...]:
    """The name, and its part up to a legal form where a comma and more text follow it.

    Official entries sometimes carry the place after the legal name in the name field
    (the CSL's ``Hua Ying Management Co. Limited, Tsim Sha Tsui``; ``Xi'an Ruixin
    Investment Co., Ltd., Xi'an, Shaanxi``): the legal name alone is also a name of the
    entity. The cut is made after the first comma-separated prefix that ends in a legal
    form, holds a word besides it, and is followed by text with no legal form.

    Args:
        name: A name as written.

    Returns:
        ``(name,)`` or ``(name, legal name)``.

    Example:
        >>> name_variants("Hua Ying Management Co. Limited, Tsim Sha Tsui")
        ('Hua Ying Management Co. Limited, Tsim Sha Tsui', 'Hua Ying Management Co. Limited')
        >>> name_variants("SMITH, John")
        ('SMITH, John',)
    """
    if "," not in name:
        return (name,)
    forms = _form_tokens()
    parts = name.split(",")
    for i in range(1, len(parts)):
        base = ",".join(parts[:i]).strip()
        tokens = normalize_name(base).split()
        if not tokens or tokens[-1] not in forms or all(t in forms for t in tokens):
            continue
        rest = normalize_name(",".join(parts[i:])).split()
        if rest and not forms.intersection(rest):
            return (name, base)
    return (name,)


def name_keys(name: str, *, cut: bool = True) -> tuple[str, ...]:
    """Every key under which a listed name is indexed.

    The name itself; and where it ends in a parenthesised short name, as official entries
    often do (``Huawei Technologies Co., Ltd. (Huawei)``, also when a place follows:
    ``HiSilicon Technologies Co., Ltd (HiSilicon), Bantian Longgang District``), the name
    without it and the short name on its own; where a place follows the legal form, the
    legal name alone (:func:`name_variants`).

    Args:
        name: A listed name or alias.
        cut: Whether to add the legal name cut before a trailing place.

    Returns:
        Distinct non-empty normalised keys, the full name first.
    """
    keys = [normalize_name(variant) for variant in (name_variants(name) if cut else (name,))]
    match = _SHORT_NAME.match(name)
    if match:
        keys.append(normalize_name(match.group("base")))
        keys.append(normalize_name(match.group("short")))
    out: list[str] = []
    for key in keys:
        if key and key not in out:
            out.append(key)
    return tuple(out)
