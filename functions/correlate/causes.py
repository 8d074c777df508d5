"""From evidence to ranked causes: findings become per-component signals, then the ranking decides."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from statistics import median

from functions._platform.analyzers.kinds import ENDED_KEY, is_change
from functions._platform.domains.code.findings import APP_WIDE_KEY
from functions.correlate.finding_links import cut_by, dependency_edges, named_dependencies
from functions.correlate.ranking import CallLatency, ComponentSignal, rank
from functions.correlate.symptom_time import (
    SymptomTime,
    began_long_before,
    judged_findings,
    symptom_reference,
)
from sreo_events.models import Cause, EvidenceCollected, Finding

MAX_EVIDENCE = 12
# The headline kind is the most causal of a cause's own findings: what broke, not what it looks like. Findings
# that say *why* (the registry has no such tag, the claim has no volume, the kernel killed it for memory) come
# before those that only say *that* (replicas missing, a crash loop, a rollout that did not finish).
CAUSAL_ORDER = (
    "image_pull_error", "container_config_error", "missing_service_account", "pvc_pending", "pod_oomkilled",
    "job_failed", "node_not_ready", "lock_contention", "tls_cert_expiry", "ingress_backend_missing",
)
# symptoms that still say something about where (a pod that cannot be placed, a container that keeps dying)
NEAR_SYMPTOM_KINDS = frozenset({"pod_unschedulable", "pod_crashloop", "probe_failure", "pod_evicted",
                                "service_no_endpoints", "node_pressure", "node_problem", "hpa_metrics_unavailable"})
# symptoms that only say that something is wrong, or when
SYMPTOM_KINDS = frozenset({"deployment_unavailable", "recent_rollout", "warning_events", "container_restarts",
                           "error_rate_spike", "error_ratio_spike", "new_log_template", "log_flood", "hpa_maxed_out"})
# log categories that state the cause in the failing component itself (not a dependency it cannot reach)
OWN_CAUSE_CATEGORIES = frozenset({"missing_env_var", "config_error", "out_of_memory", "file_missing",
                                  "permission_denied", "disk_full", "port_in_use"})


def app_wide(finding: Finding) -> bool:
    """A flaw in the setup of the app serving the reviewed code (CSRF off, debug on): true of every endpoint, so
    it is listed with a cause but never judged as one, beside the findings on what is degrading."""
    return isinstance(finding.evidence, dict) and finding.evidence.get(APP_WIDE_KEY) is True


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


CHANGE_KIND = "metric_change"  # the change analyzer: its strength is a breadth-weighted sum, not one z; it says
# what moved, so a specific finding on the same component (saturation, restarts, errors) names the kind
SUSPECT_KIND = "dependency_delay"  # ranked only because its callers wait on it (no finding of its own)


@dataclass
class Diagnosis:
    causes: list[Cause] = field(default_factory=list)
    unconnected: list[Cause] = field(default_factory=list)  # unhealthy, but not reachable from the affected one
    graph: bool = True  # False: no dependency graph, ranked on change strength, onset and corroboration alone


def change_background(findings: Iterable[Finding]) -> float:
    """The typical component's change strength in this incident: every component's sum over its series carries
    the same background of small wobbles, so strength counts above it (with fewer than 3 components, none)."""
    strengths = [float(f.evidence.get("change_strength", 0.0)) for f in findings if f.kind == CHANGE_KIND]
    return median(strengths) if len(strengths) >= 3 else 0.0


def _strength(finding: Finding, background: float) -> float:
    if finding.kind == CHANGE_KIND:
        return max(0.0, float(finding.evidence.get("change_strength", 0.0)) - background)
    return finding_strength(finding)


def _call_latency(findings: Iterable[Finding]) -> tuple[CallLatency, ...]:
    """The client-side latency quantiles a change finding carries: how long the component waits on its calls."""
    quantiles = []
    for finding in findings:
        for item in finding.evidence.get("client_latency", []) if finding.kind == CHANGE_KIND else []:
            try:
                quantiles.append(CallLatency(float(item["baseline"]), float(item["spread"]), float(item["level"])))
            except (KeyError, TypeError, ValueError):
                continue
    return tuple(quantiles)


def _moved(finding: Finding) -> bool:
    """The finding reports a change under way: not a change analyzer's faint one, not one that had ended."""
    return not ((finding.kind == CHANGE_KIND and finding.severity == "info") or finding.evidence.get(ENDED_KEY))


