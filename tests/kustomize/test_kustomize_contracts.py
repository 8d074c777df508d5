"""Contracts between the manifests and the code: routing, self-loops, deployment coverage, RBAC."""

from __future__ import annotations

import importlib

import pytest
from function_contracts import (
    consumed_type,
    contract,
    defines_function,
    deployable_packages,
    package_of,
)
from kustomize_builds import DISABLE_AGENT_PREFIX, BuildTarget, build_targets, component_names
from manifest_views import env_of, knative_services, names, of_kind, refs, triggers

from functions._platform.domains.registry import SLICES
from sreo_events import types
from sreo_events.envelope import PING_REQUESTS

TARGETS = build_targets()
OVERLAYS = [t for t in TARGETS if t.is_overlay]
# report.published goes to notifiers outside the project (Slack, PagerDuty, webhooks); nothing inside consumes it.
CONSUMED_OUTSIDE = {types.REPORT_PUBLISHED}
# approval.recorded is for the supervisor, which comes with scan (the scheduled-scans component)
FOR_SCAN = {types.APPROVAL_RECORDED}
READ_VERBS = {"get", "list", "watch"}
KIND_BY_API = {("serving.knative.dev", "Service"), ("eventing.knative.dev", "Broker")}


def packages(docs) -> dict[str, str]:
    """Service name -> function package, through FUNCTION_SOURCE."""
    return {name: package_of(env_of(service)["FUNCTION_SOURCE"]) for name, service in knative_services(docs).items()}


@pytest.mark.parametrize("target", TARGETS, ids=lambda t: t.name)
def test_every_reference_resolves_within_the_build(built, target: BuildTarget) -> None:
    docs = built(target)
    present = {(d["apiVersion"].split("/")[0], d["kind"], d["metadata"]["name"]) for d in docs}
    brokers = names(docs, "Broker")
    dangling = []
    for owner, field, ref in refs(docs):
        key = (ref.get("apiVersion", "").split("/")[0], ref.get("kind"), ref.get("name"))
        if key[:2] in KIND_BY_API and key not in present:
            dangling.append(f"{owner['kind']}/{owner['metadata']['name']} {field} -> {key}")
        if not ref:
            dangling.append(f"{owner['kind']}/{owner['metadata']['name']} {field} has no ref")
    dangling += [f"Trigger/{t['metadata']['name']} broker {t['spec']['broker']}"
                 for t in triggers(docs) if t["spec"]["broker"] not in brokers]
    assert dangling == []


@pytest.mark.parametrize("target", TARGETS, ids=lambda t: t.name)
def test_services_run_existing_function_targets(built, target: BuildTarget) -> None:
    for name, service in knative_services(built(target)).items():
        env = env_of(service)
        assert defines_function(env["FUNCTION_SOURCE"], env["FUNCTION_TARGET"]), \
            f"{name}: {env['FUNCTION_TARGET']} is not defined in {env['FUNCTION_SOURCE']}"
        if "SREO_AGENT_DOMAINS" in env:
            assert set(env["SREO_AGENT_DOMAINS"].split(",")) <= set(types.DOMAINS), name


def _routes(docs):
    """(trigger name, consumed type, function contract of the subscriber) for every Trigger."""
    package_by_service = packages(docs)
    for trigger in triggers(docs):
        consumed = consumed_type(trigger["spec"]["filter"]["attributes"])
        yield trigger["metadata"]["name"], consumed, contract(package_by_service[trigger["spec"]["subscriber"]["ref"]["name"]])


@pytest.mark.parametrize("target", TARGETS, ids=lambda t: t.name)
def test_triggers_route_only_types_their_function_handles(built, target: BuildTarget) -> None:
    unhandled = [f"{name}: {fn.package} has no handler for {consumed}"
                 for name, consumed, fn in _routes(built(target)) if consumed not in fn.handles]
    assert unhandled == []


