"""A real Prometheus on loopback whose TSDB is backfilled from OpenMetrics text with promtool."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from support.servers import free_port, http_ready, require_binary, serving


@contextmanager
def prometheus(openmetrics_text: str, workdir: Path, *flags: str) -> Iterator[str]:
    """The URL of a Prometheus serving the backfilled samples; `flags` are further server flags.

    `openmetrics_text` must end with `# EOF`. Nothing is scraped: the samples are all it has."""
    prometheus_bin, promtool = require_binary("prometheus"), require_binary("promtool")
    source, tsdb, config = workdir / "samples.om.txt", workdir / "data", workdir / "prometheus.yml"
    source.write_text(openmetrics_text, encoding="utf-8")
    subprocess.run([promtool, "tsdb", "create-blocks-from", "openmetrics", str(source), str(tsdb)],
                   check=True, capture_output=True, text=True)
    config.write_text("global:\n  scrape_interval: 1h\n", encoding="utf-8")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    command = [prometheus_bin, f"--config.file={config}", f"--storage.tsdb.path={tsdb}",
               f"--web.listen-address=127.0.0.1:{port}", "--storage.tsdb.retention.time=3650d", *flags]
    with serving(command, workdir / "prometheus.log", lambda: http_ready(f"{url}/-/ready"), "prometheus"):
        yield url
