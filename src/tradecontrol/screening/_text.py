"""Text folding shared by name scoring and the generator of its vocabulary.

Example:
    >>> fold_tokens("Сидоров, Иван")
    ['sidorov', 'ivan']
    >>> fold_tokens("S.A. de C.V.")
    ['s', 'a', 'de', 'c', 'v']
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["HAVE_ANYASCII", "fold_tokens", "join_initials"]

try:
    from anyascii import anyascii as _anyascii

    HAVE_ANYASCII = True
except ImportError:  # pragma: no cover - exercised when the extra is absent
    HAVE_ANYASCII = False

_NON_ALNUM = re.compile(r"[^0-9a-z]+")
_LEET = re.compile(r"(?<=[a-z])[013459](?=[a-z])")
_LEET_MAP = {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "9": "g"}
_DIGIT_ALPHA = re.compile(r"(?<=\d)(?=[a-z])|(?<=[a-z])(?=\d)")


def _strip_marks(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(
        ch
        for ch in decomposed
        if not unicodedata.combining(ch) and unicodedata.category(ch) not in ("Cf", "Cc")
    )


def fold_tokens(name: str) -> list[str]:
    """Fold a name to lower-case ASCII tokens.

    Unicode NFKC, invisible format characters removed, every script transliterated to
    Latin with anyascii (Cyrillic, Arabic, Chinese, Greek...; without anyascii only
    diacritics are removed), case folded; every run of punctuation or space separates
    tokens; a digit between letters is read as the letter it imitates (``Sech1n`` ->
    ``sechin``), other digits are split from letters (``ORION7`` -> ``orion 7``). Apostrophes
    inside a word are removed rather than split on (``O'Brien`` -> ``obrien``); ``&`` reads
    ``and``.

    Args:
        name: A name as written.

    Returns:
        The tokens, possibly empty.
    """
    if name.isascii() and name.isprintable():
        text = name  # NFKC, format and control characters, transliteration: nothing to do
    else:
        text = unicodedata.normalize("NFKC", name)
        text = "".join(ch for ch in text if unicodedata.category(ch) not in ("Cf", "Cc"))
        text = _anyascii(text) if HAVE_ANYASCII else _strip_marks(text)
    text = text.casefold().replace("'", "").replace("`", "").replace("&", " and ")
    text = _NON_ALNUM.sub(" ", text)
    if not text.replace(" ", "").isalpha():  # digits: leetspeak, or split from letters
        text = _LEET.sub(_unleet, text)
        text = _DIGIT_ALPHA.sub(" ", text)
    return text.split()


def _unleet(match: re.Match[str]) -> str:
    return _LEET_MAP[match.group()]


def join_initials(tokens: list[str]) -> list[str]:
    """Join runs of single letters: ``s a`` -> ``sa``, ``l l c`` -> ``llc``.

    Args:
        tokens: Folded tokens.

    Returns:
        The tokens with every run of one-letter tokens joined into one token.

    Example:
        >>> join_initials(["sa", "de", "c", "v"])
        ['sa', 'de', 'cv']
    """
    out: list[str] = []
    run: list[str] = []
    for tok in tokens:
        if len(tok) == 1 and tok.isalpha():
            run.append(tok)
            continue
        if run:
            out.append("".join(run))
            run = []
        out.append(tok)
    if run:
        out.append("".join(run))
    return out
