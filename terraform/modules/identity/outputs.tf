output "role_arn" {
  description = "ARN of the IRSA role (null when create is false)."
  value       = try(aws_iam_role.this[0].arn, null)
}

output "role_name" {
  description = "Name of the IRSA role."
  value       = var.role_name
}

output "service_account_annotations" {
  description = "Annotations that bind a Kubernetes service account to the role."
  value       = { "eks.amazonaws.com/role-arn" = try(aws_iam_role.this[0].arn, "") }
}

output "assume_role_policy_json" {
  description = "Trust policy of the role, as JSON."
  value       = data.aws_iam_policy_document.assume_role.json
}

output "permissions_policy_json" {
  description = "Least-privilege permissions policy of the role, as JSON."
  value       = data.aws_iam_policy_document.permissions.json
}
