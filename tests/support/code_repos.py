"""Git repositories of the sample apps, made for a test: commits are tagged like the releases a rollout names."""

from __future__ import annotations

import subprocess
from pathlib import Path

GIT_ENV = {"GIT_AUTHOR_NAME": "dev", "GIT_AUTHOR_EMAIL": "dev@example.com", "GIT_COMMITTER_NAME": "dev",
           "GIT_COMMITTER_EMAIL": "dev@example.com", "PATH": "/usr/bin:/bin:/usr/local/bin",
           "GIT_CONFIG_NOSYSTEM": "1", "HOME": "/nonexistent"}


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=cwd, env=GIT_ENV, check=True, capture_output=True,
                          text=True).stdout.strip()


def write_tree(root: Path, files: dict[str, str]) -> None:
    for path in [p for p in root.rglob("*") if p.is_file() and ".git" not in p.parts]:
        path.unlink()
    for path, text in files.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(text)


def release_repo(work: Path, releases: list[tuple[str, dict[str, str]]]) -> Path:
    """A work tree with one commit per release, each tagged `v<version>`; returns the work tree."""
    work.mkdir(parents=True)
    git(work, "init", "-q", "-b", "main")
    for version, files in releases:
        write_tree(work, files)
        git(work, "add", "-A")
        git(work, "commit", "-q", "-m", f"release {version}")
        git(work, "tag", f"v{version}")
    return work


def bare_clone(work: Path, target: Path) -> str:
    """A bare clone of `work` at `target`; returns its file:// URL."""
    git(work.parent, "clone", "-q", "--bare", str(work), str(target))
    return target.as_uri()
