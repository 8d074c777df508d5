"""Domain -> how to build its agent from the settings. Adding an agent is one module and one line here, under
the name of its domain's slice in functions/_platform/domains/registry.py (a test fails when the two differ).

Each builder imports its agent when called, so a deployed agent Service loads only its own domain."""

from __future__ import annotations

from collections.abc import Callable

from functions._platform.config import Settings
from functions.agents.contract import Agent


def _kubernetes(settings: Settings) -> Agent:
    from functions.agents.kubernetes.agent import KubernetesAgent

    return KubernetesAgent()


def _database(settings: Settings) -> Agent:
    from functions.agents.database.agent import DatabaseAgent

    return DatabaseAgent()


def _auth(settings: Settings) -> Agent:
    from functions.agents.auth.agent import AuthAgent

    return AuthAgent()


def _logs(settings: Settings) -> Agent:
    from functions.agents.logs.agent import LogsAgent

    return LogsAgent()


def _metrics(settings: Settings) -> Agent:
    from functions._platform.domains.metrics.analyzers.mapping import load_mapping
    from functions.agents.metrics.agent import MetricsAgent

    return MetricsAgent(mapping=load_mapping(settings.metrics_mapping) if settings.metrics_mapping else None)


def _code(settings: Settings) -> Agent:
    from functions.agents.code.agent import CodeAgent

    return CodeAgent()


def _traces(settings: Settings) -> Agent:
    from functions.agents.traces.agent import TracesAgent

    return TracesAgent()


AGENTS: dict[str, Callable[[Settings], Agent]] = {
    "kubernetes": _kubernetes,
    "database": _database,
    "auth": _auth,
    "logs": _logs,
    "metrics": _metrics,
    "code": _code,
    "traces": _traces,
}


def get_agent(domain: str, settings: Settings) -> Agent:
    if domain not in AGENTS:
        raise KeyError(f"no agent for domain {domain!r}")
    return AGENTS[domain](settings)
