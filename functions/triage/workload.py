"""Which workload an alert is about, read the way kube-prometheus labels its alerts.

kube-state-metrics, node-exporter, kubelet/cAdvisor and blackbox alerts carry the exporter's own `job`,
`service`, `instance` (and, for series without pod labels, the exporter's `pod` and `container`): those name
the messenger, never the affected workload. The workload comes from the object labels instead, most precise
first: `deployment`, `statefulset`, `daemonset`, `cronjob`, `job_name`, `horizontalpodautoscaler` (the workload
it scales, its `scaleTargetRef`: KEDA's `keda-hpa-<scaledobject>` and any HPA named apart from its target), `pod`
(resolved to its owner through the cluster: Pod -> ReplicaSet -> Deployment, Pod -> Job -> CronJob),
`persistentvolumeclaim` (its consumer), then the application's `service`/`app` labels, `container` and `job`.

Object labels (`deployment`, `statefulset`, `daemonset`, `cronjob`) are never the messenger, even when the object
is an exporter or a cluster add-on (`deployment="coredns"`, `daemonset="node-exporter"`): they are taken as they
are. A queue exporter's lag alert (kafka-exporter, KMinion) names the consumer group (`consumergroup`,
`consumer_group`, `group_id`): the cluster names its consumer (the workload given the group in its environment,
or the one the group is named after), and without a cluster the group's own name stands for it. Its `namespace`
is the exporter's, so the incident's namespace is left open for the agents to find. A blackbox probe's alert names
the workload serving the probed URL's host (`probe.py`), its namespace left open the same way.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Mapping
from typing import Any

from functions.triage.probe import PROBE_JOB, backend_service, probe_host

log = logging.getLogger(__name__)

EXPORTER = re.compile(
    r"kube-state-metrics|node-exporter|kubelet|cadvisor|blackbox|kube-prometheus|prometheus-operator"
    r"|prometheus-node|apiserver|kube-proxy|kube-scheduler|kube-controller-manager|coredns|kube-dns"
    r"|windows-exporter|pushgateway|process-exporter", re.IGNORECASE)
WORKLOAD_LABELS = ("deployment", "statefulset", "daemonset", "cronjob")
APP_LABELS = ("service", "app", "app_kubernetes_io_name", "app_kubernetes_io_instance", "k8s_app", "workload")
WEAK_LABELS = ("container", "job")
CONSUMER_GROUP_LABELS = ("consumergroup", "consumer_group", "group_id")
# a queue exporter's (RabbitMQ's, CloudWatch's SQS dimension) queue: its consumer is the workload scaled on it
QUEUE_LABELS = ("queue", "queue_name", "queuename", "dimension_QueueName")
POD_HASH = re.compile(r"^(?P<base>.+?)-(?:[0-9a-f]{6,10}-[a-z0-9]{5}|[a-z0-9]{5})$")  # <rs>-<hash>-<id> / <ds>-<id>
STS_ORDINAL = re.compile(r"^(?P<base>.+)-\d+$")
CRON_SUFFIX = re.compile(r"^(?P<base>.+)-\d{8,10}$")  # a CronJob's Job is <cronjob>-<scheduled minute>
KEDA_HPA_PREFIX = "keda-hpa-"  # KEDA names the HPA of ScaledObject <name> keda-hpa-<name>

# (kind, namespace, name) -> workload name, or None when the cluster does not know the object
Resolver = Callable[[str, str | None, str], str | None]


def is_exporter(value: str | None) -> bool:
    return bool(value) and bool(EXPORTER.search(value or "") or PROBE_JOB.match(value or ""))


def _usable(labels: Mapping[str, str], key: str) -> str | None:
    value = labels.get(key)
    return value if value and not is_exporter(value) else None


def job_owner(name: str) -> str:
    """A Job's name without the scheduled-time suffix a CronJob gives it."""
    match = CRON_SUFFIX.match(name)
    return match["base"] if match else name


def autoscaler_target_guess(name: str) -> str:
    """`keda-hpa-worker` -> `worker` (a ScaledObject is usually named after its target), when the cluster cannot
    say; any other HPA name as it is."""
    return name.removeprefix(KEDA_HPA_PREFIX) or name


def pod_owner_guess(name: str) -> str:
    """`cart-7d9f8b6c5-x2x9z` -> `cart`, `reports-db-0` -> `reports-db`, when the cluster cannot say."""
    for pattern in (POD_HASH, STS_ORDINAL):
        if match := pattern.match(name):
            return match["base"]
    return name


def affected_workload(labels: Mapping[str, str], resolve: Resolver | None = None) -> str | None:
    """The workload an alert's labels point at, or None when they name only exporters (or nothing)."""
    namespace = labels.get("namespace")
    for key in WORKLOAD_LABELS:
        if value := labels.get(key):
            return value
    if value := _owned_by_label(labels, resolve):
        return value
    pod = _usable(labels, "pod")
    if pod and resolve and (owner := resolve("Pod", namespace, pod)):
        return owner
    if claim := _usable(labels, "persistentvolumeclaim"):
        return (resolve and resolve("PersistentVolumeClaim", namespace, claim)) or f"pvc/{claim}"
    if host := probe_host(labels):
        return (resolve and resolve("Host", None, host)) or host
    for key in APP_LABELS:
        if value := _usable(labels, key):
            return value
    if pod:
        return pod_owner_guess(pod)
    for key in WEAK_LABELS:
        if value := _usable(labels, key):
            return value
    return None


