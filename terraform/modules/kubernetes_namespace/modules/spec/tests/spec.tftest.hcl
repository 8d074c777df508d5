variables {
  namespace = "sreo"
}

run "agent_role_is_read_only_and_never_reads_secrets" {
  command = plan

  assert {
    condition     = !anytrue([for rule in output.cluster_role_rules : anytrue([for r in rule.resources : startswith(r, "secrets")])])
    error_message = "No rule may name secrets."
  }

  assert {
    condition     = alltrue([for rule in output.cluster_role_rules : toset(rule.verbs) == toset(["get", "list", "watch"])])
    error_message = "Every rule must be get/list/watch only."
  }

  assert {
    condition = length(setsubtract(
      ["pods", "pods/log", "events", "deployments", "replicasets", "services", "endpoints", "ingresses", "persistentvolumeclaims", "persistentvolumes", "nodes", "configmaps", "namespaces"],
      flatten([for rule in output.cluster_role_rules : rule.resources]),
    )) == 0
    error_message = "The agent must be able to read every resource it diagnoses."
  }

  assert {
    condition     = !anytrue([for rule in output.cluster_role_rules : contains(rule.resources, "*") || contains(rule.api_groups, "*")])
    error_message = "Wildcards are not allowed."
  }
}

run "refuses_extra_access_to_secrets" {
  command = plan

  variables {
    extra_read_resources = [{ api_group = "", resource = "secrets" }]
  }

  expect_failures = [var.extra_read_resources]
}

run "adds_extra_read_resources_to_their_group" {
  command = plan

  variables {
    extra_read_resources = [{ api_group = "apps", resource = "statefulsets" }]
  }

  assert {
    condition     = contains(one([for rule in output.cluster_role_rules : rule.resources if rule.api_groups == ["apps"]]), "statefulsets")
    error_message = "Extra resources must join their API group's rule."
  }
}

run "denies_all_traffic_by_default" {
  command = plan

  assert {
    condition     = toset(output.network_policies["default-deny-all"].policy_types) == toset(["Ingress", "Egress"])
    error_message = "The default policy must cover both directions."
  }

  assert {
    condition     = length(output.network_policies["default-deny-all"].ingress) == 0 && length(output.network_policies["default-deny-all"].egress) == 0
    error_message = "The default policy must allow nothing."
  }

  assert {
    condition     = length(output.network_policies["default-deny-all"].pod_labels) == 0
    error_message = "The default policy must select every pod."
  }
}

run "allows_only_listed_egress_destinations" {
  command = plan

  variables {
    egress_destinations = [{ cidr = "10.0.0.0/16", port = 443 }, { cidr = "10.0.0.0/16", port = 5432 }]
  }

  assert {
    condition     = length(output.network_policies["allow-data-source-egress"].egress) == 2
    error_message = "Each destination must become one egress rule."
  }

  assert {
    condition     = alltrue([for rule in output.network_policies["allow-data-source-egress"].egress : rule.peers[0].cidr == "10.0.0.0/16"])
    error_message = "Egress must be limited to the listed CIDRs."
  }
}
