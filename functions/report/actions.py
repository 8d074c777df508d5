"""Remediation rule library: finding kind -> suggested actions. Destructive ones need approval."""

from __future__ import annotations

from events.models import Action, Finding

Rule = tuple[str, str | None, str, bool]  # title, command template, risk, requires approval

RULES: dict[str, list[Rule]] = {
    "recent_rollout": [
        ("Roll back {subject} to the previous revision", "kubectl rollout undo deployment/{subject} -n {namespace}",
         "medium", True),
        ("Compare the new revision's image and config with the previous one",
         "kubectl rollout history deployment/{subject} -n {namespace}", "low", False)],
    "pod_crashloop": [
        ("Read the previous container's logs of {subject}", "kubectl logs deploy/{subject} -n {namespace} --previous",
         "low", False)],
    "pod_oomkilled": [
        ("Raise the memory limit of {subject} (or fix the leak)",
         "kubectl set resources deployment/{subject} -n {namespace} --limits=memory=<new>", "medium", True)],
    "image_pull_error": [
        ("Check the image name, tag and pull secret of {subject}", "kubectl describe pod -l app={subject} -n {namespace}",
         "low", False)],
    "container_config_error": [
        ("Restore the missing ConfigMap or Secret key that {subject} references",
         "kubectl describe pod -l app={subject} -n {namespace}", "low", False)],
    "container_log_error": [
        ("Fix the configuration the logs of {subject} complain about, then restart it",
         "kubectl rollout restart deployment/{subject} -n {namespace}", "medium", True)],
    "service_no_endpoints": [
        ("Check that {subject}'s selector matches ready pods", "kubectl get endpoints {subject} -n {namespace}",
         "low", False)],
    "deployment_unavailable": [
        ("Inspect why {subject}'s replicas are unavailable", "kubectl describe deployment {subject} -n {namespace}",
         "low", False)],
    "pod_unschedulable": [
        ("Free or add capacity, or relax {subject}'s scheduling constraints", None, "medium", False)],
    "node_not_ready": [("Cordon and drain {subject}", "kubectl drain {node} --ignore-daemonsets", "high", True)],
    "node_pressure": [("Relieve pressure on {subject} (evict, clean up, add capacity)", None, "medium", False)],
    "pvc_pending": [("Check the StorageClass and provisioner for {subject}", None, "low", False)],
    "lock_contention": [
        ("Terminate the blocking session on {subject}", "SELECT pg_terminate_backend(<blocker pid>);", "high", True),
        ("Find the code path that holds the lock", None, "low", False)],
    "db_connection_saturation": [
        ("Find which client holds connections to {subject}; cap its pool", None, "low", False),
        ("Terminate idle-in-transaction sessions on {subject}",
         "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE state = 'idle in transaction';",
         "high", True)],
    "db_idle_in_transaction": [
        ("Set idle_in_transaction_session_timeout for the offending role on {subject}", None, "medium", True)],
    "long_running_query": [("Cancel the long query on {subject}", "SELECT pg_cancel_backend(<pid>);", "medium", True)],
    "long_running_transaction": [
        ("End the long transaction on {subject}", "SELECT pg_terminate_backend(<pid>);", "high", True)],
    "brute_force": [("Block the offending source addresses at the edge", None, "medium", True)],
    "credential_stuffing": [("Rate-limit logins and force resets for targeted accounts", None, "medium", True)],
    "success_after_failures": [("Treat the account as compromised: revoke sessions, reset credentials", None,
                                "high", True)],
    "tls_cert_expiry": [("Renew the certificate for {subject}", None, "low", False)],
    "error_rate_spike": [("Look at what changed in {subject} just before the spike", None, "low", False)],
    "latency_creep": [("Scale {subject} out or find the slow dependency before the SLO breaches", None, "low",
                       False)],
    "resource_saturation": [("Raise the limit or scale {subject} out", None, "medium", False)],
    "log_flood": [("Find the noisy template in {subject}; lower its log level", None, "low", False)],
}
FALLBACK: list[Rule] = [("Investigate {subject}: start from the evidence above", None, "low", False)]


def suggest(findings: list[Finding], namespace: str | None, prefix: str) -> list[Action]:
    actions: list[Action] = []
    seen: set[str] = set()
    for finding in findings:
        for title, command, risk, approval in RULES.get(finding.kind, []) or FALLBACK:
            values = {"subject": finding.subject, "namespace": namespace or "default",
                      "node": finding.subject.removeprefix("node/")}
            rendered = title.format(**values)
            if rendered in seen:
                continue
            seen.add(rendered)
            actions.append(Action(id=f"{prefix}-{len(actions) + 1}", title=rendered,
                                  command=command.format(**values) if command else None,
                                  risk=risk, requires_approval=approval))
    return actions[:6]
