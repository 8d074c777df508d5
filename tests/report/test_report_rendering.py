"""Report content and its Markdown, HTML (checked in headless Chromium) and post-mortem renderings."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from report_cases import HOSTILE, causes, finding, store_incident

from functions.report import html

SECTION_ORDER = ["## Impact", "## Most probable cause", "## Evidence", "## What to do now", "## Runbooks",
                 "## Checked and healthy", "## Could not be checked", "## Timeline", "## Post-mortem"]
HTML_SECTIONS = ["glance", "impact", "cause", "evidence", "actions", "runbooks", "healthy", "unchecked", "timeline",
                 "postmortem"]


def _with_runbook(path: str = "runbooks/postgres/PostgresLockContention.md"):
    from sreo_events.models import RunbookRef

    cause_list = causes()
    cause_list[0].runbooks = [RunbookRef(id="postgres/PostgresLockContention", title="Lock contention",
                                         section="Mitigation", path=path, score=1.0)]
    return cause_list


def test_markdown_sections_come_in_the_order_a_responder_reads_them(make_sqlite_served) -> None:
    served = make_sqlite_served()
    store_incident(served.host.runtime, failed={"auth": "identity provider API returned 502"}, cause_list=_with_runbook())
    text = served.client.get("/incidents/inc-1/report", params={"format": "markdown"}).text
    positions = [text.find(heading) for heading in SECTION_ORDER]
    assert -1 not in positions, [h for h, p in zip(SECTION_ORDER, positions, strict=True) if p < 0]
    assert positions == sorted(positions)
    assert "**postgres/orders** is blocked on locks (medium confidence (70%): check the evidence)" in text
    assert "- auth: failed — identity provider API returned 502" in text
    assert "[Mitigation](/runbooks/postgres/PostgresLockContention#mitigation)" in text  # served by sreo
    assert "`SELECT pg_terminate_backend(4242);`" in text and "**requires approval**" in text


def test_json_keeps_the_stable_cause_shape_and_adds_sections(make_sqlite_served) -> None:
    served = make_sqlite_served(prometheus_url="http://prom.example:9090/")
    store_incident(served.host.runtime, missing=["auth"])
    body = served.client.get("/incidents/inc-1/report").json()
    assert [c["component"] for c in body["causes"]] == ["postgres/orders", "payments", "checkout"]
    for cause in body["causes"]:
        assert {"component", "kind", "score", "confidence", "reason", "evidence", "actions", "runbooks"} <= set(cause)
    assert body["top_cause"]["component"] == "postgres/orders" and body["top_cause"]["confidence"] == 0.7
    assert body["affected"]["symptoms"] == ["orders p95 above 2s"]
    assert body["unchecked"] == [{"domain": "auth", "status": "missing",
                                  "reason": "never answered before the deadline"}]
    by_kind = {entry["kind"]: entry for entry in body["evidence"]}
    assert by_kind["lock_contention"]["domain"] == "database" and by_kind["lock_contention"]["query"]
    link = by_kind["error_ratio_spike"]["link"]
    assert link.startswith("http://prom.example:9090/graph?g0.expr=sum%28rate%28http_requests_total")
    assert "g0.range_input=35m" in link and "g0.end_input=2026-03-04%2010%3A05%3A00" in link
    search = by_kind["new_log_template"]["log_search"]
    assert search["service"] == "checkout" and search["phrase"] == "charge failed: dial tcp"
    assert search["query"] == 'service:"checkout" AND "charge failed: dial tcp"'
    assert "link" not in by_kind["new_log_template"]


def test_no_prometheus_url_means_no_graph_links(make_sqlite_served) -> None:
    served = make_sqlite_served(prometheus_url=None)
    store_incident(served.host.runtime)
    body = served.client.get("/incidents/inc-1/report").json()
    assert not any("link" in entry for entry in body["evidence"])


def test_html_is_escaped_self_contained_and_served_with_a_policy(make_sqlite_served) -> None:
    served = make_sqlite_served()
    cause_list = _with_runbook(path="javascript:alert(1)")
    cause_list[1].evidence = [finding("recent_rollout", "payments", HOSTILE, HOSTILE, namespace="shop")]
    store_incident(served.host.runtime, title=HOSTILE, cause_list=cause_list)
    response = served.client.get("/incidents/inc-1/report", params={"format": "html"})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    assert "default-src 'none'" in response.headers["content-security-policy"]
    page = response.text
    assert "<script" not in page and "onerror=alert" not in page.replace("onerror=alert(1)&gt;", "")
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    assert 'href="javascript' not in page
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page), "the page must not load external assets"
    for section in HTML_SECTIONS:
        assert f'id="{section}"' in page


def _chromium(binary: str, tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             f"--user-data-dir={tmp_path / 'chromium-profile'}"]
    return subprocess.run([binary, *flags, *args], capture_output=True, text=True, timeout=120, check=False)


def test_html_renders_in_headless_chromium(make_sqlite_served, chromium: str, tmp_path: Path) -> None:
    served = make_sqlite_served()
    store_incident(served.host.runtime, title=HOSTILE, failed={"auth": "timeout"}, cause_list=_with_runbook())
    page = tmp_path / "report.html"
    page.write_text(served.client.get("/incidents/inc-1/report", params={"format": "html"}).text)

    dom = _chromium(chromium, tmp_path, "--dump-dom", page.as_uri())
    assert dom.returncode == 0, dom.stderr[-2000:]
    for section in HTML_SECTIONS[1:]:  # the glance panel has no heading: its first line is the headline
        assert re.search(rf'<section id="{section}">\s*<h2>', dom.stdout), section
    assert "<script" not in dom.stdout, "escaped text must never become an element"
    assert "&lt;script&gt;" in dom.stdout
    assert "Terminate the blocking session (pid 4242) on postgres/orders" in dom.stdout

    shot = tmp_path / "report.png"
    result = _chromium(chromium, tmp_path, f"--screenshot={shot}", "--window-size=1200,2000", page.as_uri())
    assert result.returncode == 0 and shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_html_page_of_an_open_report_without_causes(make_sqlite_served) -> None:
    served = make_sqlite_served()
    store_incident(served.host.runtime, cause_list=[])
    page = served.client.get("/incidents/inc-1/report", params={"format": "html"}).text
    assert "No cause could be ranked" in page and "Content-Security-Policy" in page
    assert page.count("<section") == len(HTML_SECTIONS) and html.STYLE.strip()[:20] in page


def test_unknown_format_is_rejected(make_sqlite_served) -> None:
    served = make_sqlite_served()
    store_incident(served.host.runtime)
    response = served.client.get("/incidents/inc-1/report", params={"format": "pdf"})
    assert response.status_code == 422 and "html" in response.json()["error"]["message"]


def test_a_callers_finding_listed_under_its_cause_is_labelled_as_a_symptom(make_sqlite_served) -> None:
    from report_cases import METRIC, ROLLOUT

    from sreo_events.models import Cause

    served = make_sqlite_served()
    store_incident(served.host.runtime, cause_list=[Cause(component="payments", kind="recent_rollout", score=0.9,
                                                confidence=0.6, reason="explains checkout",
                                                evidence=[ROLLOUT, METRIC])])
    markdown = served.client.get("/incidents/inc-1/report", params={"format": "markdown"}).text
    assert "- **recent_rollout** (" in markdown
    assert "- **error_ratio_spike** on checkout, a symptom it explains (" in markdown
    page = served.client.get("/incidents/inc-1/report", params={"format": "html"}).text
    assert page.count("a symptom it explains") == 1
