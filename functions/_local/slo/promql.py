"""Prometheus text conventions shared by every rule generator: durations, numbers, label filters."""

from __future__ import annotations

import re
from decimal import Decimal

_DURATION_RE = re.compile(r"^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$")
_UNIT_SECONDS = (("y", 365 * 86400), ("w", 7 * 86400), ("d", 86400), ("h", 3600), ("m", 60), ("s", 1))
_LABEL_NAME_RE = re.compile(r"^[a-zA-Z_][a-zA-Z0-9_]*$")
_WINDOW_VAR_RE = re.compile(r"\{\{-?\s*\.window\s*-?\}\}")
_ANY_TEMPLATE_RE = re.compile(r"\{\{.*?\}\}", re.DOTALL)


class TemplateError(ValueError):
    """An SLI query uses template syntax other than `{{.window}}`."""


def parse_duration(text: str) -> int:
    """Prometheus duration (`30d`, `1h30m`, `4w`) to whole seconds."""
    match = _DURATION_RE.match(text.strip())
    if not text.strip() or match is None or not any(match.groups()):
        raise ValueError(f"invalid duration {text!r}: expected Prometheus format like 5m, 1h, 30d")
    years, weeks, days, hours, minutes, seconds, millis = (int(g) if g else 0 for g in match.groups())
    if millis:
        raise ValueError(f"invalid duration {text!r}: sub-second durations are not supported")
    total = (years * 365 + weeks * 7 + days) * 86400 + hours * 3600 + minutes * 60 + seconds
    if total <= 0:
        raise ValueError(f"invalid duration {text!r}: must be positive")
    return total


def format_duration(seconds: int) -> str:
    """Seconds to Prometheus' canonical duration string: years and weeks only when exact (`4w`, `30d`, `1h30m`)."""
    if seconds <= 0:
        return "0s"
    out = ""
    remaining = seconds
    for unit, size in _UNIT_SECONDS:
        if unit in ("y", "w") and remaining % size != 0:
            continue
        count, remaining = divmod(remaining, size)
        if count:
            out += f"{count}{unit}"
    return out


def go_float(value: float) -> str:
    """Format like Go's `%g`/`%v` with shortest precision (`14.4`, `6`, `0.0009999999999999432`, `1e-05`)."""
    if value == 0:
        return "0"
    digits = Decimal(repr(float(value))).normalize()
    sign, mantissa, exponent = digits.as_tuple()
    mantissa_text = "".join(str(d) for d in mantissa)
    decimal_exp = len(mantissa_text) + exponent - 1
    prefix = "-" if sign else ""
    if decimal_exp < -4 or decimal_exp >= 6:
        head, tail = mantissa_text[0], mantissa_text[1:]
        body = f"{head}.{tail}" if tail else head
        return f"{prefix}{body}e{'-' if decimal_exp < 0 else '+'}{abs(decimal_exp):02d}"
    return prefix + format(abs(Decimal(repr(float(value)))).normalize(), "f")


def go_float_fixed(value: float) -> str:
    """Format like Go's `strconv.FormatFloat(v, 'f', -1, 64)` (`99.9`, `90`)."""
    return format(Decimal(repr(float(value))).normalize(), "f")


def label_filter(labels: dict[str, str]) -> str:
    """`{a="1", b="2"}` with keys sorted, the selector form every generated rule uses."""
    inner = ", ".join(f'{key}="{_escape(labels[key])}"' for key in sorted(labels))
    return "{" + inner + "}"


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def render_window(query: str, window: str) -> str:
    """Replace `{{.window}}` in an SLI query; any other template action is an error."""
    rendered = _WINDOW_VAR_RE.sub(window, query)
    leftover = _ANY_TEMPLATE_RE.search(rendered)
    if leftover:
        raise TemplateError(f"unsupported template action {leftover.group(0)!r}: only {{{{.window}}}} is allowed")
    return rendered


def has_window_var(query: str) -> bool:
    return _WINDOW_VAR_RE.search(query) is not None


def is_valid_label_name(name: str) -> bool:
    return bool(_LABEL_NAME_RE.match(name))


def merge_labels(*maps: dict[str, str] | None) -> dict[str, str]:
    """Later maps win, like Sloth's MergeLabels."""
    merged: dict[str, str] = {}
    for mapping in maps:
        if mapping:
            merged.update(mapping)
    return merged
