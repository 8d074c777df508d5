"""Named crash points for fault-injection tests: `SREO_FAULT_POINT=<name>` kills the process there, once."""

from __future__ import annotations

import os
import signal
import threading

_armed: dict[str, str | None] = {"point": None}
_lock = threading.Lock()


def arm(point: str | None) -> None:
    """Called once at start-up with the configured point (None disarms)."""
    with _lock:
        _armed["point"] = point


def crash_point(name: str) -> None:
    """SIGKILL this process if `name` is the armed point: no cleanup, no flush, as a power cut would."""
    with _lock:
        hit = _armed["point"] == name
    if hit:
        os.kill(os.getpid(), signal.SIGKILL)
