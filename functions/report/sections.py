"""The parts of a report a responder acts on: who is affected, evidence with links to re-run it, what to do,
which runbook sections apply and what could not be checked. Pure functions over the stored shapes."""

from __future__ import annotations

import ast
import json
import math
import re
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote, urlencode

_CALL = re.compile(r"^\s*(\w+)\((.*)\)\s*$", re.DOTALL)
_PROMQL_TOOLS = ("range_query", "query_range", "instant_query", "query")
_LOG_TOOLS = ("fetch_records", "search_logs", "search", "get_logs")
_KWARG_STRING = re.compile(r"""\b(\w+)=('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")""")
_KWARG_NUMBER = re.compile(r"\b(\w+)=(-?\d+(?:\.\d+)?)")
_TEMPLATE_MASK = re.compile(r"<[A-Z]+>")


def tool_calls(query: str) -> list[tuple[str, dict[str, Any]]]:
    """`name({json})` or `name(key='v', n=1)` calls, as the agents record them (several joined by `; `)."""
    calls = []
    for part in re.split(r";\s+(?=\w+\()", query or ""):
        found = _CALL.match(part)
        if not found:
            continue
        name, raw = found.groups()
        try:
            args = json.loads(raw) if raw.strip().startswith("{") else None
        except json.JSONDecodeError:
            args = None
        if not isinstance(args, dict):
            args = {k: ast.literal_eval(v) for k, v in _KWARG_STRING.findall(raw)}
            args.update({k: float(v) for k, v in _KWARG_NUMBER.findall(raw) if k not in args})
        calls.append((name, args))
    return calls


def _epoch(value: Any) -> float | None:
    if value is None:
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        try:
            return datetime.fromisoformat(str(value)).timestamp()
        except ValueError:
            return None


def prometheus_link(query: str, base_url: str | None) -> str | None:
    """A Prometheus graph of the PromQL behind a metrics finding, over the range the agent looked at."""
    if not base_url:
        return None
    for name, args in tool_calls(query):
        expr = args.get("query")
        if name not in _PROMQL_TOOLS or not isinstance(expr, str) or not expr.strip():
            continue
        params = {"g0.expr": expr, "g0.tab": "0"}
        start, end = _epoch(args.get("start")), _epoch(args.get("end") or args.get("time"))
        if end is not None:
            params["g0.end_input"] = datetime.fromtimestamp(end, UTC).strftime("%Y-%m-%d %H:%M:%S")
            params["g0.moment_input"] = params["g0.end_input"]
            if start is not None and end > start:
                params["g0.range_input"] = f"{max(1, math.ceil((end - start) / 60))}m"
        return f"{base_url.rstrip('/')}/graph?{urlencode(params, quote_via=quote)}"
    return None


def log_search(query: str, evidence: dict[str, Any]) -> dict[str, Any] | None:
    """The log search that shows a logs finding's lines: service, time range and the phrase to look for."""
    for name, args in tool_calls(query):
        if name not in _LOG_TOOLS:
            continue
        service = args.get("service") or args.get("container") or args.get("pod")
        phrase = next((str(evidence[k]) for k in ("template", "pattern", "message") if evidence.get(k)), "")
        phrase = max(_TEMPLATE_MASK.split(phrase), key=len).strip() if phrase else ""
        terms = [f'service:"{service}"'] if service else []
        terms += [f'"{phrase}"'] if phrase else []
        return {"service": service, "start": args.get("start"), "end": args.get("end"), "phrase": phrase or None,
                "query": " AND ".join(terms) or str(args.get("q") or args.get("query") or "")}
    return None


def evidence_entries(causes: list[dict[str, Any]], prometheus_url: str | None) -> list[dict[str, Any]]:
    entries = []
    for rank, cause in enumerate(causes, 1):
        for finding in cause["evidence"]:
            query = finding.get("query") or ""
            entry = {"cause_rank": rank, "component": cause["component"],
                     "domain": finding.get("domain"),
                     "kind": finding["kind"], "subject": finding["subject"], "severity": finding["severity"],
                     "score": finding["score"], "summary": finding["summary"], "onset": finding.get("onset"),
                     "query": query}
            link = prometheus_link(query, prometheus_url)
            if link:
                entry["link"] = link
            search = log_search(query, finding.get("evidence") or {})
            if search and entry["domain"] in (None, "logs"):
                entry["log_search"] = search
            entries.append(entry)
    return entries


