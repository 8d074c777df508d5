"""The report at a glance, checked in headless Chromium: the cause in plain words and its chart are on the first
screen, confidence is in words and never in the colour of "safe" below the high bar."""

from __future__ import annotations

import re
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
from report_cases import T0, causes, store_incident
from support.png import has_colour

from functions.report import glance

AMBER, GREEN, SERIES = (0xC7, 0x77, 0x00), (0x1B, 0x6B, 0x32), (0xC0, 0x39, 0x2B)


def _with_series(confidence: float):
    cause_list = causes()
    top = cause_list[0]
    top.confidence = confidence
    finding = top.evidence[0]
    start = T0 - timedelta(minutes=30)
    finding.evidence = {**finding.evidence, "baseline_band": [1.0, 3.0], "points": [
        [(start + timedelta(minutes=m)).isoformat(), 2.0 + (m % 3) * 0.3 + (25 if m >= 20 else 0)]
        for m in range(31)]}
    finding.onset = start + timedelta(minutes=20)
    return cause_list


def _chromium(binary: str, tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run",
             "--disable-component-update", "--disable-sync", f"--user-data-dir={tmp_path / 'profile'}"]
    return subprocess.run([binary, *flags, *args], capture_output=True, text=True, timeout=120, check=False)


def test_the_headline_and_chart_are_on_the_first_screen(make_sqlite_served, chromium: str, tmp_path: Path) -> None:
    served = make_sqlite_served()
    store_incident(served.host.runtime, cause_list=_with_series(0.7))
    report = served.client.get("/incidents/inc-1/report").json()
    page = tmp_path / "report.html"
    page.write_text(served.client.get("/incidents/inc-1/report", params={"format": "html"}).text)
    dom = _chromium(chromium, tmp_path, "--dump-dom", page.as_uri()).stdout
    main = dom[dom.index("<main>"):]
    assert re.match(r'<main>\s*<section id="glance" class="glance conf-medium">', main)
    assert glance.headline(report) in dom.replace("&amp;", "&")
    assert "<polyline" in main and 'class="onset"' in main and 'class="baseline"' in main
    shot = tmp_path / "first-screen.png"
    result = _chromium(chromium, tmp_path, f"--screenshot={shot}", "--window-size=1280,800", page.as_uri())
    assert result.returncode == 0, result.stderr[-2000:]
    png = shot.read_bytes()
    assert has_colour(png, AMBER), "the medium-confidence panel is not on the first screen"
    assert has_colour(png, SERIES), "the chart is not on the first screen"
    assert not has_colour(png, GREEN), "a 70 % confidence must not be shown in the colour of safe"


@pytest.mark.parametrize(("confidence", "words", "css"), [
    (0.43, "low confidence", "conf-low"), (0.7, "medium confidence", "conf-medium"),
    (0.9, "high confidence", "conf-high")])
def test_confidence_in_words(confidence: float, words: str, css: str) -> None:
    said, colour = glance.confidence(confidence)
    assert said.startswith(words) and colour == css


def test_the_headline_says_what_broke_in_the_headline_finding_s_words() -> None:
    top = causes()[0].model_dump(mode="json")
    finding = top["evidence"][0]
    finding.update(kind=top["kind"], subject=top["component"],
                   summary=f"{top['component']} logs: missing environment variable (PAYMENT_GATEWAY_URL) in 2 line(s)")
    top["reason"] = "anomaly 15.0x baseline spread from 20:41"
    said = glance.headline({"causes": [top], "status": "reported"})
    assert said == finding["summary"], said
    assert "baseline spread" not in said
    top["evidence"] = []  # without a finding of its own, the ranking's reason is all there is
    assert glance.headline({"causes": [top], "status": "reported"}).endswith("anomaly 15.0x baseline spread from 20:41")


def test_markdown_keeps_the_same_order_and_words(make_sqlite_served) -> None:
    served = make_sqlite_served()
    store_incident(served.host.runtime, cause_list=_with_series(0.43))
    report = served.client.get("/incidents/inc-1/report").json()
    markdown = served.client.get("/incidents/inc-1/report", params={"format": "markdown"}).text
    headline = glance.headline(report)
    assert markdown.index(headline) < markdown.index("## Impact") < markdown.index("## Most probable cause")
    assert "low confidence (43%): a lead, not a verdict" in markdown.lower()
    page = served.client.get("/incidents/inc-1/report", params={"format": "html"}).text
    assert page.index("glance") < page.index('id="impact"') < page.index('id="cause"')


def test_queries_are_folded_away(make_sqlite_served) -> None:
    served = make_sqlite_served()
    store_incident(served.host.runtime)
    page = served.client.get("/incidents/inc-1/report", params={"format": "html"}).text
    evidence = page[page.index('id="evidence"'):page.index('id="actions"')]
    assert "<details><summary>how this was found</summary>" in evidence
    folded = re.findall(r"<details><summary>how this was found</summary>(?:log search: <code>[^<]*</code><br>)?"
                        r"query: <code>", evidence)
    assert folded and len(folded) == evidence.count("query: <code>")


def test_the_post_mortem_is_its_own_document(make_sqlite_served) -> None:
    served = make_sqlite_served()
    store_incident(served.host.runtime)
    markdown = served.client.get("/incidents/inc-1/report", params={"format": "markdown"}).text
    assert markdown.count("Timeline") == 1 and "--format postmortem" in markdown
    draft = served.client.get("/incidents/inc-1/report", params={"format": "postmortem"}).text
    assert draft.startswith("# Post-mortem:") and "Timeline" in draft
    page = served.client.get("/incidents/inc-1/report", params={"format": "html"}).text
    assert "?format=postmortem" in page and page.count("Timeline") == 1
