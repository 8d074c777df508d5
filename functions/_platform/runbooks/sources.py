"""Where runbook text comes from: files and folders on disk, and runbook URLs fetched over HTTP."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlparse

from .parsing import SUPPORTED_SUFFIXES

MAX_FETCH_BYTES = 1_048_576
FETCH_TIMEOUT_S = 5.0
_FETCHABLE_TYPES = ("text/markdown", "text/x-markdown", "text/plain", "text/html")


@dataclass(frozen=True)
class RunbookFile:
    name: str
    path: Path


def runbook_files(paths: Iterable[str | Path]) -> Iterator[RunbookFile]:
    """Every supported file under the given files or folders, named `<folder>/<file>`."""
    for given in paths:
        root = Path(given)
        if not root.exists():
            raise FileNotFoundError(f"no such runbook file or folder: {root}")
        files = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file())
        for file in files:
            lower = file.name.lower()
            # README and Hugo/Docsy section pages (`_index.md`) describe a folder; they are not runbooks
            if file.suffix.lower() in SUPPORTED_SUFFIXES and not lower.startswith(("readme", "_index")):
                yield RunbookFile(name=str(file), path=file)


def url_segments(reference: str) -> tuple[list[str], str]:
    """Path segments of a URL or path (extension dropped from the last one), and its #fragment."""
    parsed = urlparse(reference)
    path = parsed.path if parsed.scheme in ("http", "https", "file") else reference.split("#", 1)[0]
    segments = [unquote(s) for s in path.replace("\\", "/").split("/") if s]
    if segments and PurePosixPath(segments[-1]).suffix.lower() in SUPPORTED_SUFFIXES:
        segments[-1] = PurePosixPath(segments[-1]).stem
    return segments, unquote(parsed.fragment)


def local_path(reference: str) -> Path | None:
    parsed = urlparse(reference)
    if parsed.scheme == "file":
        return Path(unquote(parsed.path))
    if parsed.scheme in ("",) or (len(parsed.scheme) == 1 and reference[1:3] in (":\\", ":/")):
        return Path(reference)
    return None


def is_within(path: Path, roots: Iterable[Path]) -> bool:
    resolved = path.resolve()
    return any(resolved.is_relative_to(root.resolve()) for root in roots)


@dataclass(frozen=True)
class FetchedDocument:
    text: str
    content_type: str


def fetch_runbook(url: str) -> FetchedDocument | None:
    """GET an http(s) runbook URL; None when unreachable, too large or not a text document."""
    import httpx

    if urlparse(url).scheme not in ("http", "https"):
        return None
    try:
        with httpx.stream("GET", url, timeout=FETCH_TIMEOUT_S, follow_redirects=True) as response:
            if response.status_code != 200:
                return None
            content_type = response.headers.get("content-type", "text/plain").split(";", 1)[0].strip().lower()
            if not content_type.startswith(_FETCHABLE_TYPES):
                return None
            body = b""
            for chunk in response.iter_bytes():
                body += chunk
                if len(body) > MAX_FETCH_BYTES:
                    return None
            return FetchedDocument(
                text=body.decode(response.encoding or "utf-8", "replace"), content_type=content_type
            )
    except httpx.HTTPError:
        return None
