"""A throwaway copy of terraform/ and the Terraform commands the infrastructure tests run on it."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

from support.paths import REPO_ROOT

TF_DIR = REPO_ROOT / "terraform"
DEFAULT_PLUGIN_DIR = "/opt/tf-plugins"
STANDARD_FILES = ("main.tf", "variables.tf", "outputs.tf", "versions.tf")


def _roots() -> list[str]:
    found = {
        path.parent.relative_to(TF_DIR).as_posix()
        for path in TF_DIR.rglob("versions.tf")
        if ".terraform" not in path.parts
    }
    return sorted(found)


ROOTS = _roots()
MODULES = [root for root in ROOTS if root.startswith("modules/")]
ROOTS_WITH_TESTS = [root for root in ROOTS if list((TF_DIR / root / "tests").glob("*.tftest.hcl"))]


def plugin_dir() -> Path:
    return Path(os.environ.get("TF_PLUGIN_DIR", DEFAULT_PLUGIN_DIR))


def required_providers(root_dir: Path) -> set[str]:
    """hashicorp/<name> providers a root needs, following its local module calls."""
    text = "\n".join(path.read_text() for path in root_dir.glob("*.tf"))
    providers = set(re.findall(r'source\s*=\s*"(hashicorp/[\w-]+)"', text))
    for module_source in re.findall(r'source\s*=\s*"(\.{1,2}/[^"]+)"', text):
        providers |= required_providers((root_dir / module_source).resolve())
    return providers


def missing_providers(root: str) -> set[str]:
    mirror = plugin_dir() / "registry.terraform.io"
    return {name for name in required_providers(TF_DIR / root) if not (mirror / name).is_dir()}


class TerraformWorkspace:
    """A copy of terraform/ in a temp dir, so no .terraform or lock file lands in the repository."""

    def __init__(self, binary: str, base: Path) -> None:
        self.binary = binary
        self.base = base / "terraform"
        shutil.copytree(TF_DIR, self.base, ignore=shutil.ignore_patterns(".terraform", ".terraform.lock.hcl"))
        cli_config = base / "terraformrc"
        cli_config.write_text("")
        self.env = {
            **os.environ,
            "TF_CLI_CONFIG_FILE": str(cli_config),
            "TF_IN_AUTOMATION": "1",
            "CHECKPOINT_DISABLE": "1",
        }
        self._initialized: dict[str, subprocess.CompletedProcess[str]] = {}

    def run(self, root: str, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [self.binary, *args],
            cwd=self.base / root,
            env=self.env,
            check=False,
            capture_output=True,
            text=True,
            timeout=600,
        )

    def init(self, root: str) -> subprocess.CompletedProcess[str]:
        if root not in self._initialized:
            self._initialized[root] = self.run(
                root, "init", "-backend=false", f"-plugin-dir={plugin_dir()}", "-input=false", "-no-color"
            )
        return self._initialized[root]
