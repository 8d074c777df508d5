variable "namespace" {
  description = "Namespace the orchestrator's functions run in."
  type        = string
}

variable "extra_read_resources" {
  description = "Additional API resources the Kubernetes agent may list cluster-wide; secrets, configmaps (read per namespace) and wildcards are refused."
  type = list(object({
    api_group = string
    resource  = string
  }))
  default = []

  validation {
    condition     = !anytrue([for item in var.extra_read_resources : item.resource == "secrets" || startswith(item.resource, "secrets/") || item.resource == "*"])
    error_message = "The Kubernetes agent may never read secrets, and wildcards are not allowed."
  }

  validation {
    condition     = !anytrue([for item in var.extra_read_resources : item.api_group == "" && (item.resource == "configmaps" || startswith(item.resource, "configmaps/"))])
    error_message = "ConfigMaps are read only in the watched namespaces, never cluster-wide."
  }
}

variable "ingress_namespaces" {
  description = "Namespaces whose pods may call the functions (the Knative activator and the ingress gateway)."
  type        = list(string)
  default     = ["knative-serving", "kourier-system"]
}

variable "ingress_ports" {
  description = "Ports of the Knative queue-proxy that callers and the autoscaler use."
  type        = list(number)
  default     = [8012, 8013, 8022, 9090, 9091]
}

variable "broker_namespace" {
  description = "Namespace of the Knative Broker ingress the functions post CloudEvents to."
  type        = string
  default     = "knative-eventing"
}

variable "broker_ports" {
  description = "Ports of the Broker ingress."
  type        = list(number)
  default     = [80, 8080]
}

variable "dns_namespace" {
  description = "Namespace of the cluster DNS service."
  type        = string
  default     = "kube-system"
}

variable "egress_destinations" {
  description = "CIDR/port pairs the functions may reach outside the cluster: the API server, OpenSearch, RDS, AWS endpoints."
  type = list(object({
    cidr = string
    port = number
  }))
  default = []

  validation {
    condition     = alltrue([for d in var.egress_destinations : can(cidrhost(d.cidr, 0))])
    error_message = "Every egress destination needs a valid CIDR."
  }
}
