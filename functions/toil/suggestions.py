"""Concrete suggestions from a toil report. One function per rule, listed in `RULES`; each reads the computed
report and returns what to change, weighted by the interruptions the change would likely save."""

from __future__ import annotations

from collections.abc import Callable

from functions.toil.schema import Suggestion, ToilReport

Rule = Callable[[ToilReport], list[Suggestion]]
FLAPS_WORTH_A_FIX = 2
NIGHT_PAGES_WORTH_A_FIX = 2


def _minutes(seconds: float) -> str:
    return f"{seconds / 60:.1f} min" if seconds >= 60 else f"{seconds:.0f} s"


def auto_resolving_alerts(report: ToilReport) -> list[Suggestion]:
    o = report.options
    return [Suggestion(
        rule="auto_resolving", subject=a.alertname, weight=a.auto_resolved,
        text=(f"{a.alertname} fired {a.episodes} times ({a.notifications} notifications) and auto-resolved "
              f"within {o.auto_resolve_minutes:g} min {a.auto_resolved} times: tune its `for:` or threshold."),
    ) for a in report.alerts
        if a.episodes >= o.min_episodes and a.auto_resolved / a.episodes >= o.noisy_share]


def flapping_alerts(report: ToilReport) -> list[Suggestion]:
    o = report.options
    return [Suggestion(
        rule="flapping", subject=a.alertname, weight=a.flaps,
        text=(f"{a.alertname} flapped {a.flaps} times (re-fired within {o.flap_window_minutes:g} min of "
              f"resolving): add `keep_firing_for:` or hysteresis between its firing and resolving thresholds."),
    ) for a in report.alerts if a.flaps >= FLAPS_WORTH_A_FIX]


def repeating_notifications(report: ToilReport) -> list[Suggestion]:
    o = report.options
    return [Suggestion(
        rule="repeat_notifications", subject=a.alertname, weight=(a.notifications - a.episodes) / 10,
        text=(f"{a.alertname} sent {a.notifications} notifications for {a.episodes} episode(s): raise the "
              f"Alertmanager `repeat_interval` for its route or group it with related alerts."),
    ) for a in report.alerts if a.notifications / a.episodes >= o.repeat_notifications]


def causeless_alerts(report: ToilReport) -> list[Suggestion]:
    o = report.options
    return [Suggestion(
        rule="no_cause", subject=a.alertname, weight=a.without_cause / 2,
        text=(f"{a.alertname} was never tied to a cause in {a.without_cause} of {a.episodes} incidents: check it "
              f"measures a symptom users feel, give it a runbook, or route it to a ticket instead of a page."),
    ) for a in report.alerts
        if a.without_cause >= o.min_episodes and a.without_cause / a.episodes >= o.noisy_share]


def recurring_causes(report: ToilReport) -> list[Suggestion]:
    return [Suggestion(
        rule="recurring_cause", subject=f"{c.component}/{c.kind}", weight=c.incidents - 1,
        text=(f"{c.component} ({c.kind}) was the top cause of {c.incidents} incidents "
              f"({', '.join(c.services)}): open a problem ticket to fix it for good, or automate its remediation."),
    ) for c in report.recurring_causes if c.incidents >= report.options.recurring_min]


def night_pages(report: ToilReport) -> list[Suggestion]:
    o = report.options
    return [Suggestion(
        rule="night_pages", subject=a.alertname, weight=a.night_pages * 1.5,
        text=(f"{a.alertname} paged {a.night_pages} times at night ({o.night_start_hour:02d}:00-"
              f"{o.night_end_hour:02d}:00 {o.timezone}): if it can wait until morning, make it `severity: warning` "
              f"(a ticket), or page only on fast error-budget burn."),
    ) for a in report.alerts if a.night_pages >= NIGHT_PAGES_WORTH_A_FIX]


def failing_domains(report: ToilReport) -> list[Suggestion]:
    return [Suggestion(
        rule="failing_domain", subject=d.domain, weight=(d.errors + d.missing) / 2,
        text=(f"The {d.domain} agent failed in {d.errors + d.missing} of {d.requested} investigations "
              f"({d.errors} errors, {d.missing} never answered"
              + (f"; last error: {d.last_error[:120]}" if d.last_error else "")
              + "): fix its data source so reports are complete."),
    ) for d in report.domains if d.errors + d.missing >= 2 and d.failure_rate >= 0.2]


def slow_reports(report: ToilReport) -> list[Suggestion]:
    t, limit = report.time_to_report, report.options.slow_report_minutes * 60
    if t.p90_s is None or t.p90_s < limit or t.reported < report.options.min_episodes:
        return []
    return [Suggestion(
        rule="slow_reports", subject="time to report", weight=t.reported / 10,
        text=(f"Reports took {_minutes(t.p50_s or 0)} at the median and {_minutes(t.p90_s)} at p90 "
              f"(over {report.options.slow_report_minutes:g} min): check which agents time out or never answer."),
    )]


def busiest_service(report: ToilReport) -> list[Suggestion]:
    total = report.totals.incidents
    if not report.services or total < 2 * report.options.min_episodes:
        return []
    top = report.services[0]
    share = top.incidents / total
    if share < 0.3 or len(report.services) < 2:
        return []
    return [Suggestion(
        rule="busiest_service", subject=top.service, weight=top.incidents / 4,
        text=(f"{top.service} caused {top.incidents} of {total} incidents ({share:.0%}) and {top.open_hours:.1f} h "
              f"open: put its reliability work first next sprint."),
    )]


RULES: list[Rule] = [
    auto_resolving_alerts,
    flapping_alerts,
    repeating_notifications,
    causeless_alerts,
    recurring_causes,
    night_pages,
    failing_domains,
    slow_reports,
    busiest_service,
]


def suggest(report: ToilReport) -> list[Suggestion]:
    found = [suggestion for rule in RULES for suggestion in rule(report)]
    return sorted(found, key=lambda s: (-s.weight, s.rule, s.subject))[:report.options.max_suggestions]
