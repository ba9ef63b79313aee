"""The psycopg connection under a SQLAlchemy connection, for the few hot statements sent without SQLAlchemy.

On the on-sale's hot path SQLAlchemy's per-statement work (execution context, result metadata, row
mappings) cost several times the database's own: about 0.55 of the 0.7 ms of locking four seats. The
statements sent this way are the repositories' own (same SQL, same guard), in the same transaction.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

import psycopg
from sqlalchemy import Connection
from sqlalchemy.exc import DBAPIError


def is_postgresql(conn: Connection) -> bool:
    return conn.dialect.name == "postgresql"


def utc(value: datetime | None) -> datetime | None:
    """A timestamp read without SQLAlchemy, as storage.tables.UTCDateTime reads it: aware, in UTC."""
    return value.astimezone(UTC) if value is not None else None


@contextmanager
def raw_connection(conn: Connection) -> Iterator[psycopg.Connection[Any]]:
    """The psycopg connection under `conn`, in `conn`'s transaction. Its errors come out as SQLAlchemy's
    (DBAPIError, a lost connection invalidated in the pool), as those of any other statement do."""
    fairy = conn.connection
    raw: psycopg.Connection[Any] = fairy.driver_connection  # type: ignore[assignment]
    try:
        yield raw
    except psycopg.Error as exc:
        lost = raw.closed or raw.broken
        if lost:
            conn.invalidate(exc)
        raise DBAPIError.instance("raw statement", None, exc, psycopg.Error, connection_invalidated=lost) from exc
