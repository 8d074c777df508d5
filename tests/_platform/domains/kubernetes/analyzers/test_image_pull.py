from __future__ import annotations

from pathlib import Path

from kube_snapshots import found, found_on
from support.kube_cluster import healthy_cluster

from functions._platform.domains.kubernetes.analyzers.image_pull import ImagePullAnalyzer


def test_an_image_pull_error_says_what_the_registry_answered():
    from functions._platform.domains.kubernetes.analyzers.image_pull import registry_says

    image = "ghcr.io/acme-shop/cart:2.5.0-rc1"
    message = (f'Failed to pull image "{image}": rpc error: code = NotFound desc = failed to pull and unpack image '
               f'"{image}": failed to resolve reference "{image}": {image}: not found')
    assert registry_says(["Back-off pulling image", message]) == f"{image}: not found"
    assert registry_says(['Back-off pulling image "x"']) is None


def test_the_image_pull_cluster_yields_image_pull_error_on_payments(tmp_path: Path) -> None:
    finding = found_on(ImagePullAnalyzer(), "image_pull", "payments", tmp_path)
    assert finding.kind == "image_pull_error"
    assert finding.severity == "critical"  # the new pods cannot start at all


def test_a_healthy_cluster_gives_no_image_pull_error(tmp_path: Path) -> None:
    assert found(ImagePullAnalyzer(), healthy_cluster(), tmp_path) == []
