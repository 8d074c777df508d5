variable "create" {
  description = "Whether to create the OpenSearch domain and its supporting resources."
  type        = bool
  default     = true
}

variable "domain_name" {
  description = "Name of the OpenSearch domain (3-28 lowercase letters, digits or hyphens, starting with a letter)."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{2,27}$", var.domain_name))
    error_message = "domain_name must be 3-28 characters: lowercase letters, digits and hyphens, starting with a letter."
  }
}

variable "engine_version" {
  description = "OpenSearch engine version, e.g. OpenSearch_2.19."
  type        = string
  default     = "OpenSearch_2.19"
}

variable "instance_type" {
  description = "Instance type of the data nodes."
  type        = string
  default     = "t3.small.search"
}

variable "instance_count" {
  description = "Number of data nodes."
  type        = number
  default     = 1
}

variable "zone_awareness_enabled" {
  description = "Spread data nodes over availability zones (needs instance_count to be a multiple of availability_zone_count)."
  type        = bool
  default     = false
}

variable "availability_zone_count" {
  description = "Number of availability zones used when zone awareness is enabled (2 or 3)."
  type        = number
  default     = 2

  validation {
    condition     = contains([2, 3], var.availability_zone_count)
    error_message = "availability_zone_count must be 2 or 3."
  }
}

variable "dedicated_master_type" {
  description = "Instance type of dedicated master nodes; null disables dedicated masters."
  type        = string
  default     = null
}

variable "dedicated_master_count" {
  description = "Number of dedicated master nodes when dedicated_master_type is set."
  type        = number
  default     = 3
}

variable "ebs_volume_size" {
  description = "EBS volume size per data node, in GiB."
  type        = number
  default     = 20
}

variable "ebs_volume_type" {
  description = "EBS volume type of the data nodes."
  type        = string
  default     = "gp3"
}

variable "kms_key_id" {
  description = "KMS key for encryption at rest; null uses the AWS managed key for OpenSearch."
  type        = string
  default     = null
}

variable "tls_security_policy" {
  description = "TLS policy of the HTTPS endpoint; only TLS 1.2+ policies are accepted."
  type        = string
  default     = "Policy-Min-TLS-1-2-PFS-2023-10"

  validation {
    condition     = contains(["Policy-Min-TLS-1-2-2019-07", "Policy-Min-TLS-1-2-PFS-2023-10"], var.tls_security_policy)
    error_message = "tls_security_policy must enforce TLS 1.2 or later."
  }
}

variable "master_user_arn" {
  description = "IAM ARN that becomes the fine-grained access control master user (no internal user database is created)."
  type        = string
}

variable "allowed_principal_arns" {
  description = "IAM principals allowed to send HTTP requests to the domain by its resource policy (e.g. the functions' IRSA role)."
  type        = list(string)
  default     = []
}

variable "vpc_subnet_ids" {
  description = "Subnets to place the domain in; an empty list creates a public-endpoint domain guarded by IAM and fine-grained access control."
  type        = list(string)
  default     = []
}

variable "vpc_security_group_ids" {
  description = "Security groups attached to the domain when it runs inside a VPC."
  type        = list(string)
  default     = []
}

variable "application_log_retention_days" {
  description = "Retention of the domain's application and audit logs in CloudWatch; 0 disables log publishing."
  type        = number
  default     = 30
}

variable "log_index" {
  description = "Settings of the application log index the orchestrator writes (name is also the index template and alias prefix)."
  type = object({
    name           = string
    shards         = number
    replicas       = number
    retention_days = number
  })
  default = {
    name           = "sreo-logs"
    shards         = 1
    replicas       = 1
    retention_days = 14
  }
}

variable "runbook_index" {
  description = "Settings of the runbook search index."
  type = object({
    name     = string
    shards   = number
    replicas = number
  })
  default = {
    name     = "sreo-runbooks"
    shards   = 1
    replicas = 1
  }
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}
