"""`sreo topology refresh` and `sreo topology show`, run on the embedded store as two separate processes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from support.paths import REPO_ROOT
from topology_cluster import write_snapshot

REPO = REPO_ROOT
RUN_APP = "from functions._local.commands.topology import app; app()"


def sreo_topology(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", RUN_APP, *args], cwd=REPO, env=env, capture_output=True,
                          text=True, timeout=120, check=False)


def environment(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("SREO_")}
    env.update({"SREO_HOME": str(tmp_path / "home"), "COLUMNS": "200", **extra})
    return env


def test_refresh_then_show(tmp_path: Path) -> None:
    declared = tmp_path / "topology.yaml"
    declared.write_text("services:\n  checkout:\n    depends_on: [fraud-check]\n")
    env = environment(tmp_path, SREO_KUBE_SNAPSHOT=str(write_snapshot(tmp_path / "snap")),
                      SREO_TOPOLOGY_FILE=str(declared))
    refreshed = sreo_topology("refresh", "--json", env=env)
    assert refreshed.returncode == 0, refreshed.stderr
    outcomes = {o["source"]: o for o in json.loads(refreshed.stdout)["sources"]}
    assert outcomes["kubernetes"]["status"] == "ok" and outcomes["kubernetes"]["edges"] > 5
    assert outcomes["topology_file"]["status"] == "ok" and outcomes["traces"]["status"] == "not_configured"

    shown = sreo_topology("show", "--json", env=environment(tmp_path))
    assert shown.returncode == 0, shown.stderr
    document = json.loads(shown.stdout)
    pairs = {(e["caller"], e["callee"]) for e in document["edges"]}
    assert {("checkout", "payments"), ("checkout", "fraud-check"), ("ingress/shop-web", "checkout")} <= pairs
    assert set(document["sources"]) == {"kubernetes", "topology_file"}
    assert "checkout" in shown.stderr  # the table goes to stderr

    table_only = sreo_topology("show", env=environment(tmp_path))
    assert table_only.stdout == "" and "fraud-check" in table_only.stderr


def test_refresh_fails_when_a_source_fails(tmp_path: Path) -> None:
    env = environment(tmp_path, SREO_KUBE_SNAPSHOT=str(tmp_path / "missing"))
    result = sreo_topology("refresh", env=env)
    assert result.returncode == 1
    assert "kubernetes" in result.stderr and "missing" in result.stderr


def test_refresh_without_sources_says_so(tmp_path: Path) -> None:
    result = sreo_topology("refresh", env=environment(tmp_path))
    assert result.returncode == 2 and "no source configured" in result.stderr


def test_unknown_source_is_refused(tmp_path: Path) -> None:
    result = sreo_topology("refresh", "--source", "zipkin", env=environment(tmp_path))
    assert result.returncode == 2 and "zipkin" in result.stderr
