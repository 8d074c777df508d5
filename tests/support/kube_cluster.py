"""Builds small clusters as `kubectl get -o json` objects, and writes them as snapshot directories."""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sreo_events.models import InvestigationRequested, TimeWindow

NS = "shop"
WINDOW_START = datetime(2024, 5, 1, 10, 0, tzinfo=UTC)
WINDOW_END = WINDOW_START + timedelta(minutes=30)
LONG_AGO = WINDOW_START - timedelta(days=7)


def ts(minutes: float = 0.0, base: datetime = WINDOW_START) -> str:
    return (base + timedelta(minutes=minutes)).strftime("%Y-%m-%dT%H:%M:%SZ")


def meta(name: str, namespace: str | None = NS, created: str | None = None, **extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = {"name": name, "uid": f"uid-{name}", "creationTimestamp": created or ts(base=LONG_AGO)}
    if namespace:
        data["namespace"] = namespace
    data.update(extra)
    return data


def container_spec(name: str, image: str, env: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return {"name": name, "image": image, "env": env or [],
            "readinessProbe": {"httpGet": {"path": "/healthz", "port": 8080}}}


def template(app: str, image: str, env: list[dict[str, Any]] | None = None,
             configmap: str | None = None) -> dict[str, Any]:
    spec: dict[str, Any] = {"containers": [container_spec(app, image, env)]}
    if configmap:
        spec["containers"][0]["envFrom"] = [{"configMapRef": {"name": configmap}}]
    return {"metadata": {"labels": {"app": app}}, "spec": spec}


def deployment(app: str, image: str, replicas: int = 2, available: int | None = None, revision: int = 1,
               env: list[dict[str, Any]] | None = None, configmap: str | None = None) -> dict[str, Any]:
    available = replicas if available is None else available
    conditions = [
        {"type": "Available", "status": "True" if available >= replicas else "False",
         "reason": "MinimumReplicasAvailable", "lastTransitionTime": ts(base=LONG_AGO)},
        {"type": "Progressing", "status": "True", "reason": "NewReplicaSetAvailable",
         "lastTransitionTime": ts(base=LONG_AGO)},
    ]
    return {"kind": "Deployment", "apiVersion": "apps/v1",
            "metadata": meta(app, labels={"app": app},
                             annotations={"deployment.kubernetes.io/revision": str(revision)}),
            "spec": {"replicas": replicas, "selector": {"matchLabels": {"app": app}},
                     "template": template(app, image, env, configmap)},
            "status": {"replicas": replicas, "readyReplicas": available, "availableReplicas": available,
                       "updatedReplicas": replicas, "conditions": conditions}}


def replicaset(app: str, image: str, template_hash: str, revision: int, created: str, replicas: int,
               configmap: str | None = None) -> dict[str, Any]:
    tpl = template(app, image, configmap=configmap)
    tpl["metadata"]["labels"]["pod-template-hash"] = template_hash
    return {"kind": "ReplicaSet", "apiVersion": "apps/v1",
            "metadata": meta(f"{app}-{template_hash}", created=created,
                             labels={"app": app, "pod-template-hash": template_hash},
                             annotations={"deployment.kubernetes.io/revision": str(revision)},
                             ownerReferences=[{"kind": "Deployment", "name": app, "controller": True}]),
            "spec": {"replicas": replicas, "template": tpl},
            "status": {"replicas": replicas, "readyReplicas": replicas}}


def pod(app: str, template_hash: str, suffix: str, image: str, node: str = "node-1", ready: bool = True,
        waiting: dict[str, Any] | None = None, last_terminated: dict[str, Any] | None = None,
        restarts: int = 0) -> dict[str, Any]:
    name = f"{app}-{template_hash}-{suffix}"
    state = {"waiting": waiting} if waiting else {"running": {"startedAt": ts(base=LONG_AGO)}}
    status_entry: dict[str, Any] = {"name": app, "image": image, "ready": ready and not waiting,
                                    "restartCount": restarts, "state": state, "lastState": {}}
    if last_terminated:
        status_entry["lastState"] = {"terminated": last_terminated}
    is_ready = "True" if ready and not waiting else "False"
    return {"kind": "Pod", "apiVersion": "v1",
            "metadata": meta(name, labels={"app": app, "pod-template-hash": template_hash},
                             ownerReferences=[{"kind": "ReplicaSet", "name": f"{app}-{template_hash}",
                                               "controller": True}]),
            "spec": {"nodeName": node, "containers": [container_spec(app, image)]},
            "status": {"phase": "Running", "startTime": ts(base=LONG_AGO),
                       "conditions": [{"type": "PodScheduled", "status": "True"},
                                      {"type": "Ready", "status": is_ready, "lastTransitionTime": ts(2)}],
                       "containerStatuses": [status_entry]}}


def service(name: str, selector: dict[str, str] | None = None, port: int = 8080) -> dict[str, Any]:
    return {"kind": "Service", "apiVersion": "v1", "metadata": meta(name),
            "spec": {"type": "ClusterIP", "selector": selector if selector is not None else {"app": name},
                     "ports": [{"name": "http", "port": port, "targetPort": port}]}}


def endpoints(name: str, pods: list[dict[str, Any]], port: int = 8080) -> dict[str, Any]:
    ready = [{"ip": f"10.1.0.{i + 10}", "targetRef": {"kind": "Pod", "name": p["metadata"]["name"]}}
             for i, p in enumerate(pods)]
    return {"kind": "Endpoints", "apiVersion": "v1", "metadata": meta(name),
            "subsets": [{"addresses": ready, "ports": [{"name": "http", "port": port}]}] if ready else []}


def node(name: str, ready: str = "True", pressure: str | None = None) -> dict[str, Any]:
    conditions = [{"type": kind, "status": "True" if kind == pressure else "False", "reason": f"Kubelet{kind}",
                   "message": f"kubelet has {kind}" if kind == pressure else "", "lastTransitionTime": ts(3)}
                  for kind in ("MemoryPressure", "DiskPressure", "PIDPressure")]
    conditions.append({"type": "Ready", "status": ready,
                       "reason": "KubeletReady" if ready == "True" else "NodeStatusUnknown",
                       "message": "" if ready == "True" else "Kubelet stopped posting node status.",
                       "lastTransitionTime": ts(4) if ready != "True" else ts(base=LONG_AGO)})
    return {"kind": "Node", "apiVersion": "v1", "metadata": meta(name, namespace=None),
            "status": {"conditions": conditions}}


def event(kind: str, name: str, reason: str, message: str, at: float, count: int = 1,
          type_: str = "Warning", first: float | None = None) -> dict[str, Any]:
    return {"kind": "Event", "apiVersion": "v1",
            "metadata": meta(f"{name}.{reason.lower()}.{int(at * 60)}", created=ts(at)),
            "involvedObject": {"kind": kind, "name": name, "namespace": NS},
            "reason": reason, "message": message, "type": type_, "count": count,
            "firstTimestamp": ts(first if first is not None else at), "lastTimestamp": ts(at)}


def in_namespace(namespace: str, obj: dict[str, Any]) -> dict[str, Any]:
    """A copy of the object, moved to another namespace than the fixture's own."""
    obj = copy.deepcopy(obj)
    obj["metadata"]["namespace"] = namespace
    return obj


def healthy_cluster() -> dict[str, Any]:
    """checkout -> payments (HTTP) and checkout -> orders-db; frontend behind an ingress; two nodes."""
    apps = {"checkout": ("registry.local/checkout:1.0", "aaa111"), "payments": ("registry.local/payments:2.3", "bbb222"),
            "frontend": ("registry.local/frontend:5.1", "ccc333"), "orders-db": ("postgres:15", "ddd444")}
    env = {"checkout": [{"name": "PAYMENTS_URL", "value": "http://payments:8080"},
                        {"name": "DB_HOST", "value": "orders-db"}],
           "frontend": [{"name": "CHECKOUT_URL", "value": "http://checkout:8080"}]}
    objects: dict[str, list[dict[str, Any]]] = {kind: [] for kind in (
        "deployments", "replicasets", "pods", "services", "endpoints", "nodes", "events", "ingresses",
        "persistentvolumeclaims", "configmaps")}
    for app, (image, hash_) in apps.items():
        objects["deployments"].append(deployment(app, image, env=env.get(app)))
        objects["replicasets"].append(replicaset(app, image, hash_, 1, ts(base=LONG_AGO), 2))
        pods = [pod(app, hash_, suffix, image, node=f"node-{i + 1}") for i, suffix in enumerate(("x1", "x2"))]
        objects["pods"] += pods
        objects["services"].append(service(app, port=5432 if app == "orders-db" else 8080))
        objects["endpoints"].append(endpoints(app, pods))
    objects["nodes"] = [node("node-1"), node("node-2")]
    objects["ingresses"].append({
        "kind": "Ingress", "apiVersion": "networking.k8s.io/v1", "metadata": meta("shop"),
        "spec": {"rules": [{"host": "shop.example.com", "http": {"paths": [
            {"path": "/", "pathType": "Prefix",
             "backend": {"service": {"name": "frontend", "port": {"number": 8080}}}}]}}]}})
    objects["persistentvolumeclaims"].append({
        "kind": "PersistentVolumeClaim", "apiVersion": "v1", "metadata": meta("orders-data"),
        "spec": {"storageClassName": "standard"}, "status": {"phase": "Bound"}})
    objects["configmaps"].append({"kind": "ConfigMap", "apiVersion": "v1", "metadata": meta("checkout-config"),
                                  "data": {"LOG_LEVEL": "info"}})
    objects["events"].append(event("Pod", "checkout-aaa111-x1", "Pulled", "Container image already present",
                                   at=-5, type_="Normal"))
    return {"objects": objects, "logs": {}}


def find(cluster: dict[str, Any], kind: str, name: str) -> dict[str, Any]:
    return next(o for o in cluster["objects"][kind] if o["metadata"]["name"] == name)


def write_snapshot(cluster: dict[str, Any], root: Path) -> Path:
    """One `List` file per kind (as `kubectl get <kind> -A -o json` writes), plus logs/<ns>/<pod>/<c>.log."""
    root.mkdir(parents=True, exist_ok=True)
    for kind, items in cluster["objects"].items():
        document = {"apiVersion": "v1", "kind": "List", "metadata": {"resourceVersion": ""},
                    "items": copy.deepcopy(items)}
        (root / f"{kind}.json").write_text(json.dumps(document, indent=1), encoding="utf-8")
    for (namespace, pod_name, container, previous), text in cluster["logs"].items():
        folder = root / "logs" / namespace / pod_name
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{container}{'.previous' if previous else ''}.log").write_text(text, encoding="utf-8")
    return root


def investigation(service: str | None = None, namespace: str | None = NS) -> InvestigationRequested:
    return InvestigationRequested(
        incident_id="inc-k8s-1", domain="kubernetes", service=service, namespace=namespace,
        window=TimeWindow(start=WINDOW_START, end=WINDOW_END), deadline=WINDOW_END,
    )


def api_service(group: str, version: str, service: tuple[str, str] | None, available: bool = True,
                reason: str = "Passed", message: str = "all checks passed", since: float = 0.0) -> dict[str, Any]:
    """An APIService (`kubectl get apiservice <version>.<group> -o json`): served by the (namespace, name) Service,
    or by the API server itself when `service` is None."""
    spec: dict[str, Any] = {"group": group, "version": version, "groupPriorityMinimum": 100, "versionPriority": 100}
    if service:
        spec |= {"service": {"namespace": service[0], "name": service[1], "port": 443}, "insecureSkipTLSVerify": True}
    else:
        reason, message = ("Local", "Local APIServices are always available") if available else (reason, message)
    condition = {"type": "Available", "status": "True" if available else "False", "reason": reason,
                 "message": message, "lastTransitionTime": ts(since)}
    return {"kind": "APIService", "apiVersion": "apiregistration.k8s.io/v1",
            "metadata": meta(f"{version}.{group}", namespace=None), "spec": spec,
            "status": {"conditions": [condition]}}


def hpa(name: str, target: str, current: int, maximum: int, minimum: int = 2, target_kind: str = "Deployment",
        cpu: tuple[int, int | None] | None = (70, None), conditions: dict[str, tuple[str, str, str]] | None = None,
        metrics: list[dict[str, Any]] | None = None, since: float = 0.0) -> dict[str, Any]:
    """An autoscaling/v2 HorizontalPodAutoscaler scaling `target`: `cpu` is (target utilization, current
    utilization, None when unread); `conditions` maps a condition type to (status, reason, message), over healthy
    defaults."""
    spec_metrics = list(metrics or [])
    current_metrics = []
    if cpu is not None:
        spec_metrics.append({"type": "Resource", "resource": {
            "name": "cpu", "target": {"type": "Utilization", "averageUtilization": cpu[0]}}})
        if cpu[1] is not None:
            current_metrics.append({"type": "Resource", "resource": {
                "name": "cpu", "current": {"averageUtilization": cpu[1], "averageValue": f"{cpu[1] * 5}m"}}})
    valid = "the HPA was able to successfully calculate a replica count from cpu resource utilization"
    states = {"AbleToScale": ("True", "ReadyForNewScale", "recommended size matches current size"),
              "ScalingActive": ("True", "ValidMetricFound", valid),
              "ScalingLimited": ("False", "DesiredWithinRange", "the desired count is within the acceptable range")}
    states |= conditions or {}
    return {"kind": "HorizontalPodAutoscaler", "apiVersion": "autoscaling/v2", "metadata": meta(name),
            "spec": {"scaleTargetRef": {"apiVersion": "apps/v1", "kind": target_kind, "name": target},
                     "minReplicas": minimum, "maxReplicas": maximum, "metrics": spec_metrics},
            "status": {"currentReplicas": current, "desiredReplicas": current, "lastScaleTime": ts(since),
                       "currentMetrics": current_metrics,
                       "conditions": [{"type": type_, "status": status, "reason": reason, "message": message,
                                       "lastTransitionTime": ts(since)}
                                      for type_, (status, reason, message) in states.items()]}}


def pdb(name: str, selector: dict[str, str], expected: int, healthy: int | None = None, min_available: int | None = None,
        max_unavailable: int | None = None) -> dict[str, Any]:
    """A policy/v1 PodDisruptionBudget over `expected` pods, `healthy` of them healthy (all by default), with the
    status the disruption controller would write."""
    healthy = expected if healthy is None else healthy
    spec: dict[str, Any] = {"selector": {"matchLabels": selector}}
    if max_unavailable is not None:
        spec["maxUnavailable"] = max_unavailable
        desired = expected - max_unavailable
    else:
        spec["minAvailable"] = expected if min_available is None else min_available
        desired = spec["minAvailable"]
    allowed = max(0, healthy - desired)
    return {"kind": "PodDisruptionBudget", "apiVersion": "policy/v1", "metadata": meta(name), "spec": spec,
            "status": {"disruptionsAllowed": allowed, "currentHealthy": healthy, "desiredHealthy": desired,
                       "expectedPods": expected}}


def cordoned(node_obj: dict[str, Any], at: float) -> dict[str, Any]:
    """The node, cordoned (`kubectl cordon`) `at` minutes into the window."""
    node_obj.setdefault("spec", {}).update(unschedulable=True, taints=[
        {"key": "node.kubernetes.io/unschedulable", "effect": "NoSchedule", "timeAdded": ts(at)}])
    return node_obj


def member(statefulset: str, index: int, image: str, node_name: str = "node-1") -> dict[str, Any]:
    """Pod `<statefulset>-<index>` of a StatefulSet, labelled `app: <statefulset>`."""
    obj = pod(statefulset, "sts", str(index), image, node=node_name)
    obj["metadata"] |= {"name": f"{statefulset}-{index}", "labels": {"app": statefulset},
                        "ownerReferences": [{"kind": "StatefulSet", "name": statefulset, "controller": True}]}
    return obj


def pending(app: str, template_hash: str, suffix: str, image: str, message: str, at: float) -> dict[str, Any]:
    """A pod the scheduler could not place since `at` minutes into the window, for `message`."""
    obj = pod(app, template_hash, suffix, image)
    obj["spec"].pop("nodeName")
    obj["status"] = {"phase": "Pending", "conditions": [
        {"type": "PodScheduled", "status": "False", "reason": "Unschedulable", "message": message,
         "lastTransitionTime": ts(at)}]}
    return obj


def daemon_pod(daemonset: str, suffix: str, image: str, node_name: str, restarts: int = 0,
               namespace: str = "kube-system", host_network: bool = True) -> dict[str, Any]:
    """A DaemonSet's pod on one node (host-network, as node agents run); crash-looping when it restarted."""
    waiting = {"reason": "CrashLoopBackOff", "message": "back-off 5m0s restarting failed container"} if restarts else None
    one = in_namespace(namespace, pod(daemonset, "x", suffix, image, node=node_name, waiting=waiting, restarts=restarts))
    one["metadata"]["name"] = f"{daemonset}-{suffix}"
    one["metadata"]["labels"] = {"k8s-app": daemonset}
    one["metadata"]["ownerReferences"] = [{"kind": "DaemonSet", "name": daemonset, "controller": True}]
    one["spec"]["hostNetwork"] = host_network
    return one
