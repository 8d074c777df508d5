"""The two revisions of a service's last rollout, as the review can map them to git: the image (or the
`app.kubernetes.io/version` label of the pod template) before and after."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from functions._platform.config import Settings
from functions._platform.domains.kubernetes.source.rollout import rollout_history

VERSION_LABEL = "app.kubernetes.io/version"


def _parse(value: Any) -> datetime | None:
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _version(replicaset: dict[str, Any] | None) -> str | None:
    template = ((replicaset or {}).get("spec") or {}).get("template") or {}
    return ((template.get("metadata") or {}).get("labels") or {}).get(VERSION_LABEL)


def last_rollout(settings: Settings, service: str, namespace: str | None = None,
                 since: datetime | None = None) -> tuple[str, str] | None:
    """(old, new) revision names of the service's Deployment's last change, or None when unknown (or, with
    `since`, when that change is older)."""
    from functions._platform.domains.kubernetes.source import is_configured, open_provider

    if not is_configured(settings):
        return None
    provider = open_provider(settings)
    deployments = [d for d in provider.list("deployments", namespace)
                   if (d.get("metadata") or {}).get("name") == service]
    if not deployments:
        return None
    where = (deployments[0].get("metadata") or {}).get("namespace")
    replicasets = provider.list("replicasets", where)
    history = rollout_history(service, replicasets)
    if len(history) < 2:
        return None
    old, new = history[-2], history[-1]
    created = _parse(new.get("created"))
    if since is not None and (created is None or created < since):
        return None
    by_name = {(r.get("metadata") or {}).get("name"): r for r in replicasets}
    versions = (_version(by_name.get(old["replicaset"])), _version(by_name.get(new["replicaset"])))
    if all(versions) and versions[0] != versions[1]:
        return versions  # type: ignore[return-value]
    for container, image in new["images"].items():
        before = old["images"].get(container)
        if before and image and before != image:
            return before, image
    return None
