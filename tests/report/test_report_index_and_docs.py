"""`GET /` lists incidents with filters and links their reports; `/docs` works with no network."""

from __future__ import annotations

import re

from report_cases import store_incident


def test_the_front_page_lists_and_filters_incidents(make_sqlite_served) -> None:
    served = make_sqlite_served()
    store_incident(served.host.runtime, incident_id="inc-1", title="orders are timing out")
    store_incident(served.host.runtime, incident_id="inc-2", title="payments down")
    page = served.client.get("/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "/incidents/inc-1/report?format=html" in page.text and "payments down" in page.text
    only = served.client.get("/", params={"service": "nope"}).text
    assert "No incident matches" in only
    reported = served.client.get("/", params={"status": "reported", "since": "3650d"}).text
    assert "inc-1" in reported and "inc-2" in reported
    assert served.client.get("/", params={"since": "soon"}).status_code == 422
    assert "<script" not in page.text


def test_docs_need_no_network(make_sqlite_served) -> None:
    served = make_sqlite_served()
    docs = served.client.get("/docs")
    assert docs.status_code == 200 and "/incidents/{incident_id}/report" in docs.text
    assert not re.search(r"""(src|href)=["']https?://""", docs.text), "no CDN assets"
    assert "/openapi.json" in docs.text
