"""Graph from Kubernetes objects: Service -> workloads (selectors), Ingress -> Service, Pod -> Node, and
env / ConfigMap values naming another Service, a database DSN or an outside host. A workload an HPA scales says
which (`autoscaled_by`).

A workload that one Service alone fronts, and whose name is that Service's or a variant of it (`payments-v2`
behind `payments`), is known by that Service's name (the name responders and the Kubernetes agent use); its own
name becomes an alias. A Service is also known by its cluster IP."""

from __future__ import annotations

from typing import Any

from functions._platform.domains.kubernetes.analyzers.cluster_dns import uses_cluster_dns
from functions._platform.domains.kubernetes.analyzers.cluster_state import ClusterState
from functions._platform.domains.kubernetes.analyzers.dependencies import cluster_ips
from functions._platform.domains.kubernetes.analyzers.ingress_backend import routes
from functions._platform.domains.kubernetes.analyzers.ownership import (
    autoscalers_by_workload,
    job_workload,
    meta,
    name_of,
    namespace_of,
    workload_of,
)
from functions._platform.topology.builders.config_values import config_values
from functions._platform.topology.builders.contract import TopologyInputs, TopologySourceError
from functions._platform.topology.graph import Graph
from functions._platform.topology.references import (
    cluster_service_name,
    database_references,
    host_references,
    is_external_host,
    redact,
)

SOURCE = "kubernetes"
STATE_KINDS = ("services", "deployments", "statefulsets", "daemonsets", "replicasets", "pods", "ingresses",
               "configmaps", "nodes", "jobs", "cronjobs", "horizontalpodautoscalers")
WORKLOAD_KINDS = {"deployments": "Deployment", "statefulsets": "StatefulSet", "daemonsets": "DaemonSet"}

Key = tuple[str, str]  # (namespace, name)


def _workloads(state: ClusterState) -> dict[Key, dict[str, Any]]:
    """Every workload with its kind and pod template; pods without a known controller stand for their own."""
    found: dict[Key, dict[str, Any]] = {}
    for plural, kind in WORKLOAD_KINDS.items():
        for obj in getattr(state, plural):
            found[(namespace_of(obj), name_of(obj))] = {
                "kind": kind, "template": (obj.get("spec") or {}).get("template") or {}}
    for cronjob in state.cronjobs:  # a CronJob's pods come from the Job template inside its job template
        job_spec = ((cronjob.get("spec") or {}).get("jobTemplate") or {}).get("spec") or {}
        found[(namespace_of(cronjob), name_of(cronjob))] = {"kind": "CronJob", "template": job_spec.get("template") or {}}
    for job in state.jobs:
        key = (namespace_of(job), job_workload(state, job))
        found.setdefault(key, {"kind": "Job", "template": (job.get("spec") or {}).get("template") or {}})
    for pod in state.pods:
        key = (namespace_of(pod), workload_of(state, pod))
        found.setdefault(key, {"kind": "Pod", "template": {"metadata": meta(pod), "spec": pod.get("spec") or {}}})
    return found


class _LabelIndex:
    """The running pods and pod templates of each namespace, indexed by label, so that matching a Service's
    equality selector costs the size of its answer rather than the number of pods."""

    def __init__(self, state: ClusterState, workloads: dict[Key, dict[str, Any]]):
        self.entries: list[Key] = []  # one per pod or template: the workload it belongs to
        self.by_label: dict[tuple[str, str, str], set[int]] = {}
        for pod in state.pods:
            if (pod.get("status") or {}).get("phase") not in ("Succeeded", "Failed"):
                self._add((namespace_of(pod), workload_of(state, pod)), meta(pod).get("labels") or {})
        for key, workload in workloads.items():
            self._add(key, (workload["template"].get("metadata") or {}).get("labels") or {})

    def _add(self, key: Key, labels: dict[str, str]) -> None:
        self.entries.append(key)
        for label, value in labels.items():
            self.by_label.setdefault((key[0], label, value), set()).add(len(self.entries) - 1)

    def selected(self, service: dict[str, Any]) -> set[Key]:
        """Workloads with a pod or template whose labels hold every selector pair (none for no selector)."""
        selector = (service.get("spec") or {}).get("selector") or {}
        found: set[int] | None = None
        for label, value in selector.items():
            entries = self.by_label.get((namespace_of(service), label, str(value)), set())
            found = set(entries) if found is None else found & entries
        return {self.entries[entry] for entry in found or ()}


