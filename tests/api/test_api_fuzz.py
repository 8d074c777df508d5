"""schemathesis over /openapi.json against the in-process ASGI app, with and without tokens: a bounded run
that finds no 5xx and no response that breaks the document (status, content type, headers, body schema)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from support.api_edge import BROKER_TOKEN, RESPONDER_TOKEN, TOKEN
from support.orchestrator import Orchestrator, orchestrators

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_headers_conformance,
          response_schema_conformance]
# Small and fixed: the run is a smoke net over every operation, not a search; it stays well under a minute.
BOUNDED = settings(max_examples=6, deadline=None, database=None, derandomize=True, phases=[Phase.generate],
                   suppress_health_check=list(HealthCheck))


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def fuzzed(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Orchestrator]:
    """One orchestrator per store for the module; PostgreSQL refuses values SQLite keeps (NUL in text)."""
    home = tmp_path_factory.mktemp("fuzz") / "home"
    url = request.getfixturevalue("pg").create_database() if request.param == "postgres" else None
    with orchestrators(home=home, database_url=url, api_tokens=TOKEN, responder_tokens=RESPONDER_TOKEN, broker_token=BROKER_TOKEN,
                       correlation_deadline_s=30, agent_timeout_s=2, runbook_fetch=False) as make:
        yield make()


def _token_for(path: str) -> str:
    if path == "/dead-letters":
        return BROKER_TOKEN
    if path.endswith("/approve"):
        return RESPONDER_TOKEN
    return TOKEN


CALLS: list[str] = []  # every generated request, so a run that generated nothing cannot pass


def _call(headers: dict[str, str] | None) -> Any:
    def call(case: Any) -> None:
        CALLS.append(case.operation.path)
        case.call_and_validate(headers=headers, checks=CHECKS)

    return call


def _fuzz(orchestrator: Orchestrator, with_token: bool, mode: schemathesis.GenerationMode) -> list[str]:
    """Every operation, a bounded number of generated cases each; the failures, one line per operation."""
    api = schemathesis.openapi.from_asgi("/openapi.json", orchestrator.client.app)
    failures: list[str] = []
    for result in api.get_all_operations():
        operation = result.ok()
        headers = {"Authorization": f"Bearer {_token_for(operation.path)}"} if with_token else None

        run = given(case=operation.as_strategy(generation_mode=mode))(BOUNDED(_call(headers)))

        try:
            run()
        except Unsatisfiable:  # no invalid input can be built for it (no parameters, or only a path string)
            pass
        except Exception as exc:  # noqa: BLE001 - collect every operation's failure, then report them together
            failures.append(f"{operation.method.upper()} {operation.path}: {str(exc)[:1500]}")
    return failures


@pytest.mark.parametrize("with_token", [True, False], ids=["token", "no-token"])
@pytest.mark.parametrize("mode", [schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE],
                         ids=["valid", "invalid"])
def test_fuzzing_finds_no_5xx_and_no_response_outside_the_document(fuzzed: Orchestrator, with_token: bool,
                                                                  mode: schemathesis.GenerationMode) -> None:
    before = len(CALLS)
    failures = _fuzz(fuzzed, with_token, mode)
    assert failures == [], "\n\n".join(failures)
    print(f"{len(CALLS) - before} generated requests")
    assert len(CALLS) - before >= 3 * len(fuzzed.client.get("/openapi.json").json()["paths"])
