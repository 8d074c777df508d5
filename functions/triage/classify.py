"""Deterministic domain classifier: alert labels, alert names and keywords. No LLM."""

from __future__ import annotations

import re
from collections.abc import Iterable

from functions._platform.domains.registry import SLICES
from sreo_events.models import Alert
from sreo_events.types import DOMAINS

# each domain's slice says when it is asked and what points at it (functions/_platform/domains/*/slice.py)
BASELINE_DOMAINS = tuple(name for name, domain in SLICES.items() if domain.triage.asked == "always")
# asked only when a label names it: code when the service has a configured repository, traces when a traces
# source is configured (see `traces_reasons`)
OPT_IN_DOMAINS = tuple(name for name, domain in SLICES.items() if domain.triage.asked == "opt_in")

KEYWORDS: dict[str, re.Pattern[str]] = {
    name: domain.triage.keywords for name, domain in SLICES.items() if domain.triage.keywords
}

LABEL_HINTS: dict[str, tuple[str, ...]] = {
    name: domain.triage.labels for name, domain in SLICES.items() if domain.triage.labels
}


def _alert_reasons(alert: Alert) -> list[tuple[str, str]]:
    """(domain, reason) for what one alert's labels and name point at."""
    found = []
    explicit = alert.labels.get("sreo_domain") or alert.labels.get("domain")
    if explicit in DOMAINS:
        found.append((explicit, f"label domain={explicit}"))
    found += [(domain, f"label {name}") for domain, labels in LABEL_HINTS.items()
              for name in labels if name in alert.labels]
    name = alert.labels.get("alertname", "")
    words = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", name)  # KubePodCrashLooping -> Kube Pod Crash Looping
    found += [(domain, f"alertname {name}") for domain, pattern in KEYWORDS.items() if pattern.search(words)]
    return found


def _keyword_reasons(text: str) -> list[tuple[str, str]]:
    return [(domain, f"keyword {hit}") for domain, pattern in KEYWORDS.items()
            for hit in sorted({match.group(0).lower() for match in pattern.finditer(text)})[:5]]


def classify(text: str, alerts: Iterable[Alert] = (), service: str | None = None) -> dict[str, list[str]]:
    """Domain -> the signals that selected it. Logs and metrics are always looked at."""
    reasons: dict[str, list[str]] = {domain: [] for domain in DOMAINS}
    if service:
        reasons["kubernetes"].append(f"service {service} (workloads behind it)")
    for alert in alerts:
        for domain, reason in _alert_reasons(alert):
            reasons[domain].append(reason)
        text = " ".join([text, alert.annotations.get("summary", ""), alert.annotations.get("description", "")])
    for domain, reason in _keyword_reasons(text):
        reasons[domain].append(reason)
    symptoms = [r for r in reasons["metrics"] + reasons["logs"] if r.startswith(("keyword", "alertname"))]
    if symptoms:
        reasons["database"].append(f"symptom ({symptoms[0]}): shared dependencies checked")
    for domain in BASELINE_DOMAINS:
        reasons[domain].append("always checked")
    if not any(reasons[d] for d in DOMAINS if d not in BASELINE_DOMAINS):
        for domain in DOMAINS:
            if domain not in BASELINE_DOMAINS + OPT_IN_DOMAINS:
                reasons[domain].append("no specific signal: checked by default")
    return {domain: sorted(set(found)) for domain, found in reasons.items() if found}


def traces_reasons(reasons: dict[str, list[str]], configured: bool) -> dict[str, list[str]]:
    """Traces are asked about latency, timeouts and errors only where a traces source is configured; a label
    naming the domain always asks."""
    found = reasons.get("traces", [])
    kept = found if configured else [reason for reason in found if reason.startswith("label")]
    return {**{d: r for d, r in reasons.items() if d != "traces"}, **({"traces": kept} if kept else {})}


def code_hints(alerts: Iterable[Alert]) -> list[str]:
    """What narrows a code review: the endpoint and the two revisions the alerts name."""
    hints = []
    for alert in alerts:
        labels = alert.labels
        endpoint = next((labels[k] for k in ("endpoint", "route", "handler") if labels.get(k)), None)
        if endpoint:
            hints.append(f"endpoint {endpoint}")
        if labels.get("old_revision") and labels.get("new_revision"):
            hints.append(f"revisions {labels['old_revision']}..{labels['new_revision']}")
    return hints
