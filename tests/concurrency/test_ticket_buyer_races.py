"""Callers adding the same ticket buyer ids at once, each in its own order, on PostgreSQL: every call
succeeds (no unique violation, no deadlock) and each id is reported added by exactly one of them. The
control inserts in each caller's own order, one id per statement, with both callers made to take their
first id before either takes its second: the deadlock (Busy) that the sorted order avoids, every time."""

from __future__ import annotations

import random
import threading
import uuid
from collections import Counter
from typing import Any

import pytest
from sqlalchemy import Connection

from boxoffice.domain.errors import Busy
from boxoffice.domain.ticket_buyers import Added
from boxoffice.services import ticket_buyers
from boxoffice.storage import ticket_buyers as repository
from boxoffice.storage.uow import Database
from tests.concurrency.race import RaceResult, race
from tests.factories import make_workspace

CALLERS = 16
IDS = 2000  # two statements of CHUNK ids each


def _add_at_once(db: Database) -> tuple[list[str], RaceResult[Added]]:
    workspace = make_workspace(db)
    ids = [str(uuid.uuid4()) for _ in range(IDS)]
    orders = [random.Random(i).sample(ids, len(ids)) for i in range(CALLERS)]
    return ids, race(CALLERS, lambda i: ticket_buyers.add(db, workspace, orders[i]))


def test_adding_the_same_ids_at_once_adds_each_once(race_db: Database) -> None:
    ids, result = _add_at_once(race_db)

    assert not result.failures, result.unexpected(())
    added = Counter(i for o in result.successes if o.value is not None for i in o.value.added)
    assert added == Counter(ids)


class _MeetAfterFirstInsert:
    """A connection that, after its first statement, waits until the other caller has made its own."""

    def __init__(self, conn: Connection, met: threading.Barrier) -> None:
        self._conn, self._met, self._first = conn, met, True
        self.dialect = conn.dialect

    def execute(self, *args: Any, **kwargs: Any) -> Any:
        result = self._conn.execute(*args, **kwargs)
        if self._first:
            self._first = False
            self._met.wait(timeout=10)
        return result


def test_control_in_each_callers_own_order_the_same_race_deadlocks(
    race_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    workspace = make_workspace(race_db)
    met = threading.Barrier(2)
    plain_init = repository.TicketBuyerRepository.__init__

    def meeting_init(self: repository.TicketBuyerRepository, conn: Connection) -> None:
        plain_init(self, conn)
        self.conn = _MeetAfterFirstInsert(conn, met)  # type: ignore[assignment]

    monkeypatch.setattr(repository, "in_lock_order", lambda ids: list(ids))
    monkeypatch.setattr(repository, "CHUNK", 1)
    monkeypatch.setattr(repository.TicketBuyerRepository, "__init__", meeting_init)
    ids = [str(uuid.uuid4()) for _ in range(2)]
    orders = [ids, ids[::-1]]

    result = race(2, lambda i: ticket_buyers.add(race_db, workspace, orders[i]))

    assert not result.unexpected((Busy,))
    assert result.count(Busy) == 1
