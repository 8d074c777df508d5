"""Runbook documents (Markdown with YAML front matter, plain text, HTML) to sections."""

from __future__ import annotations

import re
from pathlib import PurePath, PurePosixPath

import yaml

from .html_text import html_to_markdown
from .models import ContentType, Runbook, RunbookSection
from .text import humanize_identifier

OVERVIEW = "Overview"
DEFAULT_COMPONENT = "general"

_FRONT_MATTER = re.compile(
    r"\A(?:\ufeff)?---[ \t]*\r?\n(.*?)\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.DOTALL
)
_ATX = re.compile(r"^(#{1,6})[ \t]+(.+?)[ \t#]*$")
_FENCE = re.compile(r"^\s*(```|~~~)")
_SETEXT = re.compile(r"^(=+|-+)\s*$")
_SUFFIXES: dict[str, ContentType] = {
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".txt": "text",
    ".text": "text",
    ".rst": "text",
}
SUPPORTED_SUFFIXES = frozenset(_SUFFIXES)


def content_type_for(name: str, declared: str | None = None) -> ContentType:
    """Map a declared type (`markdown`, `text/html`, ...) or else the file suffix to a content type."""
    if declared:
        lowered = declared.split(";", 1)[0].strip().lower()
        for key, value in (("html", "html"), ("markdown", "markdown"), ("md", "markdown"), ("plain", "text")):
            if key in lowered:
                return value  # type: ignore[return-value]
        if lowered in ("text", "txt"):
            return "text"
    return _SUFFIXES.get(PurePath(name).suffix.lower(), "markdown")


def split_front_matter(text: str) -> tuple[dict, str]:
    match = _FRONT_MATTER.match(text)
    if not match:
        return {}, text
    try:
        meta = yaml.safe_load(match.group(1)) or {}
    except yaml.YAMLError:
        return {}, text
    return (meta if isinstance(meta, dict) else {}), text[match.end() :]


def _headings(lines: list[str]) -> list[tuple[int, int, str]]:
    """(line number, level, text) of every heading outside fenced code."""
    found: list[tuple[int, int, str]] = []
    fenced = False
    for n, line in enumerate(lines):
        if _FENCE.match(line):
            fenced = not fenced
            continue
        if fenced:
            continue
        atx = _ATX.match(line)
        if atx:
            found.append((n, len(atx.group(1)), atx.group(2).strip()))
        elif n and _SETEXT.match(line) and lines[n - 1].strip() and not _ATX.match(lines[n - 1]):
            found.append((n - 1, 1 if line.strip().startswith("=") else 2, lines[n - 1].strip()))
    return found


def _text_headings_to_markdown(text: str) -> str:
    """Plain text: a short line of its own ending in ':' after a blank line is a heading."""
    lines = text.splitlines()
    out: list[str] = []
    for n, line in enumerate(lines):
        stripped = line.strip()
        previous_blank = n == 0 or not lines[n - 1].strip()
        if previous_blank and stripped.endswith(":") and 0 < len(stripped) <= 60 and stripped[0].isalnum():
            out.append("## " + stripped[:-1].strip())
        else:
            out.append(line)
    return "\n".join(out)


def _lone_title(lines: list[str], heads: list[tuple[int, int, str]]) -> tuple[str | None, list, int]:
    """(title, the other headings, where the preamble starts): a lone H1 is the document's title."""
    if heads and heads[0][1] == 1 and sum(1 for h in heads if h[1] == 1) == 1:
        preamble_start = next(n for n, lvl, _ in _headings(lines) if lvl == 1) + 1
        return heads[0][2], heads[1:], preamble_start
    return None, heads, 0


def _section_body(lines: list[str], start: int, end: int, setext_skip: set[int]) -> str:
    """The lines after a heading up to the next break, without setext underlines."""
    return "\n".join(line for n, line in enumerate(lines[start + 1 : end], start + 1) if n not in setext_skip)


def split_sections(markdown: str) -> tuple[str | None, list[RunbookSection]]:
    """Returns (document heading, sections). Sections break at the shallowest heading level below a lone H1."""
    lines = markdown.splitlines()
    title, heads, preamble_start = _lone_title(lines, _headings(lines))
    level = min((lvl for _, lvl, _ in heads), default=None)
    breaks = [(n, text) for n, lvl, text in heads if lvl == level]
    setext_skip = {n + 1 for n, _ in breaks if n + 1 < len(lines) and _SETEXT.match(lines[n + 1])}
    sections: list[RunbookSection] = []
    first_break = breaks[0][0] if breaks else len(lines)
    preamble = "\n".join(lines[preamble_start:first_break]).strip()
    if preamble:
        sections.append(RunbookSection(heading=OVERVIEW, body=preamble))
    for i, (start, heading) in enumerate(breaks):
        end = breaks[i + 1][0] if i + 1 < len(breaks) else len(lines)
        sections.append(RunbookSection(heading=heading, body=_section_body(lines, start, end, setext_skip).strip()))
    return title, [s for s in sections if s.body or s.heading != OVERVIEW]


def parse_runbook(name: str, text: str, content_type: str | None = None) -> Runbook:
    """`name` is a path such as `kubernetes/KubePodCrashLooping.md`: its folder is the component."""
    kind = content_type_for(name, content_type)
    meta, body = split_front_matter(text)
    html_title = ""
    if kind == "html":
        html_title, body = html_to_markdown(body)
    elif kind == "text":
        body = _text_headings_to_markdown(body)
    doc_heading, sections = split_sections(body)
    path = PurePosixPath(name.replace("\\", "/"))
    alert = str(meta.get("alert") or meta.get("alertname") or path.stem).strip()
    component = str(
        meta.get("component") or (path.parent.name if path.parent.name else DEFAULT_COMPONENT)
    ).strip()
    title = str(meta.get("title") or doc_heading or html_title or humanize_identifier(alert)).strip()
    if not sections:
        sections = [RunbookSection(heading=OVERVIEW, body=title)]
    return Runbook(
        id=f"{component}/{alert}", alert=alert, component=component, title=title, path=name, sections=sections
    )
