"""Hosts every function in one process: the store, the local broker, the sweeper timer and the REST API."""

from __future__ import annotations

import json
import secrets
import threading
import time
import uuid
from datetime import UTC, datetime

from cloudevents.http import CloudEvent

from events.envelope import PING_TYPE
from functions._local.broker import LocalBroker
from functions._platform.config import Settings
from functions._platform.db.engine import Database
from functions._platform.runtime import Runtime, set_runtime


class LocalHost:
    def __init__(self, settings: Settings, tick_s: float | None = None):
        from functions.report.dead_letters import park

        if not settings.broker_token:  # the local broker's own token for the dead-letter sink
            settings = settings.model_copy(update={"broker_token": secrets.token_urlsafe(24)})
        self.settings = settings
        self.broker = LocalBroker(parking=park, sink_token=settings.broker_token)
        self.runtime = Runtime(settings=settings, db=Database(settings), emitter=self.broker)
        self.tick_s = tick_s if tick_s is not None else settings.sweep_interval_s
        self._stop = threading.Event()
        self._ticker: threading.Thread | None = None

    def start(self, ticking: bool = True) -> LocalHost:
        set_runtime(self.runtime)
        self.broker.warm_up()
        if ticking and self.tick_s > 0:
            self._ticker = threading.Thread(target=self._tick_forever, name="pingsources", daemon=True)
            self._ticker.start()
        return self

    def tick(self, names: set[str] | None = None) -> None:
        """Fire the PingSources (all, or those named) once, as Knative would on their schedule."""
        for ping in self.broker.pings:
            if names is not None and ping.name not in names:
                continue
            self.broker.emit(CloudEvent({
                "type": PING_TYPE, "source": f"/apis/v1/namespaces/sreo/pingsources/{ping.name}",
                "id": str(uuid.uuid4()), "time": datetime.now(UTC).isoformat(), **ping.extensions,
            }, json.loads(ping.data or "{}")))

    def _tick_forever(self) -> None:
        """Sweeps every `tick_s` (faster than Knative's minute, for a snappy local run); others on their cron cadence."""
        last: dict[str, float] = {ping.name: time.monotonic() for ping in self.broker.pings}
        while not self._stop.wait(self.tick_s):
            now = time.monotonic()
            due = {ping.name for ping in self.broker.pings
                   if ping.extensions.get("sreorequest") == "sweep" or now - last[ping.name] >= ping.period_s()}
            for name in due:
                last[name] = now
            self.tick(due)

    def stop(self) -> None:
        self._stop.set()
        if self._ticker:
            self._ticker.join(timeout=5)
        self.broker.wait_idle(timeout=30)
        self.broker.close()
        set_runtime(None)
