"""The blameless post-mortem draft: built from the stored timeline, alert times, causes and actions."""

from __future__ import annotations

from datetime import datetime

from report_cases import store_incident


def test_postmortem_draft_content(make_sqlite_served) -> None:
    served = make_sqlite_served()
    store_incident(served.host.runtime, failed={"auth": "identity provider API returned 502"})
    draft = served.client.get("/incidents/inc-1/report").json()["postmortem"]

    assert draft["status"] == "draft" and draft["title"] == "Post-mortem: orders are timing out"
    assert "lock contention in postgres/orders (confidence 70%)" in draft["summary"]
    assert "not resolved yet" in draft["impact"]

    times = [datetime.fromisoformat(e["at"]) for e in draft["timeline"]]
    assert times == sorted(times)
    texts = [e["text"] for e in draft["timeline"]]
    assert texts.index("Alert OrdersLatencyHigh started firing") < texts.index("opened")
    assert any(t.startswith("First anomaly on postgres/orders: lock_contention") for t in texts)
    assert texts[-1].startswith("Report published")

    assert [f["component"] for f in draft["contributing_factors"]] == ["postgres/orders", "payments", "checkout"]
    assert draft["contributing_factors"][0]["evidence"][0].startswith("postgres/orders: pid 4242")
    assert any("auth could not be checked (failed)" in note for note in draft["what_was_hard"])
    assert any("published before every expected domain answered" in n for n in draft["what_was_hard"])
    assert any(note.startswith("Evidence came back from") for note in draft["what_went_well"])

    items = {item["id"]: item for item in draft["action_items"]}
    assert items["terminate-blocker-postgres-orders-4242"]["status"] == "awaiting approval"
    assert items["restore-evidence-auth"]["type"] == "follow-up"
    assert "write-runbook-lock_contention" in items  # no runbook was attached to the top cause


def test_postmortem_format_is_markdown(make_sqlite_served) -> None:
    served = make_sqlite_served()
    store_incident(served.host.runtime)
    response = served.client.get("/incidents/inc-1/report", params={"format": "postmortem"})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/markdown")
    text = response.text
    assert text.startswith("# Post-mortem: orders are timing out")
    headings = ["## Summary", "## Impact", "## Timeline", "## Contributing factors", "## What went well",
                "## What was hard", "## Action items"]
    positions = [text.find(h) for h in headings]
    assert -1 not in positions and positions == sorted(positions)
    assert "- [ ] Terminate the blocking session (pid 4242) on postgres/orders" in text
    assert "blame" in text.lower()


def test_a_report_without_causes_still_has_a_draft(make_sqlite_served) -> None:
    served = make_sqlite_served()
    store_incident(served.host.runtime, cause_list=[])
    draft = served.client.get("/incidents/inc-1/report").json()["postmortem"]
    assert draft["contributing_factors"] == [] and "No cause has been identified yet." in draft["summary"]
    assert "No cause could be ranked from the evidence collected." in draft["what_was_hard"]
