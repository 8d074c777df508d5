"""`sreo db upgrade|current|heads`: the store's Alembic migrations."""

from __future__ import annotations

import typer

from functions._platform.config import get_settings
from functions._platform.db.engine import current_revision, head_revision, make_engine, upgrade

app = typer.Typer(help="Store schema migrations (SQLite file or SREO_DATABASE_URL).", no_args_is_help=True)


@app.command("upgrade")
def upgrade_command() -> None:
    """Apply every pending migration, then print the revision."""
    engine = make_engine(get_settings())
    upgrade(engine)
    print(current_revision(engine))


@app.command("current")
def current_command() -> None:
    """Print the store's revision (empty when it was never migrated)."""
    print(current_revision(make_engine(get_settings())) or "")


@app.command("heads")
def heads_command() -> None:
    """Print the newest revision this release knows."""
    print(head_revision())
