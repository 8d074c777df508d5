variable "region" {
  description = "AWS region of the environment."
  type        = string
  default     = "eu-west-1"
}

variable "name_prefix" {
  description = "Prefix of every resource name in this environment."
  type        = string
  default     = "sreo-dev"
}

variable "vpc_id" {
  description = "VPC the cluster and the data stores live in."
  type        = string
}

variable "private_subnet_ids" {
  description = "Private subnets for RDS and OpenSearch."
  type        = list(string)
}

variable "cluster_security_group_ids" {
  description = "Security groups of the EKS nodes or pods, allowed to reach the data stores."
  type        = list(string)
}

variable "opensearch_security_group_ids" {
  description = "Security groups attached to the OpenSearch domain."
  type        = list(string)
}

variable "eks_oidc_provider_arn" {
  description = "ARN of the EKS cluster's IAM OIDC provider."
  type        = string
}

variable "eks_oidc_issuer_url" {
  description = "Issuer URL of the EKS cluster's OIDC provider."
  type        = string
}

variable "opensearch_admin_role_arn" {
  description = "IAM role that administers the OpenSearch domain (fine-grained access control master user)."
  type        = string
}

variable "kubernetes_namespace" {
  description = "Namespace the functions run in."
  type        = string
  default     = "sreo"
}

variable "service_account_names" {
  description = "Service accounts of the functions that assume the IRSA role."
  type        = list(string)
  default     = ["sreo-function", "sreo-kubernetes-agent"]
}

variable "bedrock_model_ids" {
  description = "Bedrock foundation-model ids the functions may invoke; empty disables Bedrock."
  type        = list(string)
  default     = ["anthropic.claude-3-5-haiku-20241022-v1:0"]
}

variable "extra_secret_arns" {
  description = "Further Secrets Manager secrets the functions may read (e.g. notifier tokens)."
  type        = list(string)
  default     = []
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}
