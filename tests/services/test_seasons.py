"""Seasons in the services: a change named on a season reaches its events, all or nothing, logged."""

from __future__ import annotations

import pytest

from boxoffice.domain.errors import AlreadyExists, EventNotFound, IllegalStatusChange, InvalidInput
from boxoffice.domain.records import Workspace
from boxoffice.domain.statuses import BOOKED, FREE, HELD
from boxoffice.services import hold_tokens, seasons
from boxoffice.services.audit import audit
from boxoffice.services.best_available import BestAvailableOrder, take_best_available
from boxoffice.services.events import EventSpec, create_event, delete_event, get_event
from boxoffice.services.inventory import ObjectRequest, book, hold, release
from boxoffice.services.reports import object_infos
from boxoffice.storage.uow import Database
from tests.factories import make_season, make_workspace, small_drawing


def status(db: Database, ws: Workspace, event_key: str, label: str) -> tuple[str, str | None]:
    info = object_infos(db, ws, event_key, [label])[0]
    return info.status, info.order_id


def members(db: Database, ws: Workspace, season_key: str) -> list[str]:
    season = get_event(db, ws, season_key)
    return [e.key for e in seasons.season_links(db, [season], with_members=True)[season.id].events or ()]


def assert_clean(db: Database) -> None:
    report = audit(db)
    assert report.clean, report.problems


def test_booking_a_season_books_it_in_the_season_and_each_event(db: Database) -> None:
    ws, season = make_season(db)

    changed = book(db, ws, [season.key], ["A-1", "A-2"], order_id="o1")

    assert changed.by_event == {"season": ["A-1", "A-2"]}  # the answer names what was asked for
    for key in ("season", "event1", "event2"):
        assert status(db, ws, key, "A-1") == (BOOKED, "o1")
        assert status(db, ws, key, "A-2") == (BOOKED, "o1")
    release(db, ws, [season.key], ["A-1"])
    for key in ("season", "event1", "event2"):
        assert status(db, ws, key, "A-1")[0] == FREE
        assert status(db, ws, key, "A-2")[0] == BOOKED
    assert_clean(db)


def test_a_season_hold_holds_every_event_under_the_token_and_books_with_it(db: Database) -> None:
    ws, season = make_season(db)
    token = hold_tokens.create_hold_token(db, ws, 15).token

    hold(db, ws, [season.key], ["B-1"], token)
    assert {object_infos(db, ws, k, ["B-1"])[0].status for k in ("season", "event1", "event2")} == {HELD}
    with pytest.raises(IllegalStatusChange):
        book(db, ws, ["event1"], ["B-1"])  # the event cannot sell what the season holds
    book(db, ws, [season.key], ["B-1"], hold_token=token, order_id="o2")

    assert {status(db, ws, k, "B-1") for k in ("season", "event1", "event2")} == {(BOOKED, "o2")}
    assert_clean(db)


def test_a_season_cannot_take_what_one_event_has_sold_and_changes_nothing(db: Database) -> None:
    ws, season = make_season(db)
    book(db, ws, ["event2"], ["A-3"], order_id="single")

    with pytest.raises(IllegalStatusChange) as caught:
        book(db, ws, [season.key], ["A-2", "A-3"], order_id="season-ticket")

    assert caught.value.event_key == "event2" and caught.value.label == "A-3"
    for key in ("season", "event1", "event2"):
        assert status(db, ws, key, "A-2")[0] == FREE
    own = object_infos(db, ws, "season", ["A-3"], season_bookings_propagated=False)[0]
    assert own.status == FREE and status(db, ws, "season", "A-3") == (BOOKED, None)  # shown as event2 has it
    assert status(db, ws, "event2", "A-3") == (BOOKED, "single")
    assert_clean(db)


def test_general_admission_places_taken_for_the_season_are_taken_in_its_events(db: Database) -> None:
    ws, season = make_season(db, drawing=small_drawing(ga_capacity=5))

    book(db, ws, [season.key], [ObjectRequest("GA", quantity=3)], order_id="o1")

    with pytest.raises(IllegalStatusChange):
        book(db, ws, ["event1"], [ObjectRequest("GA", quantity=3)])
    book(db, ws, ["event1"], [ObjectRequest("GA", quantity=2)])
    assert_clean(db)


