variables {
  namespace = "sreo"
}

run "agent_role_grants_exactly_what_the_agent_calls" {
  command = plan

  assert {
    condition = toset(output.cluster_role_rules) == toset([
      { api_groups = [""], resources = ["pods", "events", "services", "endpoints", "persistentvolumeclaims", "persistentvolumes", "nodes", "namespaces", "serviceaccounts"], verbs = ["list"] },
      { api_groups = [""], resources = ["pods/log"], verbs = ["get"] },
      { api_groups = ["apps"], resources = ["deployments", "replicasets", "statefulsets", "daemonsets"], verbs = ["list"] },
      { api_groups = ["batch"], resources = ["jobs", "cronjobs"], verbs = ["list"] },
      { api_groups = ["networking.k8s.io"], resources = ["ingresses", "networkpolicies"], verbs = ["list"] },
      { api_groups = ["storage.k8s.io"], resources = ["storageclasses"], verbs = ["list"] },
      { api_groups = ["apiregistration.k8s.io"], resources = ["apiservices"], verbs = ["list"] },
      { api_groups = ["autoscaling"], resources = ["horizontalpodautoscalers"], verbs = ["list"] },
      { api_groups = ["policy"], resources = ["poddisruptionbudgets"], verbs = ["list"] },
    ])
    error_message = "The ClusterRole must list what the agent lists and get pod logs, nothing more."
  }

  assert {
    condition     = !anytrue([for rule in output.cluster_role_rules : anytrue([for r in rule.resources : startswith(r, "secrets")])])
    error_message = "No rule may name secrets."
  }

  assert {
    condition     = !anytrue([for rule in output.cluster_role_rules : contains(rule.resources, "configmaps")])
    error_message = "ConfigMaps must not be readable cluster-wide."
  }

  assert {
    condition     = !anytrue([for rule in output.cluster_role_rules : contains(rule.verbs, "watch")])
    error_message = "The agent never watches."
  }

  assert {
    condition     = !anytrue([for rule in output.cluster_role_rules : contains(rule.resources, "*") || contains(rule.api_groups, "*")])
    error_message = "Wildcards are not allowed."
  }
}

run "configmap_reader_only_lists_configmaps" {
  command = plan

  assert {
    condition     = output.configmap_reader_rules == [{ api_groups = [""], resources = ["configmaps"], verbs = ["list"] }]
    error_message = "The per-namespace role must list configmaps and do nothing else."
  }
}

run "refuses_extra_access_to_secrets" {
  command = plan

  variables {
    extra_read_resources = [{ api_group = "", resource = "secrets" }]
  }

  expect_failures = [var.extra_read_resources]
}

run "refuses_configmaps_cluster_wide" {
  command = plan

  variables {
    extra_read_resources = [{ api_group = "", resource = "configmaps" }]
  }

  expect_failures = [var.extra_read_resources]
}

run "adds_extra_read_resources_to_their_group" {
  command = plan

  variables {
    extra_read_resources = [{ api_group = "apps", resource = "controllerrevisions" }, { api_group = "coordination.k8s.io", resource = "leases" }]
  }

  assert {
    condition     = contains(one([for rule in output.cluster_role_rules : rule.resources if rule.api_groups == ["apps"]]), "controllerrevisions")
    error_message = "Extra resources must join their API group's rule."
  }

  assert {
    condition     = jsonencode([for rule in output.cluster_role_rules : rule if rule.api_groups == ["coordination.k8s.io"]]) == jsonencode([{ api_groups = ["coordination.k8s.io"], resources = ["leases"], verbs = ["list"] }])
    error_message = "Extra resources of a new group get their own list rule."
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
