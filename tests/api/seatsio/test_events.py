"""Events through the official SDK: create (one, several), retrieve, update, delete, list pages, for sale."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import httpx
import pytest
from seatsio import Category, ForSaleConfig, TableBookingConfig
from seatsio.events.channelProperties import ChannelCreationParams
from seatsio.events.eventProperties import EventProperties
from seatsio.events.objectProperties import ObjectProperties
from seatsio.exceptions import RateLimitExceededException, SeatsioException

from tests.api.seatsio.conftest import SeatsioCompany
from tests.factories import small_drawing


def test_create_with_defaults_and_retrieve(company: SeatsioCompany) -> None:
    company.post_chart("hall", small_drawing())

    event = company.client.events.create("hall")

    assert event.id and event.key and event.chart_key == "hall"
    assert event.table_booking_config == TableBookingConfig.inherit()
    assert event.supports_best_available is True and event.for_sale_config is None
    now = datetime.now(UTC).replace(tzinfo=None)
    assert now - timedelta(minutes=1) < event.created_on < now + timedelta(minutes=1)
    assert event.updated_on is None and event.channels == [] and event.is_in_the_past is False
    assert event.categories == [Category(1, "Stalls", "#ff0000", False), Category(2, "Front", "#00ff00", False)]
    retrieved = company.client.events.retrieve(event.key)
    assert (retrieved.id, retrieved.key, retrieved.categories) == (event.id, event.key, event.categories)
    raw = httpx.get(f"{company.base_url}/events/{event.key}", auth=(company.secret_key, "")).json()
    assert "name" not in raw and "date" not in raw and "forSaleConfig" not in raw and "updatedOn" not in raw


def test_create_with_every_option(company: SeatsioCompany) -> None:
    company.post_chart("hall", small_drawing())
    channels = [
        ChannelCreationParams("ch1", "Channel 1", "#00FF00", 1, ["A-1", "A-2"]),
        ChannelCreationParams("ch2", "Channel 2", "#FF0000", 2, []),
    ]

    event = company.client.events.create(
        "hall",
        event_key="gala",
        name="Gala night",
        date=date(2031, 1, 10),
        table_booking_config=TableBookingConfig.custom({"T1": "BY_TABLE", "T2": "BY_SEAT"}),
        object_categories={"A-3": 1},
        categories=[Category("vip", "VIP", "#AAABBB")],
        channels=channels,
        for_sale_config=ForSaleConfig.create_new(False, ["B-1", "B-2"], categories=["2"]),
    )

    assert (event.key, event.name, event.date) == ("gala", "Gala night", date(2031, 1, 10))
    assert event.table_booking_config == TableBookingConfig.custom({"T1": "BY_TABLE", "T2": "BY_SEAT"})
    assert event.object_categories == {"A-3": 1}
    assert [c.key for c in event.categories] == [1, 2, "vip"]
    assert [(c.key, c.name, c.color, c.index, c.objects) for c in event.channels] == [
        ("ch1", "Channel 1", "#00FF00", 1, ["A-1", "A-2"]),
        ("ch2", "Channel 2", "#FF0000", 2, []),
    ]
    assert event.for_sale_config == ForSaleConfig.create_new(False, ["B-1", "B-2"], {}, ["2"])
    infos = company.client.events.retrieve_object_infos("gala", ["A-3", "B-1", "A-1", "T1"])
    assert infos["A-3"].category_key == "1" and infos["B-1"].for_sale is False and infos["A-1"].channel == "ch1"
    assert infos["A-1"].for_sale is False  # row A is category 2, not for sale
    assert infos["T1"].book_as_a_whole is False  # as drawn; the event books it BY_TABLE all the same
    with pytest.raises(SeatsioException) as caught:
        company.client.events.create("hall", event_key="gala")
    assert caught.value.errors[0]["code"] == "ALREADY_EXISTS"
    with pytest.raises(SeatsioException) as caught:
        company.client.events.create("nochart")
    assert caught.value.errors[0]["code"] == "CHART_NOT_FOUND"
    with pytest.raises(SeatsioException) as caught:
        company.client.events.create(
            "hall",
            event_key="too-many",
            channels=[ChannelCreationParams("c", "C", "#000", 1, [], area_places={"GA": 11})],
        )
    assert caught.value.errors[0]["code"] == "AREA_PLACES_UNAVAILABLE"  # the GA area has 10 places
    with pytest.raises(SeatsioException) as caught:
        company.client.events.retrieve("too-many")  # all or nothing: no event without its channel
    assert caught.value.errors[0]["code"] == "EVENT_NOT_FOUND"


def test_create_multiple_events(company: SeatsioCompany) -> None:
    company.post_chart("hall", small_drawing())

    events = company.client.events.create_multiple(
        "hall",
        [
            EventProperties(event_key="e1", name="One", date="2030-05-01"),
            EventProperties(event_key="e2", table_booking_config=TableBookingConfig.all_by_table()),
        ],
    )

    assert [e.key for e in events] == ["e1", "e2"]
    assert events[0].name == "One" and events[0].date == date(2030, 5, 1)
    assert events[1].table_booking_config == TableBookingConfig.all_by_table()
    with pytest.raises(SeatsioException):  # all or none
        company.client.events.create_multiple("hall", [EventProperties(event_key="e3"), EventProperties("e1")])
    with pytest.raises(SeatsioException) as caught:
        company.client.events.retrieve("e3")
    assert caught.value.errors[0]["code"] == "EVENT_NOT_FOUND"


def test_update_and_delete(company: SeatsioCompany) -> None:
    company.post_chart("hall", small_drawing())
    company.client.events.create("hall", event_key="old", object_categories={"A-1": 1})

    company.client.events.update(
        "old",
        event_key="new",
        name="Renamed",
        date=date(2020, 2, 3),
        table_booking_config=TableBookingConfig.all_by_seat(),
    )
    company.client.events.remove_object_categories("new")

    event = company.client.events.retrieve("new")
    assert (event.name, event.date, event.is_in_the_past) == ("Renamed", date(2020, 2, 3), True)
    assert event.table_booking_config == TableBookingConfig.all_by_seat()
    assert event.updated_on is not None and event.object_categories is None
    company.client.events.delete("new")
    with pytest.raises(SeatsioException) as caught:
        company.client.events.retrieve("new")
    assert caught.value.errors[0]["code"] == "EVENT_NOT_FOUND"
    with pytest.raises(SeatsioException) as caught:
        company.client.events.delete("new")
    assert caught.value.errors[0]["code"] == "EVENT_NOT_FOUND"


def test_in_the_past_is_what_the_venue_says_else_what_the_date_says(company: SeatsioCompany) -> None:
    company.post_chart("hall", small_drawing(rows=1, seats_per_row=2))
    company.client.events.create("hall", event_key="future", date=date(2999, 1, 1))
    company.client.events.create("hall", event_key="past", date=date(2020, 1, 1))

    company.client.events.update("future", is_in_the_past=True)
    company.client.events.update("past", is_in_the_past=False)

    assert company.client.events.retrieve("future").is_in_the_past is True
    assert company.client.events.retrieve("past").is_in_the_past is False


def test_an_update_naming_another_chart_is_refused_and_changes_nothing(company: SeatsioCompany) -> None:
    company.post_chart("hall", small_drawing(rows=1, seats_per_row=2))
    company.post_chart("other", small_drawing(rows=1, seats_per_row=2))
    company.client.events.create("hall", event_key="show")
    update = f"{company.base_url}/events/show"

    refused = httpx.post(update, json={"chartKey": "other", "name": "Renamed"}, auth=(company.secret_key, ""))
    same = httpx.post(update, json={"chartKey": "hall", "name": "Kept"}, auth=(company.secret_key, ""))

    assert refused.status_code == 400 and refused.json()["errors"][0]["code"] == "INVALID_INPUT"
    assert "copy of its chart" in refused.json()["errors"][0]["message"]
    assert same.status_code == 204
    event = company.client.events.retrieve("show")
    assert (event.chart_key, event.name) == ("hall", "Kept")


def test_list_pages(company: SeatsioCompany) -> None:
    company.post_chart("hall", small_drawing(rows=1, seats_per_row=2))
    e1, e2, e3 = (company.client.events.create("hall") for _ in range(3))
    events = company.client.events

    assert [e.id for e in events.list()] == [e3.id, e2.id, e1.id]
    first = events.list_first_page(page_size=2)
    assert [e.id for e in first.items] == [e3.id, e2.id]
    assert first.next_page_starts_after == e2.id and first.previous_page_ends_before is None
    after = events.list_page_after(e3.id)
    assert [e.id for e in after.items] == [e2.id, e1.id]
    assert after.next_page_starts_after is None and after.previous_page_ends_before == e2.id
    after_one = events.list_page_after(e3.id, page_size=1)
    assert [e.id for e in after_one.items] == [e2.id]
    assert (after_one.next_page_starts_after, after_one.previous_page_ends_before) == (e2.id, e2.id)
    before = events.list_page_before(e1.id)
    assert [e.id for e in before.items] == [e3.id, e2.id]
    assert before.next_page_starts_after == e2.id and before.previous_page_ends_before is None
    before_one = events.list_page_before(e1.id, page_size=1)
    assert [e.id for e in before_one.items] == [e2.id]
    assert (before_one.next_page_starts_after, before_one.previous_page_ends_before) == (e2.id, e2.id)
    raw = httpx.get(f"{company.base_url}/events?start_after_id={e3.id}&limit=1", auth=(company.secret_key, ""))
    cursors = {k: v for k, v in raw.json().items() if k != "items"}  # strings, as seats.io (the Go SDK needs them)
    assert cursors == {"next_page_starts_after": str(e2.id), "previous_page_ends_before": str(e2.id)}
    many = [company.client.events.create("hall").id for _ in range(22)]
    assert len(list(events.list())) == 25  # the SDK's iterator follows next_page_starts_after
    assert max(many) == next(iter(events.list())).id
    bad = httpx.get(f"{company.base_url}/events?limit=x", auth=(company.secret_key, ""))
    assert bad.status_code == 400 and bad.json()["errors"][0]["code"] == "VALIDATION_ERROR"


def test_for_sale_config(company: SeatsioCompany) -> None:
    company.post_chart("hall", small_drawing())
    events = company.client.events
    events.create("hall", event_key="show")

    events.replace_for_sale_config("show", False, ["A-1", "A-2"], categories=["1"])
    config = events.retrieve("show").for_sale_config
    assert config.for_sale is False and config.objects == ["A-1", "A-2"] and config.categories == ["1"]
    assert config.area_places == {}
    assert events.retrieve_object_info("show", "B-5").for_sale is False  # category 1
    events.replace_for_sale_config("show", False, ["A-3"])
    assert events.retrieve("show").for_sale_config.objects == ["A-3"]
    assert events.retrieve_object_info("show", "A-1").for_sale is True

    edited = events.edit_for_sale_config("show", [{"object": "A-3"}], [{"object": "A-4"}, {"object": "A-5"}])
    assert edited.for_sale_config.for_sale is False and edited.for_sale_config.objects == ["A-4", "A-5"]
    by_event = events.edit_for_sale_config_for_events({"show": {"for_sale": [{"object": "A-4"}]}})
    assert by_event["show"].for_sale_config.objects == ["A-5"]
    events.mark_as_not_for_sale("show", ["A-6"])
    events.mark_everything_as_for_sale("show")
    assert events.retrieve("show").for_sale_config is None
    assert events.retrieve_object_info("show", "A-6").for_sale is True
    with pytest.raises(SeatsioException) as caught:  # not for sale: no booking
        events.mark_as_not_for_sale("show", ["A-7"])
        events.book("show", ["A-7"])
    assert caught.value.errors[0]["code"] == "ILLEGAL_STATUS_CHANGE"


def test_mark_as_for_sale_names_the_only_objects_on_sale(company: SeatsioCompany) -> None:
    """As seats.io's own SDK tests read it: the config is replaced with forSale true and what was named."""
    company.post_chart("hall", small_drawing(ga_capacity=10))
    events = company.client.events
    events.create("hall", event_key="show")

    events.mark_as_for_sale("show", ["A-1", "A-2"], {"GA": 3}, ["2"])
    config = events.retrieve("show").for_sale_config
    assert config.for_sale is True and config.objects == ["A-1", "A-2"]
    assert config.area_places == {"GA": 3} and config.categories == ["2"]
    events.book("show", ["A-1"])
    with pytest.raises(SeatsioException) as caught:
        events.book("show", ["B-1"])  # not named: off sale
    assert caught.value.errors[0]["code"] == "ILLEGAL_STATUS_CHANGE"
    ga = events.retrieve_object_info("show", "GA")
    assert (ga.for_sale, ga.num_not_for_sale, ga.num_free) == (True, 7, 3)
    events.book("show", [ObjectProperties("GA", quantity=3)])
    with pytest.raises(SeatsioException) as caught:
        events.book("show", [ObjectProperties("GA", quantity=1)])  # the 3 on sale are gone
    assert caught.value.errors[0]["code"] == "ILLEGAL_STATUS_CHANGE"
    assert events.retrieve_object_info("show", "GA").num_booked == 3

    events.mark_everything_as_not_for_sale("show")
    nothing = events.retrieve("show").for_sale_config
    assert nothing.for_sale is True and nothing.objects == [] and nothing.area_places == {}
    with pytest.raises(SeatsioException):
        events.book("show", ["A-2"])
    events.mark_everything_as_for_sale("show")
    events.book("show", ["A-2", "B-1"])