def _signal(component: str, items: list[tuple[str, Finding]], background: float,
            reference: SymptomTime | None = None, cut: frozenset[str] = frozenset()) -> ComponentSignal:
    items, context = judged_findings(items, reference, _moved)
    items = [item for item in items if not app_wide(item[1])] or items
    strengths = sorted((_strength(f, background) for _, f in items), reverse=True)
    moved = [f for _, f in items if _moved(f)]
    return ComponentSignal(
        component=component,
        anomaly=strengths[0] + EXTRA_FINDING_Z * min(len(moved) - 1, 5) if moved else strengths[0],
        onset=_earliest_onset(moved),
        domains=frozenset(domain for domain, f in items if f in moved),
        severity=max(SEVERITY_WEIGHT[f.severity] for _, f in items),
        blames=frozenset(host for _, f in items for host in named_dependencies(f)) | cut,
        call_latency=_call_latency(f for _, f in items),
        context=context,
    )


def _earliest_onset(findings: list[Finding]) -> datetime | None:
    """When the first of the findings began (a finding without an onset: its window's start)."""
    onsets = [o for f in findings if (o := f.onset or (f.window.start if f.window else None)) is not None]
    return min(onsets, default=None)


def reachable(affected: str, edges: Iterable[tuple[str, str]]) -> set[str]:
    """The affected component and everything it depends on, transitively."""
    callees: dict[str, set[str]] = defaultdict(set)
    for caller, callee in edges:
        callees[caller].add(callee)
    seen, todo = {affected}, [affected]
    while todo:
        for callee in callees[todo.pop()] - seen:
            seen.add(callee)
            todo.append(callee)
    return seen


def _by_subject(evidence: Iterable[EvidenceCollected]) -> dict[str, list[tuple[str, Finding]]]:
    """Each component's findings, with the domain that reported them."""
    by_component: dict[str, list[tuple[str, Finding]]] = defaultdict(list)
    for answer in evidence:
        for finding in answer.findings:
            by_component[finding.subject].append((answer.domain, finding))
    return by_component


def diagnose(evidence: Iterable[EvidenceCollected], edges: Iterable[tuple[str, str]] = (), k: int = 5,
             affected: str | None = None, symptom_onset: datetime | None = None) -> Diagnosis:
    """Ranked causes among the affected component and what it depends on; other unhealthy components apart.
    ``symptom_onset``: when the symptom began (the alert's start); findings far older than it are context."""
    by_component = _by_subject(evidence)
    edges = set(edges)
    if not by_component:
        return Diagnosis(graph=bool(edges))
    all_findings = [f for items in by_component.values() for _, f in items]
    background = change_background(all_findings)
    reference = symptom_reference(all_findings, symptom_onset, affected, _moved)
    cut = cut_by(all_findings)
    signals = [_signal(component, items, background, reference, frozenset(cut.get(component, ())))
               for component, items in by_component.items()]
    graph_edges = edges | dependency_edges(all_findings)
    ranked = rank(signals, graph_edges, k=len(signals) + len({n for e in graph_edges for n in e}))
    nodes = {n for e in graph_edges for n in e}
    connected = reachable(affected, graph_edges) if affected and affected in nodes else None
    upstream = reachable(affected, {(b, a) for a, b in graph_edges}) if connected is not None else set()
    diagnosis = Diagnosis(graph=bool(edges))
    diagnosis.causes, diagnosis.unconnected = _placed(_causes(ranked, by_component, graph_edges, reference),
                                                      connected, upstream, k, affected)
    return diagnosis


def _placed(found, connected: set[str] | None, upstream: set[str], k: int,
            affected: str | None) -> tuple[list[Cause], list[Cause]]:
    """(causes, unconnected): the candidates the affected component reaches, and the unhealthy ones it does not.
    A caller of it suffers with it, a symptom, unless nothing it reaches is failing: then its failing callers
    are the fault (a healthy broker whose consumer crashes on every message)."""
    causes: list[Cause] = []
    unconnected: list[Cause] = []
    failing_callers: list[Cause] = []
    for candidate, cause in found:
        if connected is None or candidate.component in connected:
            if len(causes) < k:
                causes.append(cause)
        elif candidate.component in upstream:
            if candidate.score > 0 and len(failing_callers) < k:
                failing_callers.append(cause)
        elif candidate.score > 0 and len(unconnected) < k:
            cause.reason = "not connected to the affected component in the dependency graph; " + cause.reason
            unconnected.append(cause)
    if causes:
        return causes, unconnected
    for cause in failing_callers:
        cause.reason = f"nothing wrong was found on {affected} or what it depends on; this caller of it is failing; " + cause.reason
    return failing_callers, unconnected


