"""Render a toil report as Markdown or as one self-contained HTML page (inline CSS, no external assets).

Both renderings come from the same list of tables, so they never disagree."""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape

from functions._platform.rendering import HTML, JSON, MARKDOWN, Format, Renderers, markdown_text
from functions.toil import capacity
from functions.toil.schema import ToilReport


@dataclass
class Table:
    title: str
    headers: list[str]
    rows: list[list[str]]
    empty: str = "none"


def _duration(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    if seconds < 120:
        return f"{seconds:.0f} s"
    return f"{seconds / 60:.1f} min" if seconds < 7200 else f"{seconds / 3600:.1f} h"


def tables(report: ToilReport) -> list[Table]:
    ttr = report.time_to_report
    return [
        Table("Where on-call time goes", ["raised by", "incidents", "share", "pages", "night pages", "open h"],
              [[i.alertname, str(i.episodes), f"{i.share:.0%}", str(i.pages), str(i.night_pages),
                f"{i.open_hours:.1f}"] for i in report.on_call]),
        Table("Incidents per service", ["service", "incidents", "critical", "warning", "info", "night pages",
                                        "open h"],
              [[s.service, str(s.incidents), *(str(s.by_severity.get(k, 0)) for k in ("critical", "warning", "info")),
                str(s.night_pages), f"{s.open_hours:.1f}"] for s in report.services]),
        Table("Alert volume and noise", ["alert", "episodes", "notifications", "auto-resolved", "flaps",
                                         "no cause", "night pages", "noisy"],
              [[a.alertname, str(a.episodes), str(a.notifications), str(a.auto_resolved), str(a.flaps),
                str(a.without_cause), str(a.night_pages), "yes" if a.noisy else ""] for a in report.alerts]),
        Table("Time to report", ["reported", "not reported", "p50", "p90", "max"],
              [[str(ttr.reported), str(ttr.unreported), _duration(ttr.p50_s), _duration(ttr.p90_s),
                _duration(ttr.max_s)]]),
        Table("Top recurring causes", ["component", "kind", "incidents", "services", "last seen"],
              [[c.component, c.kind, str(c.incidents), ", ".join(c.services), f"{c.last_seen:%Y-%m-%d %H:%M}"]
               for c in report.recurring_causes]),
        Table("Domains that failed", ["domain", "investigations", "errors", "never answered", "no data",
                                      "failure rate", "last error"],
              [[d.domain, str(d.requested), str(d.errors), str(d.missing), str(d.no_data), f"{d.failure_rate:.0%}",
                (d.last_error or "")[:120]] for d in report.domains]),
    ]


def _title(report: ToilReport) -> str:
    return f"Toil report {report.period_start:%Y-%m-%d %H:%M} to {report.period_end:%Y-%m-%d %H:%M} UTC"


def _md_cell(text: str) -> str:
    return markdown_text(text)


def markdown(report: ToilReport) -> str:
    lines = [f"# {_title(report)}", "", report.summary, "", "## Suggestions", ""]
    lines += [f"{n}. {s.text}" for n, s in enumerate(report.suggestions, 1)] or ["No changes suggested."]
    for table in tables(report):
        lines += ["", f"## {table.title}", ""]
        if not table.rows:
            lines.append(f"_{table.empty}_")
            continue
        lines.append("| " + " | ".join(table.headers) + " |")
        lines.append("|" + "---|" * len(table.headers))
        lines += ["| " + " | ".join(_md_cell(cell) for cell in row) + " |" for row in table.rows]
    tod = report.time_of_day
    lines += ["", f"## Time of day ({tod.timezone})", "",
              f"{tod.night_pages} night page(s), {tod.weekend_pages} weekend page(s).", "",
              "| hour | incidents | pages |", "|---|---|---|"]
    lines += [f"| {h:02d} | {n} | {p} |" for h, (n, p) in enumerate(zip(tod.by_hour, tod.pages_by_hour, strict=True))
              if n or p]
    lines += capacity.markdown_lines(report)
    lines += ["", f"_Generated {report.generated_at:%Y-%m-%d %H:%M} UTC._", ""]
    return "\n".join(lines)


CSS = """
body{font:14px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:72rem;color:#1d2330;padding:0 1rem}
h1{font-size:1.5rem}h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #dde1e8}
table{border-collapse:collapse;width:100%}th,td{padding:.3rem .6rem;text-align:left;border-bottom:1px solid #eef0f4}
th{background:#f5f6f9}td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
.summary{background:#f5f8ff;border-left:4px solid #3d6fd8;padding:.6rem 1rem}
.chart{display:flex;align-items:flex-end;gap:3px;height:120px;margin-top:.5rem}
.bar{flex:1;background:#9db4e8;position:relative}.bar .p{position:absolute;bottom:0;width:100%;background:#d8453d}
.hours{display:flex;gap:3px;font-size:10px;color:#666}.hours span{flex:1;text-align:center}
.night{background:#eceef7}.muted{color:#777}
"""


def _html_table(table: Table) -> str:
    if not table.rows:
        return f"<p class='muted'>{escape(table.empty)}</p>"
    def is_number(text: str) -> bool:
        return text.replace(".", "").replace("%", "").replace(" ", "").isdigit()

    # a column is aligned as a whole, header included, so each number sits under its own header
    numeric = [all(is_number(row[i]) or not row[i] for row in table.rows) for i in range(len(table.headers))]
    head = "".join(f"<th class='n'>{escape(h)}</th>" if numeric[i] else f"<th>{escape(h)}</th>"
                   for i, h in enumerate(table.headers))

    def cell(i: int, text: str) -> str:
        return f"<td class='n'>{escape(text)}</td>" if numeric[i] else f"<td>{escape(text)}</td>"

    body = "".join("<tr>" + "".join(cell(i, c) for i, c in enumerate(row)) + "</tr>" for row in table.rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _html_chart(report: ToilReport) -> str:
    tod, o = report.time_of_day, report.options
    peak = max(tod.by_hour) or 1
    bars, labels = [], []
    for hour, (count, pages) in enumerate(zip(tod.by_hour, tod.pages_by_hour, strict=True)):
        height, page_height = 100 * count / peak, 100 * pages / max(count, 1)
        night = o.is_night_hour(hour)
        bars.append(f"<div class='bar' style='height:{height:.1f}%' title='{hour:02d}:00 {count} incident(s), "
                    f"{pages} page(s)'><div class='p' style='height:{page_height:.1f}%'></div></div>")
        labels.append(f"<span class='{'night' if night else ''}'>{hour:02d}</span>")
    return (f"<p>{tod.night_pages} night page(s), {tod.weekend_pages} weekend page(s). Red: pages; "
            f"shaded hours are night ({escape(tod.timezone)}).</p>"
            f"<div class='chart'>{''.join(bars)}</div><div class='hours'>{''.join(labels)}</div>")


def _inline_code(escaped: str) -> str:
    return re.sub(r"`([^`]+)`", r"<code>\1</code>", escaped)


def html(report: ToilReport) -> str:
    title = escape(_title(report))
    suggestions = "".join(f"<li>{_inline_code(escape(s.text))}</li>" for s in report.suggestions)
    parts = [(f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>{title}</title>"
             f"<style>{CSS}{capacity.CSS}</style></head><body><h1>{title}</h1>"),
             f"<p class='summary'>{escape(report.summary)}</p><h2>Suggestions</h2>",
             f"<ol>{suggestions}</ol>" if suggestions else "<p class='muted'>No changes suggested.</p>"]
    parts += [f"<h2>{escape(t.title)}</h2>{_html_table(t)}" for t in tables(report)]
    parts.append(f"<h2>Time of day</h2>{_html_chart(report)}")
    parts.append(f"<h2>Capacity</h2>{capacity.html_chart(report)}")
    parts.append(f"<p class='muted'>Generated {report.generated_at:%Y-%m-%d %H:%M} UTC.</p></body></html>")
    return "".join(parts)


def as_json(report: ToilReport) -> str:
    return report.model_dump_json(indent=2)


RENDERERS: Renderers[ToilReport] = Renderers([
    Format("json", JSON, as_json, data=lambda report: report.model_dump(mode="json")),
    Format("markdown", MARKDOWN, markdown, aliases=("md",)),
    Format("html", HTML, html),
])


def render(report: ToilReport, fmt: str) -> str:
    return RENDERERS.render(fmt, report)