def test_area_places_off_sale(company: SeatsioCompany) -> None:
    company.post_chart("hall", small_drawing(ga_capacity=10))
    events = company.client.events
    events.create("hall", event_key="show")
    events.book("show", [ObjectProperties("GA", quantity=2)])

    events.replace_for_sale_config("show", False, [], {"GA": 3}, [])
    assert events.retrieve("show").for_sale_config.area_places == {"GA": 3}
    ga = events.retrieve_object_info("show", "GA")
    assert (ga.num_not_for_sale, ga.num_free, ga.num_booked) == (3, 5, 2)
    summary = events.reports.summary_by_status("show")
    assert summary["free"]["count"] + summary["booked"]["count"] == 30 + 10 + 8  # seats, GA, table seats...
    events.book("show", [ObjectProperties("GA", quantity=5)])
    with pytest.raises(SeatsioException) as caught:
        events.book("show", [ObjectProperties("GA", quantity=1)])
    assert caught.value.errors[0]["code"] == "ILLEGAL_STATUS_CHANGE"

    # edit-for-sale-config counts places: 2 more off, then 4 back on
    edited = events.edit_for_sale_config("show", None, [{"object": "GA", "quantity": 2}])
    assert edited.for_sale_config.area_places == {"GA": 5}
    edited = events.edit_for_sale_config("show", [{"object": "GA", "quantity": 4}])
    assert edited.for_sale_config.area_places == {"GA": 1}
    events.book("show", [ObjectProperties("GA", quantity=2)])  # 10 - 7 booked - 1 off = 2
    assert events.retrieve_object_info("show", "GA").num_free == 0
    # places sold stay sold when more are taken off sale than are left
    events.replace_for_sale_config("show", False, [], {"GA": 9}, [])
    ga = events.retrieve_object_info("show", "GA")
    assert (ga.num_booked, ga.num_not_for_sale, ga.num_free) == (9, 1, 0)


