"""The pure core over hand-made facts: edges of night, flaps, percentiles, noise and the renderings."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from pydantic import ValidationError

from functions.toil.collect import AlertFact, DomainFact, IncidentFact
from functions.toil.measure import compute, percentile
from functions.toil.render import html, markdown, render
from functions.toil.schema import ToilOptions

END = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
START = END - timedelta(days=7)


def fact(started: datetime, *, alert: str = "A", fingerprint: str | None = None, severity: str = "warning",
         resolved_after: timedelta | None = None, causes: list[tuple[str, str]] | None = None, count: int = 1,
         reported_after: timedelta | None = timedelta(minutes=1), service: str | None = "svc",
         domains: list[DomainFact] | None = None) -> IncidentFact:
    return IncidentFact(
        id=f"inc-{started:%d%H%M%S}-{alert}", service=service, severity=severity, source="alertmanager",
        started_at=started, created_at=started,
        reported_at=started + reported_after if reported_after is not None else None,
        resolved_at=started + resolved_after if resolved_after is not None else None,
        alerts=[AlertFact(alert, fingerprint or f"fp-{alert}-{started:%d%H%M}", "firing", count)],
        causes=causes, domains=domains or [])


def test_empty_week() -> None:
    report = compute([], START, END)
    assert report.totals.incidents == 0
    assert report.time_to_report.p50_s is None
    assert report.suggestions == []
    assert "No incidents" in markdown(report)


@pytest.mark.parametrize(("hour", "night"), [(21, False), (22, True), (0, True), (6, True), (7, False), (12, False)])
def test_night_window_wraps_midnight(hour: int, night: bool) -> None:
    page = fact(END.replace(hour=hour) - timedelta(days=1), severity="critical")
    assert compute([page], START, END).totals.night_pages == int(night)


def test_a_day_window_that_does_not_wrap() -> None:
    options = ToilOptions(night_start_hour=1, night_end_hour=5)
    pages = [fact(END.replace(hour=h) - timedelta(days=1), severity="critical", alert=f"A{h}") for h in (0, 1, 4, 5)]
    assert compute(pages, START, END, options).totals.night_pages == 2


def test_only_critical_incidents_are_pages() -> None:
    at = END.replace(hour=3) - timedelta(days=1)
    report = compute([fact(at, severity="warning"), fact(at, severity="info", alert="B")], START, END)
    assert report.totals.pages == 0 and report.totals.night_pages == 0
    assert report.time_of_day.by_hour[3] == 2


def test_weekend_pages() -> None:
    saturday = datetime(2026, 5, 30, 12, 0, tzinfo=UTC)
    assert compute([fact(saturday, severity="critical")], START, END).time_of_day.weekend_pages == 1


def test_flap_needs_a_resolution_followed_by_a_refire_within_the_window() -> None:
    t0 = END - timedelta(days=2)
    resolved = timedelta(minutes=30)
    episodes = [fact(t0, fingerprint="fp", resolved_after=resolved),
                fact(t0 + timedelta(minutes=50), fingerprint="fp", resolved_after=resolved),  # 20 min after: flap
                fact(t0 + timedelta(hours=3), fingerprint="fp", resolved_after=resolved)]  # 100 min after: none
    report = compute(episodes, START, END)
    assert report.alerts[0].flaps == 1
    assert compute(episodes, START, END, ToilOptions(flap_window_minutes=120)).alerts[0].flaps == 2


def test_other_fingerprints_do_not_flap_together() -> None:
    t0 = END - timedelta(days=2)
    episodes = [fact(t0, fingerprint="x", resolved_after=timedelta(minutes=1)),
                fact(t0 + timedelta(minutes=5), fingerprint="y", resolved_after=timedelta(minutes=1))]
    assert compute(episodes, START, END).alerts[0].flaps == 0


def test_auto_resolved_threshold_is_an_option() -> None:
    episodes = [fact(END - timedelta(days=d), resolved_after=timedelta(minutes=12)) for d in (1, 2, 3)]
    assert compute(episodes, START, END).alerts[0].auto_resolved == 3
    report = compute(episodes, START, END, ToilOptions(auto_resolve_minutes=10))
    assert report.alerts[0].auto_resolved == 0
    assert not any(s.rule == "auto_resolving" for s in report.suggestions)


def test_causeless_alert_pattern_is_suggested() -> None:
    episodes = [fact(END - timedelta(days=d), causes=[]) for d in (1, 2, 3)]
    episodes.append(fact(END - timedelta(days=4), causes=None, reported_after=None))  # never reported: unknown
    report = compute(episodes, START, END)
    assert report.alerts[0].without_cause == 3
    assert any(s.rule == "no_cause" and "3 of 4" in s.text for s in report.suggestions)


def test_recurring_cause_counts_the_top_cause_only() -> None:
    causes = [("db", "locks"), ("api", "errors")]
    episodes = [fact(END - timedelta(days=d), causes=causes, alert=f"A{d}") for d in (1, 2, 3)]
    report = compute(episodes, START, END)
    assert [(c.component, c.incidents) for c in report.recurring_causes] == [("db", 3)]
    assert any(s.rule == "recurring_cause" and s.subject == "db/locks" for s in report.suggestions)


def test_slow_reports_are_suggested() -> None:
    episodes = [fact(END - timedelta(days=d), reported_after=timedelta(minutes=9), alert=f"A{d}") for d in (1, 2, 3)]
    report = compute(episodes, START, END)
    assert report.time_to_report.p90_s == pytest.approx(540)
    assert any(s.rule == "slow_reports" for s in report.suggestions)


def test_silent_domain_is_missing_only_once_reported() -> None:
    silent = [DomainFact("logs", "requested")]
    report = compute([fact(END - timedelta(days=1), domains=silent),
                      fact(END - timedelta(hours=1), domains=silent, reported_after=None, alert="B")], START, END)
    assert [(d.domain, d.requested, d.missing) for d in report.domains] == [("logs", 1, 1)]


@pytest.mark.parametrize(("values", "q", "expected"), [([], 50, None), ([5.0], 90, 5.0), ([1.0, 2.0, 3.0, 4.0], 50, 2.0),
                                                       ([float(v) for v in range(1, 11)], 90, 9.0)])
def test_nearest_rank_percentile(values: list[float], q: float, expected: float | None) -> None:
    assert percentile(values, q) == expected


def test_options_are_validated() -> None:
    with pytest.raises(ValidationError):
        ToilOptions(timezone="Nowhere/Special")
    with pytest.raises(ValidationError):
        ToilOptions(night_start_hour=24)


def test_html_is_self_contained_and_escaped() -> None:
    report = compute([fact(END - timedelta(days=1), alert="<script>alert(1)</script>", severity="critical")],
                     START, END)
    page = html(report)
    assert page.startswith("<!DOCTYPE html>") and page.endswith("</html>")
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert not re.search(r"(src|href)\s*=\s*['\"]?(https?:)?//", page)  # no external assets
    assert "<style>" in page


def test_markdown_escapes_pipes_in_cells() -> None:
    report = compute([fact(END - timedelta(days=1), alert="a|b")], START, END)
    assert "a\\|b" in markdown(report)


def test_render_formats() -> None:
    report = compute([fact(END - timedelta(days=1))], START, END)
    assert render(report, "json").startswith("{")
    assert render(report, "md") == render(report, "markdown")
    with pytest.raises(ValueError):
        render(report, "pdf")


def test_suggestions_are_capped_heaviest_first() -> None:
    episodes = [fact(END - timedelta(days=1, minutes=m), alert=f"A{n}", resolved_after=timedelta(minutes=1),
                     fingerprint=f"fp{n}-{m}") for n in range(6) for m in range(3 + n)]
    report = compute(episodes, START, END, ToilOptions(max_suggestions=2))
    assert [s.subject for s in report.suggestions] == ["A5", "A4"]
    assert len(compute(episodes, START, END).suggestions) > 2
