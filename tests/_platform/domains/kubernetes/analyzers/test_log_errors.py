from __future__ import annotations

from pathlib import Path

from kube_snapshots import found, found_on
from support.kube_cluster import healthy_cluster

from functions._platform.domains.kubernetes.analyzers.log_errors import LogErrorAnalyzer


def test_the_crashloop_log_cluster_yields_container_log_error_on_payments(tmp_path: Path) -> None:
    finding = found_on(LogErrorAnalyzer(), "crashloop_log", "payments", tmp_path)
    assert finding.kind == "container_log_error"


def test_the_refused_dependency_cluster_yields_container_log_error_on_checkout(tmp_path: Path) -> None:
    finding = found_on(LogErrorAnalyzer(), "refused_dependency", "checkout", tmp_path)
    assert finding.kind == "container_log_error"


def test_a_healthy_cluster_gives_no_container_log_error(tmp_path: Path) -> None:
    assert found(LogErrorAnalyzer(), healthy_cluster(), tmp_path) == []


def test_a_refusal_that_names_no_host_carries_the_protocol_that_refused(tmp_path: Path) -> None:
    """fluent-bit's bulk reply says the index is read-only but not which host: the protocol lets the twin find it."""
    cluster = healthy_cluster()
    reply = ('[2026/03/14 10:29:52] [error] [output:es:es.0] HTTP status=200 URI=/_bulk, response: {"errors":true,'
             '"items":[{"index":{"status":403,"error":{"type":"cluster_block_exception","reason":"index '
             '[logstash-2026.03.14] blocked by: [FORBIDDEN/12/index read-only / allow delete (api)];"}}}]}')
    cluster["logs"][("shop", "checkout-aaa111-x1", "checkout", False)] = "\n".join([reply] * 5) + "\n"
    [finding] = [f for f in found(LogErrorAnalyzer(), cluster, tmp_path) if f.subject == "checkout"]
    assert (finding.evidence["category"], finding.evidence["protocol"]) == ("dependency_refused", "elasticsearch")


def test_a_traceback_is_dated_by_the_record_above_it_in_any_layout(tmp_path: Path) -> None:
    """Django writes the level first (`ERROR 2026-... ,546`) and the exception's lines carry no time at all."""
    from kube_snapshots import CONTEXT

    at = CONTEXT.window.start + (CONTEXT.window.end - CONTEXT.window.start) / 2
    cluster = healthy_cluster()
    cluster["logs"][("shop", "checkout-aaa111-x1", "checkout", False)] = (
        f"ERROR {at:%Y-%m-%d %H:%M:%S},546 log Internal Server Error: /usage/\n"
        "Traceback (most recent call last):\n"
        '  File "/app/db.py", line 12, in connect\n'
        'psycopg2.OperationalError: connection to server at "orders-db" (10.0.0.9), port 5432 failed: FATAL:  '
        "sorry, too many clients already\n")
    [finding] = [f for f in found(LogErrorAnalyzer(), cluster, tmp_path) if f.evidence["category"] == "connection_limit"]
    assert finding.onset == at.replace(microsecond=546000)
    assert finding.evidence["line_counts"].get("window") == 1


def test_a_log_class_with_no_line_since_the_window_began_is_marked_ended(tmp_path: Path) -> None:
    """MySQL warned once, in the baseline, that it could not resolve a client's address; nothing since. The finding
    stays as evidence, at half its score, and says it had ended, so it does not date the database."""
    from kube_snapshots import CONTEXT

    before = CONTEXT.baseline.start + (CONTEXT.baseline.end - CONTEXT.baseline.start) / 2
    during = CONTEXT.window.start + (CONTEXT.window.end - CONTEXT.window.start) / 2
    cluster = healthy_cluster()
    warning = "[Warning] [MY-010055] [Server] IP address '10.52.2.87' could not be resolved: Name or service not known"
    refused = "connect ECONNREFUSED 10.0.0.9:5432"
    cluster["logs"][("shop", "orders-db-ddd444-x1", "orders-db", False)] = f"{before:%Y-%m-%dT%H:%M:%S.%fZ} 0 {warning}\n"
    cluster["logs"][("shop", "checkout-aaa111-x1", "checkout", False)] = (
        f"{before:%Y-%m-%dT%H:%M:%S.%fZ} error {refused}\n{during:%Y-%m-%dT%H:%M:%S.%fZ} error {refused}\n")
    findings = {f.subject: f for f in found(LogErrorAnalyzer(), cluster, tmp_path)}
    quiet, ongoing = findings["orders-db"], findings["checkout"]
    assert quiet.evidence["category"] == "dns_failure" and quiet.evidence.get("ended_before_window") is True
    assert "ended_before_window" not in ongoing.evidence
    assert quiet.score < ongoing.score
