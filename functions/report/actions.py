"""Suggested actions for a cause's findings, from each finding kind's declared actions (see
functions/_platform/analyzers/kinds.py). Destructive ones need a responder's approval.

Templates read `{subject}`, `{namespace}`, `{node}` and values taken from the finding's evidence (the blocker
pid of a lock chain, the previous revision of a rollout...). A value the evidence lacks shows as `<name>`, so
a command is never silently wrong. Action ids come from the rule and the finding, never from rank, so an id
means the same action in every version of a report and approvals stay attached to it.
"""

from __future__ import annotations

import re
import string
from typing import Any

from functions._platform.analyzers.kinds import Rule, actions_for
from sreo_events.models import Action, Finding

MAX_ACTIONS_PER_CAUSE = 6


class _Values(dict):
    def __missing__(self, key: str) -> str:
        return f"<{key.replace('_', ' ')}>"


def _first(items: Any, key: str) -> Any:
    return items[0].get(key) if isinstance(items, list) and items and isinstance(items[0], dict) else None


def template_values(finding: Finding, namespace: str | None) -> dict[str, Any]:
    """What a rule may name: the subject and the identifying details found in the finding's evidence."""
    evidence = finding.evidence
    blocker = evidence.get("blocker") if isinstance(evidence.get("blocker"), dict) else {}
    subject = finding.subject
    kind, _, name = subject.partition("/")
    values = {
        "subject": subject, "namespace": evidence.get("namespace") or namespace or "default",
        "node": subject.removeprefix("node/"), "service": name if kind == "service" else subject,
        "ingress": name if kind == "ingress" else subject, "pvc": name if kind in ("pvc", "persistentvolumeclaim")
        else subject,
        "container": (evidence.get("containers") or [None])[0] if isinstance(evidence.get("containers"), list)
        else None,
        "pod": " ".join(str(p) for p in evidence.get("pods", [])[:3]) if isinstance(evidence.get("pods"), list)
        else None,
        "old_revision": evidence.get("old_revision"), "new_revision": evidence.get("new_revision"),
        "blocker_pid": blocker.get("pid"), "blocker_application": blocker.get("application") or blocker.get("user"),
        "blocker_query": blocker.get("query"),
        "pid": _first(evidence.get("sessions"), "pid"), "source_ip": evidence.get("source_ip"),
        **_evidence_values(evidence),
        "file": evidence.get("file"), "line": evidence.get("line"), "rule": evidence.get("rule"),
        "resource": evidence.get("resource"),
    }
    return _Values({k: v for k, v in values.items() if v not in (None, "")})


def _key(value: Any) -> str | None:
    """The first name of a `{name: count}` or `[name, ...]` evidence value, or the value itself."""
    if isinstance(value, dict):
        return str(next(iter(value), "")) or None
    if isinstance(value, list):
        return str(value[0]) if value else None
    return str(value) if value not in (None, "") else None


def _scheduling_values(evidence: dict[str, Any]) -> dict[str, Any]:
    reasons = evidence.get("scheduler_reasons") if isinstance(evidence.get("scheduler_reasons"), dict) else {}
    message = str(evidence.get("scheduler_message") or "")
    return {
        "scheduler_short_of": ", ".join(sorted(r for r in reasons if "PersistentVolumeClaim" not in r)) or (
            None if "PersistentVolumeClaim" in message or not message else message[:120]),
        "unbound_claims": "yes" if "unbound" in message and "PersistentVolumeClaim" in message else None,
    }


def _image_values(evidence: dict[str, Any]) -> dict[str, Any]:
    image = _key(evidence.get("images"))
    repository = None
    if image:
        repository = image.rsplit("@", 1)[0].rsplit(":", 1)[0] if "/" in image else image.split(":", 1)[0]
    return {"image": image, "repository": repository,
            "pull_message": (evidence.get("registry_says") or _key(evidence.get("messages")) or "")[:160] or None}