def pod_ips(pod: dict[str, Any]) -> list[str]:
    """The addresses a running pod's peers see it by (a database session's `client_addr`, a log's `from`)."""
    status = pod.get("status") or {}
    if (pod.get("spec") or {}).get("hostNetwork"):
        return []  # the node's address, shared by every host-network pod on it
    return sorted({status.get("podIP"), *(entry.get("ip") for entry in status.get("podIPs") or [])} - {None})


def _service_aliases(name: str, namespace: str, service: dict[str, Any]) -> list[str]:
    """The names a caller reaches the Service by: its DNS names, and its cluster IP, which is all a client's log
    may name (a resolver failure names the DNS server by address: `lookup x on 10.96.0.10:53`)."""
    spec = service.get("spec") or {}
    ports = [p.get("port") for p in spec.get("ports") or [] if p.get("port")]
    ips = cluster_ips(service)
    return ([f"{name}.{namespace}", f"{name}.{namespace}.svc", f"{name}.{namespace}.svc.cluster.local"]
            + ips + [f"{ip}:{port}" for ip in ips for port in ports])


def _names_variant(workload: str, service: str) -> bool:
    """The workload is a version or variant of the Service (`payments-v2` behind `payments`), so responders and
    callers know it by the Service's name; a Service kept under another name (`kube-dns` in front of
    `coredns`) is an interface, and the workload is what gets fixed."""
    return workload == service or workload.startswith(f"{service}-")


class _Assembly:
    def __init__(self, state: ClusterState):
        self.state, self.graph = state, Graph()
        self.workloads = _workloads(state)
        self.services = {(namespace_of(s), name_of(s)): s for s in state.services}
        self.by_namespace: dict[str, set[str]] = {}
        for namespace, name in self.services:
            self.by_namespace.setdefault(namespace, set()).add(name)
        index = _LabelIndex(state, self.workloads)
        self.selects = {key: index.selected(s) for key, s in self.services.items()}
        self.facing: dict[Key, str] = {}

    def add_services(self) -> None:
        for (namespace, name), service in sorted(self.services.items()):
            spec = service.get("spec") or {}
            self.graph.add_node(name, "service", {
                "namespace": namespace, "type": spec.get("type", "ClusterIP"), "selector": spec.get("selector") or {},
                "ports": [p.get("port") for p in spec.get("ports") or []]},
                _service_aliases(name, namespace, service), SOURCE)
            if spec.get("type") == "ExternalName" and spec.get("externalName"):
                self.add_external(name, str(spec["externalName"]).lower(), {"external_name": spec["externalName"]})

    def add_workloads(self) -> None:
        selected_by: dict[Key, list[Key]] = {}
        for service_key, chosen in sorted(self.selects.items()):
            for key in chosen:
                selected_by.setdefault(key, []).append(service_key)
        for key in sorted(self.workloads):
            namespace, name = key
            workload = self.workloads[key]
            sole = sorted((s for s in selected_by.get(key, []) if self.selects[s] == {key} and _names_variant(name, s[1])),
                          key=lambda s: (s[1] != name, s[1]))
            attributes = {"namespace": namespace, "workload": {"kind": workload["kind"], "name": name}}
            if autoscalers := autoscalers_by_workload(self.state).get(key):
                attributes["autoscaled_by"] = sorted(name_of(hpa) for hpa in autoscalers)
            if not uses_cluster_dns(workload["template"]):
                attributes["cluster_dns"] = False  # its pods resolve through the node's resolver (dnsPolicy)
            if sole:
                facing = sole[0][1]
                self.graph.add_node(facing, "service", attributes, [name, f"{namespace}/{name}"], SOURCE)
            else:
                facing = name
                self.graph.add_node(facing, "workload", attributes, [f"{namespace}/{name}"], SOURCE)
            self.facing[key] = facing
            for service_key in selected_by.get(key, []):
                if service_key[1] != facing:
                    self.graph.add_edge(service_key[1], facing, "selects", SOURCE,
                                        {"selector": (self.services[service_key].get("spec") or {}).get("selector")})

    def add_placement(self) -> None:
        for node in self.state.nodes:
            labels = meta(node).get("labels") or {}
            zone = labels.get("topology.kubernetes.io/zone")
            self.graph.add_node(f"node/{name_of(node)}", "node", {"zone": zone} if zone else {}, [name_of(node)],
                                SOURCE)
        for pod in self.state.pods:
            node_name = (pod.get("spec") or {}).get("nodeName")
            if not node_name or (pod.get("status") or {}).get("phase") in ("Succeeded", "Failed"):
                continue
            facing = self.facing[(namespace_of(pod), workload_of(self.state, pod))]
            self.graph.add_node(facing, self.graph.nodes[facing].kind, {}, pod_ips(pod), SOURCE)  # a peer's address
            self.graph.add_node(f"node/{node_name}", "node", {}, [node_name], SOURCE)
            self.graph.add_edge(facing, f"node/{node_name}", "runs_on", SOURCE, {"pods": [name_of(pod)]})

    def add_ingresses(self) -> None:
        for ingress in self.state.ingresses:
            namespace, spec = namespace_of(ingress), ingress.get("spec") or {}
            node_id = f"ingress/{name_of(ingress)}"
            hosts = sorted({rule.get("host") for rule in spec.get("rules") or [] if rule.get("host")})
            self.graph.add_node(node_id, "ingress", {"namespace": namespace, "hosts": hosts}, hosts, SOURCE)
            for host, path, backend in routes(spec):
                service = (backend.get("service") or {}).get("name") or backend.get("serviceName")
                if not service:
                    continue
                if (namespace, service) not in self.services:
                    self.graph.add_node(service, "service", {"namespace": namespace, "missing": True}, (), SOURCE)
                self.graph.add_edge(node_id, service, "routes_to", SOURCE, {"routes": [f"{host}{path}"]})

    def add_config_references(self) -> None:
        # a pod's own spec too: what admission webhooks inject at creation (a Vault agent, a mesh proxy) is only there
        pod_specs = {(namespace_of(pod), workload_of(self.state, pod)): {"spec": pod.get("spec") or {}}
                     for pod in self.state.pods}
        for (namespace, name), workload in sorted(self.workloads.items()):
            caller = self.facing[(namespace, name)]
            templates = [workload["template"], *([pod_specs[namespace, name]] if (namespace, name) in pod_specs else [])]
            for where, value in (pair for template in templates for pair in config_values(self.state, namespace, template)):
                evidence = {"references": [{"where": where, "value": redact(value)}]}
                for database in database_references(value):
                    self.add_database(caller, database, namespace, evidence)
                for ref in host_references(value, whole_value="\n" not in value.strip()):
                    service = cluster_service_name(ref.host, self.by_namespace, namespace)
                    if service is not None:
                        self.graph.add_edge(caller, service, "calls", SOURCE, evidence)
                    elif is_external_host(ref.host):
                        self.add_external(caller, ref.host, evidence)

    def add_database(self, caller: str, database: Any, namespace: str, evidence: dict[str, Any]) -> None:
        aliases = [database.host] + ([f"{database.host}:{database.port}"] if database.port else [])
        self.graph.add_node(database.node_id, "database", {
            "engine": database.engine, "database": database.database, "host": database.host,
            "port": database.port}, aliases, SOURCE)
        self.graph.add_edge(caller, database.node_id, "calls", SOURCE, evidence)
        service = cluster_service_name(database.host, self.by_namespace, namespace)
        if service is not None:
            self.graph.add_edge(database.node_id, service, "runs_on", SOURCE, {"host": database.host})

    def add_external(self, caller: str, host: str, evidence: dict[str, Any]) -> None:
        self.graph.add_node(f"external/{host}", "external", {"host": host}, [host], SOURCE)
        self.graph.add_edge(caller, f"external/{host}", "calls", SOURCE, evidence)


