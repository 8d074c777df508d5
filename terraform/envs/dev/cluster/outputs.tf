output "namespace" {
  description = "Namespace the functions run in."
  value       = module.namespace.namespace
}

output "kubernetes_agent_cluster_role" {
  description = "Read-only ClusterRole bound to the Kubernetes agent."
  value       = module.namespace.kubernetes_agent_cluster_role
}
