"""`Idempotency-Key` for write routes (after the IETF httpapi draft): a retry with the same key and the same
body gets the first response again, never a second resource; the same key with another body is a 422.

The key is scoped to the caller (a hash of its bearer token) and the route, and kept for `KEEP_FOR`; the
record is written in the same transaction as the resource it answers for."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from pydantic import BaseModel
from sqlalchemy.orm import Session

from functions._platform.db.idempotency import IdempotencyKey
from functions._platform.httpapi import ApiError, HttpRequest, HttpResponse, Param

HEADER = "Idempotency-Key"
KEEP_FOR = timedelta(hours=24)
_VALID = re.compile(r"^[\x21-\x7e]{1,255}$")
PARAM = Param(HEADER, {"type": "string", "pattern": r"^[\x21-\x7e]{1,255}$"},
              "Makes a retry safe: the same key and body return the first response (for 24 h); the same key "
              "with another body is a 422.", location="header")


@dataclass(frozen=True)
class Claim:
    caller: str
    route: str
    key: str
    request_hash: str


def claim(request: HttpRequest, route: str, body: BaseModel) -> Claim | None:
    """The request's claim on its key, or None when it sends no `Idempotency-Key`."""
    key = request.header(HEADER)
    if key is None:
        return None
    if not _VALID.match(key):
        raise ApiError(400, "invalid_idempotency_key",
                       f"{HEADER} must be 1 to 255 visible ASCII characters (a UUID is a good choice)")
    scheme, _, token = (request.header("authorization") or "").partition(" ")
    who = token.strip() if scheme.lower() == "bearer" and token.strip() else "anonymous"
    caller = hashlib.sha256(who.encode()).hexdigest()[:32]
    canonical = json.dumps(body.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))
    return Claim(caller, route, key, hashlib.sha256(canonical.encode()).hexdigest())


def replay(session: Session, claim: Claim) -> HttpResponse | None:
    """The first response to this key, or None when the key is new (or expired, and so forgotten)."""
    row = session.get(IdempotencyKey, (claim.caller, claim.route, claim.key))
    if row is None:
        return None
    if row.created_at < datetime.now(UTC) - KEEP_FOR:
        session.delete(row)
        session.flush()
        return None
    if row.request_hash != claim.request_hash:
        raise ApiError(422, "idempotency_key_reused",
                       f"this {HEADER} was already used with a different request body",
                       {"first_used_at": row.created_at.isoformat()})
    headers = {"Idempotent-Replayed": "true", **({"Location": row.location} if row.location else {})}
    return HttpResponse(row.status, row.response, headers=headers)


def record(session: Session, claim: Claim, response: HttpResponse) -> None:
    """Store the response beside the resource, in its transaction; a concurrent twin fails on the primary key."""
    session.add(IdempotencyKey(caller=claim.caller, route=claim.route, key=claim.key,
                               request_hash=claim.request_hash, status=response.status, response=response.body,
                               location=response.headers.get("Location"), created_at=datetime.now(UTC)))
    session.flush()
