"""What to fetch for an investigation: the listings (tool -> ClusterState field) and which container logs."""

from __future__ import annotations

from dataclasses import dataclass

from functions._platform.domains.kubernetes.analyzers.cluster_state import ClusterState
from functions._platform.domains.kubernetes.analyzers.ownership import (
    container_statuses,
    is_ready,
    name_of,
    namespace_of,
    workload_of,
)

# tool -> (ClusterState field, required). A missing optional listing (RBAC, a third-party server without
# that tool) narrows the analysis instead of failing it.
NO_LOGS_YET = {"ContainerCreating", "PodInitializing", "CreateContainerConfigError", "CreateContainerError",
               "ImagePullBackOff", "ErrImagePull", "InvalidImageName", "ErrImageNeverPull"}
MAX_LOG_PODS = 12
LOG_TAIL_LINES = 300


@dataclass(frozen=True)
class LogRequest:
    namespace: str
    pod: str
    container: str
    previous: bool


def _last_trouble(status: dict) -> str:
    """When the container last failed (its last termination), as sortable text; '' when unknown."""
    terminated = (status.get("lastState") or {}).get("terminated") or (status.get("state") or {}).get("terminated")
    return str((terminated or {}).get("finishedAt") or "")


def _shows_trouble(status: dict) -> bool:
    """A container waiting for a reason that already left logs, or not ready while running."""
    waiting = ((status.get("state") or {}).get("waiting") or {}).get("reason")
    return bool(waiting and waiting not in NO_LOGS_YET or not status.get("ready", True) and not waiting)


def _within_pod_limit(ordered: list[LogRequest], limit: int) -> list[LogRequest]:
    """The requests in order, dropping those of pods beyond the first `limit`, and duplicates."""
    requests: list[LogRequest] = []
    pods: set[tuple[str, str]] = set()
    for request in ordered:
        key = (request.namespace, request.pod)
        if key not in pods and len(pods) >= limit:
            continue
        pods.add(key)
        if request not in requests:
            requests.append(request)
    return requests


def log_requests(data: ClusterState, focus: frozenset[str], limit: int = MAX_LOG_PODS) -> list[LogRequest]:
    """Which container logs to read, at most `limit` pods: the focus workloads' troubled containers (previous
    instance too when it restarted), then one healthy pod of each focus workload, then bystanders' troubled
    containers, the most recently failed first (an old restart elsewhere says least), and with what the limit
    leaves, the focus's other healthy pods (a server's replicas each log their own clients)."""
    focus_troubled: list[tuple[str, LogRequest]] = []
    bystanders: list[tuple[str, str, LogRequest]] = []
    healthy_focus: dict[str, LogRequest] = {}
    other_healthy: list[LogRequest] = []
    for pod in data.pods:
        workload = workload_of(data, pod)
        in_focus = workload in focus
        for status in container_statuses(pod):
            base = LogRequest(namespace_of(pod), name_of(pod), status.get("name", ""), False)
            wanted = []
            if status.get("restartCount", 0) > 0:
                wanted.append(LogRequest(base.namespace, base.pod, base.container, True))
            if _shows_trouble(status):
                wanted.append(base)
            elif in_focus and is_ready(pod):
                healthy_focus.setdefault(workload, base)
                if healthy_focus[workload] != base:
                    other_healthy.append(base)
            if in_focus:
                focus_troubled += [(name_of(pod), request) for request in wanted]
            else:
                bystanders += [(_last_trouble(status), name_of(pod), request) for request in wanted]
    ordered = [request for _, request in sorted(focus_troubled, key=lambda item: item[0])]
    ordered += list(healthy_focus.values())
    ordered += [request for _, _, request in sorted(bystanders, key=lambda item: (item[0], item[1]), reverse=True)]
    ordered += other_healthy
    return _within_pod_limit(ordered, limit)
