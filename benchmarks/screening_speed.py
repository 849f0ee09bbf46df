"""Benchmark: screening speed of tradecontrol beside a rapidfuzz full scan, same run.

Builds 10,000 query names — half variants of listed names with realistic perturbations
(case and punctuation, legal-form spellings, ``SURNAME, Given`` order, a typo, a dropped
middle token), half clean names that are on no list — and screens them against the UN
consolidated list plus the full CSL 2022 (``../shared/data``), one core, one process each:

- ``tradecontrol``: :func:`tradecontrol.screen` with the rulebook's candidate index
  (index build time reported separately);
- ``full scan``: ``rapidfuzz.process.extractOne(name, all_names, scorer=WRatio,
  score_cutoff=90, processor=rapidfuzz.utils.default_process)`` over every listed name and
  alias. It is slow, so it is timed on a subsample (``--scan-sample``, half variants, half
  clean) and said so; its recall is measured on the same subsample.

Recall: share of variant queries whose source listing is found (tradecontrol: status
``match`` at the default thresholds; ``match or review`` is printed too; full scan: the
best name at or above 90 belongs to the source listing). Peak memory: maximum resident set
size of each child process (it includes loading the lists, printed separately).

Usage::

    python benchmarks/screening_speed.py [--shared ../shared] [--queries 10000]
        [--scan-sample 400] [--seed 7]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import resource
import subprocess
import sys
import time
import unicodedata
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
UN = "data/un/UN_consolidated.xml"
CSL = "data/csl/watchman-2022/consolidated.csv.gz"

FIRST = [
    "James",
    "Mary",
    "Robert",
    "Patricia",
    "John",
    "Jennifer",
    "Michael",
    "Linda",
    "David",
    "Elizabeth",
    "William",
    "Barbara",
    "Richard",
    "Susan",
    "Joseph",
    "Jessica",
    "Thomas",
    "Sarah",
    "Charles",
    "Karen",
    "Daniel",
    "Lisa",
    "Matthew",
    "Nancy",
    "Anthony",
    "Betty",
    "Mark",
    "Sandra",
    "Paul",
    "Ashley",
    "Steven",
    "Emily",
    "Andrew",
    "Donna",
    "Kenneth",
    "Michelle",
    "Joshua",
    "Carol",
    "Kevin",
    "Amanda",
    "Brian",
    "Melissa",
    "George",
    "Deborah",
    "Timothy",
    "Stephanie",
    "Ronald",
    "Laura",
    "Jan",
    "Hanna",
    "Lukas",
    "Sofia",
    "Mateo",
    "Lucia",
    "Pierre",
    "Camille",
    "Giulia",
    "Marco",
    "Sven",
    "Ingrid",
    "Kenji",
    "Yuki",
]
LAST = [
    "Smith",
    "Johnson",
    "Williams",
    "Brown",
    "Jones",
    "Garcia",
    "Miller",
    "Davis",
    "Rodriguez",
    "Martinez",
    "Hernandez",
    "Lopez",
    "Gonzalez",
    "Wilson",
    "Anderson",
    "Thomas",
    "Taylor",
    "Moore",
    "Jackson",
    "Martin",
    "Lee",
    "Perez",
    "Thompson",
    "White",
    "Harris",
    "Sanchez",
    "Clark",
    "Ramirez",
    "Lewis",
    "Robinson",
    "Walker",
    "Young",
    "Allen",
    "King",
    "Wright",
    "Scott",
    "Torres",
    "Nguyen",
    "Hill",
    "Flores",
    "Green",
    "Adams",
    "Nelson",
    "Baker",
    "Hall",
    "Rivera",
    "Campbell",
    "Mitchell",
    "Carter",
    "Roberts",
    "Schneider",
    "Fischer",
    "Weber",
    "Dubois",
    "Moreau",
    "Rossi",
    "Bianchi",
    "Jensen",
    "Nilsson",
    "Sato",
]
WORDS = [
    "Blue",
    "River",
    "Northern",
    "Summit",
    "Granite",
    "Maple",
    "Harbor",
    "Silver",
    "Oak",
    "Pacific",
    "Atlantic",
    "Prairie",
    "Cedar",
    "Falcon",
    "Meadow",
    "Horizon",
    "Crescent",
    "Lakeside",
    "Evergreen",
    "Pinnacle",
    "Sterling",
    "Harvest",
    "Bright",
    "Valley",
    "Coastal",
    "Redwood",
    "Alpine",
    "Beacon",
    "Keystone",
    "Liberty",
    "Union",
    "Heritage",
]
TRADES = [
    "Logistics",
    "Foods",
    "Dental",
    "Clinic",
    "Bakery",
    "Software",
    "Consulting",
    "Plumbing",
    "Textiles",
    "Furniture",
    "Printing",
    "Landscaping",
    "Insurance",
    "Realty",
    "Motors",
    "Hardware",
    "Pharmacy",
    "Optics",
    "Studios",
    "Farms",
]
FORMS = ["Ltd", "LLC", "Inc.", "GmbH", "S.A.", "B.V.", "Pty Ltd", "Co., Ltd.", "AG", "plc"]
SWAPS = [
    ("limited", "ltd"),
    ("company", "co."),
    ("corporation", "corp"),
    ("incorporated", "inc"),
    ("ltd", "limited"),
    ("co.", "company"),
    ("corp", "corporation"),
    ("llc", "l.l.c."),
    ("jsc", "joint stock company"),
]
PUNCT = re.compile(r"[^\w\s]")


def perturb(name: str, kind: str, rng: random.Random) -> str:
    """One or two realistic changes to a listed name."""
    out = name
    for _ in range(rng.choice((1, 1, 2))):
        step = rng.randrange(6)
        tokens = out.split()
        if step == 0:
            out = PUNCT.sub(" ", out)
            out = " ".join(out.split())
            out = out.upper() if rng.random() < 0.5 else out.lower()
        elif step == 1:
            low = out.lower()
            for a, b in rng.sample(SWAPS, len(SWAPS)):
                if re.search(rf"\b{re.escape(a)}(?!\w)", low):
                    out = re.sub(rf"(?i)\b{re.escape(a)}(?!\w)", b, out, count=1)
                    break
        elif step == 2 and kind == "person" and len(tokens) >= 2:
            out = f"{tokens[-1].upper()}, {' '.join(tokens[:-1])}"
        elif step == 3:
            long = [i for i, t in enumerate(tokens) if len(t) >= 5]
            if long:
                i = rng.choice(long)
                t = tokens[i]
                j = rng.randrange(1, len(t) - 1)
                tokens[i] = (t[:j] + t[j + 1 :]) if rng.random() < 0.5 else (t[:j] + t[j] + t[j:])
                out = " ".join(tokens)
        elif step == 4 and len(tokens) >= 3:
            tokens.pop(rng.randrange(1, len(tokens) - 1))
            out = " ".join(tokens)
        else:
            out = "".join(
                ch for ch in unicodedata.normalize("NFKD", out) if not unicodedata.combining(ch)
            )
    return out


def clean_name(rng: random.Random) -> str:
    if rng.random() < 0.5:
        return f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    return f"{rng.choice(WORDS)} {rng.choice(TRADES)} {rng.choice(FORMS)}"


def load(shared: Path) -> Any:
    from tradecontrol import Rulebook, lists

    listings = []
    for rel in (UN, CSL):
        listings.extend(lists.load(shared / rel).listings)
    return Rulebook(id="bench", version="1", snapshot=date(2022, 5, 5), listings=listings)


def queries(rulebook: Any, n: int, seed: int) -> list[tuple[str, str | None]]:
    """``(name, source listing id or None)``: n/2 variants, n/2 clean names, shuffled."""
    rng = random.Random(seed)
    out: list[tuple[str, str | None]] = []
    listings = rulebook.listings
    while len(out) < n // 2:
        listing = rng.choice(listings)
        names = listing.entity.names
        name = rng.choice(names)
        out.append((perturb(name, listing.entity.kind.value, rng), listing.id))
    while len(out) < n:
        out.append((clean_name(rng), None))
    rng.shuffle(out)
    return out


def child(mode: str, shared: Path, n: int, seed: int, sample: int) -> dict[str, Any]:
    start = time.perf_counter()
    rulebook = load(shared)
    loaded = time.perf_counter() - start
    load_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    qs = queries(rulebook, n, seed)
    result: dict[str, Any] = {
        "listings": len(rulebook.listings),
        "load_seconds": loaded,
        "load_peak_mib": load_mib,
    }
    if mode == "scan":
        variants = [q for q in qs if q[1] is not None][: sample // 2]
        clean = [q for q in qs if q[1] is None][: sample - len(variants)]
        qs = variants + clean
    if mode == "tradecontrol":
        from tradecontrol import Entity, screen

        t0 = time.perf_counter()
        index = rulebook.candidate_index
        result["index_seconds"] = time.perf_counter() - t0
        result["index"] = index.stats()
        found: list[tuple[set[str], set[str]]] = []
        t0, c0 = time.perf_counter(), time.process_time()
        for name, _ in qs:
            entity = Entity(name=name)
            matches = screen(entity, rulebook)
            found.append(
                (
                    {m.listing.id for m in matches if m.status == "match"},
                    {m.listing.id for m in matches},
                )
            )
        seconds = time.perf_counter() - t0
        cpu = time.process_time() - c0
        hits = [src in f[0] for (_, src), f in zip(qs, found, strict=True) if src]
        result["recall_on_scan_sample"] = sum(hits[: sample // 2]) / len(hits[: sample // 2])
        hits_any = [src in f[1] for (_, src), f in zip(qs, found, strict=True) if src]
        flagged = [bool(f[0]) for (_, src), f in zip(qs, found, strict=True) if not src]
        result["recall_match_or_review"] = sum(hits_any) / len(hits_any)
        from tradecontrol.screening.scoring import prepare

        touched = sum(len(index.candidates(prepare(Entity(name=q)))) for q, _ in qs[:1000])
        result["touched_share"] = touched / min(1000, len(qs)) / len(rulebook.listings)
    else:
        from rapidfuzz import fuzz, process, utils

        choices: list[str] = []
        owner: list[str] = []
        for listing in rulebook.listings:
            for name in listing.entity.names:
                choices.append(name)
                owner.append(listing.id)
        result["names"] = len(choices)
        t0, c0 = time.perf_counter(), time.process_time()
        best = [
            process.extractOne(
                name, choices, scorer=fuzz.WRatio, score_cutoff=90, processor=utils.default_process
            )
            for name, _ in qs
        ]
        seconds = time.perf_counter() - t0
        cpu = time.process_time() - c0
        hits = [
            b is not None and owner[b[2]] == src
            for (_, src), b in zip(qs, best, strict=True)
            if src
        ]
        flagged = [b is not None for (_, src), b in zip(qs, best, strict=True) if not src]
    result.update(
        queries=len(qs),
        seconds=seconds,
        names_per_second=len(qs) / seconds,
        names_per_cpu_second=len(qs) / cpu,
        recall=sum(hits) / len(hits),
        variants=len(hits),
        clean_flagged=sum(flagged) / max(1, len(flagged)),
        peak_mib=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    )
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--queries", type=int, default=10_000)
    parser.add_argument("--scan-sample", type=int, default=400)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--child", choices=("tradecontrol", "scan"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        out = child(args.child, args.shared, args.queries, args.seed, args.scan_sample)
        print(json.dumps(out))
        return
    for rel in (UN, CSL):
        if not (args.shared / rel).is_file():
            sys.exit(f"missing {args.shared / rel}")
    results = {}
    for mode in ("tradecontrol", "scan"):
        cmd = [sys.executable, __file__, "--child", mode, "--shared", str(args.shared)]
        cmd += ["--queries", str(args.queries), "--seed", str(args.seed)]
        cmd += ["--scan-sample", str(args.scan_sample)]
        done = subprocess.run(cmd, check=True, capture_output=True, text=True)
        results[mode] = json.loads(done.stdout.strip().splitlines()[-1])
    ours, scan = results["tradecontrol"], results["scan"]
    print(f"lists: UN + CSL 2022, {ours['listings']} listings, {scan['names']} names and aliases")
    print(
        f"queries: {ours['queries']} ({ours['variants']} variants, the rest clean); "
        f"full scan timed on a subsample of {scan['queries']} ({scan['variants']} variants)"
    )
    print(
        f"index build: {ours['index_seconds']:.2f} s; {ours['index']}; a query scores "
        f"{ours['touched_share']:.2%} of the listings on average"
    )
    row = "{:<14} {:>10} {:>10} {:>9} {:>14} {:>13} {:>10} {:>10}"
    print(
        row.format(
            "",
            "names/s",
            "names/cpu-s",
            "recall",
            "recall m+rev",
            "clean flagged",
            "peak MiB",
            "load MiB",
        )
    )
    print(
        row.format(
            "tradecontrol",
            f"{ours['names_per_second']:.0f}",
            f"{ours['names_per_cpu_second']:.0f}",
            f"{ours['recall']:.3f}",
            f"{ours['recall_match_or_review']:.3f}",
            f"{ours['clean_flagged']:.3%}",
            f"{ours['peak_mib']:.0f}",
            f"{ours['load_peak_mib']:.0f}",
        )
    )
    print(
        row.format(
            "rapidfuzz scan",
            f"{scan['names_per_second']:.1f}",
            f"{scan['names_per_cpu_second']:.1f}",
            f"{scan['recall']:.3f}",
            "-",
            f"{scan['clean_flagged']:.3%}",
            f"{scan['peak_mib']:.0f}",
            f"{scan['load_peak_mib']:.0f}",
        )
    )
    print(
        f"recall on the full scan's {scan['variants']} variants: tradecontrol "
        f"{ours['recall_on_scan_sample']:.3f}, rapidfuzz scan {scan['recall']:.3f}"
    )
    print(
        f"speed ratio: {ours['names_per_second'] / scan['names_per_second']:.1f}x wall, "
        f"{ours['names_per_cpu_second'] / scan['names_per_cpu_second']:.1f}x CPU "
        "(target >= 20x at equal or better recall; >= 1,000 names/s on one core)"
    )


if __name__ == "__main__":
    main()
