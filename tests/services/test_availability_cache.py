"""The in-process availability cache (services/availability.py) as best available sees it.

The cache is a hint, the compare-and-set the judge; but a hint that goes stale costs retries or, worse, hides
free seats. Here the cache's SeatFlags (the common request: no channel keys) are checked after every write
against what the database says is selectable (`storage.objects.selectable_seat_labels`), seat by seat, and
best available must pick the same from both.
"""

from __future__ import annotations

import time
from collections.abc import Collection, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime, timedelta

import pytest
from sqlalchemy import text

from boxoffice.domain.best_available import (
    BestAvailableChoice,
    BestAvailableRequest,
    SeatFlags,
    SeatIndex,
    Selectable,
    best_available,
)
from boxoffice.domain.errors import BestAvailableNotFound
from boxoffice.domain.records import Channel, Event, HoldToken, Workspace
from boxoffice.domain.statuses import BOOKED, FREE, HELD
from boxoffice.services import availability, channels, for_sale, hold_tokens
from boxoffice.services.audit import audit
from boxoffice.services.best_available import BestAvailableOrder, plan_best_available, take_best_available
from boxoffice.services.clock import utcnow
from boxoffice.services.events import require_event
from boxoffice.services.inventory import RowsLockedElsewhere, book, hold, put_up_for_resale, release
from boxoffice.services.layouts import seat_index_of
from boxoffice.services.reports import object_infos
from boxoffice.storage import objects as storage
from boxoffice.storage.database import make_engine
from boxoffice.storage.objects import NewObject, ObjectRow
from boxoffice.storage.uow import Database, UnitOfWork
from tests.factories import make_event

ROW_A = tuple(f"A-{n}" for n in range(1, 11))
ROW_B = tuple(f"B-{n}" for n in range(1, 11))
ROW_C = tuple(f"C-{n}" for n in range(1, 11))
REQUESTS = [BestAvailableRequest(n, try_to_prevent_orphan_seats=p) for n in (1, 2, 3, 4, 6) for p in (True, False)]


# --- helpers -----------------------------------------------------------------------------------------------


def _outcome(index: SeatIndex, selectable: Selectable, request: BestAvailableRequest) -> BestAvailableChoice | str:
    try:
        return best_available(index, selectable, request)
    except BestAvailableNotFound as exc:
        return f"not found: {exc}"


def cached_flags(db: Database, ws: Workspace, event_key: str, now: datetime, *, version: bool = True) -> SeatFlags:
    """What a pick with no channel keys reads from this process's cache (the event's version passed, as the
    best-available service passes it, unless `version=False`)."""
    with db.read() as uow:
        event = require_event(uow, ws, event_key)
        index = seat_index_of(uow, event)
        found = availability.selectable(
            uow,
            event.id,
            event.key,
            now,
            [],
            False,
            index=index,
            version=event.availability_version if version else None,
        )
    assert isinstance(found, SeatFlags)
    return found


def check(db: Database, ws: Workspace, event_key: str, now: datetime | None = None) -> tuple[SeatFlags, set[str]]:
    """The cache's flags equal the database's selectable seats (per row seat), and best available picks the
    same from both. Returns (flags, selectable labels as the database says)."""
    moment = now or utcnow()
    flags = cached_flags(db, ws, event_key, moment)
    with db.read() as uow:
        event = require_event(uow, ws, event_key)
        index = seat_index_of(uow, event)
        truth = storage.selectable_seat_labels(uow.connection, event.id, moment, [], False)
    for seg in index.view.segments:
        expected = bytes(label in truth for label in seg.labels)
        got = flags.segment(seg.uid)
        assert got == expected, (
            f"segment {seg.labels}: cache says {[lbl for lbl, f in zip(seg.labels, got, strict=True) if f]}, "
            f"database says {[lbl for lbl in seg.labels if lbl in truth]}"
        )
        assert flags.any_in(seg.uid) is (1 in expected)
    for request in REQUESTS:
        assert _outcome(index, flags, request) == _outcome(index, truth, request), request
    return flags, truth


