"""Relays delivered outbox rows: a background relay for the local broker, a synchronous one for K_SINK.

A row is deleted only when `deliver` returns True; False or an exception leaves it pending, retried with backoff.
A claim is a lease: rows held by a relay that died become due again when it expires. The local relay renews
the leases of the rows it is still delivering every few seconds, so the lease can be short: after a crash
(kill -9) the next process redelivers within one lease, however long handlers take.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from cloudevents.http import CloudEvent
from sqlalchemy import func, select

from functions._platform.db.engine import Database
from functions._platform.faults import crash_point
from functions._platform.outbox import store
from functions._platform.telemetry import log
from sreo_events import types

Deliver = Callable[[CloudEvent], bool]
CLAIM_CHUNK = 10


class _Relay:
    def __init__(self, db: Database, deliver: Deliver, lease_s: float = 30.0):
        self.db = db
        self.deliver = deliver
        self.lease = timedelta(seconds=lease_s)

    def _one(self, row_id: int, attempts: int, event: CloudEvent) -> bool:
        try:
            ok, error = bool(self.deliver(event)), "not delivered"
        except Exception as exc:  # noqa: BLE001 - whatever failed, the row stays pending
            ok, error = False, f"{type(exc).__name__}: {exc}"
        if ok and event["type"] == types.INVESTIGATION_REQUESTED:
            crash_point("fan-out")  # delivered, not yet deleted: the restart delivers it again
        try:
            with self.db.session() as session:
                if ok:
                    store.acknowledge(session, row_id)
                else:
                    store.retry_later(session, row_id, attempts, error)
        except Exception as exc:  # noqa: BLE001 - the store is down: the lease expires and the row is redelivered
            log.warning("outbox bookkeeping failed", id=row_id, error=str(exc))
        if not ok:
            log.warning("outbox delivery failed", type=event["type"], id=event["id"], error=error[:300])
        return ok

    def _claim(self, limit: int, skip: set[int]) -> list[tuple[int, int, CloudEvent]]:
        with self.db.session() as session:
            return [(row.id, row.attempts + 1, store.to_event(row))
                    for row in store.claim(session, limit, self.lease, skip)]


class SyncRelay(_Relay):
    """Deployed: after a commit, deliver what is due to the broker at K_SINK before answering."""

    def __init__(self, db: Database, deliver: Deliver, lease_s: float = 30.0, batch: int = 200):
        super().__init__(db, deliver, lease_s)
        self.batch = batch

    def notify(self) -> None:
        done: set[int] = set()
        while len(done) < self.batch:  # a few rows per claim: each is delivered well inside its lease
            try:
                claimed = self._claim(min(CLAIM_CHUNK, self.batch - len(done)), done)
            except Exception as exc:  # noqa: BLE001 - the next commit or sweep retries
                log.warning("outbox claim failed", error=str(exc))
                return
            if not claimed:
                return
            for row_id, attempts, event in claimed:
                self._one(row_id, attempts, event)
                done.add(row_id)

    def start(self) -> SyncRelay:
        return self

    def stop(self) -> None:
        pass


class ThreadRelay(_Relay):
    """Local: a dispatcher thread claims due rows and a pool delivers them; woken by commits, or every `poll_s`."""

    def __init__(self, db: Database, deliver: Deliver, workers: int = 8, poll_s: float = 1.0, lease_s: float = 30.0):
        super().__init__(db, deliver, lease_s)
        self.workers = workers
        self.poll_s = poll_s
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._inflight: set[int] = set()
        self._lock = threading.Condition()
        self._pool: ThreadPoolExecutor | None = None
        self._thread: threading.Thread | None = None
        self._unregister: Callable[[], None] | None = None

    def notify(self) -> None:
        self._wake.set()

    def start(self) -> ThreadRelay:
        self._pool = ThreadPoolExecutor(max_workers=self.workers, thread_name_prefix="outbox")
        self._unregister = store.on_commit(self.notify)
        self._thread = threading.Thread(target=self._run, name="outbox-relay", daemon=True)
        self._thread.start()
        self.notify()  # what a previous process left pending is redelivered at start-up
        return self

    def _renew(self) -> None:
        with self._lock:
            held = set(self._inflight)
        try:
            with self.db.session() as session:
                store.renew(session, held, self.lease)
        except Exception as exc:  # noqa: BLE001 - the store is down: the lease may lapse; consumers are idempotent
            log.warning("outbox lease renewal failed", error=str(exc))

    def _run(self) -> None:
        renewed = time.monotonic()
        while not self._stop.is_set():
            self._wake.wait(min(self.poll_s, self.lease.total_seconds() / 3))
            self._wake.clear()
            if time.monotonic() - renewed >= self.lease.total_seconds() / 3:
                self._renew()
                renewed = time.monotonic()
            while not self._stop.is_set():
                with self._lock:
                    free, skip = self.workers * 4 - len(self._inflight), set(self._inflight)
                if free <= 0:
                    break
                try:
                    claimed = self._claim(free, skip)
                except Exception as exc:  # noqa: BLE001 - the store is down: try again on the next tick
                    log.warning("outbox claim failed", error=str(exc))
                    break
                if not claimed:
                    break
                for row_id, attempts, event in claimed:
                    with self._lock:
                        self._inflight.add(row_id)
                    self._pool.submit(self._deliver_one, row_id, attempts, event)

    def _deliver_one(self, row_id: int, attempts: int, event: CloudEvent) -> None:
        try:
            self._one(row_id, attempts, event)
        finally:
            with self._lock:
                self._inflight.discard(row_id)
                self._lock.notify_all()
            self._wake.set()

    def backlog(self) -> int:
        with self.db.session() as session:
            return session.scalar(select(func.count()).select_from(store.OutboxEvent)) or 0

    def wait_idle(self, timeout: float = 30.0) -> bool:
        """True once nothing is in flight and nothing is pending."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                busy = bool(self._inflight)
            if not busy and self.backlog() == 0:
                with self._lock:
                    if not self._inflight:
                        return True
            self.notify()
            time.sleep(0.02)
        return False

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        if self._unregister:
            self._unregister()
        if self._thread:
            self._thread.join(timeout=5)
        if self._pool:
            self._pool.shutdown(wait=True, cancel_futures=True)
