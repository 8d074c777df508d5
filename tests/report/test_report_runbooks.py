"""Runbooks attached to causes: fitting ones from the shipped library, never the orchestrator's own runbooks
for a user's incident, and nothing rather than something irrelevant."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from report_cases import finding
from support.paths import REPO_ROOT

from functions._platform.config import Settings
from functions._platform.runbooks.attach import relevant
from functions.report import runbooks
from sreo_events.models import Cause

REPO = REPO_ROOT
CHECKOUT_ALERT = {"alertname": "CheckoutErrorRate", "status": "firing",
                  "labels": {"alertname": "CheckoutErrorRate", "service": "checkout", "namespace": "shop"},
                  "annotations": {"summary": "checkout is failing 60% of requests with 5xx"}}


def _cause(kind: str, component: str, summary: str, confidence: float = 0.3) -> Cause:
    return Cause(component=component, kind=kind, score=0.5, confidence=confidence, reason="test",
                 evidence=[finding(kind, component, summary)])


def _ids(cause: Cause) -> list[str]:
    return [ref.id for ref in cause.runbooks]


def test_user_incidents_get_fitting_runbooks_and_never_the_orchestrators(tmp_path: Path) -> None:
    settings = Settings(home=tmp_path)
    causes = [_cause("pod_crashloop", "payments", "payments: container payments is in CrashLoopBackOff"),
              _cause("error_rate_spike", "checkout", "checkout: 138 errors in 566 lines (24.4%)"),
              _cause("lock_contention", "postgres/orders", "pid 4242 blocks 7 sessions", confidence=0.8)]
    runbooks.attach(settings, causes, [CHECKOUT_ALERT])
    assert _ids(causes[0])[0] == "kubernetes/KubePodCrashLooping"
    assert "service/HighErrorRate" in _ids(causes[1])
    assert _ids(causes[2])[0] == "postgres/PostgresLockContention"
    assert not [i for c in causes for i in _ids(c) if i.startswith("sreo/")]
    assert causes[0].runbooks[0].section == "Diagnosis"  # an uncertain ranking starts with diagnosis
    assert causes[2].runbooks[0].section == "Mitigation"  # a confident one goes to mitigation


def test_orchestrator_incidents_get_the_orchestrators_runbooks(tmp_path: Path) -> None:
    alert = {"alertname": "SreoAgentErrorRateHigh", "status": "firing",
             "labels": {"alertname": "SreoAgentErrorRateHigh", "domain": "database"},
             "annotations": {"summary": "the database agent fails on many investigations"}}
    causes = [_cause("error_rate_spike", "sreo-agent-database", "agent errors")]
    runbooks.attach(Settings(home=tmp_path), causes, [alert])
    assert "sreo/SreoAgentErrorRateHigh" in _ids(causes[0])


def test_nothing_is_attached_when_nothing_fits(tmp_path: Path) -> None:
    causes = [_cause("quantum_flux", "warp-core", "zebra pineapple harmonics detuned")]
    runbooks.attach(Settings(home=tmp_path), causes, [])
    assert causes[0].runbooks == []


def test_the_relevance_floor_drops_hits_the_query_is_not_about() -> None:
    from functions._platform.runbooks.models import RunbookHit

    def hit(runbook_id: str, title: str, score: float) -> RunbookHit:
        return RunbookHit(id=runbook_id, title=title, section="Diagnosis", score=score, path=f"{runbook_id}.md")

    hits = [hit("kubernetes/KubePodCrashLooping", "Pod is crash looping", 9.0),
            hit("sreo/SreoTriageAvailabilityBudgetBurn", "sreo triage is burning its error budget", 8.5),
            hit("kubernetes/KubePodNotReady", "Pod is not ready", 2.0)]
    kept = relevant(hits, "pod crashloop payments container is in CrashLoopBackOff error")
    assert [h.id for h in kept] == ["kubernetes/KubePodCrashLooping"]


def test_the_demo_attaches_crashloop_rollout_and_error_rate_runbooks(tmp_path: Path) -> None:
    env = {**os.environ, "SREO_HOME": str(tmp_path / "home")}
    env.pop("SREO_DATABASE_URL", None)
    result = subprocess.run([sys.executable, "-m", "functions._local.cli", "demo", "--json",
                             "--workdir", str(tmp_path / "demo")], cwd=REPO, env=env, capture_output=True,
                            text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads(result.stdout)
    attached = {rb["id"] for rb in report["runbooks"]}
    assert {"kubernetes/KubePodCrashLooping", "kubernetes/KubeDeploymentRolloutStuck",
            "service/HighErrorRate"} <= attached
    assert not [i for i in attached if i.startswith("sreo/")]
    assert all(rb["section"] in ("Diagnosis", "Mitigation") and rb["link"].endswith(rb["section"].lower())
               for rb in report["runbooks"])
    ids = [action["id"] for action in report["actions"]]
    assert len(ids) == len(set(ids)) and any(a["requires_approval"] for a in report["actions"])


def test_only_runbooks_that_fit_a_ranked_cause_or_an_alert_fit() -> None:
    causes = [_cause("lock_contention", "postgres/orders", "pid 4242 blocks 7 sessions"),
              _cause("pod_crashloop", "payments", "payments is in CrashLoopBackOff")]
    alerts = [CHECKOUT_ALERT]
    assert runbooks.fits("postgres/PostgresLockContention", causes, alerts)  # the cause's kind
    assert runbooks.fits("kubernetes/KubePodCrashLooping", causes, alerts)  # the second cause's kind
    assert runbooks.fits("shop/CheckoutErrorRate", causes, alerts)  # the incident's alert
    assert runbooks.fits("payments/GatewayTimeouts", causes, alerts)  # a ranked cause's component
    assert not runbooks.fits("auth/BruteForceLogin", causes, alerts)
    assert not runbooks.fits("kubernetes/KubeNodeNotReady", causes, alerts)
    assert not runbooks.fits("service/LatencySLOBurn", [], [])


def test_text_search_hits_that_fit_no_cause_or_alert_are_not_attached(tmp_path: Path) -> None:
    settings = Settings(home=tmp_path)
    # the words of a brute-force runbook, on a cause that is not about authentication at all
    causes = [_cause("error_rate_spike", "checkout", "checkout: brute force login failures 401 unauthorized")]
    runbooks.attach(settings, causes, [CHECKOUT_ALERT])
    assert "auth/BruteForceLogin" not in _ids(causes[0])
    assert "service/HighErrorRate" in _ids(causes[0])


def test_the_report_keeps_only_triaged_runbooks_that_fit(make_sqlite_served) -> None:
    from report_cases import causes as ranked_causes
    from report_cases import store_incident

    from functions._platform.db.report_incidents import ReportIncident
    from functions.report import compose
    from sreo_events.models import IncidentCorrelated

    served = make_sqlite_served()
    store_incident(served.host.runtime)
    triaged = [{"id": "auth/BruteForceLogin", "title": "Brute force", "section": None, "path": None, "score": 2.0},
               {"id": "service/HighErrorRate", "title": "High error rate", "section": None, "path": None,
                "score": 1.0},
               {"id": "shop/OrdersLatencyHigh", "title": "Orders latency", "section": None, "path": None,
                "score": 1.0}]
    correlated = IncidentCorrelated(incident_id="inc-1", causes=ranked_causes(), answered=["database"], complete=True)
    with served.db.session() as session:
        incident = session.get(ReportIncident, "inc-1")  # as incident.reported carried them
        incident.runbooks = triaged
        session.flush()
        report = compose.build(session, incident, correlated)
    attached = [entry.id for entry in report.runbooks]
    assert "auth/BruteForceLogin" not in attached
    assert attached == ["service/HighErrorRate", "shop/OrdersLatencyHigh"]  # a cause's kind; the firing alert