def offered(db: Database, ws: Workspace, event_key: str, number: int, now: datetime | None = None) -> tuple[str, ...]:
    """The seats best available would pick now (without taking them), from the cache."""
    moment = now or utcnow()
    flags = cached_flags(db, ws, event_key, moment)
    with db.read() as uow:
        index = seat_index_of(uow, require_event(uow, ws, event_key))
    return best_available(index, flags, BestAvailableRequest(number)).labels


def event_index(db: Database, ws: Workspace, key: str) -> SeatIndex:
    with db.read() as uow:
        return seat_index_of(uow, require_event(uow, ws, key))


def version_of(db: Database, ws: Workspace, event_key: str) -> int:
    with db.read() as uow:
        return require_event(uow, ws, event_key).availability_version


def statuses(db: Database, ws: Workspace, event_key: str, labels: tuple[str, ...] | list[str]) -> set[str]:
    return {info.status for info in object_infos(db, ws, event_key, list(labels))}


@contextmanager
def second_process(db: Database) -> Iterator[Database]:
    """Another server process on the same database: its own engine (so its own cache), and its writes must not
    move this process's AVAILABILITY_GENERATION (they would not, in a real second process)."""
    if db.is_sqlite:
        other = Database(make_engine(db.engine.url.render_as_string(hide_password=False)))
    else:
        with db.engine.connect() as conn:
            schema = conn.execute(text("select current_schema()")).scalar_one()
        other = Database(make_engine(db.engine.url.render_as_string(hide_password=False), schema=schema))
    try:
        yield other
    finally:
        other.dispose()


@contextmanager
def generation_untouched() -> Iterator[None]:
    saved = storage.AVAILABILITY_GENERATION[0]
    try:
        yield
    finally:
        storage.AVAILABILITY_GENERATION[0] = saved


# --- the log: holds, bookings, releases --------------------------------------------------------------------


def test_flags_follow_holds_bookings_and_releases(db: Database) -> None:
    ws, event = make_event(db)
    key = event.key
    flags, _ = check(db, ws, key)
    assert offered(db, ws, key, 2) == ("A-5", "A-6")

    book(db, ws, [key], ["A-5", "A-6"])
    after, truth = check(db, ws, key)
    assert after is flags  # brought up to date from the log, not reloaded
    assert not {"A-5", "A-6"} & truth
    assert not {"A-5", "A-6"} & set(offered(db, ws, key, 2))

    token = hold_tokens.create_hold_token(db, ws)
    hold(db, ws, [key], ["A-3", "A-4", "A-7", "A-8"], token.token)
    assert check(db, ws, key)[0] is flags
    assert offered(db, ws, key, 2) == ("B-5", "B-6")  # closer than the pairs left in row A

    release(db, ws, [key], ["A-5"])
    assert "A-5" in check(db, ws, key)[1]
    release(db, ws, [key], ["A-3", "A-4"], hold_token=token.token)
    assert {"A-3", "A-4"} <= check(db, ws, key)[1]
    assert offered(db, ws, key, 3) == ("A-3", "A-4", "A-5")

    book(db, ws, [key], ["A-9"])
    put_up_for_resale(db, ws, [key], ["A-9"])  # resale is not free: never offered to a plain pick
    assert "A-9" not in check(db, ws, key)[1]

    taken: set[str] = set()
    for _ in range(4):
        result = take_best_available(db, ws, BestAvailableOrder(key, 3, BOOKED, order_id="o"))
        assert not taken & set(result.labels)
        taken |= set(result.labels)
        assert not taken & check(db, ws, key)[1]
    assert statuses(db, ws, key, sorted(taken)) == {BOOKED}

    held = take_best_available(db, ws, BestAvailableOrder(key, 2, HELD, hold_token=token.token))
    assert not set(held.labels) & check(db, ws, key)[1]
    assert statuses(db, ws, key, held.labels) == {HELD}
    assert check(db, ws, key)[0] is flags
    assert audit(db).clean


