"""Inline SVG charts drawn on the server: no script, no network. A series with its baseline band and onset."""

from __future__ import annotations

from datetime import UTC, datetime
from html import escape
from typing import Any

WIDTH, HEIGHT, PAD = 640, 160, 28


def _seconds(value: Any) -> float | None:
    if isinstance(value, int | float):
        return float(value)
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError:
        return None
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).timestamp()


def points_of(evidence: dict[str, Any]) -> list[tuple[float, float]]:
    """`points` as [[time, value], ...] (Unix seconds or ISO times), as analyzers may attach them."""
    found = []
    for item in evidence.get("points") or []:
        if isinstance(item, list | tuple) and len(item) == 2:
            at, value = _seconds(item[0]), item[1]
            if at is not None and isinstance(value, int | float):
                found.append((at, float(value)))
    return sorted(found)


def series_chart(title: str, points: list[tuple[float, float]], onset: Any = None,
                 baseline: tuple[float, float] | None = None) -> str:
    """An SVG line chart; the baseline band (low, high) shaded, the onset a dashed line."""
    if len(points) < 2:
        return ""
    t0, t1 = points[0][0], points[-1][0]
    values = [v for _, v in points] + (list(baseline) if baseline else [])
    low, high = min(values), max(values)
    span_t, span_v = (t1 - t0) or 1.0, (high - low) or 1.0

    def x(t: float) -> float:
        return PAD + (t - t0) / span_t * (WIDTH - 2 * PAD)

    def y(v: float) -> float:
        return HEIGHT - PAD - (v - low) / span_v * (HEIGHT - 2 * PAD)

    parts = [(f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" '
             f'role="img" aria-label="{escape(title, quote=True)}"><title>{escape(title)}</title>'),
             f'<rect x="0" y="0" width="{WIDTH}" height="{HEIGHT}" fill="#fff"/>']
    if baseline:
        top, bottom = y(max(baseline)), y(min(baseline))
        parts.append(f'<rect class="baseline" x="{PAD}" y="{top:.1f}" width="{WIDTH - 2 * PAD}" '
                     f'height="{max(1.0, bottom - top):.1f}" fill="#dfe8f5"/>')
    line = " ".join(f"{x(t):.1f},{y(v):.1f}" for t, v in points)
    parts.append(f'<polyline class="series" points="{line}" fill="none" stroke="#c0392b" stroke-width="2"/>')
    at = _seconds(onset) if onset is not None else None
    if at is not None and t0 <= at <= t1:
        parts.append(f'<line class="onset" x1="{x(at):.1f}" x2="{x(at):.1f}" y1="{PAD / 2}" y2="{HEIGHT - PAD}" '
                     f'stroke="#1d2330" stroke-dasharray="4 3"/><text x="{x(at) + 4:.1f}" y="{PAD - 4}" '
                     f'font-size="11">onset</text>')
    parts.append(f'<text x="{PAD}" y="{HEIGHT - 8}" font-size="11">{escape(_clock(t0))}</text>'
                 f'<text x="{WIDTH - PAD}" y="{HEIGHT - 8}" font-size="11" text-anchor="end">'
                 f'{escape(_clock(t1))}</text><text x="4" y="{PAD}" font-size="11">{high:.3g}</text>'
                 f'<text x="4" y="{HEIGHT - PAD}" font-size="11">{low:.3g}</text></svg>')
    return "".join(parts)


def _clock(seconds: float) -> str:
    return datetime.fromtimestamp(seconds, UTC).strftime("%H:%M UTC")


def cause_charts(cause: dict[str, Any], limit: int = 2) -> list[str]:
    """Charts of the series behind a cause, for the findings whose evidence carries points."""
    charts = []
    for finding in cause.get("evidence", []):
        evidence = finding.get("evidence") or {}
        points = points_of(evidence)
        if len(points) < 2:
            continue
        band = evidence.get("baseline_band")
        baseline = (float(band[0]), float(band[1])) if isinstance(band, list | tuple) and len(band) == 2 else None
        charts.append(series_chart(f"{finding['subject']}: {finding['summary']}", points, finding.get("onset"),
                                   baseline))
        if len(charts) >= limit:
            break
    return charts
