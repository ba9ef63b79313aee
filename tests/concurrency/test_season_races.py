"""Seasons raced on PostgreSQL: callers book one seat at once, some for the season, some for single events of
it (and for a partial season), as plain transactions and through the group commit.

What they prove: per (seat, event) at most one caller wins, and never a seat booked in an event by one caller
and in its season by another; every loser gets a domain error; the log replays to what is stored.

No control test here: the guard is not new. A season's booking locks and compare-and-sets the very rows an
event's booking does (the event's own), so the race is the one test_postgres_races.py already shows
double-selling without the guard (its control switches off that same row lock and compare-and-set).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from functools import partial
from typing import Any

from boxoffice.domain.errors import Busy, IllegalStatusChange
from boxoffice.domain.records import Workspace
from boxoffice.domain.statuses import BOOKED, FREE
from boxoffice.services import seasons
from boxoffice.services.group_commit import committer_for
from boxoffice.services.inventory import ChangedObjects, ObjectRequest, StatusChangeRequest, book
from boxoffice.services.reports import object_infos
from boxoffice.storage.uow import Database
from tests.concurrency.conftest import THREADS
from tests.concurrency.race import race
from tests.concurrency.test_group_commit_races import clean_audit, submit_all, unexpected
from tests.factories import make_season

LOSERS = (IllegalStatusChange, Busy)
EVENTS = ("e1", "e2", "e3", "e4")
PARTIAL_EVENTS = ("e1", "e2")


def target(i: int) -> str:
    """Caller i's key: the season (every 4th), the partial season (every 8th, offset), else one event."""
    if i % 4 == 0:
        return "season"
    if i % 8 == 1:
        return "half"
    return EVENTS[(i // 2) % len(EVENTS)]


def reaches(key: str) -> tuple[str, ...]:
    """The events (and seasons) a booking under `key` books."""
    if key == "season":
        return ("season", *EVENTS)
    if key == "half":
        return ("half", *PARTIAL_EVENTS)
    return (key,)


def assert_no_double_sale(db: Database, ws: Workspace, winners: list[int]) -> None:
    booked_by: dict[str, list[int]] = {}
    for i in winners:
        for key in reaches(target(i)):
            booked_by.setdefault(key, []).append(i)
    for key, callers in booked_by.items():
        assert len(callers) <= 1, f"A-1 of {key} went to callers {callers}"
    for key in ("season", "half", *EVENTS):
        info = object_infos(db, ws, key, ["A-1"], season_bookings_propagated=False)[0]  # as stored
        if key in booked_by:
            assert (info.status, info.order_id) == (BOOKED, f"order-{booked_by[key][0]}"), key
        else:
            assert info.status == FREE, key
    season_won = [i for i in winners if target(i) == "season"]
    if season_won:  # the season's buyer has A-1 everywhere: nobody else anywhere
        assert winners == season_won
    clean_audit(db, ws)


def with_partial(db: Database) -> Workspace:
    ws, season = make_season(db, event_keys=EVENTS)
    seasons.create_partial_season(db, ws, season.key, key="half", event_keys=list(PARTIAL_EVENTS))
    return ws


def test_64_callers_book_one_seat_through_season_partial_season_and_events(race_db: Database) -> None:
    ws = with_partial(race_db)

    result = race(THREADS, lambda i: book(race_db, ws, [target(i)], ["A-1"], order_id=f"order-{i}"))

    assert not result.unexpected(LOSERS)
    winners = sorted(o.index for o in result.successes)
    assert winners, "nobody won"
    assert_no_double_sale(race_db, ws, winners)
    print(f"\n[season race] winners {[(i, target(i)) for i in winners]} in {result.seconds:.2f}s")


def test_64_callers_through_the_group_commit_season_and_events(race_db: Database) -> None:
    ws = with_partial(race_db)
    committer = committer_for(race_db)

    def request(i: int) -> StatusChangeRequest:
        return StatusChangeRequest(
            event_keys=(target(i),), objects=(ObjectRequest("A-1"),), status=BOOKED, order_id=f"order-{i}"
        )

    calls: list[Callable[[], Awaitable[ChangedObjects]]] = [
        partial(committer.change_status, ws, request(i)) for i in range(THREADS)
    ]
    outcomes: list[Any] = submit_all(calls)

    assert not unexpected(outcomes, LOSERS)
    winners = [i for i, o in enumerate(outcomes) if not isinstance(o, BaseException)]
    assert winners, "nobody won"
    assert_no_double_sale(race_db, ws, winners)