def test_a_sold_out_event_is_not_found_and_a_release_is_offered_again(db: Database) -> None:
    ws, event = make_event(db)
    key = event.key
    check(db, ws, key)
    book(db, ws, [key], [*ROW_A, *ROW_B, *ROW_C[:-1]])
    _, truth = check(db, ws, key)
    assert {label for label in truth if label[0] in "ABC"} == {"C-10"}
    with pytest.raises(BestAvailableNotFound):
        take_best_available(db, ws, BestAvailableOrder(key, 2, BOOKED))
    assert take_best_available(db, ws, BestAvailableOrder(key, 1, BOOKED)).labels == ("C-10",)
    with pytest.raises(BestAvailableNotFound):
        take_best_available(db, ws, BestAvailableOrder(key, 1, BOOKED))
    release(db, ws, [key], ["B-4", "B-5"])
    check(db, ws, key)
    assert take_best_available(db, ws, BestAvailableOrder(key, 2, BOOKED)).labels == ("B-4", "B-5")
    check(db, ws, key)
    assert audit(db).clean


# --- lapsing holds -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("built_before_the_hold", [True, False], ids=["flags-then-hold", "hold-then-flags"])
def test_a_lapsed_hold_becomes_pickable_again(db: Database, built_before_the_hold: bool) -> None:
    ws, event = make_event(db)
    key = event.key
    start = utcnow()
    if built_before_the_hold:
        check(db, ws, key, start)  # the hold then reaches the flags through the log (and the lapse heap)
    book(db, ws, [key], ["B-5"])
    put_up_for_resale(db, ws, [key], ["B-5"])
    token = hold_tokens.create_hold_token(db, ws, 1, now=start)  # lapses at start + 1 minute
    hold(db, ws, [key], ["A-5", "A-6", "B-5"], token.token)

    _, truth = check(db, ws, key, start)
    assert not {"A-5", "A-6", "B-5"} & truth
    assert offered(db, ws, key, 2, start) != ("A-5", "A-6")

    later = start + timedelta(minutes=2)
    _, truth = check(db, ws, key, later)
    assert {"A-5", "A-6"} <= truth  # held from free: free again
    assert "B-5" not in truth  # held from resale: resale again, not free
    assert offered(db, ws, key, 2, later) == ("A-5", "A-6")

    result = take_best_available(db, ws, BestAvailableOrder(key, 2, BOOKED, order_id="late"), now=later)
    assert result.labels == ("A-5", "A-6")
    assert statuses(db, ws, key, result.labels) == {BOOKED}
    assert not {"A-5", "A-6"} & check(db, ws, key, later)[1]
    assert audit(db).clean


def test_a_lapsed_hold_swept_by_the_expiry_job_stays_pickable(db: Database) -> None:
    from boxoffice.jobs.holds import expire

    ws, event = make_event(db)
    key = event.key
    start = utcnow()
    check(db, ws, key, start)
    token = hold_tokens.create_hold_token(db, ws, 1, now=start)
    hold(db, ws, [key], ["A-5", "A-6"], token.token)
    later = start + timedelta(minutes=2)
    assert {"A-5", "A-6"} <= check(db, ws, key, later)[1]
    assert expire(db, now=later) == 2  # the log now says free, as the flags already did
    assert {"A-5", "A-6"} <= check(db, ws, key, later)[1]
    assert statuses(db, ws, key, ["A-5", "A-6"]) == {FREE}


def test_a_hold_extended_past_the_cached_expiry_is_never_taken(db: Database) -> None:
    ws, event = make_event(db)
    key = event.key
    start = utcnow()
    check(db, ws, key, start)
    token = hold_tokens.create_hold_token(db, ws, 1, now=start)
    hold(db, ws, [key], ["A-5", "A-6"], token.token)
    before = version_of(db, ws, key)
    hold_tokens.expire_in_minutes(db, ws, token.token, 30, now=start)  # extended: the cache may lag, the judge won't
    assert version_of(db, ws, key) == before  # only an expiry brought forward moves the version

    later = start + timedelta(minutes=2)
    result = take_best_available(db, ws, BestAvailableOrder(key, 2, BOOKED), now=later)
    assert not {"A-5", "A-6"} & set(result.labels)
    assert statuses(db, ws, key, ["A-5", "A-6"]) == {HELD}
    _, truth = check(db, ws, key, later)  # the lost attempt re-read them: the cache agrees again
    assert not {"A-5", "A-6"} & truth
    assert audit(db).clean


