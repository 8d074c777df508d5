"""Small read-only views over a list of built manifests."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

Doc = dict[str, Any]

def of_kind(docs: list[Doc], kind: str, group: str | None = None) -> list[Doc]:
    return [d for d in docs if d["kind"] == kind and (group is None or d["apiVersion"].split("/")[0] == group)]

def knative_services(docs: list[Doc]) -> dict[str, Doc]:
    return {d["metadata"]["name"]: d for d in of_kind(docs, "Service", "serving.knative.dev")}

def triggers(docs: list[Doc]) -> list[Doc]:
    return of_kind(docs, "Trigger", "eventing.knative.dev")

def containers(service: Doc) -> list[Doc]:
    return service["spec"]["template"]["spec"]["containers"]

def env_of(service: Doc) -> dict[str, str]:
    return {item["name"]: str(item.get("value", "")) for c in containers(service) for item in c.get("env", [])}

def annotations_of(service: Doc) -> dict[str, str]:
    return service["spec"]["template"].get("metadata", {}).get("annotations", {})

def names(docs: list[Doc], kind: str) -> set[str]:
    return {d["metadata"]["name"] for d in docs if d["kind"] == kind}

def refs(docs: list[Doc]) -> Iterator[tuple[Doc, str, Doc]]:
    """(owner, field, reference) for every Destination ref in Triggers, Brokers and sources."""
    for doc in docs:
        spec = doc.get("spec", {})
        if doc["kind"] == "Trigger":
            yield doc, "subscriber", spec["subscriber"].get("ref", {})
        if doc["kind"] in ("PingSource", "SinkBinding"):
            yield doc, "sink", spec["sink"].get("ref", {})
        if doc["kind"] in ("Trigger", "Broker"):
            sink = spec.get("delivery", {}).get("deadLetterSink")
            if sink:
                yield doc, "deadLetterSink", sink.get("ref", {})

def cpu_millicores(quantity: str | float) -> float:
    text = str(quantity)
    return float(text[:-1]) if text.endswith("m") else float(text) * 1000

MEMORY_UNITS = {"Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "Ti": 2**40, "K": 10**3, "M": 10**6, "G": 10**9, "T": 10**12}

def memory_bytes(quantity: str | int) -> float:
    text = str(quantity)
    for suffix, factor in sorted(MEMORY_UNITS.items(), key=lambda item: -len(item[0])):
        if text.endswith(suffix):
            return float(text[: -len(suffix)]) * factor
    return float(text)