def _object_values(evidence: dict[str, Any]) -> dict[str, Any]:
    """The workload, claim, Job and service account a finding names, and the config source behind it."""
    cause = evidence.get("cause") if isinstance(evidence.get("cause"), dict) else {}
    return {
        "workload_kind": str(evidence.get("kind") or "deployment").lower(),
        "pvc": evidence.get("pvc"), "storage_class": evidence.get("storage_class"),
        "pvc_reason": evidence.get("reason") if evidence.get("pvc") else None,
        "job": evidence.get("job"), "job_reason": evidence.get("reason") if evidence.get("job") else None,
        "service_account": evidence.get("service_account"),
        "source_kind": cause.get("source_kind"), "source": cause.get("source"), "key": cause.get("key"),
        "source_kind_lower": (cause.get("source_kind") or "").lower() or None,
    }


def _log_values(evidence: dict[str, Any]) -> dict[str, Any]:
    target = _key(evidence.get("target"))
    env_var = _key(evidence.get("env_var"))
    category = evidence.get("category")
    return {
        "target": target, "target_host": target.split(":", 1)[0].split(".", 1)[0] if target else None,
        "env_var": env_var,
        "category_text": str(category).replace("_", " ") if category else None,
        "named_text": f" ({env_var or target})" if env_var or target else "",
        "log_advice": f"look at {target}, which it cannot reach, before restarting anything" if target
        else "fix that in its configuration or code; a restart alone brings it back",
    }


def _policy_values(evidence: dict[str, Any]) -> dict[str, Any]:
    """The NetworkPolicy a finding blames and the first call it blocks."""
    if not evidence.get("policy"):
        return {}
    return {key: evidence.get(key) for key in ("policy", "caller", "callee", "callee_namespace", "port", "protocol")}


# evidence values quoted as they are: the autoscaler, admission webhook, aggregated API, disruption budget or CNI
# agent a finding names, the replica counts it reads, the nodes it holds, and when a change came before a server ran out of
# connections
QUOTED_VALUES = ("hpa", "max_replicas", "wanted_replicas", "metrics_api", "apiservice", "webhook",
                 "deployed_at", "scaled_from", "scaled_at", "changed_at", "exhausted", "exhausted_at", "who_holds",
                 "pdb", "budget", "nodes_text", "priority_class", "priority", "victims_text", "plugin",
                 "agent_pod", "agent_state", "started_at", "shared_text", "secrets_text")


def _evidence_values(evidence: dict[str, Any]) -> dict[str, Any]:
    """Names an action may quote from a finding's evidence: the image that cannot be pulled, the unbound claim
    and its storage class, the failed Job, the peer a log names, the call a policy blocks, when a change came..."""
    return {**_scheduling_values(evidence), **_image_values(evidence), **_object_values(evidence),
            **_log_values(evidence), **_policy_values(evidence), **{key: evidence.get(key) for key in QUOTED_VALUES}}


def _slug(*parts: Any) -> str:
    return re.sub(r"[^a-z0-9]+", "-", "-".join(str(p) for p in parts).lower()).strip("-")[:120]


def _only_diagnostic(rule: Rule) -> bool:
    return rule.risk == "low" and not rule.requires_approval


def suggest(findings: list[Finding], namespace: str | None, component: str | None = None) -> list[Action]:
    """Actions for one cause's findings, strongest finding first, each action once. Findings on other
    components (the callers the cause explains) only add diagnostics: the cause is what to fix, and a victim
    is never restarted, rolled back or resized for it."""
    formatter = string.Formatter()
    actions: dict[str, Action] = {}
    pairs = [(finding, rule) for finding in findings for rule in actions_for(finding.kind)
             if component is None or finding.subject == component or _only_diagnostic(rule)]
    pairs = [(finding, rule) for finding, rule in pairs
             if all(name in template_values(finding, namespace) for name in rule.needs)]
    for finding, rule in sorted(pairs, key=lambda pair: not pair[1].first):  # stable: evidence order otherwise
        values = template_values(finding, namespace)
        action_id = _slug(rule.key, finding.subject, *(values[k] for k in rule.id_values))
        if action_id in actions:
            continue
        actions[action_id] = Action(
            id=action_id, title=formatter.vformat(rule.title, (), values),
            command=formatter.vformat(rule.command, (), values) if rule.command else None,
            risk=rule.risk, requires_approval=rule.requires_approval or finding.evidence.get("requires_approval") is True)
    return list(actions.values())[:MAX_ACTIONS_PER_CAUSE]
