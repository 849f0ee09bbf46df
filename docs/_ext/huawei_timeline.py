"""Sphinx extension: figures and schemas generated from the code at build time.

It draws the Huawei listing and licence windows from the bundled rulebook, and writes the
JSON Schemas of Transaction, Listing and Decision to ``_generated/schemas/``.

At build time it reads :meth:`tradecontrol.Rulebook.default` and writes
``_generated/huawei-timeline.svg`` (one bar per listing rule and per licence version,
labelled with its Federal Register citation), so the figure always shows the data the
library uses.
"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")

import matplotlib.dates as mdates
import matplotlib.pyplot as plt

from tradecontrol import Rulebook

END = datetime.date(2020, 10, 31)


def _day(value: Any) -> datetime.date:
    return value.date() if isinstance(value, datetime.datetime) else value


def rows(rulebook: Rulebook) -> list[tuple[str, list[tuple[datetime.date, datetime.date, str]]]]:
    """(label, [(start, end, citation)]) rows for the figure, top to bottom."""
    out: list[tuple[str, list[tuple[datetime.date, datetime.date, str]]]] = []
    starts: dict[str, datetime.date] = {}
    for listing in rulebook.listings:
        first = listing.versions[0]
        if not first.citations:
            continue
        cite = first.citations[0]
        starts.setdefault(cite, _day(first.window.start))
    may = min(d for c, d in starts.items() if c in ("84 FR 22961", "84 FR 22963"))
    out.append(("Entity List: Huawei + 68 affiliates", [(may, END, "84 FR 22961, 16:15 EDT")]))
    out.append(("Entity List: 46 more affiliates", [(starts["84 FR 43495"], END, "84 FR 43495")]))
    for lic in rulebook.licenses:
        if any(v.listing_ids for v in lic.versions) or "ear.entity_list" not in lic.authorizes:
            continue  # the ZTE licences (2016-2018) are not part of the Huawei figure
        bars = [
            (_day(v.window.start), _day(v.window.end) if v.window.end else END, v.citations[0])
            for v in lic.versions
        ]
        out.append((lic.id, bars))
    return out


def draw(rulebook: Rulebook, path: Path) -> None:
    """Write the timeline SVG to ``path``."""
    data = rows(rulebook)
    fig, ax = plt.subplots(figsize=(11, 0.55 * len(data) + 1.2))
    for y, (_, bars) in enumerate(reversed(data)):
        for i, (start, end, cite) in enumerate(bars):
            width = (end - start).days + 1
            ax.barh(
                y,
                width,
                left=mdates.date2num(start),
                height=0.55,
                color="#c0392b"
                if "Entity" in data[len(data) - 1 - y][0]
                else ("#2e86c1" if i % 2 == 0 else "#5dade2"),
                edgecolor="white",
            )
            ax.text(
                mdates.date2num(start) + 2,
                y + (0.32 if i % 2 else -0.05),
                cite,
                fontsize=6.5,
                va="center",
                color="black",
            )
    ax.set_yticks(range(len(data)), [label for label, _ in reversed(data)], fontsize=8)
    ax.xaxis.set_major_locator(mdates.MonthLocator(interval=2))
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y-%m"))
    ax.set_xlim(mdates.date2num(datetime.date(2019, 5, 1)), mdates.date2num(END))
    ax.set_title(
        "Huawei: Entity List listings and the licences that authorize them (bundled rulebook)",
        fontsize=9,
    )
    ax.grid(axis="x", linestyle=":", linewidth=0.5)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, format="svg", metadata={"Date": None})
    plt.close(fig)


def _build(app: Any) -> None:
    generated = Path(app.srcdir) / "_generated"
    draw(Rulebook.default(), generated / "huawei-timeline.svg")
    import json

    from tradecontrol import Decision, Listing, Transaction
    from tradecontrol.schema import json_schema

    for cls in (Transaction, Listing, Decision):
        path = generated / "schemas" / f"{cls.__name__.lower()}.schema.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(json_schema(cls), indent=2, ensure_ascii=False) + "\n")


def setup(app: Any) -> dict[str, Any]:
    """Register the figure generator."""
    app.connect("builder-inited", _build)
    return {"parallel_read_safe": True, "version": "1"}
