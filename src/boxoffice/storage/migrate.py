"""Run the Alembic migrations from code (`boxoffice db upgrade`, tests, `make run`)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, Engine

from boxoffice.storage.database import is_sqlite

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(url: str | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if url is not None:
        config.set_main_option("sqlalchemy.url", url)
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    _run(engine, lambda config: command.upgrade(config, revision))


def downgrade(engine: Engine, revision: str) -> None:
    _run(engine, lambda config: command.downgrade(config, revision))


def _run(engine: Engine, step: Callable[[Config], None]) -> None:
    """One transaction. On SQLite, with foreign keys off: rebuilding a table others refer to (what Alembic's
    batch mode does to drop a column) drops it first, which foreign keys forbid. SQLite ignores the pragma
    inside a transaction, so it is set on the raw connection before the transaction begins, every reference
    is checked before the commit, and the pragma is back on before the connection returns to the pool."""
    config = alembic_config()
    with engine.connect() as connection:
        sqlite = is_sqlite(engine)
        if sqlite:
            _pragma(connection, "foreign_keys=OFF")
        try:
            with connection.begin():
                config.attributes["connection"] = connection
                step(config)
                if sqlite:
                    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
                    if broken:
                        raise RuntimeError(f"migration left broken foreign keys: {broken[:10]}")
        finally:
            if sqlite:
                _pragma(connection, "foreign_keys=ON")


def _pragma(connection: Connection, setting: str) -> None:
    """A pragma on the driver's connection, outside any transaction (SQLAlchemy's would begin one)."""
    connection.connection.driver_connection.execute(f"PRAGMA {setting}")  # type: ignore[union-attr]


def check(engine: Engine) -> None:
    """Raise if the models have changes that no migration covers (`alembic check`)."""
    config = alembic_config()
    with engine.connect() as connection:
        config.attributes["connection"] = connection
        command.check(config)
