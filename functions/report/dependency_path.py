"""The dependency path from the alerted service to the cause, over the stored dependency graph, and its picture:
an inline SVG drawn on the server (no script, no network), every label escaped."""

from __future__ import annotations

from collections import deque
from html import escape

from functions._platform.rendering import plain_text
from functions._platform.topology.attach import attach_one
from functions._platform.topology.graph import Graph
from functions.report.model import DependencyPath

MAX_HOPS = 6
BOX_W, BOX_H, GAP, PAD, LABEL_CHARS = 150, 44, 56, 12, 20


def shortest_path(graph: Graph, service: str | None, cause: str | None) -> DependencyPath | None:
    """The fewest dependency hops (caller -> callee) from the service's node to the cause's, when both are on
    the graph and they are different nodes; None otherwise."""
    if not service or not cause or not graph.nodes:
        return None
    start, goal = attach_one(graph, service), attach_one(graph, cause)
    if start is None or goal is None or start == goal:
        return None
    callees: dict[str, list[tuple[str, str]]] = {}
    for edge in graph.sorted_edges():
        callees.setdefault(edge.caller, []).append((edge.callee, edge.kind))
    came_from: dict[str, tuple[str, str]] = {}
    queue, seen = deque([(start, 0)]), {start}
    while queue:
        node, hops = queue.popleft()
        if node == goal:
            break
        if hops == MAX_HOPS:
            continue
        for callee, kind in callees.get(node, []):
            if callee not in seen:
                seen.add(callee)
                came_from[callee] = (node, kind)
                queue.append((callee, hops + 1))
    if goal not in came_from:
        return None
    nodes, links = [goal], []
    while nodes[-1] != start:
        caller, kind = came_from[nodes[-1]]
        nodes.append(caller)
        links.append(kind)
    return DependencyPath(nodes=nodes[::-1], links=links[::-1])


def _label(text: str) -> str:
    text = plain_text(text)
    return text if len(text) <= LABEL_CHARS else text[: LABEL_CHARS - 1] + "…"


def path_svg(path: DependencyPath) -> str:
    """Boxes left to right, the alerted service first and the cause last, an arrow per dependency."""
    count = len(path.nodes)
    width, height = 2 * PAD + count * BOX_W + (count - 1) * GAP, 2 * PAD + BOX_H + 18
    title = escape(" → ".join(plain_text(node) for node in path.nodes), quote=True)
    parts = [(f'<svg xmlns="http://www.w3.org/2000/svg" class="path" viewBox="0 0 {width} {height}" role="img" '
              f'aria-label="{title}"><title>{title}</title>'
              '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" '
              'orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#5b6475"/></marker></defs>')]
    top = PAD + 18
    for index, node in enumerate(path.nodes):
        x = PAD + index * (BOX_W + GAP)
        role = "symptom" if index == 0 else "cause" if index == count - 1 else "hop"
        fill, stroke = {"symptom": ("#fff1d6", "#c77700"), "cause": ("#fde2e1", "#a4161a")}.get(
            role, ("#f0f2f5", "#9aa3b2"))
        parts.append(f'<g class="node {role}"><rect x="{x}" y="{top}" width="{BOX_W}" height="{BOX_H}" rx="6" '
                     f'fill="{fill}" stroke="{stroke}"/><text x="{x + BOX_W / 2:.0f}" y="{top + BOX_H / 2 + 5:.0f}" '
                     f'font-size="13" text-anchor="middle">{escape(_label(node), quote=True)}</text></g>')
        if index < count - 1:
            x1, x2, y = x + BOX_W, x + BOX_W + GAP, top + BOX_H / 2
            parts.append(f'<line class="link" x1="{x1}" y1="{y:.0f}" x2="{x2 - 2}" y2="{y:.0f}" stroke="#5b6475" '
                         f'stroke-width="2" marker-end="url(#arrow)"/><text x="{x1 + GAP / 2:.0f}" y="{top - 6}" '
                         f'font-size="11" text-anchor="middle">{escape(plain_text(path.links[index]))}</text>')
    parts.append("</svg>")
    return "".join(parts)
