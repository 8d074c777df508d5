"""Template mining: a Drain-style fixed-depth grouping over masked tokens, in memory, with no dependencies.

Values are masked before grouping (addresses, paths, ids, numbers all become `<*>`), so two lines of one
template differ only at masked positions or at a few words; a line joins the most similar template of its
length and first word when at least `similarity` of its positions agree, and the differing words become
`<*>`. Identical masked lines are looked up, not mined again, which keeps the common case a dict hit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

WILDCARD = "<*>"
# chosen on the Loghub dev systems (bench/log_parsing.py; 0.5-0.8 recorded in bench/README.md)
SIMILARITY = 0.7
_MASKS = (
    re.compile(r"\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\b"),
    re.compile(r"(?<![\w.])(?:\d{1,3}\.){3}\d{1,3}(?::\d+)?(?![\w.])"),
    # IPv6 (a hex letter or `::` in it, so a clock is not one): 2001:db8::1, fe80::1%eth0, ::ffff:10.0.0.1
    re.compile(r"(?<![\w:.])(?=[0-9a-fA-F:.]*(?:::|[a-fA-F]))[0-9a-fA-F]{0,4}(?::[0-9a-fA-F]{0,4}){2,7}"
               r"(?:\d{1,3}(?:\.\d{1,3}){3})?(?:%\w+)?(?![\w:])"),
    re.compile(r"(?<![\w/])(?:/[\w.\-@:]+){2,}/?"),
    re.compile(r"\b0x[0-9a-fA-F]+\b|\b(?=[0-9a-fA-F]*\d)(?=[0-9a-fA-F]*[a-fA-F])[0-9a-fA-F]{6,}\b"),
    re.compile(r"(?<![A-Za-z0-9])[-+]?\d+(?:\.\d+)*|\d+(?:\.\d+)*"),
)
_SPLIT = re.compile(r"[\s=,:()\[\]{}\"']+")
_ALL_MASKED = re.compile(r"^(?:<\*>|[^\w<>*])+$")


def tokens(message: str) -> tuple[str, ...]:
    masked = message
    for pattern in _MASKS:
        masked = pattern.sub(WILDCARD, masked)
    return tuple(WILDCARD if _ALL_MASKED.match(t) else t for t in _SPLIT.split(masked) if t)


@dataclass
class Template:
    id: int
    tokens: list[str]
    count: int = 0

    @property
    def text(self) -> str:
        return " ".join(self.tokens)


class TemplateMiner:
    def __init__(self, similarity: float = SIMILARITY):
        self.similarity = similarity
        self.templates: list[Template] = []
        self._groups: dict[tuple[int, str], list[Template]] = {}
        self._seen: dict[tuple[str, ...], Template] = {}

    def add(self, message: str) -> int:
        """The id of the template `message` belongs to (a new one when nothing is similar enough)."""
        words = tokens(message)
        template = self._seen.get(words)
        if template is None:
            template = self._match(words)
            self._seen[words] = template
        template.count += 1
        return template.id

    def _match(self, words: tuple[str, ...]) -> Template:
        head = words[0] if words and not any(ch.isdigit() for ch in words[0]) else WILDCARD
        group = self._groups.setdefault((len(words), head), [])
        best, best_score = None, -1.0
        for candidate in group:
            score = _similarity(candidate.tokens, words)
            if score > best_score:
                best, best_score = candidate, score
        if best is not None and best_score >= self.similarity:
            best.tokens = [t if t == w else WILDCARD for t, w in zip(best.tokens, words, strict=True)]
            return best
        template = Template(id=len(self.templates) + 1, tokens=list(words))
        self.templates.append(template)
        group.append(template)
        return template

    def template(self, template_id: int) -> str:
        return self.templates[template_id - 1].text


def _similarity(template: list[str], words: tuple[str, ...]) -> float:
    """The share of the line's words (its masked values aside) that the template has as they are; positions the
    template already left open do not count for it, so a template cannot dissolve into wildcards."""
    constant = same = 0
    for t, w in zip(template, words, strict=True):
        if w == WILDCARD:
            continue
        constant += 1
        same += t == w
    return same / constant if constant else 1.0
