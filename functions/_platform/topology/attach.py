"""Findings land on graph nodes: a finding's subject -> the node it is about.

Tried in order: the node id itself; a node's alias (a Deployment name -> the Service fronting it, a DB host ->
`postgres/<db>`); then the subject's plainer spellings (`deployment/payments`, `shop/payments`,
`http://payments:8080`, `payments.shop.svc.cluster.local`, `postgres/orders@orders-db:5432`, a pod name, a
bare node name)."""

from __future__ import annotations

import re
from collections.abc import Iterable

from functions._platform.topology.graph import Graph

KIND_PREFIXES = ("deployment/", "deploy/", "statefulset/", "sts/", "daemonset/", "ds/", "service/", "svc/",
                 "workload/", "pod/", "replicaset/", "rs/", "app/")
KIND_PREFERENCE = ("service", "database", "workload", "external", "ingress", "node")
_NAME_CHARS = "bcdfghjklmnpqrstvwxz2456789"  # what Kubernetes draws generated name suffixes from
_POD_SUFFIX = re.compile(rf"^(?P<base>.+?)(?:-[{_NAME_CHARS}]{{6,10}})?-[{_NAME_CHARS}]{{5}}$")
_ORDINAL = re.compile(r"^(?P<base>.+)-\d+$")


def generated_bases(name: str) -> list[str]:
    """What a generated pod name was made from: `cart-7d9f8b6c5-x2x7q` -> `cart`, `db-0` -> `db`."""
    return [match["base"] for pattern in (_POD_SUFFIX, _ORDINAL) if (match := pattern.match(name))]


def _spellings(subject: str) -> list[str]:
    text = subject.strip()
    candidates = [text, text.lower()]
    lowered = text.lower()
    for prefix in KIND_PREFIXES:
        if lowered.startswith(prefix):
            candidates.append(lowered[len(prefix):])
    if "://" in lowered:
        host = lowered.split("://", 1)[1].split("/", 1)[0].rsplit("@", 1)[-1].split(":", 1)[0]
        candidates += [host, host.split(".", 1)[0]]
    if "@" in lowered and "/" in lowered:
        candidates.append(lowered.split("@", 1)[0])  # postgres/orders@orders-db:5432 -> postgres/orders
    if lowered.count("/") == 1 and "://" not in lowered:
        candidates.append(lowered.split("/", 1)[1])  # shop/payments -> payments
    bare = candidates[-1]
    if ":" in bare:
        candidates.append(bare.rsplit(":", 1)[0])
    if ".svc" in bare or bare.count(".") == 1:
        candidates.append(bare.split(".", 1)[0])
    candidates += generated_bases(bare)
    candidates.append(f"node/{bare}")
    return list(dict.fromkeys(candidates))


def _prefer(graph: Graph, ids: list[str]) -> str:
    def rank(node_id: str) -> tuple[int, str]:
        kind = graph.nodes[node_id].kind
        return (KIND_PREFERENCE.index(kind) if kind in KIND_PREFERENCE else len(KIND_PREFERENCE), node_id)

    return min(ids, key=rank)


def attach_one(graph: Graph, subject: str, aliases: dict[str, list[str]] | None = None) -> str | None:
    aliases = aliases if aliases is not None else graph.alias_index()
    if subject in graph.nodes:
        return subject
    if subject in aliases:
        return _prefer(graph, aliases[subject])
    for spelling in _spellings(subject)[1:]:
        if spelling in graph.nodes:
            return spelling
        if spelling in aliases:
            return _prefer(graph, aliases[spelling])
    return None


def attach(graph: Graph, subjects: Iterable[str]) -> dict[str, str]:
    """Subject -> node id for each subject that lands on the graph; the others are left out."""
    aliases = graph.alias_index()
    attached = {}
    for subject in subjects:
        node_id = attach_one(graph, subject, aliases)
        if node_id is not None:
            attached[subject] = node_id
    return attached