def test_an_expiry_brought_forward_moves_the_version_and_frees_the_seats(db: Database) -> None:
    ws, event = make_event(db)
    key = event.key
    start = utcnow()
    check(db, ws, key, start)
    token = hold_tokens.create_hold_token(db, ws, 15, now=start)
    hold(db, ws, [key], ["A-5", "A-6"], token.token)
    assert not {"A-5", "A-6"} & check(db, ws, key, start)[1]

    idle = hold_tokens.create_hold_token(db, ws, 15, now=start)  # holds nothing here
    before = version_of(db, ws, key)
    hold_tokens.expire_in_minutes(db, ws, idle.token, 1, now=start)
    assert version_of(db, ws, key) == before

    hold_tokens.expire_in_minutes(db, ws, token.token, 1, now=start)
    assert version_of(db, ws, key) > before
    assert not {"A-5", "A-6"} & check(db, ws, key, start)[1]
    later = start + timedelta(minutes=2)  # past the new expiry, long before the old one
    assert {"A-5", "A-6"} <= check(db, ws, key, later)[1]
    assert offered(db, ws, key, 2, later) == ("A-5", "A-6")


def test_expiring_a_token_now_releases_its_seats(db: Database) -> None:
    ws, event = make_event(db)
    key = event.key
    check(db, ws, key)
    token = hold_tokens.create_hold_token(db, ws)
    hold(db, ws, [key], ["A-5", "A-6"], token.token)
    assert not {"A-5", "A-6"} & check(db, ws, key)[1]
    before = version_of(db, ws, key)
    hold_tokens.expire_in_minutes(db, ws, token.token, 0)
    assert version_of(db, ws, key) > before
    assert {"A-5", "A-6"} <= check(db, ws, key)[1]
    assert statuses(db, ws, key, ["A-5", "A-6"]) == {FREE}


# --- writes without a log entry: channels, forSale --------------------------------------------------------


def test_channel_changes_apply_on_the_next_pick(db: Database) -> None:
    ws, event = make_event(db)
    key = event.key
    check(db, ws, key)
    assert offered(db, ws, key, 2) == ("A-5", "A-6")
    seen = [version_of(db, ws, key)]

    def moved() -> bool:
        seen.append(version_of(db, ws, key))
        return seen[-1] > seen[-2]

    channels.add_channels(db, ws, key, [Channel("vip", "VIP", objects=ROW_A)])
    assert moved()
    _, truth = check(db, ws, key)
    assert not set(ROW_A) & truth
    assert offered(db, ws, key, 2) == ("B-5", "B-6")
    with_key = take_best_available(db, ws, BestAvailableOrder(key, 2, BOOKED, channel_keys=frozenset({"vip"})))
    assert set(with_key.labels) <= set(ROW_A)
    assert not set(ROW_A) & check(db, ws, key)[1]

    channels.update_channel(db, ws, key, "vip", objects=["A-1", "A-2"])
    assert moved()
    _, truth = check(db, ws, key)
    assert truth & set(ROW_A) == set(ROW_A) - {"A-1", "A-2"} - set(with_key.labels)

    channels.add_objects(db, ws, key, "vip", list(ROW_B))
    assert moved()
    assert not set(ROW_B) & check(db, ws, key)[1]

    channels.remove_objects(db, ws, key, "vip", ["B-5", "B-6"])
    assert moved()
    assert {"B-5", "B-6"} <= check(db, ws, key)[1]

    channels.replace_channels(db, ws, key, [Channel("press", "Press", objects=ROW_C)])
    assert moved()
    _, truth = check(db, ws, key)
    assert not set(ROW_C) & truth and {"A-1", "A-2", "B-1"} <= truth

    channels.remove_channel(db, ws, key, "press")
    assert moved()
    assert set(ROW_C) <= check(db, ws, key)[1]
    plain = take_best_available(db, ws, BestAvailableOrder(key, 2, BOOKED))
    assert not set(plain.labels) & check(db, ws, key)[1]
    assert audit(db).clean


