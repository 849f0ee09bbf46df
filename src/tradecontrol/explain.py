"""Explanations: a decision's reasoning as text, and the ownership graph as DOT or Mermaid.

:func:`ownership_view` collects the part of the ownership graph reachable from a
transaction's parties (owners the transaction states and edges the rulebook knows), with
each entity's listings in force and the ownership regimes under whose test it is blocked.
:func:`to_dot` and :func:`to_mermaid` write it as Graphviz DOT or Mermaid text (no binary
needed; render with any DOT or Mermaid viewer), blocked nodes filled red.
:func:`explain_lines` turns a :class:`~tradecontrol.Decision` into readable lines. Pure
functions: ``tradecontrol explain`` (the CLI) prints them.

Example:
    >>> from tradecontrol import Rulebook, Transaction
    >>> from tradecontrol.explain import ownership_view, to_mermaid
    >>> t = Transaction.from_dict({"id": "T", "date": "2023-01-10", "parties": [
    ...     {"role": "beneficiary", "entity": {"name": "Gamma Industrial LLC", "owners": [
    ...         {"owner": {"name": "Holding A"}, "share_percent": "30"}]}}]})
    >>> print(to_mermaid(ownership_view(t, Rulebook.default(), t.date)))
    graph BT
      n0["Gamma Industrial LLC<br/>(beneficiary)"]
      n1["Holding A"]
      n1 -->|30%| n0
      classDef blocked fill:#f4cccc,stroke:#c0392b,stroke-width:2px
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import attrs

from tradecontrol._time import Moment
from tradecontrol.decision import Decision
from tradecontrol.drawdown import drawdown_text
from tradecontrol.errors import DataError
from tradecontrol.ownership import assess, ownership_graph
from tradecontrol.rules._blocking import ownership_test
from tradecontrol.transactions import Transaction

TYPE_CHECKING = False
if TYPE_CHECKING:  # pragma: no cover
    from tradecontrol.rulebook import Rulebook

__all__ = [
    "GraphEdge",
    "GraphNode",
    "OwnershipView",
    "explain_lines",
    "ownership_view",
    "to_dot",
    "to_mermaid",
]

_REGIMES = (
    ("ofac.fifty_percent", "OFAC", None),
    ("eu.ownership_control", "EU", None),
    ("uk.ownership_control", "UK", None),
    ("ear.affiliates", "EAR affiliates", "owner_list_codes"),
)


@attrs.frozen(kw_only=True, slots=True)
class GraphNode:
    """An entity in the ownership view.

    Args:
        key: Stable node key (``n0``, ``n1``… in discovery order from the parties).
        name: The entity's name.
        roles: Roles of the transaction's parties that are this entity.
        listed: ``LIST:name`` of listings in force the entity matches.
        blocked: Regimes under whose ownership test the entity is blocked (``OFAC``…).
    """

    key: str
    name: str
    roles: tuple[str, ...] = ()
    listed: tuple[str, ...] = ()
    blocked: tuple[str, ...] = ()


@attrs.frozen(kw_only=True, slots=True)
class GraphEdge:
    """``owner`` holds ``share`` percent of ``owned`` (node keys); ``control`` if stated."""

    owner: str
    owned: str
    share: Decimal | None
    control: bool = False


@attrs.frozen(kw_only=True, slots=True)
class OwnershipView:
    """The reachable ownership graph of a transaction, ready to draw."""

    nodes: tuple[GraphNode, ...]
    edges: tuple[GraphEdge, ...]


def ownership_view(transaction: Transaction, rulebook: Rulebook, as_of: Moment) -> OwnershipView:
    """The ownership graph reachable from ``transaction``'s parties, with blocked marks.

    Args:
        transaction: The transaction (its parties and the owners they state).
        rulebook: Listings, known ownership edges and the ownership rules' parameters.
        as_of: The moment (date or aware datetime) at which listings are read.

    Returns:
        An :class:`OwnershipView`; nodes in discovery order from the parties.
    """
    entities = [p.entity for p in transaction.parties]
    starts, nodes, edges = ownership_graph(entities, rulebook, as_of)
    order = list(dict.fromkeys([*starts, *nodes]))
    keys = {n: f"n{i}" for i, n in enumerate(order)}
    ordered = [nodes[n] for n in order]
    blocked: dict[int, list[str]] = {n: [] for n in order}
    listed: dict[int, list[str]] = {n: [] for n in order}
    for rule_id, label, codes_key in _REGIMES:
        try:
            info = rulebook.rule(rule_id)
        except DataError:
            continue
        codes = info.param(codes_key) if codes_key else info.list_codes
        results = assess(ordered, rulebook, as_of, ownership_test(info, as_of, codes))
        for n, result in zip(order, results, strict=True):
            if result.blocked:
                blocked[n].append(label)
            for m in result.listed:
                mark = f"{m.listing.list_code}"
                if mark not in listed[n]:
                    listed[n].append(mark)
    roles: dict[int, list[str]] = {n: [] for n in order}
    for party, n in zip(transaction.parties, starts, strict=True):
        roles[n].append(party.role.value)
    return OwnershipView(
        nodes=tuple(
            GraphNode(
                key=keys[n],
                name=nodes[n].name,
                roles=tuple(roles[n]),
                listed=tuple(listed[n]),
                blocked=tuple(blocked[n]),
            )
            for n in order
        ),
        edges=tuple(
            GraphEdge(owner=keys[owner], owned=keys[n], share=share, control=control)
            for n in order
            for owner, share, control in sorted(edges[n], key=lambda e: keys[e[0]])
        ),
    )


def _label(node: GraphNode, newline: str, escape: Callable[[str], str] = str) -> str:
    parts = [node.name]
    if node.roles:
        parts.append("(" + ", ".join(r.replace("_", " ") for r in node.roles) + ")")
    if node.listed:
        parts.append("listed: " + ", ".join(node.listed))
    if node.blocked:
        parts.append("blocked: " + ", ".join(node.blocked))
    return newline.join(escape(part) for part in parts)


_MERMAID_ESCAPES = str.maketrans(
    {"#": "#35;", '"': "#quot;", "<": "#lt;", ">": "#gt;", "&": "#amp;", "`": "#96;"}
)


def _mermaid_text(text: str) -> str:
    """Text as Mermaid entity codes where it could end the label or be read as HTML."""
    return text.translate(_MERMAID_ESCAPES)


def _edge_label(edge: GraphEdge) -> str:
    share = f"{edge.share.normalize():f}%" if edge.share is not None else "share unknown"
    return share + (" + control" if edge.control else "")


def to_dot(view: OwnershipView) -> str:
    """Graphviz DOT text: owners point to what they own; blocked nodes filled red.

    Example:
        >>> from tradecontrol.explain import GraphNode, OwnershipView, to_dot
        >>> print(to_dot(OwnershipView(nodes=(GraphNode(key="n0", name="A&B"),), edges=())))
        digraph ownership {
          rankdir=BT;
          node [shape=box, style="rounded,filled", fillcolor=white, fontname=Helvetica];
          n0 [label="A&B"];
        }
    """

    def quote(text: str) -> str:
        escaped = text.replace("\\", "\\\\").replace('"', '\\"')
        return '"' + escaped.replace("\n", "\\n") + '"'

    lines = [
        "digraph ownership {",
        "  rankdir=BT;",
        '  node [shape=box, style="rounded,filled", fillcolor=white, fontname=Helvetica];',
    ]
    for node in view.nodes:
        extra = ', fillcolor="#f4cccc", color="#c0392b", penwidth=2' if node.blocked else ""
        lines.append(f"  {node.key} [label={quote(_label(node, chr(10)))}{extra}];")
    for edge in view.edges:
        lines.append(f"  {edge.owner} -> {edge.owned} [label={quote(_edge_label(edge))}];")
    lines.append("}")
    return "\n".join(lines)


def to_mermaid(view: OwnershipView) -> str:
    """Mermaid flowchart text: owners point to what they own; blocked nodes styled red."""
    lines = ["graph BT"]
    for node in view.nodes:
        cls = ":::blocked" if node.blocked else ""
        lines.append(f'  {node.key}["{_label(node, "<br/>", _mermaid_text)}"]{cls}')
    for edge in view.edges:
        lines.append(f"  {edge.owner} -->|{_edge_label(edge)}| {edge.owned}")
    lines.append("  classDef blocked fill:#f4cccc,stroke:#c0392b,stroke-width:2px")
    return "\n".join(lines)


def explain_lines(decision: Decision) -> list[str]:
    """A decision's reasoning, one line per statement (outcome, regimes, findings).

    Example:
        >>> from tradecontrol import Rulebook, Transaction, evaluate
        >>> from tradecontrol.explain import explain_lines
        >>> t = Transaction.from_dict({"id": "T-9", "date": "2019-05-10", "parties": []})
        >>> explain_lines(evaluate(t, Rulebook.default()))[0]
        'T-9: not_restricted as of 2019-05-10'
    """
    lines = [f"{decision.transaction_id}: {decision.outcome.value} as of {decision.as_of}"]
    for check in getattr(decision, "regimes", ()):
        lines.append(f"  regime {check.regime.value}: {check.reason}")
    for f in decision.findings:
        who = f" {f.party_role}" if f.party_role else ""
        item = f" item {f.item_index}" if f.item_index is not None else ""
        ref = f" (listing {f.listing_id})" if f.listing_id else ""
        ref += f" (licence {f.license_id})" if f.license_id else ""
        lines.append(f"  [{f.outcome.value}] {f.rule}{who}{item}{ref}: {f.message}")
        if f.citations:
            lines.append("      citations: " + "; ".join(f.citations))
        for n in f.near_misses:
            lines.append(f"      near miss {n.license_id}: " + "; ".join(n.failed))
        for c in f.cautions:
            lines.append(f"      caution: {c}")
    for c in decision.cautions:
        lines.append(f"  caution: {c}")
    for d in decision.drawdowns:
        lines.append(f"  drawdown of {drawdown_text(d)}")
    return lines
