"""Finding kinds correlate emits itself, from what the agents' findings say about components no agent observes."""

from __future__ import annotations

from functions._platform.analyzers.kinds import FindingKind, Rule, action

# A dependency known only through its callers (a host outside the cluster, a server whose reply states the fault
# but which logs nothing): their failures naming it, restated on it (functions/correlate/voiceless.py).
FAILING_FOR_CALLERS = FindingKind(
    name="failing_for_callers", domain="correlate",
    actions=(
        action("check-from-callers", "Check {subject} as its callers see it ({callers_text}): its status page or "
               "its own metrics, then fail over, shed load or raise its limits", None, "low"),
    ),
    mitigation=("Check the dependency its callers fail on; fail over, shed load or raise its limits.",
                "Its callers keep failing with it; their retries add to its load."),
)

# A caller that changed just before a shared server refused everyone for its connection limit: it took the
# connections (functions/correlate/shared_connections.py).
TOOK_SHARED_CONNECTIONS = FindingKind(
    name="took_shared_connections", domain="correlate",
    actions=(
        action("undo-taker", "Give {exhausted}'s connections back: roll {subject} back, scale it down or lower its "
               "pool size (it changed at {changed_at}; {exhausted} refused connections from {exhausted_at})", None,
               "medium", True),
        Rule("who-holds", "See who holds {exhausted}'s connections, by client", "{who_holds}", "low",
             needs=("who_holds",)),
    ),
    mitigation=("Roll back or scale down the caller that took the shared server's connections, or lower its pool.",
                "Every caller of the shared server keeps being refused new connections."),
)
