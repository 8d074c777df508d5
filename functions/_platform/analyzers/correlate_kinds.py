"""Finding kinds correlate emits itself, from what the agents' findings say about components no agent observes."""

from __future__ import annotations

from functions._platform.analyzers.kinds import FindingKind, action

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
