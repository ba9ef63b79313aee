"""The suite runs on SQLite and on PostgreSQL. Every test that takes `db` runs once on each.

PostgreSQL comes from BOXOFFICE_TEST_POSTGRES_URL (default: the local server). Where it cannot be
reached the PostgreSQL half is skipped with a loud message, except under CI=true, where that fails.
Each pytest-xdist worker gets its own schema; each test starts from empty tables.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import Engine, text

from boxoffice.storage.database import make_engine
from boxoffice.storage.migrate import upgrade
from boxoffice.storage.tables import metadata
from boxoffice.storage.uow import Database

POSTGRES_URL = os.environ.get("BOXOFFICE_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
SHARED_CHARTS = Path(__file__).resolve().parents[1] / ".." / "shared" / "charts"


def _postgres_problem() -> str | None:
    try:
        with psycopg.connect(POSTGRES_URL, connect_timeout=3) as conn:
            conn.execute("select 1")
    except psycopg.Error as exc:
        return str(exc).strip()
    return None


_PG_PROBLEM = _postgres_problem()
if _PG_PROBLEM is not None:
    banner = f"\n{'!' * 78}\n!! PostgreSQL at {POSTGRES_URL} is unreachable: {_PG_PROBLEM}\n"
    if os.environ.get("CI") == "true":
        sys.stderr.write(banner + "!! CI=true: the PostgreSQL half of the suite must run. Failing.\n")
        raise SystemExit(3)
    sys.stderr.write(banner + "!! The PostgreSQL half of the suite is SKIPPED.\n" + "!" * 78 + "\n")


def _worker() -> str:
    return os.environ.get("PYTEST_XDIST_WORKER", "main")


@pytest.fixture(scope="session")
def postgres_engine() -> Iterator[Engine]:
    if _PG_PROBLEM is not None:
        pytest.skip(f"PostgreSQL unreachable: {_PG_PROBLEM}")
    schema = f"test_{_worker()}_{os.getpid()}"  # unique: several runs may share one server
    with psycopg.connect(POSTGRES_URL, autocommit=True) as conn:
        conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        conn.execute(f'CREATE SCHEMA "{schema}"')
    engine = make_engine(POSTGRES_URL, schema=schema, pool_size=20)
    upgrade(engine)
    yield engine
    engine.dispose()
    with psycopg.connect(POSTGRES_URL, autocommit=True) as conn:
        conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Migrate once; each test copies the file (faster than migrating per test)."""
    path = tmp_path_factory.mktemp("sqlite") / "template.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    engine.dispose()  # the last connection to close checkpoints the WAL into the file
    assert not path.with_name(path.name + "-wal").exists()
    return path


def _truncate_all(engine: Engine) -> None:
    names = ", ".join(f'"{t.name}"' for t in metadata.sorted_tables)
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))


@pytest.fixture(params=["sqlite", "postgres"])
def db(request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path) -> Iterator[Database]:
    if request.param == "postgres":
        engine: Engine = request.getfixturevalue("postgres_engine")
        _truncate_all(engine)
        yield Database(engine)
        return
    path = tmp_path / "boxoffice.sqlite3"
    path.write_bytes(sqlite_template.read_bytes())
    database = Database.from_url(f"sqlite:///{path}")
    yield database
    database.dispose()


@pytest.fixture
def pg_db(request: pytest.FixtureRequest) -> Database:
    """PostgreSQL only (the concurrency tests)."""
    engine: Engine = request.getfixturevalue("postgres_engine")
    _truncate_all(engine)
    return Database(engine)


@pytest.fixture
def shared_charts() -> Path:
    if not SHARED_CHARTS.is_dir():
        pytest.skip(f"{SHARED_CHARTS} is not here")
    return SHARED_CHARTS