@pytest.mark.parametrize("target", TARGETS, ids=lambda t: t.name)
def test_no_function_subscribes_to_a_type_it_emits(built, target: BuildTarget) -> None:
    loops = [f"{name}: {fn.package} would consume its own {consumed}"
             for name, consumed, fn in _routes(built(target)) if consumed in fn.emits]
    assert loops == []


@pytest.mark.parametrize("target", TARGETS, ids=lambda t: t.name)
def test_every_emitted_type_has_a_subscriber_and_every_service_a_trigger(built, target: BuildTarget) -> None:
    docs = built(target)
    consumed = {consumed_type(t["spec"]["filter"]["attributes"]) for t in triggers(docs)}
    deployed = set(packages(docs).values())
    emitted = set().union(*(contract(p).emits for p in deployed))
    assert emitted - CONSUMED_OUTSIDE - (set() if "scan" in deployed else FOR_SCAN) - consumed == set()
    subscribed = {t["spec"]["subscriber"]["ref"]["name"] for t in triggers(docs)}
    assert set(knative_services(docs)) - subscribed == set()


@pytest.mark.parametrize("target", TARGETS, ids=lambda t: t.name)
def test_agents_fan_out_one_trigger_per_domain(built, target: BuildTarget) -> None:
    docs = built(target)
    services = knative_services(docs)
    for trigger in triggers(docs):
        attributes = trigger["spec"]["filter"]["attributes"]
        if attributes.get("type") != types.INVESTIGATION_REQUESTED:
            continue
        assert "domain" in attributes, f"{trigger['metadata']['name']} would deliver every domain to one agent"
        agent = services[trigger["spec"]["subscriber"]["ref"]["name"]]
        assert attributes["domain"] in env_of(agent)["SREO_AGENT_DOMAINS"].split(",")


@pytest.mark.parametrize("target", TARGETS, ids=lambda t: t.name)
def test_scheduled_requests_have_ticks_and_ticks_are_known_requests(built, target: BuildTarget) -> None:
    docs = built(target)
    ticks = {d["spec"].get("ceOverrides", {}).get("extensions", {}).get("sreorequest") for d in of_kind(docs, "PingSource")}
    assert ticks <= set(PING_REQUESTS), "a PingSource names a request no consumer understands"
    awaited = {t["spec"]["filter"]["attributes"]["sreorequest"] for t in triggers(docs)
               if "sreorequest" in t["spec"]["filter"]["attributes"]}
    assert awaited - ticks == set(), "a Trigger waits for ticks no PingSource sends"


@pytest.mark.parametrize("target", TARGETS, ids=lambda t: t.name)
def test_sink_binding_reaches_every_function_that_emits(built, target: BuildTarget) -> None:
    docs = built(target)
    (binding,) = of_kind(docs, "SinkBinding")
    selector = binding["spec"]["subject"]["selector"]["matchLabels"]
    unbound = [name for name, service in knative_services(docs).items()
               if contract(package_of(env_of(service)["FUNCTION_SOURCE"])).emits
               and not selector.items() <= service["metadata"].get("labels", {}).items()]
    assert unbound == []


def test_every_deployable_function_is_deployed_by_base_or_a_component(built) -> None:
    deployed = set(packages(built(next(t for t in TARGETS if t.name == "components-combined"))).values())
    deployed |= set(packages(built(next(t for t in TARGETS if t.name == "base"))).values())
    assert set(deployable_packages()) - deployed == set()


