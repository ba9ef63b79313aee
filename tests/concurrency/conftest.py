"""Fixtures for the concurrency tests: a PostgreSQL engine whose pool can serve every racing thread at once."""

from __future__ import annotations

import fcntl
import time
from collections.abc import Iterator
from datetime import datetime

import pytest
from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import OperationalError

from boxoffice.domain.statuses import Caller, Change, ObjectState, apply_change
from boxoffice.services import inventory
from boxoffice.storage import objects as object_storage
from boxoffice.storage.database import make_engine
from boxoffice.storage.uow import Database
from tests.conftest import _truncate_all

THREADS = 64
WARM_UP_S = 20.0
DECISION_DELAY_S = 0.02


def _warm(engine: Engine, connections: int) -> None:
    """Open `connections` at once and give them back to the pool, waiting a while if the server is full
    (other test processes share it: max_connections is 100 by default)."""
    deadline = time.monotonic() + WARM_UP_S
    while True:
        opened: list[Connection] = []
        try:
            for _ in range(connections):
                opened.append(engine.connect())
            return
        except OperationalError as exc:
            if "too many clients" not in str(exc) or time.monotonic() > deadline:
                pytest.fail(f"could not open {connections} PostgreSQL connections for the race: {exc}")
            time.sleep(0.5)
        finally:
            for conn in opened:
                conn.close()


@pytest.fixture(autouse=True)
def one_race_at_a_time(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """One test of this directory at a time across the test processes (a lock file in the run's shared
    temporary directory): a race holds dozens of connections, two warmed pools of 66 would not fit in the
    server's 100, and a race on `pg_db` beside one of them met "too many clients" (a 503 to its callers)."""
    with open(tmp_path_factory.getbasetemp().parent / "race.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


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
    postgres_engine.dispose()  # its idle pooled connections count against the server's limit too
    engine = make_engine(url, schema=schema, pool_size=THREADS + 4)
    _warm(engine, THREADS + 2)
    try:
        yield Database(engine)
    finally:
        engine.dispose()


# -- for the controls: the same race with the guard switched off ------------------------------------------
@pytest.fixture
def slow_decisions(monkeypatch: pytest.MonkeyPatch) -> None:
    """Widen the read-decide-write window by a fixed delay (the decision itself is the real one)."""

    def slow(current: ObjectState, change: Change, caller: Caller, now: datetime) -> ObjectState:
        time.sleep(DECISION_DELAY_S)
        return apply_change(current, change, caller, now)

    monkeypatch.setattr(inventory, "apply_change", slow)


@pytest.fixture
def unguarded() -> Iterator[None]:
    """Rows read without FOR UPDATE and a compare-and-set without its version check; restored afterwards."""
    object_storage.GUARD["enabled"] = False
    try:
        yield
    finally:
        object_storage.GUARD["enabled"] = True
