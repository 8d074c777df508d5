"""An error spike on a service scopes its review to the last rollout: the images (or version labels) before and
after, which triage hands to the code agent as `revisions OLD..NEW`."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from functions._platform.config import Settings
from functions._platform.domains.code.rollout import last_rollout
from functions.scan.supervisor import scope
from functions.triage.classify import code_hints
from sreo_events.models import Alert, ThreatDetected, TimeWindow


def replicaset(name: str, revision: int, image: str, version: str | None = None) -> dict:
    labels = {"app": "blog", **({"app.kubernetes.io/version": version} if version else {})}
    return {"apiVersion": "apps/v1", "kind": "ReplicaSet",
            "metadata": {"name": name, "namespace": "shop", "creationTimestamp": "2026-01-01T10:00:00Z",
                         "annotations": {"deployment.kubernetes.io/revision": str(revision)},
                         "ownerReferences": [{"kind": "Deployment", "name": "blog"}]},
            "spec": {"template": {"metadata": {"labels": labels},
                                  "spec": {"containers": [{"name": "blog", "image": image}]}}}}


def snapshot(tmp_path: Path, *replicasets: dict) -> Path:
    deployment = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "blog", "namespace": "shop"},
                  "spec": {"template": {"spec": {"containers": [{"name": "blog", "image": "x"}]}}}}
    path = tmp_path / "cluster.json"
    path.write_text(json.dumps({"apiVersion": "v1", "kind": "List", "items": [deployment, *replicasets]}))
    return path


def threat(kind: str) -> ThreatDetected:
    now = datetime.now(UTC)
    return ThreatDetected(kind=kind, subject="blog", level="high", mitigation="-",
                          window=TimeWindow(start=now - timedelta(minutes=15), end=now), evidence={})


def test_an_error_spike_is_scoped_to_the_images_of_the_last_rollout(tmp_path: Path):
    settings = Settings(home=tmp_path, kube_snapshot=snapshot(
        tmp_path, replicaset("blog-a", 1, "registry/blog:1.0.0"), replicaset("blog-b", 2, "registry/blog:1.1.0")))
    spike = threat("error_ratio_spike")
    scope(settings, spike)
    assert (spike.evidence["old_revision"], spike.evidence["new_revision"]) == ("registry/blog:1.0.0",
                                                                                 "registry/blog:1.1.0")
    alert = Alert(labels={"alertname": "Predicted_error_ratio_spike", "service": "blog",
                          "old_revision": spike.evidence["old_revision"],
                          "new_revision": spike.evidence["new_revision"]})
    assert code_hints([alert]) == ["revisions registry/blog:1.0.0..registry/blog:1.1.0"]


def test_the_version_label_is_preferred_and_no_rollout_means_no_scope(tmp_path: Path):
    settings = Settings(home=tmp_path, kube_snapshot=snapshot(
        tmp_path, replicaset("blog-a", 1, "blog@sha256:aa", "2.0.0"), replicaset("blog-b", 2, "blog@sha256:bb", "2.1.0")))
    assert last_rollout(settings, "blog") == ("2.0.0", "2.1.0")
    assert last_rollout(settings, "checkout") is None
    assert last_rollout(Settings(home=tmp_path), "blog") is None
    single = Settings(home=tmp_path, kube_snapshot=snapshot(tmp_path, replicaset("blog-a", 1, "blog:1")))
    spike = threat("error_ratio_spike")
    scope(single, spike)
    assert "new_revision" not in spike.evidence
