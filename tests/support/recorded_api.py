"""A loopback HTTP server answering Kubernetes API reads from recorded JSON, as the API server would."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Self
from urllib.parse import parse_qs, urlparse

# plural -> (API path prefix, List kind, namespaced)
PATHS: dict[str, tuple[str, str, bool]] = {
    "pods": ("/api/v1", "PodList", True), "events": ("/api/v1", "EventList", True),
    "services": ("/api/v1", "ServiceList", True), "endpoints": ("/api/v1", "EndpointsList", True),
    "persistentvolumeclaims": ("/api/v1", "PersistentVolumeClaimList", True),
    "persistentvolumes": ("/api/v1", "PersistentVolumeList", False), "nodes": ("/api/v1", "NodeList", False),
    "configmaps": ("/api/v1", "ConfigMapList", True), "namespaces": ("/api/v1", "NamespaceList", False),
    "deployments": ("/apis/apps/v1", "DeploymentList", True),
    "replicasets": ("/apis/apps/v1", "ReplicaSetList", True),
    "statefulsets": ("/apis/apps/v1", "StatefulSetList", True),
    "daemonsets": ("/apis/apps/v1", "DaemonSetList", True),
    "ingresses": ("/apis/networking.k8s.io/v1", "IngressList", True),
    "networkpolicies": ("/apis/networking.k8s.io/v1", "NetworkPolicyList", True),
    "jobs": ("/apis/batch/v1", "JobList", True), "cronjobs": ("/apis/batch/v1", "CronJobList", True),
    "serviceaccounts": ("/api/v1", "ServiceAccountList", True),
    "storageclasses": ("/apis/storage.k8s.io/v1", "StorageClassList", False),
    "apiservices": ("/apis/apiregistration.k8s.io/v1", "APIServiceList", False),
    "horizontalpodautoscalers": ("/apis/autoscaling/v2", "HorizontalPodAutoscalerList", True),
    "poddisruptionbudgets": ("/apis/policy/v1", "PodDisruptionBudgetList", True),
}


class RecordedApi:
    def __init__(self, cluster: dict[str, Any]):
        self.cluster = cluster
        self.requests: list[tuple[str, str, str | None]] = []  # (method, path, Authorization)
        api = self

        class Handler(BaseHTTPRequestHandler):
            disable_nagle_algorithm = True

            def log_message(self, *args: Any) -> None:
                return

            def do_GET(self) -> None:
                api.requests.append(("GET", self.path, self.headers.get("Authorization")))
                status, body, content_type = api.answer(self.path)
                payload = body.encode() if isinstance(body, str) else json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self) -> Self:
        self.thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    def answer(self, raw_path: str) -> tuple[int, Any, str]:
        url = urlparse(raw_path)
        query = {key: values[0] for key, values in parse_qs(url.query).items()}
        parts = url.path.strip("/").split("/")
        if parts[-1] == "log" and "pods" in parts:
            namespace, pod = parts[parts.index("namespaces") + 1], parts[parts.index("pods") + 1]
            key = (namespace, pod, query.get("container"), query.get("previous", "").lower() in ("true", "t", "1"))
            if key not in self.cluster["logs"]:
                return 400, _status(400, "BadRequest", f'container "{key[2]}" in pod "{pod}" has no log'), \
                    "application/json"
            return 200, self.cluster["logs"][key], "text/plain"
        namespace = parts[parts.index("namespaces") + 1] if "namespaces" in parts[:-1] else None
        plural = parts[-1]
        if plural not in PATHS:
            return 404, _status(404, "NotFound", "the server could not find the requested resource"), \
                "application/json"
        _, list_kind, namespaced = PATHS[plural]
        items = [{k: v for k, v in obj.items() if k not in ("kind", "apiVersion")}
                 for obj in self.cluster["objects"].get(plural, [])
                 if not (namespaced and namespace) or obj["metadata"].get("namespace") == namespace]
        return 200, {"kind": list_kind, "apiVersion": "v1", "metadata": {"resourceVersion": "42"},
                     "items": items}, "application/json"

    def write_kubeconfig(self, path: Path, context: str = "recorded") -> Path:
        path.write_text(json.dumps({
            "apiVersion": "v1", "kind": "Config", "current-context": context,
            "clusters": [{"name": "recorded", "cluster": {"server": self.url}}],
            "users": [{"name": "reader", "user": {"token": "read-only-token"}}],
            "contexts": [{"name": context, "context": {"cluster": "recorded", "user": "reader"}}],
        }), encoding="utf-8")
        return path


def _status(code: int, reason: str, message: str) -> dict[str, Any]:
    return {"kind": "Status", "apiVersion": "v1", "status": "Failure", "message": message, "reason": reason,
            "code": code}