@pytest.mark.parametrize("overlay", OVERLAYS, ids=lambda t: t.name)
def test_every_function_an_overlay_enables_is_deployed(built, overlay: BuildTarget) -> None:
    """Base functions minus switched-off agents, plus what the overlay's components add, all with their routes."""
    enabled = overlay.enabled_components
    assert set(enabled) <= set(component_names())
    base = built(next(t for t in TARGETS if t.name == "base"))
    expected = set(knative_services(base)) - {f"agent-{c.removeprefix(DISABLE_AGENT_PREFIX)}" for c in enabled
                                               if c.startswith(DISABLE_AGENT_PREFIX)}
    for component in enabled:
        if not component.startswith(DISABLE_AGENT_PREFIX):
            alone = built(BuildTarget(f"component-{component}", components=(component,)))
            expected |= set(knative_services(alone)) - set(knative_services(base))
    docs = built(overlay)
    assert set(knative_services(docs)) == expected
    disabled = {c.removeprefix(DISABLE_AGENT_PREFIX) for c in enabled if c.startswith(DISABLE_AGENT_PREFIX)}
    routed = {t["spec"]["filter"]["attributes"].get("domain") for t in triggers(docs)} - {None}
    assert routed == set(types.DOMAINS) - disabled


def rbac_violations(docs) -> list[str]:
    found = []
    for role in of_kind(docs, "ClusterRole") + of_kind(docs, "Role"):
        for rule in role.get("rules", []):
            where = f"{role['kind']}/{role['metadata']['name']} {rule}"
            resources, groups = set(rule.get("resources", [])), set(rule.get("apiGroups", []))
            if "secrets" in resources or "*" in resources or "*" in groups:
                found.append(f"may read secrets: {where}")
            if not set(rule.get("verbs", [])) <= READ_VERBS:
                found.append(f"not read-only: {where}")
    accounts = names(docs, "ServiceAccount")
    for binding in of_kind(docs, "ClusterRoleBinding") + of_kind(docs, "RoleBinding"):
        if binding["roleRef"]["name"] not in names(docs, binding["roleRef"]["kind"]):
            found.append(f"{binding['metadata']['name']} binds a role outside the build")
        found += [f"{binding['metadata']['name']} binds unknown {s}" for s in binding.get("subjects", [])
                  if s["kind"] == "ServiceAccount" and (s["name"] not in accounts or s.get("namespace") != "sreo")]
    for name, service in knative_services(docs).items():
        if service["spec"]["template"]["spec"].get("serviceAccountName", "default") not in accounts | {"default"}:
            found.append(f"{name} runs as a ServiceAccount outside the build")
    return found


@pytest.mark.parametrize("target", TARGETS, ids=lambda t: t.name)
def test_rbac_is_read_only_and_never_reads_secrets(built, target: BuildTarget) -> None:
    assert rbac_violations(built(target)) == []


@pytest.mark.parametrize("rule", [
    {"apiGroups": [""], "resources": ["secrets"], "verbs": ["get"]},
    {"apiGroups": ["*"], "resources": ["pods"], "verbs": ["list"]},
    {"apiGroups": [""], "resources": ["*"], "verbs": ["watch"]},
    {"apiGroups": ["apps"], "resources": ["deployments"], "verbs": ["patch"]},
])
def test_rbac_check_catches_secret_reads_and_writes(built, rule) -> None:
    docs = built(next(t for t in TARGETS if t.name == "base"))
    of_kind(docs, "ClusterRole")[0]["rules"].append(rule)
    assert rbac_violations(docs)


@pytest.mark.parametrize("package", deployable_packages())
def test_source_reading_agrees_with_the_imported_modules(package: str) -> None:
    module = importlib.import_module(f"functions.{package}.events")
    read = contract(package)
    assert read.emits == frozenset(module.EMITS)
    assert read.handles == frozenset(module.HANDLERS)


def test_every_registered_domain_has_its_agent_service_and_trigger_in_base(built) -> None:
    """A domain's manifests are inherent to deploying it: base runs an agent Service for each registered domain
    and a Trigger that routes its investigation requests there."""
    docs = built(next(t for t in TARGETS if t.name == "base"))
    served = {domain for service in knative_services(docs).values()
              for domain in env_of(service).get("SREO_AGENT_DOMAINS", "").split(",") if domain}
    routed = {t["spec"]["filter"]["attributes"].get("domain") for t in triggers(docs)
              if t["spec"]["filter"]["attributes"].get("type") == types.INVESTIGATION_REQUESTED}
    assert served == set(SLICES)
    assert routed == set(SLICES)
