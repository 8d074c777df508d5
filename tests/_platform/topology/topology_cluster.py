"""A small shop cluster as `kubectl get -o json` objects, written as a snapshot directory by the tests."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

NS = "shop"
SECRET = "s3cret-pw"


def _meta(name: str, namespace: str | None = NS, **extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = {"name": name, "uid": f"uid-{namespace}-{name}"}
    if namespace:
        data["namespace"] = namespace
    return data | extra


def workload(kind: str, name: str, app: str, env: dict[str, str] | None = None, configmap: str | None = None,
             namespace: str = NS) -> dict[str, Any]:
    container: dict[str, Any] = {"name": name, "image": f"registry.example/{name}:1",
                                 "env": [{"name": k, "value": v} for k, v in (env or {}).items()]}
    if configmap:
        container["envFrom"] = [{"configMapRef": {"name": configmap}}]
    return {"kind": kind, "apiVersion": "apps/v1", "metadata": _meta(name, namespace, labels={"app": app}),
            "spec": {"replicas": 1, "selector": {"matchLabels": {"app": app}},
                     "template": {"metadata": {"labels": {"app": app}}, "spec": {"containers": [container]}}}}


def service(name: str, selector: dict[str, str] | None, namespace: str = NS, **spec: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"ports": [{"port": 8080}], **spec}
    if selector is not None:
        body["selector"] = selector
    return {"kind": "Service", "apiVersion": "v1", "metadata": _meta(name, namespace), "spec": body}


def pod(deployment: str, app: str, node: str, template_hash: str = "7d9f8b6c5", suffix: str = "x2x4z",
        namespace: str = NS) -> dict[str, Any]:
    return {"kind": "Pod", "apiVersion": "v1",
            "metadata": _meta(f"{deployment}-{template_hash}-{suffix}", namespace,
                              labels={"app": app, "pod-template-hash": template_hash},
                              ownerReferences=[{"kind": "ReplicaSet", "name": f"{deployment}-{template_hash}",
                                                "controller": True}]),
            "spec": {"nodeName": node, "containers": [{"name": deployment, "image": "x"}]},
            "status": {"phase": "Running"}}


def statefulset_pod(name: str, app: str, node: str, ordinal: int = 0) -> dict[str, Any]:
    return {"kind": "Pod", "apiVersion": "v1",
            "metadata": _meta(f"{name}-{ordinal}", labels={"app": app},
                              ownerReferences=[{"kind": "StatefulSet", "name": name, "controller": True}]),
            "spec": {"nodeName": node, "containers": [{"name": name, "image": "postgres:15"}]},
            "status": {"phase": "Running"}}


def shop_objects() -> list[dict[str, Any]]:
    checkout_env = {
        "PAYMENTS_URL": "http://payments:8080/charge",
        "DATABASE_URL": f"postgres://app:{SECRET}@orders-db:5432/orders?sslmode=disable",
        "STRIPE_API": "https://api.stripe.com/v1",
        "LOG_LEVEL": "info",
    }
    return [
        workload("Deployment", "checkout", "checkout", checkout_env, configmap="checkout-config"),
        workload("Deployment", "payments-v2", "payments"),
        workload("Deployment", "inventory", "inventory"),
        workload("StatefulSet", "orders-db", "orders-db"),
        workload("Deployment", "search-stable", "search"),
        workload("Deployment", "search-canary", "search"),
        workload("Deployment", "mailer", "mailer", {"SMTP_RELAY": "smtp.sendgrid.net:587"}),
        workload("Deployment", "auditor", "auditor", {"CHECKOUT": "http://checkout.shop:8080/audit"}, namespace="ops"),
        service("checkout", {"app": "checkout"}),
        service("payments", {"app": "payments"}),
        service("inventory", {"app": "inventory"}),
        service("orders-db", {"app": "orders-db"}),
        service("search", {"app": "search"}),
        service("api", {"app": "gateway"}),  # a Service named like the first label of api.stripe.com
        {"kind": "ConfigMap", "apiVersion": "v1", "metadata": _meta("checkout-config"),
         "data": {"INVENTORY_HOST": "inventory.shop.svc.cluster.local",
                  "app.yaml": "cache:\n  url: redis://cache:6379/0\nretries: 3\n"}},
        {"kind": "Ingress", "apiVersion": "networking.k8s.io/v1", "metadata": _meta("shop-web"),
         "spec": {"rules": [{"host": "shop.example.com", "http": {"paths": [
             {"path": "/", "pathType": "Prefix", "backend": {"service": {"name": "checkout", "port": {"number": 8080}}}},
         ]}}]}},
        pod("checkout", "checkout", "node-a"),
        pod("payments-v2", "payments", "node-a", template_hash="5f6b7c8d9", suffix="qwrtz"),
        pod("payments-v2", "payments", "node-b", template_hash="5f6b7c8d9", suffix="bcdfg"),
        statefulset_pod("orders-db", "orders-db", "node-b"),
        {"kind": "Node", "apiVersion": "v1",
         "metadata": _meta("node-a", None, labels={"topology.kubernetes.io/zone": "eu-west-1a"})},
        {"kind": "Node", "apiVersion": "v1", "metadata": _meta("node-b", None)},
        {"kind": "Secret", "apiVersion": "v1", "metadata": _meta("orders-db-credentials"),
         "data": {"password": "czNjcmV0LXB3"}},
    ]


def write_snapshot(directory: Path, objects: list[dict[str, Any]] | None = None) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "cluster.json").write_text(json.dumps({"kind": "List", "apiVersion": "v1",
                                                        "items": objects if objects is not None else shop_objects()}))
    return directory
