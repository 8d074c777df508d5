"""Evidence is shown, never obeyed: log lines, Kubernetes messages and user text with markup in them render inert
in Markdown, HTML and plain text, over REST and through `sreo incident show`."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from markdown_it import MarkdownIt
from report_cases import causes, finding, store_incident
from support.orchestrator import orchestrators
from support.paths import REPO_ROOT

from functions._platform.rendering import markdown_text, markdown_url, safe_url

ROOT = REPO_ROOT
LOG_LINE = ("ERROR <script>alert(1)</script> | col | `rm -rf /` *bold* _em_ [click](javascript:alert(2))"
            "\n# not a heading\n- not an item\x1b[31m red")
K8S_MESSAGE = 'Back-off pulling image "evil<img src=x onerror=alert(3)>" | [x](javascript:alert(4))'
TITLE = "checkout **down** <b>now</b> | [x](javascript:alert(5))"


def _hostile_causes():
    cause_list = causes()
    cause_list[0].reason = K8S_MESSAGE
    cause_list[0].evidence = [finding("new_log_template", "postgres/orders", LOG_LINE, "fetch_records()")]
    cause_list[1].evidence = [finding("image_pull_error", "payments", K8S_MESSAGE, "list_pods()")]
    return cause_list


def _rendered_html(markdown: str) -> str:
    return MarkdownIt("commonmark", {"html": True}).enable("table").render(markdown)


def _assert_inert_markdown(text: str) -> None:
    page = _rendered_html(text)
    assert "<script" not in page and "<img" not in page and "<b>" not in page
    assert 'href="javascript' not in page
    assert "\x1b" not in text
    assert "<strong>bold</strong>" not in page and "<em>em</em>" not in page
    assert "<h1>not a heading</h1>" not in page
    assert "# not a heading" in text.replace("\\#", "#")  # kept as words, on the evidence line


def test_hostile_evidence_renders_inert_in_markdown_over_rest(make_sqlite_served) -> None:
    served = make_sqlite_served()
    store_incident(served.host.runtime, title=TITLE, cause_list=_hostile_causes())
    text = served.client.get("/incidents/inc-1/report", params={"format": "markdown"}).text
    _assert_inert_markdown(text)
    headings = [line for line in text.splitlines() if line.startswith("#")]
    assert headings[0].startswith("# checkout") and all(h.startswith(("# ", "## ")) for h in headings)
    assert not any("not a heading" in h for h in headings)
    evidence = text[text.index("## Evidence"):text.index("## What to do now")]
    assert len([line for line in evidence.splitlines() if "not a heading" in line]) == 1
    draft = served.client.get("/incidents/inc-1/report", params={"format": "postmortem"}).text
    _assert_inert_markdown(draft)


def test_hostile_evidence_renders_inert_in_html_and_text_over_rest(make_sqlite_served) -> None:
    served = make_sqlite_served()
    store_incident(served.host.runtime, title=TITLE, cause_list=_hostile_causes())
    page = served.client.get("/incidents/inc-1/report", params={"format": "html"}).text
    assert "<script" not in page and "<img" not in page and "<b>now" not in page and "\x1b" not in page
    assert 'href="javascript' not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    text = served.client.get("/incidents/inc-1/report", params={"format": "text"}).text
    assert "\x1b" not in text and "not a heading" in text
    assert all(not line.startswith(("#", "-")) for line in text.splitlines())


def test_hostile_evidence_renders_inert_through_the_cli(tmp_path: Path) -> None:
    home = tmp_path / "home"
    with orchestrators(home=home, database_url=None) as make:
        served = make()
        store_incident(served.host.runtime, title=TITLE, cause_list=_hostile_causes())
    environment = {**os.environ, "SREO_HOME": str(home)}
    environment.pop("SREO_DATABASE_URL", None)
    shown = subprocess.run([sys.executable, "-m", "functions._local.cli", "incident", "show", "inc-1"], cwd=ROOT,
                           env=environment, capture_output=True, text=True, timeout=180, check=False)
    assert shown.returncode == 0, shown.stderr[-2000:]
    _assert_inert_markdown(shown.stdout)


def test_markdown_text_keeps_table_cells_and_words() -> None:
    row = f"| {markdown_text(LOG_LINE)} | next |"
    table = _rendered_html(f"| line | other |\n|---|---|\n{row}\n")
    assert table.count("<td>") == 2 and "<script" not in table
    assert markdown_text("payments_api: 60% of requests failed.") == "payments_api: 60% of requests failed."


def test_only_http_and_relative_links_survive() -> None:
    for url in ("javascript:alert(1)", " JavaScript:alert(1)", "java\tscript:alert(1)", "data:text/html,x",
                "vbscript:x", "a:b/c"):
        assert safe_url(url) is None and markdown_url(url) is None, url
    assert safe_url("/runbooks/postgres/Lock#mitigation") == "/runbooks/postgres/Lock#mitigation"
    assert markdown_url("https://wiki.example.com/a (b)") == "https://wiki.example.com/a%28b%29"
    assert re.fullmatch(r"[^\s()<>]+", markdown_url("https://x.example/y(1)<z>"))


def test_arrows_stay_readable_and_a_leading_quote_marker_is_escaped() -> None:
    assert markdown_text("payments:2.3.1 -> payments:2.4.0") == "payments:2.3.1 -> payments:2.4.0"
    assert markdown_text("> quoted") == "\\> quoted"
    tokens = [t.type for t in MarkdownIt().parse(markdown_text("> quoted <b>x</b>"))]
    assert "blockquote_open" not in tokens and "html_inline" not in tokens


def test_a_bare_address_in_evidence_reads_as_itself_but_is_not_written_as_one() -> None:
    """Renderers that link bare addresses (GFM, Teams, chat clients) look for `scheme://` and `www.` in the source:
    evidence keeps neither, yet renders as the same words."""
    line = "GET https://evil.example/login?next=x took 7.9 s; see www.evil.example or ops@evil.example"
    escaped = markdown_text(line)
    assert "://" not in escaped and "www." not in escaped and "ops@evil" not in escaped
    assert MarkdownIt("commonmark").renderInline(escaped) == line.replace("&", "&amp;")
    assert markdown_text("2/3 pods ready at 10:30") == "2/3 pods ready at 10:30"
