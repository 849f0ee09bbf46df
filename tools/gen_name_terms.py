"""Generate ``src/tradecontrol/data/name_terms.json`` from ``tools/sources/name_terms.json``.

The source file lists legal-form spellings (ISO 20275 abbreviations, Russian Civil Code forms,
spellings seen on the lists), generic words, personal titles and name particles, each group
with its source; and the thresholds above which a name part is common, read from the US Census
Bureau's 1990 surname and first-name frequency files (shipped in the PyPI package ``names``,
``pip install tradecontrol[tools]``), the English number words of num2words and the given
names and nicknames of the PyPI package ``nicknames``. This script
folds every spelling exactly as name scoring folds a name
(:func:`tradecontrol.screening._text.fold_tokens`), checks that no spelling maps to two legal
forms, and writes the lookup tables screening reads at run time.

Usage::

    python tools/gen_name_terms.py            # write the file
    python tools/gen_name_terms.py --check    # exit 1 if the committed file differs
"""

from __future__ import annotations

import argparse
import importlib
import importlib.resources
import json
import sys
from pathlib import Path
from typing import Any

from tradecontrol.screening._text import fold_tokens, join_initials

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "tools" / "sources" / "name_terms.json"
OUT = ROOT / "src" / "tradecontrol" / "data" / "name_terms.json"


def _fold(text: str) -> str:
    return " ".join(join_initials(fold_tokens(text)))


CENSUS_PACKAGE = "names"
SURNAMES = "dist.all.last"
GIVEN_NAMES = ("dist.male.first", "dist.female.first")


def census_rows(filename: str) -> list[tuple[str, float]]:
    """``(name, percent 0-100)`` rows of one 1990 US Census frequency file.

    Each line of the files reads ``NAME  percent  cumulative-percent  rank``.

    Raises:
        SystemExit: The package is not installed or a line is malformed.
    """
    try:
        text = (importlib.resources.files(CENSUS_PACKAGE) / filename).read_text("ascii")
    except (ModuleNotFoundError, FileNotFoundError) as exc:
        raise SystemExit(f"{filename}: {exc}; pip install -e '.[tools]'") from exc
    out: list[tuple[str, float]] = []
    for number, line in enumerate(text.splitlines(), 1):
        fields = line.split()
        if not fields:
            continue
        if len(fields) != 4:
            raise SystemExit(f"{filename}, line {number}: expected 4 fields, got {line!r}")
        out.append((fields[0], float(fields[1])))
    return out


def common_name_parts(spec: dict[str, Any]) -> list[str]:
    """Folded name parts at least as frequent as the spec's thresholds (percent 0-100)."""
    found = {_fold(n) for n, pct in census_rows(SURNAMES) if pct >= spec["surname_min_percent"]}
    for filename in GIVEN_NAMES:
        found |= {_fold(n) for n, pct in census_rows(filename) if pct >= spec["given_min_percent"]}
    return sorted(p for p in found if p and " " not in p)


def number_words(spec: dict[str, Any]) -> dict[str, int]:
    """One-token cardinal and ordinal number words (``forty``, ``fourth``) with their value.

    Compound numbers (``forty-four``) fold to two tokens, read one after the other.

    Raises:
        SystemExit: num2words is not installed, or a word has two values.
    """
    try:
        num2words = importlib.import_module("num2words").num2words
    except ModuleNotFoundError as exc:
        raise SystemExit(f"num2words: {exc}; pip install -e '.[tools]'") from exc
    out: dict[str, int] = {}
    for lang in spec["languages"]:
        for value in range(spec["max"] + 1):
            for to in ("cardinal", "ordinal"):
                tokens = fold_tokens(str(num2words(value, lang=lang, to=to)))
                if len(tokens) != 1:
                    continue
                if out.get(tokens[0], value) != value:
                    word = tokens[0]
                    raise SystemExit(f"number word {word!r} reads {out[word]} and {value}")
                out[tokens[0]] = value
    return dict(sorted(out.items()))


NICKNAMES_PACKAGE = "nicknames"


