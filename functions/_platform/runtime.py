"""What a function needs at run time: settings, the store and an emitter. Built once, lazily."""

from __future__ import annotations

import threading
from dataclasses import dataclass

from functions._platform.config import Settings, get_settings
from functions._platform.db.engine import Database
from functions._platform.emit import DependencyDown, Emitter, HttpEmitter
from functions._platform.telemetry import configure_logging


class _NoSink:
    def emit(self, event) -> None:
        raise DependencyDown("no broker: K_SINK is not set and no local broker is running")


@dataclass
class Runtime:
    settings: Settings
    db: Database
    emitter: Emitter


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
