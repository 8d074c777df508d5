"""Schema validation: core kinds with kubernetes-validate (strict), Knative kinds with kustomize/schemas."""

from __future__ import annotations

import copy
from typing import Any

import kubernetes_validate
import pytest
from knative_schemas import errors, is_knative
from kustomize_builds import BuildTarget, build_targets

KUBERNETES_VERSION = kubernetes_validate.latest_version()
# Kinds whose CRDs belong to other projects; their content is tested where they are generated.
FOREIGN_KINDS = {("monitoring.coreos.com/v1", "PrometheusRule")}
# RevisionSpec fields Knative adds to the PodSpec it embeds.
KNATIVE_REVISION_FIELDS = ("containerConcurrency", "timeoutSeconds", "responseStartTimeoutSeconds", "idleTimeoutSeconds")
TARGETS = build_targets()


def core_errors(doc: dict[str, Any]) -> str | None:
    try:
        kubernetes_validate.validate(doc, KUBERNETES_VERSION, strict=True)
    except kubernetes_validate.ValidationError as exc:
        return f"{doc['kind']}/{doc['metadata']['name']}: {exc.message} at {list(exc.path)}"
    return None


def revision_as_pod(service: dict[str, Any]) -> dict[str, Any]:
    """The PodSpec half of a Knative revision template, wrapped as a Pod for the core schema.

    Knative defaults the container name and lets probes omit their port (it fills in the serving port);
    the copy applies the same defaults."""
    template = copy.deepcopy(service["spec"]["template"])
    spec = {k: v for k, v in template["spec"].items() if k not in KNATIVE_REVISION_FIELDS}
    for container in spec["containers"]:
        container.setdefault("name", "user-container")
        serving_port = (container.get("ports") or [{"containerPort": 8080}])[0]["containerPort"]
        for probe in ("readinessProbe", "livenessProbe", "startupProbe"):
            for handler in ("httpGet", "tcpSocket", "grpc"):
                action = container.get(probe, {}).get(handler)
                if action is not None:
                    action.setdefault("port", serving_port)
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": service["metadata"]["name"]}, "spec": spec}


@pytest.mark.parametrize("target", TARGETS, ids=lambda t: t.name)
def test_core_kinds_pass_strict_kubernetes_validate(built, target: BuildTarget) -> None:
    docs = [d for d in built(target) if not is_knative(d) and (d["apiVersion"], d["kind"]) not in FOREIGN_KINDS]
    assert docs
    problems = [problem for doc in docs if (problem := core_errors(doc))]
    assert problems == []


@pytest.mark.parametrize("target", TARGETS, ids=lambda t: t.name)
def test_knative_kinds_pass_their_schemas(built, target: BuildTarget) -> None:
    docs = [d for d in built(target) if is_knative(d)]
    kinds = {d["kind"] for d in docs}
    assert {"Service", "Broker", "Trigger", "PingSource", "SinkBinding"} <= kinds
    problems = {f"{d['kind']}/{d['metadata']['name']}": found for d in docs if (found := errors(d))}
    assert problems == {}


@pytest.mark.parametrize("target", TARGETS, ids=lambda t: t.name)
def test_knative_revision_pod_specs_pass_strict_core_schema(built, target: BuildTarget) -> None:
    services = [d for d in built(target) if d["kind"] == "Service" and is_knative(d)]
    problems = [problem for service in services if (problem := core_errors(revision_as_pod(service)))]
    assert problems == []


def test_every_kind_in_every_build_has_a_validator(built) -> None:
    for target in TARGETS:
        for doc in built(target):
            if is_knative(doc):
                assert errors(doc) is not None
            elif (doc["apiVersion"], doc["kind"]) not in FOREIGN_KINDS:
                kubernetes_validate.validate(doc, KUBERNETES_VERSION, strict=True)


# Each case breaks one rule of the Knative API on a real built resource; the schemas must reject all of them.
def _set(path: list[Any], value: Any):
    def mutate(doc: dict[str, Any]) -> None:
        node = doc
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value
    return mutate


