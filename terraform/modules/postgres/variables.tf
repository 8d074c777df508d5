variable "create" {
  description = "Whether to create the database instance and its supporting resources."
  type        = bool
  default     = true
}

variable "identifier" {
  description = "Identifier of the RDS instance; also prefixes the subnet group, parameter group and security group."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,62}$", var.identifier))
    error_message = "identifier must start with a letter and contain only lowercase letters, digits and hyphens."
  }
}

variable "engine_version" {
  description = "PostgreSQL engine version."
  type        = string
  default     = "16.6"
}

variable "parameter_group_family" {
  description = "DB parameter group family matching engine_version."
  type        = string
  default     = "postgres16"
}

variable "instance_class" {
  description = "RDS instance class."
  type        = string
  default     = "db.t4g.micro"
}

variable "allocated_storage" {
  description = "Initial storage, in GiB."
  type        = number
  default     = 20
}

variable "max_allocated_storage" {
  description = "Upper bound for storage autoscaling, in GiB; 0 disables autoscaling."
  type        = number
  default     = 100
}

variable "kms_key_id" {
  description = "KMS key ARN for storage encryption; null uses the AWS managed RDS key."
  type        = string
  default     = null
}

variable "database_name" {
  description = "Name of the database the orchestrator uses."
  type        = string
  default     = "sreo"
}

variable "master_username" {
  description = "Master user name; its password is generated and rotated by RDS in Secrets Manager."
  type        = string
  default     = "sreo_admin"
}

variable "master_user_secret_kms_key_id" {
  description = "KMS key for the Secrets Manager secret holding the master password; null uses the AWS managed key."
  type        = string
  default     = null
}

variable "multi_az" {
  description = "Run a synchronous standby in another availability zone."
  type        = bool
  default     = false
}

variable "deletion_protection" {
  description = "Refuse to delete the instance; keep true in production."
  type        = bool
  default     = true
}

variable "backup_retention_days" {
  description = "Days to keep automated backups (1-35)."
  type        = number
  default     = 7

  validation {
    condition     = var.backup_retention_days >= 1 && var.backup_retention_days <= 35
    error_message = "backup_retention_days must be between 1 and 35 so that automated backups stay on."
  }
}

variable "backup_window" {
  description = "Daily UTC window for automated backups, e.g. 02:00-03:00."
  type        = string
  default     = "02:00-03:00"
}

variable "maintenance_window" {
  description = "Weekly UTC maintenance window, e.g. sun:04:00-sun:05:00."
  type        = string
  default     = "sun:04:00-sun:05:00"
}

variable "skip_final_snapshot" {
  description = "Skip the final snapshot on deletion (only sensible for throwaway environments)."
  type        = bool
  default     = false
}

variable "vpc_id" {
  description = "VPC of the database security group."
  type        = string
}

variable "subnet_ids" {
  description = "Private subnets for the DB subnet group (at least two availability zones)."
  type        = list(string)

  validation {
    condition     = length(var.subnet_ids) >= 2
    error_message = "subnet_ids needs at least two subnets in different availability zones."
  }
}

variable "allowed_security_group_ids" {
  description = "Security groups (e.g. the EKS node or pod security groups) allowed to connect on the PostgreSQL port."
  type        = list(string)
  default     = []
}

variable "performance_insights_enabled" {
  description = "Enable Performance Insights, which the database agent can read."
  type        = bool
  default     = true
}

variable "log_min_duration_statement_ms" {
  description = "Log statements slower than this many milliseconds; -1 disables it."
  type        = number
  default     = 500
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}
