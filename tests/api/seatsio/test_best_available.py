"""Best available through the official SDK, on seats.io's sample chart (rows A.., focal point at row A's middle)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest
from seatsio.events.channelProperties import ChannelCreationParams
from seatsio.exceptions import BestAvailableObjectsNotFoundException, SeatsioException

from tests.api.seatsio.conftest import SeatsioCompany


def _sample(company: SeatsioCompany, shared_charts: Path, **options: Any) -> Any:
    company.post_chart("sample", json.loads((shared_charts / "sampleChart.json").read_text()))
    return company.client.events.create("sample", **options)


def test_number_details_ticket_types_and_extra_data(company: SeatsioCompany, shared_charts: Path) -> None:
    events = company.client.events
    event = _sample(company, shared_charts)

    three = events.change_best_available_object_status(event.key, 3, "myStatus")
    assert three.next_to_each_other is True and three.objects == ["A-4", "A-5", "A-6"]
    detail = three.objectDetails["A-5"]
    assert detail.status == "myStatus" and detail.category_key == "9" and detail.category_label == "Cat1"
    assert detail.labels == {"own": {"label": "5", "type": "seat"}, "parent": {"label": "A", "type": "row"}}
    assert (detail.left_neighbour, detail.right_neighbour) == ("A-4", "A-6")
    assert detail.num_booked is None and detail.capacity is None and detail.section is None

    two = events.change_best_available_object_status(
        event.key,
        2,
        "booked",
        extra_data=[{"key1": "value1"}, {"key2": "value2"}],
        ticket_types=["adult", "child"],
        order_id="anOrder",
    )
    first, second = two.objects
    assert [two.objectDetails[o].ticket_type for o in two.objects] == ["adult", "child"]
    assert events.retrieve_object_info(event.key, first).extra_data == {"key1": "value1"}
    assert events.retrieve_object_info(event.key, second).extra_data == {"key2": "value2"}
    assert events.retrieve_object_info(event.key, second).order_id == "anOrder"
    cat2 = events.book_best_available(event.key, 3, categories=["10"])
    assert {cat2.objectDetails[o].category_key for o in cat2.objects} == {"10"}


def test_hold_orphans_and_keep_extra_data(company: SeatsioCompany, shared_charts: Path) -> None:
    events = company.client.events
    event = _sample(company, shared_charts)
    token = company.client.hold_tokens.create().hold_token
    events.book(event.key, ["A-4", "A-5"])

    no_orphan_care = events.change_best_available_object_status(
        event.key, 2, "mystatus", try_to_prevent_orphan_seats=False
    )
    assert no_orphan_care.objects == ["A-2", "A-3"]
    events.update_extra_data(event.key, "A-6", {"foo": "bar"})
    held = events.hold_best_available(event.key, 1, hold_token=token, keep_extra_data=True)
    info = events.retrieve_object_info(event.key, held.objects[0])
    assert info.status == "reservedByToken" and info.hold_token == token
    assert events.retrieve_object_info(event.key, "A-6").extra_data == {"foo": "bar"}
    with pytest.raises(SeatsioException) as caught:
        events.hold_best_available(event.key, 1)  # no hold token
    assert caught.value.errors[0]["code"] == "INVALID_INPUT"


def test_channels(company: SeatsioCompany, shared_charts: Path) -> None:
    events = company.client.events
    event = _sample(company, shared_charts, channels=[ChannelCreationParams("ch1", "Channel 1", "#0F0", 1, ["A-5"])])

    without_key = events.change_best_available_object_status(event.key, 1, "myStatus")
    assert without_key.objects != ["A-5"]
    ignoring = events.change_best_available_object_status(event.key, 1, "myStatus", ignore_channels=True)
    assert ignoring.objects == ["A-5"]


def test_channel_keys_and_not_found(company: SeatsioCompany, shared_charts: Path) -> None:
    events = company.client.events
    event = _sample(company, shared_charts, channels=[ChannelCreationParams("ch1", "Channel 1", "#0F0", 1, ["A-6"])])

    events.book(event.key, ["A-5"])
    assert events.change_best_available_object_status(event.key, 1, "x").objects != ["A-6"]
    assert events.change_best_available_object_status(event.key, 1, "x", channel_keys=["ch1"]).objects == ["A-6"]
    with pytest.raises(BestAvailableObjectsNotFoundException) as caught:
        events.book_best_available(event.key, 40)  # 32 seats
    assert caught.value.errors[0]["code"] == "BEST_AVAILABLE_OBJECTS_NOT_FOUND"
    with pytest.raises(SeatsioException) as not_found:
        events.book_best_available("nope", 1)
    assert not_found.value.errors[0]["code"] == "EVENT_NOT_FOUND"
    zero = httpx.post(
        f"{company.base_url}/events/{event.key}/actions/change-object-status",
        content=b'{"status": "booked", "bestAvailable": {"number": 0}}',
        auth=(company.secret_key, ""),
    )
    assert zero.status_code == 400


def test_categories_by_key_or_label_and_too_many_seats(company: SeatsioCompany, shared_charts: Path) -> None:
    events = company.client.events
    event = _sample(company, shared_charts)
    by_label = events.change_best_available_object_status(event.key, 3, "myStatus", categories=["cat2"])  # "Cat2"
    assert by_label.objects == ["C-4", "C-5", "C-6"]
    by_key = events.change_best_available_object_status(event.key, 3, "myStatus", categories=["10"])
    assert set(by_key.objects).isdisjoint(by_label.objects)
    with pytest.raises(BestAvailableObjectsNotFoundException) as caught:
        events.change_best_available_object_status(event.key, 3000, "myStatus")
    assert caught.value.message == "Best available objects not found."
    with pytest.raises(BestAvailableObjectsNotFoundException):
        events.change_best_available_object_status(event.key, 1, "myStatus", categories=["no such category"])
