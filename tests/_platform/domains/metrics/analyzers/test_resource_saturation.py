from __future__ import annotations

from metric_series import LIMIT, T0, TIMES, WINDOW, context, memory

from functions._platform.domains.metrics.analyzers.resource_saturation import ResourceSaturation
from functions._platform.domains.metrics.analyzers.signals import SignalData, metrics_context
from functions._platform.domains.metrics.source import Series

START = WINDOW.start.timestamp()


def test_memory_at_its_limit_in_the_window_is_saturation_of_the_service():
    (finding,) = ResourceSaturation().analyze(memory(lambda t: LIMIT * (0.98 if t >= START + 1800 else 0.4)),
                                              context())
    assert (finding.kind, finding.subject, finding.severity) == ("resource_saturation", "api", "critical")
    assert finding.evidence["resource"] == "memory" and finding.evidence["where"] == "shop/api-1/api"
    assert abs(finding.onset.timestamp() - (START + 1800)) <= 60


def test_memory_just_over_the_threshold_is_a_warning():
    (finding,) = ResourceSaturation().analyze(memory(lambda t: LIMIT * (0.92 if t >= START else 0.4)), context())
    assert finding.severity == "warning"


def test_memory_well_under_its_limit_gives_nothing():
    assert ResourceSaturation().analyze(memory(lambda t: LIMIT * 0.5), context()) == []


def test_a_full_filesystem_is_saturation_of_its_node():
    labels = {"instance": "node-1:9100", "mountpoint": "/var", "fstype": "ext4", "device": "/dev/sda1"}
    size = 100 * 2**30

    def fs(free_share) -> dict[str, SignalData]:
        avail = Series(labels={"__name__": "node_filesystem_avail_bytes", **labels},
                       points=[(t, size * free_share(t)) for t in TIMES])
        total = Series(labels={"__name__": "node_filesystem_size_bytes", **labels},
                       points=[(t, float(size)) for t in TIMES])
        return {"fs_avail": SignalData([avail], "node_filesystem_avail_bytes"),
                "fs_size": SignalData([total], "node_filesystem_size_bytes")}

    cluster = metrics_context(service=None, window=WINDOW, baseline=context().baseline, step_s=60)
    (finding,) = ResourceSaturation().analyze(fs(lambda t: 0.01 if t >= T0 + 9000 else 0.6), cluster)
    assert (finding.subject, finding.evidence["resource"]) == ("node/node-1", "disk")
    assert ResourceSaturation().analyze(fs(lambda t: 0.6), cluster) == []
