"""Fixtures of the pipeline tests: a whole orchestrator in-process."""

from support.orchestrator_fixtures import make_orchestrator, orchestrator  # noqa: F401
