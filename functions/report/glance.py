"""The report at a glance: the cause in plain words, and how sure we are in words a tired responder reads right."""

from __future__ import annotations

from typing import Any

# finding kind -> what happened, as a responder would say it
KIND_WORDS: dict[str, str] = {
    "pod_crashloop": "keeps crashing", "pod_oomkilled": "ran out of memory", "recent_rollout": "changed in a rollout",
    "deployment_unavailable": "has too few ready replicas", "service_no_endpoints": "has no ready endpoints",
    "probe_failure": "fails its health checks", "image_pull_error": "cannot pull its image",
    "container_config_error": "is misconfigured", "container_log_error": "logs errors",
    "pod_unschedulable": "cannot be scheduled", "node_not_ready": "node is not ready",
    "pvc_pending": "waits for storage", "db_connection_saturation": "ran out of database connections",
    "db_connection_errors": "refuses database connections", "lock_contention": "is blocked on locks",
    "db_idle_in_transaction": "holds idle transactions", "error_rate_spike": "started failing requests",
    "error_ratio_spike": "started failing requests", "latency_creep": "got slower",
    "dependency_degraded": "is slowed by a dependency", "brute_force": "is under a brute-force attack",
    "credential_stuffing": "is under a credential-stuffing attack", "tls_cert_expiry": "certificate is expiring",
    "new_log_template": "logs a new kind of error", "resource_saturation": "is out of capacity",
    "container_restarts": "keeps restarting", "hpa_maxed_out": "is held at its autoscaler's maximum",
    "hpa_metrics_unavailable": "cannot autoscale: its metrics are unavailable",
}

HIGH, MEDIUM = 0.8, 0.5  # below HIGH nothing is shown in the colour of "safe"


def kind_words(kind: str) -> str:
    return KIND_WORDS.get(kind, kind.replace("_", " "))


def confidence(value: float) -> tuple[str, str]:
    """(words, css class): green only at or above HIGH; amber for medium; red for low."""
    if value >= HIGH:
        return f"high confidence ({value:.0%})", "conf-high"
    if value >= MEDIUM:
        return f"medium confidence ({value:.0%}): check the evidence", "conf-medium"
    return f"low confidence ({value:.0%}): a lead, not a verdict", "conf-low"


def headline(report: dict[str, Any]) -> str:
    """One sentence: what broke and why, e.g. `payments keeps crashing: PAYMENT_GATEWAY_URL is not set`."""
    causes = report.get("causes") or []
    prefix = "Resolved. " if report.get("status") == "resolved" else ""
    if not causes:
        return prefix + ("Still investigating." if not report.get("complete") and not report.get("domains", {})
                         .get("answered") else "No probable cause found in the evidence.")
    top = causes[0]
    component = top["component"].split("/")[-1]
    what = f"{component} {kind_words(top['kind'])}"
    why = _headline_summary(top)  # the cause's own headline finding says what broke, in an analyzer's words
    if why:
        named = why.lower().startswith((component.lower(), top["component"].lower()))
        return f"{prefix}{why}" if named else f"{prefix}{what}: {why}"
    reason = (top.get("reason") or "").strip().rstrip(".")
    return f"{prefix}{what}: {reason}" if reason and reason.lower() != what.lower() else f"{prefix}{what}"


def _headline_summary(cause: dict[str, Any]) -> str:
    own = [f for f in cause.get("evidence") or [] if f.get("subject") == cause["component"] and f.get("summary")]
    return own[0]["summary"].strip().rstrip(".") if own and own[0].get("kind") == cause.get("kind") else ""
