"""What the runbook knowledge base stores and returns."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

ContentType = Literal["markdown", "text", "html"]
MatchMethod = Literal["runbook_url", "alertname", "runbook_url_fetched", "search", "none"]


class RunbookSection(BaseModel):
    heading: str
    body: str


class Runbook(BaseModel):
    id: str = Field(description="`<component>/<AlertName>`")
    alert: str
    component: str
    title: str
    path: str
    sections: list[RunbookSection]


class RunbookHit(BaseModel):
    id: str
    title: str
    section: str
    score: float
    path: str


class RunbookMatch(BaseModel):
    method: MatchMethod = Field(description="How the first runbook was found; `search` means by text.")
    runbooks: list[RunbookHit]
