"""Series selectors (`name{label="v", other=~"re.*"}`): the one query shape the offline provider understands."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_MATCHER = re.compile(r'\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*"((?:[^"\\]|\\.)*)"\s*(,|$)')
_NAME = re.compile(r"[a-zA-Z_:][a-zA-Z0-9_:]*")


@dataclass(frozen=True)
class Matcher:
    label: str
    op: str  # one of = != =~ !~
    value: str

    def matches(self, labels: dict[str, str]) -> bool:
        actual = labels.get(self.label, "")
        if self.op == "=":
            return actual == self.value
        if self.op == "!=":
            return actual != self.value
        hit = re.fullmatch(self.value, actual) is not None  # Prometheus anchors regexes
        return hit if self.op == "=~" else not hit

    def render(self) -> str:
        escaped = self.value.replace("\\", "\\\\").replace('"', '\\"')
        return f'{self.label}{self.op}"{escaped}"'


@dataclass(frozen=True)
class Selector:
    matchers: tuple[Matcher, ...] = field(default_factory=tuple)

    @property
    def metric(self) -> str | None:
        for matcher in self.matchers:
            if matcher.label == "__name__" and matcher.op == "=":
                return matcher.value
        return None

    def matches(self, labels: dict[str, str]) -> bool:
        return all(matcher.matches(labels) for matcher in self.matchers)

    def render(self) -> str:
        name = self.metric
        rest = [m for m in self.matchers if not (m.label == "__name__" and m.op == "=")]
        return f"{name or ''}{{{', '.join(m.render() for m in rest)}}}"


class UnsupportedQuery(ValueError):
    """The offline provider got something other than a plain series selector."""


def parse_selector(text: str) -> Selector:
    """Parse `metric{a="b", c!~"x|y"}`, `metric` or `{__name__="metric", ...}`; anything else is refused."""
    text = text.strip()
    name_match = _NAME.match(text)
    matchers: list[Matcher] = []
    rest = text
    if name_match:
        matchers.append(Matcher("__name__", "=", name_match.group(0)))
        rest = text[name_match.end():].strip()
    if rest:
        if not (rest.startswith("{") and rest.endswith("}")):
            raise UnsupportedQuery(
                f"offline metrics accept only series selectors like name{{label=\"value\"}}, not {text!r}"
            )
        body = rest[1:-1].strip()
        position = 0
        while position < len(body):
            found = _MATCHER.match(body, position)
            if not found:
                raise UnsupportedQuery(f"cannot parse label matchers in {text!r}")
            label, op, raw, _ = found.groups()
            value = re.sub(r"\\(.)", r"\1", raw)
            matchers.append(Matcher(label, op, value))
            position = found.end()
    if not matchers:
        raise UnsupportedQuery("empty selector")
    return Selector(tuple(matchers))


def build_selector(metric: str, matchers: list[tuple[str, str, str]] | None = None) -> str:
    """`build_selector("up", [("job", "=", "api")])` -> `up{job="api"}`."""
    parts = [Matcher(label, op, value).render() for label, op, value in matchers or []]
    return f"{metric}{{{', '.join(parts)}}}" if parts else metric
