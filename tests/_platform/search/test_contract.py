"""One behavioural contract, run against every search backend."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from functions._platform.search import LOGS_INDEX, RUNBOOKS_INDEX, IntRange, SearchBackend, TimeRange

T0 = datetime(2024, 3, 1, 12, 0, tzinfo=UTC)

LOG_LINES = [
    # minute, service, level, status, user, message
    (0, "api", "INFO", 200, "alice", "GET /orders completed"),
    (1, "api", "ERROR", 500, "bob", "upstream connection refused by payments"),
    (2, "payments", "ERROR", 503, None, "database connections exhausted, pool timeout"),
    (3, "auth", "WARN", 401, "root", "Failed password for root from 203.0.113.9 port 22 ssh2"),
    (4, "auth", "WARN", 401, "root", "Failed password for root from 203.0.113.9 port 22 ssh2"),
    (5, "auth", "INFO", 200, "alice", "Accepted password for alice from 198.51.100.4 port 22 ssh2"),
    (7, "api", "ERROR", 502, "carol", "bad gateway while connecting to payments"),
]


def log_docs() -> list[dict]:
    docs = []
    for n, (minute, service, level, status, user, message) in enumerate(LOG_LINES):
        doc = {
            "_id": f"line-{n}",
            "timestamp": T0 + timedelta(minutes=minute),
            "service": service,
            "level": level,
            "status": status,
            "message": message,
            "raw": f"{service} {level} {message}",
        }
        if user:
            doc["user"] = user
        docs.append(doc)
    return docs


@pytest.fixture
def logs(backend: SearchBackend) -> SearchBackend:
    backend.ensure_index(LOGS_INDEX)
    assert backend.index_documents(LOGS_INDEX, log_docs()) == len(LOG_LINES)
    return backend


def test_search_ranks_the_most_relevant_line_first(logs: SearchBackend) -> None:
    hits = logs.search(LOGS_INDEX, "pool exhausted database", k=3)
    assert hits[0].id == "line-2"
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    assert hits[0].score > 0


def test_stemming_matches_other_word_forms(logs: SearchBackend) -> None:
    ids = {h.id for h in logs.search(LOGS_INDEX, "connect refusing", k=10)}
    assert {"line-1", "line-6"} <= ids


def test_and_operator_requires_every_term(logs: SearchBackend) -> None:
    assert logs.count(LOGS_INDEX, "failed password", operator="and") == 2
    assert logs.count(LOGS_INDEX, "failed password", operator="or") == 3


def test_keyword_list_and_range_filters(logs: SearchBackend) -> None:
    assert logs.count(LOGS_INDEX, filters={"service": "auth"}) == 3
    assert logs.count(LOGS_INDEX, filters={"level": ["ERROR", "WARN"]}) == 5
    assert logs.count(LOGS_INDEX, filters={"status": IntRange(gte=500, lt=600)}) == 3
    assert logs.count(LOGS_INDEX, filters={"service": "api", "status": 500}) == 1
    assert logs.count(LOGS_INDEX, filters={"user": []}) == 0


def test_time_range_is_half_open(logs: SearchBackend) -> None:
    window = TimeRange(start=T0 + timedelta(minutes=1), end=T0 + timedelta(minutes=3))
    hits = logs.search(LOGS_INDEX, None, time_range=window, k=10)
    assert {h.id for h in hits} == {"line-1", "line-2"}


def test_search_without_query_returns_newest_first_with_timestamps(logs: SearchBackend) -> None:
    hits = logs.search(LOGS_INDEX, k=2)
    assert [h.id for h in hits] == ["line-6", "line-5"]
    assert hits[0].source["timestamp"] == "2024-03-01T12:07:00.000Z"
    assert hits[0].source["service"] == "api"


def test_count_over_time_is_zero_filled_and_aligned(logs: SearchBackend) -> None:
    buckets = logs.count_over_time(LOGS_INDEX, timedelta(minutes=2), filters={"level": ["ERROR", "WARN"]})
    assert [(b.start, b.count) for b in buckets] == [
        (T0, 1),
        (T0 + timedelta(minutes=2), 2),
        (T0 + timedelta(minutes=4), 1),
        (T0 + timedelta(minutes=6), 1),
    ]
    window = TimeRange(start=T0 - timedelta(minutes=4), end=T0 + timedelta(minutes=2))
    framed = logs.count_over_time(LOGS_INDEX, timedelta(minutes=2), time_range=window, query="connection")
    assert [b.count for b in framed] == [0, 0, 1]


def test_terms_are_ordered_by_count_then_value(logs: SearchBackend) -> None:
    top = logs.terms(LOGS_INDEX, "service", size=2)
    assert [(t.value, t.count) for t in top] == [("api", 3), ("auth", 3)]
    users = logs.terms(LOGS_INDEX, "user", query="failed password", operator="and")
    assert [(t.value, t.count) for t in users] == [("root", 2)]
    statuses = logs.terms(LOGS_INDEX, "status", filters={"service": "api"})
    assert {t.value for t in statuses} == {200, 500, 502}


def test_upsert_by_id_replaces_the_document(logs: SearchBackend) -> None:
    replaced = dict(log_docs()[0], message="cache warmed", raw="cache warmed")
    logs.index_documents(LOGS_INDEX, [replaced])
    assert logs.count(LOGS_INDEX) == len(LOG_LINES)
    assert logs.count(LOGS_INDEX, "orders") == 0
    assert [h.id for h in logs.search(LOGS_INDEX, "cache warmed")] == ["line-0"]


def test_delete_documents_and_index(logs: SearchBackend) -> None:
    assert logs.delete_documents(LOGS_INDEX, {"service": "auth"}) == 3
    assert logs.count(LOGS_INDEX) == len(LOG_LINES) - 3
    logs.delete_index(LOGS_INDEX)
    assert logs.count(LOGS_INDEX) == 0
    assert logs.search(LOGS_INDEX, "payments") == []


def test_unknown_filter_field_is_rejected(logs: SearchBackend) -> None:
    with pytest.raises(ValueError):
        logs.count(LOGS_INDEX, filters={"message": "x"})
    with pytest.raises(ValueError):
        logs.terms(LOGS_INDEX, "message")


def test_log_document_needs_a_timestamp(backend: SearchBackend) -> None:
    with pytest.raises(ValueError):
        backend.index_documents(LOGS_INDEX, [{"service": "api", "message": "no time"}])


def test_runbook_sections_keep_their_embedding_and_title_weighs_more(backend: SearchBackend) -> None:
    sections = [
        {
            "_id": "a#0",
            "id": "db/DiskFull",
            "title": "Disk full",
            "body": "Check volumes.",
            "embedding": [0.5, 0.25],
        },
        {"_id": "b#0", "id": "db/Replication", "title": "Replication lag", "body": "The disk may be full."},
    ]
    backend.index_documents(RUNBOOKS_INDEX, sections)
    hits = backend.search(RUNBOOKS_INDEX, "disk full", k=2)
    assert [h.source["id"] for h in hits] == ["db/DiskFull", "db/Replication"]
    stored = {h.id: h.source for h in backend.scan(RUNBOOKS_INDEX, filters={"id": "db/DiskFull"})}
    assert list(stored) == ["a#0"]
    assert stored["a#0"]["embedding"] == [0.5, 0.25]
    assert "_id" not in stored["a#0"]
