"""Container log lines that show why a container fails (missing env var, refused connection...):
container_log_error."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import datetime
from typing import Any

from functions._platform.analyzers.contract import AnalysisContext
from functions._platform.analyzers.kinds import ENDED_KEY, FindingKind, action, action_per
from functions._platform.domains.kubernetes.analyzers.cluster_state import ClusterState
from functions._platform.domains.kubernetes.analyzers.log_patterns import TIMESTAMP
from functions._platform.domains.kubernetes.analyzers.ownership import earliest, pod_by_name, workload_of
from functions._platform.domains.kubernetes.analyzers.placement import (
    clip,
    placed_finding,
    placement,
)
from functions._platform.domains.logs.analyzers.vocabulary import (
    ErrorClass,
    classify_lines,
    refusing_protocol,
)
from functions._platform.domains.logs.source.timestamps import TimestampFinder
from sreo_events.models import Finding

MAX_SAMPLES = 8


def _workload(data: ClusterState, namespace: str, pod: str) -> str:
    found = pod_by_name(data, namespace, pod)
    return workload_of(data, found) if found else pod


CONTAINER_LOG_ERROR = FindingKind(
    name="container_log_error", domain="kubernetes",
    actions=(
        action("log-cause", "{subject} logs say: {category_text}{named_text}; {log_advice}",
               "kubectl logs deployment/{subject} -n {namespace} --tail=200", "low"),
        action_per("target", "check-peer", "Check {target}, which {subject} cannot reach: its endpoints, DNS name and port",
                   "kubectl get endpoints -n {namespace} {target_host} -o wide", "low"),
    ),
)


def _line_times(lines: list[str], now: datetime) -> list[datetime | None]:
    """Each line's time, in whatever layout the program writes it (`ERROR 2026-03-14 10:10:51,546 ...`, an access
    line's `[14/Mar/2026:10:10:49 +0000]`), else the last line's before it (a traceback's lines belong to the
    record that logged it); None until the first timestamp."""
    finder, times, last = TimestampFinder(now), [], None
    for line in lines:
        if found := finder.find(line):
            last = found.timestamp
        times.append(last)
    return times


class LogErrorAnalyzer:
    kind = "container_log_error"
    kinds = (CONTAINER_LOG_ERROR,)

    def analyze(self, data: ClusterState, context: AnalysisContext) -> list[Finding]:
        groups: dict[tuple[str, str, str], dict[str, Any]] = {}
        for (namespace, pod, container, previous), text in sorted(data.logs.items()):
            workload = _workload(data, namespace, pod)
            lines = [line for line in text.splitlines() if line.strip()]
            messages = [line[stamp.end():].strip() if (stamp := TIMESTAMP.match(line)) else line for line in lines]
            moments = _line_times(lines, context.window.end)
            for line, moment, classified in zip(lines, moments, classify_lines(messages), strict=True):
                if classified is None:
                    continue
                pattern = classified.error
                named = {key: value for key, value in (("env_var", classified.env_var), ("target", classified.peer))
                         if value}
                group = groups.setdefault((namespace, workload, pattern.category), {
                    "pattern": pattern, "counts": Counter(), "named": defaultdict(Counter), "samples": [],
                    "templates": Counter(), "pods": set(), "containers": set(), "onsets": [], "previous": False,
                    "protocols": Counter()})
                group["templates"][classified.template[:200]] += 1
                if protocol := refusing_protocol(line):
                    group["protocols"][protocol] += 1
                where = placement(context, moment) if moment else "untimed"
                group["counts"][{"before_baseline": "earlier", "after_window": "later"}.get(where, where)] += 1
                for key, value in named.items():
                    group["named"][key][value] += 1
                if len(group["samples"]) < MAX_SAMPLES and clip(line) not in group["samples"]:
                    group["samples"].append(clip(line.strip()))
                group["pods"].add(pod)
                group["containers"].add(container)
                group["onsets"].append(moment)
                group["previous"] |= previous
        return [self._finding(data, context, key, group) for key, group in sorted(groups.items())]

    @staticmethod
    def _finding(data: ClusterState, context: AnalysisContext, key: tuple[str, str, str],
                 group: dict[str, Any]) -> Finding:
        namespace, workload, category = key
        pattern: ErrorClass = group["pattern"]
        counts: Counter = group["counts"]
        named = {kind: dict(values.most_common(10)) for kind, values in group["named"].items()}
        focus = next(iter(named.get("env_var") or named.get("target") or {}), None)
        # no line in the window: what the lines report is not happening now; with none after it either, it had
        # stopped before the trouble began, so it does not date the component
        quiet = counts["window"] == 0 and counts["untimed"] == 0
        ended = quiet and counts["later"] == 0
        score = pattern.score * (0.5 if quiet else 1.0)
        total = sum(counts.values())
        what = f"{pattern.describes}{f' ({focus})' if focus else ''}"
        return placed_finding(context, 
            kind="container_log_error", subject=workload,
            severity="critical" if group["previous"] and category != "crash" else "warning", score=score,
            summary=f"{workload} logs: {what} in {total} line(s)", onset=earliest(group["onsets"]),
            query=data.query(*(f"logs/{namespace}/{pod}" for pod in sorted(group["pods"]))),
            evidence={"namespace": namespace, "category": category, **named, "line_counts": dict(counts),
                      "pods": sorted(group["pods"]), "containers": sorted(group["containers"]),
                      "from_previous_instance": group["previous"], "lines": group["samples"],
                      **({ENDED_KEY: True} if ended else {}),
                      "templates": dict(group["templates"].most_common(5)),
                      # the server that refused names no host: the twin finds the caller's server of this protocol
                      **({"protocol": group["protocols"].most_common(1)[0][0]} if group["protocols"] else {})},
        )
