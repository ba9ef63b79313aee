"""Shared set-up for the service benchmarks: a fresh database with the 100,000-seat event, 70 % of it taken.

Not a benchmark itself. PostgreSQL: database ``boxoffice_bench`` (dropped and created); ``--sqlite``: a file
in a temporary directory.
"""

from __future__ import annotations

import os
import random
import tempfile
from dataclasses import dataclass
from pathlib import Path

from boxoffice.domain.records import Workspace
from boxoffice.storage.uow import Database

PG_ADMIN_URL = os.environ.get("BOXOFFICE_BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
PG_DATABASE = "boxoffice_bench"


@dataclass
class BigEvent:
    db: Database
    workspace: Workspace
    event_key: str
    description: str


def fresh_url(sqlite: bool) -> str:
    if sqlite:
        return f"sqlite:///{Path(tempfile.mkdtemp(prefix='boxoffice-bench-')) / 'bench.sqlite3'}"
    import psycopg

    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {PG_DATABASE} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {PG_DATABASE}")
    return f"{PG_ADMIN_URL.rpartition('/')[0]}/{PG_DATABASE}"


def big_event(sqlite: bool = False, taken: float = 0.7, seed: int = 1) -> BigEvent:
    """The 100,000-seat chart + GA, one event; `taken` of the seats booked or held at random (scattered)."""
    from boxoffice.demo_chart import big_chart
    from boxoffice.services.charts import create_chart
    from boxoffice.services.events import EventSpec, create_event
    from boxoffice.services.hold_tokens import create_hold_token
    from boxoffice.services.inventory import ObjectRequest, book, hold
    from boxoffice.services.workspaces import create_company
    from boxoffice.storage.migrate import upgrade

    db = Database.from_url(fresh_url(sqlite))
    upgrade(db.engine)
    workspace = create_company(db, "Benchmark").workspace
    chart = create_chart(db, workspace, big_chart(seats=100_000, sections=20))
    event = create_event(db, workspace, EventSpec(chart_key=chart.key))
    with db.read() as uow:
        labels = sorted(uow.objects.labels(event.id) - {"GA-Floor"})
    rng = random.Random(seed)
    chosen = [label for label in labels if rng.random() < taken]
    rng.shuffle(chosen)
    token = create_hold_token(db, workspace, 120).token
    for n, start in enumerate(range(0, len(chosen), 2000)):
        batch = chosen[start : start + 2000]
        if n % 4 == 3:
            hold(db, workspace, [event.key], batch, token)
        else:
            book(db, workspace, [event.key], batch, order_id=f"bulk-{n}")
    book(db, workspace, [event.key], [ObjectRequest("GA-Floor", quantity=1500)], order_id="ga")
    _analyze(db)  # what autovacuum does soon after a bulk load; the planner needs the statistics
    engine = "SQLite" if sqlite else "PostgreSQL"
    return BigEvent(db, workspace, event.key, f"{engine}, 100,000 seats + GA, {len(chosen):,} seats taken at random")


def _analyze(db: Database) -> None:
    from sqlalchemy import text

    with db.engine.connect() as conn:
        conn.execute(text("ANALYZE"))
        conn.commit()