def test_for_sale_changes_apply_on_the_next_pick(db: Database) -> None:
    ws, event = make_event(db)
    key = event.key
    check(db, ws, key)
    seen = [version_of(db, ws, key)]

    def moved() -> bool:
        seen.append(version_of(db, ws, key))
        return seen[-1] > seen[-2]

    for_sale.replace_for_sale(db, ws, key, for_sale=False, objects=["A-5", "A-6"])
    assert moved()
    assert not {"A-5", "A-6"} & check(db, ws, key)[1]
    assert not {"A-5", "A-6"} & set(offered(db, ws, key, 2))

    for_sale.replace_for_sale(db, ws, key, for_sale=False, objects=["A-5", "A-6"], categories=["2"])  # row A: 2
    assert moved()
    assert not set(ROW_A) & check(db, ws, key)[1]
    result = take_best_available(db, ws, BestAvailableOrder(key, 2, BOOKED))
    assert result.labels == ("B-5", "B-6")

    for_sale.edit_for_sale(db, ws, key, for_sale=[("B-5", None)], not_for_sale=[("C-5", None)])
    assert moved()
    _, truth = check(db, ws, key)
    assert "C-5" not in truth and "B-5" not in truth  # B-5 is back on sale, but booked

    for_sale.replace_for_sale(db, ws, key, for_sale=False, objects=["A-5", "A-6", "C-5"])  # row A back
    assert moved()
    assert set(ROW_A) - {"A-5", "A-6"} <= check(db, ws, key)[1]

    for_sale.replace_for_sale(db, ws, key, for_sale=False, objects=["A-1"])
    assert moved()
    _, truth = check(db, ws, key)
    assert "A-1" not in truth and {"A-5", "A-6", "C-5"} <= truth
    assert offered(db, ws, key, 2) == ("A-5", "A-6")
    assert audit(db).clean


def test_the_repository_writes_move_the_version(db: Database) -> None:
    ws, event = make_event(db)
    start = version_of(db, ws, event.key)
    with db.write() as uow:
        uow.objects.set_attributes(event.id, ["A-1"], for_sale=False)
        uow.objects.clear_channel(event.id)
        uow.objects.add_many(event.id, [NewObject("X-1", "seat", "1", None, 1)])
        uow.objects.availability_changed([])  # no event named: nothing moves in the database
        uow.commit()
    assert version_of(db, ws, event.key) == start + 3
    with db.write() as uow:
        uow.objects.set_attributes(event.id, ["A-2"], for_sale=False)
        # not committed: the version stays where it was
    assert version_of(db, ws, event.key) == start + 3
    _, other = make_event(db, ws)
    with db.write() as uow:
        uow.objects.availability_changed([event.id, other.id, event.id])
        uow.commit()
    assert version_of(db, ws, event.key) == start + 4
    assert version_of(db, ws, other.key) > 0


# --- another process ---------------------------------------------------------------------------------------


def test_a_copy_reloads_when_another_process_moves_the_version(db: Database) -> None:
    ws, event = make_event(db)
    key = event.key
    flags, _ = check(db, ws, key)
    with second_process(db) as other:
        # A log-driven change in the other process reaches this copy through the log, no reload needed.
        book(other, ws, [key], ["C-1"])
        assert "C-1" not in check(db, ws, key)[1]
        assert cached_flags(db, ws, key, utcnow()) is flags

        before = version_of(db, ws, key)
        with generation_untouched():
            channels.add_channels(other, ws, key, [Channel("vip", "VIP", objects=ROW_A)])
        assert version_of(db, ws, key) > before
        # Premise: nothing in this process says the copy is stale, only the version does.
        stale = cached_flags(db, ws, key, utcnow(), version=False)
        assert stale is flags and stale.any_in(event_index(db, ws, key).segment_of["A-5"])

        _, truth = check(db, ws, key)  # with the version, as the service passes it: reloaded
        assert not set(ROW_A) & truth
        assert cached_flags(db, ws, key, utcnow()) is not flags
        assert set(take_best_available(db, ws, BestAvailableOrder(key, 2, BOOKED)).labels) <= set(ROW_B)

        with generation_untouched():
            for_sale.replace_for_sale(other, ws, key, for_sale=False, objects=list(ROW_B))
        assert not set(ROW_B) & check(db, ws, key)[1]
        assert set(take_best_available(db, ws, BestAvailableOrder(key, 2, BOOKED)).labels) <= set(ROW_C)

        start = utcnow()
        token = hold_tokens.create_hold_token(other, ws, 15, now=start)
        hold(other, ws, [key], ["C-8", "C-9"], token.token)
        assert not {"C-8", "C-9"} & check(db, ws, key, start)[1]
        with generation_untouched():
            hold_tokens.expire_in_minutes(other, ws, token.token, 1, now=start)
        later = start + timedelta(minutes=2)
        assert {"C-8", "C-9"} <= check(db, ws, key, later)[1]
    assert audit(db).clean


