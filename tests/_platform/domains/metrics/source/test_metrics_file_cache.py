"""Offline metric files are parsed once per content: a rewritten file is parsed again."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

from functions._platform.domains.metrics.source.offline import OfflineMetricsProvider

T0 = 1_700_000_000


def write(path: Path, value: float, mtime: int) -> None:
    path.write_text(f'# TYPE up gauge\nup{{job="api"}} {value} {T0}\nup{{job="api"}} {value} {T0 + 60}\n# EOF\n')
    os.utime(path, (mtime, mtime))


def latest(path: Path) -> float:
    provider = OfflineMetricsProvider.from_files([path])
    (series,) = asyncio.run(provider.instant('up{job="api"}', T0 + 60))
    return series.points[0][1]


def test_rewritten_file_gives_new_values(tmp_path: Path) -> None:
    path = tmp_path / "metrics.om"
    write(path, 1, mtime=T0)
    assert latest(path) == 1
    write(path, 0, mtime=T0 + 10)
    assert latest(path) == 0


def test_providers_of_one_file_share_parsed_series_but_not_answers(tmp_path: Path) -> None:
    path = tmp_path / "metrics.om"
    write(path, 1, mtime=T0)
    first, second = OfflineMetricsProvider.from_files([path]), OfflineMetricsProvider.from_files([path])
    assert first._series is second._series
    (answer,) = asyncio.run(first.instant('up{job="api"}', T0 + 60))
    answer.labels["job"] = "changed"
    answer.points.append((T0 + 120, 5.0))
    (again,) = asyncio.run(second.range('up{job="api"}', T0, T0 + 60, 60))
    assert again.labels["job"] == "api"
    assert again.points == [(T0, 1.0), (T0 + 60, 1.0)]


def test_the_kept_metrics_server_reads_a_rewritten_file(tmp_path: Path) -> None:
    from functions._platform.config import Settings
    from functions._platform.mcp.client import ToolSession
    from functions._platform.mcp.registry import build_server

    path = tmp_path / "metrics.om"
    settings = Settings(home=tmp_path, metrics_files=str(path))
    assert build_server("metrics", settings) is build_server("metrics", settings)

    async def value() -> float:
        async with ToolSession("metrics", settings) as tools:
            answer = await tools.call("instant_query", {"query": 'up{job="api"}', "time": str(T0 + 60)})
            return answer["series"][0]["points"][0][1]

    write(path, 1, mtime=T0)
    assert asyncio.run(value()) == 1
    write(path, 0, mtime=T0 + 10)
    assert asyncio.run(value()) == 0