def test_for_sale_config_names_what_the_chart_may_not_have(company: SeatsioCompany) -> None:
    """seats.io keeps unknown labels and categories in the config (a chart may gain them) and applies the rest."""
    company.post_chart("hall", small_drawing())
    events = company.client.events
    events.create("hall", event_key="show")
    events.mark_as_not_for_sale("show", ["o1", "A-1"], categories=["cat1"])
    config = events.retrieve("show").for_sale_config
    assert config.objects == ["o1", "A-1"] and config.categories == ["cat1"]
    assert events.retrieve_object_info("show", "A-1").for_sale is False
    with pytest.raises(SeatsioException) as caught:
        events.mark_as_not_for_sale("show", [], {"A-2": 1})  # a seat has no places
    assert caught.value.errors[0]["code"] == "INVALID_INPUT"
    with pytest.raises(SeatsioException) as caught:
        events.mark_as_not_for_sale("show", [], {"GA": -1})
    assert caught.value.errors[0]["code"] == "INVALID_INPUT"
    with pytest.raises(SeatsioException) as caught:
        events.edit_for_sale_config("show", None, [{"object": "GA", "quantity": 0}])
    assert caught.value.errors[0]["code"] == "INVALID_INPUT"
    assert events.retrieve("show").for_sale_config.objects == ["o1", "A-1"]  # nothing changed


