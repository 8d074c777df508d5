"""Container states of failing pods, grouped by the workload they belong to."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any

from functions._platform.domains.kubernetes.analyzers.cluster_state import ClusterState
from functions._platform.domains.kubernetes.analyzers.ownership import (
    container_statuses,
    name_of,
    namespace_of,
    workload_of,
)
from functions._platform.domains.kubernetes.analyzers.placement import clip, parse_time

Problem = dict[str, Any]
Group = tuple[str, str]  # (namespace, workload)


def container_problem(pod: dict[str, Any], status: dict[str, Any]) -> Problem:
    waiting = (status.get("state") or {}).get("waiting") or {}
    terminated = (status.get("lastState") or {}).get("terminated") or {}
    current_terminated = (status.get("state") or {}).get("terminated") or {}
    problem: Problem = {
        "pod": name_of(pod), "container": status.get("name"), "image": status.get("image"),
        "reason": waiting.get("reason") or current_terminated.get("reason"),
        "message": clip(waiting.get("message") or current_terminated.get("message")),
        "restarts": status.get("restartCount", 0),
    }
    if terminated:
        problem["last_termination"] = {
            "reason": terminated.get("reason"), "exit_code": terminated.get("exitCode"),
            "finished_at": terminated.get("finishedAt"), "message": clip(terminated.get("message"), 200),
        }
    return problem


def problems_by_workload(data: ClusterState,
                         selects: Callable[[dict[str, Any]], bool]) -> dict[Group, list[Problem]]:
    """Container statuses that `selects` accepts, as problems grouped by (namespace, workload)."""
    groups: dict[Group, list[Problem]] = defaultdict(list)
    for pod in data.pods:
        for status in container_statuses(pod):
            if selects(status):
                groups[(namespace_of(pod), workload_of(data, pod))].append(container_problem(pod, status))
    return dict(groups)


def waiting_reason(status: dict[str, Any]) -> str | None:
    return ((status.get("state") or {}).get("waiting") or {}).get("reason")


def termination_time(problem: Problem) -> Any:
    return parse_time((problem.get("last_termination") or {}).get("finished_at"))


def pods_of(problems: list[Problem]) -> list[str]:
    return sorted({p["pod"] for p in problems})
