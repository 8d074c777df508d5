locals {
  read_only_verbs = ["get", "list", "watch"]

  base_read_resources = {
    ""                  = ["pods", "pods/log", "events", "services", "endpoints", "persistentvolumeclaims", "persistentvolumes", "nodes", "configmaps", "namespaces"]
    "apps"              = ["deployments", "replicasets"]
    "networking.k8s.io" = ["ingresses"]
    "events.k8s.io"     = ["events"]
  }

  extra_groups = distinct([for item in var.extra_read_resources : item.api_group])

  read_resources = merge(local.base_read_resources, {
    for group in local.extra_groups : group => distinct(concat(
      lookup(local.base_read_resources, group, []),
      [for item in var.extra_read_resources : item.resource if item.api_group == group],
    ))
  })

  cluster_role_rules = [
    for group in sort(keys(local.read_resources)) : {
      api_groups = [group]
      resources  = local.read_resources[group]
      verbs      = local.read_only_verbs
    }
  ]

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
