"""Object status changes through the official SDK: book, hold, release, resale, custom statuses, batch."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import pytest
from seatsio.events.channelProperties import ChannelCreationParams
from seatsio.events.objectProperties import ObjectProperties
from seatsio.events.statusChangeRequest import StatusChangeRequest
from seatsio.exceptions import SeatsioException
from sqlalchemy import text

from boxoffice.storage.uow import Database
from tests.api.conftest import LiveServer
from tests.api.seatsio.conftest import SeatsioCompany
from tests.factories import small_drawing


def _event(company: SeatsioCompany, key: str = "show", **options: Any) -> Any:
    company.post_chart("hall", small_drawing())
    return company.client.events.create("hall", event_key=key, **options)


def _code(caught: pytest.ExceptionInfo[SeatsioException]) -> str:
    errors = caught.value.errors
    assert errors, caught.value.message
    return str(errors[0]["code"])


def test_book_renders_every_field_as_seatsio(company: SeatsioCompany) -> None:
    client = company.client
    _event(company)

    result = client.events.book(
        "show", [ObjectProperties("A-1", ticket_type="adult", extra_data={"name": "Ann"}), "B-2"], order_id="o1"
    )

    assert sorted(result.objects) == ["A-1", "B-2"]
    info = result.objects["A-1"]
    assert info.status == "booked" and info.label == "A-1"
    assert info.labels == {"own": {"label": "1", "type": "seat"}, "parent": {"label": "A", "type": "row"}}
    assert info.ids == {"own": "1", "parent": "A"}
    assert info.category_key == "2" and info.category_label == "Front"
    assert info.ticket_type == "adult" and info.order_id == "o1" and info.extra_data == {"name": "Ann"}
    assert info.object_type == "seat" and info.for_sale is True and info.is_available is False
    assert info.section is None and info.entrance is None and info.num_booked is None and info.capacity is None
    assert info.is_accessible is False and info.is_companion_seat is False and info.has_restricted_view is False
    assert info.left_neighbour is None and info.right_neighbour == "A-2"
    assert info.distance_to_focal_point is not None and info.hold_token is None and info.channel is None
    raw = httpx.get(f"{company.base_url}/events/show/objects?label=A-1", auth=(company.secret_key, "")).json()["A-1"]
    assert "holdToken" not in raw and "section" not in raw and "numBooked" not in raw  # absent, not null
    assert raw["availabilityReason"] == "booked"


def test_hold_then_book_with_the_hold_token(company: SeatsioCompany) -> None:
    client = company.client
    _event(company)
    token = client.hold_tokens.create().hold_token

    held = client.events.hold("show", ["A-1", "A-2"], token)

    assert held.objects["A-1"].status == "reservedByToken" and held.objects["A-1"].hold_token == token
    other = client.hold_tokens.create().hold_token
    with pytest.raises(SeatsioException) as caught:
        client.events.book("show", ["A-1"], hold_token=other)
    assert _code(caught) == "ILLEGAL_STATUS_CHANGE"
    with pytest.raises(SeatsioException) as caught:
        client.events.book("show", ["A-1"])
    assert _code(caught) == "ILLEGAL_STATUS_CHANGE"

    booked = client.events.book("show", ["A-1", "A-2"], hold_token=token, order_id="o2")

    assert {i.status for i in booked.objects.values()} == {"booked"}
    assert client.events.retrieve_object_info("show", "A-1").hold_token is None


def test_release_and_expired_hold_token(company: SeatsioCompany) -> None:
    client = company.client
    _event(company)
    token = client.hold_tokens.create().hold_token
    client.events.hold("show", ["A-1"], token)
    client.events.book("show", ["A-2"])

    released = client.events.release("show", ["A-1"], hold_token=token)
    client.events.release("show", "A-2")

    assert released.objects["A-1"].status == "free"
    assert client.events.retrieve_object_info("show", "A-2").status == "free"
    client.events.hold("show", ["A-3"], token)
    client.hold_tokens.expire_in_minutes(token, 0)
    assert client.events.retrieve_object_info("show", "A-3").status == "free"
    with pytest.raises(SeatsioException) as caught:
        client.events.hold("show", ["A-4"], token)
    assert _code(caught) == "HOLD_TOKEN_EXPIRED"
    with pytest.raises(SeatsioException) as caught:
        client.events.hold("show", ["A-4"], "no-such-token")
    assert _code(caught) == "HOLD_TOKEN_NOT_FOUND"


def test_custom_status_order_id_previous_statuses_and_keep_extra_data(company: SeatsioCompany) -> None:
    client = company.client
    _event(company)
    client.events.update_extra_data("show", "A-1", {"foo": "bar"})
    client.events.update_extra_datas("show", {"A-2": {"x": 1}, "A-3": {"y": 2}})
    assert client.events.retrieve_object_info("show", "A-3").extra_data == {"y": 2}

    client.events.change_object_status("show", ["A-1"], "lolzor", keep_extra_data=True, order_id="myOrder")
    client.events.change_object_status("show", ["A-2"], "lolzor")

    a1 = client.events.retrieve_object_info("show", "A-1")
    assert a1.status == "lolzor" and a1.order_id == "myOrder" and a1.extra_data == {"foo": "bar"}
    assert client.events.retrieve_object_info("show", "A-2").extra_data is None
    with pytest.raises(SeatsioException) as caught:
        client.events.change_object_status("show", ["A-4"], "x", allowed_previous_statuses=["SomeOtherStatus"])
    assert _code(caught) == "ILLEGAL_STATUS_CHANGE"
    with pytest.raises(SeatsioException) as caught:
        client.events.change_object_status("show", ["A-4"], "x", rejected_previous_statuses=["free"])
    assert _code(caught) == "ILLEGAL_STATUS_CHANGE"
    client.events.change_object_status("show", ["A-4"], "x", allowed_previous_statuses=["free"])
    assert client.events.retrieve_object_info("show", "A-4").status == "x"


def test_resale_listing_and_buying_it(company: SeatsioCompany) -> None:
    client = company.client
    _event(company)
    client.events.book("show", ["A-1"], order_id="seller")

    listed = client.events.put_up_for_resale("show", ["A-1"], resale_listing_id="listing1")

    assert listed.objects["A-1"].status == "resale" and listed.objects["A-1"].resale_listing_id == "listing1"
    bought = client.events.book("show", ["A-1"], order_id="buyer")
    assert bought.objects["A-1"].status == "booked" and bought.objects["A-1"].order_id == "buyer"


def test_general_admission_quantities_and_holds(company: SeatsioCompany) -> None:
    client = company.client
    _event(company)
    token = client.hold_tokens.create().hold_token

    client.events.book("show", [ObjectProperties("GA", quantity=5)])
    held = client.events.hold("show", [ObjectProperties("GA", quantity=3, ticket_type="adult")], token)

    ga = held.objects["GA"]
    assert ga.object_type == "generalAdmission" and ga.capacity == 10
    assert (ga.num_booked, ga.num_held, ga.num_free, ga.num_not_for_sale) == (5, 3, 2, 0)
    assert ga.holds == {token: {"adult": 3}} and ga.book_as_a_whole is False
    assert ga.labels == {"own": {"label": "GA", "type": "generalAdmission"}} and ga.is_accessible is None
    with pytest.raises(SeatsioException) as caught:
        client.events.book("show", [ObjectProperties("GA", quantity=3)])
    assert _code(caught) == "ILLEGAL_STATUS_CHANGE"
    client.events.change_object_status("show", [ObjectProperties("GA", quantity=2)], "status_foo")
    assert client.events.retrieve_object_info("show", "GA").num_booked == 7  # seats.io counts custom statuses


def test_tables_by_seat_and_as_a_whole(company: SeatsioCompany) -> None:
    client = company.client
    _event(company)

    client.events.book("show", ["T1-1", "T2"])

    t2 = client.events.retrieve_object_info("show", "T2")
    assert t2.object_type == "table" and t2.status == "booked" and t2.book_as_a_whole is True and t2.num_seats == 4
    seat = client.events.retrieve_object_info("show", "T1-1")
    assert seat.labels == {"own": {"label": "1", "type": "seat"}, "parent": {"label": "T1", "type": "table"}}
    with pytest.raises(SeatsioException) as caught:
        client.events.book("show", ["T2-1"])
    assert _code(caught) == "ILLEGAL_STATUS_CHANGE"
    with pytest.raises(SeatsioException) as caught:
        client.events.book("show", ["T1"])
    assert _code(caught) == "ILLEGAL_STATUS_CHANGE"


def test_channels_keys_and_ignore_channels(company: SeatsioCompany) -> None:
    client = company.client
    channel = ChannelCreationParams("vip", "VIP", "#00FF00", 1, ["A-1", "A-2"])
    _event(company, channels=[channel])

    with pytest.raises(SeatsioException) as caught:
        client.events.book("show", ["A-1"])
    assert _code(caught) == "ILLEGAL_STATUS_CHANGE"
    client.events.book("show", ["A-1"], channel_keys=["vip"])
    client.events.book("show", ["A-2"], ignore_channels=True)

    info = client.events.retrieve_object_info("show", "A-1")
    assert info.status == "booked" and info.channel == "vip"


def test_several_events_at_once_and_batch(company: SeatsioCompany) -> None:
    client = company.client
    _event(company, "e1")
    client.events.create("hall", event_key="e2")

    client.events.book(["e1", "e2"], ["A-1", "A-2"])

    for key in ("e1", "e2"):
        assert client.events.retrieve_object_info(key, "A-2").status == "booked"
    results = client.events.change_object_status_in_batch(
        [
            StatusChangeRequest("e1", ["B-1"], "lolzor"),
            StatusChangeRequest("e2", [ObjectProperties("B-2", ticket_type="adult")], "booked", order_id="o"),
            StatusChangeRequest("e1", ["A-1"], type=StatusChangeRequest.RELEASE),
        ]
    )
    assert [sorted(r.objects) for r in results] == [["B-1"], ["B-2"], ["A-1"]]
    assert results[1].objects["B-2"].ticket_type == "adult" and results[2].objects["A-1"].status == "free"
    with pytest.raises(SeatsioException) as caught:  # all or nothing
        client.events.change_object_status_in_batch(
            [StatusChangeRequest("e1", ["C-1"], "booked"), StatusChangeRequest("e2", ["A-1"], "booked")]
        )
    assert _code(caught) == "ILLEGAL_STATUS_CHANGE"
    assert client.events.retrieve_object_info("e1", "C-1").status == "free"


def test_unknown_event_and_object(company: SeatsioCompany) -> None:
    client = company.client
    _event(company)
    with pytest.raises(SeatsioException) as caught:
        client.events.book("nope", ["A-1"])
    assert _code(caught) == "EVENT_NOT_FOUND"
    with pytest.raises(SeatsioException) as caught:
        client.events.book("show", ["Z-99"])
    assert _code(caught) == "OBJECT_NOT_FOUND"
    with pytest.raises(SeatsioException) as caught:
        client.events.retrieve_object_infos("show", ["A-1", "Z-99"])
    assert _code(caught) == "OBJECT_NOT_FOUND"
    infos = client.events.retrieve_object_infos("show", ["A-1", "B-1"])
    assert sorted(infos) == ["A-1", "B-1"]


def test_raw_http_edge_cases_answer_4xx_in_the_seatsio_shape(company: SeatsioCompany) -> None:
    _event(company)
    auth = (company.secret_key, "")
    url = f"{company.base_url}/events/groups/actions/change-object-status"
    cases = [
        (b"{nope", "INVALID_JSON"),
        (b"null", "VALIDATION_ERROR"),
        (b"[1, 2]", "VALIDATION_ERROR"),
        (b'{"events": ["show"], "objects": [{"objectId": 5}], "status": "booked"}', "VALIDATION_ERROR"),
        (b'{"events": "show", "objects": ["A-1"], "status": "booked"}', "VALIDATION_ERROR"),
        (b'{"events": ["show"], "objects": [], "status": "booked"}', "INVALID_INPUT"),
        (b'{"events": ["show"], "objects": ["A-1"], "type": "EXPLODE"}', "VALIDATION_ERROR"),
    ]
    for body, code in cases:
        response = httpx.post(url, content=body, auth=auth)  # no Content-Type, like the SDKs
        assert response.status_code == 400, (body, response.text)
        payload = response.json()
        assert payload["status"] == 400 and payload["errors"][0]["code"] == code and payload["requestId"], body
    unauthorised = httpx.post(url, content=b"{}", auth=("wrong", ""))
    assert unauthorised.status_code == 401 and unauthorised.json()["errors"][0]["code"] == "UNAUTHORIZED"
    bad_best = httpx.post(
        f"{company.base_url}/events/show/actions/change-object-status",
        content=b'{"status": "booked", "bestAvailable": {"number": "two"}}',
        auth=auth,
    )
    assert bad_best.status_code == 400


def test_keys_and_labels_with_a_slash(company: SeatsioCompany) -> None:
    drawing = small_drawing(rows=1, seats_per_row=2)
    drawing["subChart"]["rows"][0]["label"] = "A/B"
    company.post_chart("slashed", drawing)
    client = company.client
    client.events.create("slashed", event_key="night%1")

    client.events.book("night%1", ["A/B-1"])
    client.events.update_extra_data("night%1", "A/B-2", {"k": "v"})

    infos = client.events.retrieve_object_infos("night%1", ["A/B-1", "A/B-2"])
    assert infos["A/B-1"].status == "booked" and infos["A/B-2"].extra_data == {"k": "v"}
    raw = httpx.get(f"{company.base_url}/events/night%251/objects?label=A%2FB-1", auth=(company.secret_key, ""))
    assert raw.status_code == 200 and raw.json()["A/B-1"]["labels"]["parent"]["label"] == "A/B"


@contextmanager
def _write_locked(db: Database, label: str) -> Iterator[None]:
    """Another connection holds what a change of `label` must wait for: its row (PostgreSQL), the write
    lock (SQLite)."""
    if db.is_sqlite:
        other = sqlite3.connect(str(db.engine.url.database), isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        try:
            yield
        finally:
            other.execute("ROLLBACK")
            other.close()
        return
    with db.engine.connect() as conn:
        conn.execute(text("SELECT 1 FROM event_objects WHERE label = :label FOR UPDATE"), {"label": label})
        try:
            yield
        finally:
            conn.rollback()


def test_a_change_waiting_for_a_lock_holds_up_no_other_request(
    company: SeatsioCompany, live_server: LiveServer
) -> None:
    _event(company)
    answered: list[int] = []
    with _write_locked(live_server.db, "A-1"):
        waiting = threading.Thread(
            target=lambda: answered.extend(
                r.status_code
                for r in [
                    httpx.post(
                        f"{company.base_url}/events/actions/change-object-status",
                        json={"statusChanges": [{"event": "show", "objects": ["A-1"], "status": "booked"}]},
                        auth=(company.secret_key, ""),
                        timeout=30,
                    )
                ]
            )
        )
        waiting.start()
        time.sleep(0.5)  # the batch change is now waiting for the lock
        started = time.monotonic()
        health = httpx.get(f"{live_server.url}/health", timeout=3)  # on the server's one event loop
        took = time.monotonic() - started
        assert waiting.is_alive()
    waiting.join(timeout=30)
    assert health.status_code == 200 and took < 1.0
    assert answered == [200]
    assert company.client.events.retrieve_object_info("show", "A-1").status == "booked"


def test_previous_status_refusals_in_seatsio_words(company: SeatsioCompany) -> None:
    events = company.client.events
    _event(company)
    with pytest.raises(SeatsioException) as caught:
        events.change_object_status("show", ["A-1"], "lolzor", allowed_previous_statuses=["SomeOtherStatus"])
    assert caught.value.errors == [
        {
            "code": "ILLEGAL_STATUS_CHANGE",
            "message": "Cannot change from [free] to [lolzor]: free is not in the list of allowed previous statuses",
        }
    ]
    with pytest.raises(SeatsioException) as caught:
        events.change_object_status("show", ["GA"], "booked", rejected_previous_statuses=["free"])
    assert caught.value.errors[0]["message"] == (
        "Cannot change from [free] to [booked]: free is in the list of rejected previous statuses"
    )


def test_order_id_with_a_hold_and_a_release_is_kept(company: SeatsioCompany) -> None:
    events = company.client.events
    _event(company)
    token = company.client.hold_tokens.create().hold_token
    events.hold("show", ["A-1"], token, order_id="order1")
    assert events.retrieve_object_info("show", "A-1").order_id == "order1"
    events.book("show", ["A-1"], token)  # booked without an order id: the hold's stays
    assert events.retrieve_object_info("show", "A-1").order_id == "order1"
    events.book("show", ["A-2"], order_id="order2")
    events.release("show", ["A-2"], order_id="order3")
    released = events.retrieve_object_info("show", "A-2")
    assert (released.status, released.order_id) == ("free", "order3")
    events.release("show", ["A-1"])
    assert events.retrieve_object_info("show", "A-1").order_id is None


def test_own_hold_may_take_a_custom_status_and_free_seats_go_up_for_resale(company: SeatsioCompany) -> None:
    events = company.client.events
    _event(company)
    token = company.client.hold_tokens.create().hold_token
    events.hold("show", ["A-1", "A-2"], token)
    events.change_object_status("show", ["A-1", "A-2"], "status_foo", token)
    info = events.retrieve_object_info("show", "A-1")
    assert (info.status, info.hold_token) == ("status_foo", None)
    other = company.client.hold_tokens.create().hold_token
    events.hold("show", ["A-3"], other)
    with pytest.raises(SeatsioException) as caught:  # someone else's hold stays theirs
        events.change_object_status("show", ["A-3"], "status_foo", token)
    assert _code(caught) == "ILLEGAL_STATUS_CHANGE"

    events.put_up_for_resale("show", ["A-4", "A-5"])
    assert events.retrieve_object_info("show", "A-4").status == "resale"
    events.book("show", ["A-4"])
    with pytest.raises(SeatsioException) as caught:  # held: not the holder's to list
        events.put_up_for_resale("show", ["A-3"])
    assert _code(caught) == "ILLEGAL_STATUS_CHANGE"
