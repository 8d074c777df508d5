"""The deterministic classifier: labels, alert names and keywords choose the domains, with reasons."""

from __future__ import annotations

import pytest

from functions.triage.classify import classify
from sreo_events.models import Alert


@pytest.mark.parametrize("text, expected", [
    ("payments API times out since 10:00", {"metrics", "logs", "database"}),
    ("checkout returns 500s", {"metrics", "logs", "database"}),
    ("users cannot log in: 401 from the identity provider", {"auth", "logs", "metrics"}),
    ("orders database has too many connections", {"database", "logs", "metrics"}),
])
def test_keywords_pick_domains(text: str, expected: set[str]) -> None:
    assert expected <= set(classify(text))


def test_no_signal_checks_every_domain() -> None:
    assert set(classify("something is off")) == {"kubernetes", "database", "auth", "logs", "metrics"}


def test_alert_labels_and_names_choose_and_explain() -> None:
    reasons = classify("", [Alert(labels={"alertname": "KubePodCrashLooping", "pod": "api-1"})])
    assert "alertname KubePodCrashLooping" in reasons["kubernetes"] and "label pod" in reasons["kubernetes"]
    assert "auth" not in reasons
    explicit = classify("", [Alert(labels={"alertname": "Anything", "sreo_domain": "auth"})])
    assert explicit["auth"] == ["label domain=auth"]
