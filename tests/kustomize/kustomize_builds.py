"""Build kustomize trees with the real `kubectl kustomize` and name every build the tests check."""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from support.paths import REPO_ROOT

KUSTOMIZE_ROOT = REPO_ROOT / "kustomize"
BASE_DIR = KUSTOMIZE_ROOT / "base"
COMPONENTS_DIR = KUSTOMIZE_ROOT / "components"
OVERLAYS_DIR = KUSTOMIZE_ROOT / "overlays"
NAMESPACE = "sreo"
DISABLE_AGENT_PREFIX = "without-agent-"


def component_names() -> list[str]:
    return sorted(p.parent.name for p in COMPONENTS_DIR.glob("*/kustomization.yaml"))


def overlay_names() -> list[str]:
    return sorted(p.parent.name for p in OVERLAYS_DIR.glob("*/kustomization.yaml"))


def overlay_components(overlay: str) -> list[str]:
    """Names of the components an overlay switches on, from its kustomization."""
    kustomization = yaml.safe_load((OVERLAYS_DIR / overlay / "kustomization.yaml").read_text())
    return sorted(Path(entry).name for entry in kustomization.get("components", []))


@dataclass(frozen=True)
class BuildTarget:
    """One kustomize tree to build: base, an overlay, or base plus some components (via a temp overlay)."""

    name: str
    directory: Path | None = None
    components: tuple[str, ...] = ()

    @property
    def is_overlay(self) -> bool:
        return self.directory is not None and self.directory.parent == OVERLAYS_DIR

    @property
    def enabled_components(self) -> tuple[str, ...]:
        return tuple(overlay_components(self.directory.name)) if self.is_overlay else self.components


def build_targets() -> list[BuildTarget]:
    targets = [BuildTarget("base", BASE_DIR)]
    targets += [BuildTarget(f"overlay-{name}", OVERLAYS_DIR / name) for name in overlay_names()]
    targets += [BuildTarget(f"component-{name}", components=(name,)) for name in component_names()]
    # All components at once, except one agent switch-off: with every agent off nothing would take investigations.
    switch_offs = [name for name in component_names() if name.startswith(DISABLE_AGENT_PREFIX)]
    combined = tuple(name for name in component_names() if name not in switch_offs[:1])
    targets.append(BuildTarget("components-combined", components=combined))
    return targets


def write_temp_overlay(workdir: Path, components: tuple[str, ...]) -> Path:
    """kustomize refuses absolute paths, so the temp overlay points at base and components relatively."""
    workdir.mkdir(parents=True, exist_ok=True)
    relative = lambda target: os.path.relpath(target, workdir)
    kustomization = {
        "apiVersion": "kustomize.config.k8s.io/v1beta1",
        "kind": "Kustomization",
        "namespace": NAMESPACE,
        "resources": [relative(BASE_DIR)],
        "components": [relative(COMPONENTS_DIR / name) for name in components],
    }
    (workdir / "kustomization.yaml").write_text(yaml.safe_dump(kustomization, sort_keys=False))
    return workdir


def kustomize_build(kubectl: str, directory: Path) -> list[dict[str, Any]]:
    result = subprocess.run([kubectl, "kustomize", str(directory)], capture_output=True, text=True, timeout=120, check=False)
    if result.returncode != 0:
        raise AssertionError(f"kubectl kustomize {directory} failed:\n{result.stderr}")
    return [doc for doc in yaml.safe_load_all(result.stdout) if doc]


def build(kubectl: str, target: BuildTarget, workdir: Path) -> list[dict[str, Any]]:
    directory = target.directory or write_temp_overlay(workdir / target.name, target.components)
    return kustomize_build(kubectl, directory)
