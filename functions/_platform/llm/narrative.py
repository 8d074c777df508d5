"""Optional narrative summary of a report and free-text domain routing; both return None without an LLM."""

from __future__ import annotations

import json
import re
from typing import Any

from functions._platform.telemetry import log

from ..redact import redact
from .config import LLMSettings, get_llm_settings
from .contract import LLM
from .prompts import NARRATIVE_SYSTEM, clip, narrative_prompt, routing_system
from .registry import get_llm, redacting

MAX_NARRATIVE = 1500
ROUTE_MAX_TOKENS = 60


def _resolve(settings: LLMSettings | None, llm: LLM | None) -> tuple[LLM | None, LLMSettings]:
    if llm is not None:
        return redacting(llm), settings if settings is not None else get_llm_settings()
    if settings is None:
        return get_llm(), get_llm_settings()
    return get_llm(settings), settings


def narrate(report: dict[str, Any], settings: LLMSettings | None = None,
            llm: LLM | None = None) -> str | None:
    """A short narrative of `report`, or None when no LLM is configured or the call fails.

    Only text goes back: the report, and so the ranked causes, is read and never changed.
    """
    try:
        backend, settings = _resolve(settings, llm)
        if backend is None:
            return None
        text = backend.complete(NARRATIVE_SYSTEM, redact(narrative_prompt(report)), settings.max_tokens)
    except Exception as exc:  # noqa: BLE001 - the narrative is optional: any failure means none
        log.warning("llm narrative failed", error=clip(f"{type(exc).__name__}: {exc}"))
        return None
    text = text.strip()
    return clip(text, MAX_NARRATIVE) if text else None


def _chosen(answer: str, domains: list[str]) -> list[str]:
    allowed = {domain.lower(): domain for domain in domains}
    match = re.search(r"\[.*?\]", answer, re.DOTALL)
    names: list[str] = []
    if match:
        try:
            parsed = json.loads(match.group(0))
            names = [str(item) for item in parsed] if isinstance(parsed, list) else []
        except ValueError:
            names = []
    if not names:
        names = re.findall(r"[A-Za-z][\w-]*", answer)
    chosen: list[str] = []
    for name in names:
        domain = allowed.get(name.strip().lower())
        if domain is not None and domain not in chosen:
            chosen.append(domain)
    return chosen


def route(text: str, domains: list[str], settings: LLMSettings | None = None,
          llm: LLM | None = None) -> list[str] | None:
    """The `domains` the LLM thinks `text` concerns, or None when no LLM is configured or it fails."""
    if not domains:
        return []
    try:
        backend, _ = _resolve(settings, llm)
        if backend is None:
            return None
        answer = backend.complete(routing_system(domains), redact(clip(text, 4000)), ROUTE_MAX_TOKENS)
    except Exception as exc:  # noqa: BLE001 - LLM routing only adds to the deterministic routing
        log.warning("llm routing failed", error=clip(f"{type(exc).__name__}: {exc}"))
        return None
    return _chosen(answer, domains)
