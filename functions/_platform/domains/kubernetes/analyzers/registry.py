"""Kubernetes analyzers, in the order they run. Adding one is one module and one line here."""

from __future__ import annotations

from functions._platform.domains.kubernetes.analyzers.base import AnalysisContext, Analyzer, ClusterState
from functions._platform.domains.kubernetes.analyzers.container_config import ContainerConfigAnalyzer
from functions._platform.domains.kubernetes.analyzers.image_pull import ImagePullAnalyzer
from functions._platform.domains.kubernetes.analyzers.ingress_backend import IngressBackendAnalyzer
from functions._platform.domains.kubernetes.analyzers.job_health import JobHealthAnalyzer
from functions._platform.domains.kubernetes.analyzers.log_errors import LogErrorAnalyzer
from functions._platform.domains.kubernetes.analyzers.node_health import NodeHealthAnalyzer
from functions._platform.domains.kubernetes.analyzers.pod_crashloop import CrashLoopAnalyzer
from functions._platform.domains.kubernetes.analyzers.pod_evicted import EvictedPodAnalyzer
from functions._platform.domains.kubernetes.analyzers.pod_pending import PendingPodAnalyzer
from functions._platform.domains.kubernetes.analyzers.probe_failure import ProbeFailureAnalyzer
from functions._platform.domains.kubernetes.analyzers.pvc_health import PvcHealthAnalyzer
from functions._platform.domains.kubernetes.analyzers.recent_rollout import RecentRolloutAnalyzer
from functions._platform.domains.kubernetes.analyzers.service_accounts import ServiceAccountAnalyzer
from functions._platform.domains.kubernetes.analyzers.service_endpoints import ServiceEndpointsAnalyzer
from functions._platform.domains.kubernetes.analyzers.warning_events import WarningEventsAnalyzer
from functions._platform.domains.kubernetes.analyzers.workload_health import WorkloadHealthAnalyzer
from sreo_events.models import Finding

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
