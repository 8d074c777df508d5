output "domain_arn" {
  description = "ARN of the OpenSearch domain (null when create is false)."
  value       = try(aws_opensearch_domain.this[0].arn, null)
}

output "domain_name" {
  description = "Name of the OpenSearch domain."
  value       = var.domain_name
}

output "endpoint_url" {
  description = "HTTPS URL of the domain, suitable for SREO_OPENSEARCH_URL (null when create is false)."
  value       = try("https://${aws_opensearch_domain.this[0].endpoint}", null)
}

output "access_policy_json" {
  description = "Resource-based access policy attached to the domain, as JSON."
  value       = try(data.aws_iam_policy_document.access[0].json, null)
}

output "log_index" {
  description = "Settings of the application log index, for the index template and the functions' config."
  value       = var.log_index
}

output "runbook_index" {
  description = "Settings of the runbook index, for the index template and the functions' config."
  value       = var.runbook_index
}
