"""Every analyzer, by domain, in the order it runs. Adding one is one module and one line here."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from functions._platform.analyzers.contract import AnalysisContext, Analyzer
from functions._platform.domains.auth.analyzers.auth_failure_spike import AuthFailureSpike
from functions._platform.domains.auth.analyzers.brute_force import BruteForce
from functions._platform.domains.auth.analyzers.credential_stuffing import CredentialStuffing
from functions._platform.domains.auth.analyzers.success_after_failures import SuccessAfterFailures
from functions._platform.domains.auth.analyzers.tls_cert_expiry import TlsCertExpiry
from functions._platform.domains.auth.analyzers.token_errors import TokenErrors
from functions._platform.domains.database.analyzers.connection_errors import ConnectionErrorsAnalyzer
from functions._platform.domains.database.analyzers.connection_saturation import ConnectionSaturationAnalyzer
from functions._platform.domains.database.analyzers.deadlocks import DeadlocksAnalyzer
from functions._platform.domains.database.analyzers.idle_in_transaction import IdleInTransactionAnalyzer
from functions._platform.domains.database.analyzers.lock_contention import LockContentionAnalyzer
from functions._platform.domains.database.analyzers.long_running_query import LongRunningQueryAnalyzer
from functions._platform.domains.database.analyzers.long_running_transaction import (
    LongRunningTransactionAnalyzer,
)
from functions._platform.domains.database.analyzers.replication_lag import ReplicationLagAnalyzer
from functions._platform.domains.kubernetes.analyzers.admission_webhook import AdmissionWebhookAnalyzer
from functions._platform.domains.kubernetes.analyzers.aggregated_api import AggregatedApiAnalyzer
from functions._platform.domains.kubernetes.analyzers.container_config import ContainerConfigAnalyzer
from functions._platform.domains.kubernetes.analyzers.image_pull import ImagePullAnalyzer
from functions._platform.domains.kubernetes.analyzers.ingress_backend import IngressBackendAnalyzer
from functions._platform.domains.kubernetes.analyzers.job_health import JobHealthAnalyzer
from functions._platform.domains.kubernetes.analyzers.log_errors import LogErrorAnalyzer
from functions._platform.domains.kubernetes.analyzers.network_policy import NetworkPolicyAnalyzer
from functions._platform.domains.kubernetes.analyzers.node_health import NodeHealthAnalyzer
from functions._platform.domains.kubernetes.analyzers.placement import focus_first
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
from functions._platform.domains.logs.analyzers.error_classes import ErrorClassAnalyzer
from functions._platform.domains.logs.analyzers.error_rate_spike import ErrorRateSpike
from functions._platform.domains.logs.analyzers.log_flood import LogFlood
from functions._platform.domains.logs.analyzers.log_latency import LogLatencyAnalyzer
from functions._platform.domains.logs.analyzers.new_log_template import NewLogTemplate
from functions._platform.domains.metrics.analyzers.capacity_forecast import CapacityForecast
from functions._platform.domains.metrics.analyzers.container_restarts import ContainerRestarts
from functions._platform.domains.metrics.analyzers.dependency_degraded import DependencyDegraded
from functions._platform.domains.metrics.analyzers.error_ratio_spike import ErrorRatioSpike
from functions._platform.domains.metrics.analyzers.latency_creep import LatencyCreep
from functions._platform.domains.metrics.analyzers.metric_change import MetricChange
from functions._platform.domains.metrics.analyzers.resource_saturation import ResourceSaturation
from functions._platform.domains.traces.analyzers.edge_degraded import TraceEdgeDegraded
from sreo_events.models import Finding

ANALYZERS: dict[str, tuple[Analyzer[Any], ...]] = {
    "kubernetes": (
        CrashLoopAnalyzer(), ImagePullAnalyzer(), ContainerConfigAnalyzer(), PendingPodAnalyzer(),
        ProbeFailureAnalyzer(), EvictedPodAnalyzer(), WorkloadHealthAnalyzer(), JobHealthAnalyzer(),
        ServiceAccountAnalyzer(), RecentRolloutAnalyzer(), ServiceEndpointsAnalyzer(), IngressBackendAnalyzer(),
        PvcHealthAnalyzer(), NodeHealthAnalyzer(), WarningEventsAnalyzer(), LogErrorAnalyzer(), NetworkPolicyAnalyzer(),
        AdmissionWebhookAnalyzer(),
        AggregatedApiAnalyzer(),
    ),
    "database": (  # scopes: "snapshot" (the diagnostics) or "log_lines"
        ConnectionSaturationAnalyzer(), IdleInTransactionAnalyzer(), LockContentionAnalyzer(),
        LongRunningTransactionAnalyzer(), LongRunningQueryAnalyzer(), DeadlocksAnalyzer(), ReplicationLagAnalyzer(),
        ConnectionErrorsAnalyzer(),
    ),
    "logs": (ErrorRateSpike(), NewLogTemplate(), LogFlood(), ErrorClassAnalyzer(), LogLatencyAnalyzer()),
    "auth": (  # scopes: "records" (log records) or "certificates" (TLS probes)
        AuthFailureSpike(), BruteForce(), CredentialStuffing(), SuccessAfterFailures(), TokenErrors(), TlsCertExpiry(),
    ),
    "metrics": (  # scopes: "service" and/or "cluster"
        LatencyCreep(), ErrorRatioSpike(), ResourceSaturation(), ContainerRestarts(), DependencyDegraded(),
        MetricChange(), CapacityForecast(),
    ),
    "traces": (TraceEdgeDegraded(),),
}

# How a domain orders its findings; a domain not named here keeps analyzer order.
ORDER: dict[str, Callable[[Finding, AnalysisContext], Any]] = {"kubernetes": focus_first}


def analyzers(domain: str, scope: str | None = None) -> tuple[Analyzer[Any], ...]:
    """The domain's analyzers, in order; with `scope`, those that read that kind of input."""
    return tuple(a for a in ANALYZERS[domain] if scope is None or scope in getattr(a, "scopes", (scope,)))


def analyzer(domain: str, kind: str) -> Analyzer[Any]:
    """The domain's analyzer named `kind`."""
    for candidate in ANALYZERS[domain]:
        if candidate.kind == kind:
            return candidate
    raise KeyError(f"no {domain} analyzer {kind!r}")
