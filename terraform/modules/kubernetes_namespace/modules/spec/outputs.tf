output "cluster_role_rules" {
  description = "Rules of the Kubernetes agent's cluster-wide ClusterRole: list on what it reads, get on pod logs."
  value       = local.cluster_role_rules

  precondition {
    condition     = !anytrue([for rule in local.cluster_role_rules : contains(rule.resources, "secrets")])
    error_message = "The Kubernetes agent's ClusterRole must never include secrets."
  }

  precondition {
    condition     = !anytrue([for rule in local.cluster_role_rules : contains(rule.api_groups, "") && contains(rule.resources, "configmaps")])
    error_message = "The Kubernetes agent's ClusterRole must not include configmaps: they are read per namespace."
  }

  precondition {
    condition     = alltrue([for rule in local.cluster_role_rules : length(setsubtract(rule.verbs, local.read_verbs)) == 0])
    error_message = "The Kubernetes agent's ClusterRole must be read-only: get and list, no watch."
  }
}

output "configmap_reader_rules" {
  description = "Rules of the ClusterRole that RoleBindings grant in each watched namespace: list on configmaps."
  value       = local.configmap_reader_rules
}

output "network_policies" {
  description = "NetworkPolicies by name: a default deny for both directions plus the allow rules the functions need."
  value       = local.network_policies
}

output "labels" {
  description = "Labels put on every object of the namespace."
  value       = local.labels
}
