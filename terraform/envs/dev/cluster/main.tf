provider "kubernetes" {
  config_path    = var.kubeconfig_path
  config_context = var.kube_context
}

module "namespace" {
  source = "../../../modules/kubernetes_namespace"

  namespace                   = var.namespace
  service_account_annotations = { "eks.amazonaws.com/role-arn" = var.functions_role_arn }
  egress_destinations         = var.egress_destinations
  configmap_namespaces        = var.configmap_namespaces
  secret_data                 = var.secret_data
  config_data = merge({
    SREO_KUBE_LIVE      = "true"
    SREO_OPENSEARCH_URL = var.opensearch_url
  }, var.extra_config)
}
