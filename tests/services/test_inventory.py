from __future__ import annotations

from datetime import timedelta

import pytest

from boxoffice.domain.errors import (
    EventNotFound,
    HoldTokenExpired,
    IllegalStatusChange,
    ObjectNotFound,
)
from boxoffice.domain.records import Channel
from boxoffice.domain.statuses import BOOKED, FREE, HELD, RESALE
from boxoffice.services import channels, hold_tokens
from boxoffice.services.audit import audit
from boxoffice.services.clock import utcnow
from boxoffice.services.inventory import (
    ObjectRequest,
    StatusChangeRequest,
    book,
    change_status,
    change_status_in_batch,
    hold,
    put_up_for_resale,
    release,
)
from boxoffice.services.reports import object_infos
from boxoffice.storage.uow import Database
from tests.factories import make_event


def statuses(db: Database, ws: object, event_key: str, *labels: str) -> list[str]:
    return [i.status for i in object_infos(db, ws, event_key, list(labels))]  # type: ignore[arg-type]


def assert_clean(db: Database) -> None:
    report = audit(db)
    assert report.clean, report.problems


def test_hold_then_book_with_token(db: Database) -> None:
    ws, event = make_event(db)
    token = hold_tokens.create_hold_token(db, ws)
    hold(db, ws, [event.key], ["A-1", "A-2"], token.token)
    assert statuses(db, ws, event.key, "A-1", "A-2") == [HELD, HELD]
    book(db, ws, [event.key], ["A-1", "A-2"], hold_token=token.token, order_id="o1")
    infos = object_infos(db, ws, event.key, ["A-1"])
    assert infos[0].status == BOOKED and infos[0].order_id == "o1" and infos[0].hold_token is None
    assert_clean(db)


def test_book_free_directly_and_not_twice(db: Database) -> None:
    ws, event = make_event(db)
    book(db, ws, [event.key], ["A-1"])
    with pytest.raises(IllegalStatusChange) as caught:
        book(db, ws, [event.key], ["A-1"])
    assert caught.value.label == "A-1"
    assert_clean(db)


def test_all_or_nothing_when_one_object_is_taken(db: Database) -> None:
    ws, event = make_event(db)
    book(db, ws, [event.key], ["A-3"])
    with pytest.raises(IllegalStatusChange):
        book(db, ws, [event.key], ["A-1", "A-2", "A-3"])
    assert statuses(db, ws, event.key, "A-1", "A-2", "A-3") == [FREE, FREE, BOOKED]
    assert_clean(db)


def test_unknown_object_and_event_change_nothing(db: Database) -> None:
    ws, event = make_event(db)
    with pytest.raises(ObjectNotFound) as caught:
        book(db, ws, [event.key], ["A-1", "Z-99"])
    assert caught.value.labels == ["Z-99"]
    with pytest.raises(EventNotFound):
        book(db, ws, [event.key, "nope"], ["A-1"])
    assert statuses(db, ws, event.key, "A-1") == [FREE]


def test_held_object_cannot_be_taken_without_its_token(db: Database) -> None:
    ws, event = make_event(db)
    mine = hold_tokens.create_hold_token(db, ws)
    theirs = hold_tokens.create_hold_token(db, ws)
    hold(db, ws, [event.key], ["A-1"], mine.token)
    with pytest.raises(IllegalStatusChange):
        book(db, ws, [event.key], ["A-1"])
    with pytest.raises(IllegalStatusChange):
        book(db, ws, [event.key], ["A-1"], hold_token=theirs.token)
    with pytest.raises(IllegalStatusChange):
        hold(db, ws, [event.key], ["A-1"], theirs.token)
    release(db, ws, [event.key], ["A-1"], hold_token=mine.token)
    assert statuses(db, ws, event.key, "A-1") == [FREE]
    assert_clean(db)


def test_an_expired_hold_is_free_without_any_sweep(db: Database) -> None:
    ws, event = make_event(db)
    now = utcnow()
    token = hold_tokens.create_hold_token(db, ws, 1, now=now)
    hold(db, ws, [event.key], ["A-1"], token.token)
    later = now + timedelta(minutes=2)
    assert statuses(db, ws, event.key, "A-1") == [HELD]
    other = hold_tokens.create_hold_token(db, ws, now=later)
    change_status(
        db,
        ws,
        StatusChangeRequest((event.key,), (ObjectRequest("A-1"),), HELD, hold_token=other.token),
        now=later,
    )
    with pytest.raises(HoldTokenExpired):
        change_status(
            db,
            ws,
            StatusChangeRequest((event.key,), (ObjectRequest("A-2"),), BOOKED, hold_token=token.token),
            now=later,
        )
    assert_clean(db)


