"""What a function needs at run time: settings, the store and an emitter. Built once, lazily."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

from functions._platform.config import Settings, get_settings
from functions._platform.db.engine import Database
from functions._platform.emit import DependencyDown, Emitter, HttpEmitter
from functions._platform.telemetry import configure_logging


class _NoSink:
    def emit(self, event) -> None:
        raise DependencyDown("no broker: K_SINK is not set and no local broker is running")


@dataclass
class Runtime:
    """`relay` delivers the outbox after each commit; by default, synchronously through `emitter`."""

    settings: Settings
    db: Database
    emitter: Emitter
    relay: Any = field(default=None)

    def __post_init__(self) -> None:
        if self.relay is None:
            from functions._platform.outbox.relay import SyncRelay

            self.relay = SyncRelay(self.db, _emit_ok(self.emitter), lease_s=self.settings.outbox_lease_s)


def _emit_ok(emitter: Emitter):
    def deliver(event) -> bool:
        emitter.emit(event)  # raises DependencyDown when the broker refuses it
        return True
    return deliver


_lock = threading.Lock()
_runtime: Runtime | None = None


def get_runtime() -> Runtime:
    global _runtime
    with _lock:
        if _runtime is None:
            configure_logging(json_output=True)
            settings = get_settings()
            problem = settings.store_problem()
            if problem:
                raise RuntimeError(problem)
            from functions._platform.faults import arm

            arm(settings.fault_point)
            emitter: Emitter = HttpEmitter(settings.k_sink) if settings.k_sink else _NoSink()
            _runtime = Runtime(settings=settings, db=Database(settings), emitter=emitter)
        return _runtime


def set_runtime(runtime: Runtime | None) -> None:
    """Install a runtime (the local host, tests); None forgets it."""
    global _runtime
    with _lock:
        if _runtime is not None and runtime is None:
            _runtime.db.dispose()
        _runtime = runtime
