"""Domain -> agent. Adding an agent is one module and one line here."""

from __future__ import annotations

import importlib

from functions.agents.base import Agent

AGENTS: dict[str, str] = {
    "kubernetes": "functions.agents.kubernetes.agent:KubernetesAgent",
    "database": "functions.agents.database.agent:DatabaseAgent",
    "auth": "functions.agents.auth.agent:AuthAgent",
    "logs": "functions.agents.logs.agent:LogsAgent",
    "metrics": "functions.agents.metrics.agent:MetricsAgent",
    "code": "functions.agents.code.agent:CodeAgent",
    "traces": "functions.agents.traces.agent:TracesAgent",
}


def get_agent(domain: str) -> Agent:
    if domain not in AGENTS:
        raise KeyError(f"no agent for domain {domain!r}")
    module_name, class_name = AGENTS[domain].split(":")
    return getattr(importlib.import_module(module_name), class_name)()
