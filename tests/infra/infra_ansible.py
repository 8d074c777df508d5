"""Running the project's playbooks with ansible-playbook against local targets."""

from __future__ import annotations

import json
import os
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from support.paths import REPO_ROOT

ANSIBLE_DIR = REPO_ROOT / "ansible"
PLAYBOOKS = sorted(p.relative_to(ANSIBLE_DIR).as_posix() for p in (ANSIBLE_DIR / "playbooks").glob("*.yml"))
INVENTORIES = sorted(p.name for p in (ANSIBLE_DIR / "inventories").iterdir() if p.is_dir())


@dataclass
class PlayResult:
    returncode: int
    output: str

    def recap(self, field: str) -> int:
        counts = re.findall(rf"\b{field}=(\d+)", self.output)
        assert counts, self.output
        return sum(int(c) for c in counts)


def ansible_env(tmp: Path) -> dict[str, str]:
    return {
        **os.environ,
        "ANSIBLE_CONFIG": str(ANSIBLE_DIR / "ansible.cfg"),
        "ANSIBLE_ROLES_PATH": str(ANSIBLE_DIR / "roles"),
        "ANSIBLE_LOCAL_TEMP": str(tmp / "ansible-local"),
        "ANSIBLE_REMOTE_TEMP": str(tmp / "ansible-remote"),
        "ANSIBLE_NOCOLOR": "1",
        "ANSIBLE_RETRY_FILES_ENABLED": "0",
    }


def local_inventory(tmp: Path, group: str) -> Path:
    inventory = tmp / f"inventory-{group}.yml"
    host = {"ansible_connection": "local", "ansible_python_interpreter": "{{ ansible_playbook_python }}"}
    inventory.write_text(json.dumps({"all": {"children": {group: {"hosts": {"localhost": host}}}}}))
    return inventory


def run_in_ansible_dir(argv: list[str], tmp: Path) -> PlayResult:
    """An ansible command run from `ansible/` with the project's config, stdout and stderr together."""
    done = subprocess.run(argv, cwd=ANSIBLE_DIR, env=ansible_env(tmp), check=False, capture_output=True, text=True,
                          timeout=300)
    return PlayResult(done.returncode, done.stdout + done.stderr)


def run_playbook(
    binary: str, tmp: Path, playbook: str, group: str, extra_vars: dict[str, object]
) -> PlayResult:
    vars_file = tmp / "extra-vars.json"
    vars_file.write_text(json.dumps(extra_vars))
    return run_in_ansible_dir([binary, "-i", str(local_inventory(tmp, group)), playbook, "-e", f"@{vars_file}"], tmp)
