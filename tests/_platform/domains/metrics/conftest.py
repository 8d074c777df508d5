"""Fixtures of the metrics tests: the scenario, its OpenMetrics file and a Prometheus backfilled from it."""

from support.metrics_fixtures import openmetrics_file, prometheus_url, scenario  # noqa: F401
