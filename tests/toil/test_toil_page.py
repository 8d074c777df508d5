"""The toil page in headless Chromium: each number sits under its own header, and the summary is on the first
screen."""

from __future__ import annotations

import re
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
from support.png import has_colour
from support.servers import require_binary
from test_toil_core import END, START, fact

from functions.toil.measure import compute
from functions.toil.render import html

SUMMARY_BORDER = (0x3D, 0x6F, 0xD8)


@pytest.fixture
def chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        try:
            return require_binary(name)
        except pytest.skip.Exception:
            continue
    return require_binary("chromium")


def _week():
    facts = [fact(END - timedelta(days=d, hours=h), alert=f"Alert{d % 3}", severity="critical" if h == 3 else "warning",
                  resolved_after=timedelta(minutes=20 + d), causes=[("payments", "pod_crashloop")], count=2 + d)
             for d in range(1, 6) for h in (3, 14)]
    return compute(facts, START, END)


def test_numbers_sit_under_their_headers_and_the_summary_is_on_the_first_screen(chromium: str,
                                                                               tmp_path: Path) -> None:
    page = tmp_path / "toil.html"
    page.write_text(html(_week()))
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run",
             f"--user-data-dir={tmp_path / 'profile'}"]
    dom = subprocess.run([chromium, *flags, "--dump-dom", page.as_uri()], capture_output=True, text=True,
                         timeout=120, check=False).stdout
    tables = re.findall(r"<table>.*?</table>", dom, re.DOTALL)
    assert tables
    for table in tables:
        heads = re.findall(r"<th( class=\"n\")?>", table)
        first_row = re.search(r"<tbody><tr>(.*?)</tr>", table, re.DOTALL).group(1)
        cells = re.findall(r"<td( class=\"n\")?>", first_row)
        assert [bool(h) for h in heads] == [bool(c) for c in cells], table[:300]
        assert any(heads), "some column is numeric"
    shot = tmp_path / "toil.png"
    result = subprocess.run([chromium, *flags, f"--screenshot={shot}", "--window-size=1280,800", page.as_uri()],
                            capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0 and has_colour(shot.read_bytes(), SUMMARY_BORDER)
