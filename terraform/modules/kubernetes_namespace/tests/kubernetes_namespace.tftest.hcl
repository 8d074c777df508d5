# Needs the hashicorp/kubernetes provider at init time (see README.md).
mock_provider "kubernetes" {}

variables {
  namespace                   = "sreo"
  service_account_annotations = { "eks.amazonaws.com/role-arn" = "arn:aws:iam::123456789012:role/sreo-functions" }
  config_data                 = { SREO_OPENSEARCH_URL = "https://search.example.internal" }
  secret_data                 = { SREO_DATABASE_URL = "postgresql://sreo@db.example.internal/sreo" }
}

run "binds_the_agent_to_a_read_only_role_without_secrets" {
  command = plan

  assert {
    condition     = !anytrue([for rule in kubernetes_cluster_role_v1.kubernetes_agent[0].rule : contains(rule.resources, "secrets")])
    error_message = "The agent's ClusterRole must never include secrets."
  }

  assert {
    condition     = alltrue([for rule in kubernetes_cluster_role_v1.kubernetes_agent[0].rule : length(setsubtract(rule.verbs, ["get", "list"])) == 0])
    error_message = "The agent's ClusterRole must be read-only."
  }

  assert {
    condition     = !anytrue([for rule in kubernetes_cluster_role_v1.kubernetes_agent[0].rule : contains(rule.resources, "configmaps")])
    error_message = "The agent's ClusterRole must not read ConfigMaps cluster-wide."
  }

  assert {
    condition     = kubernetes_cluster_role_binding_v1.kubernetes_agent[0].subject[0].name == "sreo-kubernetes-agent"
    error_message = "The binding must name the agent's service account."
  }
}

run "reads_configmaps_nowhere_by_default" {
  command = plan

  assert {
    condition     = length(kubernetes_role_binding_v1.kubernetes_agent_configmaps) == 0
    error_message = "Without configmap_namespaces no namespace's ConfigMaps may be read."
  }

  assert {
    condition     = !contains(keys(kubernetes_config_map_v1.this[0].data), "SREO_KUBE_CONFIGMAP_NAMESPACES")
    error_message = "Without configmap_namespaces the setting must stay unset."
  }
}

run "binds_the_configmaps_reader_in_each_watched_namespace" {
  command = plan

  variables {
    configmap_namespaces = ["shop", "payments"]
  }

  assert {
    condition     = toset(keys(kubernetes_role_binding_v1.kubernetes_agent_configmaps)) == toset(["shop", "payments"])
    error_message = "There must be one RoleBinding per watched namespace."
  }

  assert {
    condition     = alltrue([for ns, binding in kubernetes_role_binding_v1.kubernetes_agent_configmaps : binding.metadata[0].namespace == ns && binding.subject[0].name == "sreo-kubernetes-agent"])
    error_message = "Each RoleBinding must sit in its namespace and name the agent's service account."
  }

  assert {
    condition     = kubernetes_config_map_v1.this[0].data["SREO_KUBE_CONFIGMAP_NAMESPACES"] == "shop,payments"
    error_message = "The setting must list the namespaces the bindings grant."
  }
}

run "refuses_the_setting_in_config_data" {
  command = plan

  variables {
    config_data = { SREO_KUBE_CONFIGMAP_NAMESPACES = "kube-system" }
  }

  expect_failures = [kubernetes_config_map_v1.this]
}

run "creates_default_deny_and_allow_policies" {
  command = plan

  assert {
    condition     = contains(keys(kubernetes_network_policy_v1.this), "default-deny-all")
    error_message = "A default-deny policy must exist."
  }

  assert {
    condition     = length(kubernetes_network_policy_v1.this["default-deny-all"].spec[0].ingress) == 0 && length(kubernetes_network_policy_v1.this["default-deny-all"].spec[0].egress) == 0
    error_message = "The default-deny policy must allow nothing."
  }
}

run "annotates_service_accounts_for_irsa" {
  command = plan

  assert {
    condition     = alltrue([for sa in kubernetes_service_account_v1.this : sa.metadata[0].annotations["eks.amazonaws.com/role-arn"] == "arn:aws:iam::123456789012:role/sreo-functions"])
    error_message = "Every service account must carry the IRSA annotation."
  }
}
