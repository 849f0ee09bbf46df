"""Benchmark: name-screening accuracy of tradecontrol beside a plain rapidfuzz baseline.

Prints, measured in the same run, for tradecontrol's scoring
(:mod:`tradecontrol.screening.scoring`, default thresholds) and for the baseline
(``rapidfuzz.process.extractOne`` with ``fuzz.WRatio`` and ``utils.default_process`` over
all names, a hit at 90 or more):

1. nomenklatura's ``cases.csv`` (826 labelled name pairs): precision, recall, F1; also on
   the odd rows alone, the half not used to choose the thresholds (even rows tuned them);
2. yente's UN positives (untreated and treated) screened against the whole UN list:
   recall (a query is found when some listing scores at or above the match threshold);
3. negatives (``negatives_global.csv``, ``negatives_us.csv``, US congress names) screened
   against the UN list plus the full CSL 2022: share of queries with a false match;
4. OFAC's own scores (``ofac_fixtures.csv``): Spearman rank correlation with our score,
   over all pairs and averaged per query.

Queries are persons; tradecontrol is run twice on the list sets: name only, and name with
the date of birth the fixture gives. Listings are found through the blocking keys of
:func:`~tradecontrol.screening.scoring.prepare` (an inverted index looked up with the
query's ``probes``, as the rulebook's candidate index does), so only listings meeting the
query through a key are scored.

Usage::

    python benchmarks/screening_accuracy.py [--shared ../shared] [--limit N]
"""

from __future__ import annotations

import argparse
import csv
import math
import statistics
import sys
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from rapidfuzz import fuzz, process, utils

from tradecontrol import Entity
from tradecontrol.listings import Listing
from tradecontrol.lists import load
from tradecontrol.screening import scoring
from tradecontrol.screening.scoring import Prepared, compare, prepare

ROOT = Path(__file__).resolve().parents[1]
NM = "data/name_matching"
KINDS = {
    "Person": "person",
    "Company": "organization",
    "Organization": "organization",
    "LegalEntity": "unknown",
    "Vessel": "vessel",
}
BASELINE_CUTOFF = 90


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0

    def add(self, predicted: bool, actual: bool) -> None:
        if predicted and actual:
            self.tp += 1
        elif predicted:
            self.fp += 1
        elif actual:
            self.fn += 1
        else:
            self.tn += 1

    def prf(self) -> tuple[float, float, float]:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return p, r, f


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def person(name: str, birth: str | None = None) -> Entity:
    if birth:
        try:
            return Entity(name=name, kind="person", birth_date=birth)
        except ValueError:
            pass
    return Entity(name=name, kind="person")


class Index:
    """Prepared listings and an inverted index of their blocking keys."""

    def __init__(self, listings: Sequence[Listing]) -> None:
        self.prepared = [prepare(item.entity) for item in listings]
        self.postings: dict[str, list[int]] = {}
        for pos, item in enumerate(self.prepared):
            for key in item.keys:
                self.postings.setdefault(key, []).append(pos)
        self.names = [n for item in listings for n in item.entity.names]
        self.touched = 0

    def best(self, query: Prepared) -> float:
        found: set[int] = set()
        for key in query.probes:
            found.update(self.postings.get(key, ()))
        self.touched += len(found)
        return max((compare(query, self.prepared[pos]).score for pos in found), default=0.0)


def baseline_hit(name: str, choices: list[str]) -> bool:
    got = process.extractOne(
        name,
        choices,
        scorer=fuzz.WRatio,
        processor=utils.default_process,
        score_cutoff=BASELINE_CUTOFF,
    )
    return got is not None


def fmt(p: float, r: float, f: float) -> str:
    return f"precision {p:.3f}  recall {r:.3f}  F1 {f:.3f}"


def cases(shared: Path, match: float) -> None:
    data = rows(shared / NM / "nomenklatura/cases.csv")
    ours, ours_odd, base, base_odd = Counts(), Counts(), Counts(), Counts()
    for i, row in enumerate(data):
        kind = KINDS.get(row["schema"], "unknown")
        actual = row["is_match"].strip().lower() == "true"
        score = compare(
            prepare(Entity(name=row["name1"], kind=kind)),
            prepare(Entity(name=row["name2"], kind=kind)),
        ).score
        hit = baseline_hit(row["name1"], [row["name2"]])
        ours.add(score >= match, actual)
        base.add(hit, actual)
        if i % 2:
            ours_odd.add(score >= match, actual)
            base_odd.add(hit, actual)
    print(f"\n1. nomenklatura cases.csv ({len(data)} pairs)")
    print(f"   tradecontrol (match >= {match:.2f}):  {fmt(*ours.prf())}")
    print(f"   rapidfuzz WRatio >= {BASELINE_CUTOFF}:     {fmt(*base.prf())}")
    print(f"   held-out odd rows ({(len(data)) // 2}):")
    print(f"   tradecontrol:                 {fmt(*ours_odd.prf())}")
    print(f"   rapidfuzz WRatio:             {fmt(*base_odd.prf())}")
    print("   (nomenklatura logic-v2 reports F1 0.798 on this set)")


