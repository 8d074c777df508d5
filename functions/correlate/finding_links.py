"""What findings say about other components: the hosts they name as failing, and the callers whose calls their
subject cuts. Both are edges of the dependency graph the findings reveal themselves."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from functions._platform.topology.references import is_external_host
from sreo_events.models import Finding

TARGET_KEY = "target"  # hosts as an analyzer read them (`payments:8080`, `http://orders-db:5432`)
DEPENDENCY_KEY = "dependency"  # graph nodes the twin resolved those hosts to


def _host(target: str) -> str:
    """`http://payments:8080/x` or `payments.shop.svc:8080` -> `payments`; a host outside the cluster keeps its
    name (`https://api.stripe.com/v1` -> `api.stripe.com`, the twin's alias of `external/api.stripe.com`)."""
    host = target.split("://", 1)[-1].split("/", 1)[0].rsplit("@", 1)[-1]
    if host.replace(".", "").replace(":", "").isdigit():
        return host
    name = host.split(":", 1)[0]
    return name if is_external_host(name.lower()) else name.split(".", 1)[0]


def _values(value: object) -> list[str]:
    return [value] if isinstance(value, str) else [str(v) for v in value] if isinstance(value, (dict, list)) else []


def named_hosts(finding: Finding) -> set[str]:
    """Hosts a finding names as failing, e.g. the target of log lines refusing connections."""
    return {host for target in _values(finding.evidence.get(TARGET_KEY)) if (host := _host(target))} - {
        finding.subject}


def named_dependencies(finding: Finding) -> set[str]:
    """Components a finding names as failing: graph nodes when the twin resolved them, else the bare hosts."""
    resolved = set(_values(finding.evidence.get(DEPENDENCY_KEY)))
    return (resolved or named_hosts(finding)) - {finding.subject}


BLOCKED_KEY = "blocked_callers"  # workloads whose calls the finding's subject cuts (a NetworkPolicy): they depend on it


def blocked_callers(finding: Finding) -> set[str]:
    return set(_values(finding.evidence.get(BLOCKED_KEY))) - {finding.subject}


def cut_by(findings: Iterable[Finding]) -> dict[str, set[str]]:
    """caller -> the objects that findings say cut its calls: its calls fail because of them."""
    found: dict[str, set[str]] = defaultdict(set)
    for finding in findings:
        for caller in blocked_callers(finding):
            found[caller].add(finding.subject)
    return found


def dependency_edges(findings: Iterable[Finding]) -> set[tuple[str, str]]:
    """Edges findings reveal themselves, e.g. a log line refusing connections to a named service, or a policy
    cutting a caller's calls (the caller depends on the policy)."""
    findings = list(findings)
    return ({(finding.subject, host) for finding in findings for host in named_dependencies(finding)}
            | {(caller, finding.subject) for finding in findings for caller in blocked_callers(finding)})
