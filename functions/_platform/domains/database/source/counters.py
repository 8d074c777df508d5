"""A small local record of cumulative counters (deadlocks, commits) so later reads have a baseline.

PostgreSQL counters only grow until `stats_reset`; a single read cannot say when they grew.
Each read is appended here per target, and analyzers compare the current value with the last
sample taken before the incident window. The file is best effort: if it cannot be written,
analysis falls back to the absolute counter.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

SAMPLES_KEPT = 200
COUNTER_FIELDS = ("deadlocks", "xact_commit", "xact_rollback", "conflicts", "temp_files")


class CounterStore:
    def __init__(self, path: Path | None):
        self.path = path

    def _load(self) -> dict[str, list[dict[str, Any]]]:
        if self.path is None or not self.path.exists():
            return {}
        try:
            data = json.loads(self.path.read_text())
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def history(self, target: str) -> list[dict[str, Any]]:
        return list(self._load().get(target, []))

    def record(self, target: str, stats: dict[str, Any]) -> list[dict[str, Any]]:
        """Append a sample of `stats` and return the samples that came before it (oldest first)."""
        data = self._load()
        previous = list(data.get(target, []))
        sample = {k: stats.get(k) for k in (*COUNTER_FIELDS, "stats_reset", "observed_at")}
        data[target] = (previous + [sample])[-SAMPLES_KEPT:]
        if self.path is not None:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".counters-")
                with os.fdopen(fd, "w") as handle:
                    json.dump(data, handle)
                os.replace(tmp, self.path)
            except OSError:
                pass
        return previous
