"""ObjectRepository.allocations: one row per order, or (without per_order) the taken places summed per
status beside each hold, which is all a hold or a booking decides on."""

from __future__ import annotations

from boxoffice.domain.areas import Allocation
from boxoffice.domain.statuses import BOOKED, HELD
from boxoffice.services import hold_tokens, inventory
from boxoffice.services.inventory import ObjectRequest, StatusChangeRequest
from boxoffice.storage.uow import Database
from tests.factories import make_event, small_drawing


def test_taken_places_one_row_per_order_or_summed(db: Database) -> None:
    ws, event = make_event(db)
    inventory.book(db, ws, [event.key], [ObjectRequest("GA", quantity=2, ticket_type="adult")], order_id="o-1")
    inventory.book(db, ws, [event.key], [ObjectRequest("GA", quantity=3)], order_id="o-2")
    token = hold_tokens.create_hold_token(db, ws, 5)
    inventory.hold(db, ws, [event.key], [ObjectRequest("GA", quantity=1)], token.token)
    inventory.change_status(
        db, ws, StatusChangeRequest(event_keys=(event.key,), objects=(ObjectRequest("GA", quantity=1),), status="door")
    )

    with db.read() as uow:
        each = uow.objects.allocations(event.id, ["GA", "A-1"])
        summed = uow.objects.allocations(event.id, ["GA", "A-1"], per_order=False)

    held = Allocation(HELD, 1, token.token, None, None, token.expires_at)
    assert each == {
        "GA": [
            Allocation(BOOKED, 2, None, "o-1", "adult"),
            Allocation(BOOKED, 3, None, "o-2"),
            held,
            Allocation("door", 1),
        ],
        "A-1": [],
    }
    assert sorted(summed["GA"], key=lambda a: a.status) == [Allocation(BOOKED, 5), Allocation("door", 1), held]
    assert summed["A-1"] == []


def test_a_hold_and_a_booking_decide_on_the_totals_and_a_release_still_frees_its_own_order(db: Database) -> None:
    ws, event = make_event(db, drawing=small_drawing(ga_capacity=6))
    inventory.book(db, ws, [event.key], [ObjectRequest("GA", quantity=2)], order_id="o-1")
    inventory.book(db, ws, [event.key], [ObjectRequest("GA", quantity=3)], order_id="o-2")
    token = hold_tokens.create_hold_token(db, ws, 5)
    inventory.hold(db, ws, [event.key], [ObjectRequest("GA", quantity=1)], token.token)
    inventory.book(db, ws, [event.key], [ObjectRequest("GA", quantity=1)], order_id="o-3", hold_token=token.token)

    inventory.release(db, ws, [event.key], [ObjectRequest("GA", quantity=2)], order_id="o-1")

    with db.read() as uow:
        left = uow.objects.allocations(event.id, ["GA"])["GA"]
    assert sorted((a.order_id, a.quantity) for a in left) == [("o-2", 3), ("o-3", 1)]
