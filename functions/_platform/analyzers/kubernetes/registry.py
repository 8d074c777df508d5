"""Kubernetes analyzers, in the order they run. Adding one is one module and one line here."""

from __future__ import annotations

from events.models import Finding
from functions._platform.analyzers.kubernetes.base import AnalysisContext, Analyzer, ClusterState
from functions._platform.analyzers.kubernetes.container_config import ContainerConfigAnalyzer
from functions._platform.analyzers.kubernetes.image_pull import ImagePullAnalyzer
from functions._platform.analyzers.kubernetes.ingress_backend import IngressBackendAnalyzer
from functions._platform.analyzers.kubernetes.job_health import JobHealthAnalyzer
from functions._platform.analyzers.kubernetes.log_errors import LogErrorAnalyzer
from functions._platform.analyzers.kubernetes.node_health import NodeHealthAnalyzer
from functions._platform.analyzers.kubernetes.pod_crashloop import CrashLoopAnalyzer
from functions._platform.analyzers.kubernetes.pod_evicted import EvictedPodAnalyzer
from functions._platform.analyzers.kubernetes.pod_pending import PendingPodAnalyzer
from functions._platform.analyzers.kubernetes.probe_failure import ProbeFailureAnalyzer
from functions._platform.analyzers.kubernetes.pvc_health import PvcHealthAnalyzer
from functions._platform.analyzers.kubernetes.recent_rollout import RecentRolloutAnalyzer
from functions._platform.analyzers.kubernetes.service_accounts import ServiceAccountAnalyzer
from functions._platform.analyzers.kubernetes.service_endpoints import ServiceEndpointsAnalyzer
from functions._platform.analyzers.kubernetes.warning_events import WarningEventsAnalyzer
from functions._platform.analyzers.kubernetes.workload_health import WorkloadHealthAnalyzer

ANALYZERS: tuple[Analyzer, ...] = (
    CrashLoopAnalyzer(),
    ImagePullAnalyzer(),
    ContainerConfigAnalyzer(),
    PendingPodAnalyzer(),
    ProbeFailureAnalyzer(),
    EvictedPodAnalyzer(),
    WorkloadHealthAnalyzer(),
    JobHealthAnalyzer(),
    ServiceAccountAnalyzer(),
    RecentRolloutAnalyzer(),
    ServiceEndpointsAnalyzer(),
    IngressBackendAnalyzer(),
    PvcHealthAnalyzer(),
    NodeHealthAnalyzer(),
    WarningEventsAnalyzer(),
    LogErrorAnalyzer(),
)


def run_analyzers(data: ClusterState, context: AnalysisContext,
                  analyzers: tuple[Analyzer, ...] = ANALYZERS) -> list[Finding]:
    """Every analyzer's findings, focus subjects first, then strongest first."""
    findings = [finding for analyzer in analyzers for finding in analyzer.analyze(data, context)]
    return sorted(findings, key=lambda f: (f.subject not in context.focus, -f.score, f.kind, f.subject))
