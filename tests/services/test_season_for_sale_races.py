"""PostgreSQL: changes that read an event (or season) and write from what they read take turns with a
for-sale change on it, which locks its row first. Each test holds that lock in a transaction of its own, as a
for-sale change in flight does, and shows the other change waiting for it and then building on its result
(found by fuzzing: new events missed the season's config, an update undid a for-sale change, and two adds of
one channel gave a unique violation)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from boxoffice.domain.errors import AlreadyExists
from boxoffice.domain.for_sale import ForSaleConfig
from boxoffice.domain.records import Channel
from boxoffice.services import channels, for_sale, seasons
from boxoffice.services.events import get_event, update_event
from boxoffice.services.layouts import layout_for_event
from boxoffice.storage.uow import Database
from tests.factories import make_season

WAIT_S = 10.0


def _while_locked(db: Database, event_key: str, workspace: Any, other: Callable[[], Any]) -> dict[str, Any]:
    """Run `other` in a thread while this thread holds the event's row lock; it must still be waiting when
    the lock is released. Returns what `other` gave or raised."""
    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["result"] = other()
        except Exception as exc:  # the caller asserts on it
            outcome["error"] = exc

    with db.write() as uow:
        event = uow.events.by_key(workspace.id, event_key)
        assert event is not None
        uow.events.lock(event.id)
        thread = threading.Thread(target=run)
        thread.start()
        thread.join(0.5)
        assert thread.is_alive(), "the change did not wait for the row lock"
        outcome["before"] = True
    thread.join(WAIT_S)
    assert not thread.is_alive()
    return outcome


def test_events_created_while_a_season_change_is_in_flight_start_with_its_result(pg_db: Database) -> None:
    ws, season = make_season(pg_db, event_keys=("e1",))
    new_config = ForSaleConfig.of(False, ["A-1"])
    outcome: dict[str, Any] = {}

    def create() -> None:
        outcome["created"] = seasons.create_events_in_season(pg_db, ws, season.key, event_keys=["late"])

    # a for-sale change in flight, as for_sale._write makes it: the season's row locked, the season and its
    # members changed; the creation starts meanwhile and must read the season only after it commits (it
    # read the old config first, then waited at its insert, and the change had not listed the new event)
    with pg_db.write() as uow:
        top = uow.events.by_key(ws.id, season.key)
        assert top is not None
        uow.events.lock(top.id)
        creator = threading.Thread(target=create)
        creator.start()
        creator.join(0.5)
        assert creator.is_alive()
        for event in [top, *(uow.events.by_id(m.id) for m in uow.seasons.members(top.id))]:
            assert event is not None
            for_sale.apply_for_sale_config(uow, event, layout_for_event(uow, event.chart_id), new_config)
        uow.commit()
    creator.join(WAIT_S)
    assert "created" in outcome
    for key in ("season", "e1", "late"):
        assert for_sale.config_of(get_event(pg_db, ws, key)) == new_config


def test_a_season_change_made_before_new_events_commit_reaches_them(pg_db: Database) -> None:
    ws, season = make_season(pg_db, event_keys=("e1",))
    started = threading.Event()
    errors: list[BaseException] = []

    def change() -> None:
        started.set()
        try:
            for_sale.replace_for_sale(pg_db, ws, season.key, for_sale=False, objects=["A-2"])
        except BaseException as exc:  # asserted below
            errors.append(exc)

    # the creation holds the season (as _top_level locks it) while the change comes in: the change waits,
    # then reaches the new event too
    with pg_db.write() as uow:
        top = uow.events.by_key(ws.id, season.key)
        assert top is not None
        uow.events.lock(top.id)
        thread = threading.Thread(target=change)
        thread.start()
        started.wait(WAIT_S)
        thread.join(0.5)
        assert thread.is_alive(), "the for-sale change did not wait for the season's row"
    seasons.create_events_in_season(pg_db, ws, season.key, event_keys=["late"])
    thread.join(WAIT_S)
    assert not errors
    for key in ("season", "e1", "late"):
        assert for_sale.config_of(get_event(pg_db, ws, key)) == ForSaleConfig.of(False, ["A-2"])


def test_an_update_waits_for_a_for_sale_change_and_keeps_it(pg_db: Database) -> None:
    ws, _season = make_season(pg_db, event_keys=("e1",))
    outcome = _while_locked(pg_db, "e1", ws, lambda: update_event(pg_db, ws, "e1", name="Renamed"))
    assert "error" not in outcome
    # the same interleaving with a real change: hold e1, let an update queue behind a for-sale change
    with pg_db.write() as uow:
        event = uow.events.by_key(ws.id, "e1")
        assert event is not None
        uow.events.lock(event.id)
        changer = threading.Thread(
            target=lambda: for_sale.replace_for_sale(pg_db, ws, "e1", for_sale=False, objects=["B-1"])
        )
        changer.start()
        changer.join(0.3)
        updater = threading.Thread(target=lambda: update_event(pg_db, ws, "e1", name="Again"))
        updater.start()
        updater.join(0.3)
        assert changer.is_alive() and updater.is_alive()
    changer.join(WAIT_S)
    updater.join(WAIT_S)
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
