"""Fixtures of the database agent tests; the helpers live in pg_fixtures (a name no other folder uses)."""

from support.pg_fixtures import postgres_server  # noqa: F401  (session fixture: a real PostgreSQL on loopback)
