"""A rollout (new ReplicaSet: image or pod template change) or a change to a ConfigMap a workload uses,
inside the incident window or the baseline just before it: recent_rollout."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from functions._platform.analyzers.contract import AnalysisContext
from functions._platform.analyzers.kinds import FindingKind, Rule
from functions._platform.domains.kubernetes.analyzers.cluster_state import ClusterState
from functions._platform.domains.kubernetes.analyzers.ownership import (
    by_key,
    event_time,
    events_for,
    meta,
    name_of,
    namespace_of,
    replicasets_of,
)
from functions._platform.domains.kubernetes.analyzers.placement import parse_time, placed_finding, placement
from functions._platform.domains.kubernetes.analyzers.workload_health import replica_counts
from functions._platform.domains.kubernetes.source.rollout import rollout_history, template_refs
from sreo_events.models import Finding

RECENT = ("window", "baseline")
SCALED_UP = re.compile(r"Scaled up replica set (?P<replicaset>\S+) (?:to|from \d+ to) (?P<to>\d+)(?: from (?P<from>\d+))?")
NEW_WITHIN = timedelta(minutes=5)  # a first ReplicaSet this close to its Deployment's creation: a new workload


def _first_deployed(deployment: dict[str, Any], history: list[dict[str, Any]]) -> bool:
    """Whether the Deployment's only revision is its first: created with it, not left after older ones were pruned."""
    born, first = parse_time(meta(deployment).get("creationTimestamp")), parse_time(history[0]["created"])
    return len(history) == 1 and born is not None and first is not None and abs(first - born) <= NEW_WITHIN


def configmap_updated_at(configmap: dict[str, Any]) -> Any:
    """Last write to a ConfigMap: the newest managedFields time, else its creation."""
    times = [parse_time(entry.get("time")) for entry in meta(configmap).get("managedFields") or []]
    known = [t for t in times if t]
    return max(known) if known else parse_time(meta(configmap).get("creationTimestamp"))


RECENT_ROLLOUT = FindingKind(
    name="recent_rollout", domain="kubernetes",
    actions=(
        Rule("rollback", "Roll back {subject} to revision {old_revision}",
             "kubectl rollout undo deployment/{subject} -n {namespace} --to-revision={old_revision}", "medium",
             True, first=True, needs=("old_revision",)),
        Rule("scale-down-new", "Scale {subject} down: it was first deployed at {deployed_at}",
             "kubectl scale deployment/{subject} -n {namespace} --replicas=0", "medium", True, first=True,
             needs=("deployed_at",)),
        Rule("scale-back", "Scale {subject} back to {scaled_from} replicas (it was scaled up at {scaled_at})",
             "kubectl scale deployment/{subject} -n {namespace} --replicas={scaled_from}", "medium", True, first=True,
             needs=("scaled_from", "scaled_at")),
        Rule("diff-revisions", "Compare revision {new_revision} of {subject} with revision {old_revision}",
             "kubectl rollout history deployment/{subject} -n {namespace} --revision={new_revision}", "low",
             needs=("old_revision", "new_revision")),
    ),
    runbook_alerts=("KubeDeploymentRolloutStuck",),
    is_change=True,
)


def _scale_up(data: ClusterState, context: AnalysisContext, name: str, namespace: str) -> Finding | None:
    """The largest scale-up of the Deployment's ReplicaSet in the window or the baseline (an HPA or a hand raising
    replicas: more pods, more connections to everything it calls), from its `ScalingReplicaSet` events."""
    ups = []
    for event in events_for(data, namespace, "Deployment", name):
        at, match = event_time(event), SCALED_UP.search(str(event.get("message") or ""))
        if event.get("reason") == "ScalingReplicaSet" and match and at and placement(context, at) in RECENT:
            ups.append((int(match["to"]), at, int(match["from"]) if match["from"] else None, match["replicaset"]))
    if not ups:
        return None
    replicas, at, before, replicaset = max(ups, key=lambda up: (up[0], up[1]))
    was = f" from {before}" if before is not None else ""
    return placed_finding(context,
        kind="recent_rollout", subject=name, severity="info", score=0.4, onset=min(up[1] for up in ups),
        query=data.query("events"), summary=f"{name}: scaled up to {replicas} replicas{was} at {at.isoformat()}",
        evidence={"namespace": namespace, "change": "scale_up", "replicas": replicas, "scaled_from": before,
                  "replicaset": replicaset, "scaled_at": at.isoformat()},
    )


