"""The sample applications under apps/: their source as a Project and the flaws planted in them."""

from __future__ import annotations

import yaml

from functions._platform.domains.code.model import Project
from support.paths import REPO_ROOT

APPS_DIR = REPO_ROOT / "tests" / "_platform" / "domains" / "code" / "apps"
APPS = sorted(p.name for p in APPS_DIR.iterdir() if (p / "flaws.yaml").exists())


def app_files(app: str, variant: str) -> dict[str, str]:
    root = APPS_DIR / app / variant
    return {p.relative_to(root).as_posix(): p.read_text() for p in sorted(root.rglob("*")) if p.is_file()}


def app_project(app: str, variant: str) -> Project:
    return Project.from_files(app_files(app, variant))


def planted_flaws(app: str) -> list[tuple[str, str, int]]:
    """(kind, file, line) of each planted flaw."""
    files = app_files(app, "planted")
    flaws = []
    for flaw in yaml.safe_load((APPS_DIR / app / "flaws.yaml").read_text()):
        lines = files[flaw["file"]].splitlines()
        line = next(i for i, text in enumerate(lines, start=1) if flaw["at"] in text)
        flaws.append((flaw["kind"], flaw["file"], line))
    return flaws
