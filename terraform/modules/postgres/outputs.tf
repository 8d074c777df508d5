output "instance_arn" {
  description = "ARN of the RDS instance (null when create is false)."
  value       = try(aws_db_instance.this[0].arn, null)
}

output "address" {
  description = "Hostname of the instance."
  value       = try(aws_db_instance.this[0].address, null)
}

output "port" {
  description = "PostgreSQL port."
  value       = local.port
}

output "database_name" {
  description = "Name of the orchestrator's database."
  value       = var.database_name
}

output "master_user_secret_arn" {
  description = "ARN of the Secrets Manager secret RDS manages for the master password."
  value       = try(aws_db_instance.this[0].master_user_secret[0].secret_arn, null)
}

output "security_group_id" {
  description = "Security group guarding the instance."
  value       = try(aws_security_group.this[0].id, null)
}

output "safety_settings" {
  description = "Protection settings of the planned instance, for audits and environment tests (null when create is false)."
  value = try({
    storage_encrypted     = aws_db_instance.this[0].storage_encrypted
    publicly_accessible   = aws_db_instance.this[0].publicly_accessible
    deletion_protection   = aws_db_instance.this[0].deletion_protection
    multi_az              = aws_db_instance.this[0].multi_az
    backup_retention_days = aws_db_instance.this[0].backup_retention_period
    instance_class        = aws_db_instance.this[0].instance_class
  }, null)
}
