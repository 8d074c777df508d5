module "spec" {
  source = "./modules/spec"

  namespace            = var.namespace
  extra_read_resources = var.extra_read_resources
  ingress_namespaces   = var.ingress_namespaces
  broker_namespace     = var.broker_namespace
  egress_destinations  = var.egress_destinations
}

locals {
  namespace                    = var.create ? kubernetes_namespace_v1.this[0].metadata[0].name : var.namespace
  network_policies             = var.create ? module.spec.network_policies : {}
  cluster_role_name            = "${var.namespace}-kubernetes-agent-read-only"
  configmaps_reader_name       = "${var.namespace}-kubernetes-agent-configmaps-reader"
  configmap_namespaces         = var.create ? toset(var.configmap_namespaces) : toset([])
  configmap_namespaces_setting = length(var.configmap_namespaces) > 0 ? { SREO_KUBE_CONFIGMAP_NAMESPACES = join(",", distinct(var.configmap_namespaces)) } : {}
}

resource "kubernetes_namespace_v1" "this" {
  count = var.create ? 1 : 0

  metadata {
    name   = var.namespace
    labels = merge(module.spec.labels, var.namespace_labels)
  }
}

resource "kubernetes_service_account_v1" "this" {
  for_each = var.create ? toset(var.service_accounts) : toset([])

  metadata {
    name        = each.value
    namespace   = local.namespace
    labels      = module.spec.labels
    annotations = var.service_account_annotations
  }
}

resource "kubernetes_cluster_role_v1" "kubernetes_agent" {
  count = var.create ? 1 : 0

  metadata {
    name   = local.cluster_role_name
    labels = module.spec.labels
  }

  dynamic "rule" {
    for_each = module.spec.cluster_role_rules
    content {
      api_groups = rule.value.api_groups
      resources  = rule.value.resources
      verbs      = rule.value.verbs
    }
  }
}

resource "kubernetes_cluster_role_binding_v1" "kubernetes_agent" {
  count = var.create ? 1 : 0

  metadata {
    name   = local.cluster_role_name
    labels = module.spec.labels
  }

  role_ref {
    api_group = "rbac.authorization.k8s.io"
    kind      = "ClusterRole"
    name      = kubernetes_cluster_role_v1.kubernetes_agent[0].metadata[0].name
  }

  subject {
    kind      = "ServiceAccount"
    name      = kubernetes_service_account_v1.this[var.kubernetes_agent_service_account].metadata[0].name
    namespace = local.namespace
  }

  lifecycle {
    precondition {
      condition     = contains(var.service_accounts, var.kubernetes_agent_service_account)
      error_message = "kubernetes_agent_service_account must be one of service_accounts."
    }
  }
}

resource "kubernetes_cluster_role_v1" "kubernetes_agent_configmaps" {
  count = var.create ? 1 : 0

  metadata {
    name   = local.configmaps_reader_name
    labels = module.spec.labels
  }

  dynamic "rule" {
    for_each = module.spec.configmap_reader_rules
    content {
      api_groups = rule.value.api_groups
      resources  = rule.value.resources
      verbs      = rule.value.verbs
    }
  }
}

resource "kubernetes_role_binding_v1" "kubernetes_agent_configmaps" {
  for_each = local.configmap_namespaces

  metadata {
    name      = local.configmaps_reader_name
    namespace = each.value
    labels    = module.spec.labels
  }

  role_ref {
    api_group = "rbac.authorization.k8s.io"
    kind      = "ClusterRole"
    name      = kubernetes_cluster_role_v1.kubernetes_agent_configmaps[0].metadata[0].name
  }

  subject {
    kind      = "ServiceAccount"
    name      = kubernetes_service_account_v1.this[var.kubernetes_agent_service_account].metadata[0].name
    namespace = local.namespace
  }
}

resource "kubernetes_network_policy_v1" "this" {
  for_each = local.network_policies

  metadata {
    name      = each.key
    namespace = local.namespace
    labels    = module.spec.labels
  }

  spec {
    policy_types = each.value.policy_types

    pod_selector {
      match_labels = each.value.pod_labels
    }

    dynamic "ingress" {
      for_each = each.value.ingress
      content {
        dynamic "from" {
          for_each = ingress.value.peers
          content {
            dynamic "namespace_selector" {
              for_each = from.value.cidr == null && from.value.namespace != null ? [from.value.namespace] : []
              content {
                match_labels = { "kubernetes.io/metadata.name" = namespace_selector.value }
              }
            }
            dynamic "pod_selector" {
              for_each = from.value.cidr == null && (from.value.namespace == null || length(from.value.pod_labels) > 0) ? [from.value.pod_labels] : []
              content {
                match_labels = pod_selector.value
              }
            }
            dynamic "ip_block" {
              for_each = from.value.cidr != null ? [from.value.cidr] : []
              content {
                cidr = ip_block.value
              }
            }
          }
        }
        dynamic "ports" {
          for_each = ingress.value.ports
          content {
            port     = tostring(ports.value.port)
            protocol = ports.value.protocol
          }
        }
      }
    }

    dynamic "egress" {
      for_each = each.value.egress
      content {
        dynamic "to" {
          for_each = egress.value.peers
          content {
            dynamic "namespace_selector" {
              for_each = to.value.cidr == null && to.value.namespace != null ? [to.value.namespace] : []
              content {
                match_labels = { "kubernetes.io/metadata.name" = namespace_selector.value }
              }
            }
            dynamic "pod_selector" {
              for_each = to.value.cidr == null && (to.value.namespace == null || length(to.value.pod_labels) > 0) ? [to.value.pod_labels] : []
              content {
                match_labels = pod_selector.value
              }
            }
            dynamic "ip_block" {
              for_each = to.value.cidr != null ? [to.value.cidr] : []
              content {
                cidr = ip_block.value
              }
            }
          }
        }
        dynamic "ports" {
          for_each = egress.value.ports
          content {
            port     = tostring(ports.value.port)
            protocol = ports.value.protocol
          }
        }
      }
    }
  }
}

resource "kubernetes_config_map_v1" "this" {
  count = var.create ? 1 : 0

  metadata {
    name      = var.config_map_name
    namespace = local.namespace
    labels    = module.spec.labels
  }

  data = merge(var.config_data, local.configmap_namespaces_setting)

  lifecycle {
    precondition {
      condition     = !contains(keys(var.config_data), "SREO_KUBE_CONFIGMAP_NAMESPACES")
      error_message = "Set configmap_namespaces, not SREO_KUBE_CONFIGMAP_NAMESPACES in config_data: the module binds the ConfigMaps reader in exactly those namespaces."
    }
  }
}

resource "kubernetes_secret_v1" "this" {
  count = var.create ? 1 : 0

  metadata {
    name      = var.secret_name
    namespace = local.namespace
    labels    = module.spec.labels
  }

  type = "Opaque"
  data = var.secret_data
}