def _owned_by_label(labels: Mapping[str, str], resolve: Resolver | None) -> str | None:
    """The workload behind a Job, an HPA or a consumer group the labels name: resolved through the cluster, else
    guessed from the name."""
    for key, kind, guess in (("job_name", "Job", job_owner),
                             ("horizontalpodautoscaler", "HorizontalPodAutoscaler", autoscaler_target_guess)):
        if value := _usable(labels, key):
            return (resolve and resolve(kind, labels.get("namespace"), value)) or guess(value)
    if key := _consumer_group_label(labels):
        return (resolve and resolve("ConsumerGroup", None, labels[key])) or labels[key]
    return _queue_consumer(labels, resolve)


def _queue_consumer(labels: Mapping[str, str], resolve: Resolver | None) -> str | None:
    """The workload an autoscaler scales on the queue the labels name; only through the cluster (a queue's name is
    no workload's)."""
    queue = next((labels[key] for key in QUEUE_LABELS if labels.get(key)), None)
    return resolve("Queue", None, queue) if queue and resolve else None


def _consumer_group_label(labels: Mapping[str, str]) -> str | None:
    return next((key for key in CONSUMER_GROUP_LABELS if labels.get(key)), None)


def affected_namespace(labels: Mapping[str, str], resolve: Resolver | None = None) -> str | None:
    """The affected workload's namespace: the alert's `namespace`, unless the workload is a consumer group, or the
    consumer of a queue, that an exporter reports on (the label is then the exporter's namespace, not the
    consumers')."""
    if not any(labels.get(key) for key in (*WORKLOAD_LABELS, "job_name", "horizontalpodautoscaler")) \
            and (_consumer_group_label(labels) or probe_host(labels) or _queue_consumer(labels, resolve)):
        return None
    return labels.get("namespace")


def cluster_resolver(settings: Any) -> Resolver | None:
    """Resolve pods, Jobs, HPAs and PVCs through the configured cluster (snapshot or live API); None without one.
    A cluster that cannot answer resolves nothing: triage never fails because of it."""
    from functions._platform.domains.kubernetes.source import is_configured, open_provider

    if not is_configured(settings):
        return None
    states: dict[str | None, Any] = {}
    listed: dict[str | None, set[str]] = {}

    def state(namespace: str | None, plurals: tuple[str, ...] = OWNER_KINDS) -> Any:
        from functions._platform.domains.kubernetes.analyzers.cluster_state import ClusterState

        data = states.setdefault(namespace, ClusterState())
        wanted = [plural for plural in plurals if plural not in listed.setdefault(namespace, set())]
        if wanted:
            listed[namespace].update(wanted)
            try:
                provider = open_provider(settings)
                for plural in wanted:
                    data.fill(plural, provider.list(plural, namespace))
            except Exception as exc:  # noqa: BLE001 (a source we cannot read resolves nothing)
                log.warning("cannot read the cluster to resolve alert labels: %s", exc)
        return data

    def resolve(kind: str, namespace: str | None, name: str) -> str | None:
        from functions._platform.domains.kubernetes.analyzers.ownership import (
            group_consumers,
            job_workload,
            name_of,
            namespace_of,
            pvc_consumers,
            queue_consumers,
            scaled_workload,
            workload_of,
        )

        if kind == "Host":
            return _serving(state(None, (*OWNER_KINDS, "ingresses", "services")), name)
        data = state(namespace)
        plural = {"Pod": "pods", "Job": "jobs", "HorizontalPodAutoscaler": "horizontalpodautoscalers"}.get(kind)
        found = [obj for obj in getattr(data, plural) if name_of(obj) == name
                 and (namespace is None or namespace_of(obj) == namespace)] if plural else []
        if kind == "Pod" and found:
            return workload_of(data, found[0])
        if kind == "Job" and found:
            return job_workload(data, found[0])
        if kind == "HorizontalPodAutoscaler" and found:
            return scaled_workload(data, found[0])
        if kind == "ConsumerGroup":
            consumers = group_consumers(data, name)
            return consumers[0] if consumers else None
        if kind == "Queue":
            consumers = queue_consumers(data, name)
            return consumers[0] if len(consumers) == 1 else None
        if kind == "PersistentVolumeClaim":
            consumers = pvc_consumers(data, namespace or "", name)
            return consumers[0] if consumers else None
        return None

    return resolve


OWNER_KINDS = ("pods", "replicasets", "jobs", "statefulsets", "horizontalpodautoscalers")


def _serving(data: Any, host: str) -> str | None:
    """The workload behind the Service an Ingress routes the host to."""
    from functions._platform.domains.kubernetes.analyzers.ownership import name_of, namespace_of, workload_of
    from functions._platform.domains.kubernetes.analyzers.service_endpoints import selected_pods

    backend = backend_service(data.ingresses, host)
    if backend is None:
        return None
    services = [s for s in data.services if (namespace_of(s), name_of(s)) == backend]
    workloads = sorted({workload_of(data, pod) for service in services for pod in selected_pods(data, service)})
    return workloads[0] if workloads else backend[1]
