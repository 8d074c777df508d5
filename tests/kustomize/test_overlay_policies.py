"""What each overlay promises: sizing, scale bounds, delivery, broker class, pinned images, network policy, schedules."""

from __future__ import annotations

import re

import pytest
from cron_fields import problems as cron_problems
from function_contracts import REPO_ROOT, package_of
from kustomize_builds import BuildTarget, build_targets
from manifest_views import (
    annotations_of,
    containers,
    cpu_millicores,
    env_of,
    knative_services,
    memory_bytes,
    of_kind,
    triggers,
)

TARGETS = build_targets()
OVERLAYS = [t for t in TARGETS if t.is_overlay]
PROD = next(t for t in OVERLAYS if t.name == "overlay-prod")
MIN_SCALE, MAX_SCALE = "autoscaling.knative.dev/min-scale", "autoscaling.knative.dev/max-scale"
BROKER_CLASS = "eventing.knative.dev/broker.class"


def _service_containers(docs):
    return [(name, c) for name, service in knative_services(docs).items() for c in containers(service)]


@pytest.mark.parametrize("overlay", OVERLAYS, ids=lambda t: t.name)
def test_every_container_requests_and_limits_cpu_and_memory(built, overlay: BuildTarget) -> None:
    for name, container in _service_containers(built(overlay)):
        resources = container.get("resources", {})
        for bound in ("requests", "limits"):
            assert {"cpu", "memory"} <= set(resources.get(bound, {})), f"{name}: {bound} {resources}"
        assert cpu_millicores(resources["requests"]["cpu"]) <= cpu_millicores(resources["limits"]["cpu"]), name
        assert memory_bytes(resources["requests"]["memory"]) <= memory_bytes(resources["limits"]["memory"]), name


@pytest.mark.parametrize("target", TARGETS, ids=lambda t: t.name)
def test_scale_bounds_are_ordered(built, target: BuildTarget) -> None:
    for name, service in knative_services(built(target)).items():
        annotations = annotations_of(service)
        if MIN_SCALE in annotations and MAX_SCALE in annotations and int(annotations[MAX_SCALE]) > 0:
            assert int(annotations[MIN_SCALE]) <= int(annotations[MAX_SCALE]), name


@pytest.mark.parametrize("overlay", OVERLAYS, ids=lambda t: t.name)
def test_agents_scale_to_zero(built, overlay: BuildTarget) -> None:
    agents = {n: s for n, s in knative_services(built(overlay)).items() if "SREO_AGENT_DOMAINS" in env_of(s)}
    assert agents
    assert {n: annotations_of(s).get(MIN_SCALE) for n, s in agents.items()} == {n: "0" for n in agents}


def test_prod_keeps_triage_warm(built) -> None:
    triage = knative_services(built(PROD))["triage"]
    assert int(annotations_of(triage)[MIN_SCALE]) >= 1


@pytest.mark.parametrize("overlay", OVERLAYS, ids=lambda t: t.name)
def test_every_trigger_retries_with_backoff_into_a_served_dead_letter_route(built, overlay: BuildTarget) -> None:
    docs = built(overlay)
    services = knative_services(docs)
    for trigger in triggers(docs):
        name, delivery = trigger["metadata"]["name"], trigger["spec"].get("delivery", {})
        assert delivery.get("retry", 0) >= 1 and delivery.get("backoffDelay"), name
        sink = delivery.get("deadLetterSink", {})
        assert sink.get("ref", {}).get("name") in services, f"{name} has no dead-letter sink in the build"
        source = env_of(services[sink["ref"]["name"]])["FUNCTION_SOURCE"]
        package_dir = REPO_ROOT / "functions" / package_of(source)
        route = re.compile(rf'Route\(\s*"POST",\s*"{re.escape(sink.get("uri", "/"))}"')
        assert any(route.search(p.read_text()) for p in package_dir.glob("*.py")), \
            f"{name}: {sink['ref']['name']} serves no POST {sink.get('uri')}"


def test_prod_broker_is_kafka_with_its_config_in_the_build(built) -> None:
    docs = built(PROD)
    (broker,) = of_kind(docs, "Broker")
    assert broker["metadata"]["annotations"][BROKER_CLASS] == "Kafka"
    config = broker["spec"]["config"]
    matches = [d for d in of_kind(docs, config["kind"]) if d["metadata"]["name"] == config["name"]
               and d["metadata"].get("namespace") == config.get("namespace", broker["metadata"]["namespace"])]
    assert len(matches) == 1
    assert matches[0]["data"]["bootstrap.servers"]
    replication = int(matches[0]["data"]["default.topic.replication.factor"])
    assert replication >= 3, "a production topic needs replicas to survive a Kafka broker loss"


