"""ObjectRepository.apply_area_moves: the same allocations on both databases (one round trip on PostgreSQL,
a statement per step on SQLite): takes oldest first, whole rows deleted and the last one reduced, an
underflow refused, each moved area's version bumped."""

from __future__ import annotations

import pytest

from boxoffice.domain.areas import Allocation, AreaMove
from boxoffice.domain.statuses import BOOKED, FREE, HELD
from boxoffice.services import hold_tokens, inventory
from boxoffice.services.inventory import ObjectRequest
from boxoffice.storage.uow import Database
from tests.factories import make_event


def test_a_take_across_rows_deletes_the_whole_ones_and_reduces_the_last(db: Database) -> None:
    ws, event = make_event(db)
    token = hold_tokens.create_hold_token(db, ws, 5)
    other = hold_tokens.create_hold_token(db, ws, 5)
    for quantity in (2, 3):
        inventory.hold(db, ws, [event.key], [ObjectRequest("GA", quantity=quantity)], token.token)
    inventory.hold(db, ws, [event.key], [ObjectRequest("GA", quantity=1)], other.token)
    with db.read() as uow:
        version = uow.objects.get(event.id, ["GA"])["GA"].state.version

    with db.write() as uow:
        uow.objects.apply_area_moves(event.id, [("GA", AreaMove(HELD, BOOKED, 4, token.token, "o-1", "adult"))])
        uow.commit()

    with db.read() as uow:
        left = uow.objects.allocations(event.id, ["GA"])["GA"]
        after = uow.objects.get(event.id, ["GA"])["GA"].state.version
    assert [(a.status, a.quantity, a.hold_token, a.order_id, a.ticket_type) for a in left] == [
        (HELD, 1, token.token, None, None),
        (HELD, 1, other.token, None, None),
        (BOOKED, 4, None, "o-1", "adult"),
    ]
    assert after == version + 1


def test_a_release_takes_only_its_orders_places(db: Database) -> None:
    ws, event = make_event(db)
    inventory.book(db, ws, [event.key], [ObjectRequest("GA", quantity=2)], order_id="o-1")
    inventory.book(db, ws, [event.key], [ObjectRequest("GA", quantity=3)], order_id="o-2")

    with db.write() as uow:
        uow.objects.apply_area_moves(event.id, [("GA", AreaMove(BOOKED, FREE, 2, None, "o-2"))])
        uow.commit()

    with db.read() as uow:
        left = uow.objects.allocations(event.id, ["GA"])["GA"]
    assert left == [Allocation(BOOKED, 2, None, "o-1"), Allocation(BOOKED, 1, None, "o-2")]


def test_an_underflow_is_refused_and_nothing_is_kept(db: Database) -> None:
    ws, event = make_event(db)
    token = hold_tokens.create_hold_token(db, ws, 5)
    inventory.hold(db, ws, [event.key], [ObjectRequest("GA", quantity=2)], token.token)

    with pytest.raises(RuntimeError, match="allocation underflow on GA: 1 places not found"), db.write() as uow:
        uow.objects.apply_area_moves(event.id, [("GA", AreaMove(HELD, BOOKED, 3, token.token, "o-1"))])
        uow.commit()

    with db.read() as uow:
        left = uow.objects.allocations(event.id, ["GA"])["GA"]
    assert [(a.status, a.quantity) for a in left] == [(HELD, 2)]
