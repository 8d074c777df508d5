"""Containers that cannot be created from their configuration: container_config_error."""

from __future__ import annotations

import re
from typing import Any

from functions._platform.analyzers.contract import AnalysisContext
from functions._platform.analyzers.kinds import FindingKind, action
from functions._platform.domains.kubernetes.analyzers.cluster_state import ClusterState
from functions._platform.domains.kubernetes.analyzers.ownership import (
    earliest,
    events_for,
    name_of,
    namespace_of,
)
from functions._platform.domains.kubernetes.analyzers.placement import parse_time, placed_finding
from functions._platform.domains.kubernetes.analyzers.pod_problems import (
    pods_of,
    problems_by_workload,
    waiting_reason,
)
from sreo_events.models import Finding

CONFIG_REASONS = {"CreateContainerConfigError", "CreateContainerError", "RunContainerError"}
MISSING_KEY = re.compile(r"couldn't find key (?P<key>\S+) in (?P<kind>ConfigMap|Secret) (?P<ns>[\w.-]+)/(?P<name>[\w.-]+)")
MISSING_OBJECT = re.compile(r"(?P<kind>configmap|secret)s? \"(?P<name>[\w.-]+)\" not found", re.IGNORECASE)


def parse_cause(message: str) -> dict[str, Any]:
    if match := MISSING_KEY.search(message):
        return {"missing": "key", "key": match["key"], "source_kind": match["kind"], "source": match["name"]}
    if match := MISSING_OBJECT.search(message):
        kind = "ConfigMap" if match["kind"].lower() == "configmap" else "Secret"
        return {"missing": "object", "source_kind": kind, "source": match["name"]}
    return {}


CONTAINER_CONFIG_ERROR = FindingKind(
    name="container_config_error", domain="kubernetes",
    actions=(
        action("restore-config", "Restore the missing {source_kind} {source} (key {key}) that {subject} references",
               "kubectl get {source_kind_lower} {source} -n {namespace} -o yaml", "low"),
    ),
    runbook_alerts=("KubeContainerWaiting", "KubePodNotReady"),
)


def _cause(data: ClusterState, namespace: str, problems: list[dict]) -> dict[str, Any]:
    """The first parsable cause, with whether a named ConfigMap exists and its keys."""
    causes = [cause for p in problems if (cause := parse_cause(p.get("message") or ""))]
    cause = causes[0] if causes else {}
    if cause.get("source_kind") == "ConfigMap":
        existing = [cm for cm in data.configmaps
                    if name_of(cm) == cause["source"] and namespace_of(cm) == namespace]
        cause["source_exists"] = bool(existing)
        if existing:
            cause["existing_keys"] = sorted(existing[0].get("data") or {})[:20]
    return cause


def _what_failed(cause: dict[str, Any], problems: list[dict]) -> str | None:
    if cause.get("missing") == "key":
        return f"key {cause['key']} missing from {cause['source_kind']} {cause['source']}"
    if cause:
        return f"{cause['source_kind']} {cause['source']} not found"
    return problems[0].get("message") or problems[0].get("reason")


def _is_config_error(status: dict) -> bool:
    return waiting_reason(status) in CONFIG_REASONS


class ContainerConfigAnalyzer:
    kind = "container_config_error"
    kinds = (CONTAINER_CONFIG_ERROR,)

    def analyze(self, data: ClusterState, context: AnalysisContext) -> list[Finding]:
        findings = []
        for (namespace, workload), problems in sorted(problems_by_workload(data, _is_config_error).items()):
            cause = _cause(data, namespace, problems)
            what = _what_failed(cause, problems)
            onset = earliest([parse_time(e.get("firstTimestamp")) for pod in pods_of(problems)
                              for e in events_for(data, namespace, "Pod", pod) if e.get("reason") == "Failed"])
            findings.append(placed_finding(context,
                kind="container_config_error", subject=workload, severity="critical", score=0.9,
                summary=f"{workload}: container cannot start: {what}", onset=onset, persists=True,
                query=data.query("pods", "events", "configmaps"),
                evidence={"namespace": namespace, "pods": pods_of(problems), "cause": cause,
                          "messages": sorted({p["message"] for p in problems if p.get("message")})},
            ))
        return findings