def test_expire_token_now_releases_and_logs(db: Database) -> None:
    ws, event = make_event(db)
    token = hold_tokens.create_hold_token(db, ws)
    hold(db, ws, [event.key], ["A-1", ObjectRequest("GA", quantity=3)], token.token)
    hold_tokens.expire_in_minutes(db, ws, token.token, 0)
    infos = object_infos(db, ws, event.key, ["A-1", "GA"])
    assert infos[0].status == FREE
    assert infos[1].num_held == 0 and infos[1].num_free == 10
    assert_clean(db)


def test_resale_cycle_and_release_returns_to_resale(db: Database) -> None:
    ws, event = make_event(db)
    book(db, ws, [event.key], ["A-1"], order_id="first")
    put_up_for_resale(db, ws, [event.key], ["A-1"], resale_listing_id="listing-1")
    assert statuses(db, ws, event.key, "A-1") == [RESALE]
    token = hold_tokens.create_hold_token(db, ws)
    hold(db, ws, [event.key], ["A-1"], token.token)
    release(db, ws, [event.key], ["A-1"], hold_token=token.token)
    assert statuses(db, ws, event.key, "A-1") == [RESALE]
    book(db, ws, [event.key], ["A-1"], order_id="second")
    info = object_infos(db, ws, event.key, ["A-1"])[0]
    assert info.status == BOOKED and info.order_id == "second"
    assert_clean(db)


def test_free_object_may_be_put_up_for_resale_but_not_a_held_one(db: Database) -> None:
    ws, event = make_event(db)
    put_up_for_resale(db, ws, [event.key], ["A-1"])  # seats.io allows it: the venue lists a seat there
    assert statuses(db, ws, event.key, "A-1") == [RESALE]
    token = hold_tokens.create_hold_token(db, ws).token
    hold(db, ws, [event.key], ["A-2"], token)
    with pytest.raises(IllegalStatusChange):
        put_up_for_resale(db, ws, [event.key], ["A-2"])


def test_channels_guard_free_objects_but_not_resale(db: Database) -> None:
    ws, event = make_event(db)
    channels.add_channels(db, ws, event.key, [Channel("vip", "VIP", objects=("A-1", "A-2"))])
    with pytest.raises(IllegalStatusChange):
        book(db, ws, [event.key], ["A-1"])
    book(db, ws, [event.key], ["A-1"], channel_keys=frozenset({"vip"}))
    book(db, ws, [event.key], ["A-2"], ignore_channels=True)
    put_up_for_resale(db, ws, [event.key], ["A-1"])
    book(db, ws, [event.key], ["A-1"], order_id="buyer")  # resale ignores channels
    assert_clean(db)


def test_ga_capacity_is_a_hard_bound(db: Database) -> None:
    ws, event = make_event(db)
    book(db, ws, [event.key], [ObjectRequest("GA", quantity=7)])
    with pytest.raises(IllegalStatusChange):
        book(db, ws, [event.key], [ObjectRequest("GA", quantity=4)])
    token = hold_tokens.create_hold_token(db, ws)
    hold(db, ws, [event.key], [ObjectRequest("GA", quantity=3)], token.token)
    book(db, ws, [event.key], [ObjectRequest("GA", quantity=2)], hold_token=token.token)
    info = object_infos(db, ws, event.key, ["GA"])[0]
    assert (info.num_booked, info.num_held, info.num_free) == (9, 1, 0)
    release(db, ws, [event.key], [ObjectRequest("GA", quantity=5)])
    info = object_infos(db, ws, event.key, ["GA"])[0]
    assert (info.num_booked, info.num_held, info.num_free) == (4, 1, 5)
    assert_clean(db)


def test_tables_by_seat_and_as_a_whole(db: Database) -> None:
    ws, event = make_event(db)
    book(db, ws, [event.key], ["T1-1"])
    with pytest.raises(IllegalStatusChange):
        book(db, ws, [event.key], ["T1"])
    book(db, ws, [event.key], ["T2"])
    with pytest.raises(IllegalStatusChange):
        book(db, ws, [event.key], ["T2-1"])


def test_table_booking_config_overrides_the_chart(db: Database) -> None:
    ws, event = make_event(db, table_booking_config={"mode": "ALL_BY_TABLE"})
    book(db, ws, [event.key], ["T1"])
    with pytest.raises(IllegalStatusChange):
        book(db, ws, [event.key], ["T2-1"])


