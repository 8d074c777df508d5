"""Credentials in what agents read (log lines, here) never leave in the evidence; the addresses and user
names a responder needs stay."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from functions._platform.config import Settings
from functions._platform.domains.logs.source.ingest import ingest_file
from functions._platform.domains.logs.source.parsers import ParseContext
from functions._platform.search import get_search_backend
from functions.agents.investigate import collect_evidence
from sreo_events.models import InvestigationRequested, TimeWindow

END = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
LEAKY = ("login to postgres://orders:hunter2@db.shop:5432/orders failed for user bob from 10.1.2.3; "
         "retrying with Authorization: Bearer abcdefghijklmnopqrstuvwx")


def _write_log(path: Path) -> Path:
    lines, moment = [], END - timedelta(hours=3)
    while moment < END:
        lines.append({"ts": moment.isoformat(), "level": "info", "service": "orders", "msg": "request handled"})
        if moment >= END - timedelta(minutes=20):
            lines.append({"ts": moment.isoformat(), "level": "error", "service": "orders", "msg": LEAKY})
        moment += timedelta(seconds=30)
    path.write_text("\n".join(json.dumps(line) for line in lines) + "\n")
    return path


def test_log_evidence_keeps_addresses_but_loses_credentials(tmp_path: Path) -> None:
    settings = Settings(home=tmp_path / "home")
    backend = get_search_backend(settings)
    ingest_file(_write_log(tmp_path / "orders.jsonl"), backend, context=ParseContext(now=END))
    backend.close()
    request = InvestigationRequested(incident_id="inc-1", domain="logs", service="orders",
                                     window=TimeWindow(start=END - timedelta(minutes=20), end=END),
                                     deadline=END + timedelta(minutes=5))
    evidence = collect_evidence(request, settings)
    assert evidence.status == "success", evidence.error
    assert {f.kind for f in evidence.findings} >= {"error_rate_spike"}
    text = evidence.model_dump_json()
    assert "hunter2" not in text and "abcdefghijklmnopqrstuvwx" not in text
    assert "[REDACTED:password]" in text and "[REDACTED:" in text
    assert "10.1.2.3" in text and "bob" in text and "db.shop" in text
