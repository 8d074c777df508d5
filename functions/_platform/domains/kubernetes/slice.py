"""The kubernetes domain: its analyzers, how its findings are ordered, its MCP server and its triage hints."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from functions._platform.domains.contract import DomainSlice, ServerEntry, TriageHints
from functions._platform.domains.kubernetes.analyzers.placement import focus_first

if TYPE_CHECKING:
    from mcp.server.mcpserver import MCPServer

    from functions._platform.analyzers.contract import Analyzer
    from functions._platform.config import Settings


def _analyzers() -> tuple[Analyzer[Any], ...]:
    from functions._platform.domains.kubernetes.analyzers.admission_webhook import AdmissionWebhookAnalyzer
    from functions._platform.domains.kubernetes.analyzers.aggregated_api import AggregatedApiAnalyzer
    from functions._platform.domains.kubernetes.analyzers.container_config import ContainerConfigAnalyzer
    from functions._platform.domains.kubernetes.analyzers.cronjob_overlap import CronJobOverlapAnalyzer
    from functions._platform.domains.kubernetes.analyzers.disruption_budget import DisruptionBudgetAnalyzer
    from functions._platform.domains.kubernetes.analyzers.hpa_maxed_out import HpaMaxedOutAnalyzer
    from functions._platform.domains.kubernetes.analyzers.hpa_metrics_unavailable import (
        HpaMetricsUnavailableAnalyzer,
    )
    from functions._platform.domains.kubernetes.analyzers.image_pull import ImagePullAnalyzer
    from functions._platform.domains.kubernetes.analyzers.ingress_backend import IngressBackendAnalyzer
    from functions._platform.domains.kubernetes.analyzers.job_health import JobHealthAnalyzer
    from functions._platform.domains.kubernetes.analyzers.log_errors import LogErrorAnalyzer
    from functions._platform.domains.kubernetes.analyzers.network_policy import NetworkPolicyAnalyzer
    from functions._platform.domains.kubernetes.analyzers.node_autoscaler import NodeAutoscalerAnalyzer
    from functions._platform.domains.kubernetes.analyzers.node_datapath import NodeDatapathAnalyzer
    from functions._platform.domains.kubernetes.analyzers.node_health import NodeHealthAnalyzer
    from functions._platform.domains.kubernetes.analyzers.pod_crashloop import CrashLoopAnalyzer
    from functions._platform.domains.kubernetes.analyzers.pod_evicted import EvictedPodAnalyzer
    from functions._platform.domains.kubernetes.analyzers.pod_pending import PendingPodAnalyzer
    from functions._platform.domains.kubernetes.analyzers.preemption import PreemptionAnalyzer
    from functions._platform.domains.kubernetes.analyzers.probe_failure import ProbeFailureAnalyzer
    from functions._platform.domains.kubernetes.analyzers.pull_secret_writer import PullSecretWriterAnalyzer
    from functions._platform.domains.kubernetes.analyzers.pvc_health import PvcHealthAnalyzer
    from functions._platform.domains.kubernetes.analyzers.recent_rollout import RecentRolloutAnalyzer
    from functions._platform.domains.kubernetes.analyzers.running_job import RunningJobAnalyzer
    from functions._platform.domains.kubernetes.analyzers.sandbox_network import SandboxNetworkAnalyzer
    from functions._platform.domains.kubernetes.analyzers.scaler_controller import ScalerControllerAnalyzer
    from functions._platform.domains.kubernetes.analyzers.service_accounts import ServiceAccountAnalyzer
    from functions._platform.domains.kubernetes.analyzers.service_endpoints import ServiceEndpointsAnalyzer
    from functions._platform.domains.kubernetes.analyzers.warning_events import WarningEventsAnalyzer
    from functions._platform.domains.kubernetes.analyzers.workload_health import WorkloadHealthAnalyzer

    return (
        CrashLoopAnalyzer(), ImagePullAnalyzer(), ContainerConfigAnalyzer(), PendingPodAnalyzer(),
        ProbeFailureAnalyzer(), EvictedPodAnalyzer(), WorkloadHealthAnalyzer(), JobHealthAnalyzer(),
        ServiceAccountAnalyzer(), RecentRolloutAnalyzer(), ServiceEndpointsAnalyzer(), IngressBackendAnalyzer(),
        PvcHealthAnalyzer(), NodeHealthAnalyzer(), WarningEventsAnalyzer(), LogErrorAnalyzer(), NetworkPolicyAnalyzer(),
        AdmissionWebhookAnalyzer(), AggregatedApiAnalyzer(), HpaMaxedOutAnalyzer(), HpaMetricsUnavailableAnalyzer(),
        CronJobOverlapAnalyzer(), DisruptionBudgetAnalyzer(), PreemptionAnalyzer(), SandboxNetworkAnalyzer(),
        RunningJobAnalyzer(), NodeDatapathAnalyzer(), NodeAutoscalerAnalyzer(),
        PullSecretWriterAnalyzer(), ScalerControllerAnalyzer(),
    )


def _server(settings: Settings) -> MCPServer:
    from functions._platform.domains.kubernetes.server import build

    return build(settings)


KUBERNETES = DomainSlice(
    name="kubernetes",
    triage=TriageHints(
        keywords=re.compile(
            r"\b(kube\w*|k8s|pod|pods|container|deployment|replicaset|daemonset|statefulset|node|crashloop\w*|"
            r"oomkill\w*|evict\w*|imagepull\w*|rollout|namespace|ingress|pvc|volume|restart\w*|helm|hpa|"
            r"horizontalpodautoscaler|autoscal\w*|pdb|poddisruptionbudget|drain\w*|cordon\w*)\b",
            re.IGNORECASE),
        labels=("pod", "container", "deployment", "node", "daemonset", "statefulset", "persistentvolumeclaim",
                "job_name", "cronjob", "horizontalpodautoscaler"),
    ),
    analyzers=_analyzers,
    order=focus_first,
    server=ServerEntry("kubernetes", _server),
)
