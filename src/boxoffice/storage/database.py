"""Engines for SQLite (embedded default) and PostgreSQL (production), and how each takes its locks.

SQLite: WAL, one writer. Write transactions start with ``BEGIN IMMEDIATE`` so the write lock is taken
up front (no upgrade deadlocks), and writers in one process queue on a mutex rather than spinning on
``busy_timeout``; other processes wait on ``busy_timeout``. PostgreSQL: psycopg 3, a ``lock_timeout``
so a contended row answers "busy" instead of hanging.
"""

from __future__ import annotations

import threading
import time
import weakref
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DisconnectionError

SQLITE_BUSY_TIMEOUT_MS = 30_000
PG_LOCK_TIMEOUT_MS = 5_000
PG_STATEMENT_TIMEOUT_MS = 30_000
POOL_TIMEOUT_S = 10
PING_IDLE_S = 1.0  # a pooled connection idle longer than this is pinged before use


def normalise_url(url: str) -> str:
    """Accept the plain URLs people type and pick our drivers."""
    if url.startswith(("postgres://", "postgresql://")):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    if url.startswith("sqlite://") and not url.startswith("sqlite+"):
        return "sqlite+pysqlite://" + url.split("://", 1)[1]
    return url


_WRITER_LOCKS: weakref.WeakKeyDictionary[Engine, threading.Lock] = weakref.WeakKeyDictionary()


def writer_lock(engine: Engine) -> threading.Lock | None:
    """The in-process queue for SQLite writers; None for PostgreSQL, where row locks do the work."""
    return _WRITER_LOCKS.get(engine)


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


def make_engine(url: str, *, pool_size: int = 10, echo: bool = False, schema: str | None = None) -> Engine:
    """`schema` (PostgreSQL only) puts every table in that schema: the tests give each worker its own."""
    url = normalise_url(url)
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(url, echo=echo)
    # Keep any `?options=` the operator put in the URL, and add ours: a contended row answers "busy" and a
    # database that stops answering fails the statement, instead of hanging the request.
    given = parsed.query.get("options")
    options = " ".join(
        [
            *([given] if isinstance(given, str) else list(given or ())),
            f"-c lock_timeout={PG_LOCK_TIMEOUT_MS}",
            f"-c statement_timeout={PG_STATEMENT_TIMEOUT_MS}",
        ]
    )
    if schema is not None:
        options += f" -c search_path={schema}"
    url = parsed.difference_update_query(["options"]).render_as_string(hide_password=False)
    engine = create_engine(
        url,
        pool_size=pool_size,
        max_overflow=pool_size,
        pool_timeout=POOL_TIMEOUT_S,
        pool_recycle=1800,
        echo=echo,
        connect_args={"options": options, "connect_timeout": 5},
    )
    _ping_when_idle(engine)
    return engine


def _ping_when_idle(engine: Engine) -> None:
    """Pre-ping a pooled connection only if it sat idle for PING_IDLE_S: one that was in use a moment ago
    is alive or is found dead by its next statement (a 503 through the unit of work, and the pool drops
    it), while on an on-sale a ping per checkout was one round trip in every group commit."""

    @event.listens_for(engine, "checkin")
    def _checked_in(_dbapi_connection: Any, record: Any) -> None:
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _checked_out(dbapi_connection: Any, record: Any, proxy: Any) -> None:
        if time.monotonic() - record.info.get("idle_since", 0.0) < PING_IDLE_S:
            return
        try:
            with dbapi_connection.cursor() as cursor:
                cursor.execute("SELECT 1")
            dbapi_connection.rollback()
        except Exception as exc:  # a dead connection: the pool reconnects and retries the checkout
            raise DisconnectionError(f"stale pooled connection: {exc}") from exc


def _sqlite_engine(url: str, *, echo: bool) -> Engine:
    database = make_url(url).database
    if database and database != ":memory:":
        Path(database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(
        url,
        echo=echo,
        connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000},
    )
    _WRITER_LOCKS[engine] = threading.Lock()  # taken by the unit of work for writes

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the driver, open transactions, so BEGIN IMMEDIATE is ours to issue.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        # FULL: a commit is on disk before the caller hears yes, even across a power cut.
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        mode = "IMMEDIATE" if connection.get_execution_options().get("sqlite_write", True) else "DEFERRED"
        connection.exec_driver_sql(f"BEGIN {mode}")

    return engine