def _causes(ranked, by_component: dict[str, list[tuple[str, Finding]]], graph_edges: set[tuple[str, str]],
            reference: SymptomTime | None):
    """Each ranked candidate that makes a cause, with that cause."""
    for candidate in ranked:
        callers = sorted(caller for caller, callee in graph_edges if callee == candidate.component)
        cause = _cause(candidate, by_component, callers, reference)
        if cause is not None:
            yield candidate, cause


def rank_causes(evidence: Iterable[EvidenceCollected], edges: Iterable[tuple[str, str]] = (),
                k: int = 5, affected: str | None = None, symptom_onset: datetime | None = None) -> list[Cause]:
    return diagnose(evidence, edges, k, affected, symptom_onset).causes


def _cause(candidate, by_component: dict[str, list[tuple[str, Finding]]], callers: list[str],
           reference: SymptomTime | None = None) -> Cause | None:
    """The cause for a ranked candidate: its own findings first, then the symptoms it explains. A candidate with
    no finding of its own is kept only when its callers' waits put it there, with their latency as evidence."""
    own = _headline_first(sorted(_strongest([item for item in by_component.get(candidate.component, [])
                                             if not (item[1].kind == CHANGE_KIND and item[1].severity == "info")]),
                                 key=lambda item: (app_wide(item[1]), item[1].kind == CHANGE_KIND)), reference)
    symptoms = sorted(  # findings naming this component as the failing dependency come first
        _strongest([item for caller in candidate.explains for item in by_component.get(caller, [])]),
        key=lambda item: candidate.component not in named_dependencies(item[1]))
    if not own:
        waiting = [item for caller in callers for item in by_component.get(caller, [])
                   if item[1].kind == CHANGE_KIND and item[1].evidence.get("client_latency")]
        if candidate.score <= 0 or not waiting or "wait longer" not in candidate.reason:
            return None
        return Cause(component=candidate.component, kind=SUSPECT_KIND, score=candidate.score,
                     confidence=candidate.confidence, reason=candidate.reason,
                     evidence=[finding for _, finding in _strongest(waiting)[:MAX_SYMPTOMS]])
    return Cause(
        component=candidate.component, kind=own[0][1].kind, score=candidate.score,
        confidence=candidate.confidence, reason=candidate.reason + _symptom_note(symptoms),
        evidence=[finding for _, finding in own[:MAX_EVIDENCE - min(len(symptoms), MAX_SYMPTOMS)]]
        + [finding for _, finding in symptoms[:MAX_SYMPTOMS]],
    )


def _headline_first(items: list[tuple[str, Finding]], reference: SymptomTime | None = None) -> list[tuple[str, Finding]]:
    """The most causal finding first (strongest among equals; one that began at the symptom before one that began
    long before it; a risk, `info`, only when nothing is failing), then a change (the "when"), then the rest."""
    if not items:
        return []
    headline = min(items, key=lambda item: (app_wide(item[1]), item[1].severity == "info",
                                            began_long_before(item[1], reference), causal_rank(item[1])))
    rest = [item for item in items if item is not headline]
    return [headline] + sorted(rest, key=lambda item: not is_change(item[1].kind))


def _strongest(items: list[tuple[str, Finding]]) -> list[tuple[str, Finding]]:
    return sorted(items, key=lambda item: (-finding_strength(item[1]), item[1].subject, item[1].kind))


def _symptom_note(symptoms: list[tuple[str, Finding]]) -> str:
    """Which callers' anomalies the cause explains, and the evidence domains that saw them."""
    if not symptoms:
        return ""
    callers = sorted({finding.subject for _, finding in symptoms})
    domains = sorted({domain for domain, _ in symptoms})
    return f"; it explains the anomalies of {', '.join(callers)} (seen in {', '.join(domains)})"
