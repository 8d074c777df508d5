"""Ansible: syntax of every playbook, optional ansible-lint, and idempotent local runs of the roles."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from infra_ansible import (
    ANSIBLE_DIR,
    INVENTORIES,
    PLAYBOOKS,
    REPO_ROOT,
    local_inventory,
    run_in_ansible_dir,
    run_playbook,
)

ROLES = sorted(p.name for p in (ANSIBLE_DIR / "roles").iterdir() if p.is_dir())


def test_every_role_and_playbook_is_present() -> None:
    assert {"knative", "namespace", "migrations", "opensearch", "alertmanager_receiver"} <= set(ROLES)
    assert "playbooks/site.yml" in PLAYBOOKS
    assert {"dev", "prod"} <= set(INVENTORIES)


@pytest.mark.parametrize("role", ROLES)
def test_role_has_tasks_defaults_meta_and_prefixed_variables(role: str) -> None:
    role_dir = ANSIBLE_DIR / "roles" / role
    for part in ("tasks", "defaults", "meta"):
        assert (role_dir / part / "main.yml").is_file(), f"{role} lacks {part}/main.yml"
    defaults = yaml.safe_load((role_dir / "defaults" / "main.yml").read_text()) or {}
    unprefixed = [name for name in defaults if not name.startswith(f"{role}_")]
    assert not unprefixed, f"{role} defaults without the role prefix: {unprefixed}"
    for tasks_file in (role_dir / "tasks").glob("*.yml"):
        for task in yaml.safe_load(tasks_file.read_text()):
            name = task.get("name", "")
            assert name[:1].isupper() and len(name.split()) >= 4, f"{tasks_file.name}: task name {name!r}"


@pytest.mark.parametrize("inventory", INVENTORIES)
@pytest.mark.parametrize("playbook", PLAYBOOKS)
def test_playbook_syntax(ansible_playbook: str, tmp_path: Path, playbook: str, inventory: str) -> None:
    done = run_in_ansible_dir(
        [ansible_playbook, "--syntax-check", "-i", f"inventories/{inventory}/hosts.yml", playbook], tmp_path)
    assert done.returncode == 0, done.output


def test_ansible_lint(tmp_path: Path) -> None:
    binary = shutil.which("ansible-lint")
    if binary:
        command = [binary]
    elif importlib.util.find_spec("ansiblelint") is not None:
        command = [sys.executable, "-m", "ansiblelint"]
    else:
        pytest.skip("ansible-lint is optional and not installed")
    done = run_in_ansible_dir([*command, "playbooks/", "roles/"], tmp_path)
    assert done.returncode == 0, done.output


def test_migrations_role_upgrades_once(ansible_playbook: str, tmp_path: Path) -> None:
    sreo = shutil.which("sreo") or str(REPO_ROOT / ".venv" / "bin" / "sreo")
    database_url = f"sqlite:///{tmp_path / 'sreo.db'}"

    def sreo_db(command: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sreo, "db", command], check=False, capture_output=True, text=True, timeout=120,
                              env={"PATH": "/usr/bin:/bin", "SREO_DATABASE_URL": database_url, "HOME": str(tmp_path)})

    probe = sreo_db("heads")
    if probe.returncode != 0 or not probe.stdout.strip():
        pytest.skip("needs sreo db")
    extra = {
        "migrations_sreo_argv": [sreo],
        "migrations_database_url": database_url,
        "migrations_extra_environment": {"HOME": str(tmp_path)},
    }
    first = run_playbook(ansible_playbook, tmp_path, "playbooks/migrations.yml", "database_admin", extra)
    assert first.returncode == 0, first.output
    assert first.recap("changed") == 1, first.output
    second = run_playbook(ansible_playbook, tmp_path, "playbooks/migrations.yml", "database_admin", extra)
    assert second.returncode == 0, second.output
    assert second.recap("changed") == 0, second.output
    current = sreo_db("current")
    assert current.returncode == 0, current.stderr
    assert current.stdout.strip() == probe.stdout.strip()


def test_templates_render_valid_kubernetes_objects(ansible_playbook: str, tmp_path: Path) -> None:
    kubernetes_validate = pytest.importorskip("kubernetes_validate")
    rendered = tmp_path / "rendered"
    playbook = tmp_path / "render.yml"
    playbook.write_text(
        yaml.safe_dump(
            [
                {
                    "name": "Render the role templates to files",
                    "hosts": "localhost",
                    "gather_facts": False,
                    "vars_files": [
                        str(ANSIBLE_DIR / "roles" / "namespace" / "defaults" / "main.yml"),
                        str(ANSIBLE_DIR / "roles" / "knative" / "defaults" / "main.yml"),
                    ],
                    "vars": {"knative_kafka_bootstrap_servers": "kafka-0.kafka:9092"},
                    "tasks": [
                        {
                            "name": f"Render template {src}",
                            "ansible.builtin.template": {
                                "src": str(ANSIBLE_DIR / "roles" / src),
                                "dest": str(rendered / Path(src).name.removesuffix(".j2")),
                            },
                        }
                        for src in (
                            "namespace/templates/namespace.yaml.j2",
                            "knative/templates/config-br-defaults.yaml.j2",
                            "knative/templates/kafka-broker-config.yaml.j2",
                        )
                    ],
                }
            ]
        )
    )
    rendered.mkdir()
    done = run_in_ansible_dir([ansible_playbook, "-i", str(local_inventory(tmp_path, "render")), str(playbook)],
                              tmp_path)
    assert done.returncode == 0, done.output
    kinds = []
    for manifest in sorted(rendered.glob("*.yaml")):
        for document in yaml.safe_load_all(manifest.read_text()):
            kinds.append(document["kind"])
            kubernetes_validate.validate(document, "1.30", strict=True)
    assert sorted(kinds) == [
        "ConfigMap",
        "ConfigMap",
        "ConfigMap",
        "LimitRange",
        "Namespace",
        "ResourceQuota",
    ]
    broker_defaults = yaml.safe_load((rendered / "config-br-defaults.yaml").read_text())
    assert yaml.safe_load(broker_defaults["data"]["default-br-config"])["clusterDefault"]["brokerClass"] == (
        "MTChannelBasedBroker"
    )
