"""The image's build and start, rehearsed without a Docker engine: the build stage's COPY instructions assemble
`/app` in a folder, its `uv sync` steps run there, and the final stage's ENV, WORKDIR and ENTRYPOINT start it.

What this proves is what a build most often breaks: a file the image needs but does not copy, a runtime import
of a dev-only dependency, an entrypoint that needs more than the image sets. What it cannot prove is the base
image itself (python:3.11-slim, its apt packages, the unprivileged user)."""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

IMAGE_ROOT = "/app"


@dataclass
class Stage:
    base: str
    instructions: list[tuple[str, str]] = field(default_factory=list)

    def all(self, keyword: str) -> list[str]:
        return [argument for name, argument in self.instructions if name == keyword]


def stages(dockerfile: str) -> list[Stage]:
    """The Dockerfile's stages in order, each with its (INSTRUCTION, arguments) list; comments dropped."""
    found: list[Stage] = []
    for line in dockerfile.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        name, _, argument = line.partition(" ")
        if name.upper() == "FROM":
            found.append(Stage(base=argument.split()[0]))
        elif found:
            found[-1].instructions.append((name.upper(), argument.strip()))
    return found


def environment(stage: Stage, app: Path, home: Path) -> dict[str, str]:
    """The stage's ENV, with the image's /app and state folder moved to the rehearsal's folders."""
    values: dict[str, str] = {}
    for argument in stage.all("ENV"):
        for pair in shlex.split(argument):
            key, _, value = pair.partition("=")
            values[key] = value.replace(IMAGE_ROOT, str(app))
    values["SREO_HOME"] = str(home)
    values["PATH"] = values.get("PATH", "").replace("$PATH", os.environ.get("PATH", ""))
    return values


@dataclass
class Rehearsal:
    app: Path
    env: dict[str, str]
    entrypoint: list[str]


def build(repo: Path, into: Path, uv: str) -> Rehearsal:
    """Assemble the image's /app under `into` from `repo` as the Dockerfile says, and sync its virtualenv."""
    parsed = stages((repo / "Dockerfile").read_text())
    build_stage, final = parsed[0], parsed[-1]
    app = into / "app"
    app.mkdir(parents=True)
    clean = {k: v for k, v in os.environ.items() if k not in {"VIRTUAL_ENV", "UV_PROJECT_ENVIRONMENT", "PYTHONPATH"}}
    for name, argument in build_stage.instructions:
        if name == "COPY" and not argument.startswith("--"):
            *sources, _ = argument.split()
            for source in sources:
                _copy(repo / source, app / source)
        elif name == "RUN" and argument.startswith("uv sync"):
            subprocess.run([uv, *shlex.split(argument)[1:]], cwd=app, env=clean, check=True, capture_output=True,
                           text=True, timeout=600)
    (workdir,) = final.all("WORKDIR")
    assert workdir == IMAGE_ROOT, f"the rehearsal assumes WORKDIR {IMAGE_ROOT}, the Dockerfile says {workdir}"
    (entrypoint,) = final.all("ENTRYPOINT")
    return Rehearsal(app=app, env=environment(final, app, into / "state"), entrypoint=json.loads(entrypoint))


def _copy(source: Path, target: Path) -> None:
    if source.is_dir():
        shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    else:
        shutil.copy2(source, target)
