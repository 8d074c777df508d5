"""Settings, read once at start-up from `SREO_*` environment variables."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SREO_", extra="ignore")

    home: Path = Field(default=Path.home() / ".sreo", description="Directory of the embedded store.")
    database_url: str | None = Field(default=None, description="SQLAlchemy URL; SQLite file in `home` if unset.")
    opensearch_url: str | None = Field(default=None, description="OpenSearch cluster; embedded FTS5 if unset.")
    prometheus_url: str | None = Field(default=None, description="Prometheus HTTP API base URL.")
    metrics_files: str | None = Field(default=None, description="Comma-separated OpenMetrics/CSV files (offline).")
    metrics_csv_layout: Literal["auto", "component_metric"] = Field(
        default="auto", description="`component_metric`: wide CSV headers are `<component>_<metric>`.")
    metrics_mapping: Path | None = Field(
        default=None, description="YAML naming your metrics and labels (MetricsMapping fields); checked at start-up.")
    traces_files: str | None = Field(
        default=None, description="Comma-separated OTLP/JSON (or Jaeger JSON) trace files, directories or globs.")
    tempo_url: str | None = Field(default=None, description="Tempo HTTP API base URL (search and traces).")
    tempo_tenant: str | None = Field(default=None, description="Tempo tenant, sent as X-Scope-OrgID.")
    jaeger_url: str | None = Field(default=None, description="Jaeger query API base URL (used when no Tempo).")
    traces_token: str | None = Field(default=None, description="Bearer token for Tempo or Jaeger.")
    kube_snapshot: Path | None = Field(default=None, description="Offline `kubectl get -o json` dump.")
    kube_live: bool = Field(default=False, description="Use the live Kubernetes API (in-cluster or kubeconfig).")
    kube_context: str | None = Field(default=None, description="kubeconfig context for the live provider.")
    kube_configmap_namespaces: str | None = Field(
        default=None, description="Comma-separated namespaces whose ConfigMaps the live provider may read. A "
        "listing without a namespace (the twin's refresh, an investigation without one) reads these, and a listing "
        "in any other namespace is refused. Unset: ConfigMaps only in the namespace a caller names (an "
        "investigation's), none for the twin. ConfigMaps are never listed across all namespaces.")
    runbook_fetch: bool = Field(default=True, description="Fetch an alert's http(s) runbook_url to ingest it.")
    topology_file: Path | None = Field(default=None, description="Declared topology YAML (services, databases).")
    tls_endpoints: str | None = Field(default=None, description="Comma-separated host:port to check certificates.")
    incident_threat_level: str = Field(default="high", description="Threats at or above open incidents.")
    diag_postgres_dsns: str | None = Field(default=None, description="Comma-separated DSNs to diagnose.")
    api_tokens: str | None = Field(default=None, description="Comma-separated bearer tokens for writes.")
    responder_tokens: str | None = Field(default=None, description="Tokens allowed to approve actions.")
    broker_token: str | None = Field(
        default=None, description="The only token the dead-letter sink (POST /dead-letters) accepts: the broker's "
        "own. `sreo serve` makes one per process when unset; a deployed sink without it refuses everything.")
    open_writes: bool | None = Field(
        default=None, description="Accept writes without a token while SREO_API_TOKENS is empty. Unset: only "
        "in-process and on a loopback `sreo serve`; deployed functions and exposed servers refuse them.")
    correlation_deadline_s: float = Field(default=60.0, description="Seconds before the sweeper correlates.")
    agent_timeout_s: float = 20.0
    max_body_bytes: int = 1_048_576
    sweep_interval_s: float = 5.0
    max_webhook_bytes: int = Field(default=64 * 1_048_576, description="Largest Alertmanager webhook accepted.")
    outbox_poll_s: float = Field(default=1.0, description="Seconds between scans of the outbox for due events.")
    outbox_lease_s: float = Field(default=10.0, gt=0, description=(
        "Seconds a relay holds an event before another may; the local relay renews it while it delivers."))
    outbox_workers: int = Field(default=8, description="Concurrent deliveries of the local outbox relay.")
    fault_point: str | None = Field(default=None, description="Testing only: kill the process at this named "
                                    "point (e.g. after-accept, fan-out, evidence, report).")
    k_sink: str | None = Field(default=None, validation_alias="K_SINK", description="Broker URL (SinkBinding).")
    public_url: str = Field(default="", description="Base URL used in report links.")
    code_repos: dict[str, str | dict[str, str]] = Field(
        default_factory=dict, description='JSON: service -> source directory or git URL (or {"url", "subdir"}).')
    code_cache_dir: Path | None = Field(default=None, description="Where git sources are mirrored; `home`/code.")
    review_bandit: bool = Field(default=True, description="Run bandit beside the review's own rules.")
    review_auto_approve: str = Field(
        default="low,medium", description="Fix risk levels the supervisor approves by policy; others need a "
        "responder (comma-separated subset of low,medium,critical; empty: approve nothing).")
    k_service: str | None = Field(default=None, validation_alias="K_SERVICE", description="Set by Knative Serving.")
    allow_ephemeral_store: bool = Field(
        default=False, description="Let a deployed function run on a local SQLite file (throwaway demos only).")
    mcp_targets: dict[str, str] = Field(
        default_factory=dict, description='JSON: MCP server name -> "http(s)://..." or "stdio:<command>".'
    )
    mcp_tool_names: dict[str, dict[str, str]] = Field(
        default_factory=dict, description="JSON: server name -> {our tool name: their tool name}."
    )

    @field_validator("metrics_mapping")
    @classmethod
    def _mapping_loads(cls, path: Path | None) -> Path | None:
        """A bad mapping file stops start-up with a message naming the file and the fields."""
        if path is not None:
            from functions._platform.domains.metrics.analyzers.mapping import load_mapping

            load_mapping(path)
        return path

    @property
    def sqlalchemy_url(self) -> str:
        if self.database_url:
            url = self.database_url
            if url.startswith(("postgresql://", "postgres://")):
                url = "postgresql+psycopg://" + url.split("://", 1)[1]
            return url
        return f"sqlite:///{self.home / 'sreo.db'}"

    def store_problem(self) -> str | None:
        """Why this process must not start on its store, or None: a deployed function needs a shared database."""
        if self.k_service and not self.database_url and not self.allow_ephemeral_store:
            return (f"{self.k_service}: SREO_DATABASE_URL is not set. A deployed function cannot keep its data in "
                    "a local SQLite file (each revision has its own, and scale-to-zero deletes it). Create the "
                    "Secret sreo-database with key url=postgresql://USER:PASSWORD@HOST:5432/DB (see "
                    "kustomize/overlays/README.md), or set SREO_ALLOW_EPHEMERAL_STORE=true for a throwaway demo.")
        return None

    @property
    def responder_token_set(self) -> frozenset[str]:
        return frozenset(t.strip() for t in (self.responder_tokens or "").split(",") if t.strip())

    def writes_open(self, default: bool) -> bool:
        """Whether writes need no token while no tokens are configured: SREO_OPEN_WRITES, else ``default``."""
        return default if self.open_writes is None else self.open_writes

    @property
    def watched_configmap_namespaces(self) -> tuple[str, ...]:
        names = (name.strip() for name in (self.kube_configmap_namespaces or "").split(","))
        return tuple(dict.fromkeys(name for name in names if name))

    @property
    def token_set(self) -> frozenset[str]:
        return frozenset(t.strip() for t in (self.api_tokens or "").split(",") if t.strip())


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()


def reset_settings() -> None:
    get_settings.cache_clear()
