"""Generate the bundled rulebook ``src/tradecontrol/data/rulebook.json``.

Inputs:

* ``tools/sources/huawei-2019-facts.json`` — curated, cited facts: effective dates and
  times of the Entity List rules, the Huawei Temporary General License chain and terms,
  rule parameters (every fact names its Federal Register rule and source id);
* ``tools/sources/nexus-facts.json`` — cited facts for the regime (nexus) checks, de
  minimis and the foreign direct product rules (rules appended to the rulebook);
* ``tools/sources/ownership-facts.json`` — cited facts of the ownership-and-control rules
  (OFAC 50 Percent Rule, EU and UK ownership or control, BIS Affiliates rule) and the
  general licences that authorize them, already in the rulebook's JSON form;
* the trade.gov Consolidated Screening List snapshot in ``../shared`` — every Entity List
  row citing 84 FR 22961/22963 (May 2019) or 84 FR 43495 (August 2019);
* further curated files (:data:`CURATED`), each holding rules, listings and licences in the
  rulebook's own JSON form with the ``sources`` of every object (dropped on output; an
  object without sources stops the script). ``tools/sources/zte-2016-2018-facts.json``:
  the ZTE Entity List entries, TGL, denial order and July 2018 authorization;
  ``tools/sources/telecom-supply-chain-facts.json``: the FCC, section 889 and EO 13873
  rules and their dated producer listings. Entries
  marked ``csl_check`` must also appear in the CSL snapshot with that citation.

Every selected CSV row becomes a listing or stops the script with the row number and the
reason: none is dropped.

Usage::

    python tools/gen_rulebook.py [--shared ../shared]           # write the file
    python tools/gen_rulebook.py [--shared ../shared] --check   # exit 1 if it differs
"""

from __future__ import annotations

import argparse
import csv
import gzip
import hashlib
import io
import json
import re
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
FACTS = ROOT / "tools" / "sources" / "huawei-2019-facts.json"
CURATED = (
    ROOT / "tools" / "sources" / "zte-2016-2018-facts.json",
    ROOT / "tools" / "sources" / "telecom-supply-chain-facts.json",
)
NEXUS_FACTS = ROOT / "tools" / "sources" / "nexus-facts.json"
OWNERSHIP_FACTS = ROOT / "tools" / "sources" / "ownership-facts.json"
OUT = ROOT / "src" / "tradecontrol" / "data" / "rulebook.json"
DEFAULT_SHARED = ROOT.parent / "shared"
ZONE = "America/New_York"


class SourceError(Exception):
    """A source row cannot be turned into a listing."""


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ")).strip()


def _citations(cell: str) -> list[str]:
    return [c for c in (_clean(x) for x in cell.split(",")) if c]


def _address(text: str, row: int) -> dict[str, Any]:
    parts = [p.strip() for p in text.split(",")]
    country = parts[-1]
    if not re.fullmatch(r"[A-Z]{2}", country):
        raise SourceError(f"row {row}: address {text!r} does not end in a country code")
    street = ", ".join(p for p in parts[:-1] if p)
    out: dict[str, Any] = {"country": country}
    if street:
        out["street"] = street
    return out


def _window(start: str, end: str | None) -> dict[str, Any]:
    out: dict[str, Any] = {"start": start, "zone": ZONE}
    if end is not None:
        out["end"] = end
    return out


def _day_before(iso_day: str) -> str:
    from datetime import date, timedelta

    return (date.fromisoformat(iso_day[:10]) - timedelta(days=1)).isoformat()


