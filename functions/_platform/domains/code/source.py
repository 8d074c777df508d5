"""Where a service's source comes from: a directory, or a git URL cloned once into a bare mirror that the
review only reads (no checkout, no hooks). Files are read at a revision; diffs give changed lines."""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

SOURCE_SUFFIXES = (".py", ".html", ".jinja", ".jinja2", ".j2", ".js", ".ts", ".mjs")
SKIP_DIRS = frozenset({".git", "node_modules", ".venv", "venv", "__pycache__", "migrations", "dist", "build",
                       ".tox", "site-packages"})
MAX_FILE_BYTES = 512_000
FETCH_EVERY_S = 60.0
URL = re.compile(r"^(file|https?|ssh|git)://|^[\w.-]+@[\w.-]+:")


class SourceError(Exception):
    """The repository cannot be read (bad path, clone failed, unknown revision)."""


@dataclass(frozen=True)
class RepoSpec:
    location: str  # a directory or a git URL
    subdir: str = ""  # the service's folder inside a monorepo

    @classmethod
    def parse(cls, value: str | dict) -> RepoSpec:
        if isinstance(value, str):
            return cls(value)
        return cls(str(value.get("url") or value.get("path") or ""), str(value.get("subdir", "")).strip("/"))


def _wanted(path: str) -> bool:
    parts = path.split("/")
    return path.endswith(SOURCE_SUFFIXES) and not SKIP_DIRS.intersection(parts[:-1])


def _git(git_dir: Path | None, *args: str, cwd: Path | None = None, timeout: float = 120) -> bytes:
    command = ["git", *(["--git-dir", str(git_dir)] if git_dir else []), *args]
    env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "GIT_ASKPASS": "true"}
    try:
        done = subprocess.run(command, cwd=cwd, capture_output=True, timeout=timeout, env=env, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise SourceError(f"git {args[0]} failed: {exc}") from exc
    if done.returncode != 0:
        raise SourceError(f"git {' '.join(args[:2])} failed: {done.stderr.decode(errors='replace').strip()[:300]}")
    return done.stdout


class Repository:
    def __init__(self, spec: RepoSpec, cache_dir: Path):
        self.spec = spec
        if URL.match(spec.location):
            self.git_dir: Path | None = self._mirror(spec.location, cache_dir)
            self.directory: Path | None = None
        else:
            self.directory = Path(spec.location).expanduser()
            if not self.directory.is_dir():
                raise SourceError(f"source directory {spec.location!r} does not exist")
            self.git_dir = self._local_git(self.directory)

    @staticmethod
    def _local_git(directory: Path) -> Path | None:
        if (directory / ".git").exists():
            return directory / ".git"
        if (directory / "HEAD").is_file() and (directory / "objects").is_dir():
            return directory
        return None

    @staticmethod
    def _mirror(url: str, cache_dir: Path) -> Path:
        slug = re.sub(r"[^A-Za-z0-9]+", "-", url.rsplit("/", 1)[-1])[:40]
        target = cache_dir / f"{slug}-{hashlib.sha256(url.encode()).hexdigest()[:12]}.git"
        stamp = target / "sreo-fetched"
        if not target.exists():
            cache_dir.mkdir(parents=True, exist_ok=True)
            _git(None, "clone", "--mirror", "--quiet", url, str(target))
            stamp.touch()
        elif not stamp.exists() or time.time() - stamp.stat().st_mtime > FETCH_EVERY_S:
            _git(target, "fetch", "--quiet", "--prune", "origin")
            stamp.touch()
        return target

    def resolve(self, name: str) -> str | None:
        """A git commit for a revision name: a commit, a tag, `v`+version, or an image tag's version."""
        if self.git_dir is None:
            return None
        version = name.rsplit(":", 1)[-1] if ":" in name and "/" not in name.rsplit(":", 1)[-1] else name
        for candidate in dict.fromkeys((name, version, f"v{version}", version.removeprefix("v"))):
            try:
                return _git(self.git_dir, "rev-parse", "--verify", "--quiet", f"{candidate}^{{commit}}").decode().strip()
            except SourceError:
                continue
        return None

    def _in_subdir(self, path: str) -> str | None:
        if not self.spec.subdir:
            return path
        prefix = self.spec.subdir + "/"
        return path[len(prefix):] if path.startswith(prefix) else None

    def files(self, revision: str | None = None) -> dict[str, str]:
        if revision is None and self.directory is not None:
            return self._disk_files(self.directory / self.spec.subdir)
        if self.git_dir is None:
            raise SourceError("revisions need a git repository")
        commit = revision or "HEAD"
        names = [n for n in _git(self.git_dir, "ls-tree", "-r", "-z", "--name-only", commit).decode().split("\0")
                 if n and self._in_subdir(n) is not None and _wanted(n)]
        return {self._in_subdir(n): text for n, text in zip(names, self._blobs(commit, names), strict=True)
                if text is not None}  # type: ignore[misc]

    def _blobs(self, commit: str, names: list[str]) -> list[str | None]:
        request = "".join(f"{commit}:{name}\n" for name in names).encode()
        done = subprocess.run(["git", "--git-dir", str(self.git_dir), "cat-file", "--batch"], input=request,
                              capture_output=True, timeout=120, check=False)
        out, position, blobs = done.stdout, 0, []
        for _ in names:
            header_end = out.index(b"\n", position)
            header = out[position:header_end].split()
            if len(header) < 3 or header[1] != b"blob":
                blobs.append(None)
                position = header_end + 1
                continue
            size = int(header[2])
            body = out[header_end + 1: header_end + 1 + size]
            position = header_end + 1 + size + 1
            blobs.append(body.decode(errors="replace") if size <= MAX_FILE_BYTES else None)
        return blobs

    def _disk_files(self, root: Path) -> dict[str, str]:
        found = {}
        for path in sorted(root.rglob("*")):
            relative = path.relative_to(root).as_posix()
            if path.is_file() and _wanted(relative) and path.stat().st_size <= MAX_FILE_BYTES:
                found[relative] = path.read_text(errors="replace")
        return found

    def changed_lines(self, base: str, head: str) -> dict[str, set[int]]:
        """path -> lines added or changed in `head` since `base` (lines of the new version)."""
        if self.git_dir is None:
            raise SourceError("a diff needs a git repository")
        diff = _git(self.git_dir, "diff", "--unified=0", "--no-color", base, head).decode(errors="replace")
        changed: dict[str, set[int]] = {}
        current = None
        for line in diff.splitlines():
            if line.startswith("+++ "):
                name = line[4:].removeprefix("b/")
                current = self._in_subdir(name) if name != "/dev/null" else None
            elif line.startswith("@@") and current is not None:
                match = re.search(r"\+(\d+)(?:,(\d+))?", line)
                if match:
                    start, count = int(match.group(1)), int(match.group(2) or 1)
                    changed.setdefault(current, set()).update(range(start, start + max(count, 1)))
        return changed
