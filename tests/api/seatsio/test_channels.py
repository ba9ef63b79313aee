"""Channels through the official SDK: add (one, several), update, remove, replace, objects in and out."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from seatsio import ChannelCreationParams
from seatsio.events.objectProperties import ObjectProperties
from seatsio.exceptions import SeatsioException

from boxoffice.api.seatsio.schemas import EventOut
from boxoffice.services.audit import audit
from boxoffice.storage.uow import Database
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


def test_index_is_optional_and_left_out_after_the_indexed_channels(company: SeatsioCompany) -> None:
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
    # left out, which the Python SDK reads as None and seatsio-js as undefined (its "index is optional" test)
    assert [c.get("index", "absent") for c in raw["channels"]] == [0, 2, "absent", "absent"]
    EventOut.model_validate(raw)  # and the documented response schema allows it

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


def _area(company: SeatsioCompany, key: str, label: str) -> tuple[int, int, int, int, str | None]:
    info = company.client.events.retrieve_object_info(key, label)
    return info.capacity, info.num_free, info.num_booked, info.num_held, info.channel


def test_area_places_give_a_channel_its_share_of_a_ga_area(company: SeatsioCompany, db: Database) -> None:
    key = _event(company)  # GA has 10 places
    channels = company.client.events.channels
    events = company.client.events
    channels.add(key, "vip", "VIP", "#FFFF98", 1, ["A-1"], area_places={"GA": 3})
    vip = events.retrieve(key).channels[0]
    assert (vip.objects, vip.area_places) == (["A-1"], {"GA": 3})
    share = vip.area_partition_label("GA")
    assert share == "GA##vip"
    assert _area(company, key, "GA") == (10, 7, 0, 0, None)  # the area keeps its capacity, 3 places moved out
    assert _area(company, key, share) == (3, 3, 0, 0, "vip")

    with pytest.raises(SeatsioException) as too_many:
        events.book(key, [ObjectProperties("GA", quantity=8)])
    assert _error(too_many)["code"] == "ILLEGAL_STATUS_CHANGE"
    with pytest.raises(SeatsioException):
        events.book(key, [ObjectProperties(share, quantity=1)])  # the channel's places need its key
    events.book(key, [ObjectProperties(share, quantity=2)], channel_keys=["vip"])
    events.book(key, [ObjectProperties("GA", quantity=7)])
    assert _area(company, key, "GA") == (10, 0, 7, 0, None)
    assert _area(company, key, share) == (3, 1, 2, 0, "vip")

    with pytest.raises(SeatsioException) as none_free:
        channels.add_objects(key, "vip", ["A-2"], area_places={"GA": 1})  # no place of the area left to move
    assert _error(none_free)["code"] == "AREA_PLACES_UNAVAILABLE"
    assert events.retrieve(key).channels[0].objects == ["A-1"]  # all or nothing: A-2 did not join either
    with pytest.raises(SeatsioException) as taken:
        channels.remove_objects(key, "vip", area_places={"GA": 2})  # 2 of its 3 places are booked
    assert _error(taken)["code"] == "AREA_PLACES_UNAVAILABLE"
    channels.remove_objects(key, "vip", area_places={"GA": 1})  # its one free place goes back to the area
    assert _area(company, key, "GA") == (10, 1, 7, 0, None)
    assert events.retrieve(key).channels[0].area_places == {"GA": 2}
    with pytest.raises(SeatsioException):
        channels.remove(key, "vip")  # its share's places are booked: they cannot go back
    events.release(key, [ObjectProperties(share, quantity=2)], channel_keys=["vip"])
    channels.update(key, "vip", area_places={})  # every share given back; objects kept
    assert (events.retrieve(key).channels[0].objects, events.retrieve(key).channels[0].area_places) == (["A-1"], {})
    assert _area(company, key, "GA") == (10, 3, 7, 0, None)
    with pytest.raises(SeatsioException) as gone:
        events.retrieve_object_info(key, share)
    assert _error(gone)["code"] == "OBJECT_NOT_FOUND"
    report = audit(db, event_key=key)  # the share's log entries, its row gone, count with the area
    assert report.clean, report.problems


def test_area_places_move_between_channels_in_one_replace(company: SeatsioCompany) -> None:
    key = _event(company)
    channels = company.client.events.channels
    channels.add(key, "vip", "VIP", "#FFFF98", 1, area_places={"GA": 6})
    # press needs 8 of the 10: only once vip's share shrinks to 2, which the same call asks for
    channels.replace(
        key,
        [
            ChannelCreationParams("vip", "VIP", "#FFFF98", 1, area_places={"GA": 2}),
            ChannelCreationParams("press", "Press", "#FFFF99", 2, area_places={"GA": 8}),
        ],
    )
    assert [(c.key, c.area_places) for c in company.client.events.retrieve(key).channels] == [
        ("vip", {"GA": 2}),
        ("press", {"GA": 8}),
    ]
    assert _area(company, key, "GA")[:2] == (10, 0)
    channels.update(key, "press", area_places={"GA": 5})
    assert _area(company, key, "GA")[:2] == (10, 3)
    channels.remove(key, "vip")
    assert _area(company, key, "GA")[:2] == (10, 5)
    assert [(c.key, c.area_places) for c in company.client.events.retrieve(key).channels] == [("press", {"GA": 5})]


def test_event_created_with_a_channel_share(company: SeatsioCompany) -> None:
    company.post_chart("hall", small_drawing(rows=2, seats_per_row=4))
    event = company.client.events.create(
        "hall", channels=[ChannelCreationParams("c", "C", "#000", 1, ["A-1"], area_places={"GA": 4})]
    )
    assert company.client.events.retrieve(event.key).channels[0].area_places == {"GA": 4}
    assert _area(company, event.key, "GA##c") == (4, 4, 0, 0, "c")


def test_area_places_refused(company: SeatsioCompany) -> None:
    key = _event(company)
    channels = company.client.events.channels
    channels.add(key, "vip", "VIP", "#FFFF98", 1)
    cases = [
        ({"GA": 11}, "AREA_PLACES_UNAVAILABLE"),  # more than the area has
        ({"A-2": 1}, "INVALID_INPUT"),  # a seat, not an area
        ({"GA": -1}, "INVALID_INPUT"),
        ({"GA": 0}, "INVALID_INPUT"),  # adding none
        ({"NOPE": 1}, "OBJECT_NOT_FOUND"),
    ]
    for area_places, code in cases:
        with pytest.raises(SeatsioException) as refused:
            channels.add_objects(key, "vip", ["A-3"], area_places=area_places)
        assert _error(refused)["code"] == code, area_places
    assert company.client.events.retrieve(key).channels[0].objects == []  # nothing changed
    company.client.events.mark_as_not_for_sale(key, area_places={"GA": 8})
    with pytest.raises(SeatsioException) as off_sale:
        channels.add_objects(key, "vip", area_places={"GA": 3})  # only 2 places are for sale
    assert _error(off_sale)["code"] == "AREA_PLACES_UNAVAILABLE"
    channels.add_objects(key, "vip", area_places={"GA": 2})
    assert _area(company, key, "GA")[:2] == (10, 0)
    with pytest.raises(SeatsioException) as share_as_object:
        channels.add_objects(key, "vip", ["GA##vip"])  # a share is not an object to put in a channel
    assert _error(share_as_object)["code"] == "OBJECT_NOT_FOUND"


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


@pytest.mark.parametrize(
    "area_places",
    [
        {"GA\x00": 1},
        {"G" * 5000: 1},
        {"GA": 2**70},
        {"GA": 1.5},
        {"GA": True},
        {"GA": "3"},
        {"GA": None},
        {"GA": [1]},
        ["GA"],
        "GA",
    ],
)
def test_hostile_area_places_get_a_clear_400(company: SeatsioCompany, area_places: Any) -> None:
    key = _event(company)
    auth = (company.secret_key, "")
    channel_key = "k" * 200  # the longest key: its share's label must still fit
    added = httpx.post(f"{company.base_url}/events/{key}/channels", json={"key": channel_key, "name": "C"}, auth=auth)
    assert added.status_code == 204, added.text
    for method, path in [
        ("POST", f"/events/{key}/channels/{channel_key}/objects"),
        ("DELETE", f"/events/{key}/channels/{channel_key}/objects"),
        ("POST", f"/events/{key}/channels/{channel_key}"),
    ]:
        response = httpx.request(method, company.base_url + path, json={"areaPlaces": area_places}, auth=auth)
        assert 400 <= response.status_code < 500, (method, path, response.status_code, response.text)
        assert response.json()["errors"][0]["code"]
    assert company.client.events.retrieve(key).channels[0].area_places == {}


def test_a_share_label_too_long_is_refused(company: SeatsioCompany) -> None:
    drawing = small_drawing()
    drawing["subChart"]["generalAdmissionAreas"][0]["label"] = "G" * 150
    company.post_chart("long", drawing)
    key = company.client.events.create("long").key
    channels = company.client.events.channels
    channels.add(key, "k" * 200, "C", "#000")
    with pytest.raises(SeatsioException) as refused:
        channels.add_objects(key, "k" * 200, area_places={"G" * 150: 2})
    assert _error(refused)["code"] == "INVALID_INPUT"
