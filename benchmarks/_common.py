"""Shared helpers for the benchmarks: the big rulebook and a realistic transaction generator.

The rulebook is the bundled one plus the full Consolidated Screening List of 2022, the UN
consolidated list and the OFAC SDN list of 2021, loaded with :func:`tradecontrol.lists.load`
from ``../shared/data``. The generator mixes real listed names (with the perturbations
screening handles: case, punctuation, spacing, accents, legal-form spelling, word order,
typos) and clean invented names.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import resource
import sys
import time
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("TRADECONTROL_SHARED", ROOT.parent / "shared"))

LIST_FILES = (
    "data/csl/watchman-2022/consolidated.csv.gz",
    "data/un/UN_consolidated.xml",
    "data/ofac/watchman-bench-2021/sdn.csv",
)
"""CSL 2022 + UN + OFAC SDN 2021, relative to the shared folder."""

ROLES = (
    "purchaser",
    "intermediate_consignee",
    "ultimate_consignee",
    "end_user",
    "freight_forwarder",
    "financial_institution",
)
COUNTRIES = ("CN", "DE", "FR", "GB", "IN", "JP", "KR", "RU", "AE", "TR", "BR", "MX", "SG", "CA")
ECCNS = ("EAR99", "EAR99", "EAR99", "5A992.c", "5D992.c", "3A001", "4A994", "9A991.d", None)
WORDS = (
    "Northwind",
    "Harbor",
    "Cedar",
    "Summit",
    "Blue",
    "River",
    "Alpine",
    "Meridian",
    "Coastal",
    "Granite",
    "Pioneer",
    "Atlas",
    "Orion",
    "Lakeside",
    "Silver",
    "Maple",
    "Evergreen",
    "Sterling",
    "Horizon",
    "Redwood",
    "Falcon",
    "Vertex",
    "Nimbus",
    "Zenith",
    "Aurora",
    "Keystone",
    "Lumen",
    "Polar",
    "Crescent",
    "Beacon",
    "Harvest",
    "Ironwood",
    "Quarry",
    "Solstice",
)
TRADES = (
    "Trading",
    "Logistics",
    "Electronics",
    "Components",
    "Systems",
    "Industrial",
    "Machinery",
    "Imports",
)
FORMS = ("GmbH", "Ltd.", "Co., Ltd.", "LLC", "S.A.", "Inc.", "B.V.", "Pvt. Ltd.", "AG", "")
PERSON_FIRST = (
    "Anna",
    "Marco",
    "Li",
    "Wei",
    "Olga",
    "Rahul",
    "Fatima",
    "Jonas",
    "Elena",
    "Kenji",
    "Sara",
    "Omar",
    "Lucia",
)
PERSON_LAST = (
    "Schmidt",
    "Rossi",
    "Zhang",
    "Ivanova",
    "Sharma",
    "Haddad",
    "Berg",
    "Novak",
    "Tanaka",
    "Silva",
    "Costa",
)
DESCRIPTIONS = ("USB cables", "routers", "servo motors", "laptops", "software", "sensors")


def rss_mb() -> float:
    """Peak resident set size of this process so far, in MiB (Linux ru_maxrss is KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def shared_or_exit() -> Path:
    if not (SHARED / LIST_FILES[0]).exists():
        sys.exit(f"shared data not found under {SHARED}; set TRADECONTROL_SHARED")
    return SHARED


def load_listings(limit: int | None = None) -> list[Any]:
    """Every listing of the three list files (first ``limit`` when given)."""
    from tradecontrol import lists

    shared = shared_or_exit()
    out: list[Any] = []
    seen: set[str] = set()
    for rel in LIST_FILES:
        for listing in lists.load(shared / rel).listings:
            if listing.id not in seen:
                seen.add(listing.id)
                out.append(listing)
    return out[:limit] if limit is not None else out


def big_rulebook() -> tuple[Any, float]:
    """The CSL 2022 + UN + OFAC 2021 rulebook and the seconds it took to build."""
    from tradecontrol import Rulebook

    start = time.perf_counter()
    rulebook = Rulebook.default().with_listings(load_listings())
    return rulebook, time.perf_counter() - start


def _strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def perturb(name: str, rng: random.Random) -> str:
    """One of the variations screening handles (case, punctuation, accents, forms, typos)."""
    kind = rng.randrange(8)
    if kind == 0:
        return name.upper()
    if kind == 1:
        return name.lower()
    if kind == 2:
        return name.replace(",", "").replace(".", "")
    if kind == 3:
        return "  ".join(name.split())
    if kind == 4:
        return _strip_accents(name)
    if kind == 5:
        return (
            name.replace("Co., Ltd.", "Company Limited")
            .replace("Ltd.", "Limited")
            .replace("LLC", "L.L.C.")
        )
    if kind == 6:
        words = name.split()
        return " ".join(words[::-1]) if len(words) > 1 else name
    if len(name) > 4:  # a typo: drop one letter
        cut = rng.randrange(1, len(name) - 1)
        return name[:cut] + name[cut + 1 :]
    return name


def _clean_name(rng: random.Random) -> tuple[str, str]:
    if rng.random() < 0.25:
        return f"{rng.choice(PERSON_FIRST)} {rng.choice(PERSON_LAST)}", "person"
    words = " ".join(rng.sample(WORDS, rng.randint(1, 2)))
    return f"{words} {rng.choice(TRADES)} {rng.choice(FORMS)}".strip(), "organization"


def transactions(
    count: int, listed_names: list[str], *, seed: int = 7, listed_share: float = 0.05
) -> Iterator[dict[str, Any]]:
    """Yield ``count`` canonical-JSON transactions (3–5 parties, 1–5 items).

    ``listed_share`` of the non-exporter parties carry a real listed name, perturbed half
    of the time; the rest are invented clean names.
    """
    rng = random.Random(seed)
    for number in range(count):
        year = rng.choice((2019, 2020, 2021, 2022))
        day = f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        destination = rng.choice(COUNTRIES)
        parties: list[dict[str, Any]] = [
            {
                "role": "exporter",
                "entity": {"name": _clean_name(rng)[0], "country": "US"},
            }
        ]
        for _ in range(rng.randint(2, 4)):
            if listed_names and rng.random() < listed_share:
                name = rng.choice(listed_names)
                if rng.random() < 0.5:
                    name = perturb(name, rng)
                kind = "unknown"
            else:
                name, kind = _clean_name(rng)
            parties.append(
                {
                    "role": rng.choice(ROLES),
                    "entity": {"name": name, "country": destination, "kind": kind},
                }
            )
        items = []
        for _ in range(rng.randint(1, 5)):
            item: dict[str, Any] = {
                "description": rng.choice(DESCRIPTIONS),
                "value": f"{rng.randint(100, 500000)}.00",
                "currency": "USD",
                "quantity": rng.randint(1, 500),
                "origin": "US" if rng.random() < 0.8 else rng.choice(COUNTRIES),
            }
            eccn = rng.choice(ECCNS)
            if eccn is not None:
                item["eccn"] = eccn
            items.append(item)
        yield {
            "id": f"B-{number:07d}",
            "date": day,
            "kind": "export",
            "origin": "US",
            "destination": destination,
            "parties": parties,
            "items": items,
        }


def listed_names(listings: list[Any]) -> list[str]:
    """Primary names of the listings (the names a generator picks from)."""
    return [listing.entity.name for listing in listings]


def base_parser(doc: str | None) -> argparse.ArgumentParser:
    return argparse.ArgumentParser(
        description=(doc or "").split("\n\n")[0], formatter_class=argparse.RawTextHelpFormatter
    )


CACHE = Path(os.environ.get("TRADECONTROL_BENCH_CACHE", "/tmp/tradecontrol-bench"))


def rulebook_file() -> Path:
    """The CSL 2022 + UN + OFAC 2021 rulebook saved with ``Rulebook.save`` (built once)."""
    import tradecontrol

    CACHE.mkdir(parents=True, exist_ok=True)
    stamp = "-".join(str((shared_or_exit() / rel).stat().st_size) for rel in LIST_FILES)
    # the bundled rulebook's version too: a cache built before new rules (and their
    # parameters) were added fails closed on every transaction
    bundled = hashlib.sha256(tradecontrol.Rulebook.default().version.encode()).hexdigest()[:12]
    path = CACHE / f"rulebook-{tradecontrol.__version__}-{bundled}-{stamp}.json.gz"
    if not path.exists():
        rulebook, _ = big_rulebook()
        rulebook.save(path)
    return path


def write_jsonl(path: Path, count: int, names: list[str], *, seed: int = 7) -> Path:
    """Write ``count`` generated transactions to ``path`` (streamed, flat memory)."""
    import json

    with path.open("w", encoding="utf-8") as out:
        for data in transactions(count, names, seed=seed):
            out.write(json.dumps(data, ensure_ascii=False))
            out.write("\n")
    return path


def table(rows: list[tuple[str, ...]], header: tuple[str, ...]) -> str:
    """A plain text table (first column left-aligned, the others right-aligned)."""
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    lines = []
    for row in [header, tuple("-" * w for w in widths), *rows]:
        cells = [
            str(c).ljust(w) if i == 0 else str(c).rjust(w)
            for i, (c, w) in enumerate(zip(row, widths, strict=True))
        ]
        lines.append("  ".join(cells))
    return "\n".join(lines)
