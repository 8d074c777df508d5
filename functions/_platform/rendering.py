"""One way to turn a typed document into text: a registry of formats, each a media type and a render function.

A function registers the formats of its own document (the incident report, the toil report) and every surface
(REST, CLI, notifications) asks the same registry, so a format exists everywhere or nowhere."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

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

    def response(self, document: Document, status: int = 200) -> HttpResponse:
        """The document in this format as an HTTP answer (JSON as data, so in-process callers read a value)."""
        if self.data is not None:
            return HttpResponse(status, self.data(document), content_type=self.media_type, headers=dict(self.headers))
        return HttpResponse(status, self.render(document), content_type=self.media_type, headers=dict(self.headers))


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
