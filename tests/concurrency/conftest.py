"""Fixtures for the concurrency tests: a PostgreSQL engine whose pool can serve every racing thread at once."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, text

from boxoffice.storage.database import make_engine
from boxoffice.storage.uow import Database
from tests.conftest import _truncate_all

THREADS = 64


@pytest.fixture
def race_db(postgres_engine: Engine) -> Iterator[Database]:
    """PostgreSQL (skips loudly like `pg_db` when it is unreachable), empty tables, a pool of THREADS + a few.

    Same server and per-worker schema as `postgres_engine`; the pool is warmed so that the racing threads
    start their transactions together instead of queueing on connection set-up.
    """
    _truncate_all(postgres_engine)
    with postgres_engine.connect() as conn:
        schema = conn.execute(text("select current_schema()")).scalar_one()
    url = postgres_engine.url.render_as_string(hide_password=False)
    engine = make_engine(url, schema=schema, pool_size=THREADS + 4)
    warm = [engine.connect() for _ in range(THREADS + 2)]
    for conn in warm:
        conn.close()
    try:
        yield Database(engine)
    finally:
        engine.dispose()
