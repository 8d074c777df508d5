"""Fixtures for the kustomize tests: the kubectl binary and a cache of real `kubectl kustomize` builds."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from kustomize_builds import BuildTarget, build
from support.servers import require_binary


@pytest.fixture(scope="session")
def kubectl() -> str:
    return require_binary("kubectl")


@pytest.fixture(scope="session")
def built(kubectl: str, tmp_path_factory: pytest.TempPathFactory) -> Callable[[BuildTarget], list[dict[str, Any]]]:
    """Builds each target once per session; returns fresh copies so a test may mutate what it gets."""
    import copy

    cache: dict[str, list[dict[str, Any]]] = {}
    workdir: Path = tmp_path_factory.mktemp("kustomize")

    def get(target: BuildTarget) -> list[dict[str, Any]]:
        if target.name not in cache:
            cache[target.name] = build(kubectl, target, workdir)
        return copy.deepcopy(cache[target.name])

    return get