def test_custom_status_and_previous_status_filters(db: Database) -> None:
    ws, event = make_event(db)
    change_status(db, ws, StatusChangeRequest((event.key,), (ObjectRequest("A-1"),), "lockedForPress"))
    assert statuses(db, ws, event.key, "A-1") == ["lockedForPress"]
    with pytest.raises(IllegalStatusChange):
        book(db, ws, [event.key], ["A-1"])
    with pytest.raises(IllegalStatusChange):
        change_status(
            db,
            ws,
            StatusChangeRequest(
                (event.key,),
                (ObjectRequest("A-2"),),
                BOOKED,
                allowed_previous_statuses=frozenset({"lockedForPress"}),
            ),
        )
    with pytest.raises(IllegalStatusChange):
        change_status(
            db,
            ws,
            StatusChangeRequest(
                (event.key,), (ObjectRequest("A-2"),), BOOKED, rejected_previous_statuses=frozenset({FREE})
            ),
        )
    release(db, ws, [event.key], ["A-1"])
    assert_clean(db)


def test_not_for_sale_objects_cannot_be_sold(db: Database) -> None:
    from boxoffice.services.for_sale import edit_for_sale, replace_for_sale

    ws, event = make_event(db)
    replace_for_sale(db, ws, event.key, for_sale=False, objects=["A-1"], categories=["2"])
    with pytest.raises(IllegalStatusChange):
        book(db, ws, [event.key], ["A-1"])
    with pytest.raises(IllegalStatusChange):
        book(db, ws, [event.key], ["A-5"])  # row A is category 2
    edit_for_sale(db, ws, event.key, for_sale=[("A-1", None)])
    with pytest.raises(IllegalStatusChange):
        book(db, ws, [event.key], ["A-1"])  # named no more, but its category still is
    replace_for_sale(db, ws, event.key, for_sale=False, objects=["A-2"])
    book(db, ws, [event.key], ["A-1", "A-5"])


def test_several_events_and_batches_are_all_or_nothing(db: Database) -> None:
    ws, first = make_event(db)
    _, second = make_event(db, ws)
    book(db, ws, [second.key], ["B-1"])
    with pytest.raises(IllegalStatusChange):
        book(db, ws, [first.key, second.key], ["B-1"])
    assert statuses(db, ws, first.key, "B-1") == [FREE]
    with pytest.raises(IllegalStatusChange):
        change_status_in_batch(
            db,
            ws,
            [
                StatusChangeRequest((first.key,), (ObjectRequest("C-1"),), BOOKED),
                StatusChangeRequest((second.key,), (ObjectRequest("B-1"),), BOOKED),
            ],
        )
    assert statuses(db, ws, first.key, "C-1") == [FREE]
    result = change_status_in_batch(
        db,
        ws,
        [
            StatusChangeRequest((first.key,), (ObjectRequest("C-1"),), BOOKED),
            StatusChangeRequest((second.key,), (ObjectRequest("C-2"),), BOOKED),
        ],
    )
    assert result.by_event == {first.key: ["C-1"], second.key: ["C-2"]}
    assert_clean(db)


def test_extra_data_is_cleared_unless_kept(db: Database) -> None:
    ws, event = make_event(db)
    book(db, ws, [event.key], [ObjectRequest("A-1", extra_data={"name": "Ann"})])
    assert object_infos(db, ws, event.key, ["A-1"])[0].extra_data == {"name": "Ann"}
    put_up_for_resale(db, ws, [event.key], ["A-1"], keep_extra_data=True)
    assert object_infos(db, ws, event.key, ["A-1"])[0].extra_data == {"name": "Ann"}
    book(db, ws, [event.key], ["A-1"])
    assert object_infos(db, ws, event.key, ["A-1"])[0].extra_data is None


def test_an_order_id_given_with_a_hold_or_a_release_is_kept(db: Database) -> None:
    ws, event = make_event(db)
    token = hold_tokens.create_hold_token(db, ws).token
    hold(db, ws, [event.key], ["A-1"], token, order_id="order1")
    assert object_infos(db, ws, event.key, ["A-1"])[0].order_id == "order1"
    book(db, ws, [event.key], ["A-1"], hold_token=token)
    assert object_infos(db, ws, event.key, ["A-1"])[0].order_id == "order1"
    release(db, ws, [event.key], ["A-1"], order_id="order2")
    info = object_infos(db, ws, event.key, ["A-1"])[0]
    assert (info.status, info.order_id) == (FREE, "order2")
    assert_clean(db)
