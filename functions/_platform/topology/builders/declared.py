"""Graph from a declared topology file (`topology.yaml`), for what the cluster cannot show: managed databases,
outside APIs, services elsewhere. Path: the `topology_file` input (SREO_TOPOLOGY_FILE).

    services:
      checkout:
        depends_on: [payments, orders, api.stripe.com]   # a service, a declared database, an external
        aliases: [checkout-web]
      payments: {}
    databases:
      orders: {engine: postgres, host: orders.cluster-abc.eu-west-1.rds.amazonaws.com}   # -> postgres/orders
    externals:
      - api.stripe.com                                                                      # -> external/api.stripe.com

`services` and `databases` may also be lists of entries with a `name`; `depends_on` may name any node id."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from functions._platform.topology.builders.contract import TopologyInputs, TopologySourceError
from functions._platform.topology.graph import Graph

SOURCE = "topology_file"


class DeclaredService(BaseModel):
    model_config = ConfigDict(extra="allow")
    depends_on: list[str] = Field(default_factory=list)
    aliases: list[str] = Field(default_factory=list)
    namespace: str | None = None


class DeclaredDatabase(BaseModel):
    model_config = ConfigDict(extra="allow")
    engine: str = "postgres"
    host: str | None = None
    port: int | None = None
    database: str | None = None  # defaults to the entry's name
    aliases: list[str] = Field(default_factory=list)


class DeclaredExternal(BaseModel):
    model_config = ConfigDict(extra="allow")
    host: str
    aliases: list[str] = Field(default_factory=list)


def _by_name(value: Any) -> dict[str, Any]:
    """A mapping name -> entry, from either a mapping or a list of entries carrying `name`."""
    if value is None:
        return {}
    if isinstance(value, dict):
        return {str(name): entry or {} for name, entry in value.items()}
    if isinstance(value, list):
        entries: dict[str, Any] = {}
        for entry in value:
            if isinstance(entry, str):
                entries[entry] = {}
            elif isinstance(entry, dict) and entry.get("name"):
                entries[str(entry["name"])] = {k: v for k, v in entry.items() if k != "name"}
            else:
                raise ValueError(f"entry {entry!r} has no name")
        return entries
    raise ValueError("expected a mapping or a list")


class TopologyFile(BaseModel):
    services: dict[str, DeclaredService] = Field(default_factory=dict)
    databases: dict[str, DeclaredDatabase] = Field(default_factory=dict)
    externals: dict[str, DeclaredExternal] = Field(default_factory=dict)

    @field_validator("services", "databases", mode="before")
    @classmethod
    def _named(cls, value: Any) -> dict[str, Any]:
        return _by_name(value)

    @field_validator("externals", mode="before")
    @classmethod
    def _hosts(cls, value: Any) -> dict[str, Any]:
        entries = _by_name(value)
        return {name: {"host": name, **entry} for name, entry in entries.items()}


def _database_id(name: str, database: DeclaredDatabase) -> str:
    engine = {"postgresql": "postgres"}.get(database.engine.lower(), database.engine.lower())
    return f"{engine}/{database.database or name}"


def graph_from_declaration(declared: TopologyFile) -> Graph:
    graph = Graph()
    names: dict[str, str] = {}  # every name a depends_on entry may use -> node id
    for name, database in declared.databases.items():
        node_id = _database_id(name, database)
        aliases = [name, *database.aliases] + ([database.host] if database.host else [])
        graph.add_node(node_id, "database", database.model_dump(exclude={"aliases"}, exclude_none=True),
                       aliases, SOURCE)
        names.update({alias: node_id for alias in [node_id, *aliases]})
    for name, external in declared.externals.items():
        node_id = f"external/{external.host}"
        graph.add_node(node_id, "external", {"host": external.host}, [external.host, name, *external.aliases],
                       SOURCE)
        names.update({alias: node_id for alias in [node_id, external.host, name, *external.aliases]})
    for name, service in declared.services.items():
        attributes = service.model_dump(exclude={"depends_on", "aliases"}, exclude_none=True)
        graph.add_node(name, "service", attributes, service.aliases, SOURCE)
        names.setdefault(name, name)
    for name, service in declared.services.items():
        for dependency in service.depends_on:
            target = names.get(dependency)
            if target is None:  # an undeclared name: a service, or an outside host when it is dotted
                target = f"external/{dependency}" if "." in dependency and "/" not in dependency else dependency
                kind = "external" if target.startswith("external/") else "service"
                graph.add_node(target, kind, {}, [dependency] if target != dependency else [], SOURCE)
            graph.add_edge(name, target, "calls", SOURCE, {"declared": f"services.{name}.depends_on"})
    return graph


def load_topology_file(path: Path) -> TopologyFile:
    try:
        import yaml

        document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise TopologySourceError(f"topology file {path}: {exc}") from exc
    if not isinstance(document, dict):
        raise TopologySourceError(f"topology file {path}: expected a mapping at the top level")
    try:
        return TopologyFile.model_validate(document)
    except (ValidationError, ValueError) as exc:
        raise TopologySourceError(f"topology file {path}: {exc}") from exc


class DeclaredTopologyBuilder:
    source = SOURCE

    def configured(self, inputs: TopologyInputs) -> bool:
        return inputs.topology_file is not None

    def collect(self, inputs: TopologyInputs) -> Graph:
        assert inputs.topology_file is not None
        return graph_from_declaration(load_topology_file(inputs.topology_file))
