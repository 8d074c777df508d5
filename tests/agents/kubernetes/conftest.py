"""Shared helper: the investigation request the tests send."""

from __future__ import annotations

from kube_cluster import NS, WINDOW_END, WINDOW_START

from sreo_events.models import InvestigationRequested, TimeWindow


def investigation(service: str | None = None, namespace: str | None = NS) -> InvestigationRequested:
    return InvestigationRequested(
        incident_id="inc-k8s-1", domain="kubernetes", service=service, namespace=namespace,
        window=TimeWindow(start=WINDOW_START, end=WINDOW_END), deadline=WINDOW_END,
    )
