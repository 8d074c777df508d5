"""From evidence to ranked causes: findings become per-component signals, then the ranking decides."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from events.models import Cause, EvidenceCollected, Finding
from functions.correlate.ranking import ComponentSignal, rank

MAX_EVIDENCE = 12
CHANGE_KINDS = frozenset({"recent_rollout"})  # a change says "when"; listed right after the headline finding
# The headline kind is the most causal of a cause's own findings: what broke, not what it looks like. Findings
# that say *why* (the registry has no such tag, the claim has no volume, the kernel killed it for memory) come
# before those that only say *that* (replicas missing, a crash loop, a rollout that did not finish).
CAUSAL_ORDER = (
    "image_pull_error", "container_config_error", "missing_service_account", "pvc_pending", "pod_oomkilled",
    "job_failed", "node_not_ready", "lock_contention", "tls_cert_expiry", "ingress_backend_missing",
)
# symptoms that still say something about where (a pod that cannot be placed, a container that keeps dying)
NEAR_SYMPTOM_KINDS = frozenset({"pod_unschedulable", "pod_crashloop", "probe_failure", "pod_evicted",
                                "service_no_endpoints", "node_pressure"})
# symptoms that only say that something is wrong, or when
SYMPTOM_KINDS = frozenset({"deployment_unavailable", "recent_rollout", "warning_events", "container_restarts",
                           "error_rate_spike", "error_ratio_spike", "new_log_template", "log_flood"})
# log categories that state the cause in the failing component itself (not a dependency it cannot reach)
OWN_CAUSE_CATEGORIES = frozenset({"missing_env_var", "config_error", "out_of_memory", "file_missing",
                                  "permission_denied", "disk_full", "port_in_use"})


def causal_rank(finding: Finding) -> int:
    """0 for the most causal kinds (in CAUSAL_ORDER), then log lines stating the component's own fault,
    then any other finding, and symptoms last."""
    if finding.kind in CAUSAL_ORDER:
        return CAUSAL_ORDER.index(finding.kind)
    category = finding.evidence.get("category") if isinstance(finding.evidence, dict) else None
    if category in OWN_CAUSE_CATEGORIES:
        return len(CAUSAL_ORDER)
    if finding.kind in SYMPTOM_KINDS:
        return len(CAUSAL_ORDER) + 3
    return len(CAUSAL_ORDER) + (2 if finding.kind in NEAR_SYMPTOM_KINDS else 1)
MAX_SYMPTOMS = 4  # findings on explained callers listed after the cause's own
SEVERITY_WEIGHT = {"critical": 1.0, "warning": 0.6, "info": 0.2}
Z_PER_SCORE = 10.0  # a full-score critical finding counts like a 10-sigma change; beyond that, all is certain
EXTRA_FINDING_Z = 1.0


def finding_strength(finding: Finding) -> float:
    robust_z = finding.evidence.get("robust_z") if isinstance(finding.evidence, dict) else None
    if isinstance(robust_z, (int, float)) and robust_z > 0:
        return min(float(robust_z), Z_PER_SCORE) * SEVERITY_WEIGHT[finding.severity]
    return SEVERITY_WEIGHT[finding.severity] * finding.score * Z_PER_SCORE


TARGET_KEY = "target"  # hosts as an analyzer read them (`payments:8080`, `http://orders-db:5432`)
DEPENDENCY_KEY = "dependency"  # graph nodes the twin resolved those hosts to


def _host(target: str) -> str:
    """`http://payments:8080/x` or `payments.shop.svc:8080` -> `payments`."""
    host = target.split("://", 1)[-1].split("/", 1)[0].rsplit("@", 1)[-1]
    return host.split(":", 1)[0].split(".", 1)[0] if not host.replace(".", "").replace(":", "").isdigit() else host


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


def dependency_edges(findings: Iterable[Finding]) -> set[tuple[str, str]]:
    """Edges findings reveal themselves, e.g. a log line refusing connections to a named service."""
    return {(finding.subject, host) for finding in findings for host in named_dependencies(finding)}


def rank_causes(evidence: Iterable[EvidenceCollected], edges: Iterable[tuple[str, str]] = (),
                k: int = 5) -> list[Cause]:
    by_component: dict[str, list[tuple[str, Finding]]] = defaultdict(list)
    for answer in evidence:
        for finding in answer.findings:
            by_component[finding.subject].append((answer.domain, finding))
    if not by_component:
        return []
    signals = []
    for component, items in by_component.items():
        strengths = sorted((finding_strength(f) for _, f in items), reverse=True)
        onsets = [f.onset or (f.window.start if f.window else None) for _, f in items]
        onsets = [o for o in onsets if o is not None]
        signals.append(ComponentSignal(
            component=component,
            anomaly=strengths[0] + EXTRA_FINDING_Z * min(len(strengths) - 1, 5),
            onset=min(onsets) if onsets else None,
            domains=frozenset(domain for domain, _ in items),
            severity=max(SEVERITY_WEIGHT[f.severity] for _, f in items),
            blames=frozenset(host for _, f in items for host in named_dependencies(f)),
        ))
    all_findings = [f for items in by_component.values() for _, f in items]
    ranked = rank(signals, set(edges) | dependency_edges(all_findings), k=k)
    causes = []
    for candidate in ranked:
        own = _headline_first(_strongest(by_component.get(candidate.component, [])))
        if not own:
            continue
        symptoms = sorted(  # findings naming this component as the failing dependency come first
            _strongest([item for caller in candidate.explains for item in by_component.get(caller, [])]),
            key=lambda item: candidate.component not in named_dependencies(item[1]))
        causes.append(Cause(
            component=candidate.component, kind=own[0][1].kind, score=candidate.score,
            confidence=candidate.confidence, reason=candidate.reason + _symptom_note(symptoms),
            evidence=[finding for _, finding in own[:MAX_EVIDENCE - min(len(symptoms), MAX_SYMPTOMS)]]
            + [finding for _, finding in symptoms[:MAX_SYMPTOMS]],
        ))
    return causes


def _headline_first(items: list[tuple[str, Finding]]) -> list[tuple[str, Finding]]:
    """The most causal finding first (strongest among equals), then a change (the "when"), then the rest."""
    if not items:
        return []
    headline = min(items, key=lambda item: causal_rank(item[1]))  # min keeps the strongest of a rank
    rest = [item for item in items if item is not headline]
    return [headline] + sorted(rest, key=lambda item: item[1].kind not in CHANGE_KINDS)


def _strongest(items: list[tuple[str, Finding]]) -> list[tuple[str, Finding]]:
    return sorted(items, key=lambda item: (-finding_strength(item[1]), item[1].subject, item[1].kind))


def _symptom_note(symptoms: list[tuple[str, Finding]]) -> str:
    """Which callers' anomalies the cause explains, and the evidence domains that saw them."""
    if not symptoms:
        return ""
    callers = sorted({finding.subject for _, finding in symptoms})
    domains = sorted({domain for domain, _ in symptoms})
    return f"; it explains the anomalies of {', '.join(callers)} (seen in {', '.join(domains)})"
