"""Live provider: the Kubernetes API through the official client (in-cluster, else kubeconfig). Read-only calls."""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from typing import Any

from functions._platform.domains.kubernetes.source.contract import ConfigMapsNotWatched, LogsUnavailable, slim
from functions._platform.domains.kubernetes.source.kinds import KINDS, normalize_kind

# plural -> (client API class, namespaced list method, cluster-wide list method). ConfigMaps have no cluster-wide
# method: they are listed one watched namespace at a time.
_LIST_CALLS: dict[str, tuple[str, str | None, str | None]] = {
    "pods": ("CoreV1Api", "list_namespaced_pod", "list_pod_for_all_namespaces"),
    "events": ("CoreV1Api", "list_namespaced_event", "list_event_for_all_namespaces"),
    "deployments": ("AppsV1Api", "list_namespaced_deployment", "list_deployment_for_all_namespaces"),
    "replicasets": ("AppsV1Api", "list_namespaced_replica_set", "list_replica_set_for_all_namespaces"),
    "statefulsets": ("AppsV1Api", "list_namespaced_stateful_set", "list_stateful_set_for_all_namespaces"),
    "daemonsets": ("AppsV1Api", "list_namespaced_daemon_set", "list_daemon_set_for_all_namespaces"),
    "services": ("CoreV1Api", "list_namespaced_service", "list_service_for_all_namespaces"),
    "endpoints": ("CoreV1Api", "list_namespaced_endpoints", "list_endpoints_for_all_namespaces"),
    "ingresses": ("NetworkingV1Api", "list_namespaced_ingress", "list_ingress_for_all_namespaces"),
    "networkpolicies": ("NetworkingV1Api", "list_namespaced_network_policy", "list_network_policy_for_all_namespaces"),
    "persistentvolumeclaims": ("CoreV1Api", "list_namespaced_persistent_volume_claim",
                               "list_persistent_volume_claim_for_all_namespaces"),
    "persistentvolumes": ("CoreV1Api", None, "list_persistent_volume"),
    "nodes": ("CoreV1Api", None, "list_node"),
    "configmaps": ("CoreV1Api", "list_namespaced_config_map", None),
    "namespaces": ("CoreV1Api", None, "list_namespace"),
    "jobs": ("BatchV1Api", "list_namespaced_job", "list_job_for_all_namespaces"),
    "cronjobs": ("BatchV1Api", "list_namespaced_cron_job", "list_cron_job_for_all_namespaces"),
    "serviceaccounts": ("CoreV1Api", "list_namespaced_service_account", "list_service_account_for_all_namespaces"),
    "storageclasses": ("StorageV1Api", None, "list_storage_class"),
    "apiservices": ("ApiregistrationV1Api", None, "list_api_service"),
    "horizontalpodautoscalers": ("AutoscalingV2Api", "list_namespaced_horizontal_pod_autoscaler",
                                 "list_horizontal_pod_autoscaler_for_all_namespaces"),
    "poddisruptionbudgets": ("PolicyV1Api", "list_namespaced_pod_disruption_budget",
                             "list_pod_disruption_budget_for_all_namespaces"),
}


class LiveProvider:
    name = "live"

    def __init__(self, context: str | None = None, kubeconfig: str | None = None, request_timeout_s: float = 10.0,
                 configmap_namespaces: Iterable[str] = ()):
        self.context = context
        self.configmap_namespaces = tuple(configmap_namespaces)
        # the client library reads KUBECONFIG once, when first imported; read it when the provider is made
        self.kubeconfig = kubeconfig or os.environ.get("KUBECONFIG") or None
        self.request_timeout_s = request_timeout_s
        self._api_client: Any = None

    def _client(self) -> Any:
        if self._api_client is None:
            from kubernetes import client, config

            configuration = client.Configuration()
            if self.context:  # an explicit context means the kubeconfig, even inside a cluster
                config.load_kube_config(config_file=self.kubeconfig, context=self.context,
                                        client_configuration=configuration)
            else:
                try:
                    config.load_incluster_config(client_configuration=configuration)
                except config.ConfigException:
                    config.load_kube_config(config_file=self.kubeconfig, client_configuration=configuration)
            self._api_client = client.ApiClient(configuration)
        return self._api_client

    def _api(self, class_name: str) -> Any:
        from kubernetes import client

        return getattr(client, class_name)(self._client())

    def list(self, kind: str, namespace: str | None = None, label_selector: str | None = None) -> list[dict[str, Any]]:
        plural = normalize_kind(kind)
        spec = KINDS[plural]
        class_name, namespaced_call, cluster_call = _LIST_CALLS[plural]
        api = self._api(class_name)
        options: dict[str, Any] = {"_preload_content": False, "_request_timeout": self.request_timeout_s}
        if label_selector:
            options["label_selector"] = label_selector
        if cluster_call is None:
            namespaces = self._configmap_namespaces(namespace)
        else:
            namespaces = [namespace] if namespace and namespaced_call else [None]
        items: list[dict[str, Any]] = []
        for listed in namespaces:
            if listed:
                response = getattr(api, namespaced_call)(listed, **options)
            else:
                response = getattr(api, cluster_call)(**options)
            items += json.loads(response.data).get("items") or []
        return [slim(item, spec.kind, spec.api_version) for item in items]

    def _configmap_namespaces(self, namespace: str | None) -> list[str]:
        """The namespace asked for, if watched (any, when none are configured); every watched one for None."""
        if not namespace:
            return list(self.configmap_namespaces)
        if self.configmap_namespaces and namespace not in self.configmap_namespaces:
            raise ConfigMapsNotWatched(f"configmaps are read only in {', '.join(self.configmap_namespaces)} "
                                       f"(SREO_KUBE_CONFIGMAP_NAMESPACES), not in {namespace}")
        return [namespace]

    def logs(self, namespace: str, pod: str, container: str | None = None, *, previous: bool = False,
             tail_lines: int | None = None, timestamps: bool = False) -> str:
        from kubernetes.client.exceptions import ApiException

        options: dict[str, Any] = {"previous": previous, "timestamps": timestamps, "_preload_content": False,
                                   "_request_timeout": self.request_timeout_s}
        if container:
            options["container"] = container
        if tail_lines:
            options["tail_lines"] = tail_lines
        try:
            response = self._api("CoreV1Api").read_namespaced_pod_log(pod, namespace, **options)
        except ApiException as exc:
            if exc.status in (400, 404):
                raise LogsUnavailable(f"{namespace}/{pod}/{container or ''}: {exc.reason}") from exc
            raise
        return response.data.decode("utf-8", errors="replace")