def graph_from_cluster(state: ClusterState) -> Graph:
    """The Kubernetes part of the twin, as a pure function of the listed objects."""
    assembly = _Assembly(state)
    assembly.add_services()
    assembly.add_workloads()
    assembly.add_placement()
    assembly.add_ingresses()
    assembly.add_config_references()
    return assembly.graph


def cluster_state(provider: Any) -> ClusterState:
    """The objects the twin needs from a KubeProvider, all namespaces (the live API's ConfigMaps: the watched
    namespaces only, none when no namespaces are configured)."""
    state = ClusterState()
    for plural in STATE_KINDS:
        state.fill(plural, provider.list(plural))
    return state


class KubernetesBuilder:
    source = SOURCE

    def configured(self, inputs: TopologyInputs) -> bool:
        return bool(inputs.kube_live or inputs.kube_snapshot)

    def collect(self, inputs: TopologyInputs) -> Graph:
        try:
            if inputs.kube_live:
                from functions._platform.domains.kubernetes.source.live import LiveProvider

                provider: Any = LiveProvider(context=inputs.kube_context,
                                             configmap_namespaces=inputs.kube_configmap_namespaces)
            else:
                from functions._platform.domains.kubernetes.source.snapshot import SnapshotProvider

                provider = SnapshotProvider(inputs.kube_snapshot)  # type: ignore[arg-type]
            state = cluster_state(provider)
        except Exception as exc:  # the API or the dump failed; the stored graph stays as it was
            raise TopologySourceError(f"kubernetes: {type(exc).__name__}: {exc}") from exc
        return graph_from_cluster(state)
