"""Example SLI plugin (the Python form of Sloth's getting-started availability plugin).

HTTP availability from `http_request_duration_seconds_count`: 5xx and 429 responses are errors.
Options: `job` (required), `filter` (extra matchers such as `env="prod",region="eu"`).
Labels `owner` and `tier` are required on the spec.
"""

from __future__ import annotations

import re

SLI_PLUGIN_ID = "getting_started_availability"
_FILTER_RE = re.compile(r'([^=]+="[^=,"]+",)+')


def sli_plugin(meta: dict[str, str], labels: dict[str, str], options: dict[str, str]) -> str:
    job = options.get("job")
    if not job:
        raise ValueError("job option is required")
    for key in ("owner", "tier"):
        if not labels.get(key):
            raise ValueError(f"{key!r} label is required")
    matchers = options.get("filter", "")
    if matchers:
        matchers = matchers.strip("{}").strip(",") + ","
        if not _FILTER_RE.match(matchers):
            raise ValueError(f"invalid prometheus filter: {matchers}")
    metric = "http_request_duration_seconds_count"
    return (
        f'\nsum(rate({metric}{{ {matchers}job="{job}",code=~"(5..|429)" }}[{{{{.window}}}}]))\n'
        f"/\n"
        f'sum(rate({metric}{{ {matchers}job="{job}" }}[{{{{.window}}}}]))'
    )