def screen_set(
    label: str,
    queries: Iterable[dict[str, str]],
    index: Index,
    match: float,
    *,
    positive: bool,
) -> None:
    qs = list(queries)
    ours_name = ours_dob = base = 0
    index.touched = 0
    start = time.perf_counter()
    for row in qs:
        name = row["full_name"]
        if index.best(prepare(person(name))) >= match:
            ours_name += 1
        if index.best(prepare(person(name, row.get("date_of_birth") or None))) >= match:
            ours_dob += 1
    ours_time = time.perf_counter() - start
    start = time.perf_counter()
    for row in qs:
        base += baseline_hit(row["full_name"], index.names)
    base_time = time.perf_counter() - start
    n = len(qs)
    what = "recall" if positive else "false matches"
    print(f"   {label} ({n} queries)")
    print(
        f"     tradecontrol name only:      {what} {ours_name / n:.2%}   "
        f"name + birth date: {ours_dob / n:.2%}   "
        f"({2 * n / ours_time:,.0f} queries/s, {index.touched / (2 * n):,.0f} listings scored"
        f" per query of {len(index.prepared):,})"
    )
    print(
        f"     rapidfuzz WRatio >= {BASELINE_CUTOFF}:      {what} {base / n:.2%}   "
        f"({n / base_time:,.0f} queries/s over {len(index.names):,} names)"
    )


def ranks(values: Sequence[float]) -> list[float]:
    order = sorted(range(len(values)), key=lambda i: values[i])
    out = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for k in range(i, j + 1):
            out[order[k]] = (i + j) / 2
        i = j + 1
    return out


def spearman(x: Sequence[float], y: Sequence[float]) -> float:
    if len(set(x)) < 2 or len(set(y)) < 2:
        return float("nan")
    return statistics.correlation(ranks(x), ranks(y))


def ofac(shared: Path) -> None:
    data = rows(shared / NM / "nomenklatura/ofac_fixtures.csv")
    ofac_scores, ours, base = [], [], []
    groups: dict[str, list[int]] = {}
    for i, row in enumerate(data):
        q, r = row["query_name"], row["result_name"]
        ofac_scores.append(float(row["ofac_score"]))
        ours.append(compare(prepare(person(q)), prepare(person(r))).score)
        base.append(fuzz.WRatio(q, r, processor=utils.default_process))
        groups.setdefault(q, []).append(i)

    def per_query(values: list[float]) -> float:
        found = [
            spearman([ofac_scores[i] for i in idx], [values[i] for i in idx])
            for idx in groups.values()
            if len(idx) >= 3
        ]
        found = [v for v in found if not math.isnan(v)]
        return statistics.fmean(found) if found else float("nan")

    print(f"\n4. OFAC fixtures ({len(data)} pairs, {len(groups)} queries): Spearman rank")
    print("   correlation with OFAC's score, all pairs / mean per query (>= 3 results)")
    print(f"   tradecontrol:      {spearman(ofac_scores, ours):.3f} / {per_query(ours):.3f}")
    print(f"   rapidfuzz WRatio:  {spearman(ofac_scores, base):.3f} / {per_query(base):.3f}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--limit", type=int, default=0, help="queries per set (0 = all)")
    parser.add_argument("--match", type=float, default=scoring.DEFAULT_MATCH)
    args = parser.parse_args(argv)
    if not scoring.AVAILABLE:
        print("tradecontrol[screening] is not installed", file=sys.stderr)
        return 2
    shared: Path = args.shared
    match: float = args.match
    print(
        f"thresholds: match {match}, review {scoring.DEFAULT_REVIEW}; "
        f"baseline: rapidfuzz process.extractOne(WRatio, default_process) >= {BASELINE_CUTOFF}"
    )
    cases(shared, match)

    def limited(path: str) -> list[dict[str, str]]:
        data = rows(shared / NM / path)
        return data[: args.limit] if args.limit else data

    un = load(shared / "data/un/UN_consolidated.xml").listings
    csl = load(shared / "data/csl/watchman-2022/consolidated.csv.gz").listings
    print(f"\n2. yente UN positives against the UN list ({len(un):,} listings)")
    un_index = Index(un)
    for name in ("positives_un_untreated.csv", "positives_un_treated.csv"):
        screen_set(
            name,
            limited(f"yente/candidate_generation_benchmark/{name}"),
            un_index,
            match,
            positive=True,
        )
    print(f"\n3. negatives against UN + CSL 2022 ({len(un) + len(csl):,} listings)")
    all_index = Index((*un, *csl))
    for name in (
        "validation_report/negatives_global.csv",
        "validation_report/negatives_us.csv",
        "candidate_generation_benchmark/positives_us_congress_untreated.csv",
    ):
        screen_set(name.split("/")[-1], limited(f"yente/{name}"), all_index, match, positive=False)
    ofac(shared)
    return 0


if __name__ == "__main__":
    sys.exit(main())
