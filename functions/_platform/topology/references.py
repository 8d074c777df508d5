"""What a configuration value points at: cluster Services (`http://payments:8080`,
`payments.shop.svc.cluster.local`), databases (`postgres://app@orders-db:5432/orders`, `host=... dbname=...`)
and hosts outside the cluster (`https://api.stripe.com/v1`). Pure text parsing; no lookups."""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass

DATABASE_ENGINES = {
    "postgres": "postgres", "postgresql": "postgres", "pgsql": "postgres",
    "mysql": "mysql", "mariadb": "mysql", "mongodb": "mongodb", "mongodb+srv": "mongodb",
    "redis": "redis", "rediss": "redis", "sqlserver": "mssql", "mssql": "mssql", "oracle": "oracle",
}
_URL = re.compile(r"(?P<scheme>[a-zA-Z][\w+.-]*)://(?P<rest>[^\s'\"<>,;]+)")
_DSN_URL = re.compile(r"(?P<scheme>[a-zA-Z][\w+.-]*)://(?P<rest>[^\s'\"<>;]+)")  # multi-host DSNs use commas
_HOST_PORT = re.compile(r"(?<![\w.@/:-])(?P<host>[a-zA-Z0-9](?:[a-zA-Z0-9.-]*[a-zA-Z0-9])?):(?P<port>\d{2,5})\b")
_HOSTNAME = re.compile(r"^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*$")
_KEYWORD_DSN = re.compile(r"(?:^|\s)(?P<key>host|dbname|port|user)\s*=\s*(?P<value>[^\s'\"]+)")
_CLUSTER_SUFFIX = re.compile(r"\.svc(?:\.cluster\.local)?\.?$")
# a Service's cluster name anywhere in a config file (`Host elasticsearch-master.logging.svc`, its port elsewhere)
_CLUSTER_NAME = re.compile(r"(?<![\w.-])(?P<host>[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?"
                           r"\.svc(?:\.cluster\.local)?)(?![\w.-]*[\w-])")
_PUBLIC_TLD = re.compile(r"\.[a-z]{2,24}$")
_LOCAL_HOSTS = {"localhost", "0.0.0.0", "127.0.0.1", "::1"}


@dataclass(frozen=True)
class HostReference:
    host: str
    port: int | None = None
    scheme: str | None = None


@dataclass(frozen=True)
class DatabaseReference:
    engine: str  # "postgres", "mysql", ...
    host: str
    database: str | None
    port: int | None = None

    @property
    def node_id(self) -> str:
        return f"{self.engine}/{self.database or self.host}"


def _strip_jdbc(scheme: str) -> str:
    scheme = scheme.lower()
    return scheme.split("+", 1)[0] if scheme.split("+", 1)[0] in DATABASE_ENGINES else scheme


def _authority(rest: str) -> tuple[str, int | None, str]:
    authority, _, path = rest.partition("/")
    authority = authority.rsplit("@", 1)[-1]
    first = authority.split(",", 1)[0]  # multi-host DSNs: the first host names the node
    host, _, port = first.rpartition(":") if first.count(":") == 1 else (first, "", "")
    return host.lower().strip("[]"), int(port) if port.isdigit() else None, path


def database_references(text: str) -> list[DatabaseReference]:
    """Database DSNs in URL form (JDBC included) or libpq keyword form."""
    found: list[DatabaseReference] = []
    for match in _DSN_URL.finditer(text.replace("jdbc:", "")):
        engine = DATABASE_ENGINES.get(_strip_jdbc(match["scheme"]))
        if engine is None:
            continue
        host, port, path = _authority(match["rest"])
        database = path.split("?", 1)[0].split(",", 1)[0].strip("/") or None
        if engine == "redis" and database and database.isdigit():
            database = None
        if host:
            found.append(DatabaseReference(engine, host, database, port))
    keywords = {m["key"]: m["value"] for m in _KEYWORD_DSN.finditer(text)}
    if "host" in keywords and "dbname" in keywords:
        port = keywords.get("port", "")
        found.append(DatabaseReference("postgres", keywords["host"].lower(), keywords["dbname"],
                                       int(port) if port.isdigit() else None))
    return list(dict.fromkeys(found))


def host_references(text: str, whole_value: bool = False) -> list[HostReference]:
    """Hosts in URLs, `host:port` tokens and Services' cluster names (`payments.shop.svc`); with `whole_value`, a
    value that is just a hostname counts too.
    Database DSNs are left to `database_references`."""
    found: list[HostReference] = []
    for match in _URL.finditer(text):
        scheme = _strip_jdbc(match["scheme"])
        if scheme in DATABASE_ENGINES or scheme == "jdbc":
            continue
        host, port, _ = _authority(match["rest"])
        if host:
            found.append(HostReference(host, port, scheme))
    without_urls = _URL.sub(" ", text)
    for match in _HOST_PORT.finditer(without_urls):
        found.append(HostReference(match["host"].lower(), int(match["port"])))
    named = {ref.host for ref in found}
    found += [HostReference(match["host"]) for match in _CLUSTER_NAME.finditer(without_urls.lower())
              if match["host"] not in named]
    value = text.strip().lower()
    if whole_value and _HOSTNAME.match(value) and not value.replace(".", "").isdigit():
        found.append(HostReference(value))
    return [ref for ref in dict.fromkeys(found) if ref.host not in _LOCAL_HOSTS]


def is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def cluster_service_name(host: str, namespaces: dict[str, set[str]], own_namespace: str) -> str | None:
    """The Service a host names: `payments` (same namespace), `payments.shop`, `payments.shop.svc[.cluster.local]`,
    and a headless Service's pod, `zookeeper-0.zookeeper-headless[.kafka[.svc...]]`. `namespaces` maps namespace ->
    Service names in it."""
    labels = _CLUSTER_SUFFIX.sub("", host).split(".")
    own = namespaces.get(own_namespace, set())
    if len(labels) == 1:
        return labels[0] if labels[0] in own else None
    if len(labels) == 2 and labels[1] in namespaces and labels[0] in namespaces[labels[1]]:
        return labels[0]
    if len(labels) == 2 and labels[1] in own:
        return labels[1]
    if len(labels) == 3 and labels[2] in namespaces and labels[1] in namespaces[labels[2]]:
        return labels[1]
    return None


def is_external_host(host: str) -> bool:
    """A name outside the cluster: dotted, ending in an alphabetic TLD, not a cluster-local name."""
    return ("." in host and not is_ip(host) and not _CLUSTER_SUFFIX.search(host)
            and not host.endswith(".local") and not host.endswith(".internal") and bool(_PUBLIC_TLD.search(host)))


def redact(text: str, limit: int = 200) -> str:
    """A value fit for evidence: passwords in URLs and `password=` pairs removed, length bounded."""
    text = re.sub(r"(://[^:/@\s]+):[^@\s]+@", r"\1:***@", text)
    text = re.sub(r"(?i)(password|passwd|pwd|secret|token)\s*=\s*[^\s&;]+", r"\1=***", text)
    return text if len(text) <= limit else text[: limit - 3] + "..."
