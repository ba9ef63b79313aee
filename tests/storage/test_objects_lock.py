"""ObjectRepository.lock: on PostgreSQL sent without SQLAlchemy (storage/raw.py), it must read exactly what
the SQLAlchemy statement (`get`) reads, whatever the row holds, and lock what it read."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from boxoffice.services import hold_tokens, inventory
from boxoffice.services.inventory import ObjectRequest
from boxoffice.storage.uow import Database
from tests.factories import make_event


def test_lock_reads_what_get_reads(db: Database) -> None:
    ws, event = make_event(db)
    token = hold_tokens.create_hold_token(db, ws, 5)
    inventory.hold(db, ws, [event.key], ["A-1"], token.token)
    inventory.book(
        db, ws, [event.key], [ObjectRequest("A-2", ticket_type="adult", extra_data={"name": "Ann", "n": [1, None]})]
    )
    inventory.book(db, ws, [event.key], [ObjectRequest("A-3", extra_data=None)], order_id="o-1")
    inventory.book(db, ws, [event.key], [ObjectRequest("A-5", extra_data={"past 64 bits": 2**70 + 1, "x": 0.5})])
    labels = ["A-3", "A-1", "A-2", "A-4", "no such seat", "A-1", "A-5"]

    with db.write() as uow:
        locked = uow.objects.lock(event.id, labels)
        read = uow.objects.get(event.id, labels)

    assert locked == read
    assert list(locked) == ["A-1", "A-2", "A-3", "A-4", "A-5"]  # label order, each once, unknown labels left out
    assert locked["A-1"].state.hold_expires_at == token.expires_at
    assert locked["A-2"].state.extra_data == {"name": "Ann", "n": [1, None]}
    assert locked["A-3"].state.order_id == "o-1"
    assert locked["A-5"].state.extra_data == {"past 64 bits": 2**70 + 1, "x": 0.5}


def test_skip_locked_leaves_out_rows_locked_elsewhere(pg_db: Database) -> None:
    _, event = make_event(pg_db)
    with pg_db.write() as holder:
        holder.objects.lock(event.id, ["A-2"])
        with pg_db.write() as uow:
            uow.connection.execute(text("SET LOCAL lock_timeout = '200ms'"))
            assert list(uow.objects.lock(event.id, ["A-1", "A-2", "A-3"], skip_locked=True)) == ["A-1", "A-3"]
            with pytest.raises(DBAPIError, match="lock timeout"):
                uow.objects.lock(event.id, ["A-2"])  # waits, and times out here
