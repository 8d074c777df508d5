"""Prometheus metrics and structured logging shared by every function."""

from __future__ import annotations

import logging
import sys

import structlog
from prometheus_client import Counter, Histogram

HTTP_REQUESTS = Counter("sreo_http_requests", "HTTP requests served.", ["route", "method", "code"])
HTTP_LATENCY = Histogram("sreo_http_request_duration_seconds", "HTTP request latency.", ["route", "method"])
EVENTS_PROCESSED = Counter("sreo_events_processed", "CloudEvents handled.", ["consumer", "type", "outcome"])
EVENT_LATENCY = Histogram("sreo_event_processing_seconds", "Time to handle one CloudEvent.", ["consumer"])
DEAD_LETTERS = Counter("sreo_dead_letters", "Events parked in the dead-letter store.", ["trigger"])
EVIDENCE = Counter("sreo_evidence", "Evidence answers by domain and status.", ["domain", "status"])
REPORT_LATENCY = Histogram(
    "sreo_report_latency_seconds", "From incident accepted to report stored.",
    buckets=(0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120, 300),
)


def configure_logging(level: str = "INFO", json_output: bool = False) -> None:
    """structlog for our own events; libraries (httpx, mcp, drain3) only speak up at WARNING."""
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    renderer = structlog.processors.JSONRenderer() if json_output else structlog.dev.ConsoleRenderer(colors=False)
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            renderer,
        ],
        wrapper_class=structlog.make_filtering_bound_logger(logging.getLevelName(level)),
        logger_factory=structlog.PrintLoggerFactory(file=sys.stderr),
        cache_logger_on_first_use=False,
    )


log = structlog.get_logger("sreo")
