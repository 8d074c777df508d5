"""report.published names every code fix the report suggests, also on a cause below the top three, so the
supervisor can approve and track each one without reading the stored report."""

from __future__ import annotations

from report_cases import causes, finding, store_incident

from functions._platform.db.models import Report
from functions._platform.db.report_incidents import ReportIncident
from functions.report.publish import published_payload, stored_report
from sreo_events.models import Cause


def test_fixes_of_every_cause_are_published_beyond_the_top_three(make_sqlite_served) -> None:
    served = make_sqlite_served()
    flaw = finding("code_n_plus_one", "checkout", "checkout: N+1 query in list_orders", "review()", "code",
                   file="app.py", line=34, rule="n_plus_one")
    fourth = Cause(component="checkout", kind="code_n_plus_one", score=0.1, confidence=0.05, reason="slow query loop",
                   evidence=[flaw])
    store_incident(served.host.runtime, cause_list=[*causes(), fourth])
    with served.db.session() as session:
        published = published_payload(session.get(ReportIncident, "inc-1"), stored_report(session.get(Report, "inc-1")))
    assert len(published.causes) == 3 and "code_n_plus_one" not in [c.kind for c in published.causes]
    assert [(a.id, a.risk) for a in published.fixes] == [("apply-fix-checkout-app-py-34", "low")]
    assert all(not a.id.startswith("apply-fix-") for c in published.causes for a in c.actions)
