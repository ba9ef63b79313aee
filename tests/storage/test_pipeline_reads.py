"""storage/pipeline.read (PostgreSQL): a batch's reads in one round trip must read what the repositories'
statements read (events, hold tokens, and what the log says changed, as labels_changed_since and
seat_availability together)."""

from __future__ import annotations

import pytest

from boxoffice.domain.statuses import BOOKED
from boxoffice.services import hold_tokens, inventory
from boxoffice.storage import objects as storage_objects
from boxoffice.storage import pipeline
from boxoffice.storage.uow import Database
from tests.factories import make_event


@pytest.fixture
def db(pg_db: Database) -> Database:
    return pg_db


def test_events_and_tokens_read_as_the_repositories_read_them(db: Database) -> None:
    ws, event = make_event(db)
    _, other = make_event(db, ws)
    token = hold_tokens.create_hold_token(db, ws, 5)

    with db.write() as uow:
        reads = pipeline.read(uow.connection, {ws.id: [event.key, other.key, "nope"]}, {ws.id: [token.token, "x"]}, {})
        expected_events = uow.events.by_keys(ws.id, [event.key, other.key])
        expected_tokens = uow.hold_tokens.get_many(ws.id, [token.token])

    assert sorted(reads.events, key=lambda e: e.id) == sorted(expected_events, key=lambda e: e.id)
    assert {str(e.created_at.tzinfo) for e in reads.events if e.created_at is not None} == {"UTC"}
    assert reads.tokens == expected_tokens
    assert reads.changed == {}


def test_what_the_log_says_changed_since_a_position(db: Database) -> None:
    ws, event = make_event(db)
    token = hold_tokens.create_hold_token(db, ws, 5)
    inventory.hold(db, ws, [event.key], ["A-1", "A-2"], token.token)
    with db.read() as uow:
        middle = storage_objects.log_position(uow.connection, event.id)
    inventory.book(db, ws, [event.key], ["A-2", "A-3"], hold_token=token.token)

    with db.write() as uow:
        reads = pipeline.read(uow.connection, {}, {}, {event.id: 0})
        newest = storage_objects.log_position(uow.connection, event.id)
        since_middle = pipeline.read(uow.connection, {}, {}, {event.id: middle})
        since_newest = pipeline.read(uow.connection, {}, {}, {event.id: newest})
        expected_all = storage_objects.seat_availability(uow.connection, event.id, ["A-1", "A-2", "A-3"])
        expected_later = storage_objects.seat_availability(uow.connection, event.id, ["A-2", "A-3"])

    position, rows = reads.changed[event.id]
    assert position == newest
    assert sorted(rows) == sorted(expected_all)
    assert {r[0]: r[1] for r in rows}["A-3"] == BOOKED
    later_position, later_rows = since_middle.changed[event.id]
    assert (later_position, sorted(later_rows)) == (newest, sorted(expected_later))
    assert since_newest.changed[event.id] == (newest, [])
