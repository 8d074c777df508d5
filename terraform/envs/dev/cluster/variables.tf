variable "kubeconfig_path" {
  description = "Kubeconfig used to reach the cluster."
  type        = string
  default     = "~/.kube/config"
}

variable "kube_context" {
  description = "Kubeconfig context of the cluster; null uses the current context."
  type        = string
  default     = null
}

variable "namespace" {
  description = "Namespace the functions run in."
  type        = string
  default     = "sreo"
}

variable "functions_role_arn" {
  description = "IRSA role of the functions (output functions_role_arn of the cloud layer)."
  type        = string
}

variable "opensearch_url" {
  description = "OpenSearch endpoint (output opensearch_url of the cloud layer)."
  type        = string
}

variable "egress_destinations" {
  description = "CIDR/port pairs the functions may reach: the API server, VPC endpoints, OpenSearch (443) and RDS (5432)."
  type = list(object({
    cidr = string
    port = number
  }))
}

variable "configmap_namespaces" {
  description = "Namespaces whose ConfigMaps the Kubernetes agent reads (SREO_KUBE_CONFIGMAP_NAMESPACES); empty: none."
  type        = list(string)
  default     = []
}

variable "extra_config" {
  description = "Further non-secret SREO_* settings for the functions."
  type        = map(string)
  default     = {}
}

variable "secret_data" {
  description = "Secret SREO_* settings for the functions (e.g. SREO_DATABASE_URL, SREO_API_TOKENS)."
  type        = map(string)
  sensitive   = true
}