def affected(service: str | None, namespace: str | None, severity: str, alerts: list[dict[str, Any]],
             causes: list[dict[str, Any]]) -> dict[str, Any]:
    """What is broken and for whom: the symptom the alerts describe, and where the causes sit."""
    symptoms = [a["annotations"].get("summary") or a["annotations"].get("description") or a["alertname"]
                for a in alerts if a.get("status") == "firing"]
    return {"service": service, "namespace": namespace, "severity": severity,
            "symptoms": list(dict.fromkeys(symptoms))[:5],
            "firing_alerts": sorted({a["alertname"] for a in alerts if a.get("status") == "firing"}),
            "components": list(dict.fromkeys(c["component"] for c in causes[:3]))}


def top_cause(causes: list[dict[str, Any]]) -> dict[str, Any] | None:
    if not causes:
        return None
    top = causes[0]
    margin = top["score"] - causes[1]["score"] if len(causes) > 1 else None
    return {"component": top["component"], "kind": top["kind"], "confidence": top["confidence"],
            "score": top["score"], "reason": top["reason"],
            "lead_over_next": round(margin, 4) if margin is not None else None}


def action_entries(causes: list[dict[str, Any]], approvals: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every suggested action once, in cause order, with whether it still awaits a responder's approval."""
    approved = {a["action_id"]: a for a in approvals}
    entries: dict[str, dict[str, Any]] = {}
    for rank, cause in enumerate(causes, 1):
        for action in cause["actions"]:
            if action["id"] in entries:
                continue
            status = ("approved" if action["id"] in approved else "awaiting approval") \
                if action["requires_approval"] else "no approval needed"
            entries[action["id"]] = {**action, "cause_rank": rank, "component": cause["component"],
                                     "approval": status,
                                     "approved_by": approved.get(action["id"], {}).get("approver")}
    return list(entries.values())


def _anchor(heading: str) -> str:
    return re.sub(r"[^a-z0-9 -]", "", heading.lower()).strip().replace(" ", "-")


def runbook_link(path: str | None, section: str | None, runbook_id: str | None = None) -> str | None:
    """An ingested runbook opens where the orchestrator serves it; a web runbook at its own URL."""
    if path and path.startswith(("http://", "https://")):
        return f"{path.split('#', 1)[0]}#{_anchor(section)}" if section else path
    if runbook_id:
        return f"/runbooks/{runbook_id}" + (f"#{_anchor(section)}" if section else "")
    return None


def alert_runbooks(alerts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The firing alerts' own `runbook_url` annotations: what the alert's author said to open first."""
    found: dict[str, dict[str, Any]] = {}
    for alert in alerts:
        url = (alert.get("annotations") or {}).get("runbook_url")
        if url and url not in found:
            found[url] = {"id": url, "title": f"{alert.get('alertname') or 'Alert'} runbook (from the alert)",
                          "section": None, "path": url, "score": 1.0, "cause_rank": None,
                          "component": "alert", "link": url, "from_alert": True}
    return list(found.values())


def runbook_entries(causes: list[dict[str, Any]], triaged: list[dict[str, Any]] = (),
                    incident_component: str | None = None,
                    alerts: list[dict[str, Any]] = ()) -> list[dict[str, Any]]:
    """Every attached runbook once, with a link to the section that applies: the causes' runbooks in rank order,
    then those triage matched to the alerts or report text (``cause_rank`` None), so none is lost when the
    diagnosis finds no cause."""
    entries: dict[str, dict[str, Any]] = {entry["id"]: entry for entry in alert_runbooks(list(alerts))}
    attached = [(rank, cause["component"], runbook) for rank, cause in enumerate(causes, 1)
                for runbook in cause["runbooks"]]
    attached += [(None, incident_component or "incident", runbook) for runbook in triaged]
    for rank, component, runbook in attached:
        if runbook["id"] not in entries:
            entries[runbook["id"]] = {**runbook, "cause_rank": rank, "component": component,
                                      "link": runbook_link(runbook.get("path"), runbook.get("section"),
                                                           runbook["id"])}
    return list(entries.values())


def unchecked(domains: dict[str, Any]) -> list[dict[str, Any]]:
    """What could not be checked, and why."""
    items = [{"domain": d, "status": "failed", "reason": str(error)} for d, error in domains["failed"].items()]
    items += [{"domain": d, "status": "missing", "reason": "never answered before the deadline"}
              for d in domains["missing"]]
    items += [{"domain": d, "status": "no_data", "reason": str(why)} for d, why in domains.get("no_data", {}).items()]
    return items
