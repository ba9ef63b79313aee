from __future__ import annotations

import pytest

from boxoffice.domain.errors import BestAvailableNotFound
from boxoffice.domain.records import Channel
from boxoffice.domain.statuses import BOOKED, HELD
from boxoffice.services import channels, hold_tokens
from boxoffice.services.audit import audit
from boxoffice.services.best_available import BestAvailableOrder, take_best_available
from boxoffice.services.inventory import book, put_up_for_resale
from boxoffice.services.reports import object_infos
from boxoffice.storage.pick_board import PickBoard, board_of
from boxoffice.storage.uow import Database
from tests.factories import make_event, small_drawing


def test_takes_adjacent_seats_closest_to_the_stage(db: Database) -> None:
    ws, event = make_event(db)
    result = take_best_available(db, ws, BestAvailableOrder(event.key, 3, BOOKED, order_id="o"))
    assert result.next_to_each_other
    assert all(label.startswith("A-") for label in result.labels)
    infos = object_infos(db, ws, event.key, list(result.labels))
    assert {i.status for i in infos} == {BOOKED} and {i.order_id for i in infos} == {"o"}
    assert audit(db).clean


def test_holds_with_a_token_and_ticket_types(db: Database) -> None:
    ws, event = make_event(db)
    token = hold_tokens.create_hold_token(db, ws)
    result = take_best_available(
        db, ws, BestAvailableOrder(event.key, 2, HELD, hold_token=token.token, ticket_types=("adult", "child"))
    )
    infos = object_infos(db, ws, event.key, list(result.labels))
    assert [i.ticket_type for i in infos] == ["adult", "child"]
    assert {i.hold_token for i in infos} == {token.token}


def test_never_picks_resale_channel_or_taken_seats(db: Database) -> None:
    ws, event = make_event(db, drawing=None)
    book(db, ws, [event.key], ["A-1", "A-2"])
    put_up_for_resale(db, ws, [event.key], ["A-1"])
    channels.add_channels(db, ws, event.key, [Channel("vip", "VIP", objects=tuple(f"A-{i}" for i in range(3, 11)))])
    result = take_best_available(db, ws, BestAvailableOrder(event.key, 2, BOOKED))
    assert not any(label.startswith("A-") for label in result.labels)
    with_key = take_best_available(db, ws, BestAvailableOrder(event.key, 2, BOOKED, channel_keys=frozenset({"vip"})))
    assert all(label.startswith("A-") for label in with_key.labels)


def test_filters_by_category_and_reports_not_found(db: Database) -> None:
    ws, event = make_event(db)
    result = take_best_available(db, ws, BestAvailableOrder(event.key, 4, BOOKED, categories=frozenset({"1"})))
    assert not any(label.startswith("A-") for label in result.labels)  # row A is category 2
    with pytest.raises(BestAvailableNotFound):
        take_best_available(db, ws, BestAvailableOrder(event.key, 11, BOOKED, categories=frozenset({"2"})))
    assert audit(db).clean


def test_steps_around_seats_another_process_is_taking(pg_db: Database) -> None:
    """The pick board (storage/pick_board.py): seats another server process has just picked are left to
    it, and offered again once it gives them back."""
    ws, first = make_event(pg_db)
    _, second = make_event(pg_db, ws)
    best = take_best_available(pg_db, ws, BestAvailableOrder(first.key, 2, BOOKED)).labels
    with pg_db.read() as uow:
        ours = board_of(uow.connection)
    assert ours is not None
    theirs = PickBoard(ours.path, tag=ours.tag + 1, namespace=ours.namespace)

    theirs.claim(second.id, best)
    around = take_best_available(pg_db, ws, BestAvailableOrder(second.key, 2, BOOKED)).labels
    assert not set(around) & set(best)

    theirs.withdraw(second.id, best)
    assert take_best_available(pg_db, ws, BestAvailableOrder(second.key, 2, BOOKED)).labels == best


def test_takes_the_claimed_seats_when_nothing_else_is_left(pg_db: Database) -> None:
    ws, event = make_event(pg_db, drawing=small_drawing(rows=1, seats_per_row=2))
    with pg_db.read() as uow:
        ours = board_of(uow.connection)
    assert ours is not None
    PickBoard(ours.path, tag=ours.tag + 1, namespace=ours.namespace).claim(event.id, ["A-1", "A-2"])
    assert take_best_available(pg_db, ws, BestAvailableOrder(event.key, 2, BOOKED)).labels == ("A-1", "A-2")
