from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import Engine, text

from boxoffice.services.keys import digest
from boxoffice.services.workspaces import authenticate
from boxoffice.storage.database import make_engine
from boxoffice.storage.migrate import check, downgrade, upgrade
from boxoffice.storage.uow import Database
from tests.conftest import _PG_PROBLEM, POSTGRES_URL


def test_models_and_migrations_agree(db: Database) -> None:
    """`alembic check`: no model change is missing a migration."""
    check(db.engine)


@pytest.fixture(params=["sqlite", "postgres"])
def empty_engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """A database with no tables yet."""
    if request.param == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path / 'empty.sqlite3'}")
        yield engine
        engine.dispose()
        return
    if _PG_PROBLEM is not None:
        pytest.skip(f"PostgreSQL unreachable: {_PG_PROBLEM}")
    schema = f"migrate_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(POSTGRES_URL, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    engine = make_engine(POSTGRES_URL, schema=schema, pool_size=2)
    yield engine
    engine.dispose()
    with psycopg.connect(POSTGRES_URL, autocommit=True) as conn:
        conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


def test_0007_moves_each_workspace_key_to_the_key_table_and_keeps_what_refers_to_workspaces(
    empty_engine: Engine,
) -> None:
    upgrade(empty_engine, "0006")
    old_key = str(uuid.uuid4())
    with empty_engine.begin() as conn:
        conn.execute(
            text("INSERT INTO companies (id, name, admin_key_hash, created_at) VALUES (1, 'c', 'admin', :now)"),
            {"now": "2026-01-01 00:00:00"},
        )
        conn.execute(
            text(
                "INSERT INTO workspaces (id, company_id, key, name, secret_key_hash, is_test, is_default, is_active,"
                " created_at) VALUES (7, 1, 'ws', 'Default workspace', :hash, false, true, true, :now)"
            ),
            {"hash": digest(old_key), "now": "2026-01-01 00:00:00"},
        )
        conn.execute(
            text(
                "INSERT INTO charts (id, workspace_id, key, name, published_version, published_drawing, tags,"
                " archived, created_at) VALUES (3, 7, 'chart', 'a chart', 1, '{}', '[]', false, :now)"
            ),
            {"now": "2026-01-01 00:00:00"},
        )

    upgrade(empty_engine)

    assert authenticate(Database(empty_engine), old_key).workspace.id == 7  # the old key still works
    with empty_engine.connect() as conn:
        keys = conn.execute(text("SELECT workspace_id, secret_key_hash, salt FROM workspace_secret_keys")).all()
        assert [tuple(k) for k in keys] == [(7, digest(old_key), None)]
        assert conn.execute(text("SELECT workspace_id FROM charts")).scalar_one() == 7
        assert conn.execute(text("SELECT deleted_at FROM workspaces")).scalar_one() is None
        if empty_engine.dialect.name == "sqlite":
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar_one() == 1  # back on in the pool
            assert conn.exec_driver_sql("PRAGMA foreign_key_check").all() == []

    downgrade(empty_engine, "0006")
    with empty_engine.connect() as conn:
        assert conn.execute(text("SELECT secret_key_hash FROM workspaces")).scalar_one() == digest(old_key)
        assert conn.execute(text("SELECT workspace_id FROM charts")).scalar_one() == 7


def test_0011_makes_the_channel_index_optional_and_keeps_existing_ones(empty_engine: Engine) -> None:
    upgrade(empty_engine, "0010")
    now = {"now": "2026-01-01 00:00:00"}
    with empty_engine.begin() as conn:
        conn.execute(
            text("INSERT INTO companies (id, name, admin_key_hash, created_at) VALUES (1, 'c', 'a', :now)"), now
        )
        conn.execute(
            text(
                "INSERT INTO workspaces (id, company_id, key, name, is_test, is_default, is_active, created_at)"
                " VALUES (7, 1, 'ws', 'Default workspace', false, true, true, :now)"
            ),
            now,
        )
        conn.execute(
            text(
                "INSERT INTO charts (id, workspace_id, key, name, published_version, published_drawing, tags,"
                " archived, created_at) VALUES (3, 7, 'chart', 'a chart', 1, '{}', '[]', false, :now)"
            ),
            now,
        )
        conn.execute(
            text(
                "INSERT INTO events (id, workspace_id, chart_id, key, settings, created_at)"
                " VALUES (5, 7, 3, 'show', '{}', :now)"
            ),
            now,
        )
        conn.execute(text("INSERT INTO channels (event_id, key, name, color, position) VALUES (5, 'vip', 'V', '', 4)"))

    upgrade(empty_engine)

    with empty_engine.begin() as conn:
        conn.execute(text("INSERT INTO channels (event_id, key, name, color) VALUES (5, 'press', 'P', '')"))
        rows = conn.execute(text("SELECT key, position FROM channels ORDER BY key")).all()
        assert [tuple(r) for r in rows] == [("press", None), ("vip", 4)]

    downgrade(empty_engine, "0010")
    with empty_engine.connect() as conn:
        rows = conn.execute(text("SELECT key, position FROM channels ORDER BY key")).all()
        assert [tuple(r) for r in rows] == [("press", 0), ("vip", 4)]


def test_0013_gives_existing_companies_seats_io_account_defaults(empty_engine: Engine) -> None:
    from boxoffice.services import accounts

    upgrade(empty_engine, "0012")
    with empty_engine.begin() as conn:
        conn.execute(
            text("INSERT INTO companies (id, name, admin_key_hash, created_at) VALUES (1, 'c', 'a', :now)"),
            {"now": "2026-01-01 00:00:00"},
        )

    upgrade(empty_engine)

    account = accounts.get_account(Database(empty_engine), 1, system_secret="s")
    assert (account.email, account.designer_key) == (None, None)  # none until one is made
    assert account.settings.hold_period_minutes == 15 and account.settings.draft_chart_drawings_enabled is True
    assert {level.value for level in account.settings.chart_validation.values()} == {"OFF"}
    accounts.update_setting(Database(empty_engine), 1, "VALIDATE_FOCAL_POINT", "ERROR")

    downgrade(empty_engine, "0012")
    with empty_engine.connect() as conn:
        assert conn.execute(text("SELECT name FROM companies")).scalar_one() == "c"
