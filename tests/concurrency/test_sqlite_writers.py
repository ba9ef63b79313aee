"""SQLite under concurrent writers: every caller gets an answer, never "database is locked", never Busy.

SQLite has one writer at a time. Inside a process writers queue on the engine's mutex and start with
``BEGIN IMMEDIATE``; between processes (here: two `Database` objects on one file, each with its own engine and
mutex) they wait on ``busy_timeout``. Either way a caller should see its change or a domain error, and the log
should replay to the stored state.
"""

from __future__ import annotations

import random
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from boxoffice.domain.errors import BestAvailableNotFound, IllegalStatusChange
from boxoffice.domain.records import Event, Workspace
from boxoffice.domain.statuses import BOOKED, HELD
from boxoffice.services import hold_tokens
from boxoffice.services.audit import audit
from boxoffice.services.best_available import BestAvailableOrder, take_best_available
from boxoffice.services.inventory import ObjectRequest, book, hold, release
from boxoffice.services.reports import object_infos
from boxoffice.storage.database import make_engine
from boxoffice.storage.migrate import upgrade
from boxoffice.storage.uow import Database
from tests.concurrency.race import race
from tests.factories import make_event

WRITERS = 8
OPERATIONS_PER_WRITER = 50
SEATS = ["A-1", "A-2", "A-3", "A-4", "A-5", "A-6"]  # few seats, so the writers fight over them
DOMAIN_ERRORS = (IllegalStatusChange, BestAvailableNotFound)


@pytest.fixture
def sqlite_file(tmp_path: Path) -> Path:
    path = tmp_path / "writers.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    engine.dispose()
    return path


@pytest.fixture
def databases(request: pytest.FixtureRequest, sqlite_file: Path) -> Iterator[list[Database]]:
    """One `Database` shared by every thread (one server process), or two on the same file (two processes)."""
    count: int = request.param
    opened = [Database.from_url(f"sqlite:///{sqlite_file}") for _ in range(count)]
    try:
        yield opened
    finally:
        for db in opened:
            db.dispose()


class Writer:
    """One thread's random walk of holds, books, releases and best-available takes over the shared seats."""

    def __init__(self, db: Database, ws: Workspace, event: Event, index: int) -> None:
        self.db, self.ws, self.event, self.index = db, ws, event, index
        self.rng = random.Random(1000 + index)
        self.token = ""
        self.outcomes: Counter[str] = Counter()
        self.booked: list[tuple[str, str]] = []  # (label, order id) of each booking that succeeded
        self.sequence = 0

    def prepare(self) -> None:
        self.token = hold_tokens.create_hold_token(self.db, self.ws).token

    def run(self) -> Counter[str]:
        operations: list[Callable[[], None]] = [
            self.hold,
            self.book_with_token,
            self.book,
            self.release_with_token,
            self.release,
            self.best_available,
            self.ga,
        ]
        for _ in range(OPERATIONS_PER_WRITER):
            operation = self.rng.choice(operations)
            try:
                operation()
            except DOMAIN_ERRORS as exc:
                self.outcomes[f"{operation.__name__}: {type(exc).__name__}"] += 1
            else:
                self.outcomes[f"{operation.__name__}: ok"] += 1
        return self.outcomes

    def _seats(self) -> list[str]:
        return self.rng.sample(SEATS, self.rng.randint(1, 2))

    def _order(self) -> str:
        self.sequence += 1
        return f"w{self.index}-{self.sequence}"

    def hold(self) -> None:
        hold(self.db, self.ws, [self.event.key], self._seats(), self.token)

    def book_with_token(self) -> None:
        labels, order = self._seats(), self._order()
        book(self.db, self.ws, [self.event.key], labels, hold_token=self.token, order_id=order)
        self.booked.extend((label, order) for label in labels)

    def book(self) -> None:
        labels, order = self._seats(), self._order()
        book(self.db, self.ws, [self.event.key], labels, order_id=order)
        self.booked.extend((label, order) for label in labels)

    def release_with_token(self) -> None:
        release(self.db, self.ws, [self.event.key], self._seats(), hold_token=self.token)

    def release(self) -> None:
        release(self.db, self.ws, [self.event.key], self._seats())

    def best_available(self) -> None:
        order = self._order()
        status = self.rng.choice([HELD, BOOKED])
        request = BestAvailableOrder(
            event_key=self.event.key,
            number=2,
            status=status,
            hold_token=self.token if status == HELD else None,
            order_id=order,
        )
        taken = take_best_available(self.db, self.ws, request)
        if status == BOOKED:
            self.booked.extend((label, order) for label in taken.labels)

    def ga(self) -> None:
        places = [ObjectRequest("GA", self.rng.randint(1, 4))]
        token = self.token if self.rng.random() < 0.5 else None
        match self.rng.choice(["hold", "book", "release"]):
            case "hold":
                hold(self.db, self.ws, [self.event.key], places, self.token)
            case "book":
                book(self.db, self.ws, [self.event.key], places, hold_token=token, order_id=self._order())
            case _:
                release(self.db, self.ws, [self.event.key], places, hold_token=token)


@pytest.mark.parametrize(
    "databases",
    [pytest.param(1, id="one-shared-Database"), pytest.param(2, id="two-Databases-one-file")],
    indirect=True,
)
def test_concurrent_sqlite_writers_get_answers_not_locks(databases: list[Database]) -> None:
    ws, event = make_event(databases[0])
    writers = [Writer(databases[i % len(databases)], ws, event, i) for i in range(WRITERS)]
    seen_threads: set[str] = set()

    def work(i: int) -> Counter[str]:
        seen_threads.add(threading.current_thread().name)
        return writers[i].run()

    result = race(WRITERS, work, setup=[lambda i: writers[i].prepare()])

    # Any error that is not a domain answer (Busy, OperationalError "database is locked", ...) fails here.
    assert not result.unexpected(()), result.unexpected(())
    assert len(seen_threads) == WRITERS
    totals: Counter[str] = Counter()
    for outcome in result.outcomes:
        assert outcome.value is not None
        totals.update(outcome.value)
    assert sum(totals.values()) == WRITERS * OPERATIONS_PER_WRITER
    assert any(k.endswith(": ok") for k in totals) and any(k.endswith("IllegalStatusChange") for k in totals)
    print(f"\n[sqlite x{len(databases)} Database] {result.seconds:.2f}s {dict(sorted(totals.items()))}")

    booked_by = {(label, order) for writer in writers for label, order in writer.booked}
    for db in databases:  # every connection sees the same, consistent board
        infos = object_infos(db, ws, event.key, [*SEATS, "GA"])
        for info in infos[:-1]:
            if info.status == BOOKED:
                assert (info.label, info.order_id) in booked_by, f"{info.label} booked by nobody who heard yes"
        area = infos[-1]
        assert area.num_booked + area.num_held + area.num_free == area.capacity
        report = audit(db)
        assert report.clean, report.problems
