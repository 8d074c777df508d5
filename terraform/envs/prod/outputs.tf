output "opensearch_url" {
  description = "Value for SREO_OPENSEARCH_URL."
  value       = module.opensearch.endpoint_url
}

output "opensearch_indices" {
  description = "Log and runbook index settings, for the opensearch Ansible role."
  value       = { logs = module.opensearch.log_index, runbooks = module.opensearch.runbook_index }
}

output "database_address" {
  description = "Hostname of the PostgreSQL instance."
  value       = module.postgres.address
}

output "database_master_secret_arn" {
  description = "Secrets Manager secret holding the master credentials."
  value       = module.postgres.master_user_secret_arn
}

output "functions_role_arn" {
  description = "IRSA role of the functions."
  value       = module.identity.role_arn
}

output "service_account_annotations" {
  description = "Annotations for the functions' service accounts (input of the cluster layer)."
  value       = module.identity.service_account_annotations
}
