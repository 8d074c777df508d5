variable "create" {
  description = "Whether to create the namespace and the objects in it."
  type        = bool
  default     = true
}

variable "namespace" {
  description = "Namespace the orchestrator's functions run in."
  type        = string
  default     = "sreo"
}

variable "namespace_labels" {
  description = "Extra labels on the namespace (e.g. Knative or Pod Security labels)."
  type        = map(string)
  default = {
    "pod-security.kubernetes.io/enforce" = "restricted"
  }
}

variable "service_accounts" {
  description = "Service accounts to create in the namespace; the functions run as one of them."
  type        = list(string)
  default     = ["sreo-function", "sreo-kubernetes-agent"]
}

variable "service_account_annotations" {
  description = "Annotations on every service account, e.g. the IRSA role ARN from modules/identity."
  type        = map(string)
  default     = {}
}

variable "kubernetes_agent_service_account" {
  description = "Service account of the Kubernetes agent; it is bound to the read-only ClusterRole and must be in service_accounts."
  type        = string
  default     = "sreo-kubernetes-agent"
}

variable "extra_read_resources" {
  description = "Additional API resources the Kubernetes agent may list cluster-wide; secrets, configmaps (see configmap_namespaces) and wildcards are refused."
  type = list(object({
    api_group = string
    resource  = string
  }))
  default = []
}

variable "configmap_namespaces" {
  description = "Namespaces where the Kubernetes agent may list ConfigMaps: the same list as SREO_KUBE_CONFIGMAP_NAMESPACES, which the module sets from it."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for ns in var.configmap_namespaces : can(regex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", ns)) && length(ns) <= 63])
    error_message = "Every entry of configmap_namespaces must be a namespace name."
  }
}

variable "ingress_namespaces" {
  description = "Namespaces whose pods may call the functions (the Knative activator and the ingress gateway)."
  type        = list(string)
  default     = ["knative-serving", "kourier-system"]
}

variable "broker_namespace" {
  description = "Namespace of the Knative Broker ingress."
  type        = string
  default     = "knative-eventing"
}

variable "egress_destinations" {
  description = "CIDR/port pairs the functions may reach outside the cluster: the API server, OpenSearch, RDS, AWS endpoints."
  type = list(object({
    cidr = string
    port = number
  }))
  default = []
}

variable "config_map_name" {
  description = "Name of the ConfigMap with the functions' non-secret settings."
  type        = string
  default     = "sreo-config"
}

variable "config_data" {
  description = "Non-secret settings (SREO_* environment variables) the functions read."
  type        = map(string)
  default     = {}
}

variable "secret_name" {
  description = "Name of the Secret with the functions' secret settings."
  type        = string
  default     = "sreo-secrets"
}

variable "secret_data" {
  description = "Secret settings (e.g. SREO_DATABASE_URL, the Alertmanager bearer token) the functions read."
  type        = map(string)
  default     = {}
  sensitive   = true
}
