"""PostgreSQL: changes that read an event (or season) and write from what they read take turns with a
for-sale change on it, which locks its row first. Each test holds that lock in a transaction of its own, as a
for-sale change in flight does, and shows the other change waiting for it and then building on its result
(found by fuzzing: new events missed the season's config, an update undid a for-sale change, and two adds of
one channel gave a unique violation)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from boxoffice.domain.errors import AlreadyExists
from boxoffice.domain.for_sale import ForSaleConfig
from boxoffice.domain.records import Channel, Event, Workspace
from boxoffice.services import channels, for_sale, seasons
from boxoffice.services.events import get_event, update_event
from boxoffice.services.layouts import layout_for_event
from boxoffice.storage.uow import Database, UnitOfWork
from tests.factories import make_season

WAIT_S = 10.0


@contextmanager
def _row_locked(db: Database, workspace: Workspace, key: str) -> Iterator[tuple[UnitOfWork, Event]]:
    """A transaction holding the event's (or season's) row lock, as a change in flight holds it."""
    with db.write() as uow:
        found = uow.events.by_key(workspace.id, key)
        assert found is not None
        event = uow.events.locked(found.id)
        assert event is not None
        yield uow, event


def _waiting(target: Callable[[], Any]) -> tuple[threading.Thread, list[BaseException]]:
    """`target` started in a thread that must still be waiting (for a row lock) half a second later; the
    list gets what it raises."""
    errors: list[BaseException] = []

    def run() -> None:
        try:
            target()
        except BaseException as exc:  # the caller asserts on it
            errors.append(exc)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(0.5)
    assert thread.is_alive(), "it did not wait for the row lock"
    return thread, errors


def test_events_created_while_a_season_change_is_in_flight_start_with_its_result(pg_db: Database) -> None:
    ws, season = make_season(pg_db, event_keys=("e1",))
    new_config = ForSaleConfig.of(False, ["A-1"])

    # a for-sale change in flight, as for_sale._write makes it: the season's row locked, the season and its
    # members changed; the creation starts meanwhile and must read the season only after it commits (it
    # read the old config first, then waited at its insert, and the change had not listed the new event)
    with _row_locked(pg_db, ws, season.key) as (uow, top):
        creator, errors = _waiting(lambda: seasons.create_events_in_season(pg_db, ws, season.key, event_keys=["late"]))
        for event in [top, *(uow.events.by_id(m.id) for m in uow.seasons.members(top.id))]:
            assert event is not None
            for_sale.apply_for_sale_config(uow, event, layout_for_event(uow, event.chart_id), new_config)
        uow.commit()
    creator.join(WAIT_S)
    assert not creator.is_alive() and not errors
    for key in ("season", "e1", "late"):
        assert for_sale.config_of(get_event(pg_db, ws, key)) == new_config


def test_a_season_change_made_before_new_events_commit_reaches_them(pg_db: Database) -> None:
    ws, season = make_season(pg_db, event_keys=("e1",))

    # a creation in flight, holding the season's row as create-events does (seasons._top_level): the for-sale
    # change waits for it, then lists the season's events, the new one among them
    with _row_locked(pg_db, ws, season.key) as (uow, top):
        seasons._new_events(uow, ws, top, ("late",), None)
        changer, errors = _waiting(
            lambda: for_sale.replace_for_sale(pg_db, ws, season.key, for_sale=False, objects=["A-2"])
        )
        uow.commit()
    changer.join(WAIT_S)
    assert not changer.is_alive() and not errors
    for key in ("season", "e1", "late"):
        assert for_sale.config_of(get_event(pg_db, ws, key)) == ForSaleConfig.of(False, ["A-2"])


def test_an_update_waits_for_a_for_sale_change_and_keeps_it(pg_db: Database) -> None:
    ws, _season = make_season(pg_db, event_keys=("e1",))
    with _row_locked(pg_db, ws, "e1"):
        updater, errors = _waiting(lambda: update_event(pg_db, ws, "e1", name="Renamed"))
    updater.join(WAIT_S)
    assert not updater.is_alive() and not errors
    # the same interleaving with a real change: hold e1, let an update queue behind a for-sale change
    with _row_locked(pg_db, ws, "e1"):
        changer, errors = _waiting(lambda: for_sale.replace_for_sale(pg_db, ws, "e1", for_sale=False, objects=["B-1"]))
        updater, more_errors = _waiting(lambda: update_event(pg_db, ws, "e1", name="Again"))
    changer.join(WAIT_S)
    updater.join(WAIT_S)
    assert not errors and not more_errors
    e1 = get_event(pg_db, ws, "e1")
    assert e1.name == "Again"
    assert for_sale.config_of(e1) == ForSaleConfig.of(False, ["B-1"])  # not written back as it was before


def test_one_channel_added_twice_at_once_is_added_once_and_the_other_hears_already_exists(pg_db: Database) -> None:
    ws, _season = make_season(pg_db, event_keys=("e1",))
    barrier = threading.Barrier(8, timeout=WAIT_S)
    outcomes: list[str] = []

    def add() -> None:
        barrier.wait()
        try:
            channels.add_channels(pg_db, ws, "e1", [Channel("dup", "Dup", "#123456", None, ())])
            outcomes.append("added")
        except AlreadyExists:
            outcomes.append("exists")
        except Exception as exc:  # anything else is the bug this test is about
            outcomes.append(repr(exc))

    threads = [threading.Thread(target=add) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(WAIT_S)
    assert sorted(outcomes) == ["added"] + ["exists"] * 7
    assert [c.key for c in channels.list_channels(pg_db, ws, "e1")] == ["dup"]
