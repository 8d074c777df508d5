"""The databases to diagnose, parsed from `SREO_DIAG_POSTGRES_DSNS`, each with a name responders recognise.

Each entry is a libpq DSN (URI or `key=value` form), optionally labelled `label=postgresql://...`.
The name is `postgres/<label>` when labelled, else `postgres/<dbname>`, or `postgres/<dbname>@<host>`
when two entries share a database name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from functions._platform.domains.database.source.redact import redact_dsn

_LABELLED = re.compile(r"^(?P<label>[A-Za-z0-9_.-]+)=(?P<dsn>postgres(?:ql)?://.*)$")


@dataclass(frozen=True)
class PostgresTarget:
    name: str
    dsn: str = field(repr=False)
    database: str
    host: str
    port: str
    user: str
    password: str = field(default="", repr=False)

    @property
    def secrets(self) -> tuple[str, ...]:
        return (self.password,) if self.password else ()

    def describe(self) -> dict[str, str]:
        """What may be shown: never the password or the raw DSN."""
        return {"name": self.name, "database": self.database, "host": self.host, "port": self.port,
                "user": self.user, "dsn": redact_dsn(self.dsn)}


def split_dsns(raw: str | None) -> list[str]:
    """Comma-separated entries; a piece with neither `://` nor `=` continues a multi-host URI."""
    entries: list[str] = []
    for piece in (raw or "").split(","):
        piece = piece.strip()
        if not piece:
            continue
        if entries and "://" not in piece and "=" not in piece:
            entries[-1] = f"{entries[-1]},{piece}"
        else:
            entries.append(piece)
    return entries


def _parse(entry: str) -> tuple[str | None, str, dict[str, str]]:
    import psycopg
    from psycopg.conninfo import conninfo_to_dict

    labelled = _LABELLED.match(entry)
    label, dsn = (labelled["label"], labelled["dsn"]) if labelled else (None, entry)
    try:
        params = {k: str(v) for k, v in conninfo_to_dict(dsn).items() if v is not None}
    except psycopg.Error as exc:
        raise ValueError(f"invalid PostgreSQL DSN {redact_dsn(dsn)!r}: {type(exc).__name__}") from None
    return label, dsn, params


def parse_targets(raw: str | None) -> list[PostgresTarget]:
    parsed = [_parse(entry) for entry in split_dsns(raw)]
    databases = [params.get("dbname") or params.get("user") or "postgres" for _, _, params in parsed]
    unlabelled = [db for (label, _, _), db in zip(parsed, databases, strict=True) if not label]
    targets: list[PostgresTarget] = []
    for (label, dsn, params), database in zip(parsed, databases, strict=True):
        host = params.get("host") or params.get("hostaddr") or "localhost"
        port = params.get("port") or "5432"
        if label:
            name = f"postgres/{label}"
        elif unlabelled.count(database) > 1:
            name = f"postgres/{database}@{host}" + (f":{port}" if port != "5432" else "")
        else:
            name = f"postgres/{database}"
        targets.append(PostgresTarget(name=name, dsn=dsn, database=database, host=host, port=port,
                                      user=params.get("user", ""), password=params.get("password", "")))
    names = [t.name for t in targets]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise ValueError(f"two DSNs resolve to the same name {duplicates}; label them `label=postgresql://...`")
    return targets
