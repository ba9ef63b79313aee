"""The status-change log through the official SDK: order, properties, filter, sort, keyset pages."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import pytest
from seatsio import TableBookingConfig
from seatsio.events.objectProperties import ObjectProperties
from seatsio.events.statusChangeRequest import StatusChangeRequest
from seatsio.exceptions import SeatsioException

from tests.api.seatsio.conftest import SeatsioCompany
from tests.factories import small_drawing


def _event(company: SeatsioCompany, chart: str = "hall", **options: object) -> tuple[str, int]:
    company.post_chart(chart, small_drawing(rows=2, seats_per_row=4))
    event = company.client.events.create(chart, **options)
    return str(event.key), int(event.id)


def _booked_in_order(company: SeatsioCompany, key: str, labels: list[str]) -> None:
    company.client.events.change_object_status_in_batch([StatusChangeRequest(key, [lb], "booked") for lb in labels])


def test_newest_first_with_every_property(company: SeatsioCompany) -> None:
    key, event_id = _event(company)
    before = datetime.now(UTC).replace(tzinfo=None) - timedelta(minutes=1)  # the SDK parses naive UTC
    events = company.client.events
    events.change_object_status(key, [ObjectProperties("A-1", {"foo": "bar"})], "status1", order_id="order1")
    token = company.client.hold_tokens.create().hold_token
    events.hold(key, ["A-2"], token)
    events.book(key, [ObjectProperties("GA", quantity=3)])

    changes = list(events.status_changes(key).list())
    assert [(c.object_label, c.status) for c in changes] == [
        ("GA", "booked"),
        ("A-2", "reservedByToken"),
        ("A-1", "status1"),
    ]
    first = changes[-1]
    assert first.id > 0 and first.event_id == event_id
    assert before < first.date < before + timedelta(minutes=2)
    assert first.extra_data == {"foo": "bar"}
    assert first.origin.type == "API_CALL" and first.origin.ip is not None
    assert first.is_present_on_chart is True and first.not_present_on_chart_reason is None
    assert changes[1].hold_token == token

    raw = httpx.get(f"{company.base_url}/events/{key}/status-changes", auth=(company.secret_key, "")).json()
    assert "next_page_starts_after" not in raw and "previous_page_ends_before" not in raw
    ga, held, custom = raw["items"]
    assert ga["quantity"] == 3 and "holdToken" not in ga and "orderId" not in ga and "extraData" not in ga
    assert custom["orderId"] == "order1" and set(custom) == {
        "id",
        "eventId",
        "status",
        "quantity",
        "objectLabel",
        "displayedLabel",
        "date",
        "orderId",
        "extraData",
        "origin",
        "isPresentOnChart",
    }
    assert held["holdToken"] == token and held["date"].endswith("Z")


def test_one_object_filter_and_sorts(company: SeatsioCompany) -> None:
    key, _ = _event(company)
    events = company.client.events
    events.change_object_status_in_batch(
        [
            StatusChangeRequest(key, ["A-1"], "status1"),
            StatusChangeRequest(key, ["A-1"], "status2"),
            StatusChangeRequest(key, ["A-2"], "status5"),
        ]
    )
    assert [c.status for c in events.status_changes_for_object(key, "A-1").list()] == ["status2", "status1"]
    assert list(events.status_changes_for_object(key, "B-4").list()) == []

    key2, _ = _event(company, "hall2")
    _booked_in_order(company, key2, ["A-1", "A-2", "B-1", "A-3"])
    labels = [c.object_label for c in events.status_changes(key2, filter="A-").list()]
    assert labels == ["A-3", "A-2", "A-1"]
    assert [c.object_label for c in events.status_changes(key2, sort_field="objectLabel").list()] == [
        "A-1",
        "A-2",
        "A-3",
        "B-1",
    ]
    by_label_desc = events.status_changes(key2, sort_field="objectLabel", sort_direction="desc").list()
    assert [c.object_label for c in by_label_desc] == ["B-1", "A-3", "A-2", "A-1"]
    assert [c.object_label for c in events.status_changes(key2, sort_field="date", sort_direction="asc").list()] == [
        "A-1",
        "A-2",
        "B-1",
        "A-3",
    ]


def test_pages_follow_the_sort_order(company: SeatsioCompany) -> None:
    key, _ = _event(company)
    _booked_in_order(company, key, ["A-1", "A-2", "B-1", "A-3"])
    events = company.client.events
    everything = list(events.status_changes(key, sort_field="objectLabel").list())
    assert [c.object_label for c in everything] == ["A-1", "A-2", "A-3", "B-1"]

    lister = events.status_changes(key, sort_field="objectLabel")
    assert [c.object_label for c in lister.page_before(everything[2].id, 2).items] == ["A-1", "A-2"]
    lister = events.status_changes(key, sort_field="objectLabel")
    after = lister.page_after(everything[0].id, 2)
    assert [c.object_label for c in after.items] == ["A-2", "A-3"]
    assert after.next_page_starts_after == everything[2].id and after.previous_page_ends_before == everything[1].id

    # the default order (newest first) pages by id; SDK iteration walks every page
    first = events.status_changes(key).first_page(page_size=3)
    assert [c.object_label for c in first.items] == ["A-3", "B-1", "A-2"]
    assert first.next_page_starts_after == first.items[-1].id and first.previous_page_ends_before is None
    rest = events.status_changes(key).page_after(first.next_page_starts_after, 3)
    assert [c.object_label for c in rest.items] == ["A-1"] and rest.next_page_starts_after is None
    back = events.status_changes(key).page_before(rest.items[0].id, 2)
    assert [c.object_label for c in back.items] == ["B-1", "A-2"] and back.previous_page_ends_before == back.items[0].id

    # equal sort keys (same status) still page without losing or repeating an entry
    seen = []
    after_id = None
    while True:
        page = events.status_changes(key, sort_field="status").page_after(after_id, 1)
        seen += [c.object_label for c in page.items]
        after_id = page.next_page_starts_after
        if after_id is None:
            break
    assert seen == ["A-3", "B-1", "A-2", "A-1"]  # one status: newest first, as seats.io lists ties
    last = list(events.status_changes(key, sort_field="status").list())[-1]
    back = events.status_changes(key, sort_field="status").page_before(last.id, 2)
    assert [c.object_label for c in back.items] == ["B-1", "A-2"]  # the page before it, in the same order


def test_sorted_by_status_ties_come_newest_first(company: SeatsioCompany) -> None:
    """seatsio-js's "should list all status changes sorted by status"."""
    key, _ = _event(company)
    token = company.client.hold_tokens.create().hold_token
    company.client.events.change_object_status_in_batch(
        [
            StatusChangeRequest(key, ["B-1"], "booked"),
            StatusChangeRequest(key, ["A-1"], "reservedByToken", hold_token=token),
            StatusChangeRequest(key, ["A-1"], "free", hold_token=token),
            StatusChangeRequest(key, ["A-2"], "booked"),
            StatusChangeRequest(key, ["A-3"], "reservedByToken", hold_token=token),
        ]
    )
    by_status = company.client.events.status_changes(key, sort_field="status").list()
    assert [c.object_label for c in by_status] == ["A-2", "B-1", "A-1", "A-3", "A-1"]
    descending = company.client.events.status_changes(key, sort_field="status", sort_direction="desc").list()
    assert [c.object_label for c in descending] == ["A-3", "A-1", "A-1", "A-2", "B-1"]


def test_not_present_on_chart_any_more(company: SeatsioCompany) -> None:
    key, _ = _event(company, table_booking_config=TableBookingConfig.all_by_table())
    company.client.events.book(key, ["T1"])
    company.client.events.update(key, table_booking_config=TableBookingConfig.all_by_seat())
    change = next(iter(company.client.events.status_changes(key).list()))
    assert change.is_present_on_chart is False
    assert change.not_present_on_chart_reason == "SWITCHED_TO_BOOK_BY_SEAT"


def test_bad_requests(company: SeatsioCompany) -> None:
    key, _ = _event(company)
    auth = (company.secret_key, "")
    for query in ("sort=price", "sort=date:up", "limit=0", "limit=1000", "start_after_id=x"):
        response = httpx.get(f"{company.base_url}/events/{key}/status-changes?{query}", auth=auth)
        assert response.status_code == 400, query
        assert response.json()["status"] == 400
    with pytest.raises(SeatsioException) as missing:
        list(company.client.events.status_changes("nope").list())
    assert (missing.value.errors or [{}])[0]["code"] == "EVENT_NOT_FOUND"