class RecentRolloutAnalyzer:
    kind = "recent_rollout"
    kinds = (RECENT_ROLLOUT,)

    def analyze(self, data: ClusterState, context: AnalysisContext) -> list[Finding]:
        findings = []
        for deployment in data.deployments:
            name, namespace = name_of(deployment), namespace_of(deployment)
            desired, available = replica_counts("Deployment", deployment)
            degraded = available < desired
            history = rollout_history(name, replicasets_of(data, namespace, name))
            if history:
                newest = history[-1]
                created = parse_time(newest["created"])
                if len(history) > 1 and placement(context, created) in RECENT:
                    findings.append(self._rollout(context, data, name, namespace, history[-2], newest, created,
                                                  degraded))
                elif _first_deployed(deployment, history) and placement(context, created) in RECENT:
                    findings.append(self._arrival(context, data, name, namespace, newest, created, desired,
                                                  degraded))
                elif scaled := _scale_up(data, context, name, namespace):  # a rollout's new pods are no scale-up
                    findings.append(scaled)
            refs = template_refs((deployment.get("spec") or {}).get("template") or {})
            for configmap_name in refs["configmaps"]:
                configmap = by_key(data, "configmaps").get((namespace, configmap_name))
                if configmap is None:
                    continue
                updated = configmap_updated_at(configmap)
                created = parse_time(meta(configmap).get("creationTimestamp"))
                if updated and updated != created and placement(context, updated) in RECENT:
                    findings.append(placed_finding(context, 
                        kind="recent_rollout", subject=name, severity="warning" if degraded else "info",
                        score=0.65 if degraded else 0.4, onset=updated, query=data.query("configmaps"),
                        summary=f"{name}: ConfigMap {name_of(configmap)} it uses changed at {updated.isoformat()}",
                        evidence={"namespace": namespace, "change": "config", "configmap": name_of(configmap),
                                  "updated_at": updated.isoformat(), "workload_degraded": degraded},
                    ))
        return findings

    @staticmethod
    def _arrival(context: AnalysisContext, data: ClusterState, name: str, namespace: str, first: dict[str, Any],
                 created: Any, replicas: int, degraded: bool) -> Finding:
        images = ", ".join(f"{c}: {image}" for c, image in first["images"].items())
        return placed_finding(context,
            kind="recent_rollout", subject=name, severity="warning" if degraded else "info",
            score=0.65 if degraded else 0.4, onset=created, query=data.query("deployments", "replicasets"),
            summary=f"{name}: first deployed at {created.isoformat()} ({replicas} replicas; {images})",
            evidence={"namespace": namespace, "change": "new_workload", "deployed_at": created.isoformat(),
                      "replicas": replicas, "new_replicaset": first["replicaset"], "new_images": first["images"],
                      "change_cause": first.get("change_cause"), "workload_degraded": degraded},
        )

    @staticmethod
    def _rollout(context: AnalysisContext, data: ClusterState, name: str, namespace: str,
                 old: dict[str, Any], new: dict[str, Any], created: Any, degraded: bool) -> Finding:
        changed_images = {container: {"old": old["images"].get(container), "new": image}
                          for container, image in new["images"].items() if old["images"].get(container) != image}
        if changed_images:
            change = "image"
            what = ", ".join(f"{c}: {v['old']} -> {v['new']}" for c, v in changed_images.items())
        elif old["config_refs"] != new["config_refs"]:
            change, what = "config", f"config refs {old['config_refs']} -> {new['config_refs']}"
        else:
            change, what = "pod_template", "pod template changed (env, resources or args)"
        return placed_finding(context, 
            kind="recent_rollout", subject=name, severity="warning" if degraded else "info",
            score=0.7 if degraded else 0.45, onset=created, query=data.query("deployments", "replicasets"),
            summary=f"{name}: rolled out revision {new['revision']} at {created.isoformat()} ({what})",
            evidence={"namespace": namespace, "change": change, "old_revision": old["revision"],
                      "new_revision": new["revision"], "old_replicaset": old["replicaset"],
                      "new_replicaset": new["replicaset"], "images": changed_images,
                      "old_images": old["images"], "new_images": new["images"],
                      "change_cause": new.get("change_cause"), "workload_degraded": degraded},
        )