def test_a_season_shows_the_ga_places_free_in_every_one_of_its_events(db: Database) -> None:
    """seats.io: at the season level, an area has the places a season booking could still take."""
    ws, season = make_season(db, drawing=small_drawing(ga_capacity=5))
    book(db, ws, [season.key], [ObjectRequest("GA", quantity=1)])
    book(db, ws, ["event1"], [ObjectRequest("GA", quantity=3)])
    ga = object_infos(db, ws, season.key, ["GA"])[0]
    assert (ga.num_free, ga.num_booked, ga.status, ga.is_available) == (1, 1, FREE, True)
    with pytest.raises(IllegalStatusChange):
        book(db, ws, [season.key], [ObjectRequest("GA", quantity=2)])  # as shown: event1 has 1 left
    book(db, ws, ["event1"], [ObjectRequest("GA", quantity=1)])
    ga = object_infos(db, ws, season.key, ["GA"])[0]
    assert (ga.num_free, ga.status, ga.is_available, ga.availability_reason) == (0, BOOKED, False, BOOKED)
    own = object_infos(db, ws, season.key, ["GA"], season_bookings_propagated=False)[0]
    assert (own.num_free, own.status, own.is_available) == (4, FREE, True)  # the season's own places
    assert object_infos(db, ws, "event2", ["GA"])[0].num_free == 4
    assert_clean(db)


def test_a_partial_season_books_itself_and_its_events_and_blocks_the_top_level_season(db: Database) -> None:
    ws, season = make_season(db, event_keys=("e1", "e2", "e3"))
    partial = seasons.create_partial_season(db, ws, season.key, key="half", event_keys=["e1", "e2"])

    book(db, ws, [partial.key], ["A-1"], order_id="half-ticket")

    assert [status(db, ws, k, "A-1")[0] for k in ("half", "e1", "e2", "e3")] == [BOOKED, BOOKED, BOOKED, FREE]
    assert status(db, ws, "season", "A-1")[0] == BOOKED  # shown as taken: the season can no longer sell it
    assert object_infos(db, ws, "season", ["A-1"], season_bookings_propagated=False)[0].status == FREE
    with pytest.raises(IllegalStatusChange):
        book(db, ws, [season.key], ["A-1"])  # unavailable in the top-level season
    book(db, ws, ["e3"], ["A-1"])  # e3 is not in the partial season
    assert_clean(db)


def test_new_events_of_a_season_start_with_what_the_season_has_taken(db: Database) -> None:
    ws, season = make_season(db, drawing=small_drawing(ga_capacity=5), event_keys=("e1",))
    token = hold_tokens.create_hold_token(db, ws, 15).token
    book(db, ws, [season.key], ["A-1", ObjectRequest("GA", quantity=2)], order_id="o1")
    hold(db, ws, [season.key], ["A-2"], token)

    created = seasons.create_events_in_season(db, ws, season.key, event_keys=["e2", "e3"])

    assert [e.key for e in created] == ["e3", "e2"]  # newest first, as seats.io answers
    for key in ("e2", "e3"):
        assert status(db, ws, key, "A-1") == (BOOKED, "o1")
        assert object_infos(db, ws, key, ["A-2"])[0].hold_token == token
        with pytest.raises(IllegalStatusChange):
            book(db, ws, [key], [ObjectRequest("GA", quantity=4)])
    book(db, ws, [season.key], ["A-2"], hold_token=token)
    assert {status(db, ws, k, "A-2")[0] for k in ("season", "e1", "e2", "e3")} == {BOOKED}
    assert_clean(db)


def test_events_added_to_a_partial_season_take_on_what_it_has_taken_or_nothing_changes(db: Database) -> None:
    ws, season = make_season(db, event_keys=("e1", "e2", "e3"))
    seasons.create_partial_season(db, ws, season.key, key="half", event_keys=["e1"])
    book(db, ws, ["half"], ["A-1"], order_id="half-ticket")
    book(db, ws, ["e3"], ["A-1"], order_id="e3-only")

    with pytest.raises(IllegalStatusChange):
        seasons.add_events_to_partial_season(db, ws, season.key, "half", ["e2", "e3"])
    assert status(db, ws, "e2", "A-1")[0] == FREE
    assert members(db, ws, "half") == ["e1"]

    seasons.add_events_to_partial_season(db, ws, season.key, "half", ["e2"])
    assert status(db, ws, "e2", "A-1") == (BOOKED, "half-ticket")
    assert_clean(db)


def test_override_frees_a_season_object_for_one_event_and_the_season_passes_it_by(db: Database) -> None:
    ws, season = make_season(db)
    book(db, ws, [season.key], ["A-1"], order_id="holder")

    seasons.override_season_status(db, ws, "event1", ["A-1"])
    assert status(db, ws, "event1", "A-1")[0] == FREE
    book(db, ws, ["event1"], ["A-1"], order_id="resold")  # resold for that one night

    with pytest.raises(IllegalStatusChange):
        seasons.use_season_status(db, ws, "event1", ["A-1"])  # sold since: the season cannot take it back
    release(db, ws, [season.key], ["A-1"])
    assert status(db, ws, "event1", "A-1") == (BOOKED, "resold")  # the season's release passed it by
    assert status(db, ws, "event2", "A-1")[0] == FREE
    with pytest.raises(IllegalStatusChange):
        book(db, ws, [season.key], ["A-1"])  # and the override ended with the season's hold on it
    assert_clean(db)