def test_each_process_reloads_its_own_copy(db: Database) -> None:
    ws, event = make_event(db)
    key = event.key
    with second_process(db) as other:
        check(db, ws, key)
        check(other, ws, key)
        with generation_untouched():
            channels.add_channels(db, ws, key, [Channel("vip", "VIP", objects=ROW_A)])
        for process in (db, other):
            assert not set(ROW_A) & check(process, ws, key)[1]
        with generation_untouched():
            channels.remove_channel(other, ws, key, "vip")
        for process in (db, other):
            assert set(ROW_A) <= check(process, ws, key)[1]
            assert offered(process, ws, key, 2) == ("A-5", "A-6")


# --- the periodic full reload ------------------------------------------------------------------------------


def test_an_old_copy_is_reloaded_in_the_background(db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    ws, event = make_event(db)
    key = event.key
    flags, _ = check(db, ws, key)
    book(db, ws, [key], ["A-5", "A-6"])
    cache = availability._CACHE[db.engine][(event.id, key)]
    cache.log_position = 10**9  # as if these log entries were committed behind the position already read
    stale = cached_flags(db, ws, key, utcnow())
    assert stale is flags and stale.segment(event_index(db, ws, key).segment_of["A-5"])[4:6] == b"\x01\x01"

    monkeypatch.setattr(availability, "FULL_RELOAD_S", 0.0)
    assert cached_flags(db, ws, key, utcnow()) is flags  # the old copy serves while the reload runs
    deadline = time.monotonic() + 10
    while (event.id, key) in availability._LOADING.get(db.engine, set()) and time.monotonic() < deadline:
        time.sleep(0.01)
    assert (event.id, key) not in availability._LOADING.get(db.engine, set())
    fresh = availability._CACHE[db.engine][(event.id, key)]
    assert fresh is not cache and fresh.flags is not None  # built in the background, not on the next pick
    monkeypatch.setattr(availability, "FULL_RELOAD_S", 60.0)
    after, truth = check(db, ws, key)
    assert after is fresh.flags and not {"A-5", "A-6"} & truth


# --- channel seats through the log; picks in flight -------------------------------------------------------


def test_seats_in_a_channel_stay_out_of_plain_picks_whatever_the_log_says(db: Database) -> None:
    ws, event = make_event(db)
    key = event.key
    start = utcnow()
    channels.add_channels(db, ws, key, [Channel("vip", "VIP", objects=ROW_A)])
    check(db, ws, key, start)  # flags built after the channel write: the log path is what is tested next
    vip = frozenset({"vip"})
    book(db, ws, [key], ["A-1", "A-2"], channel_keys=vip)
    release(db, ws, [key], ["A-1", "A-2"], channel_keys=vip)  # free again, in the channel
    token = hold_tokens.create_hold_token(db, ws, 1, now=start)
    hold(db, ws, [key], ["A-5", "A-6"], token.token, channel_keys=vip)
    assert not set(ROW_A) & check(db, ws, key, start)[1]
    later = start + timedelta(minutes=2)  # the hold lapses: free in the channel, still not for a plain pick
    assert not set(ROW_A) & check(db, ws, key, later)[1]
    assert offered(db, ws, key, 2, later) == ("B-5", "B-6")
    with_key = take_best_available(db, ws, BestAvailableOrder(key, 2, BOOKED, channel_keys=vip), now=later)
    assert with_key.labels == ("A-5", "A-6")


def test_seats_being_taken_are_hidden_and_given_back_if_the_take_fails(db: Database) -> None:
    ws, event = make_event(db)
    key = event.key
    index = event_index(db, ws, key)
    flags, _ = check(db, ws, key)

    def flag(label: str) -> int:
        uid, offset = index.position_of[label]
        return flags.segment(uid)[offset]

    claiming = ["A-5", "A-6"]
    with db.read() as uow, pytest.raises(RuntimeError), availability.claimed(uow, event.id, key, claiming):
        assert (flag("A-5"), flag("A-6")) == (0, 0)
        assert offered(db, ws, key, 2) == ("A-3", "A-4")  # another pick in this process goes around them
        raise RuntimeError("the take failed")
    assert (flag("A-5"), flag("A-6")) == (1, 1)
    check(db, ws, key)

    with db.read() as uow, availability.claimed(uow, event.id, key, ["A-5", "A-6"]):
        pass  # taken (the caller commits next): hidden before the log says so
    assert (flag("A-5"), flag("A-6")) == (0, 0)
    book(db, ws, [key], ["A-5", "A-6"])
    check(db, ws, key)


class _LockedElsewhereOnce:
    """A group commit's shared reads (services/best_available.SharedReads) whose first lock meets rows that
    another transaction has locked."""

    def __init__(self, uow: UnitOfWork, locked: list[str]) -> None:
        self.uow = uow
        self.locked = locked
        self.calls = 0
        self.claims: list[availability.Claim] = []

    def lock(self, event_id: int, labels: list[str]) -> dict[str, ObjectRow]:
        self.calls += 1
        if self.calls == 1:
            raise RowsLockedElsewhere(self.locked)
        return self.uow.objects.lock(event_id, labels)

    def taken(self, event_id: int) -> Collection[str]:
        return ()

    def locked_rows(self, event_id: int, labels: Sequence[str]) -> list[availability.SeatRow]:
        return []

    def events(self, workspace: Workspace, keys: Sequence[str]) -> list[Event]:
        return [require_event(self.uow, workspace, k) for k in keys]

    def hold_token(self, workspace_id: int, token: str) -> HoldToken | None:
        return self.uow.hold_tokens.get(workspace_id, token)

    def refresh_availability(self, event_id: int) -> bool:
        return True

    def claimed(self, claim: availability.Claim) -> None:
        self.claims.append(claim)


def test_a_lapsed_hold_in_a_failed_take_is_given_back(db: Database) -> None:
    ws, event = make_event(db)
    key = event.key
    start = utcnow()
    check(db, ws, key, start)
    token = hold_tokens.create_hold_token(db, ws, 1, now=start)
    hold(db, ws, [key], ["A-5"], token.token)
    later = start + timedelta(minutes=2)
    flags, truth = check(db, ws, key, later)
    assert {"A-5", "A-6"} <= truth
    with db.write() as uow:
        shared = _LockedElsewhereOnce(uow, ["A-6"])
        result, _ = plan_best_available(uow, ws, BestAvailableOrder(key, 2, BOOKED), later, shared=shared)
        assert shared.calls == 2 and "A-6" not in result.labels  # A-6 forgotten: another transaction takes it
        # the batch does not commit: what the second attempt claimed is given back, as a failed batch does
    for claim in shared.claims:
        claim.give_back()
    # A-6 stays hidden by design (forgotten until the log or a reload says otherwise). A-5 was in the failed
    # first attempt only: a lapsed hold, free to take, it must be offered again, now and on the next pick.
    uid, offset = event_index(db, ws, key).position_of["A-5"]
    assert cached_flags(db, ws, key, later + timedelta(seconds=1)) is flags
    assert flags.segment(uid)[offset] == 1, "A-5 (a lapsed hold, free to take) is no longer offered"
