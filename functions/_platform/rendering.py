"""One way to turn a typed document into text: a registry of formats, each a media type and a render function.

A function registers the formats of its own document (the incident report, the toil report) and every surface
(REST, CLI, notifications) asks the same registry, so a format exists everywhere or nowhere."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar
from urllib.parse import quote, urlsplit

from functions._platform.httpapi import HttpResponse

Document = TypeVar("Document")

JSON = "application/json"
MARKDOWN = "text/markdown; charset=utf-8"
HTML = "text/html; charset=utf-8"
TEXT = "text/plain; charset=utf-8"


class UnknownFormat(ValueError):
    """A format name no renderer answers to."""


@dataclass(frozen=True)
class Format(Generic[Document]):
    name: str
    media_type: str
    render: Callable[[Document], str]
    aliases: tuple[str, ...] = ()
    headers: dict[str, str] = field(default_factory=dict)
    data: Callable[[Document], Any] | None = None  # a JSON format's value, for callers that want data not text

    def value(self, document: Document) -> Any:
        """The document as data for a JSON format, else as its text."""
        return self.data(document) if self.data is not None else self.render(document)

    def response(self, document: Document, status: int = 200) -> HttpResponse:
        """The document in this format as an HTTP answer (JSON as data, so in-process callers read a value)."""
        return HttpResponse(status, self.value(document), content_type=self.media_type, headers=dict(self.headers))


class Renderers(Generic[Document]):
    """Format name (or alias) -> how to render a document in it."""

    def __init__(self, formats: Iterable[Format[Document]] = ()):
        self._formats: dict[str, Format[Document]] = {}
        self._names: dict[str, str] = {}
        for fmt in formats:
            self.register(fmt)

    def register(self, fmt: Format[Document]) -> None:
        for name in (fmt.name, *fmt.aliases):
            if name in self._names:
                raise ValueError(f"format {name!r} is registered twice")
            self._names[name] = fmt.name
        self._formats[fmt.name] = fmt

    def names(self, aliases: bool = True) -> list[str]:
        """Every name a caller may ask for, canonical names first in registration order."""
        return list(self._names) if aliases else list(self._formats)

    def get(self, name: str) -> Format[Document]:
        try:
            return self._formats[self._names[name]]
        except KeyError:
            raise UnknownFormat(f"format must be one of {', '.join(self._names)}") from None

    def canonical(self, name: str) -> str:
        return self.get(name).name

    def render(self, name: str, document: Document) -> str:
        return self.get(name).render(document)


# Text that came from outside (log lines, Kubernetes messages, alert annotations, what a user typed) is shown
# inert: no markup, no links, no terminal control sequences, and no line breaks that would end a list or table.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_MARKDOWN_INLINE = re.compile(r"([\\`*\[\]<|~&]|(?<![^\W_])_|_(?![^\W_]))")  # `<` opens a tag; `_` between letters opens nothing
_MARKDOWN_BLOCK_START = re.compile(r"^(#|=|\+|-|>|\d+[.)])")
_AUTOLINK_START = re.compile(r"(?i)(?<=[a-z]:)/|(?<=\bwww)\.|@(?=[\w-]+\.)")  # what GFM, Teams and chat clients
# turn into links unasked: `scheme://`, `www.`, `user@host.tld`
_URL_UNSAFE = re.compile(r"[\x00-\x20\x7f]")
_SAFE_SCHEMES = ("http", "https")


def plain_text(value: object) -> str:
    """One line of text with control characters (ANSI escapes included) removed and whitespace collapsed."""
    return " ".join(_CONTROL.sub(" ", "" if value is None else str(value)).split())


def markdown_text(value: object) -> str:
    """`plain_text` with the characters that open Markdown markup (emphasis, code, links, HTML, tables), a leading
    block marker and the start of a bare URL, `www.` host or e-mail address backslash-escaped, so it renders as
    itself wherever it is placed and is not turned into a link by renderers that link bare addresses."""
    escaped = _MARKDOWN_INLINE.sub(r"\\\1", plain_text(value))
    escaped = _AUTOLINK_START.sub(lambda m: "\\" + m.group(0), escaped)
    return _MARKDOWN_BLOCK_START.sub(lambda m: m.group(1)[:-1] + "\\" + m.group(1)[-1], escaped)


def safe_url(url: str | None) -> str | None:
    """The URL when it is http(s) or relative (no scheme hidden behind whitespace or control characters)."""
    if not url:
        return None
    cleaned = _URL_UNSAFE.sub("", str(url))
    scheme = urlsplit(cleaned).scheme.lower()
    if scheme:
        return cleaned if scheme in _SAFE_SCHEMES else None
    head = re.split(r"[/?#]", cleaned, maxsplit=1)[0]
    return cleaned if ":" not in head and cleaned else None


def markdown_url(url: str | None) -> str | None:
    """A link target for Markdown: `safe_url`, with the characters that would end the target percent-encoded."""
    safe = safe_url(url)
    return quote(safe, safe="/:?#[]@!$&'*+,;=%~.-_") if safe else None


def slack_text(value: object) -> str:
    """`plain_text` for Slack's mrkdwn: `&`, `<` and `>` escaped, so no link, mention (`<!channel>`) or
    formatting token can come from the text itself."""
    return plain_text(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