def _listing(row: dict[str, str], rownum: int, facts: dict[str, Any]) -> dict[str, Any]:
    csl = facts["csl"]
    rules = facts["entity_list_rules"]
    effective_of = {c: r for r in rules for c in r["citations"]}
    cites = _citations(row["federal_register_notice"])
    unknown = [c for c in cites if c not in effective_of]
    if unknown:
        raise SourceError(f"row {rownum}: no effective date known for {unknown}")
    name = _clean(row["name"])
    remarks = None
    marker = csl["affiliate_marker"]
    if marker in name:
        parent, _, name = name.partition(marker)
        name = name.strip()
        remarks = f"Listed under the entry for {parent.strip().rstrip('.')}."
    aliases = [a for a in (_clean(x) for x in row["alt_names"].split(";")) if a]
    addresses = [_address(a, rownum) for a in (x.strip() for x in row["addresses"].split(";")) if a]
    if not addresses:
        raise SourceError(f"row {rownum}: no address, so no country")
    policy_text = _clean(row["license_policy"])
    policy = facts["review_policies"].get(policy_text)
    if policy is None:
        raise SourceError(f"row {rownum}: unknown licence review policy {policy_text!r}")

    # One version per distinct effective date of the entry's Federal Register citations.
    by_date: dict[str, list[str]] = {}
    for c in cites:
        by_date.setdefault(effective_of[c]["effective"], []).append(c)
    starts = sorted(by_date, key=lambda s: s[:10])
    std = facts["standards_exception"]
    std_from = effective_of[std["from_citation"]]["effective"]
    csl_text = _clean(row["license_requirement"])
    versions = []
    so_far: list[str] = []
    for i, start in enumerate(starts):
        so_far.extend(by_date[start])
        end = _day_before(starts[i + 1]) if i + 1 < len(starts) else None
        if start[:10] >= std_from[:10]:
            if std["text_must_contain"] not in csl_text:
                raise SourceError(f"row {rownum}: licence requirement lacks the 2020 exception")
            requirement = {
                "scope": "all_items_subject_to_ear",
                "text": csl_text,
                "exceptions": [
                    {
                        "label": std["label"],
                        "citations": std["citations"],
                        "conditions": std["conditions"],
                    }
                ],
            }
        else:
            requirement = {
                "scope": "all_items_subject_to_ear",
                "text": facts["license_requirement_2019"]["text"],
            }
        version: dict[str, Any] = {
            "window": _window(start, end),
            "license_requirement": requirement,
            "review_policy": policy,
            "citations": list(so_far),
            "note": " ".join(
                effective_of[c]["what"]
                for c in dict.fromkeys(effective_of[c]["citations"][0] for c in by_date[start])
            ),
        }
        versions.append(version)
    listing: dict[str, Any] = {
        "id": "us-el-" + row["_id"][:16],
        "list_code": "EL",
        "authority": "US-BIS",
        "entity": {
            "name": name,
            "kind": "unknown",
            "country": addresses[0]["country"],
            "aliases": aliases,
            "addresses": addresses,
        },
        "versions": versions,
        "source_url": row["source_list_url"] or None,
    }
    if remarks:
        listing["remarks"] = remarks
    return listing


def _licence(spec: dict[str, Any], facts: dict[str, Any]) -> dict[str, Any]:
    versions = spec["versions"]
    if isinstance(versions, str):
        other = versions.removeprefix("same_as:")
        versions = next(x for x in facts["licenses"] if x["id"] == other)["versions"]
    group_e = facts["country_group_e_2019"]
    common: list[dict[str, Any]] = []
    if spec["end_uses"]:
        common.append(
            {
                "test": "end_use_in",
                "values": spec["end_uses"],
                "label": "authorized activities: " + ", ".join(spec["end_uses"]),
            }
        )
    if spec["exclude_country_group_e"]:
        common.append(
            {"test": "not_involving", "values": group_e["values"], "label": group_e["label"]}
        )
    out_versions = []
    for ver in versions:
        item: dict[str, Any] = {
            "window": _window(ver["start"], ver["end"]),
            "citations": ver["citations"],
            "listing_citations": facts["listing_sets"][ver["listings"]],
            "conditions": common + spec["terms"][ver["terms"]],
        }
        if ver.get("note"):
            item["note"] = ver["note"]
        out_versions.append(item)
    return {
        "id": spec["id"],
        "kind": spec["kind"],
        "issuer": spec["issuer"],
        "title": spec["title"],
        "authorizes": spec["authorizes"],
        "citations": spec["citations"],
        "versions": out_versions,
    }


def _sourced(obj: dict[str, Any], where: str) -> dict[str, Any]:
    """``obj`` without its ``sources`` (which must be a non-empty list)."""
    sources = obj.get("sources")
    if not isinstance(sources, list) or not sources:
        raise SourceError(f"{where}: no sources")
    return {k: val for k, val in obj.items() if k not in ("sources", "csl_check")}


