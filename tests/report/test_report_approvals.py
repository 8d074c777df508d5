"""Approving a destructive action: responder tokens only, 404/409 answers, an audit row on both stores."""

from __future__ import annotations

import hashlib

from report_cases import HOSTILE, RESPONDER_TOKEN, WRITER_TOKEN, store_incident
from sqlalchemy import select

from functions._platform.db.approvals import ActionApproval

LOCK_ACTION = "terminate-blocker-postgres-orders-4242"
READ_ONLY_ACTION = "blocker-code-path-postgres-orders-4242"
URL = f"/incidents/inc-1/actions/{LOCK_ACTION}/approve"


def _bearer(token: str) -> dict[str, str]:
    return {"authorization": f"Bearer {token}"}


def test_approvals_are_refused_when_no_responder_tokens_are_configured(make_served) -> None:
    served = make_served(responder_tokens=None, api_tokens=None)
    store_incident(served.host.runtime)
    response = served.client.post(URL, json={}, headers=_bearer("anything"))
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "approvals_disabled"
    assert "SREO_RESPONDER_TOKENS" in response.json()["error"]["message"]
    with served.db.session() as session:
        assert session.scalars(select(ActionApproval)).all() == []


def test_only_a_responder_token_may_approve(make_served) -> None:
    served = make_served(responder_tokens=f"{RESPONDER_TOKEN},other", api_tokens=WRITER_TOKEN)
    store_incident(served.host.runtime)
    assert served.client.post(URL, json={}).status_code == 401
    forbidden = served.client.post(URL, json={}, headers=_bearer(WRITER_TOKEN))
    assert forbidden.status_code == 403 and forbidden.json()["error"]["code"] == "forbidden"
    assert served.client.post(URL, json={}, headers={"authorization": f"Basic {RESPONDER_TOKEN}"}).status_code == 401


def test_unknown_incident_or_action_is_404_and_safe_or_repeated_approval_is_409(make_served) -> None:
    served = make_served(responder_tokens=RESPONDER_TOKEN)
    store_incident(served.host.runtime)
    headers = _bearer(RESPONDER_TOKEN)
    missing_incident = served.client.post(f"/incidents/inc-404/actions/{LOCK_ACTION}/approve", headers=headers)
    assert missing_incident.status_code == 404 and missing_incident.json()["error"]["code"] == "incident_not_found"
    missing_action = served.client.post("/incidents/inc-1/actions/no-such-action/approve", headers=headers)
    assert missing_action.status_code == 404 and missing_action.json()["error"]["code"] == "action_not_found"
    not_needed = served.client.post(f"/incidents/inc-1/actions/{READ_ONLY_ACTION}/approve", headers=headers)
    assert not_needed.status_code == 409 and not_needed.json()["error"]["code"] == "approval_not_required"
    assert served.client.post(URL, headers=headers).status_code == 201  # no body at all is fine
    again = served.client.post(URL, json={"comment": "twice"}, headers=headers)
    assert again.status_code == 409 and again.json()["error"]["code"] == "already_approved"
    invalid = served.client.post("/incidents/inc-1/actions/rollback-payments/approve", json={"comment": 5,
                                                                                               "x": 1},
                                 headers=headers)
    assert invalid.status_code == 422


def test_an_approval_is_audited_and_shows_in_the_report_and_timeline(make_served) -> None:
    served = make_served(responder_tokens=RESPONDER_TOKEN)
    store_incident(served.host.runtime)
    response = served.client.post(URL, json={"comment": "blocker is a stuck batch job"},
                                  headers={**_bearer(RESPONDER_TOKEN), "x-forwarded-for": "203.0.113.7, 10.0.0.1"})
    assert response.status_code == 201, response.text
    approver = "responder:" + hashlib.sha256(RESPONDER_TOKEN.encode()).hexdigest()[:12]
    assert response.json()["approver"] == approver and response.json()["executed"] is False

    with served.db.session() as session:
        rows = session.scalars(select(ActionApproval)).all()
        assert len(rows) == 1
        row = rows[0]
        assert (row.incident_id, row.action_id, row.approver) == ("inc-1", LOCK_ACTION, approver)
        assert row.comment == "blocker is a stuck batch job" and row.client_address == "203.0.113.7 via testclient"
        assert row.command == "SELECT pg_terminate_backend(4242);" and row.approved_at.tzinfo is not None
        assert RESPONDER_TOKEN not in repr(vars(row))

    body = served.client.get("/incidents/inc-1/report").json()
    assert [a["action_id"] for a in body["approvals"]] == [LOCK_ACTION]
    action = next(a for a in body["actions"] if a["id"] == LOCK_ACTION)
    assert action["approval"] == "approved" and action["approved_by"] == approver
    rollback = next(a for a in body["actions"] if a["id"] == "rollback-payments")
    assert rollback["approval"] == "awaiting approval"
    assert any(e["actor"] == "responder" and LOCK_ACTION in e["text"] for e in body["timeline"])
    assert any(LOCK_ACTION in e["text"] for e in body["postmortem"]["timeline"])
    markdown = served.client.get("/incidents/inc-1/report", params={"format": "markdown"}).text
    assert f"{LOCK_ACTION} approved by {approver}: blocker is a stuck batch job" in markdown


def test_a_hostile_comment_is_stored_verbatim_and_escaped_in_html(make_served) -> None:
    served = make_served(responder_tokens=RESPONDER_TOKEN)
    store_incident(served.host.runtime)
    assert served.client.post(URL, json={"comment": HOSTILE}, headers=_bearer(RESPONDER_TOKEN)).status_code == 201
    assert served.client.get("/incidents/inc-1/report").json()["approvals"][0]["comment"] == HOSTILE
    page = served.client.get("/incidents/inc-1/report", params={"format": "html"}).text
    assert "<script" not in page and "&lt;script&gt;" in page
