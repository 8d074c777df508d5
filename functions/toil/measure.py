"""Toil report: where on-call time went over a period. Pure: incident facts in, a `ToilReport` out."""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from functions.toil.collect import IncidentFact
from functions.toil.schema import (
    SEVERITIES,
    AlertNoise,
    DomainFailures,
    OnCallItem,
    RecurringCause,
    ServiceLoad,
    TimeOfDay,
    TimeToReport,
    ToilOptions,
    ToilReport,
    Totals,
)
from functions.toil.suggestions import suggest

UNNAMED_SERVICE = "(no service)"


def _hours(delta: timedelta) -> float:
    return max(delta.total_seconds(), 0.0) / 3600


def open_hours(fact: IncidentFact, end: datetime) -> float:
    """Started to resolved; an unresolved incident counts up to the end of the period."""
    return _hours((fact.resolved_at or max(end, fact.started_at)) - fact.started_at)


def is_page(fact: IncidentFact) -> bool:
    return fact.severity == "critical"


def local_start(fact: IncidentFact, zone: ZoneInfo) -> datetime:
    return fact.started_at.astimezone(zone)


def is_night_page(fact: IncidentFact, options: ToilOptions, zone: ZoneInfo) -> bool:
    return is_page(fact) and options.is_night_hour(local_start(fact, zone).hour)


def auto_resolved(fact: IncidentFact, options: ToilOptions) -> bool:
    return fact.resolved_at is not None and (
        fact.resolved_at - fact.started_at <= timedelta(minutes=options.auto_resolve_minutes))


def percentile(values: list[float], q: float) -> float | None:
    """Nearest-rank percentile."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * q // 100))
    return ordered[int(rank) - 1]


def service_loads(facts: list[IncidentFact], options: ToilOptions, zone: ZoneInfo, end: datetime,
                  ) -> list[ServiceLoad]:
    grouped: dict[str, list[IncidentFact]] = defaultdict(list)
    for fact in facts:
        grouped[fact.service or UNNAMED_SERVICE].append(fact)
    loads = [ServiceLoad(
        service=service, incidents=len(items),
        by_severity={s: sum(1 for f in items if f.severity == s) for s in SEVERITIES},
        night_pages=sum(1 for f in items if is_night_page(f, options, zone)),
        open_hours=round(sum(open_hours(f, end) for f in items), 2),
    ) for service, items in grouped.items()]
    return sorted(loads, key=lambda s: (-s.incidents, -s.by_severity["critical"], s.service))


def flaps_by_fingerprint(facts: list[IncidentFact], options: ToilOptions) -> Counter[str]:
    """Per alertname, re-fires: an incident for a fingerprint opening soon after that fingerprint's last resolved."""
    episodes: dict[str, list[tuple[IncidentFact, str]]] = defaultdict(list)
    for fact in facts:
        for alert in fact.alerts:
            episodes[alert.fingerprint].append((fact, alert.alertname))
    flaps: Counter[str] = Counter()
    window = timedelta(minutes=options.flap_window_minutes)
    for items in episodes.values():
        items.sort(key=lambda item: item[0].started_at)
        for (before, _), (after, alertname) in itertools.pairwise(items):
            if before.resolved_at is not None and timedelta(0) <= after.created_at - before.resolved_at <= window:
                flaps[alertname] += 1
    return flaps


def alert_noise(facts: list[IncidentFact], options: ToilOptions, zone: ZoneInfo) -> list[AlertNoise]:
    flaps = flaps_by_fingerprint(facts, options)
    rows: dict[str, dict] = {}
    for fact in facts:
        for alertname in {a.alertname for a in fact.alerts}:
            row = rows.setdefault(alertname, {"services": set(), "episodes": 0, "notifications": 0,
                                              "auto_resolved": 0, "without_cause": 0, "night_pages": 0})
            row["services"].add(fact.service or UNNAMED_SERVICE)
            row["episodes"] += 1
            row["notifications"] += sum(a.count for a in fact.alerts if a.alertname == alertname)
            row["auto_resolved"] += auto_resolved(fact, options)
            row["without_cause"] += fact.causes is not None and not fact.causes
            row["night_pages"] += is_night_page(fact, options, zone)
    noise = []
    for alertname, row in rows.items():
        episodes = row["episodes"]
        pattern = max(row["auto_resolved"], flaps[alertname], row["without_cause"]) / episodes
        noisy = episodes >= options.min_episodes and (
            pattern >= options.noisy_share or row["notifications"] / episodes >= options.repeat_notifications)
        noise.append(AlertNoise(alertname=alertname, services=sorted(row.pop("services")), flaps=flaps[alertname],
                                noisy=noisy, **row))
    return sorted(noise, key=lambda a: (-a.episodes, -a.notifications, a.alertname))


def time_to_report(facts: list[IncidentFact]) -> TimeToReport:
    seconds = [(f.reported_at - f.created_at).total_seconds() for f in facts if f.reported_at is not None]
    return TimeToReport(reported=len(seconds), unreported=len(facts) - len(seconds),
                        p50_s=percentile(seconds, 50), p90_s=percentile(seconds, 90),
                        max_s=max(seconds) if seconds else None)


