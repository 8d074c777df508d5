"""aggregated_api_unavailable: an aggregated API (an APIService served by a Service in the cluster: metrics-server's
`metrics.k8s.io`, prometheus-adapter's `custom.metrics.k8s.io`, KEDA's `external.metrics.k8s.io`) is not
Available, and other objects depend on it: HPAs that cannot read their metrics (`FailedGetResourceMetric ... the
server is currently unable to handle the request (get pods.metrics.k8s.io)`), a namespace whose deletion stalls
on discovery (`NamespaceDeletionDiscoveryFailure`). The dependents only show the symptom; the finding is on the
workload behind the APIService's Service, with the dependents as evidence (`blocked_callers`: they depend on it)."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from functions._platform.analyzers.contract import AnalysisContext
from functions._platform.analyzers.kinds import FindingKind, action_per
from functions._platform.domains.kubernetes.analyzers.autoscalers import blind_autoscalers, hpa_condition
from functions._platform.domains.kubernetes.analyzers.cluster_state import ClusterState
from functions._platform.domains.kubernetes.analyzers.dependencies import workloads_behind
from functions._platform.domains.kubernetes.analyzers.ownership import (
    earliest,
    event_count,
    event_first_time,
    name_of,
    namespace_of,
    scaled_workload,
    subject_of,
)
from functions._platform.domains.kubernetes.analyzers.placement import clip, parse_time, placed_finding
from sreo_events.models import Finding

# how clients name an API group in their errors: `(get pods.metrics.k8s.io)`, `metrics.k8s.io/v1beta1: ...`
_RESOURCE_OF_GROUP = re.compile(r"\(get (?P<resource>[\w-]+)\.(?P<group>[a-z0-9-]+(?:\.[a-z0-9-]+)+)")
_GROUP_VERSION = re.compile(r"(?<![\w./-])(?P<group>[a-z0-9-]+(?:\.[a-z0-9-]+)+)/(?P<version>v\d+(?:(?:alpha|beta)\d+)?)\b")
# the HPA controller names the three metrics APIs in words
_METRICS_API = re.compile(r"\b(?P<which>resource|custom|external) metrics API\b")
METRICS_API_GROUPS = {"resource": "metrics.k8s.io", "custom": "custom.metrics.k8s.io",
                      "external": "external.metrics.k8s.io"}
DISCOVERY_FAILURE = "NamespaceDeletionDiscoveryFailure"


def api_groups_named(text: str | None) -> set[str]:
    """The API groups an error message names as failing."""
    text = text or ""
    found = {match["group"] for pattern in (_RESOURCE_OF_GROUP, _GROUP_VERSION) for match in pattern.finditer(text)}
    return found | {METRICS_API_GROUPS[match["which"]] for match in _METRICS_API.finditer(text)}


@dataclass(frozen=True)
class UnavailableApi:
    name: str  # the APIService, `v1beta1.metrics.k8s.io`
    group: str
    namespace: str  # of the Service behind it
    service: str
    reason: str  # FailedDiscoveryCheck, MissingEndpoints, ServiceNotFound, ...
    message: str
    since: datetime | None


def _available_condition(api_service: dict[str, Any]) -> dict[str, Any]:
    conditions = (api_service.get("status") or {}).get("conditions") or []
    return next((c for c in conditions if c.get("type") == "Available"), {})


def unavailable_apis(data: ClusterState) -> list[UnavailableApi]:
    """The APIServices served by a Service in the cluster (not by the API server itself) whose Available condition
    is False."""
    found = []
    for api_service in data.apiservices:
        spec = api_service.get("spec") or {}
        backend = spec.get("service") or {}
        condition = _available_condition(api_service)
        if not backend.get("name") or condition.get("status") != "False":
            continue
        found.append(UnavailableApi(
            name=name_of(api_service), group=str(spec.get("group") or name_of(api_service).split(".", 1)[-1]),
            namespace=str(backend.get("namespace") or ""), service=str(backend["name"]),
            reason=str(condition.get("reason") or "Unavailable"), message=str(condition.get("message") or ""),
            since=parse_time(condition.get("lastTransitionTime"))))
    return found


@dataclass
class Dependents:
    """What depends on the unavailable APIs one Service serves, as the cluster reports it."""

    subjects: set[str] = field(default_factory=set)  # workloads (an HPA's: the workload it scales)
    objects: set[str] = field(default_factory=set)  # `HorizontalPodAutoscaler/shop/checkout`, `Namespace/old-team`
    count: int = 0
    firsts: list[datetime | None] = field(default_factory=list)
    messages: set[str] = field(default_factory=set)


def _dependents(data: ClusterState, groups: set[str]) -> Dependents:
    found = Dependents()
    for event in data.events:
        if event.get("type") != "Warning" or not api_groups_named(event.get("message")) & groups:
            continue
        involved = event.get("involvedObject") or event.get("regarding") or {}
        namespace = namespace_of(event)
        found.subjects.add(subject_of(data, involved.get("kind", ""), involved.get("name", ""), namespace))
        found.objects.add(f"{involved.get('kind')}/{namespace}/{involved.get('name')}")
        found.count += event_count(event)
        found.firsts.append(event_first_time(event))
        found.messages.add(clip(event.get("message"), 200))
    for hpa in blind_autoscalers(data):
        inactive = hpa_condition(hpa, "ScalingActive")
        if api_groups_named(inactive.get("message")) & groups:
            found.subjects.add(scaled_workload(data, hpa))
            found.objects.add(f"HorizontalPodAutoscaler/{namespace_of(hpa)}/{name_of(hpa)}")
            found.firsts.append(parse_time(inactive.get("lastTransitionTime")))
            found.messages.add(clip(inactive.get("message"), 200))
    for namespace in data.namespaces:
        for condition in (namespace.get("status") or {}).get("conditions") or []:
            if (condition.get("type") == DISCOVERY_FAILURE and condition.get("status") == "True"
                    and api_groups_named(condition.get("message")) & groups):
                found.objects.add(f"Namespace/{name_of(namespace)}")
                found.count += 1
                found.firsts.append(parse_time(condition.get("lastTransitionTime")))
                found.messages.add(clip(condition.get("message"), 200))
    return found


def _by_service(data: ClusterState) -> dict[tuple[str, str], list[UnavailableApi]]:
    """(namespace, Service) -> the unavailable APIs it serves."""
    by_service: dict[tuple[str, str], list[UnavailableApi]] = defaultdict(list)
    for api in unavailable_apis(data):
        by_service[(api.namespace, api.service)].append(api)
    return dict(sorted(by_service.items()))


def aggregated_api_services(data: ClusterState) -> set[tuple[str, str]]:
    """(namespace, Service) behind the unavailable aggregated APIs that something in the cluster depends on."""
    return {key for key, apis in _by_service(data).items() if _dependents(data, {a.group for a in apis}).objects}


AGGREGATED_API_UNAVAILABLE = FindingKind(
    name="aggregated_api_unavailable", domain="kubernetes",
    actions=(
        action_per("apiservice", "check-apiservice", "Check the aggregated API {apiservice}: why it is not Available, "
                   "and the pods and endpoints of the Service serving it",
                   "kubectl get apiservice {apiservice} -o yaml", "low"),
    ),
    mitigation=(("Restore the Service behind the APIService (its pods, endpoints and their own errors, such as a "
                 "failing metrics scrape); an APIService nothing serves any more can be deleted."),
                ("Whatever reads that API stays blind: HPAs do not scale, namespaces do not finish deleting, and "
                 "discovery keeps failing for clients.")),
    runbook_alerts=("KubeAggregatedAPIDown", "KubeAggregatedAPIErrors"),
)


class AggregatedApiAnalyzer:
    kind = "aggregated_api_unavailable"
    kinds = (AGGREGATED_API_UNAVAILABLE,)

    def analyze(self, data: ClusterState, context: AnalysisContext) -> list[Finding]:
        findings = []
        for (namespace, service), apis in _by_service(data).items():
            dependents = _dependents(data, {api.group for api in apis})
            subject = min(workloads_behind(data, service, namespace))
            names = sorted(api.name for api in apis)
            reasons = sorted({f"{api.reason}: {clip(api.message, 200)}" for api in apis})
            blind = f"; {len(dependents.objects)} object(s) depend on it" if dependents.objects else ""
            findings.append(placed_finding(
                context, kind=self.kind, subject=subject,
                severity="critical" if dependents.objects else "warning",
                score=min(1.0, 0.7 + 0.02 * dependents.count) if dependents.objects else 0.4,
                summary=f"{subject}: aggregated API {', '.join(names)} (Service {namespace}/{service}) is not "
                        f"available{blind}: {reasons[0]}",
                onset=earliest([api.since for api in apis]) or earliest(dependents.firsts),
                query=data.query("apiservices", "events", "namespaces"), persists=True,
                evidence={"namespace": namespace, "service": service, "apiservice": names[0], "apiservices": names,
                          "reasons": reasons, "dependents": sorted(dependents.objects),
                          "blocked_callers": sorted(dependents.subjects - {subject}),
                          "dependent_events": dependents.count, "messages": sorted(dependents.messages)[:5]}))
        return findings
