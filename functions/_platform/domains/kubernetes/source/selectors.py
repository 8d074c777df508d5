"""Kubernetes label selectors (`app=web,tier!=db,env in (a,b),!canary,track`) evaluated locally."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

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


def _expression_holds(expression: Mapping[str, Any], labels: Mapping[str, str]) -> bool:
    key, operator = str(expression.get("key", "")), expression.get("operator")
    values = {str(value) for value in expression.get("values") or []}
    if operator == "In":
        return key in labels and labels[key] in values
    if operator == "NotIn":
        return key not in labels or labels[key] not in values
    if operator == "Exists":
        return key in labels
    if operator == "DoesNotExist":
        return key not in labels
    return False  # an operator the API would have refused


def matches_label_selector(selector: Mapping[str, Any] | None, labels: Mapping[str, str] | None) -> bool:
    """A `metav1.LabelSelector` (`matchLabels` and `matchExpressions`, all must hold): the empty selector `{}`
    selects everything, an absent one (None) nothing."""
    if selector is None:
        return False
    labels = labels or {}
    match_labels = selector.get("matchLabels") or {}
    if any(labels.get(str(key)) != str(value) for key, value in match_labels.items()):
        return False
    return all(_expression_holds(expression, labels) for expression in selector.get("matchExpressions") or [])


def selector_keys(selector: Mapping[str, Any] | None) -> set[str]:
    """The label keys a LabelSelector reads."""
    selector = selector or {}
    keys = {str(key) for key in selector.get("matchLabels") or {}}
    return keys | {str(e.get("key", "")) for e in selector.get("matchExpressions") or []}
