"""Base, every overlay, every component on base, and all components together build with `kubectl kustomize`."""

from __future__ import annotations

from collections import Counter

import pytest
import yaml
from kustomize_builds import (
    BASE_DIR,
    COMPONENTS_DIR,
    DISABLE_AGENT_PREFIX,
    BuildTarget,
    build_targets,
    component_names,
    overlay_names,
)
from manifest_views import env_of, knative_services, triggers

from functions._local import manifests

TARGETS = build_targets()


def test_there_is_something_to_build() -> None:
    assert {"dev", "prod"} <= set(overlay_names())
    assert {"network-policies", "kafka-broker", "scheduled-scans"} <= set(component_names())


@pytest.mark.parametrize("target", TARGETS, ids=lambda t: t.name)
def test_build_yields_unique_named_resources(built, target: BuildTarget) -> None:
    docs = built(target)
    assert docs, f"{target.name} built nothing"
    for doc in docs:
        assert doc.get("apiVersion") and doc.get("kind") and doc.get("metadata", {}).get("name"), doc
    keys = Counter((d["apiVersion"], d["kind"], d["metadata"].get("namespace"), d["metadata"]["name"]) for d in docs)
    assert [key for key, count in keys.items() if count > 1] == []


@pytest.mark.parametrize("name", component_names())
def test_every_component_is_a_kustomize_component(name: str) -> None:
    kustomization = yaml.safe_load((COMPONENTS_DIR / name / "kustomization.yaml").read_text())
    assert kustomization["kind"] == "Component"
    assert kustomization["apiVersion"] == "kustomize.config.k8s.io/v1alpha1"


def test_base_stays_a_plain_directory_the_local_runtime_can_read(built) -> None:
    """The local broker globs kustomize/base/*.yaml, so every manifest file must be listed and nothing generated."""
    kustomization = yaml.safe_load((BASE_DIR / "kustomization.yaml").read_text())
    listed = set(kustomization["resources"])
    on_disk = {p.name for p in BASE_DIR.glob("*.yaml")} - {"kustomization.yaml"}
    assert listed == on_disk
    assert not {"patches", "components", "configMapGenerator", "secretGenerator", "helmCharts"} & set(kustomization)
    local = {(d["kind"], d["metadata"]["name"]) for d in manifests.load_documents(BASE_DIR) if d["kind"] != "Kustomization"}
    kustomized = {(d["kind"], d["metadata"]["name"]) for d in built(BuildTarget("base", BASE_DIR))}
    assert local == kustomized


@pytest.mark.parametrize("target", TARGETS, ids=lambda t: t.name)
def test_local_runtime_understands_every_build(built, target: BuildTarget) -> None:
    """The in-process broker's reading of Services, Triggers and PingSources works on deployable builds too."""
    docs = built(target)
    services = manifests.services(docs)
    subscriptions = manifests.subscriptions(docs)
    assert set(services) == set(knative_services(docs))
    assert len(subscriptions) == len(triggers(docs))
    for subscription in subscriptions:
        assert subscription.service in services
        assert subscription.delivery.backoff_delay_s > 0
    assert len(manifests.pings(docs)) == sum(d["kind"] == "PingSource" for d in docs)


@pytest.mark.parametrize("name", [n for n in component_names() if n.startswith(DISABLE_AGENT_PREFIX)])
def test_disabling_an_agent_removes_exactly_its_service_and_trigger(built, name: str) -> None:
    domain = name.removeprefix(DISABLE_AGENT_PREFIX)
    base = built(BuildTarget("base", BASE_DIR))
    docs = built(BuildTarget(f"component-{name}", components=(name,)))

    def agent_domains(items):
        return {env_of(s).get("SREO_AGENT_DOMAINS") for s in knative_services(items).values()} - {None}

    def routed_domains(items):
        return {t["spec"]["filter"]["attributes"].get("domain") for t in triggers(items)} - {None}

    assert agent_domains(docs) == agent_domains(base) - {domain}
    assert routed_domains(docs) == routed_domains(base) - {domain}
    assert set(knative_services(base)) - set(knative_services(docs)) == {f"agent-{domain}"}
