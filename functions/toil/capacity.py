"""The toil report's capacity section: what is trending toward its limit over the report's period, and when it
is projected to run out, as a table (Markdown) and a chart of current use with the projected date (HTML)."""

from __future__ import annotations

from html import escape

from functions._platform.config import Settings
from functions._platform.domains.metrics.source import metrics_configured
from functions._platform.rendering import markdown_text
from functions._platform.telemetry import log
from functions.toil.schema import CapacityItem, ToilReport

NOT_CONFIGURED = "no metrics source is configured (SREO_PROMETHEUS_URL or SREO_METRICS_FILES)"
SOON_DAYS = 7  # a resource projected full within a week is drawn as urgent


def with_capacity(report: ToilReport, settings: Settings) -> ToilReport:
    """The report with the period's capacity forecasts, or a note saying why there are none."""
    if not metrics_configured(settings):
        return report.model_copy(update={"capacity_note": NOT_CONFIGURED})
    from functions._platform.domains.metrics.capacity import capacity_forecasts

    try:
        found = capacity_forecasts(settings, report.period_end - report.period_start, report.period_end)
    except Exception as exc:  # noqa: BLE001 - a metrics outage leaves the toil report without forecasts, not failed
        log.warning("capacity forecasts failed", error=str(exc))
        return report.model_copy(update={"capacity_note": f"capacity forecasts failed: {type(exc).__name__}: {exc}"})
    items = [CapacityItem.model_validate(row) for row in found["forecasts"]]
    return report.model_copy(update={"capacity": items, "capacity_note": None if items else
                                     "no resource with a known limit was found"})


def _full_around(item: CapacityItem) -> str:
    if item.exhausted_at is None:
        return "no upward trend"
    latest = f"{item.latest:%Y-%m-%d %H:%M}" if item.latest else "unbounded"
    earliest = f"{item.earliest:%Y-%m-%d %H:%M}" if item.earliest else "?"
    return f"{item.exhausted_at:%Y-%m-%d %H:%M} ({earliest} .. {latest})"


def markdown_lines(report: ToilReport) -> list[str]:
    lines = ["", "## Capacity", ""]
    if not report.capacity:
        return [*lines, f"_{markdown_text(report.capacity_note or 'no forecast')}_"]
    lines += ["| subject | resource | where | now | per day | full around (UTC, 95% interval) |",
              "|---|---|---|---|---|---|"]
    lines += [f"| {markdown_text(i.subject)} | {markdown_text(i.resource)} | {markdown_text(i.where)} | "
              f"{i.current_utilisation:.0%} | {i.slope_per_day:+.1%} | {_full_around(i)} |" for i in report.capacity]
    return lines


def html_chart(report: ToilReport) -> str:
    """One bar per resource: how full it is now, red when it is projected to run out within a week."""
    if not report.capacity:
        return f"<p class='muted'>{escape(report.capacity_note or 'no forecast')}</p>"
    rows = []
    for item in report.capacity:
        soon = item.exhausted_at is not None and (item.exhausted_at - report.period_end).days < SOON_DAYS
        width = max(0.0, min(item.current_utilisation, 1.0)) * 100
        label = f"{item.subject} {item.resource} ({item.where})"
        rows.append(f"<div class='cap'><span class='what'>{escape(label)}</span>"
                    f"<span class='track'><span class='fill{' soon' if soon else ''}' style='width:{width:.1f}%'>"
                    f"</span></span><span class='when'>{item.current_utilisation:.0%} now · full "
                    f"{escape(_full_around(item))}</span></div>")
    return f"<div class='capacity'>{''.join(rows)}</div>"


CSS = """
.cap{display:flex;align-items:center;gap:.6rem;margin:.25rem 0}.cap .what{flex:0 0 22rem}
.cap .track{flex:1;height:12px;background:#eef0f4;border-radius:3px}.cap .fill{display:block;height:100%;
background:#9db4e8;border-radius:3px}.cap .fill.soon{background:#d8453d}.cap .when{flex:0 0 24rem;color:#444}
"""
