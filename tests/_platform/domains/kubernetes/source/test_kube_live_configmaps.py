"""ConfigMaps are listed one watched namespace at a time, against a loopback server answering recorded Kubernetes
API JSON: never across all namespaces, never outside SREO_KUBE_CONFIGMAP_NAMESPACES."""

from __future__ import annotations

from pathlib import Path

import pytest
from support.kube_cluster import healthy_cluster, investigation
from support.recorded_api import RecordedApi

from functions._platform.config import Settings
from functions._platform.domains.kubernetes.source import ConfigMapsNotWatched, open_provider
from functions._platform.domains.kubernetes.source.live import LiveProvider
from functions.agents.investigate import collect_evidence

ALL_NAMESPACES_PATH = "/api/v1/configmaps"


@pytest.fixture(autouse=True)
def _outside_any_cluster(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KUBERNETES_SERVICE_HOST", raising=False)


def _cluster() -> dict:
    cluster = healthy_cluster()
    for namespace, name in (("ops", "auditor-config"), ("billing", "ledger-config")):
        cluster["objects"]["configmaps"].append({"kind": "ConfigMap", "apiVersion": "v1", "data": {"A": "1"},
                                                 "metadata": {"name": name, "namespace": namespace}})
    return cluster


def _configmap_paths(api: RecordedApi) -> list[str]:
    return [path.split("?")[0] for _, path, _ in api.requests if "configmaps" in path]


def _names(items: list[dict]) -> list[tuple[str, str]]:
    return sorted((item["metadata"]["namespace"], item["metadata"]["name"]) for item in items)


def _provider(api: RecordedApi, tmp_path: Path, **options) -> LiveProvider:
    return LiveProvider(context="recorded", kubeconfig=str(api.write_kubeconfig(tmp_path / "kubeconfig")), **options)


def test_without_a_namespace_each_watched_namespace_is_listed(tmp_path: Path) -> None:
    with RecordedApi(_cluster()) as api:
        items = _provider(api, tmp_path, configmap_namespaces=("shop", "ops")).list("configmaps")
    assert _names(items) == [("ops", "auditor-config"), ("shop", "checkout-config")]
    assert {item["kind"] for item in items} == {"ConfigMap"}
    assert _configmap_paths(api) == ["/api/v1/namespaces/shop/configmaps", "/api/v1/namespaces/ops/configmaps"]


def test_a_watched_namespace_is_listed_and_another_refused_before_any_call(tmp_path: Path) -> None:
    with RecordedApi(_cluster()) as api:
        provider = _provider(api, tmp_path, configmap_namespaces=("shop",))
        assert _names(provider.list("cm", "shop")) == [("shop", "checkout-config")]
        with pytest.raises(ConfigMapsNotWatched, match="billing"):
            provider.list("configmaps", "billing")
    assert _configmap_paths(api) == ["/api/v1/namespaces/shop/configmaps"]


def test_unset_reads_only_a_named_namespace_and_nothing_for_all(tmp_path: Path) -> None:
    with RecordedApi(_cluster()) as api:
        provider = _provider(api, tmp_path)
        assert provider.list("configmaps") == []
        assert _names(provider.list("configmaps", "billing")) == [("billing", "ledger-config")]
        assert len(provider.list("pods")) == 8  # other kinds still list across the cluster
    assert _configmap_paths(api) == ["/api/v1/namespaces/billing/configmaps"]
    assert "/api/v1/pods" in [path.split("?")[0] for _, path, _ in api.requests]


def test_the_setting_reaches_the_live_provider(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SREO_KUBE_CONFIGMAP_NAMESPACES", " shop, ops,,shop ")
    settings = Settings(kube_live=True, kube_context="recorded", home=tmp_path)
    assert settings.watched_configmap_namespaces == ("shop", "ops")
    assert Settings(home=tmp_path, kube_configmap_namespaces="").watched_configmap_namespaces == ()
    provider = open_provider(settings)
    assert isinstance(provider, LiveProvider) and provider.configmap_namespaces == ("shop", "ops")


def test_an_investigation_without_a_namespace_asks_in_the_focus_namespace(tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    with RecordedApi(_cluster()) as api:
        monkeypatch.setenv("KUBECONFIG", str(api.write_kubeconfig(tmp_path / "kubeconfig")))
        evidence = collect_evidence(investigation("checkout", namespace=None),
                                    Settings(kube_live=True, kube_context="recorded", home=tmp_path))
    assert evidence.status == "success", evidence.error
    assert _configmap_paths(api) == ["/api/v1/namespaces/shop/configmaps"]


def test_an_investigation_without_namespace_or_focus_reads_the_watched_namespaces(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with RecordedApi(_cluster()) as api:
        monkeypatch.setenv("KUBECONFIG", str(api.write_kubeconfig(tmp_path / "kubeconfig")))
        for watched in ("", "ops,billing"):
            settings = Settings(kube_live=True, kube_context="recorded", home=tmp_path,
                                kube_configmap_namespaces=watched)
            assert collect_evidence(investigation(namespace=None), settings).status == "success"
    assert _configmap_paths(api) == ["/api/v1/namespaces/ops/configmaps", "/api/v1/namespaces/billing/configmaps"]
    assert ALL_NAMESPACES_PATH not in _configmap_paths(api)


def test_configmaps_refused_in_the_incident_namespace_narrow_the_investigation(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with RecordedApi(_cluster()) as api:
        monkeypatch.setenv("KUBECONFIG", str(api.write_kubeconfig(tmp_path / "kubeconfig")))
        settings = Settings(kube_live=True, kube_context="recorded", home=tmp_path, kube_configmap_namespaces="ops")
        evidence = collect_evidence(investigation("checkout"), settings)
    assert evidence.status == "success", evidence.error
    assert _configmap_paths(api) == []
