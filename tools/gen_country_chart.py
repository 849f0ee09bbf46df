"""Generate ``src/tradecontrol/data/destinations.json``: Country Chart, Country Groups, embargoes.

Inputs:

* ``../shared/data/ear/country-chart.json`` — the Commerce Country Chart, Supplement No. 1
  to 15 CFR Part 738 (eCFR of 2026-07-23): 196 rows, 16 columns including FC 1, the four
  embargoed rows as pointers to Part 746, footnotes and the territories the EAR names;
* ``../shared/data/ear/country-groups.json`` — the Country Groups, Supplement No. 1 to
  Part 740 (same eCFR date);
* ``tools/sources/destinations-facts.json`` — curated, cited facts: dated Country Group
  changes (Cuba E:1 → E:2 on 2015-07-22, Sudan out of E:1 on 2021-01-14, Ukraine to B and
  Mexico and Cyprus to A:6 on 2020-12-28, Hong Kong follows China from 2020-12-23), the
  regions the rules name, Part 746 embargoes, OFAC comprehensive programs, EU membership by
  date and a subset of the CCL.

Every country name is resolved to an ISO 3166-1 code (with the ISO name table of
``tradecontrol.jurisdictions`` and the facts file's ``name_overrides`` for the source's
typos); a name that resolves to nothing, or two names to one code in a table, stops the
script with the name: nothing is dropped.

Usage::

    python tools/gen_country_chart.py [--shared ../shared]           # write the file
    python tools/gen_country_chart.py [--shared ../shared] --check   # exit 1 if it differs
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path
from typing import Any

from tradecontrol.jurisdictions import country_code

ROOT = Path(__file__).resolve().parents[1]
FACTS = ROOT / "tools" / "sources" / "destinations-facts.json"
OUT = ROOT / "src" / "tradecontrol" / "data" / "destinations.json"
DEFAULT_SHARED = ROOT.parent / "shared"
CHART = "data/ear/country-chart.json"
GROUPS = "data/ear/country-groups.json"
ZONE = "America/New_York"

EXPORT_KINDS = ["export", "reexport", "transfer"]
ALL_KINDS = ["export", "reexport", "transfer", "import", "service", "payment"]
REASON_SECTIONS = {
    "CB": "15 CFR 742.2",
    "NP": "15 CFR 742.3",
    "NS": "15 CFR 742.4",
    "MT": "15 CFR 742.5",
    "RS": "15 CFR 742.6",
    "CC": "15 CFR 742.7",
    "AT": "15 CFR 742.8",
    "FC": "15 CFR 742.17",
}
"""Part 742 section that states the licence requirement and review policy of each reason."""


class SourceError(Exception):
    """A source record cannot be turned into data."""


def _resolver(overrides: dict[str, str]) -> Any:
    def resolve(name: str, where: str) -> str:
        code = overrides.get(name) or country_code(name)
        if code is None:
            raise SourceError(f"{where}: country name {name!r} has no ISO 3166 code")
        return code

    return resolve


def _window(start: str | None, end: str | None) -> dict[str, Any]:
    out: dict[str, Any] = {"zone": ZONE}
    if start:
        out["start"] = start
    if end:
        out["end"] = end
    return out


def _groups(data: dict[str, Any], facts: dict[str, Any], resolve: Any) -> list[dict[str, Any]]:
    changes = {(c["country"], c["group"]): c for c in facts["group_changes"]}
    used: set[tuple[str, str]] = set()
    out = []
    for group, names in data["groups"].items():
        seen: dict[str, str] = {}
        for name in names:
            code = resolve(name, f"{GROUPS} groups[{group!r}]")
            if code in seen:
                raise SourceError(
                    f"{GROUPS} groups[{group!r}]: {name!r} and {seen[code]!r} are both {code}"
                )
            seen[code] = name
            entry: dict[str, Any] = {
                "country": code,
                "group": group,
                "window": _window(None, None),
                "citations": ["15 CFR 740 Supp. 1"],
            }
            change = changes.get((code, group))
            if change is not None:
                if change.get("end"):
                    raise SourceError(
                        f"{code} is in {group} in {GROUPS}, but the facts say it left on "
                        f"{change['end']}"
                    )
                used.add((code, group))
                entry["window"] = _window(change.get("start"), None)
                entry["citations"] = entry["citations"] + change["citations"]
            out.append(entry)
    for key, change in changes.items():
        if key in used:
            continue
        if not change.get("end"):
            raise SourceError(f"{key}: the facts add a membership {GROUPS} does not hold")
        out.append(
            {
                "country": change["country"],
                "group": change["group"],
                "window": _window(change.get("start"), change["end"]),
                "citations": ["15 CFR 740 Supp. 1", *change["citations"]],
            }
        )
    out.sort(key=lambda m: (m["group"], m["country"], m["window"].get("start", "")))
    return out


def _chart(data: dict[str, Any], resolve: Any) -> list[dict[str, Any]]:
    columns = data["columns"]
    if len(columns) != 16 or "FC 1" not in columns:
        raise SourceError(f"{CHART}: expected the 16 columns incl. FC 1, got {columns}")
    rows = []
    for name, row in data["countries"].items():
        unknown = [m for m in row["marks"] if m not in columns]
        if unknown:
            raise SourceError(f"{CHART} countries[{name!r}]: unknown columns {unknown}")
        rows.append(
            {
                "country": resolve(name, f"{CHART} countries"),
                "name": name,
                "marks": [m.replace(" ", "") for m in row["marks"]],
                "footnotes": row["footnotes"],
            }
        )
    for name, row in data["embargoed"].items():
        rows.append(
            {
                "country": resolve(name, f"{CHART} embargoed"),
                "name": name,
                "footnotes": row["footnotes"],
                "pointer": row["pointer"],
            }
        )
    codes = [r["country"] for r in rows]
    dupes = sorted({c for c in codes if codes.count(c) > 1})
    if dupes:
        raise SourceError(f"{CHART}: several rows resolve to {dupes}")
    if len(data["countries"]) != data["countryCount"]:
        raise SourceError(
            f"{CHART}: countryCount {data['countryCount']} != {len(data['countries'])} rows"
        )
    return sorted(rows, key=lambda r: r["country"])


def _territories(data: dict[str, Any], facts: dict[str, Any], resolve: Any) -> list[dict[str, Any]]:
    hk = facts["hong_kong"]
    out = []
    for name, spec in data["territoryInheritance"].items():
        code = resolve(name, f"{CHART} territoryInheritance")
        entry: dict[str, Any] = {
            "code": code,
            "follows": resolve(spec["row"], f"{CHART} territoryInheritance[{name!r}]"),
            "basis": spec["basis"],
            "tables": ["chart"],
            "window": _window(None, None),
            "citations": ["15 CFR 738.3(b)"],
        }
        if code == hk["code"]:
            if entry["follows"] != hk["follows"]:
                raise SourceError(f"{CHART}: Hong Kong follows {entry['follows']}")
            entry.update(
                tables=["chart", "groups"],
                window=_window(hk["start"], None),
                citations=hk["citations"],
            )
        out.append(entry)
    return sorted(out, key=lambda t: t["code"])


def _embargo(spec: dict[str, Any]) -> dict[str, Any]:
    versions = []
    for ver in spec["versions"]:
        item: dict[str, Any] = {
            "window": _window(ver["start"], ver["end"]),
            "scope": ver["scope"],
            "review_policy": ver["review_policy"],
            "text": ver["text"],
            "citations": ver.get("citations", []),
        }
        if ver.get("categories"):
            item["categories"] = ver["categories"]
        if ver.get("license_exception"):
            item["license_exception"] = ver["license_exception"]
        versions.append(item)
    out: dict[str, Any] = {
        "id": spec["id"],
        "authority": spec["authority"],
        "title": spec["title"],
        "places": spec["places"],
        "citations": spec["citations"],
        "versions": versions,
    }
    if spec.get("ear99") == "review":
        out["ear99_review"] = spec.get("ear99_text") or spec["versions"][0]["text"]
    return out


def _eu(facts: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    for batch in facts["eu_members"]["members"]:
        for code in batch["codes"]:
            entry: dict[str, Any] = {
                "country": code,
                "window": _window(batch["start"], batch.get("end")),
            }
            if batch.get("eu_law_until"):
                entry["eu_law_window"] = _window(batch["start"], batch["eu_law_until"])
            entry["window"]["zone"] = "Europe/Brussels"
            if "eu_law_window" in entry:
                entry["eu_law_window"]["zone"] = "Europe/Brussels"
            out.append(entry)
    return sorted(out, key=lambda m: m["country"])


def _rules(facts: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {
            "id": "ear.country_chart",
            "authority": "US-BIS",
            "title": "Commerce Country Chart licence requirements (reasons for control)",
            "citations": ["15 CFR 738.4", "15 CFR 738 Supp. 1"],
            "transaction_kinds": EXPORT_KINDS,
            "parameters": [
                *({"key": k, "values": [sec]} for k, sec in REASON_SECTIONS.items()),
                {"key": "ccl", "values": [facts["ccl"]["citation"]]},
            ],
        },
        {
            "id": "ear.embargo",
            "authority": "US-BIS",
            "title": "Embargoes and other special controls (EAR Part 746)",
            "citations": ["15 CFR 746.1"],
            "transaction_kinds": EXPORT_KINDS,
        },
        {
            "id": "ofac.comprehensive",
            "authority": "US-OFAC",
            "title": "OFAC comprehensive sanctions programs (U.S. persons)",
            "citations": [],
            "transaction_kinds": ALL_KINDS,
            "parameters": [
                {"key": "exceptions_note", "values": [facts["ofac_exceptions_note"]]},
                {"key": "exports_review_note", "values": [facts["ofac_exports_review_note"]]},
            ],
        },
    ]


def build(shared: Path) -> dict[str, Any]:
    facts = json.loads(FACTS.read_text(encoding="utf-8"))
    chart_raw = (shared / CHART).read_bytes()
    groups_raw = (shared / GROUPS).read_bytes()
    chart = json.loads(chart_raw)
    groups = json.loads(groups_raw)
    if chart["ecfrIssueDate"] != groups["ecfrIssueDate"]:
        raise SourceError("the chart and the group tables come from different eCFR dates")
    resolve = _resolver({k: v for k, v in facts["name_overrides"].items() if k != "$comment"})
    destinations = {
        "chart_date": chart["ecfrIssueDate"],
        "groups": _groups(groups, facts, resolve),
        "group_labels": sorted(groups["labels"].items()),
        "chart": _chart(chart, resolve),
        "footnotes": sorted((int(n), t) for n, t in chart["footnotes"].items()),
        "territories": _territories(chart, facts, resolve),
        "regions": facts["regions"],
        "region_caution": facts["region_caution"],
        "embargoes": [_embargo(e) for e in facts["embargoes"]],
        "ofac_programs": [
            {
                "id": p["id"],
                "title": p["title"],
                "places": p["places"],
                "citations": p["citations"],
                "window": _window(p["start"], None),
                "exports_review": p.get("exports") == "review",
            }
            for p in facts["ofac_programs"]
        ],
        "eu_members": _eu(facts),
        "ccl": [
            {"eccn": eccn, "reasons": e["reasons"], "partial": e["partial"]}
            for eccn, e in sorted(facts["ccl"]["entries"].items())
        ],
    }
    sources = [
        {
            "name": chart["citation"] + " (eCFR-derived JSON)",
            "path": CHART,
            "sha256": hashlib.sha256(chart_raw).hexdigest(),
            "url": chart["source"]["url"],
            "snapshot": chart["ecfrIssueDate"],
        },
        {
            "name": groups["citation"] + " (eCFR-derived JSON)",
            "path": GROUPS,
            "sha256": hashlib.sha256(groups_raw).hexdigest(),
            "url": groups["source"]["url"],
            "snapshot": groups["ecfrIssueDate"],
        },
        {
            "name": "tradecontrol curated facts: Country Group changes, embargoes, OFAC "
            "programs, EU membership, CCL subset",
            "path": "tools/sources/destinations-facts.json",
            "sha256": hashlib.sha256(FACTS.read_bytes()).hexdigest(),
        },
    ]
    body = {
        "format": "tradecontrol.destinations",
        "version": "",
        "sources": sources,
        "rules": _rules(facts),
        "destinations": destinations,
    }
    content = json.dumps({**body, "sources": None}, sort_keys=True).encode()
    body["version"] = f"{facts['data_version']}+{hashlib.sha256(content).hexdigest()[:10]}"
    return body


def render(shared: Path) -> str:
    return json.dumps(build(shared), ensure_ascii=False, indent=1) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED, help="shared data folder")
    parser.add_argument("--check", action="store_true", help="exit 1 if the committed file differs")
    args = parser.parse_args(argv)
    try:
        text = render(args.shared)
    except SourceError as exc:
        print(f"gen_country_chart: {exc}", file=sys.stderr)
        return 1
    if args.check:
        if not OUT.exists() or OUT.read_text(encoding="utf-8") != text:
            print(f"{OUT} is out of date; run tools/gen_country_chart.py", file=sys.stderr)
            return 1
        return 0
    OUT.write_text(text, encoding="utf-8")
    body = json.loads(text)["destinations"]
    print(f"wrote {OUT} ({len(body['chart'])} chart rows, {len(body['groups'])} memberships)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
