"""A published report to notify about."""

from __future__ import annotations

from sreo_events.models import Action, PublishedCause, ReportPublished


def published(**overrides) -> ReportPublished:
    cause = PublishedCause(
        component="payments", kind="pod_crashloop", confidence=0.43,
        reason="payments crashed after the 14:53 rollout: PAYMENT_GATEWAY_URL is not set",
        evidence=["pod payments-7d9 restarted 12 times", "log: connect failed password=hunter2"],
        actions=[Action(id="rollback", title="Roll back payments", command="kubectl rollout undo deploy/payments",
                        risk="high", requires_approval=True),
                 Action(id="logs", title="Read the logs", risk="low")])
    values = {"incident_id": "inc-42", "title": "Checkout errors", "url": "/incidents/inc-42/report",
              "severity": "critical", "service": "checkout", "namespace": "shop", "summary": "payments crashed",
              "top_cause": "payments", "causes": [cause]}
    return ReportPublished(**{**values, **overrides})
