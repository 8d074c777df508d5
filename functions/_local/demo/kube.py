"""The demo shop's Kubernetes state as `kubectl get -o json` would dump it, relative to `now`.

The payments Deployment rolled out 2.4.0 twelve minutes ago; the new pods crash because a required
environment variable is missing, so the payments Service has no ready endpoints and checkout fails."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

NAMESPACE = "shop"


def _ts(at: datetime) -> str:
    return at.strftime("%Y-%m-%dT%H:%M:%SZ")


def _meta(kind_name: str, at: datetime, labels: dict[str, str] | None = None, **extra: Any) -> dict[str, Any]:
    return {"name": kind_name, "namespace": NAMESPACE, "creationTimestamp": _ts(at), "uid": f"uid-{kind_name}",
            "labels": labels or {}, **extra}


def _deployment(name: str, image: str, revision: int, ready: int, replicas: int, at: datetime,
                env: list[dict[str, str]]) -> dict[str, Any]:
    progressing = {"type": "Progressing", "status": "True", "reason": "NewReplicaSetAvailable"} if ready == replicas \
        else {"type": "Progressing", "status": "True", "reason": "ReplicaSetUpdated"}
    return {
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": _meta(name, at, {"app": name}, generation=revision,
                          annotations={"deployment.kubernetes.io/revision": str(revision)}),
        "spec": {"replicas": replicas, "selector": {"matchLabels": {"app": name}},
                 "template": {"metadata": {"labels": {"app": name}},
                              "spec": {"containers": [{"name": name, "image": image, "env": env}]}}},
        "status": {"replicas": replicas, "readyReplicas": ready, "availableReplicas": ready,
                   "updatedReplicas": replicas, "unavailableReplicas": replicas - ready or None,
                   "observedGeneration": revision,
                   "conditions": [{"type": "Available", "status": "True" if ready else "False",
                                   "reason": "MinimumReplicasAvailable" if ready else "MinimumReplicasUnavailable"},
                                  progressing]},
    }


def _replicaset(name: str, hash_: str, image: str, revision: int, replicas: int, ready: int, at: datetime,
                env: list[dict[str, str]]) -> dict[str, Any]:
    labels = {"app": name, "pod-template-hash": hash_}
    return {
        "apiVersion": "apps/v1", "kind": "ReplicaSet",
        "metadata": _meta(f"{name}-{hash_}", at, labels,
                          annotations={"deployment.kubernetes.io/revision": str(revision)},
                          ownerReferences=[{"kind": "Deployment", "name": name, "controller": True}]),
        "spec": {"replicas": replicas, "selector": {"matchLabels": labels},
                 "template": {"metadata": {"labels": labels},
                              "spec": {"containers": [{"name": name, "image": image, "env": env}]}}},
        "status": {"replicas": replicas, "readyReplicas": ready, "availableReplicas": ready},
    }


def _pod(name: str, hash_: str, suffix: str, image: str, at: datetime, healthy: bool, now: datetime,
         env: list[dict[str, str]]) -> dict[str, Any]:
    container: dict[str, Any] = {"name": name, "image": image, "ready": healthy, "restartCount": 0,
                                 "state": {"running": {"startedAt": _ts(at)}}}
    if not healthy:
        container.update(restartCount=6, state={"waiting": {
            "reason": "CrashLoopBackOff", "message": f"back-off 2m40s restarting failed container={name}"}},
            lastState={"terminated": {"exitCode": 1, "reason": "Error", "startedAt": _ts(now - timedelta(minutes=2)),
                                      "finishedAt": _ts(now - timedelta(minutes=2, seconds=-3))}})
    return {
        "apiVersion": "v1", "kind": "Pod",
        "metadata": _meta(f"{name}-{hash_}-{suffix}", at, {"app": name, "pod-template-hash": hash_},
                          ownerReferences=[{"kind": "ReplicaSet", "name": f"{name}-{hash_}", "controller": True}]),
        "spec": {"nodeName": "node-a", "containers": [{"name": name, "image": image, "env": env}]},
        "status": {"phase": "Running", "podIP": "10.1.0.9",
                   "conditions": [{"type": "Ready", "status": "True" if healthy else "False"},
                                  {"type": "PodScheduled", "status": "True"}],
                   "containerStatuses": [container]},
    }


def _service(name: str, at: datetime) -> dict[str, Any]:
    return {"apiVersion": "v1", "kind": "Service", "metadata": _meta(name, at, {"app": name}),
            "spec": {"selector": {"app": name}, "ports": [{"port": 8080, "targetPort": 8080}]}}


def _endpoints(name: str, at: datetime, ready: list[str], not_ready: list[str]) -> dict[str, Any]:
    subset: dict[str, Any] = {"ports": [{"port": 8080}]}
    if ready:
        subset["addresses"] = [{"ip": f"10.1.0.{i + 2}", "targetRef": {"kind": "Pod", "name": p}}
                               for i, p in enumerate(ready)]
    if not_ready:
        subset["notReadyAddresses"] = [{"ip": f"10.1.1.{i + 2}", "targetRef": {"kind": "Pod", "name": p}}
                                       for i, p in enumerate(not_ready)]
    return {"apiVersion": "v1", "kind": "Endpoints", "metadata": _meta(name, at), "subsets": [subset]}


def _event(reason: str, pod: str, message: str, count: int, first: datetime, last: datetime) -> dict[str, Any]:
    return {"apiVersion": "v1", "kind": "Event", "type": "Warning", "reason": reason, "message": message,
            "count": count, "firstTimestamp": _ts(first), "lastTimestamp": _ts(last),
            "metadata": _meta(f"{pod}.{reason.lower()}", first),
            "involvedObject": {"kind": "Pod", "name": pod, "namespace": NAMESPACE}}


def snapshot(now: datetime) -> tuple[dict[str, Any], dict[str, str]]:
    """The object list and container logs (`<namespace>/<pod>/<container>[.previous].log` -> text)."""
    old, rollout = now - timedelta(days=9), now - timedelta(minutes=12)
    db_env = [{"name": "PAYMENTS_DB_HOST", "value": "payments-db"}]
    checkout_env = [{"name": "PAYMENTS_URL", "value": "http://payments:8080"}]
    frontend_env = [{"name": "CHECKOUT_URL", "value": "http://checkout:8080"}]
    items = [
        _deployment("frontend", "registry.local/shop/frontend:1.8.2", 5, 2, 2, old, frontend_env),
        _replicaset("frontend", "7c9f", "registry.local/shop/frontend:1.8.2", 5, 2, 2, old, frontend_env),
        _deployment("checkout", "registry.local/shop/checkout:3.1.0", 11, 2, 2, old, checkout_env),
        _replicaset("checkout", "5d8b", "registry.local/shop/checkout:3.1.0", 11, 2, 2, old, checkout_env),
        _deployment("payments", "registry.local/shop/payments:2.4.0", 4, 0, 2, rollout, db_env),
        _replicaset("payments", "6f7d", "registry.local/shop/payments:2.3.1", 3, 0, 0, old,
                    db_env + [{"name": "PAYMENT_GATEWAY_URL", "value": "https://gateway.example"}]),
        _replicaset("payments", "8b2c", "registry.local/shop/payments:2.4.0", 4, 2, 0, rollout, db_env),
        _service("frontend", old), _service("checkout", old), _service("payments", old),
    ]
    pods = {name: [_pod(name, h, s, img, old, True, now, env) for s in ("x1k2p", "m9q4z")]
            for name, h, img, env in (("frontend", "7c9f", "registry.local/shop/frontend:1.8.2", frontend_env),
                                      ("checkout", "5d8b", "registry.local/shop/checkout:3.1.0", checkout_env))}
    pods["payments"] = [_pod("payments", "8b2c", s, "registry.local/shop/payments:2.4.0", rollout, False, now,
                             db_env) for s in ("t7w2r", "c4n8v")]
    for group in pods.values():
        items += group
    names = {k: [p["metadata"]["name"] for p in v] for k, v in pods.items()}
    items += [_endpoints("frontend", old, names["frontend"], []), _endpoints("checkout", old, names["checkout"], []),
              _endpoints("payments", rollout, [], names["payments"])]
    for pod in names["payments"]:
        items.append(_event("BackOff", pod, f"Back-off restarting failed container payments in pod {pod}", 41,
                            rollout + timedelta(minutes=1), now - timedelta(seconds=20)))
    logs = {}
    for pod in names["payments"]:
        logs[f"{NAMESPACE}/{pod}/payments.previous.log"] = (
            f"{_ts(now - timedelta(minutes=2))} INFO starting payments 2.4.0\n"
            f"{_ts(now - timedelta(minutes=2))} FATAL config: required environment variable "
            f"PAYMENT_GATEWAY_URL is not set\n")
    for pod in names["checkout"]:
        logs[f"{NAMESPACE}/{pod}/checkout.log"] = "".join(
            f"{_ts(now - timedelta(minutes=m))} ERROR charge failed: dial tcp payments:8080: connect: "
            f"connection refused\n" for m in range(10, 0, -1))
    return {"apiVersion": "v1", "kind": "List", "items": items}, logs
