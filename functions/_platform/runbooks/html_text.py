"""HTML runbooks to Markdown-like text: headings become `#` lines, block elements become lines."""

from __future__ import annotations

from html.parser import HTMLParser

_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
_BLOCKS = {"p", "div", "li", "tr", "br", "pre", "section", "article", "ul", "ol", "table", "blockquote"}
_SKIPPED = {"script", "style", "head", "nav", "footer"}


class _Converter(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.current: list[str] = []
        self.skip_depth = 0
        self.title_parts: list[str] = []
        self.in_title = False

    def _flush(self, prefix: str = "") -> None:
        text = " ".join("".join(self.current).split())
        if text:
            self.lines.append(prefix + text)
        self.current = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "title":
            self.in_title = True
        elif tag in _SKIPPED:
            self.skip_depth += 1
        elif tag in _HEADINGS or tag in _BLOCKS:
            self._flush()

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self.in_title = False
        elif tag in _SKIPPED:
            self.skip_depth = max(0, self.skip_depth - 1)
        elif tag in _HEADINGS:
            self._flush("#" * _HEADINGS[tag] + " ")
            self.lines.append("")
        elif tag in _BLOCKS:
            self._flush()

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title_parts.append(data)
        elif not self.skip_depth:
            self.current.append(data)


def html_to_markdown(html: str) -> tuple[str, str]:
    """Returns (document title from <title>, text with Markdown headings)."""
    converter = _Converter()
    converter.feed(html)
    converter.close()
    converter._flush()
    return " ".join("".join(converter.title_parts).split()), "\n".join(converter.lines)
