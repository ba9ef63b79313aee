"""`UnitOfWork.write_changes`: tokens, log and the compare-and-set in one go (one round trip on PostgreSQL,
storage/pipeline.py; the repositories' statements on SQLite). Both must store the same thing."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import text

from boxoffice.domain.records import HoldToken
from boxoffice.domain.statuses import BOOKED, FREE, HELD, ObjectState
from boxoffice.services.clock import utcnow
from boxoffice.storage import pipeline, status_log
from boxoffice.storage.uow import Database
from tests.factories import make_event


def log_entry(workspace_id: int, event_id: int, label: str, status: str, previous: str, **extra: Any) -> dict[str, Any]:
    """A status-change log row as the writers build it, with `extra` fields."""
    return status_log.entry(workspace_id, event_id, label, status, previous, utcnow(), origin="API_CALL", **extra)


def stored(db: Database, event_id: int, label: str) -> ObjectState:
    with db.read() as uow:
        return uow.objects.get(event_id, [label])[label].state


def test_writes_tokens_log_and_states_and_chains_two_changes_of_one_seat(db: Database) -> None:
    ws, event = make_event(db)
    now = utcnow()
    token = HoldToken("t" * 32, ws.id, now, now + timedelta(minutes=15))
    held = ObjectState("A-1", HELD, hold_token=token.token, status_before_hold=FREE, extra_data={"note": "x"})
    booked = ObjectState("A-1", BOOKED, order_id="o-1", extra_data={"note": "x"})
    plain = ObjectState("A-2", BOOKED, order_id="o-1")
    log = [
        log_entry(ws.id, event.id, "A-1", HELD, FREE, hold_token=token.token),
        log_entry(ws.id, event.id, "A-1", BOOKED, HELD, order_id="o-1", extra_data={"note": "x"}),
        log_entry(ws.id, event.id, "A-2", BOOKED, FREE, order_id="o-1"),
    ]

    with db.write() as uow:
        assert uow.write_changes([token], log, {event.id: [(0, held), (1, booked), (0, plain)]})
        uow.commit()

    a1, a2 = stored(db, event.id, "A-1"), stored(db, event.id, "A-2")
    assert (a1.status, a1.order_id, a1.extra_data, a1.version) == (BOOKED, "o-1", {"note": "x"}, 2)  # two steps
    assert (a2.status, a2.extra_data, a2.version) == (BOOKED, None, 1)
    with db.read() as uow:
        assert uow.hold_tokens.get(ws.id, token.token) == token
        entries = uow.status_log.page(event.id, ascending=True)
    assert [(e.label, e.status) for e in entries] == [("A-1", HELD), ("A-1", BOOKED), ("A-2", BOOKED)]
    assert entries[1].extra_data == {"note": "x"}


def test_a_seat_that_moved_on_is_reported_and_nothing_is_kept(db: Database) -> None:
    ws, event = make_event(db)
    with db.write() as uow:
        moved = uow.write_changes([], [], {event.id: [(0, ObjectState("A-1", BOOKED))]})
        uow.commit()
    assert moved

    with db.write() as uow:  # A-1 is at version 1 now: a change that saw version 0 must not match
        matched = uow.write_changes(
            [],
            [log_entry(ws.id, event.id, "A-2", BOOKED, FREE)],
            {event.id: [(0, ObjectState("A-2", BOOKED)), (0, ObjectState("A-1", HELD))]},
        )
    assert not matched  # not committed: the unit of work rolls back
    assert stored(db, event.id, "A-1").status == BOOKED
    assert stored(db, event.id, "A-2").status == FREE
    with db.read() as uow:
        assert [e.label for e in uow.status_log.page(event.id)] == []


def test_none_extra_data_is_stored_as_sqlalchemy_stores_it(db: Database) -> None:
    """JSON columns keep None as JSON null through SQLAlchemy; the pipelined writes must do the same, so that
    rows read the same whichever path wrote them."""
    ws, event = make_event(db)
    with db.write() as uow:
        uow.write_changes(
            [], [log_entry(ws.id, event.id, "A-1", BOOKED, FREE)], {event.id: [(0, ObjectState("A-1", BOOKED))]}
        )
        uow.status_log.append([log_entry(ws.id, event.id, "A-2", BOOKED, FREE)])
        uow.commit()
    with db.read() as uow:
        rows = uow.connection.execute(
            text("SELECT label, extra_data IS NULL FROM status_changes WHERE event_id = :e ORDER BY label"),
            {"e": event.id},
        ).all()
        assert rows[0][1] == rows[1][1]
        assert stored(db, event.id, "A-1").extra_data is None


@pytest.mark.parametrize(
    "extra_data",
    [{"name": "Ann", "n": [1, None, 0.5, True], "é": "ü"}, {"past 64 bits": 2**70 + 1, "negative": -(2**65) - 1}, {}],
)
def test_extra_data_reads_back_as_written(db: Database, extra_data: dict[str, Any]) -> None:
    """The pipelined writes encode extra data with orjson, and with the standard library what orjson refuses:
    either way the seat and its log entry read back what was written."""
    ws, event = make_event(db)
    with db.write() as uow:
        uow.write_changes(
            [],
            [log_entry(ws.id, event.id, "A-1", BOOKED, FREE, extra_data=extra_data)],
            {event.id: [(0, ObjectState("A-1", BOOKED, extra_data=extra_data))]},
        )
        uow.commit()
    assert stored(db, event.id, "A-1").extra_data == extra_data
    with db.read() as uow:
        logged = uow.connection.execute(
            text("SELECT extra_data FROM status_changes WHERE event_id = :e"), {"e": event.id}
        ).scalar_one()
    assert (json.loads(logged) if isinstance(logged, str) else logged) == extra_data


def test_a_database_error_in_the_pipeline_comes_out_as_sqlalchemys(pg_db: Database) -> None:
    db = pg_db  # the pipeline is PostgreSQL's
    from sqlalchemy.exc import DBAPIError

    ws, event = make_event(db)
    now = utcnow()
    token = HoldToken("d" * 32, ws.id, now, now + timedelta(minutes=15))
    with db.write() as uow:
        uow.hold_tokens.add(token)
        uow.commit()
    with pytest.raises(DBAPIError), db.write() as uow:  # the same token again: a unique violation
        assert pipeline.is_pipelined(uow.connection)
        uow.write_changes([replace(token)], [], {event.id: [(0, ObjectState("A-1", BOOKED))]})
    assert stored(db, event.id, "A-1").status == FREE
