output "namespace" {
  description = "Name of the namespace."
  value       = var.namespace
}

output "service_accounts" {
  description = "Names of the service accounts created in the namespace."
  value       = sort([for sa in kubernetes_service_account_v1.this : sa.metadata[0].name])
}

output "kubernetes_agent_cluster_role" {
  description = "Name of the Kubernetes agent's read-only ClusterRole (null when create is false)."
  value       = try(kubernetes_cluster_role_v1.kubernetes_agent[0].metadata[0].name, null)
}

output "kubernetes_agent_configmaps_cluster_role" {
  description = "Name of the ClusterRole that lists ConfigMaps, bound in each of configmap_namespaces (null when create is false)."
  value       = try(kubernetes_cluster_role_v1.kubernetes_agent_configmaps[0].metadata[0].name, null)
}

output "configmap_namespaces" {
  description = "Namespaces where the Kubernetes agent may list ConfigMaps: one RoleBinding each."
  value       = sort(keys(kubernetes_role_binding_v1.kubernetes_agent_configmaps))
}

output "network_policy_names" {
  description = "Names of the NetworkPolicies in the namespace."
  value       = sort(keys(kubernetes_network_policy_v1.this))
}

output "config_map_name" {
  description = "Name of the ConfigMap the functions read."
  value       = var.config_map_name
}

output "secret_name" {
  description = "Name of the Secret the functions read."
  value       = var.secret_name
}