def nicknames(spec: dict[str, Any]) -> dict[str, list[str]]:
    """Each folded one-token given name with the names directly related to it, both ways.

    Read from ``names.csv`` of the PyPI package ``nicknames`` (rows ``name1,relationship,
    name2``; ``theodore,has_nickname,ted``). Names that fold to several tokens are left out.

    Raises:
        SystemExit: The package is not installed or a row is malformed.
    """
    try:
        text = (importlib.resources.files(NICKNAMES_PACKAGE) / "names.csv").read_text("utf-8")
    except (ModuleNotFoundError, FileNotFoundError) as exc:
        raise SystemExit(f"nicknames: {exc}; pip install -e '.[tools]'") from exc
    related: dict[str, set[str]] = {}
    lines = text.splitlines()
    if not lines or lines[0].split(",") != ["name1", "relationship", "name2"]:
        raise SystemExit("nicknames names.csv: unexpected header")
    for number, line in enumerate(lines[1:], 2):
        fields = line.split(",")
        if len(fields) != 3:
            raise SystemExit(f"nicknames names.csv, line {number}: expected 3 fields: {line!r}")
        if fields[1] != spec["relationship"]:
            continue
        a, b = _fold(fields[0]), _fold(fields[2])
        if a and b and a != b and " " not in a and " " not in b:
            related.setdefault(a, set()).add(b)
            related.setdefault(b, set()).add(a)
    return {k: sorted(v) for k, v in sorted(related.items())}


def build(source: dict[str, Any]) -> dict[str, Any]:
    sources: dict[str, str] = source["sources"]
    forms: dict[str, str] = {}
    classes: dict[str, str] = {}
    form_sources: dict[str, str] = {}
    for entry in source["legal_forms"]:
        canonical = entry["canonical"]
        if entry["source"] not in sources:
            raise SystemExit(f"legal form {canonical!r}: unknown source {entry['source']!r}")
        classes[canonical] = entry["class"]
        form_sources[canonical] = sources[entry["source"]]
        for spelling in [canonical.replace("_", " "), *entry["spellings"]]:
            key = _fold(spelling)
            if not key:
                raise SystemExit(f"legal form {canonical!r}: empty spelling {spelling!r}")
            if forms.get(key, canonical) != canonical:
                raise SystemExit(f"spelling {spelling!r} maps to {forms[key]!r} and {canonical!r}")
            forms[key] = canonical
    particles = {_fold(k): _fold(v) for k, v in source["particles"]["map"].items()}
    lineage = sorted({_fold(w) for w in source["particles"]["lineage"]})
    if not set(lineage) <= set(particles.values()):
        raise SystemExit(f"lineage particles {lineage} are not canonical particles")
    return {
        "$comment": "GENERATED by tools/gen_name_terms.py from tools/sources/name_terms.json; "
        "do not edit by hand.",
        "sources": sources,
        "legal_forms": dict(sorted(forms.items())),
        "legal_form_classes": dict(sorted(classes.items())),
        "legal_form_sources": dict(sorted(form_sources.items())),
        "generic_words": sorted({_fold(w) for w in source["generic_words"]["words"]}),
        "stopwords": sorted({_fold(w) for w in source["stopwords"]["words"]}),
        "titles": sorted({_fold(w) for w in source["titles"]["words"]}),
        "particles": dict(sorted(particles.items())),
        "lineage_particles": lineage,
        "common_name_parts": common_name_parts(source["common_name_parts"]),
        "nicknames": nicknames(source["nicknames"]),
        "number_words": number_words(source["number_words"]),
        "ordinal_suffixes": sorted(source["number_words"]["ordinal_suffixes"]),
        "unique_identifiers": sorted(source["identifier_schemes"]["unique"]),
        "identifying_identifiers": sorted(
            set(source["identifier_schemes"]["unique"])
            | set(source["identifier_schemes"]["identifying"])
        ),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if the file is out of date")
    args = parser.parse_args(argv)
    text = json.dumps(build(json.loads(SOURCE.read_text("utf-8"))), indent=1, ensure_ascii=False)
    text += "\n"
    if args.check:
        if OUT.read_text("utf-8") != text:
            print(f"{OUT} is out of date: run python tools/gen_name_terms.py", file=sys.stderr)
            return 1
        return 0
    OUT.write_text(text, "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
