"""admission_webhook_failing: the API server could not call an admission webhook, so a fail-closed webhook
refuses what a controller creates (`FailedCreate: ... failed calling webhook "validate.kyverno.svc-fail":
failed to call webhook: Post "https://kyverno-svc.kyverno.svc:443/...": no endpoints available ...`). The
workload whose pods cannot be created is the symptom; the webhook's Service (and the workload behind it) is the
failing dependency, named as the finding's target."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from typing import Any

from functions._platform.analyzers.contract import AnalysisContext
from functions._platform.analyzers.kinds import FindingKind, action_per
from functions._platform.domains.kubernetes.analyzers.cluster_state import ClusterState
from functions._platform.domains.kubernetes.analyzers.ownership import (
    earliest,
    event_count,
    event_first_time,
    namespace_of,
    subject_of,
)
from functions._platform.domains.kubernetes.analyzers.placement import clip, placed_finding
from sreo_events.models import Finding

WEBHOOK_CALL = re.compile(
    r'failed calling webhook "(?P<webhook>[^"]+)": failed to call webhook: \w+ "https://(?P<host>[^/":]+)'
    r'(?::(?P<port>\d+))?[^"]*": (?P<reason>.+)$')
_SERVICE_HOST = re.compile(r"^(?P<service>[a-z0-9-]+)\.(?P<namespace>[a-z0-9-]+)\.svc(?:\.cluster\.local)?$")


def webhook_call(message: str | None) -> re.Match[str] | None:
    """The failed webhook call an event's message reports, if it reports one."""
    return WEBHOOK_CALL.search(message or "")


def webhook_services(events: list[dict[str, Any]]) -> set[tuple[str, str]]:
    """(namespace, Service) of the in-cluster webhooks the API server failed to call, per the events."""
    found = set()
    for event in events:
        if (call := webhook_call(event.get("message"))) and (service := _SERVICE_HOST.match(call["host"])):
            found.add((service["namespace"], service["service"]))
    return found


ADMISSION_WEBHOOK_FAILING = FindingKind(
    name="admission_webhook_failing", domain="kubernetes",
    actions=(
        action_per("webhook", "check-webhook", "Check the admission webhook {webhook}: its Service's endpoints and "
                   "pods; while it is down, a failurePolicy of Ignore (or removing the webhook) lets creates through",
                   "kubectl get validatingwebhookconfigurations,mutatingwebhookconfigurations -o wide", "low"),
    ),
    mitigation=(("Restore the webhook's backend (its pods and endpoints); if it cannot come back quickly, set its "
                 "failurePolicy to Ignore or remove the webhook configuration."),
                "No pod the webhook covers can be created: rollouts, scale-ups and replacements of lost pods stall."),
)


class AdmissionWebhookAnalyzer:
    kind = "admission_webhook_failing"
    kinds = (ADMISSION_WEBHOOK_FAILING,)

    def analyze(self, data: ClusterState, context: AnalysisContext) -> list[Finding]:
        refused: dict[str, list[tuple[dict[str, Any], re.Match[str]]]] = defaultdict(list)
        for event in data.events:
            if event.get("type") == "Warning" and (call := webhook_call(event.get("message"))):
                involved = event.get("involvedObject") or event.get("regarding") or {}
                subject = subject_of(data, involved.get("kind", ""), involved.get("name", ""), namespace_of(event))
                refused[subject].append((event, call))
        findings = []
        for subject, calls in sorted(refused.items()):
            count = sum(event_count(event) for event, _ in calls)
            targets = Counter()
            for event, call in calls:
                targets[f"{call['host']}:{call['port'] or 443}"] += event_count(event)
            webhooks = sorted({call["webhook"] for _, call in calls})
            findings.append(placed_finding(
                context, kind=self.kind, subject=subject, severity="critical", score=min(1.0, 0.6 + 0.02 * count),
                summary=f"{subject}: {count} create(s) refused, admission webhook {', '.join(webhooks)} could not "
                        f"be called: {clip(calls[-1][1]['reason'], 160)}",
                onset=earliest([event_first_time(event) for event, _ in calls]), query=data.query("events"),
                persists=True,
                evidence={"namespace": namespace_of(calls[0][0]), "webhook": webhooks[0], "webhooks": webhooks,
                          "target": dict(targets.most_common(5)),
                          "reasons": sorted({clip(call["reason"], 200) for _, call in calls}),
                          "objects": sorted({f"{(e.get('involvedObject') or {}).get('kind')}/"
                                             f"{(e.get('involvedObject') or {}).get('name')}" for e, _ in calls})}))
        return findings
