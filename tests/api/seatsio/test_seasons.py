"""Seasons through the official SDK: create (with events), events in a season, partial seasons, retrieve,
update, list, and status changes on a season reaching its events (override and use season status too)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import pytest
from seatsio import Category, ForSaleConfig, TableBookingConfig
from seatsio.domain import EventObjectInfo
from seatsio.events.channelProperties import ChannelCreationParams
from seatsio.events.statusChangeRequest import StatusChangeRequest
from seatsio.exceptions import SeatsioException

from tests.api.seatsio.conftest import SeatsioCompany
from tests.factories import small_drawing


def status_of(company: SeatsioCompany, event_key: str, label: str) -> str:
    return str(company.client.events.retrieve_object_info(event_key, label).status)


def error_code(caught: pytest.ExceptionInfo[SeatsioException]) -> str:
    return str(caught.value.errors[0]["code"])


# -- create, retrieve, list ------------------------------------------------------------------------------------
def test_create_with_only_a_chart_key(company: SeatsioCompany) -> None:
    company.post_chart("hall", small_drawing())

    season = company.client.seasons.create("hall")

    assert season.is_season() and season.id and season.key and season.chart_key == "hall"
    assert season.is_top_level_season is True and season.is_partial_season is False
    assert season.top_level_season_key is None and season.partial_season_keys == [] and season.events == []
    assert season.table_booking_config == TableBookingConfig.inherit()
    assert season.supports_best_available is True and season.for_sale_config is None
    assert season.for_sale_propagated is True and season.updated_on is None
    now = datetime.now(UTC).replace(tzinfo=None)
    assert now - timedelta(minutes=1) < season.created_on < now + timedelta(minutes=1)
    retrieved = company.client.seasons.retrieve(season.key)
    assert retrieved.is_season() and (retrieved.id, retrieved.events) == (season.id, [])


def test_create_with_key_name_events_and_configuration(company: SeatsioCompany) -> None:
    company.post_chart("hall", small_drawing())
    tables = TableBookingConfig.custom({"T1": "BY_TABLE", "T2": "BY_SEAT"})
    channels = [ChannelCreationParams("members", "Members", "#00FF00", 1, ["A-1", "A-2"])]
    for_sale = ForSaleConfig.create_new(False, ["B-1"], {}, [])

    season = company.client.seasons.create(
        "hall",
        key="league",
        name="League 2031",
        event_keys=["match1", "match2"],
        table_booking_config=tables,
        channels=channels,
        for_sale_config=for_sale,
    )

    assert (season.key, season.name) == ("league", "League 2031")
    assert season.table_booking_config == tables and season.for_sale_config == for_sale
    assert [(c.key, c.objects) for c in season.channels] == [("members", ["A-1", "A-2"])]
    assert [e.key for e in season.events] == ["match1", "match2"]
    for event in season.events:
        assert not event.is_season() and event.is_event_in_season is True
        assert event.top_level_season_key == "league" and event.partial_season_keys_for_event == []
        assert event.table_booking_config == tables  # an event of a season starts with the season's configuration
    infos = company.client.events.retrieve_object_infos("match1", ["A-1", "B-1"])
    assert infos["A-1"].channel == "members" and infos["B-1"].for_sale is False
    numbered = company.client.seasons.create("hall", number_of_events=3)
    assert len(numbered.events) == 3


def test_seasons_are_listed_as_events_are(company: SeatsioCompany) -> None:
    company.post_chart("hall", small_drawing())
    company.client.seasons.create("hall", key="s1", event_keys=["e1"])
    company.client.events.create("hall", event_key="plain")

    listed = {e.key: e for e in company.client.events.list()}

    assert set(listed) == {"s1", "e1", "plain"}
    assert listed["s1"].is_season() and listed["s1"].events is None  # a list does not show a season's events
    assert listed["e1"].is_event_in_season and listed["e1"].top_level_season_key == "s1"
    assert not listed["plain"].is_season() and listed["plain"].is_event_in_season is False


# -- events in a season, partial seasons --------------------------------------------------------------------------
def test_create_events_in_a_season(company: SeatsioCompany) -> None:
    company.post_chart("hall", small_drawing())
    season = company.client.seasons.create("hall")

    created = company.client.seasons.create_events(season.key, event_keys=["event1", "event2"])
    counted = company.client.seasons.create_events(season.key, number_of_events=2)

    assert [e.key for e in created] == ["event2", "event1"]  # newest first, as seats.io answers
    assert len(counted) == 2 and all(e.top_level_season_key == season.key for e in counted)
    assert [e.key for e in company.client.seasons.retrieve(season.key).events][:2] == ["event1", "event2"]


def test_partial_seasons(company: SeatsioCompany) -> None:
    company.post_chart("hall", small_drawing())
    season = company.client.seasons.create("hall", event_keys=["event1", "event2", "event3"])

    partial = company.client.seasons.create_partial_season(
        season.key, partial_season_key="first-half", name="First half", event_keys=["event1", "event2"]
    )
    empty = company.client.seasons.create_partial_season(season.key)

    assert (partial.key, partial.name) == ("first-half", "First half")
    assert partial.is_partial_season is True and partial.is_top_level_season is False
    assert partial.top_level_season_key == season.key and partial.partial_season_keys is None
    assert [e.key for e in partial.events] == ["event1", "event2"]
    assert partial.events[0].partial_season_keys_for_event == ["first-half"]
    assert empty.events == [] and empty.key
    retrieved = company.client.seasons.retrieve(season.key)
    assert retrieved.partial_season_keys == ["first-half", empty.key]

    added = company.client.seasons.add_events_to_partial_season(season.key, empty.key, ["event2", "event3"])
    assert [e.key for e in added.events] == ["event2", "event3"]
    assert added.events[0].partial_season_keys_for_event == ["first-half", empty.key]

    removed = company.client.seasons.remove_event_from_partial_season(season.key, "first-half", "event2")
    assert [e.key for e in removed.events] == ["event1"]
    assert company.client.events.retrieve("event2").top_level_season_key == season.key  # still in the season


# -- update ----------------------------------------------------------------------------------------------------
def test_update_a_season(company: SeatsioCompany) -> None:
    company.post_chart("hall", small_drawing())
    season = company.client.seasons.create(
        "hall", name="A season", table_booking_config=TableBookingConfig.custom({"T1": "BY_TABLE"})
    )

    company.client.seasons.update(season.key, event_key="renamed", name="Another season")
    company.client.seasons.update("renamed", table_booking_config=TableBookingConfig.custom({"T1": "BY_SEAT"}))
    company.client.seasons.update("renamed", object_categories={"A-2": 1})
    company.client.seasons.update("renamed", categories=[Category("season-cat", "Season category", "#BBBCCC")])
    company.client.seasons.update("renamed", for_sale_propagated=False)

    retrieved = company.client.seasons.retrieve("renamed")
    assert (retrieved.id, retrieved.key, retrieved.name) == (season.id, "renamed", "Another season")
    assert retrieved.table_booking_config == TableBookingConfig.custom({"T1": "BY_SEAT"})
    assert retrieved.object_categories == {"A-2": 1}
    assert "season-cat" in [c.key for c in retrieved.categories]
    assert retrieved.for_sale_propagated is False and retrieved.updated_on is not None
    company.client.events.create("hall", event_key="plain")
    with pytest.raises(SeatsioException) as caught:
        company.client.seasons.update("plain", for_sale_propagated=False)
    assert error_code(caught) == "INVALID_INPUT"


# -- status changes ----------------------------------------------------------------------------------------------
def test_booking_a_season_books_every_event_and_releasing_frees_them(company: SeatsioCompany) -> None:
    company.post_chart("hall", small_drawing())
    season = company.client.seasons.create("hall", event_keys=["event1", "event2"])

    company.client.events.book(season.key, ["A-1", "A-2"], order_id="season-ticket")

    for key in (season.key, "event1", "event2"):
        info = company.client.events.retrieve_object_info(key, "A-1")
        assert (info.status, info.order_id) == (EventObjectInfo.BOOKED, "season-ticket")
    with pytest.raises(SeatsioException) as caught:
        company.client.events.book("event1", ["A-1"])
    assert error_code(caught) == "ILLEGAL_STATUS_CHANGE"
    company.client.events.release(season.key, ["A-1"])
    assert {status_of(company, k, "A-1") for k in (season.key, "event1", "event2")} == {EventObjectInfo.FREE}
    assert status_of(company, "event2", "A-2") == EventObjectInfo.BOOKED


def test_a_season_hold_and_its_booking_with_the_hold_token(company: SeatsioCompany) -> None:
    company.post_chart("hall", small_drawing())
    season = company.client.seasons.create("hall", event_keys=["event1"])
    token = company.client.hold_tokens.create().hold_token

    company.client.events.hold(season.key, ["B-1"], token)
    assert status_of(company, "event1", "B-1") == EventObjectInfo.HELD
    company.client.events.book(season.key, ["B-1"], hold_token=token)

    assert {status_of(company, k, "B-1") for k in (season.key, "event1")} == {EventObjectInfo.BOOKED}


def test_a_season_booking_fails_whole_when_one_event_sold_a_seat(company: SeatsioCompany) -> None:
    company.post_chart("hall", small_drawing())
    season = company.client.seasons.create("hall", event_keys=["event1", "event2"])
    company.client.events.book("event2", ["A-3"], order_id="single")

    with pytest.raises(SeatsioException) as caught:
        company.client.events.book(season.key, ["A-2", "A-3"])

    assert error_code(caught) == "ILLEGAL_STATUS_CHANGE" and "event2" in caught.value.message
    assert {status_of(company, k, "A-2") for k in (season.key, "event1", "event2")} == {EventObjectInfo.FREE}
    assert status_of(company, season.key, "A-3") == EventObjectInfo.BOOKED  # as event2 has it: not for the season


def test_a_partial_season_booking_and_the_top_level_season(company: SeatsioCompany) -> None:
    company.post_chart("hall", small_drawing())
    season = company.client.seasons.create("hall", event_keys=["event1", "event2", "event3"])
    company.client.seasons.create_partial_season(season.key, partial_season_key="half", event_keys=["event1"])

    company.client.events.book("half", ["A-1"])

    assert status_of(company, "event1", "A-1") == EventObjectInfo.BOOKED
    assert status_of(company, "event2", "A-1") == EventObjectInfo.FREE
    with pytest.raises(SeatsioException) as caught:
        company.client.events.book(season.key, ["A-1"])
    assert error_code(caught) == "ILLEGAL_STATUS_CHANGE"


def test_a_season_shows_what_its_events_have_taken_unless_asked_not_to(company: SeatsioCompany) -> None:
    company.post_chart("hall", small_drawing())
    season = company.client.seasons.create("hall", number_of_events=1)
    half = company.client.seasons.create_partial_season(season.key, event_keys=[season.events[0].key])
    company.client.events.book(season.key, ["A-1", "A-2"])
    company.client.events.book(season.events[0].key, ["A-3"])
    company.client.events.book(half.key, ["A-4"])

    propagated = {i.label: i for i in company.client.events.reports.flat_list(season.key)}
    own = {
        i.label: i for i in company.client.events.reports.with_season_bookings_not_propagated().flat_list(season.key)
    }

    assert propagated["A-3"].status == EventObjectInfo.BOOKED and propagated["A-3"].is_available is False
    assert propagated["A-4"].status == EventObjectInfo.BOOKED  # taken by a partial season's events
    assert own["A-3"].status == EventObjectInfo.FREE and own["A-3"].is_available is True
    assert propagated["A-1"].status == own["A-1"].status == EventObjectInfo.BOOKED
    assert status_of(company, season.key, "A-3") == EventObjectInfo.BOOKED
    assert status_of(company, half.key, "A-1") == EventObjectInfo.BOOKED  # taken by the top-level season
    summary = company.client.events.reports.summary_by_status(season.key)
    assert summary["booked"]["count"] == 4
    own_summary = company.client.events.reports.with_season_bookings_not_propagated().summary_by_status(season.key)
    assert own_summary["booked"]["count"] == 2


def test_best_available_on_a_season(company: SeatsioCompany) -> None:
    company.post_chart("hall", small_drawing())
    season = company.client.seasons.create("hall", event_keys=["event1", "event2"])
    company.client.events.book("event1", ["A-5", "A-6"])
    token = company.client.hold_tokens.create().hold_token

    held = company.client.events.hold_best_available(season.key, 2, hold_token=token)

    assert held.next_to_each_other is True and not set(held.objects) & {"A-5", "A-6"}
    assert {held.objectDetails[label].status for label in held.objects} == {EventObjectInfo.HELD}
    company.client.events.book(season.key, held.objects, hold_token=token)
    for key in (season.key, "event1", "event2"):
        assert {status_of(company, key, label) for label in held.objects} == {EventObjectInfo.BOOKED}


def test_events_created_in_a_booked_season_start_booked(company: SeatsioCompany) -> None:
    company.post_chart("hall", small_drawing())
    season = company.client.seasons.create("hall", event_keys=["event1"])
    company.client.events.book(season.key, ["A-1"], order_id="holder")

    company.client.seasons.create_events(season.key, event_keys=["event2"])

    info = company.client.events.retrieve_object_info("event2", "A-1")
    assert (info.status, info.order_id) == (EventObjectInfo.BOOKED, "holder")


def test_override_and_use_season_object_status(company: SeatsioCompany) -> None:
    company.post_chart("hall", small_drawing())
    season = company.client.seasons.create("hall", event_keys=["event1"])
    company.client.events.book(season.key, ["A-1", "A-2"])

    company.client.events.override_season_object_status("event1", ["A-1", "A-2"])
    assert {status_of(company, "event1", label) for label in ("A-1", "A-2")} == {EventObjectInfo.FREE}
    assert status_of(company, season.key, "A-1") == EventObjectInfo.BOOKED

    company.client.events.use_season_object_status("event1", ["A-1", "A-2"])
    assert {status_of(company, "event1", label) for label in ("A-1", "A-2")} == {EventObjectInfo.BOOKED}


def test_override_season_status_in_a_batch(company: SeatsioCompany) -> None:
    company.post_chart("hall", small_drawing())
    season = company.client.seasons.create("hall", event_keys=["event1"])
    company.client.events.book(season.key, ["A-1", "A-2"])

    results = company.client.events.change_object_status_in_batch(
        [
            StatusChangeRequest("event1", ["A-1"], type=StatusChangeRequest.OVERRIDE_SEASON_STATUS),
            StatusChangeRequest("event1", ["A-1"], status="booked", order_id="one-night"),
        ]
    )

    assert results[0].objects["A-1"].status == EventObjectInfo.BOOKED  # as it is after the whole batch
    info = company.client.events.retrieve_object_info("event1", "A-1")
    assert (info.status, info.order_id) == (EventObjectInfo.BOOKED, "one-night")
    with pytest.raises(SeatsioException) as caught:
        company.client.events.use_season_object_status("event1", ["A-1"])  # sold since the override
    assert error_code(caught) == "ILLEGAL_STATUS_CHANGE"


def test_an_event_cannot_release_what_its_season_has_taken(company: SeatsioCompany) -> None:
    """Found by fuzzing: releasing a season's seat in one of its events answered 200, after which the event
    sold it again while the season still held it, and the season could no longer release it (400)."""
    company.post_chart("hall", small_drawing())
    season = company.client.seasons.create("hall", key="s", event_keys=["e1", "e2"])
    company.client.seasons.create_partial_season(season.key, partial_season_key="half", event_keys=["e2"])
    company.client.events.book(season.key, ["A-1"])
    company.client.events.book("half", ["A-2"])

    for event_key, label in (("e1", "A-1"), ("e2", "A-1"), ("e2", "A-2")):
        with pytest.raises(SeatsioException, match=f"{label} in event {event_key}") as caught:
            company.client.events.release(event_key, [label])
        assert error_code(caught) == "ILLEGAL_STATUS_CHANGE"
        assert status_of(company, event_key, label) == EventObjectInfo.BOOKED
    company.client.events.book("e1", ["A-2"])  # not the partial season's event: e1 sells it on its own

    company.client.events.release(season.key, ["A-1"])  # the season still can
    assert {status_of(company, key, "A-1") for key in ("s", "e1", "e2")} == {EventObjectInfo.FREE}
    company.client.events.book(season.key, ["A-1"])
    company.client.events.override_season_object_status("e1", ["A-1"])  # the sanctioned way
    company.client.events.book("e1", ["A-1"], order_id="one-night")
    assert status_of(company, season.key, "A-1") == EventObjectInfo.BOOKED


# -- bad input: seats.io's error shape, a 4xx, nothing changed --------------------------------------------------
def test_bad_season_calls_answer_in_seatsio_error_shape(company: SeatsioCompany) -> None:
    company.post_chart("hall", small_drawing())
    season = company.client.seasons.create("hall", key="s", event_keys=["e1"])
    company.client.events.create("hall", event_key="plain")
    auth = (company.secret_key, "")
    base = company.base_url

    cases = [
        ("post", "/seasons/nope/actions/create-events", {"numberOfEvents": 1}, 404, "EVENT_NOT_FOUND"),
        ("post", "/seasons/plain/actions/create-events", {"numberOfEvents": 1}, 400, "NOT_A_SEASON"),
        ("post", "/seasons/s/actions/create-events", {"eventKeys": ["x", "x"]}, 400, "INVALID_INPUT"),
        ("post", "/seasons/s/actions/create-events", {"eventKeys": ["y", "plain"]}, 400, "ALREADY_EXISTS"),
        ("post", "/seasons/s/actions/create-events", {}, 400, "INVALID_INPUT"),
        ("post", "/seasons/s/partial-seasons", {"key": "p", "eventKeys": ["plain"]}, 400, "INVALID_INPUT"),
        ("post", "/seasons/s/partial-seasons", {"key": "p", "eventKeys": ["ghost"]}, 404, "EVENT_NOT_FOUND"),
        ("post", "/seasons/s/partial-seasons", {"key": "plain"}, 400, "ALREADY_EXISTS"),
        ("post", "/seasons/s/partial-seasons/nope/actions/add-events", {"eventKeys": ["e1"]}, 404, "EVENT_NOT_FOUND"),
        ("post", "/seasons", {"chartKey": "hall", "key": "s"}, 400, "ALREADY_EXISTS"),
        ("post", "/seasons", {"chartKey": "nochart"}, 404, "CHART_NOT_FOUND"),
        ("post", "/seasons", {"chartKey": "hall", "numberOfEvents": 0}, 400, "INVALID_INPUT"),
        ("post", "/seasons", {"chartKey": "hall", "eventKeys": "e9"}, 400, "VALIDATION_ERROR"),
        ("delete", "/seasons/s/partial-seasons/nope/events/e1", None, 404, "EVENT_NOT_FOUND"),
        ("post", "/events/plain/actions/override-season-status", {"objects": ["A-1"]}, 400, "NOT_A_SEASON"),
        ("post", "/events/e1/actions/use-season-status", {"objects": ["A-1"]}, 400, "ILLEGAL_STATUS_CHANGE"),
        ("post", "/events/e1/actions/override-season-status", {"objects": ["Z-9"]}, 404, "OBJECT_NOT_FOUND"),
        ("post", "/events/s/actions/change-object-status", _best_available(), 400, "VALIDATION_ERROR"),
    ]
    for method, path, body, status, code in cases:
        response = httpx.request(method, f"{base}{path}", json=body, auth=auth)
        assert response.status_code == status, (path, body, response.text)
        answer = response.json()
        assert answer["errors"][0]["code"] == code, (path, body, answer)
        assert set(answer) == {"status", "messages", "errors", "warnings", "requestId"}

    retrieved = company.client.seasons.retrieve(season.key)
    assert [e.key for e in retrieved.events] == ["e1"] and retrieved.partial_season_keys == []
    assert {e.key for e in company.client.events.list()} == {"s", "e1", "plain"}


def _best_available() -> dict[str, object]:
    return {"status": "booked", "bestAvailable": {"number": "two"}}


def test_an_override_shows_in_reports_and_object_info(company: SeatsioCompany) -> None:
    """seatsio-python's test_seasonStatusOverriddenQuantity: an override of a seat its season never took."""
    company.post_chart("hall", small_drawing())
    event = company.client.seasons.create("hall", number_of_events=1).events[0]
    company.client.events.override_season_object_status(event.key, ["A-1"])
    report = company.client.events.reports.by_label(event.key)
    assert report.get("A-1")[0].season_status_overridden_quantity == 1
    assert report.get("A-2")[0].season_status_overridden_quantity == 0
    info = company.client.events.retrieve_object_info(event.key, "A-1")
    assert info.season_status_overridden_quantity == 1
    company.client.events.use_season_object_status(event.key, ["A-1"])
    assert company.client.events.retrieve_object_info(event.key, "A-1").season_status_overridden_quantity == 0
