"""Images that cannot be pulled: image_pull_error."""

from __future__ import annotations

from functions._platform.analyzers.contract import AnalysisContext
from functions._platform.analyzers.kinds import FindingKind, action, action_per
from functions._platform.domains.kubernetes.analyzers.cluster_state import ClusterState
from functions._platform.domains.kubernetes.analyzers.ownership import earliest, events_for
from functions._platform.domains.kubernetes.analyzers.placement import parse_time, placed_finding
from functions._platform.domains.kubernetes.analyzers.pod_problems import (
    pods_of,
    problems_by_workload,
    waiting_reason,
)
from sreo_events.models import Finding

PULL_REASONS = {"ImagePullBackOff", "ErrImagePull", "InvalidImageName", "ErrImageNeverPull", "RegistryUnavailable"}


def registry_says(messages: list[str]) -> str | None:
    """The registry's own words at the end of a pull failure (`not found`, `manifest unknown`,
    `unauthorized: authentication required`), from the kubelet's `Failed to pull image ...` message."""
    for message in messages:
        if "Failed to pull image" in message or "failed to pull" in message:
            tail = message.rsplit('": ', 1)[-1] if '": ' in message else message.rsplit(": ", 1)[-1]
            return tail.strip()[:160] or None
    return None


IMAGE_PULL_ERROR = FindingKind(
    name="image_pull_error", domain="kubernetes",
    actions=(
        action_per("image", "image-tags", "Image {image} cannot be pulled ({pull_message}): check that the tag exists "
                   "in its registry", "skopeo list-tags docker://{repository}", "low"),
        action("check-image", "Check the image name, tag and pull secret of {subject}",
               "kubectl describe pods -n {namespace} {pod}", "low"),
    ),
    runbook_alerts=("KubeContainerWaiting", "KubePodNotReady"),
)


class ImagePullAnalyzer:
    kind = "image_pull_error"
    kinds = (IMAGE_PULL_ERROR,)

    def analyze(self, data: ClusterState, context: AnalysisContext) -> list[Finding]:
        findings = []
        for (namespace, workload), problems in sorted(
                problems_by_workload(data, lambda s: waiting_reason(s) in PULL_REASONS).items()):
            images = sorted({p.get("image") or "" for p in problems} - {""})
            pull_events = [e for pod in pods_of(problems) for e in events_for(data, namespace, "Pod", pod)
                           if e.get("reason") in ("Failed", "BackOff") and "image" in (e.get("message") or "").lower()]
            onset = earliest([parse_time(e.get("firstTimestamp")) for e in pull_events])
            messages = sorted({p["message"] for p in problems if p.get("message")}
                              | {e.get("message", "")[:300] for e in pull_events if e.get("reason") == "Failed"})
            registry = registry_says(messages)
            findings.append(placed_finding(context, 
                kind="image_pull_error", subject=workload, severity="critical", score=0.85,
                summary=f"{workload}: cannot pull image {', '.join(images) or '?'} "
                        f"({', '.join(sorted({p['reason'] for p in problems}))})"
                        + (f": the registry says {registry}" if registry else ""),
                onset=onset, query=data.query("pods", "events"), persists=True,
                evidence={"namespace": namespace, "pods": pods_of(problems), "images": images,
                          "registry_says": registry, "messages": messages},
            ))
        return findings
