"""`POST /incidents` with an `Idempotency-Key`: a retry gets the first incident back, never a second one; the
same key with another body is a 422; keys belong to their caller and expire. On SQLite and PostgreSQL."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import func, inspect, select, update
from support.api_edge import AUTH, TOKEN

from functions._platform.db.engine import _alembic_config, upgrade
from functions._platform.db.idempotency import IdempotencyKey
from functions._platform.db.models import Base, Incident

REPORT = {"text": "checkout returns 500s", "service": "checkout"}


def _post(client, key: str | None, body: dict = REPORT, token: str = TOKEN):
    headers = {"Authorization": f"Bearer {token}", **({"Idempotency-Key": key} if key else {})}
    return client.post("/incidents", json=body, headers=headers)


def _incidents(orchestrator) -> int:
    with orchestrator.db.session() as session:
        return session.scalar(select(func.count()).select_from(Incident))


def test_a_retry_with_the_same_key_returns_the_first_incident(orchestrator) -> None:
    first = _post(orchestrator.client, "retry-1")
    again = _post(orchestrator.client, "retry-1", {**REPORT, "severity": "warning"})  # the same, said differently
    assert first.status_code == again.status_code == 202
    assert again.json() | {"warning": None} == first.json() | {"warning": None}
    assert again.headers["idempotent-replayed"] == "true" and "idempotent-replayed" not in first.headers
    assert again.headers["location"] == first.headers["location"] == f"/incidents/{first.json()['id']}"
    assert _incidents(orchestrator) == 1
    without = [_post(orchestrator.client, None).json()["id"] for _ in range(2)]
    assert len(set(without)) == 2 and _incidents(orchestrator) == 3


def test_the_same_key_with_another_body_is_a_422(orchestrator) -> None:
    assert _post(orchestrator.client, "k-body").status_code == 202
    reused = _post(orchestrator.client, "k-body", {"text": "payments are slow", "service": "payments"})
    assert reused.status_code == 422 and reused.json()["error"]["code"] == "idempotency_key_reused"
    assert _incidents(orchestrator) == 1


def test_keys_belong_to_their_caller_and_must_be_well_formed(make_orchestrator) -> None:
    orchestrator = make_orchestrator(api_tokens=f"{TOKEN},second-token")
    one = _post(orchestrator.client, "shared").json()["id"]
    other = _post(orchestrator.client, "shared", token="second-token").json()["id"]
    assert one != other and _incidents(orchestrator) == 2
    for bad in ("", "x" * 256, "has space", "naïve"):
        response = orchestrator.client.post("/incidents", json=REPORT,
                                            headers={**AUTH, "Idempotency-Key": bad.encode()})
        assert response.status_code == 400, bad
        assert response.json()["error"]["code"] == "invalid_idempotency_key"
    assert _incidents(orchestrator) == 2


def test_concurrent_retries_open_one_incident(orchestrator) -> None:
    with ThreadPoolExecutor(max_workers=6) as pool:
        answers = list(pool.map(lambda _: _post(orchestrator.client, "burst"), range(6)))
    assert {response.status_code for response in answers} == {202}
    assert len({response.json()["id"] for response in answers}) == 1
    assert _incidents(orchestrator) == 1


def test_an_expired_key_opens_a_new_incident(orchestrator) -> None:
    first = _post(orchestrator.client, "old-key").json()["id"]
    with orchestrator.db.session() as session:
        session.execute(update(IdempotencyKey).values(created_at=datetime.now(UTC) - timedelta(hours=25)))
    second = _post(orchestrator.client, "old-key").json()["id"]
    assert second != first and _post(orchestrator.client, "old-key").json()["id"] == second


def test_model_matches_migration_and_downgrade_removes_the_table(orchestrator) -> None:
    engine = orchestrator.db.engine
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        diffs = compare_metadata(context, Base.metadata)
    assert [d for d in diffs if "idempotency_keys" in repr(d)] == []
    command.downgrade(_alembic_config(engine), "0005")
    assert "idempotency_keys" not in inspect(engine).get_table_names()
    upgrade(engine)
    assert "idempotency_keys" in inspect(engine).get_table_names()
