from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import event, text

from boxoffice.storage.database import make_engine
from tests.conftest import _PG_PROBLEM, POSTGRES_URL


@pytest.mark.skipif(_PG_PROBLEM is not None, reason="PostgreSQL unreachable")
def test_options_in_the_url_are_kept_and_ours_added() -> None:
    engine = make_engine(f"{POSTGRES_URL}?options=-c%20application_name%3Dboxoffice-test")
    try:
        with engine.connect() as conn:
            assert conn.execute(text("show application_name")).scalar_one() == "boxoffice-test"
            assert conn.execute(text("show lock_timeout")).scalar_one() == "5s"
            assert conn.execute(text("show statement_timeout")).scalar_one() == "30s"
    finally:
        engine.dispose()


@pytest.mark.skipif(_PG_PROBLEM is not None, reason="PostgreSQL unreachable")
def test_a_pooled_connection_that_died_while_idle_is_replaced_not_used(monkeypatch: pytest.MonkeyPatch) -> None:
    from boxoffice.storage import database

    monkeypatch.setattr(database, "PING_IDLE_S", 0.0)  # every checkout counts as after a long idle
    engine = make_engine(POSTGRES_URL, pool_size=1)
    try:
        with engine.connect() as conn:
            first = conn.execute(text("select pg_backend_pid()")).scalar_one()
        killer = make_engine(POSTGRES_URL)
        try:
            with killer.connect() as conn:
                conn.execute(text("select pg_terminate_backend(:pid, 5000)"), {"pid": first})
        finally:
            killer.dispose()
        with engine.connect() as conn:  # the ping finds the first one dead; the pool connects anew
            assert conn.execute(text("select pg_backend_pid()")).scalar_one() != first
    finally:
        engine.dispose()


@pytest.mark.skipif(_PG_PROBLEM is not None, reason="PostgreSQL unreachable")
def test_a_connection_used_a_moment_ago_is_not_pinged(monkeypatch: pytest.MonkeyPatch) -> None:
    from boxoffice.storage import database

    monkeypatch.setattr(database, "PING_IDLE_S", 3600.0)
    engine = make_engine(POSTGRES_URL, pool_size=1)
    statements: list[str] = []
    try:
        with engine.connect() as conn:
            conn.execute(text("select 1"))

        @event.listens_for(engine, "before_cursor_execute")
        def _seen(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
            statements.append(statement)

        with engine.connect() as conn:
            conn.execute(text("select 2"))
        assert statements == ["select 2"]  # no ping round trip on the hot path
    finally:
        engine.dispose()
