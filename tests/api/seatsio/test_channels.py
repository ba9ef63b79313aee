"""Channels through the official SDK: add (one, several), update, remove, replace, objects in and out."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from seatsio import ChannelCreationParams
from seatsio.exceptions import SeatsioException

from boxoffice.api.seatsio.schemas import EventOut
from tests.api.seatsio.conftest import SeatsioCompany
from tests.factories import small_drawing


def _event(company: SeatsioCompany) -> str:
    company.post_chart("hall", small_drawing(rows=2, seats_per_row=4))
    return str(company.client.events.create("hall", event_key="show").key)


def _channels(company: SeatsioCompany, event_key: str) -> list[tuple[str, str, str, int | None, list[str]]]:
    event = company.client.events.retrieve(event_key)
    return [(c.key, c.name, c.color, c.index, c.objects) for c in event.channels]


def _error(exc: pytest.ExceptionInfo[SeatsioException]) -> dict[str, Any]:
    errors: list[dict[str, Any]] = exc.value.errors or []
    return errors[0]


def test_add_one_then_several_and_objects_move_between_channels(company: SeatsioCompany) -> None:
    key = _event(company)
    channels = company.client.events.channels
    channels.add(key, "vip", "VIP", "#FFFF98", 1, ["A-1", "A-2"])
    channels.add_multiple(
        key,
        [
            ChannelCreationParams("press", "Press", "#FFFF99", 2, ["A-3"]),
            ChannelCreationParams("crew", "Crew", "#000000", 3),
        ],
    )
    assert _channels(company, key) == [
        ("vip", "VIP", "#FFFF98", 1, ["A-1", "A-2"]),
        ("press", "Press", "#FFFF99", 2, ["A-3"]),
        ("crew", "Crew", "#000000", 3, []),
    ]
    assert company.client.events.retrieve(key).channels[0].id is not None

    channels.add_objects(key, "vip", ["A-3", "A-4"])  # A-3 leaves "press": one channel per object
    channels.remove_objects(key, "vip", ["A-1"])
    assert _channels(company, key)[:2] == [
        ("vip", "VIP", "#FFFF98", 1, ["A-2", "A-3", "A-4"]),
        ("press", "Press", "#FFFF99", 2, []),
    ]
    info = company.client.events.retrieve_object_info(key, "A-3")
    assert info.channel == "vip"


def test_update_name_color_and_objects(company: SeatsioCompany) -> None:
    key = _event(company)
    channels = company.client.events.channels
    channels.add(key, "vip", "VIP", "#FFFF98", 1, ["A-1", "A-2"])
    channels.update(key, "vip", name="Very important")
    channels.update(key, "vip", color="red")
    assert _channels(company, key) == [("vip", "Very important", "red", 1, ["A-1", "A-2"])]
    channels.update(key, "vip", objects=["B-1", "B-2"])
    assert _channels(company, key) == [("vip", "Very important", "red", 1, ["B-1", "B-2"])]
    assert company.client.events.retrieve_object_info(key, "A-1").channel is None


def test_remove_and_replace(company: SeatsioCompany) -> None:
    key = _event(company)
    channels = company.client.events.channels
    channels.add(key, "vip", "VIP", "#FFFF98", 1, ["A-1"])
    channels.add(key, "press", "Press", "#FFFF99", 2, ["A-2"])
    channels.remove(key, "vip")
    assert _channels(company, key) == [("press", "Press", "#FFFF99", 2, ["A-2"])]
    assert company.client.events.retrieve_object_info(key, "A-1").channel is None

    channels.replace(
        key,
        [
            ChannelCreationParams("one", "channel 1", "#00FF00", 1, ["B-1"]),
            ChannelCreationParams("two", "channel 2", "#FF0000", 2),
        ],
    )
    assert _channels(company, key) == [
        ("one", "channel 1", "#00FF00", 1, ["B-1"]),
        ("two", "channel 2", "#FF0000", 2, []),
    ]
    assert company.client.events.retrieve_object_info(key, "A-2").channel is None
    channels.replace(key, [])
    assert _channels(company, key) == []


def test_index_is_optional_and_reads_back_null_after_the_indexed_channels(company: SeatsioCompany) -> None:
    key = _event(company)
    channels = company.client.events.channels
    channels.add(key, "walkin", "Walk-in", "#111111", objects=["A-1"])
    channels.add_multiple(
        key,
        [
            ChannelCreationParams("crew", "Crew", "#222222"),
            ChannelCreationParams("vip", "VIP", "#333333", 2, ["A-2"]),
            ChannelCreationParams("box", "Box office", "#444444", 0),
        ],
    )
    assert _channels(company, key) == [
        ("box", "Box office", "#444444", 0, []),
        ("vip", "VIP", "#333333", 2, ["A-2"]),
        ("crew", "Crew", "#222222", None, []),
        ("walkin", "Walk-in", "#111111", None, ["A-1"]),
    ]
    raw = httpx.get(f"{company.base_url}/events/{key}", auth=(company.secret_key, "")).json()
    assert [c["index"] for c in raw["channels"]] == [0, 2, None, None]  # null, not left out
    EventOut.model_validate(raw)  # and the documented response schema allows it (it said integer)

    channels.update(key, "crew", name="Stage crew")  # an update leaves the index as it is
    assert _channels(company, key)[2] == ("crew", "Stage crew", "#222222", None, [])
    channels.replace(
        key, [ChannelCreationParams("one", "One", "#00FF00"), ChannelCreationParams("two", "Two", "#FF0000", 1)]
    )
    assert _channels(company, key) == [("two", "Two", "#FF0000", 1, []), ("one", "One", "#00FF00", None, [])]


def test_channel_keys_guard_objects(company: SeatsioCompany) -> None:
    key = _event(company)
    company.client.events.channels.add(key, "vip", "VIP", "#FFFF98", 1, ["A-1"])
    with pytest.raises(SeatsioException):
        company.client.events.book(key, ["A-1"])
    company.client.events.book(key, ["A-1"], channel_keys=["vip"])
    assert company.client.events.retrieve_object_info(key, "A-1").status == "booked"


def test_whole_ga_areas_by_area_places_and_partial_ones_refused(company: SeatsioCompany) -> None:
    key = _event(company)  # GA has 10 places
    channels = company.client.events.channels
    channels.add(key, "vip", "VIP", "#FFFF98", 1, ["A-1"], area_places={"GA": 10})
    assert _channels(company, key) == [("vip", "VIP", "#FFFF98", 1, ["A-1", "GA"])]
    channels.remove_objects(key, "vip", area_places={"GA": 10})
    assert _channels(company, key) == [("vip", "VIP", "#FFFF98", 1, ["A-1"])]

    with pytest.raises(SeatsioException) as partial:
        channels.add_objects(key, "vip", ["A-2"], area_places={"GA": 7})
    assert "whole general admission areas" in _error(partial)["message"]
    assert _channels(company, key) == [("vip", "VIP", "#FFFF98", 1, ["A-1"])]  # all or nothing

    channels.update(key, "vip", area_places={"GA": 10})  # objects kept, areas replaced
    assert _channels(company, key) == [("vip", "VIP", "#FFFF98", 1, ["A-1", "GA"])]
    with pytest.raises(SeatsioException) as not_an_area:
        channels.add_objects(key, "vip", area_places={"A-2": 1})
    assert _error(not_an_area)["code"] == "INVALID_INPUT"


def test_errors(company: SeatsioCompany) -> None:
    key = _event(company)
    channels = company.client.events.channels
    channels.add(key, "vip", "VIP", "#FFFF98", 1)
    with pytest.raises(SeatsioException) as duplicate:
        channels.add(key, "vip", "VIP again", "#FFFF98", 2)
    assert _error(duplicate)["code"] == "ALREADY_EXISTS"
    with pytest.raises(SeatsioException) as unknown_object:
        channels.add_objects(key, "vip", ["Z-99"])
    assert _error(unknown_object)["code"] == "OBJECT_NOT_FOUND"
    with pytest.raises(SeatsioException) as unknown_channel:
        channels.update(key, "nope", name="x")
    assert _error(unknown_channel)["code"] == "CHANNEL_NOT_FOUND"
    with pytest.raises(SeatsioException) as unknown_event:
        channels.add("nope", "vip", "VIP", "#FFFF98")
    assert _error(unknown_event)["code"] == "EVENT_NOT_FOUND"

    auth = (company.secret_key, "")
    no_body = httpx.post(f"{company.base_url}/events/{key}/channels", auth=auth)
    assert no_body.status_code == 400 and no_body.json()["errors"][0]["code"] == "VALIDATION_ERROR"
    no_name = httpx.post(f"{company.base_url}/events/{key}/channels", json={"key": "x"}, auth=auth)
    assert no_name.status_code == 400 and no_name.json()["status"] == 400


def test_keys_with_slashes(company: SeatsioCompany) -> None:
    company.post_chart("hall", small_drawing(rows=1, seats_per_row=2))
    key = str(company.client.events.create("hall").key)
    channels = company.client.events.channels
    channels.add(key, "a/b", "Slashed", "#123456", 1, ["A-1"])
    channels.add_objects(key, "a/b", ["A-2"])
    assert _channels(company, key) == [("a/b", "Slashed", "#123456", 1, ["A-1", "A-2"])]
    channels.remove(key, "a/b")
    assert _channels(company, key) == []
