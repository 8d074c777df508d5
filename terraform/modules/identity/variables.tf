variable "create" {
  description = "Whether to create the IAM role and its inline policy."
  type        = bool
  default     = true
}

variable "role_name" {
  description = "Name of the IAM role the orchestrator's functions assume through IRSA."
  type        = string
}

variable "oidc_provider_arn" {
  description = "ARN of the cluster's IAM OIDC identity provider."
  type        = string
}

variable "oidc_issuer_url" {
  description = "Issuer URL of the cluster's OIDC provider, with or without the https:// prefix."
  type        = string
}

variable "service_account_namespace" {
  description = "Kubernetes namespace of the service accounts allowed to assume the role."
  type        = string
}

variable "service_account_names" {
  description = "Kubernetes service accounts allowed to assume the role."
  type        = list(string)

  validation {
    condition     = length(var.service_account_names) > 0 && alltrue([for name in var.service_account_names : !strcontains(name, "*")])
    error_message = "service_account_names needs at least one exact name (no wildcards)."
  }
}

variable "bedrock_model_arns" {
  description = "Bedrock foundation-model or inference-profile ARNs the functions may invoke; empty grants no Bedrock access."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for arn in var.bedrock_model_arns : startswith(arn, "arn:") && !strcontains(arn, "*")])
    error_message = "bedrock_model_arns must be exact ARNs without wildcards."
  }
}

variable "secret_arns" {
  description = "Secrets Manager secret ARNs the functions may read; empty grants no secret access."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for arn in var.secret_arns : startswith(arn, "arn:") && !strcontains(arn, "*")])
    error_message = "secret_arns must be exact ARNs without wildcards."
  }
}

variable "opensearch_domain_arn" {
  description = "ARN of the OpenSearch domain the functions query and write; null grants no OpenSearch access."
  type        = string
  default     = null

  validation {
    condition     = var.opensearch_domain_arn == null || (startswith(coalesce(var.opensearch_domain_arn, "-"), "arn:") && !strcontains(coalesce(var.opensearch_domain_arn, "-"), "*"))
    error_message = "opensearch_domain_arn must be an exact ARN without wildcards."
  }
}

variable "permissions_boundary_arn" {
  description = "Optional permissions boundary attached to the role."
  type        = string
  default     = null
}

variable "max_session_duration_seconds" {
  description = "Maximum session duration of the role."
  type        = number
  default     = 3600
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}