def test_event_created_with_area_places_off_sale(company: SeatsioCompany) -> None:
    company.post_chart("hall", small_drawing(ga_capacity=10))
    config = ForSaleConfig.create_new(False, ["A-1"], {"GA": 4})
    event = company.client.events.create("hall", for_sale_config=config)
    assert event.for_sale_config.area_places == {"GA": 4}
    assert company.client.events.retrieve_object_info(event.key, "GA").num_not_for_sale == 4


def test_event_key_with_slash_and_percent(company: SeatsioCompany) -> None:
    company.post_chart("hall", small_drawing(rows=1, seats_per_row=2))
    company.client.events.create("hall", event_key="a%2Fb")  # a literal "%2F" in the key, sent as %252F
    with pytest.raises(SeatsioException) as caught:
        company.client.events.create("hall", event_key="a/b")
    assert caught.value.errors[0]["code"] == "INVALID_INPUT"  # boxoffice keys have no "/"
    assert company.client.events.retrieve("a%2Fb").key == "a%2Fb"
    company.client.events.update("a%2Fb", name="Percent")
    assert company.client.events.retrieve("a%2Fb").name == "Percent"
    missing = httpx.get(f"{company.base_url}/events/a%2Fb", auth=(company.secret_key, ""))
    assert missing.status_code == 404 and missing.json()["errors"][0]["code"] == "EVENT_NOT_FOUND"


