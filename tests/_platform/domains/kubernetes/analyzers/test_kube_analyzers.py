"""Analyzer behaviour beyond one analyzer: baselines, scoping, focus, secrets, snapshot shapes (each analyzer's own
tests are in test_<module>.py beside this file)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from kube_snapshots import WINDOW, state_of
from support.kube_cluster import (
    NS,
    WINDOW_END,
    WINDOW_START,
    find,
    healthy_cluster,
    investigation,
    write_snapshot,
)
from support.kube_scenarios import crashloop

from functions._platform.analyzers.contract import AnalysisContext
from functions._platform.analyzers.runner import run
from functions._platform.config import Settings
from functions._platform.domains.kubernetes.analyzers.dependencies import focus_subjects
from functions._platform.domains.kubernetes.source import KINDS, SecretsRefused, UnknownKind, normalize_kind
from functions._platform.domains.kubernetes.source.selectors import parse_selector
from functions._platform.domains.kubernetes.source.snapshot import SnapshotProvider
from functions.agents.investigate import collect_evidence


def test_baseline_is_the_stretch_before_the_window() -> None:
    context = AnalysisContext.around("kubernetes", WINDOW)
    assert context.baseline.end == WINDOW_START
    assert context.baseline.start == WINDOW_START - (WINDOW_END - WINDOW_START)


def test_namespace_scopes_the_investigation(tmp_path: Path) -> None:
    cluster = healthy_cluster()
    crashloop(cluster)
    for obj in (o for objects in cluster["objects"].values() for o in objects):
        if obj["metadata"].get("name", "").startswith("payments"):
            obj["metadata"]["namespace"] = "billing"
    cluster["logs"] = {("billing", p, c, prev): text for (_, p, c, prev), text in cluster["logs"].items()}
    root = write_snapshot(cluster, tmp_path / "snapshot")
    scoped = collect_evidence(investigation(namespace=NS), Settings(kube_snapshot=root, home=tmp_path))
    everywhere = collect_evidence(investigation(namespace=None), Settings(kube_snapshot=root, home=tmp_path))
    assert not any(f.subject == "payments" for f in scoped.findings)
    assert ("pod_crashloop", "payments") in {(f.kind, f.subject) for f in everywhere.findings}
    assert ("container_log_error", "payments") in {(f.kind, f.subject) for f in everywhere.findings}


def test_focus_is_the_service_and_what_its_config_points_at(tmp_path: Path) -> None:
    data = state_of(write_snapshot(healthy_cluster(), tmp_path / "snapshot"))
    assert focus_subjects(data, "checkout") == {"checkout", "payments", "orders-db"}
    assert focus_subjects(data, "payments") == {"payments"}
    assert focus_subjects(data, None) == frozenset()


def test_findings_on_the_focus_come_first(tmp_path: Path) -> None:
    cluster = healthy_cluster()
    crashloop(cluster)
    cluster["objects"]["nodes"][0]["status"]["conditions"][0]["status"] = "True"  # MemoryPressure
    data = state_of(write_snapshot(cluster, tmp_path / "snapshot"))
    context = AnalysisContext.around("kubernetes", WINDOW, focus=focus_subjects(data, "checkout"))
    subjects = [f.subject for f in run("kubernetes", data, context)]
    assert subjects[0] == "payments" and "node/node-1" in subjects
    assert subjects.index("node/node-1") > max(i for i, s in enumerate(subjects) if s == "payments")


def test_secrets_are_never_served(tmp_path: Path) -> None:
    secret = {"kind": "Secret", "apiVersion": "v1", "metadata": {"name": "db", "namespace": NS},
              "data": {"password": "c2VjcmV0"}}
    (tmp_path / "all.json").write_text(json.dumps({"kind": "List", "items": [secret]}), encoding="utf-8")
    provider = SnapshotProvider(tmp_path)
    for spelling in ("secrets", "Secret", "secret", "v1/secrets"):
        with pytest.raises(SecretsRefused):
            provider.list(spelling)
    assert all("c2VjcmV0" not in json.dumps(provider.list(plural)) for plural in KINDS)


def test_kind_spellings_and_unknown_kinds() -> None:
    assert {normalize_kind(name) for name in ("po", "Pod", "pods")} == {"pods"}
    assert normalize_kind("pvc") == "persistentvolumeclaims"
    with pytest.raises(UnknownKind):
        normalize_kind("widgets")


def test_snapshot_accepts_a_single_object_file_and_filters_by_namespace_and_labels(tmp_path: Path) -> None:
    cluster = healthy_cluster()
    single = tmp_path / "one.json"
    single.write_text(json.dumps(find(cluster, "pods", "checkout-aaa111-x1")), encoding="utf-8")
    assert [p["metadata"]["name"] for p in SnapshotProvider(single).list("pods")] == ["checkout-aaa111-x1"]
    root = write_snapshot(cluster, tmp_path / "snapshot")
    provider = SnapshotProvider(root)
    assert len(provider.list("pods", namespace=NS, label_selector="app in (checkout,payments)")) == 4
    assert provider.list("pods", namespace="elsewhere") == []
    assert len(provider.list("nodes", namespace=NS)) == 2  # cluster-scoped kinds ignore the namespace


@pytest.mark.parametrize(("selector", "labels", "expected"), [
    ("app=web", {"app": "web"}, True),
    ("app==web,tier!=db", {"app": "web", "tier": "db"}, False),
    ("env in (prod, staging)", {"env": "staging"}, True),
    ("env notin (prod)", {"env": "prod"}, False),
    ("canary", {"canary": "x"}, True),
    ("!canary", {"canary": "x"}, False),
    ("", {}, True),
])
def test_label_selectors(selector: str, labels: dict[str, str], expected: bool) -> None:
    assert parse_selector(selector)(labels) is expected