def _delete(path: list[Any]):
    def mutate(doc: dict[str, Any]) -> None:
        node = doc
        for key in path[:-1]:
            node = node[key]
        del node[path[-1]]
    return mutate


BROKEN = {
    "trigger backoffPolicy outside linear|exponential": ("Trigger", _set(["spec", "delivery", "backoffPolicy"], "random")),
    "trigger backoffDelay not ISO-8601": ("Trigger", _set(["spec", "delivery", "backoffDelay"], "200ms")),
    "trigger retry negative": ("Trigger", _set(["spec", "delivery", "retry"], -1)),
    "trigger retry as string": ("Trigger", _set(["spec", "delivery", "retry"], "3")),
    "trigger delivery field misspelt": ("Trigger", _set(["spec", "delivery", "retries"], 3)),
    "trigger filter attribute not a string": ("Trigger", _set(["spec", "filter", "attributes", "type"], 1)),
    "trigger filter attribute name upper-case": ("Trigger", _set(["spec", "filter", "attributes", "Domain"], "x")),
    "trigger without subscriber": ("Trigger", _delete(["spec", "subscriber"])),
    "trigger subscriber with neither ref nor uri": ("Trigger", _set(["spec", "subscriber"], {})),
    "trigger subscriber relative uri alone": ("Trigger", _set(["spec", "subscriber"], {"uri": "/dead-letters"})),
    "trigger subscriber ref without kind": ("Trigger", _delete(["spec", "subscriber", "ref", "kind"])),
    "trigger without broker": ("Trigger", _delete(["spec", "broker"])),
    "pingsource cron with four fields": ("PingSource", _set(["spec", "schedule"], "* * * *")),
    "pingsource cron free text": ("PingSource", _set(["spec", "schedule"], "every minute")),
    "pingsource without sink": ("PingSource", _delete(["spec", "sink"])),
    "pingsource data and dataBase64": ("PingSource", _set(["spec", "dataBase64"], "e30=")),
    "pingsource extension name too long": (
        "PingSource", _set(["spec", "ceOverrides", "extensions"], {"sreorequestwithlongname": "sweep"})),
    "service min-scale not numeric": (
        "Service", _set(["spec", "template", "metadata", "annotations", "autoscaling.knative.dev/min-scale"], "one")),
    "service max-scale negative": (
        "Service", _set(["spec", "template", "metadata", "annotations", "autoscaling.knative.dev/max-scale"], "-1")),
    "service autoscaling metric unknown": (
        "Service", _set(["spec", "template", "metadata", "annotations", "autoscaling.knative.dev/metric"], "qps")),
    "service containerConcurrency as string": ("Service", _set(["spec", "template", "spec", "containerConcurrency"], "10")),
    "service without containers": ("Service", _set(["spec", "template", "spec", "containers"], [])),
    "service container without image": ("Service", _delete(["spec", "template", "spec", "containers", 0, "image"])),
    "service two ports": (
        "Service", _set(["spec", "template", "spec", "containers", 0, "ports"], [{"containerPort": 80}, {"containerPort": 81}])),
    "service name not DNS-1035": ("Service", _set(["metadata", "name"], "1-triage")),
    "broker class empty": ("Broker", _set(["metadata", "annotations", "eventing.knative.dev/broker.class"], "")),
    "broker config without name": ("Broker", _set(["spec", "config"], {"apiVersion": "v1", "kind": "ConfigMap"})),
    "sinkbinding subject with name and selector": (
        "SinkBinding", _set(["spec", "subject", "name"], "triage")),
    "sinkbinding without subject": ("SinkBinding", _delete(["spec", "subject"])),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_schemas_reject_broken_resources(built, case: str) -> None:
    kind, mutate = BROKEN[case]
    docs = built(next(t for t in TARGETS if t.name == "overlay-prod"))
    original = next(d for d in docs if d["kind"] == kind and is_knative(d))
    assert errors(original) == []
    doc = copy.deepcopy(original)
    mutate(doc)
    assert errors(doc), f"{case}: schema accepted {doc}"
