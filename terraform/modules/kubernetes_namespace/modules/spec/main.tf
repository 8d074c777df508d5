locals {
  read_verbs = ["get", "list"]

  # The calls functions/_platform/domains/kubernetes/source/live.py makes, the same rules as the ClusterRole
  # sreo-kubernetes-agent-read of kustomize/base/rbac.yaml.
  base_listed_resources = {
    ""                       = ["pods", "events", "services", "endpoints", "persistentvolumeclaims", "persistentvolumes", "nodes", "namespaces", "serviceaccounts"]
    "batch"                  = ["jobs", "cronjobs"]
    "storage.k8s.io"         = ["storageclasses"]
    "apps"                   = ["deployments", "replicasets", "statefulsets", "daemonsets"]
    "networking.k8s.io"      = ["ingresses", "networkpolicies"]
    "apiregistration.k8s.io" = ["apiservices"]
    "autoscaling"            = ["horizontalpodautoscalers"]
    "policy"                 = ["poddisruptionbudgets"]
  }

  extra_groups = distinct([for item in var.extra_read_resources : item.api_group])

  listed_resources = merge(local.base_listed_resources, {
    for group in local.extra_groups : group => distinct(concat(
      lookup(local.base_listed_resources, group, []),
      [for item in var.extra_read_resources : item.resource if item.api_group == group],
    ))
  })

  cluster_role_rules = concat(
    [
      for group in sort(keys(local.listed_resources)) : {
        api_groups = [group]
        resources  = local.listed_resources[group]
        verbs      = ["list"]
      }
    ],
    [{ api_groups = [""], resources = ["pods/log"], verbs = ["get"] }],
  )

  configmap_reader_rules = [{ api_groups = [""], resources = ["configmaps"], verbs = ["list"] }]

  tcp_ports     = [for port in var.ingress_ports : { port = port, protocol = "TCP" }]
  broker_ports  = [for port in var.broker_ports : { port = port, protocol = "TCP" }]
  dns_ports     = [{ port = 53, protocol = "UDP" }, { port = 53, protocol = "TCP" }]
  no_pod_labels = tomap({})

  # Peers use one shape: a namespace name (null = this namespace), pod labels, or a CIDR.
  network_policies = {
    "default-deny-all" = {
      pod_labels   = local.no_pod_labels
      policy_types = ["Ingress", "Egress"]
      ingress      = []
      egress       = []
    }
    "allow-dns-egress" = {
      pod_labels   = local.no_pod_labels
      policy_types = ["Egress"]
      ingress      = []
      egress = [{
        peers = [{ namespace = var.dns_namespace, pod_labels = tomap({ "k8s-app" = "kube-dns" }), cidr = null }]
        ports = local.dns_ports
      }]
    }
    "allow-knative-ingress" = {
      pod_labels   = local.no_pod_labels
      policy_types = ["Ingress"]
      ingress = [{
        peers = [for ns in var.ingress_namespaces : { namespace = ns, pod_labels = local.no_pod_labels, cidr = null }]
        ports = local.tcp_ports
      }]
      egress = []
    }
    "allow-broker-egress" = {
      pod_labels   = local.no_pod_labels
      policy_types = ["Egress"]
      ingress      = []
      egress = [{
        peers = [{ namespace = var.broker_namespace, pod_labels = local.no_pod_labels, cidr = null }]
        ports = local.broker_ports
      }]
    }
    "allow-data-source-egress" = {
      pod_labels   = local.no_pod_labels
      policy_types = ["Egress"]
      ingress      = []
      egress = [for d in var.egress_destinations : {
        peers = [{ namespace = null, pod_labels = local.no_pod_labels, cidr = d.cidr }]
        ports = [{ port = d.port, protocol = "TCP" }]
      }]
    }
  }

  labels = {
    "app.kubernetes.io/part-of"    = "sre-orchestrator"
    "app.kubernetes.io/managed-by" = "terraform"
  }
}