def recurring_causes(facts: list[IncidentFact], options: ToilOptions) -> list[RecurringCause]:
    """The top-ranked cause of each reported incident, counted by component and kind."""
    grouped: dict[tuple[str, str], list[IncidentFact]] = defaultdict(list)
    for fact in facts:
        if fact.causes:
            grouped[fact.causes[0]].append(fact)
    causes = [RecurringCause(component=component, kind=kind, incidents=len(items),
                             services=sorted({f.service or UNNAMED_SERVICE for f in items}),
                             last_seen=max(f.started_at for f in items))
              for (component, kind), items in grouped.items()]
    causes.sort(key=lambda c: (-c.incidents, -c.last_seen.timestamp(), c.component, c.kind))
    return causes[:options.top]


def time_of_day(facts: list[IncidentFact], options: ToilOptions, zone: ZoneInfo) -> TimeOfDay:
    by_hour, pages_by_hour = [0] * 24, [0] * 24
    weekend = 0
    for fact in facts:
        moment = local_start(fact, zone)
        by_hour[moment.hour] += 1
        if is_page(fact):
            pages_by_hour[moment.hour] += 1
            weekend += moment.weekday() >= 5
    night = sum(1 for f in facts if is_night_page(f, options, zone))
    return TimeOfDay(timezone=options.timezone, by_hour=by_hour, pages_by_hour=pages_by_hour, night_pages=night,
                     weekend_pages=weekend)


def domain_failures(facts: list[IncidentFact]) -> list[DomainFailures]:
    """Only reported incidents count: before the report a silent domain is still in progress, not missing."""
    rows: dict[str, dict] = {}
    for fact in facts:
        if fact.reported_at is None:
            continue
        for answer in fact.domains:
            row = rows.setdefault(answer.domain, {"requested": 0, "errors": 0, "missing": 0, "no_data": 0,
                                                  "last_error": None})
            row["requested"] += 1
            row["errors"] += answer.status == "error"
            row["missing"] += answer.status == "requested"
            row["no_data"] += answer.status == "no_data"
            row["last_error"] = answer.error or row["last_error"]
    failures = [DomainFailures(domain=domain, failure_rate=round((r["errors"] + r["missing"]) / r["requested"], 3),
                               **r) for domain, r in rows.items()]
    return sorted(failures, key=lambda d: (-(d.errors + d.missing), -d.failure_rate, d.domain))


def on_call(facts: list[IncidentFact], options: ToilOptions, zone: ZoneInfo, end: datetime) -> list[OnCallItem]:
    """Interruptions by what raised them: the alert (or `manual report` / the source) that opened each incident."""
    grouped: dict[str, list[IncidentFact]] = defaultdict(list)
    for fact in facts:
        first = fact.alerts[0].alertname if fact.alerts else f"{fact.source} report"
        grouped[first].append(fact)
    total = len(facts) or 1
    items = [OnCallItem(alertname=name, episodes=len(group), share=round(len(group) / total, 3),
                        pages=sum(1 for f in group if is_page(f)),
                        night_pages=sum(1 for f in group if is_night_page(f, options, zone)),
                        open_hours=round(sum(open_hours(f, end) for f in group), 2))
             for name, group in grouped.items()]
    items.sort(key=lambda i: (-i.episodes, -i.pages, i.alertname))
    return items[:options.top]


def totals(facts: list[IncidentFact], options: ToilOptions, zone: ZoneInfo, end: datetime) -> Totals:
    return Totals(
        incidents=len(facts), pages=sum(1 for f in facts if is_page(f)),
        night_pages=sum(1 for f in facts if is_night_page(f, options, zone)),
        notifications=sum(a.count for f in facts for a in f.alerts),
        alertnames=len({a.alertname for f in facts for a in f.alerts}),
        open_hours=round(sum(open_hours(f, end) for f in facts), 2),
        unresolved=sum(1 for f in facts if f.resolved_at is None),
    )


def summarise(report: ToilReport) -> str:
    t = report.totals
    if not t.incidents:
        return "No incidents in the period: nothing took on-call time."
    parts = [(f"{t.incidents} incident(s), {t.pages} page(s) ({t.night_pages} at night), "
             f"{t.notifications} alert notification(s) and {t.open_hours:.1f} h open.")]
    if report.on_call:
        top = report.on_call[0]
        parts.append(f"Most interruptions came from {top.alertname} ({top.episodes}, {top.share:.0%}).")
    noisy = [a.alertname for a in report.alerts if a.noisy]
    if noisy:
        parts.append(f"Noisy alerts: {', '.join(noisy[:5])}.")
    if report.recurring_causes and report.recurring_causes[0].incidents > 1:
        cause = report.recurring_causes[0]
        parts.append(f"Most frequent cause: {cause.component} ({cause.kind}) in {cause.incidents} incidents.")
    return " ".join(parts)


def compute(facts: list[IncidentFact], start: datetime, end: datetime, options: ToilOptions | None = None,
            generated_at: datetime | None = None) -> ToilReport:
    options = options or ToilOptions()
    zone = ZoneInfo(options.timezone)
    report = ToilReport(
        period_start=start, period_end=end, generated_at=generated_at or datetime.now(UTC),
        options=options, totals=totals(facts, options, zone, end), services=service_loads(facts, options, zone, end),
        alerts=alert_noise(facts, options, zone), time_to_report=time_to_report(facts),
        recurring_causes=recurring_causes(facts, options), time_of_day=time_of_day(facts, options, zone),
        domains=domain_failures(facts), on_call=on_call(facts, options, zone, end), summary="", suggestions=[],
    )
    report.suggestions = suggest(report)
    report.summary = summarise(report)
    return report
