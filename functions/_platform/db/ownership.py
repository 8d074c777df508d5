"""Which function writes which table, and who else may read it. Functions meet through events; a table has one
writer (or, where a platform mechanism every function uses keeps it, none of them in particular), and a function
reads only its own tables, the shared ones and those `READERS` still lists. The contract test holds the code to
this map, and `incidents.status` moves only through `status.advance`, the one status writer."""

from __future__ import annotations

WRITERS: dict[str, tuple[str, ...]] = {
    "incidents": ("triage",),
    "alerts": ("triage",),
    "fan_ins": ("correlate",),
    "evidence": ("correlate",),
    "investigations": ("correlate",),
    "reports": ("report",),
    "report_incidents": ("report",),  # report's copy of what incident.reported and incident.updated said
    "report_alerts": ("report",),
    "report_waiting_correlations": ("report",),  # a correlation that came before incident.reported
    "dead_letters": ("report",),
    # responders approve through report's route; the supervisor's approvals by policy reach it as events
    "action_approvals": ("report",),
    "threats": ("scan",),
    "review_tasks": ("scan",),
    # scan's copies of what incident.reported, report.published and approval.recorded said
    "scan_incidents": ("scan",),
    "scan_fixes": ("scan",),
    "scan_approvals": ("scan",),
    "toil_reports": ("toil",),
}
# Kept by platform mechanisms that every function uses: the timeline (add_entry), idempotent consumption and
# the outbox (consume/stage), idempotency keys (the HTTP edge) and the digital twin (refresh_if_stale).
SHARED = frozenset({"timeline", "processed_events", "outbox", "idempotency_keys", "topology_builds",
                    "topology_nodes", "topology_edges"})
# Reads of another function's table that remain. Correlate (fan_ins), report (report_incidents) and scan (scan_*)
# replaced theirs with copies of what events carry; a new need belongs on an event, not in this list. Toil stays a
# reader: its weekly report is an analysis over every function's history (incidents, their alerts, evidence,
# investigations and reports, counted and timed over weeks), read-only and off the event path; a copy from events
# would be a second store of that whole history, kept only to be measured.
READERS: dict[str, tuple[str, ...]] = {
    "incidents": ("toil",),
    "alerts": ("toil",),
    "evidence": ("toil",),
    "investigations": ("toil",),
    "reports": ("toil",),
}
