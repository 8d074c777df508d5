"""A resolver failure whose lines name no DNS server blames the cluster DNS the caller's pods resolve through."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from functions.correlate.twin import resolver_blamed
from sreo_events.models import Finding, TimeWindow

T0 = datetime(2026, 3, 14, 10, 0, tzinfo=UTC)


def _log_class(category: str, subject: str = "catalog") -> Finding:
    return Finding(kind="log_error_class", subject=subject, severity="critical", score=0.8,
                   summary=f"{subject}: {category}", window=TimeWindow(start=T0 - timedelta(minutes=5), end=T0),
                   evidence={"category": category, "lines": 40})


def test_a_resolver_failure_naming_no_server_blames_the_cluster_dns() -> None:
    assert resolver_blamed(_log_class("dns_resolver_failure"), [], "coredns") == ["coredns"]


def test_what_the_lines_name_and_other_classes_are_kept() -> None:
    assert resolver_blamed(_log_class("dns_resolver_failure"), ["node-local-dns"], "coredns") == ["node-local-dns"]
    assert resolver_blamed(_log_class("dns_failure"), [], "coredns") == []  # a wrong name is the caller's
    assert resolver_blamed(_log_class("timeout"), [], "coredns") == []


def test_without_a_known_cluster_dns_nothing_is_named() -> None:
    assert resolver_blamed(_log_class("dns_resolver_failure"), [], None) == []  # not Kubernetes, or not listed
    assert resolver_blamed(_log_class("dns_resolver_failure", subject="coredns"), [], "coredns") == []
