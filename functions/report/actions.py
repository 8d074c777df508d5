"""Remediation rule library: finding kind -> suggested actions. Destructive ones need a responder's approval.

Templates read `{subject}`, `{namespace}`, `{node}` and values taken from the finding's evidence (the blocker
pid of a lock chain, the previous revision of a rollout...). A value the evidence lacks shows as `<name>`, so
a command is never silently wrong. Action ids come from the rule and the finding, never from rank, so an id
means the same action in every version of a report and approvals stay attached to it.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass
from typing import Any, Literal

from sreo_events.models import Action, Finding

Risk = Literal["low", "medium", "high"]
MAX_ACTIONS_PER_CAUSE = 6


@dataclass(frozen=True)
class Rule:
    key: str  # stable part of the action id
    title: str
    command: str | None
    risk: Risk
    requires_approval: bool = False
    id_values: tuple[str, ...] = ()  # template values that tell two actions of one rule apart
    first: bool = False  # the usual first mitigation (undo the change), listed before diagnostics
    needs: tuple[str, ...] = ()  # evidence values without which the action says nothing: skipped when missing


def _r(key: str, title: str, command: str | None, risk: Risk, approval: bool = False, *ids: str) -> Rule:
    return Rule(key, title, command, risk, approval, ids)


def _when(needs: str, key: str, title: str, command: str | None, risk: Risk, approval: bool = False) -> Rule:
    """A rule for one evidence value (the peer, the claim, the Job): one action per value, none without it."""
    return Rule(key, title, command, risk, approval, (needs,), needs=(needs,))


RULES: dict[str, list[Rule]] = {
    "recent_rollout": [
        Rule("rollback", "Roll back {subject} to revision {old_revision}",
             "kubectl rollout undo deployment/{subject} -n {namespace} --to-revision={old_revision}", "medium",
             True, first=True),
        _r("diff-revisions", "Compare revision {new_revision} of {subject} with revision {old_revision}",
           "kubectl rollout history deployment/{subject} -n {namespace} --revision={new_revision}", "low")],
    "pod_crashloop": [
        _r("previous-logs", "Read the crashed container's last logs of {subject}",
           "kubectl logs deployment/{subject} -n {namespace} -c {container} --previous --tail=200", "low"),
        _r("describe-pods", "Read the termination reason and events of {subject}'s pods",
           "kubectl describe pods -n {namespace} {pod}", "low")],
    "pod_oomkilled": [
        _r("raise-memory-limit", "Raise the memory limit of container {container} in {subject} (or fix the leak)",
           "kubectl set resources deployment/{subject} -n {namespace} -c {container} --limits=memory=<new limit>",
           "medium", True),
        _r("memory-usage", "Compare {subject}'s memory use with its limit",
           "kubectl top pod -n {namespace} --containers {pod}", "low")],
    "image_pull_error": [
        _when("image", "image-tags", "Image {image} cannot be pulled ({pull_message}): check that the tag exists "
              "in its registry", "skopeo list-tags docker://{repository}", "low"),
        _r("check-image", "Check the image name, tag and pull secret of {subject}",
           "kubectl describe pods -n {namespace} {pod}", "low")],
    "container_config_error": [
        _r("restore-config", "Restore the missing {source_kind} {source} (key {key}) that {subject} references",
           "kubectl get {source_kind_lower} {source} -n {namespace} -o yaml", "low")],
    "container_log_error": [
        _r("log-cause", "{subject} logs say: {category_text}{named_text}; {log_advice}",
           "kubectl logs deployment/{subject} -n {namespace} --tail=200", "low"),
        _when("target", "check-peer", "Check {target}, which {subject} cannot reach: its endpoints, DNS name and port",
              "kubectl get endpoints -n {namespace} {target_host} -o wide", "low")],
    "log_error_class": [
        _r("log-cause", "{subject} logs say: {category_text}{named_text}; {log_advice}", None, "low"),
        _when("target", "check-peer", "Check {target}, which {subject} cannot reach: its endpoints, DNS name and port",
              "kubectl get endpoints -n {namespace} {target_host} -o wide", "low")],
    "log_latency": [
        _r("slow-lines", "Read {subject}'s slow log lines: they name what it waits on", None, "low")],
    "job_failed": [
        _when("job", "job-logs", "Read the failed pods' logs of job {job} ({job_reason})",
              "kubectl logs job/{job} -n {namespace} --tail=200", "low"),
        _when("job", "job-describe", "Read job {job}'s conditions and pod exit codes",
              "kubectl describe job {job} -n {namespace}", "low"),
        _r("job-rerun", "Once fixed, run {subject} again",
           "kubectl create job --from=cronjob/{subject} {subject}-manual -n {namespace}", "medium", True)],
    "missing_service_account": [
        _when("service_account", "list-accounts", "Create service account {service_account} or point {subject} at "
              "an existing one", "kubectl get serviceaccounts -n {namespace}", "low")],
    "probe_failure": [
        _r("check-probes", "Check why {subject}'s probes fail (slow start, wrong path or port)",
           "kubectl describe pods -n {namespace} {pod}", "low")],
    "pod_evicted": [
        _r("eviction-reason", "Read why {subject}'s pods were evicted and clean up the evicted ones",
           "kubectl get pods -n {namespace} --field-selector=status.phase=Failed", "low")],
    "service_no_endpoints": [
        _r("check-endpoints", "Check that {subject}'s selector matches ready pods",
           "kubectl get endpoints {service} -n {namespace} -o wide", "low")],
    "ingress_backend_missing": [
        _r("fix-ingress-backend", "Point {subject} at an existing Service and port",
           "kubectl describe ingress {ingress} -n {namespace}", "low")],
    "deployment_unavailable": [
        _r("describe-deployment", "Inspect why {subject}'s replicas are unavailable",
           "kubectl describe {workload_kind} {subject} -n {namespace}", "low")],
    "pod_unschedulable": [
        _when("scheduler_short_of", "free-capacity", "Free or add capacity ({scheduler_short_of}), or relax "
              "{subject}'s scheduling constraints", "kubectl describe pods -n {namespace} {pod}", "medium"),
        _when("unbound_claims", "bind-claims", "{subject}'s pods wait for their PersistentVolumeClaims to bind: "
              "fix the claims, not the nodes", "kubectl get pvc -n {namespace}", "low")],
    "node_not_ready": [
        _r("drain-node", "Cordon and drain {node}", "kubectl drain {node} --ignore-daemonsets --delete-emptydir-data",
           "high", True),
        _r("describe-node", "Read {node}'s conditions and kubelet events", "kubectl describe node {node}", "low")],
    "node_pressure": [
        _r("relieve-pressure", "Relieve pressure on {node} (evict, clean up, add capacity)",
           "kubectl describe node {node}", "medium")],
    "pvc_pending": [
        _when("pvc", "check-claim", "Read why claim {pvc} is unbound ({pvc_reason})",
              "kubectl get pvc {pvc} -n {namespace} -o wide && kubectl describe pvc {pvc} -n {namespace}", "low"),
        _when("storage_class", "check-storage", "Check storage class {storage_class} and its provisioner; the claim "
              "binds once it exists", "kubectl get storageclass {storage_class} -o yaml", "low")],
    "lock_contention": [
        _r("terminate-blocker", "Terminate the blocking session (pid {blocker_pid}) on {subject}",
           "SELECT pg_terminate_backend({blocker_pid});", "high", True, "blocker_pid"),
        _r("blocker-code-path", "Find the code path that holds the lock (pid {blocker_pid}): {blocker_query}",
           None, "low", False, "blocker_pid")],
    "db_connection_saturation": [
        _r("cap-pools", "Find which client holds connections to {subject}; cap its pool",
           "SELECT usename, application_name, client_addr, state, count(*) FROM pg_stat_activity "
           "GROUP BY 1, 2, 3, 4 ORDER BY 5 DESC;", "low"),
        _r("terminate-idle-tx", "Terminate idle-in-transaction sessions on {subject}",
           "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE state = 'idle in transaction';",
           "high", True)],
    "db_connection_errors": [
        _r("check-db-reachable", "Check that {subject} accepts connections and has free slots",
           "SELECT count(*), current_setting('max_connections') FROM pg_stat_activity;", "low")],
    "db_idle_in_transaction": [
        _r("idle-tx-timeout", "Set idle_in_transaction_session_timeout for the offending role on {subject}",
           "ALTER ROLE <role> SET idle_in_transaction_session_timeout = '60s';", "medium", True)],
    "long_running_query": [
        _r("cancel-query", "Cancel the long query (pid {pid}) on {subject}", "SELECT pg_cancel_backend({pid});",
           "medium", True, "pid")],
    "long_running_transaction": [
        _r("end-transaction", "End the long transaction (pid {pid}) on {subject}",
           "SELECT pg_terminate_backend({pid});", "high", True, "pid")],
    "deadlocks": [
        _r("deadlock-order", "Read the deadlock reports in {subject}'s server log; make writers lock rows in "
           "one order", None, "low")],
    "replication_lag": [
        _r("replication-lag", "Check the standby's replay and the primary's WAL sender on {subject}",
           "SELECT client_addr, state, replay_lag FROM pg_stat_replication;", "low")],
    "brute_force": [
        _r("block-source", "Block {source_ip} at the edge", None, "medium", True, "source_ip")],
    "credential_stuffing": [
        _r("rate-limit-logins", "Rate-limit logins on {subject} and force resets for targeted accounts", None,
           "medium", True)],
    "success_after_failures": [
        _r("contain-account", "Treat the account as compromised: revoke sessions, reset credentials", None,
           "high", True)],
    "auth_failure_spike": [
        _r("auth-failures", "Find what changed for {subject}'s logins (identity provider, secrets, clients)",
           None, "low")],
    "token_errors": [
        _r("token-config", "Check {subject}'s token issuer keys (JWKS), audience and clock sync", None, "low")],
    "tls_cert_expiry": [
        _r("renew-cert", "Renew the certificate for {subject} and reload whatever serves it", None, "low")],
    "error_rate_spike": [
        _r("what-changed", "Look at what changed in {subject} just before the spike (deploys, config, "
           "dependencies)", None, "low")],
    "error_ratio_spike": [
        _r("what-changed", "Look at what changed in {subject} just before the spike (deploys, config, "
           "dependencies)", None, "low")],
    "new_log_template": [
        _r("new-message", "Read where {subject} logs the new message; it is often the error itself", None, "low")],
    "latency_creep": [
        _r("scale-or-find-slow", "Scale {subject} out or find the slow dependency before the SLO breaches", None,
           "low")],
    "resource_saturation": [
        _r("raise-limit-or-scale", "Raise the limit or scale {subject} out", None, "medium")],
    "container_restarts": [
        _r("restart-reason", "Read why {subject}'s containers restart",
           "kubectl get pods -n {namespace} -l app={subject}", "low")],
    "dependency_degraded": [
        _r("check-edge", "Check the calls from {client} to {server}: compare {server}'s own server time with what "
           "{client} sees, then the network, DNS and connection pool between them", None, "low")],
    "metric_change": [
        _r("what-changed-at-onset", "Look at what changed in {subject} when its metrics moved (a deploy, config, "
           "load, the node it runs on); the evidence lists the metrics that moved most first", None, "low")],
    "dependency_delay": [
        _r("check-path-to", "Check the calls to {subject} from the callers that wait on it: the network path, DNS "
           "and connection pools between them (its own metrics stayed flat)", None, "low")],
    "log_flood": [
        _r("lower-log-level", "Find the noisy template in {subject}; lower its log level", None, "low")],
}
RULES["capacity_forecast"] = [
    _r("add-capacity", "Raise the {resource} limit or add capacity for {subject} before it is exhausted", None, "low")]
# Code review findings (agent `code`): apply the reviewed patch, or follow the written suggestion. The fix's
# risk sets the action's; a finding whose fix the review policy does not approve by itself carries
# `requires_approval` in its evidence (see suggest), so a responder must approve it.
CODE_FIX_RISK: dict[str, Risk] = {
    "code_sql_injection": "medium", "code_xss": "medium", "code_csrf": "high", "code_unsafe_deserialisation":
    "medium", "code_weak_auth": "medium", "code_n_plus_one": "low", "code_unbounded_query": "low",
    "code_sync_io_in_async": "low"}
RULES.update({kind: [_r("apply-fix", "Fix the {rule} flaw in {subject} at {file}:{line} (patch or suggestion in the "
                        "evidence)", None, risk, risk == "high", "file", "line")] for kind, risk in CODE_FIX_RISK.items()})
# Kinds that deliberately get only the generic action: their evidence says where to look, not what to do.
GENERIC_KINDS = frozenset({"warning_events", "db_diagnostics_unavailable"})
GENERIC: list[Rule] = [_r("investigate", "Investigate {subject}: start from the evidence above", None, "low")]


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


def _evidence_values(evidence: dict[str, Any]) -> dict[str, Any]:
    """Names an action may quote from a finding's evidence: the image that cannot be pulled, the unbound claim
    and its storage class, the failed Job, the peer a log names..."""
    return {**_scheduling_values(evidence), **_image_values(evidence), **_object_values(evidence),
            **_log_values(evidence)}


def _slug(*parts: Any) -> str:
    return re.sub(r"[^a-z0-9]+", "-", "-".join(str(p) for p in parts).lower()).strip("-")[:120]


def rules_for(kind: str) -> list[Rule]:
    return RULES.get(kind) or GENERIC


def _only_diagnostic(rule: Rule) -> bool:
    return rule.risk == "low" and not rule.requires_approval




def suggest(findings: list[Finding], namespace: str | None, component: str | None = None) -> list[Action]:
    """Actions for one cause's findings, strongest finding first, each action once. Findings on other
    components (the callers the cause explains) only add diagnostics: the cause is what to fix, and a victim
    is never restarted, rolled back or resized for it."""
    formatter = string.Formatter()
    actions: dict[str, Action] = {}
    pairs = [(finding, rule) for finding in findings for rule in rules_for(finding.kind)
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