def _curated(
    path: Path, csl_rows: list[dict[str, str]]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]], str]:
    """Rules, listings and licences of one curated file, every object checked for sources."""
    data = json.loads(path.read_text(encoding="utf-8"))
    name = path.name
    rules = [_sourced(r, f"{name}: rule {r.get('id')}") for r in data.get("rules", [])]
    listings = []
    for raw in data.get("listings", []):
        where = f"{name}: listing {raw.get('id')}"
        check = raw.get("csl_check")
        if check is not None and not any(
            _clean(row["name"]) == check["name"]
            and check["citation"] in _citations(row["federal_register_notice"])
            for row in csl_rows
        ):
            raise SourceError(f"{where}: no CSL row {check['name']!r} citing {check['citation']}")
        listing = _sourced(raw, where)
        listing["versions"] = [
            _sourced(ver, f"{where} version {i}") for i, ver in enumerate(raw["versions"])
        ]
        listings.append(listing)
    licences = []
    for raw in data.get("licenses", []):
        where = f"{name}: licence {raw.get('id')}"
        lic = _sourced(raw, where)
        lic["versions"] = [
            _sourced(ver, f"{where} version {i}") for i, ver in enumerate(raw["versions"])
        ]
        licences.append(lic)
    return rules, listings, licences, data["title"]


def build(shared: Path) -> dict[str, Any]:
    facts = json.loads(FACTS.read_text(encoding="utf-8"))
    csl = facts["csl"]
    path = shared / csl["path"]
    raw = path.read_bytes()
    text = gzip.decompress(raw).decode("utf-8")
    wanted = set(csl["select_citations"])
    listings = []
    el_rows: list[dict[str, str]] = []
    for rownum, row in enumerate(csv.DictReader(io.StringIO(text)), start=2):
        if row["source"] != csl["source_list"]:
            continue
        el_rows.append(row)
        if not wanted & set(_citations(row["federal_register_notice"])):
            continue
        listings.append(_listing(row, rownum, facts))
    licences = [_licence(spec, facts) for spec in facts["licenses"]]
    ownership = json.loads(OWNERSHIP_FACTS.read_text(encoding="utf-8"))
    nexus = json.loads(NEXUS_FACTS.read_text(encoding="utf-8"))
    rules = [
        {k: val for k, val in r.items() if k != "sources"}
        for r in facts["rules"] + nexus["rules"] + ownership["rules"]
    ]
    licences += ownership["licenses"]
    curated_sources = []
    for path in CURATED:
        more_rules, more_listings, more_licences, title = _curated(path, el_rows)
        rules.extend(more_rules)
        listings.extend(more_listings)
        licences.extend(more_licences)
        curated_sources.append(
            {
                "name": "tradecontrol curated facts: " + title,
                "path": "tools/sources/" + path.name,
                "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
            }
        )
    body = {
        "format": "tradecontrol.rulebook",
        "format_version": 1,
        "id": facts["rulebook"]["id"],
        "version": "",
        "snapshot": csl["snapshot"],
        "sources": [
            {
                "name": csl["name"],
                "path": csl["path"],
                "sha256": hashlib.sha256(raw).hexdigest(),
                "url": csl["url"],
                "snapshot": csl["snapshot"],
            },
            {
                "name": "tradecontrol curated facts: " + facts["rulebook"]["title"],
                "path": "tools/sources/huawei-2019-facts.json",
                "sha256": hashlib.sha256(FACTS.read_bytes()).hexdigest(),
            },
            {
                "name": "tradecontrol curated facts: regimes, de minimis, direct product rules",
                "path": "tools/sources/nexus-facts.json",
                "sha256": hashlib.sha256(NEXUS_FACTS.read_bytes()).hexdigest(),
            },
            {
                "name": "tradecontrol curated facts: ownership and control rules",
                "path": "tools/sources/ownership-facts.json",
                "sha256": hashlib.sha256(OWNERSHIP_FACTS.read_bytes()).hexdigest(),
            },
            *curated_sources,
        ],
        "rules": rules,
        "listings": listings,
        "licenses": licences,
        "end_use_codes": facts["end_use_codes"] + ownership["end_use_codes"],
    }
    content = json.dumps({**body, "sources": None}, sort_keys=True).encode()
    body["version"] = (
        f"{facts['rulebook']['data_version']}+{hashlib.sha256(content).hexdigest()[:10]}"
    )
    return body


def render(shared: Path) -> str:
    return json.dumps(build(shared), ensure_ascii=False, indent=1) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--shared",
        type=Path,
        default=DEFAULT_SHARED,
        help="the shared data folder (default: ../shared)",
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="exit 1 if the committed file differs from a fresh build",
    )
    args = parser.parse_args(argv)
    try:
        text = render(args.shared)
    except SourceError as exc:
        print(f"gen_rulebook: {exc}", file=sys.stderr)
        return 1
    if args.check:
        if OUT.read_text(encoding="utf-8") != text:
            print(f"{OUT} is out of date; run tools/gen_rulebook.py", file=sys.stderr)
            return 1
        return 0
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUT} ({len(json.loads(text)['listings'])} listings)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
