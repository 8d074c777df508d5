"""The Kubernetes server's list tools, defined once: what each lists, whether the agent reads it for every
investigation, whether it lists cluster-scoped objects (no namespace), and whether it is read one namespace at a
time (never across the cluster)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Listing:
    kind: str  # the kind plural, as `kubectl get` names it
    agent_reads: bool = True  # the agent fetches it for every investigation
    required: bool = False  # the investigation fails without it
    cluster_scoped: bool = False
    per_namespace: bool = False  # asked for in the investigation's namespaces; without one, the server's watched set


LIST_TOOLS: dict[str, Listing] = {
    "list_pods": Listing("pods", required=True),
    "list_events": Listing("events", required=True),
    "list_deployments": Listing("deployments", required=True),
    "list_replicasets": Listing("replicasets"),
    "list_statefulsets": Listing("statefulsets"),
    "list_daemonsets": Listing("daemonsets"),
    "list_services": Listing("services"),
    "list_endpoints": Listing("endpoints"),
    "list_ingresses": Listing("ingresses"),
    "list_networkpolicies": Listing("networkpolicies"),
    "list_pvcs": Listing("persistentvolumeclaims"),
    "list_pvs": Listing("persistentvolumes", agent_reads=False, cluster_scoped=True),
    "list_nodes": Listing("nodes", cluster_scoped=True),
    "list_configmaps": Listing("configmaps", per_namespace=True),
    "list_namespaces": Listing("namespaces", cluster_scoped=True),  # labels, for NetworkPolicy namespaceSelectors
    "list_jobs": Listing("jobs"),
    "list_cronjobs": Listing("cronjobs"),
    "list_serviceaccounts": Listing("serviceaccounts"),
    "list_storageclasses": Listing("storageclasses", cluster_scoped=True),
    "list_apiservices": Listing("apiservices", cluster_scoped=True),  # aggregated APIs: which Service serves each
    "list_hpas": Listing("horizontalpodautoscalers"),  # autoscaling/v2: which workload each scales, and how far
    "list_pdbs": Listing("poddisruptionbudgets"),  # policy/v1: which pods may be evicted, and how many now
}
AGENT_LISTINGS = {tool: listing for tool, listing in LIST_TOOLS.items() if listing.agent_reads}
