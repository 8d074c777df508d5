"""The image, built and started as the Dockerfile says but without a Docker engine (see support.image_rehearsal):
one function by FUNCTION_TARGET alone, and `sreo serve` when none is set, each from the copied files and the
runtime dependencies only, never from this checkout."""

from __future__ import annotations

import json
import subprocess
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from support.image_rehearsal import Rehearsal, build, stages
from support.paths import REPO_ROOT
from support.servers import free_port, http_ready, require_binary, serving


@pytest.fixture(scope="module")
def image(tmp_path_factory: pytest.TempPathFactory) -> Rehearsal:
    return build(REPO_ROOT, tmp_path_factory.mktemp("image"), require_binary("uv"))


def _start(image: Rehearsal, log: Path, ready_path: str, **env: str):
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    return url, serving(image.entrypoint, log, lambda: http_ready(url + ready_path), "the rehearsed image",
                        timeout_s=120, cwd=image.app, env={**image.env, "PORT": str(port), **env})


def _get_json(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.loads(response.read())


def test_the_rehearsal_reads_the_build_and_the_final_stage() -> None:
    build_stage, final = stages((REPO_ROOT / "Dockerfile").read_text())
    copied = {source for argument in build_stage.all("COPY") for source in argument.split()[:-1]}
    assert {"pyproject.toml", "uv.lock", "functions", "sreo_events", "kustomize", "runbooks"} <= copied
    assert any(argument.startswith("uv sync") and "--no-dev" in argument for argument in build_stage.all("RUN"))
    assert final.all("ENTRYPOINT") and final.all("WORKDIR") == ["/app"]


def test_the_image_has_only_runtime_dependencies_and_none_of_the_checkout(image: Rehearsal) -> None:
    site = next((image.app / ".venv" / "lib").glob("python3*/site-packages"))
    assert (site / "functions_framework").is_dir()
    assert not (site / "_pytest").exists(), "a dev dependency reached the image"
    assert not (image.app / "tests").exists() and not (image.app / ".git").exists()


def test_a_function_target_alone_serves_that_function(image: Rehearsal, tmp_path: Path) -> None:
    url, started = _start(image, tmp_path / "report.log", "/incidents", FUNCTION_TARGET="report_http")
    with started:
        assert _get_json(url + "/incidents")["items"] == []
        with pytest.raises(urllib.error.HTTPError) as missing:
            urllib.request.urlopen(url + "/incidents/INC-none/report", timeout=10)
        assert missing.value.code == 404


def test_no_target_serves_everything(image: Rehearsal, tmp_path: Path) -> None:
    url, started = _start(image, tmp_path / "serve.log", "/readyz")
    with started:
        assert _get_json(url + "/healthz")
        assert _get_json(url + "/incidents")["items"] == []


def test_an_unknown_target_stops_with_one_line(image: Rehearsal, tmp_path: Path) -> None:
    result = subprocess.run(image.entrypoint, cwd=image.app, env={**image.env, "FUNCTION_TARGET": "nope_http"},
                            capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 2 and "no function of this image" in result.stderr
