"""Workloads whose pod template names a ServiceAccount the namespace does not have: missing_service_account.
The controller then cannot create pods (FailedCreate: error looking up service account)."""

from __future__ import annotations

from typing import Any

from functions._platform.analyzers.contract import AnalysisContext
from functions._platform.analyzers.kinds import FindingKind, action_per
from functions._platform.domains.kubernetes.analyzers.cluster_state import ClusterState
from functions._platform.domains.kubernetes.analyzers.ownership import (
    earliest,
    event_first_time,
    name_of,
    namespace_of,
)
from functions._platform.domains.kubernetes.analyzers.placement import clip, placed_finding
from sreo_events.models import Finding

TEMPLATE_KINDS = (("Deployment", "deployments"), ("StatefulSet", "statefulsets"), ("DaemonSet", "daemonsets"),
                  ("Job", "jobs"), ("CronJob", "cronjobs"))


def pod_template(kind: str, obj: dict[str, Any]) -> dict[str, Any]:
    spec = obj.get("spec") or {}
    if kind == "CronJob":
        spec = (spec.get("jobTemplate") or {}).get("spec") or {}
    return spec.get("template") or {}


MISSING_SERVICE_ACCOUNT = FindingKind(
    name="missing_service_account", domain="kubernetes",
    actions=(
        action_per("service_account", "list-accounts", "Create service account {service_account} or point {subject} at "
                   "an existing one", "kubectl get serviceaccounts -n {namespace}", "low"),
    ),
)


def _refusals(data: ClusterState, namespace: str) -> list[dict[str, Any]]:
    return [e for e in data.events if namespace_of(e) == namespace and e.get("reason") == "FailedCreate"
            and "service account" in (e.get("message") or "")]


def _missing(data: ClusterState, known: dict[str, set[str]], context: AnalysisContext, kind: str, plural: str,
             obj: dict[str, Any]) -> Finding:
    namespace, account = namespace_of(obj), _account(kind, obj)
    failed = _refusals(data, namespace)
    # without a refused pod the account went missing under pods that still run: a risk for the next pod, not
    # what is failing now
    severity, score, consequence = (("critical", 0.85, "") if failed else
                                    ("info", 0.2, "; no pod has been refused for it yet"))
    return placed_finding(context,
        kind="missing_service_account", subject=name_of(obj), severity=severity, score=score,
        summary=f"{kind.lower()}/{name_of(obj)} runs as serviceaccount {account}, which namespace "
                f"{namespace} does not have{consequence}",
        onset=earliest([event_first_time(e) for e in failed]), persists=True,
        query=data.query(plural, "serviceaccounts", "events"),
        evidence={"namespace": namespace, "kind": kind, "service_account": account,
                  "existing_accounts": sorted(known[namespace])[:20],
                  "events": [clip(e.get("message"), 200) for e in failed[-3:]]},
    )


def _account(kind: str, obj: dict[str, Any]) -> str | None:
    spec = pod_template(kind, obj).get("spec") or {}
    return spec.get("serviceAccountName") or spec.get("serviceAccount")


class ServiceAccountAnalyzer:
    kind = "missing_service_account"
    kinds = (MISSING_SERVICE_ACCOUNT,)

    def analyze(self, data: ClusterState, context: AnalysisContext) -> list[Finding]:
        known: dict[str, set[str]] = {}
        for account in data.serviceaccounts:
            known.setdefault(namespace_of(account), set()).add(name_of(account))
        findings = []
        for kind, plural in TEMPLATE_KINDS:
            for obj in getattr(data, plural):
                namespace, account = namespace_of(obj), _account(kind, obj)
                if not account or namespace not in known or account in known[namespace]:
                    continue  # a namespace whose accounts were not listed tells nothing
                if kind == "Job" and (obj.get("metadata") or {}).get("ownerReferences"):
                    continue  # judged on its CronJob
                findings.append(_missing(data, known, context, kind, plural, obj))
        return findings
