"""container_restarts: containers of the workload restart in the incident window more than in the baseline."""

from __future__ import annotations

from functions._platform.analyzers.contract import AnalysisContext
from functions._platform.analyzers.kinds import FindingKind, action
from functions._platform.domains.metrics.analyzers.selectors import workload_selector
from functions._platform.domains.metrics.analyzers.signals import MetricsData, clamp, iso, service_signal
from functions._platform.domains.metrics.analyzers.stats import increases, split
from sreo_events.models import Finding

CONTAINER_RESTARTS = FindingKind(
    name="container_restarts", domain="metrics",
    actions=(
        action("restart-reason", "Read why {subject}'s containers restart",
               "kubectl get pods -n {namespace} -l app={subject}", "low"),
    ),
    mitigation=("Inspect the crashing container's last logs and exit reason.",
                "Repeated restarts become a crash loop and reduce capacity."),
)


class ContainerRestarts:
    kind = "container_restarts"
    kinds = (CONTAINER_RESTARTS,)
    scopes = frozenset({"service"})
    healthy_text = "no container restarts beyond baseline"

    def signals(self, context: AnalysisContext) -> dict[str, str]:
        m = context.scope.mapping
        return {"restarts": workload_selector(m, m.restarts_metric, context.scope.service or "")}

    def analyze(self, data: MetricsData, context: AnalysisContext) -> list[Finding]:
        signal = service_signal(data, "restarts", context)
        if signal is None:
            return []
        m = context.scope.mapping
        window_start, window_end = context.window_s
        baseline_start, baseline_end = context.baseline_s
        per_container: dict[str, float] = {}
        window_total = baseline_total = 0.0
        onset: float | None = None
        for item in signal.series:
            steps = increases(item)
            in_window = split(steps, window_start, window_end)
            grown = sum(v for _, v in in_window)
            baseline_total += sum(v for _, v in split(steps, baseline_start, baseline_end))
            if grown > 0:
                name = "/".join(filter(None, (item.labels.get(m.pod_label), item.labels.get(m.container_label))))
                per_container[name] = per_container.get(name, 0.0) + grown
                first = next(t for t, v in in_window if v > 0)
                onset = first if onset is None else min(onset, first)
            window_total += grown
        expected = baseline_total * (window_end - window_start) / max(baseline_end - baseline_start, 1.0)
        if window_total < m.thresholds.restarts_min or window_total <= 2 * expected or onset is None:
            return []
        top = dict(sorted(per_container.items(), key=lambda item: -item[1])[:10])
        return [Finding(
            kind=self.kind, subject=context.scope.service,
            severity="critical" if window_total >= 3 else "warning",
            score=round(clamp(0.4 + 0.15 * (window_total - expected)), 3),
            summary=(f"{context.scope.service} containers restarted {window_total:.0f} times in the window "
                     f"(baseline rate predicts {expected:.1f})"),
            window=context.window, baseline=context.baseline, onset=iso(onset),
            evidence={"restarts": window_total, "expected_from_baseline": round(expected, 2),
                      "baseline_restarts": baseline_total, "by_container": top},
            query=signal.query,
        )]