def test_for_sale_changes_say_how_many_are_left_today_and_the_eleventh_is_429(company: SeatsioCompany) -> None:
    # seats.io: 10 calls per event per day (docs.seats.io, "Mark all objects as not for sale"); the SDK's own
    # tests/events/testEditForSaleConfig.py expects 9 left after the first edit of an event made with a config
    company.post_chart("hall", small_drawing())
    events = company.client.events
    events.create("hall", event_key="show", for_sale_config=ForSaleConfig.create_new(False, ["A-1", "A-2", "A-3"]))

    edited = events.edit_for_sale_config("show", [{"object": "A-1"}, {"object": "A-2"}])
    assert edited.rate_limit_info.rate_limit_remaining_calls == 9
    reset = edited.rate_limit_info.rate_limit_reset_date
    assert reset is not None and reset.hour == reset.minute == 0 and reset > datetime.now(UTC).replace(tzinfo=None)
    auth = (company.secret_key, "")
    nothing = httpx.post(f"{company.base_url}/events/show/actions/mark-everything-as-not-for-sale", auth=auth)
    assert nothing.json()["rateLimitRemainingCalls"] == 8
    by_event = events.edit_for_sale_config_for_events({"show": {"for_sale": [{"object": "A-4"}]}})
    assert by_event["show"].rate_limit_info.rate_limit_remaining_calls == 7
    for _ in range(7):
        events.mark_everything_as_for_sale("show")

    with pytest.raises(RateLimitExceededException):
        events.edit_for_sale_config("show", [{"object": "A-5"}])
    refused = httpx.post(f"{company.base_url}/events/show/actions/mark-everything-as-for-sale", auth=auth)
    assert refused.status_code == 429 and refused.json()["errors"][0]["code"] == "RATE_LIMIT_EXCEEDED"
    assert 0 < int(refused.headers["Retry-After"]) <= 24 * 3600


def test_an_edit_of_several_events_with_an_unknown_one_changes_none(company: SeatsioCompany) -> None:
    company.post_chart("hall", small_drawing())
    events = company.client.events
    events.create("hall", event_key="show")
    with pytest.raises(SeatsioException) as caught:
        events.edit_for_sale_config_for_events(
            {"show": {"not_for_sale": [{"object": "A-1"}]}, "nope": {"not_for_sale": [{"object": "A-1"}]}}
        )
    assert caught.value.errors[0]["code"] == "EVENT_NOT_FOUND"
    assert events.retrieve("show").for_sale_config is None  # the known event was not changed either
    assert events.retrieve_object_info("show", "A-1").for_sale is True
