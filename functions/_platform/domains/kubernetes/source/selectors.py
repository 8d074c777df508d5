"""Kubernetes label selectors (`app=web,tier!=db,env in (a,b),!canary,track`) evaluated locally."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

_SET_TERM = re.compile(r"^\s*(!?)([\w./-]+)\s+(in|notin)\s+\(([^)]*)\)\s*$")
_EQ_TERM = re.compile(r"^\s*([\w./-]+)\s*(==|=|!=)\s*([\w./-]*)\s*$")
_EXISTS_TERM = re.compile(r"^\s*(!?)([\w./-]+)\s*$")

Matcher = Callable[[Mapping[str, str]], bool]


def _split_terms(selector: str) -> list[str]:
    terms, depth, current = [], 0, ""
    for char in selector:
        depth += char == "("
        depth -= char == ")"
        if char == "," and depth == 0:
            terms.append(current)
            current = ""
        else:
            current += char
    terms.append(current)
    return [term for term in terms if term.strip()]


def _term_matcher(term: str) -> Matcher:
    if match := _SET_TERM.match(term):
        _, key, operator, raw_values = match.groups()
        values = {value.strip() for value in raw_values.split(",") if value.strip()}
        if operator == "in":
            return lambda labels: labels.get(key) in values
        return lambda labels: labels.get(key) not in values
    if match := _EQ_TERM.match(term):
        key, operator, value = match.groups()
        if operator == "!=":
            return lambda labels: labels.get(key) != value
        return lambda labels: labels.get(key) == value
    if match := _EXISTS_TERM.match(term):
        negated, key = match.groups()
        return (lambda labels: key not in labels) if negated else (lambda labels: key in labels)
    raise ValueError(f"invalid label selector term {term!r}")


def parse_selector(selector: str | None) -> Matcher:
    """Compile a selector string; an empty selector matches everything."""
    matchers = [_term_matcher(term) for term in _split_terms(selector or "")]
    return lambda labels: all(matcher(labels or {}) for matcher in matchers)


def matches_map(selector: Mapping[str, str] | None, labels: Mapping[str, str] | None) -> bool:
    """A Service-style equality selector (a dict). An empty or absent selector selects nothing."""
    if not selector:
        return False
    labels = labels or {}
    return all(labels.get(key) == value for key, value in selector.items())
