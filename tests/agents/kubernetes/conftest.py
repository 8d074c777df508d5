"""Shared helpers: the investigation request the tests send, and the binary guard."""

from __future__ import annotations

import os
import shutil

import pytest
from kube_cluster import NS, WINDOW_END, WINDOW_START

from events.models import InvestigationRequested, TimeWindow


def require_binary(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{name} is not installed")
        pytest.skip(f"{name} is not installed")
    return path


def investigation(service: str | None = None, namespace: str | None = NS) -> InvestigationRequested:
    return InvestigationRequested(
        incident_id="inc-k8s-1", domain="kubernetes", service=service, namespace=namespace,
        window=TimeWindow(start=WINDOW_START, end=WINDOW_END), deadline=WINDOW_END,
    )
