"""Sphinx extension: the example ownership graph of docs/ownership.rst, drawn at build time.

It reads ``docs/_data/ownership-example.json`` (listings and a transaction), builds the
ownership view with :func:`tradecontrol.explain.ownership_view` and writes, under
``_generated/``:

* ``ownership-example.svg`` — the graph drawn with matplotlib (owners above what they own,
  blocked entities filled red), so the figure always shows what the library computes;
* ``ownership-example.dot`` and ``ownership-example.mmd`` — the same graph as
  ``tradecontrol explain --graph dot|mermaid`` writes it;
* ``ownership-example.txt`` — the ``tradecontrol explain`` reasoning.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt

from tradecontrol import Listing, Rulebook, Transaction, evaluate
from tradecontrol.explain import OwnershipView, explain_lines, ownership_view, to_dot, to_mermaid


def levels(view: OwnershipView) -> dict[str, int]:
    """Row of each node: parties at 0, each owner one row above what it owns (first seen)."""
    owners: dict[str, list[str]] = {}
    for e in view.edges:
        owners.setdefault(e.owned, []).append(e.owner)
    row = {n.key: 0 for n in view.nodes if n.roles}
    queue = list(row)
    for key in queue:
        for owner in owners.get(key, ()):
            if owner not in row:
                row[owner] = row[key] + 1
                queue.append(owner)
    for n in view.nodes:
        row.setdefault(n.key, 0)
    return row


def draw(view: OwnershipView, path: Path) -> None:
    """Write the SVG drawing of ``view`` to ``path``."""
    row = levels(view)
    by_row: dict[int, list[str]] = {}
    for n in view.nodes:
        by_row.setdefault(row[n.key], []).append(n.key)
    width = max(len(v) for v in by_row.values())
    pos = {
        key: ((i + 0.5) * width / len(keys), r * 1.6)
        for r, keys in by_row.items()
        for i, key in enumerate(keys)
    }
    fig, ax = plt.subplots(figsize=(2.6 * width + 1, 1.5 * (max(by_row) + 1) + 0.6))
    for e in view.edges:
        (x0, y0), (x1, y1) = pos[e.owner], pos[e.owned]
        ax.annotate(
            "",
            xy=(x1, y1 + 0.35),
            xytext=(x0, y0 - 0.35),
            arrowprops={"arrowstyle": "->", "color": "#555555", "lw": 1.2},
        )
        share = f"{e.share.normalize():f}%" if e.share is not None else "?"
        ax.text(
            (x0 + x1) / 2,
            (y0 + y1) / 2,
            share + (" + control" if e.control else ""),
            fontsize=8,
            ha="center",
            va="center",
            bbox={"boxstyle": "round,pad=0.2", "fc": "white", "ec": "none"},
        )
    for n in view.nodes:
        x, y = pos[n.key]
        lines = [n.name]
        if n.roles:
            lines.append("(" + ", ".join(r.replace("_", " ") for r in n.roles) + ")")
        if n.listed:
            lines.append("listed: " + ", ".join(n.listed))
        if n.blocked:
            lines.append("blocked: " + ", ".join(n.blocked))
        ax.text(
            x,
            y,
            "\n".join(lines),
            fontsize=8,
            ha="center",
            va="center",
            bbox={
                "boxstyle": "round,pad=0.4",
                "fc": "#f4cccc" if n.blocked else "white",
                "ec": "#c0392b" if n.blocked else "#333333",
                "lw": 2 if n.blocked else 1,
            },
        )
    ax.set_xlim(0, width)
    ax.set_ylim(-0.8, max(by_row) * 1.6 + 0.8)
    ax.axis("off")
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, format="svg", metadata={"Date": None})
    plt.close(fig)


def _build(app: Any) -> None:
    src = Path(app.srcdir)
    data = json.loads((src / "_data" / "ownership-example.json").read_text(encoding="utf-8"))
    rulebook = Rulebook.default().with_listings(Listing.from_dict(x) for x in data["listings"])
    transaction = Transaction.from_dict(data["transaction"])
    view = ownership_view(transaction, rulebook, transaction.date)
    out = src / "_generated"
    draw(view, out / "ownership-example.svg")
    (out / "ownership-example.dot").write_text(to_dot(view) + "\n", encoding="utf-8")
    (out / "ownership-example.mmd").write_text(to_mermaid(view) + "\n", encoding="utf-8")
    lines = explain_lines(evaluate(transaction, rulebook))
    (out / "ownership-example.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")


def setup(app: Any) -> dict[str, Any]:
    """Register the figure generator."""
    app.connect("builder-inited", _build)
    return {"parallel_read_safe": True, "version": "1"}
