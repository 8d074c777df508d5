"""Deployed delivery: the outbox relayed over HTTP to the broker at K_SINK; kept while the broker refuses it."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from sqlalchemy import update

from functions._platform.config import Settings
from functions._platform.db.engine import Database
from functions._platform.emit import HttpEmitter
from functions._platform.outbox import pending, stage
from functions._platform.outbox.store import OutboxEvent, now
from functions._platform.runtime import Runtime
from sreo_events import types
from sreo_events.envelope import make_event
from sreo_events.models import EvidenceCollected


class Broker(ThreadingHTTPServer):
    """A loopback broker ingress that answers 503 while `down`, else 202, and keeps the ids it accepted."""

    down = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.accepted: list[str] = []


class _Handler(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("content-length", 0)))
        if self.server.down:
            self.send_response(503)
        else:
            self.server.accepted.append(self.headers["ce-id"])
            self.send_response(202)
        self.end_headers()

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def broker() -> Iterator[Broker]:
    server = Broker()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def test_the_k_sink_relay_keeps_what_the_broker_refused(tmp_path: Path, database_url: str | None, broker) -> None:
    sink = f"http://127.0.0.1:{broker.server_address[1]}/"
    settings = Settings(home=tmp_path / "home", database_url=database_url, K_SINK=sink)
    database = Database(settings)
    runtime = Runtime(settings=settings, db=database, emitter=HttpEmitter(sink))
    event = make_event(types.EVIDENCE_COLLECTED, EvidenceCollected(incident_id="inc-1", domain="logs",
                                                                    status="no_data"), source="/test", domain="logs")
    with database.session() as session:
        stage(session, [event])
    runtime.relay.notify()
    with database.session() as session:
        total, items = pending(session)
    assert total == 1 and "503" in items[0]["last_error"], "refused: kept, with the reason"
    assert broker.accepted == []

    broker.down = False
    with database.session() as session:  # its backoff is over
        session.execute(update(OutboxEvent).values(due_at=now()))
    runtime.relay.notify()
    assert broker.accepted == [event["id"]]
    with database.session() as session:
        assert pending(session)[0] == 0
    database.dispose()
