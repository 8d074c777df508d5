"""The one baseline policy: how long a stretch before the incident window each domain compares it with.

baseline length = max(multiple x max(window length, min_window), min_baseline), ending where the window starts.
Change a domain's figures here and nowhere else.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sreo_events.models import TimeWindow


@dataclass(frozen=True)
class BaselinePolicy:
    multiple: float
    min_window: timedelta = timedelta(0)  # a shorter window counts as this long
    min_baseline: timedelta = timedelta(0)

    def before(self, window: TimeWindow) -> TimeWindow:
        length = max(max(window.end - window.start, self.min_window) * self.multiple, self.min_baseline)
        return TimeWindow(start=window.start - length, end=window.start)


BASELINES: dict[str, BaselinePolicy] = {
    "kubernetes": BaselinePolicy(multiple=1, min_window=timedelta(minutes=15)),
    "database": BaselinePolicy(multiple=4, min_baseline=timedelta(hours=1)),
    "logs": BaselinePolicy(multiple=6, min_window=timedelta(minutes=1)),
    "auth": BaselinePolicy(multiple=6, min_window=timedelta(minutes=1)),
    "metrics": BaselinePolicy(multiple=2, min_window=timedelta(minutes=30), min_baseline=timedelta(hours=1)),
    "traces": BaselinePolicy(multiple=4, min_window=timedelta(minutes=5), min_baseline=timedelta(minutes=30)),
}


def baseline_before(domain: str, window: TimeWindow) -> TimeWindow:
    return BASELINES[domain].before(window)
