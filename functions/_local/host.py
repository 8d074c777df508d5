"""Hosts every function in one process: the store, its outbox relay, the local broker, the sweeper timer and the
REST API. Every event goes through the outbox: staged with the state change that caused it, delivered by the
relay through the broker after commit, deleted only once every Trigger answered 2xx or dead-lettered it."""

from __future__ import annotations

import json
import secrets
import threading
import time
import uuid
from datetime import UTC, datetime
from functools import partial

from cloudevents.http import CloudEvent

from functions._local.broker import LocalBroker
from functions._platform.config import Settings
from functions._platform.db.engine import Database
from functions._platform.faults import arm
from functions._platform.outbox import stage
from functions._platform.outbox.relay import ThreadRelay
from functions._platform.runtime import Runtime, set_runtime
from functions._platform.telemetry import log
from sreo_events.envelope import PING_TYPE


class LocalHost:
    def __init__(self, settings: Settings, tick_s: float | None = None):
        from functions.report.dead_letters import park

        if not settings.broker_token:  # the local broker's own token for the dead-letter sink
            settings = settings.model_copy(update={"broker_token": secrets.token_urlsafe(24)})
        self.settings = settings
        db = Database(settings)
        self.broker = LocalBroker(parking=partial(park, db), sink_token=settings.broker_token, ingress=self._accept)
        self.relay = ThreadRelay(db, self.broker.publish, workers=settings.outbox_workers,
                                 poll_s=settings.outbox_poll_s, lease_s=settings.outbox_lease_s)
        self.broker.outbox = self.relay
        self.runtime = Runtime(settings=settings, db=db, emitter=self.broker, relay=self.relay)
        self.tick_s = tick_s if tick_s is not None else settings.sweep_interval_s
        self._stop = threading.Event()
        self._ticker: threading.Thread | None = None

    def _accept(self, event: CloudEvent) -> None:
        with self.runtime.db.session() as session:
            stage(session, [event])

    def start(self, ticking: bool = True) -> LocalHost:
        arm(self.settings.fault_point)
        set_runtime(self.runtime)
        self.broker.warm_up()
        self.relay.start()
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
            try:
                self.tick(due)
            except Exception as exc:  # noqa: BLE001 - the store is down: the next tick tries again
                log.warning("ping not accepted", error=str(exc))

    def stop(self) -> None:
        self._stop.set()
        if self._ticker:
            self._ticker.join(timeout=5)
        self.broker.wait_idle(timeout=30)
        self.relay.stop()
        self.broker.close()
        set_runtime(None)
