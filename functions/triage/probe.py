"""A blackbox probe's alert names the URL it probed (`instance="https://partner-api.acme.io/healthz"`) beside the
Probe's own job (`probe/monitoring/partner-api`) and the exporter's service: the affected workload is what serves
that URL's host, found through the cluster's Ingresses, else the host itself (the twin knows an Ingress by its
hosts). The alert's `namespace` is the Probe's, not the workload's."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

_URL = re.compile(r"^[a-z][a-z0-9+.-]*://(?:[^@/]*@)?(?P<host>\[[^\]]+\]|[^/:?#\s]+)", re.IGNORECASE)
PROBE_JOB = re.compile(r"^probe/")  # prometheus-operator names a Probe's job probe/<namespace>/<name>


def probe_host(labels: Mapping[str, str]) -> str | None:
    """The host of the URL a probe alert's `instance` (or `target`) names; None for a scrape target (`host:port`)."""
    for key in ("instance", "target"):
        if match := _URL.match(labels.get(key) or ""):
            return match["host"].lower()
    return None


def _host_matches(rule_host: str, host: str) -> bool:
    if rule_host.startswith("*."):
        return host.endswith(rule_host[1:]) and host.count(".") == rule_host.count(".")
    return rule_host == host


def backend_service(ingresses: list[dict[str, Any]], host: str) -> tuple[str, str] | None:
    """(namespace, Service) an Ingress routes the host's root to (else its first path)."""
    from functions._platform.domains.kubernetes.analyzers.ingress_backend import routes

    for ingress in ingresses:
        namespace = (ingress.get("metadata") or {}).get("namespace") or ""
        served = [(path, backend) for rule_host, path, backend in routes(ingress.get("spec") or {})
                  if _host_matches(rule_host, host)]
        for _, backend in sorted(served, key=lambda item: item[0] != "/"):
            if service := (backend.get("service") or {}).get("name"):
                return namespace, service
    return None
