"""A NetworkPolicy cause's actions name the policy and the call it blocks, and changing the policy needs approval."""

from __future__ import annotations

from datetime import UTC, datetime

from functions.report.actions import suggest
from sreo_events.models import Finding


def test_the_actions_name_the_policy_and_the_blocked_call() -> None:
    finding = Finding(kind="network_policy_blocks", subject="networkpolicy/restrict-egress", severity="critical",
                      score=0.9, summary="blocks cart -> redis.cache:6379/TCP",
                      onset=datetime(2026, 3, 14, 10, 21, tzinfo=UTC),
                      evidence={"namespace": "shop", "policy": "restrict-egress", "caller": "cart", "callee": "redis",
                                "callee_namespace": "cache", "port": 6379, "protocol": "TCP",
                                "blocked_callers": ["cart"]})
    first, *rest = suggest([finding], "shop", "networkpolicy/restrict-egress")
    assert first.title.startswith("Allow cart -> redis.cache on TCP 6379")
    assert first.command == "kubectl get networkpolicy restrict-egress -n shop -o yaml"
    assert first.requires_approval and first.risk == "high"
    assert all("<" not in (action.command or "") for action in [first, *rest])
