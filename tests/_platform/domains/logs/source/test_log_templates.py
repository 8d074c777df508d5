"""Template mining and `sreo logs templates`, on lines written here."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from functions._platform.domains.logs.source.mining import TemplateMiner


def test_values_are_masked_and_words_kept_apart() -> None:
    miner = TemplateMiner()
    ids = [miner.add(text) for text in (
        "Received disconnect from 10.0.0.1: 11: Bye Bye [preauth]",
        "Received disconnect from 10.0.0.2: 11: Bye Bye [preauth]",
        "Received disconnect from 10.0.0.3: 11: disconnected by user",
        "Failed password for root from 10.0.0.1 port 4000 ssh2",
        "Failed password for admin from 10.0.0.9 port 4100 ssh2",
        "served block blk_-123 to /10.0.0.1",
        "served block blk_456 to /10.0.0.2",
    )]
    assert ids[0] == ids[1] != ids[2]
    assert ids[3] == ids[4] and ids[5] == ids[6]
    assert miner.template(ids[3]) == "Failed password for <*> from <*> port <*> ssh<*>"


def test_an_ipv6_address_is_one_value_and_a_clock_is_not_an_address() -> None:
    miner = TemplateMiner()
    ids = [miner.add(f"Failed password for root from {peer} port 22 ssh2")
           for peer in ("203.0.113.9", "2001:db8::7", "::ffff:198.51.100.2", "2606:2800:220:1:248:1893:25c8:1946")]
    assert len(set(ids)) == 1
    assert [t.text for t in miner.templates] == ["Failed password for root from <*> port <*> ssh<*>"]
    clock = TemplateMiner()
    assert clock.add("retry at 12:57:32 done") == clock.add("retry at 13:01:09 done")


def test_templates_command_stores_nothing(tmp_path: Path, monkeypatch) -> None:
    from functions._local.commands import logs
    from functions._platform.config import reset_settings

    home = tmp_path / "home"
    monkeypatch.setenv("SREO_HOME", str(home))
    reset_settings()
    log = tmp_path / "app.log"
    log.write_text("2024-05-01 12:00:00 INFO user 17 logged in\n\n"
                   "2024-05-01 12:00:01 ERROR job 9 failed\n\tat Job.run(Job.java:3)\n"
                   "2024-05-01 12:00:02 INFO user 18 logged in\n")
    try:
        done = CliRunner().invoke(logs.app, ["templates", str(log), "--json"])
    finally:
        reset_settings()
    assert done.exit_code == 0, done.output
    result = json.loads(done.stdout.splitlines()[0])
    lines = result["lines"]
    assert len(lines) == 5 and lines[1] == 0 and lines[0] == lines[4] != lines[2] == lines[3]
    counts = {t["template"]: t["count"] for t in result["templates"]}
    assert counts["user <*> logged in"] == 2
    assert not home.exists()
