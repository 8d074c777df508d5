"""Fixtures of the traces tests: the slow-payments scenario and its OTLP/JSON file."""

from support.traces_fixtures import otlp_file, scenario  # noqa: F401
