"""Notify's config: the routes file named by SREO_NOTIFY_ROUTES, read and checked once at start-up.

```yaml
destinations:
  oncall-slack: {kind: slack, url_env: SREO_NOTIFY_SLACK_URL}
  pager: {kind: pagerduty, secret_env: SREO_NOTIFY_PAGERDUTY_KEY}
  audit: {kind: webhook, url: "https://hooks.example.com/sreo", secret_env: SREO_NOTIFY_WEBHOOK_SECRET}
routes:                       # first match wins, unless it says `continue: true`
  - match: {severity: [critical]}
    to: [pager, oncall-slack]
  - match: {namespace: ["payments-*"], service: [checkout]}
    to: [oncall-slack]
default: [audit]              # when no route matches
```

Secrets never sit in the file: a Slack or Teams URL is itself a credential, so those come only from `url_env`;
keys and signing secrets only from `secret_env` (in Kubernetes, env filled from a Secret)."""

from __future__ import annotations

import fnmatch
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

from functions.notify.notifiers.contract import Destination
from sreo_events.models import ReportPublished

Kind = Literal["slack", "pagerduty", "teams", "webhook"]
URL_IS_SECRET = {"slack", "teams"}


class NotifySettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SREO_", extra="ignore")

    notify_routes: Path | None = Field(default=None, description="YAML/JSON routes file; unset: notify nobody.")
    notify_timeout_s: float = Field(default=10.0, description="HTTP timeout per notification.")
    notify_max_wait_s: float = Field(
        default=5.0, description="Longest Retry-After waited in-process; longer waits go back to the broker.")


class RoutesError(ValueError):
    """The routes file cannot be used; the message says where and why."""


class _DestinationSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")
    kind: Kind
    url: str | None = None
    url_env: str | None = None
    secret_env: str | None = None
    redact: Literal["secrets", "all"] = "secrets"
    options: dict[str, Any] = Field(default_factory=dict)


class _Match(BaseModel):
    model_config = ConfigDict(extra="forbid")
    severity: list[str] = Field(default_factory=list)
    namespace: list[str] = Field(default_factory=list)
    service: list[str] = Field(default_factory=list)


class _RouteSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)
    match: _Match = Field(default_factory=_Match)
    to: list[str] = Field(min_length=1)
    continue_: bool = Field(default=False, alias="continue")


class _FileSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")
    destinations: dict[str, _DestinationSpec] = Field(default_factory=dict)
    routes: list[_RouteSpec] = Field(default_factory=list)
    default: list[str] = Field(default_factory=list)


def _matches(patterns: list[str], value: str | None) -> bool:
    return not patterns or (value is not None and any(fnmatch.fnmatchcase(value, p) for p in patterns))


@dataclass(frozen=True)
class Routes:
    destinations: dict[str, Destination]
    routes: tuple[_RouteSpec, ...] = ()
    default: tuple[str, ...] = ()

    def select(self, report: ReportPublished) -> list[Destination]:
        """Destinations for this report, in route order, each once."""
        names: list[str] = []
        for route in self.routes:
            m = route.match
            if (_matches(m.severity, report.severity) and _matches(m.namespace, report.namespace)
                    and _matches(m.service, report.service)):
                names += route.to
                if not route.continue_:
                    break
        names = names or list(self.default)
        return [self.destinations[name] for name in dict.fromkeys(names)]


def _env(environ: Mapping[str, str], name: str, where: str) -> str:
    value = environ.get(name, "")
    if not value:
        raise RoutesError(f"{where}: environment variable {name} is not set")
    return value


def _destination(name: str, spec: _DestinationSpec, environ: Mapping[str, str]) -> Destination:
    where = f"destination {name!r}"
    if spec.url and spec.kind in URL_IS_SECRET:
        raise RoutesError(f"{where}: a {spec.kind} URL is a credential; give url_env, not url")
    if spec.url and spec.url_env:
        raise RoutesError(f"{where}: give url or url_env, not both")
    url = _env(environ, spec.url_env, where) if spec.url_env else (spec.url or "")
    if not url and spec.kind != "pagerduty":
        raise RoutesError(f"{where}: a {spec.kind} destination needs url_env")
    if url and not url.startswith(("https://", "http://")):
        raise RoutesError(f"{where}: the URL must be http(s)")
    secret = _env(environ, spec.secret_env, where) if spec.secret_env else None
    if spec.kind == "pagerduty" and not secret:
        raise RoutesError(f"{where}: pagerduty needs secret_env naming the integration's routing key")
    return Destination(name, spec.kind, url, secret, {**spec.options, "redact": spec.redact})


def parse_routes(text: str, environ: Mapping[str, str], origin: str = "routes file") -> Routes:
    try:
        raw = json.loads(text) if text.lstrip().startswith("{") else yaml.safe_load(text)
        spec = _FileSpec.model_validate(raw or {})
    except (yaml.YAMLError, json.JSONDecodeError) as exc:
        raise RoutesError(f"{origin}: not valid YAML/JSON: {exc}") from exc
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors())
        raise RoutesError(f"{origin}: {problems}") from exc
    for index, route in enumerate(spec.routes):
        for name in route.to:
            if name not in spec.destinations:
                raise RoutesError(f"{origin}: routes[{index}].to names unknown destination {name!r}")
    for name in spec.default:
        if name not in spec.destinations:
            raise RoutesError(f"{origin}: default names unknown destination {name!r}")
    try:
        destinations = {name: _destination(name, d, environ) for name, d in spec.destinations.items()}
    except RoutesError as exc:
        raise RoutesError(f"{origin}: {exc}") from None
    return Routes(destinations, tuple(spec.routes), tuple(spec.default))


def load_routes(settings: NotifySettings, environ: Mapping[str, str]) -> Routes:
    if settings.notify_routes is None:
        return Routes({})
    origin = f"SREO_NOTIFY_ROUTES={settings.notify_routes}"
    try:
        text = settings.notify_routes.read_text()
    except OSError as exc:
        raise RoutesError(f"{origin}: cannot read: {exc.strerror}") from exc
    return parse_routes(text, environ, origin)


@lru_cache(maxsize=1)
def get_config() -> tuple[NotifySettings, Routes]:
    settings = NotifySettings()
    return settings, load_routes(settings, os.environ)


def reset_config() -> None:
    get_config.cache_clear()