def test_use_season_status_takes_the_season_status_back(db: Database) -> None:
    ws, season = make_season(db)
    book(db, ws, [season.key], ["A-1"], order_id="holder")
    seasons.override_season_status(db, ws, "event1", ["A-1"])

    seasons.use_season_status(db, ws, "event1", ["A-1"])

    assert status(db, ws, "event1", "A-1") == (BOOKED, "holder")
    release(db, ws, [season.key], ["A-1"])
    assert status(db, ws, "event1", "A-1")[0] == FREE
    assert_clean(db)


def test_an_override_of_what_the_season_has_not_taken_keeps_the_object_the_events(db: Database) -> None:
    """As on seats.io: the event's object is its own from then on, and the season's sale passes it by."""
    ws, season = make_season(db)
    seasons.override_season_status(db, ws, "event1", ["A-1"])
    assert [i.season_status_overridden_quantity for i in object_infos(db, ws, "event1", ["A-1", "A-2"])] == [1, 0]
    book(db, ws, [season.key], ["A-1"])
    assert status(db, ws, "event1", "A-1")[0] == FREE  # passed by
    assert status(db, ws, "event2", "A-1")[0] == BOOKED
    book(db, ws, ["event1"], ["A-1"], order_id="single")  # sold on its own
    assert status(db, ws, "event1", "A-1") == (BOOKED, "single")
    with pytest.raises(IllegalStatusChange):
        seasons.override_season_status(db, ws, "event1", ["A-1"])  # overridden already
    assert_clean(db)


def test_bad_season_calls_are_refused_and_change_nothing(db: Database) -> None:
    ws, season = make_season(db)
    other_ws, other = make_season(db, make_workspace(db), key="other", event_keys=("x1",))
    plain = create_event(db, ws, EventSpec(chart_key=season.chart_key, key="plain"))

    with pytest.raises(EventNotFound):
        seasons.create_events_in_season(db, ws, "nope", number_of_events=1)
    with pytest.raises(seasons.NotASeason):
        seasons.create_events_in_season(db, ws, plain.key, number_of_events=1)
    with pytest.raises(InvalidInput):
        seasons.create_partial_season(db, ws, season.key, key="p", event_keys=["event1", "plain"])
    with pytest.raises(EventNotFound):
        seasons.create_partial_season(db, ws, season.key, key="p", event_keys=["x1"])  # another workspace's
    with pytest.raises(InvalidInput):
        seasons.create_events_in_season(db, ws, season.key, event_keys=["new", "new"])
    with pytest.raises(AlreadyExists):
        seasons.create_events_in_season(db, ws, season.key, event_keys=["fresh", "plain"])
    with pytest.raises(EventNotFound):
        get_event(db, ws, "p")
    with pytest.raises(EventNotFound):
        get_event(db, ws, "fresh")
    links = seasons.season_links(db, [get_event(db, ws, season.key)], with_members=True)[season.id]
    assert members(db, ws, season.key) == ["event1", "event2"] and links.partial_season_keys == ()
    assert other_ws.id != ws.id and other.key == "other"


def test_best_available_on_a_season_picks_seats_free_in_every_event_and_takes_them_all(db: Database) -> None:
    ws, season = make_season(db)
    book(db, ws, ["event2"], ["A-5", "A-6"], order_id="single")  # the best seats, sold in one event

    result = take_best_available(
        db, ws, BestAvailableOrder(event_key=season.key, number=2, status=BOOKED, order_id="holder")
    )

    assert len(result.labels) == 2 and not set(result.labels) & {"A-5", "A-6"}
    for key in ("season", "event1", "event2"):
        assert {status(db, ws, key, label) for label in result.labels} == {(BOOKED, "holder")}
    with pytest.raises(InvalidInput):
        take_best_available(db, ws, BestAvailableOrder(event_key=season.key, number=2, status=HELD))  # no token
    assert_clean(db)


def test_deleting_a_season_leaves_its_events_as_plain_events(db: Database) -> None:
    ws, season = make_season(db)
    seasons.create_partial_season(db, ws, season.key, key="half", event_keys=["event1"])
    book(db, ws, [season.key], ["A-1"], order_id="holder")

    delete_event(db, ws, season.key)

    event = get_event(db, ws, "event1")
    assert event.top_level_season_id is None and not event.is_season
    with pytest.raises(EventNotFound):
        get_event(db, ws, "half")
    assert status(db, ws, "event1", "A-1") == (BOOKED, "holder")
    release(db, ws, ["event1"], ["A-1"])
