"""Which function writes which table, and who else may read it. Functions meet through events; a table has one
writer (or, where a platform mechanism every function uses keeps it, none of them in particular), and a function
reads only its own tables, the shared ones and those `READERS` lists (none remain). The contract test holds the
code to this map, and `incidents.status` moves only through `status.advance`, the one status writer."""

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
    # toil's facts from incident.reported, incident.updated, incident.resolved, evidence.collected, report.published
    "toil_incidents": ("toil",),
    "toil_alerts": ("toil",),
    "toil_domains": ("toil",),
}
# Kept by platform mechanisms that every function uses: the timeline (add_entry), idempotent consumption and
# the outbox (consume/stage), idempotency keys (the HTTP edge) and the digital twin (refresh_if_stale).
SHARED = frozenset({"timeline", "processed_events", "outbox", "idempotency_keys", "topology_builds",
                    "topology_nodes", "topology_edges"})
# Reads of another function's table that remain: none. Correlate (fan_ins), report (report_incidents), scan
# (scan_*) and toil (toil_incidents, toil_alerts, toil_domains) replaced theirs with copies of what events carry.
# The map stays so that the contract test names any such read; a new need belongs on an event, not in this list.
READERS: dict[str, tuple[str, ...]] = {}