@pytest.mark.parametrize("overlay", OVERLAYS, ids=lambda t: t.name)
def test_images_are_pinned_by_the_overlay(built, overlay: BuildTarget) -> None:
    for name, container in _service_containers(built(overlay)):
        image = container["image"]
        repository, _, tag = image.partition("@")[0].rpartition(":")
        assert "/" in repository and "." in repository.split("/")[0], f"{name}: {image} names no registry"
        assert "@sha256:" in image or (tag and tag != "latest"), f"{name}: {image} is not pinned"
        if overlay is PROD:
            assert "@sha256:" in image or re.fullmatch(r"v?\d+\.\d+\.\d+", tag), f"{name}: {image} is not a release"


@pytest.mark.parametrize("overlay", OVERLAYS, ids=lambda t: t.name)
def test_network_is_default_deny_with_the_needed_flows(built, overlay: BuildTarget) -> None:
    policies = of_kind(built(overlay), "NetworkPolicy")
    deny = [p for p in policies if p["spec"]["podSelector"] == {} and not p["spec"].get("ingress")
            and not p["spec"].get("egress") and set(p["spec"]["policyTypes"]) == {"Ingress", "Egress"}]
    assert len(deny) == 1
    ingress_namespaces = {peer.get("namespaceSelector", {}).get("matchLabels", {}).get("kubernetes.io/metadata.name")
                          for p in policies for rule in p["spec"].get("ingress", []) for peer in rule.get("from", [])}
    assert {"knative-serving", "knative-eventing"} <= ingress_namespaces
    egress_ports = {(port.get("protocol", "TCP"), port["port"])
                    for p in policies for rule in p["spec"].get("egress", []) for port in rule.get("ports", [])}
    assert {("UDP", 53), ("TCP", 53), ("TCP", 443), ("TCP", 5432), ("TCP", 9200), ("TCP", 9090)} <= egress_ports
    egress_namespaces = {peer.get("namespaceSelector", {}).get("matchLabels", {}).get("kubernetes.io/metadata.name")
                         for p in policies for rule in p["spec"].get("egress", []) for peer in rule.get("to", [])}
    assert "knative-eventing" in egress_namespaces, "functions could not reach the broker ingress (K_SINK)"


@pytest.mark.parametrize("target", TARGETS, ids=lambda t: t.name)
def test_schedules_are_valid_cron(built, target: BuildTarget) -> None:
    schedules = {d["metadata"]["name"]: d["spec"]["schedule"] for d in of_kind(built(target), "PingSource")}
    assert "sweeper" in schedules
    assert {name: cron_problems(s) for name, s in schedules.items()} == {name: [] for name in schedules}


@pytest.mark.parametrize("schedule", ["61 * * * *", "* 24 * * *", "* * 0 * *", "* * * 13 *", "*/0 * * * *",
                                      "* * * * FUNDAY", "* * * *"])
def test_cron_check_rejects_out_of_range_fields(schedule: str) -> None:
    assert cron_problems(schedule)


def _served_status(service, path: str) -> int:
    import functions_framework

    env = env_of(service)
    app = functions_framework.create_app(env["FUNCTION_TARGET"], str(REPO_ROOT / env["FUNCTION_SOURCE"]))
    return app.test_client().get(path).status_code


def _http_probe_failures(docs) -> list[str]:
    failures = []
    for name, service in knative_services(docs).items():
        for container in containers(service):
            probe = container.get("readinessProbe", {}).get("httpGet")
            if probe and (status := _served_status(service, probe.get("path", "/"))) >= 400:
                failures.append(f"{name}: GET {probe.get('path', '/')} -> {status}")
    return failures


@pytest.mark.parametrize("overlay", OVERLAYS, ids=lambda t: t.name)
def test_http_readiness_probes_hit_routes_the_functions_serve(built, overlay: BuildTarget) -> None:
    assert _http_probe_failures(built(overlay)) == []


def test_base_http_readiness_probes_hit_routes_the_functions_serve(built) -> None:
    assert _http_probe_failures(built(next(t for t in TARGETS if t.name == "base"))) == []
