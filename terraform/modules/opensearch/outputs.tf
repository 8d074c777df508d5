output "domain_arn" {
  description = "ARN of the OpenSearch domain, known at plan time (null when create is false)."
  value       = var.create ? local.domain_arn : null
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

output "cluster_settings" {
  description = "Sizing and protection settings of the planned domain, for audits and environment tests (null when create is false)."
  value = try({
    instance_type            = aws_opensearch_domain.this[0].cluster_config[0].instance_type
    instance_count           = aws_opensearch_domain.this[0].cluster_config[0].instance_count
    zone_awareness_enabled   = aws_opensearch_domain.this[0].cluster_config[0].zone_awareness_enabled
    dedicated_master_enabled = aws_opensearch_domain.this[0].cluster_config[0].dedicated_master_enabled
    encrypt_at_rest          = aws_opensearch_domain.this[0].encrypt_at_rest[0].enabled
    node_to_node_encryption  = aws_opensearch_domain.this[0].node_to_node_encryption[0].enabled
    enforce_https            = aws_opensearch_domain.this[0].domain_endpoint_options[0].enforce_https
    inside_vpc               = length(aws_opensearch_domain.this[0].vpc_options) > 0
  }, null)
}
