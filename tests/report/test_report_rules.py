"""Every finding kind declares its actions, destructive actions need approval, and action ids stay stable."""

from __future__ import annotations

import re

import pytest
from report_cases import LOCK, ROLLOUT, finding
from support.paths import REPO_ROOT

from functions._platform.analyzers.kinds import declared
from functions.report.actions import suggest

DOMAINS = REPO_ROOT / "functions" / "_platform" / "domains"
DESTRUCTIVE = re.compile(r"pg_terminate_backend|pg_cancel_backend|rollout (undo|restart)|kubectl drain|"
                         r"set resources|ALTER ROLE", re.IGNORECASE)


def documented_kinds() -> set[str]:
    kinds = set()
    for readme in DOMAINS.glob("*/analyzers/README.md"):
        kinds |= set(re.findall(r"^\|\s*`([a-z_]+)`\s*\|", readme.read_text(), re.MULTILINE))
    return kinds


def emitted_kinds() -> set[str]:
    """Kinds set in analyzer code: `kind="..."`, `kind = "a" if ... else "b"`, and metrics analyzers' names."""
    kinds = set()
    for source in DOMAINS.glob("*/analyzers/**/*.py"):
        text = source.read_text()
        for line in re.findall(r"""\bkind\s*=\s*("[a-z_]+".*)""", text):
            kinds |= set(re.findall(r'"([a-z_]+)"', line.split(",")[0]))
    for source in (DOMAINS / "metrics" / "analyzers").glob("*.py"):
        kinds |= set(re.findall(r"""^\s+name\s*=\s*"([a-z_]+)\"""", source.read_text(), re.MULTILINE))
    return kinds


def test_every_documented_or_emitted_kind_has_a_rule_or_a_deliberate_fallback() -> None:
    kinds = documented_kinds() | emitted_kinds()
    assert {"pod_crashloop", "pod_oomkilled", "lock_contention", "recent_rollout", "latency_creep"} <= kinds
    assert sorted(kinds - set(declared())) == []
    assert all(kind.actions for kind in declared().values())  # GENERIC is the deliberate fallback


@pytest.mark.parametrize("kind", sorted(declared()))
def test_destructive_commands_require_approval(kind: str) -> None:
    for rule in declared()[kind].actions:
        if rule.command and DESTRUCTIVE.search(rule.command):
            assert rule.requires_approval, f"{kind}/{rule.key} runs {rule.command!r} without approval"
        if rule.risk == "high":
            assert rule.requires_approval, f"{kind}/{rule.key} is high risk"


def test_lock_contention_names_the_blocker_pid_from_the_evidence() -> None:
    terminate = next(a for a in suggest([LOCK], "shop") if a.command and "terminate" in a.command)
    assert terminate.command == "SELECT pg_terminate_backend(4242);" and terminate.requires_approval
    assert terminate.risk == "high" and "4242" in terminate.id and "postgres-orders" in terminate.id


def test_missing_evidence_shows_a_placeholder_never_a_wrong_value() -> None:
    bare = finding("lock_contention", "postgres/orders", "blocked")
    terminate = next(a for a in suggest([bare], None) if a.command)
    assert terminate.command == "SELECT pg_terminate_backend(<blocker pid>);"


def test_rollback_targets_the_previous_revision_and_comes_first() -> None:
    crash = finding("pod_crashloop", "payments", "looping", namespace="shop", containers=["api"], pods=["p-1"])
    actions = suggest([crash, ROLLOUT], None)
    assert actions[0].id == "rollback-payments" and actions[0].requires_approval
    assert actions[0].command == "kubectl rollout undo deployment/payments -n shop --to-revision=3"
    assert any(a.command == "kubectl logs deployment/payments -n shop -c api --previous --tail=200" for a in actions)


def test_oomkilled_suggests_raising_the_limit_with_approval() -> None:
    oom = finding("pod_oomkilled", "api", "OOMKilled", namespace="prod", containers=["server"])
    raise_limit = suggest([oom], None)[0]
    assert raise_limit.requires_approval and "-c server --limits=memory=" in (raise_limit.command or "")


def test_ids_depend_on_the_finding_not_on_rank_or_neighbours() -> None:
    alone = {a.id for a in suggest([LOCK], "shop")}
    with_others = {a.id for a in suggest([ROLLOUT, LOCK], "shop")}
    assert alone <= with_others and alone == {a.id for a in suggest([LOCK], "shop")}
    other_blocker = finding("lock_contention", "postgres/orders", "x", blocker={"pid": 7})
    assert not alone & {a.id for a in suggest([other_blocker], "shop")}


def test_unknown_kinds_get_the_generic_investigation() -> None:
    actions = suggest([finding("something_new", "svc", "odd")], None)
    assert [a.id for a in actions] == ["investigate-svc"] and not actions[0].requires_approval


def test_a_victim_the_cause_explains_gets_no_restart_and_evidence_drives_the_commands() -> None:
    pull = finding("image_pull_error", "cart", "cannot pull", namespace="shop", pods=["cart-7c9d-x2"],
                   images=["registry.shop.io/cart:2.4.1"],
                   messages=[('rpc error: code = NotFound desc = failed to pull and unpack image '
                             '"registry.shop.io/cart:2.4.1": not found')])
    victim = finding("container_log_error", "checkout", "refused", namespace="shop", category="connection_refused",
                     target={"cart:8080": 40})
    actions = suggest([pull, victim], "shop", component="cart")
    commands = [a.command or "" for a in actions]
    assert "skopeo list-tags docker://registry.shop.io/cart" in commands
    assert "not found" in actions[0].title and "registry.shop.io/cart:2.4.1" in actions[0].title
    assert not any(DESTRUCTIVE.search(c) and "checkout" in c for c in commands)
    assert all(not a.requires_approval for a in actions if "checkout" in a.id)


def test_an_unbound_claim_points_at_the_claim_and_its_storage_class() -> None:
    claim = finding("pvc_pending", "reports-db", "pending", namespace="shop", pvc="data-reports-db-0",
                    storage_class="fast-ssd", reason='storageclass "fast-ssd" not found')
    commands = [a.command for a in suggest([claim], None, component="reports-db")]
    assert "kubectl get storageclass fast-ssd -o yaml" in commands
    assert any(c and c.startswith("kubectl get pvc data-reports-db-0 -n shop") for c in commands)


def test_a_pod_waiting_for_its_claim_is_not_told_to_add_capacity() -> None:
    waiting = finding("pod_unschedulable", "reports-db", "pending", namespace="shop", pods=["reports-db-0"],
                      scheduler_message="0/3 nodes are available: pod has unbound immediate PersistentVolumeClaims.",
                      scheduler_reasons={})
    short = finding("pod_unschedulable", "ml-worker", "pending", namespace="shop", pods=["ml-worker-1"],
                    scheduler_message="0/3 nodes are available: 3 Insufficient memory.",
                    scheduler_reasons={"Insufficient memory": 3})
    assert [a.id.split("-reports")[0] for a in suggest([waiting], None)] == ["bind-claims"]
    titles = [a.title for a in suggest([short], None)]
    assert titles == ["Free or add capacity (Insufficient memory), or relax ml-worker's scheduling constraints"]
