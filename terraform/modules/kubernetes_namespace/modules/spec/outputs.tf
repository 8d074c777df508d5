output "cluster_role_rules" {
  description = "Read-only rules of the Kubernetes agent's ClusterRole: one entry per API group."
  value       = local.cluster_role_rules

  precondition {
    condition     = !anytrue([for rule in local.cluster_role_rules : contains(rule.resources, "secrets")])
    error_message = "The Kubernetes agent's ClusterRole must never include secrets."
  }

  precondition {
    condition     = alltrue([for rule in local.cluster_role_rules : length(setsubtract(rule.verbs, local.read_only_verbs)) == 0])
    error_message = "The Kubernetes agent's ClusterRole must be read-only."
  }
}

output "network_policies" {
  description = "NetworkPolicies by name: a default deny for both directions plus the allow rules the functions need."
  value       = local.network_policies
}

output "labels" {
  description = "Labels put on every object of the namespace."
  value       = local.labels
}
