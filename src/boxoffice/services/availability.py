"""Which seats of an event best available may pick: an in-process cache, so a pick does not read 100,000 rows.

A hint, never the judge: the take still goes through the lock and the compare-and-set, so a seat the cache
wrongly thinks free only costs a retry (and that seat is re-read). Kept fresh by

* the status-change log: every status change appends to it in the same transaction, so each use reads the
  log entries after the last one seen (an indexed range, usually a handful) and re-reads those seats;
* lapsed holds without a log entry: a held seat is stored with its hold's expiry and counts as free from then;
* writes that change selectability without a log entry (channels, forSale, categories, new objects, a hold
  token's expiry brought forward) bump ``storage.objects.AVAILABILITY_GENERATION`` in this process and the
  event's ``availability_version`` in the database, in the same transaction: the copy is reloaded before
  its next use, in this process or any other that reads the event;
* a log entry committed out of id order (a slower transaction that took a lower id) is caught by a full
  reload every ``FULL_RELOAD_S``, done in the background while the old copy serves.

For the common request (no channel keys) the copy also keeps ``SeatFlags``: per row segment, one byte per
seat, so best available scans whole rows in C and skips full ones without looking at a seat.
"""

from __future__ import annotations

import heapq
import logging
import threading
import time
import weakref
from collections.abc import Collection, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine

from boxoffice.domain.best_available import SeatFlags, SeatIndex, Selectable
from boxoffice.domain.statuses import FREE, HELD
from boxoffice.services.clock import utcnow
from boxoffice.storage import objects as storage
from boxoffice.storage.pick_board import PickBoard, board_of
from boxoffice.storage.uow import UnitOfWork

FULL_RELOAD_S = 60.0
log = logging.getLogger("boxoffice.availability")
_NONE: Any = object()  # "no channel" in the free map is None; this marks "not selectable"


@dataclass
class _Seats:
    generation: int
    loaded_at: float
    log_position: int
    version: int | None  # the event's availability_version when loaded (None: not known)
    free: dict[str, str | None] = field(default_factory=dict)  # label -> channel key (free and for sale)
    lapsing: dict[str, tuple[datetime, str | None]] = field(default_factory=dict)  # held from free: expiry, channel
    # Seats a pick in this process is taking right now: other picks here skip them rather than queue on
    # their row locks and lose (64 callers would otherwise all pick, and fight over, the same best seats).
    pending: set[str] = field(default_factory=set)
    lock: threading.Lock = field(default_factory=threading.Lock)  # serialises every write to this copy
    # The same, for the common request (no channel keys): seats free in no channel, as per-segment bytes
    # (domain SeatFlags), so a pick reads whole rows at C speed. Built on first use, kept up to date below.
    flags: SeatFlags | None = None
    lapse_order: list[tuple[datetime, str]] = field(default_factory=list)  # heap of lapsing (expiry, label)

    def apply(self, rows: Iterable[tuple[str, str, str | None, bool, str | None, Any]]) -> None:
        for label, status, before_hold, for_sale, channel_key, expires_at in rows:
            self.take(label)
            if not for_sale:
                continue
            if status == FREE:
                self.free[label] = channel_key
                if self.flags is not None and channel_key is None:
                    self.flags.set(label, True)
            elif status == HELD and before_hold in (None, FREE) and expires_at is not None:
                self.lapsing[label] = (expires_at, channel_key)
                if self.flags is not None:
                    heapq.heappush(self.lapse_order, (expires_at, label))

    def take(self, label: str) -> None:
        self.free.pop(label, None)
        self.lapsing.pop(label, None)
        if self.flags is not None:
            self.flags.set(label, False)

    def offer_again(self, label: str) -> None:
        """Undo a claim's hiding of `label` in the flags: set again if free, its lapse re-judged if held."""
        if self.flags is None:
            return
        if label in self.free and self.free[label] is None:
            self.flags.set(label, True)
        elif label in self.lapsing and self.lapsing[label][1] is None:
            heapq.heappush(self.lapse_order, (self.lapsing[label][0], label))

    def seat_flags(self, index: SeatIndex, now: datetime) -> SeatFlags:
        """The flags (built on first use), with every hold that has lapsed by `now` counted free."""
        with self.lock:
            if self.flags is None:
                self.flags = SeatFlags(index)
                for label, channel_key in self.free.items():
                    if channel_key is None and label not in self.pending:
                        self.flags.set(label, True)
                self.lapse_order = [(expiry, label) for label, (expiry, _) in self.lapsing.items()]
                heapq.heapify(self.lapse_order)
            order = self.lapse_order
            while order and order[0][0] <= now:
                expiry, label = heapq.heappop(order)
                held = self.lapsing.get(label)
                if held is not None and held == (expiry, None) and label not in self.pending:
                    self.flags.set(label, True)
            return self.flags


_CACHE: weakref.WeakKeyDictionary[Engine, dict[tuple[int, str], _Seats]] = weakref.WeakKeyDictionary()
_LOADING: weakref.WeakKeyDictionary[Engine, set[tuple[int, str]]] = weakref.WeakKeyDictionary()
_CACHE_LOCK = threading.Lock()


def _fresh(conn: Connection, event_id: int, version: int | None) -> _Seats:
    position = storage.log_position(conn, event_id)
    seats = _Seats(storage.AVAILABILITY_GENERATION[0], time.monotonic(), position, version)
    seats.apply(storage.seat_availability(conn, event_id))
    return seats


def _seats(
    uow: UnitOfWork,
    event_id: int,
    event_key: str,
    *,
    refresh: bool = True,
    version: int | None = None,
    index: SeatIndex | None = None,
) -> _Seats:
    """The event's copy, brought up to date from the log. A copy that a write said is out of date (this
    process's generation, or the event's `version` as just read) is reloaded before use; one that is only
    old (FULL_RELOAD_S, for log entries committed out of id order) is reloaded in the background while
    this and other callers go on with it, so no request waits for 100,000 rows."""
    engine = uow.connection.engine
    key = (event_id, event_key)
    with _CACHE_LOCK:
        per_engine = _CACHE.setdefault(engine, {})
        seats = per_engine.get(key)
        outdated = (
            seats is None
            or seats.generation != storage.AVAILABILITY_GENERATION[0]
            or (version is not None and seats.version is not None and seats.version != version)
        )
        old = seats is not None and time.monotonic() - seats.loaded_at > FULL_RELOAD_S
        loading = _LOADING.setdefault(engine, set())
        reload = (outdated or old) and key not in loading  # one thread reloads; the others use the old copy
        if reload:
            loading.add(key)
    if reload and not outdated:
        _reload_in_background(engine, key, event_id, version, index)
    elif reload:
        try:
            fresh = _fresh(uow.connection, event_id, version)
        finally:
            with _CACHE_LOCK:
                loading.discard(key)
        with _CACHE_LOCK:
            per_engine[key] = fresh
        return fresh
    if seats is None:  # the first copy is being loaded by another thread: read what we need ourselves
        return _fresh(uow.connection, event_id, version)
    if not refresh:
        return seats
    since = seats.log_position
    position, labels = storage.labels_changed_since(uow.connection, event_id, since)
    rows = storage.seat_availability(uow.connection, event_id, labels) if labels else []
    with seats.lock:
        seats.apply(rows)
        seats.log_position = max(seats.log_position, position)
    return seats


def log_positions(uow: UnitOfWork, event_keys: Collection[str]) -> dict[int, tuple[str, int]]:
    """This process's copies of events with these keys: event id -> (key, the log id it has caught up to)."""
    with _CACHE_LOCK:
        copies = _CACHE.get(uow.connection.engine, {})
        return {event_id: (key, seats.log_position) for (event_id, key), seats in copies.items() if key in event_keys}


def catch_up(uow: UnitOfWork, event_id: int, event_key: str, position: int, rows: Sequence[SeatRow]) -> None:
    """What `_seats` reads to bring a copy up to date (the seats the log names up to `position`), read by
    the caller instead: a group commit's batch reads it with its other reads, in one round trip."""
    seats = _cached(uow, event_id, event_key)
    if seats is None:
        return
    with seats.lock:
        seats.apply(rows)
        seats.log_position = max(seats.log_position, position)


def _reload_in_background(
    engine: Engine, key: tuple[int, str], event_id: int, version: int | None, index: SeatIndex | None
) -> None:
    def run() -> None:
        try:
            with engine.connect() as conn:
                if conn.dialect.name == "sqlite":
                    conn = conn.execution_options(sqlite_write=False)  # a reader: never the write lock
                with conn.begin():
                    fresh = _fresh(conn, event_id, version)
            if index is not None:
                fresh.seat_flags(index, utcnow())  # built here, not on the next pick's time
            with _CACHE_LOCK:
                _CACHE.setdefault(engine, {})[key] = fresh
        except Exception:  # a failed reload leaves the old copy in use; the next use tries again
            log.warning("availability reload of event %s failed", event_id, exc_info=True)
        finally:
            with _CACHE_LOCK:
                _LOADING.setdefault(engine, set()).discard(key)

    threading.Thread(target=run, name="boxoffice-availability-reload", daemon=True).start()


def selectable(
    uow: UnitOfWork,
    event_id: int,
    event_key: str,
    now: datetime,
    channel_keys: Sequence[str],
    ignore_channels: bool,
    *,
    refresh: bool = True,
    index: SeatIndex | None = None,
    version: int | None = None,
) -> Selectable:
    """What best available may pick now, from the cache brought up to date (unless this transaction has
    just done so: `refresh=False`): given the event's `index`, and for a caller with no channel keys, the
    kept per-segment flags; otherwise a test `label -> may it be picked`."""
    seats = _seats(uow, event_id, event_key, refresh=refresh, version=version, index=index)
    if index is not None and not channel_keys and not ignore_channels:
        return seats.seat_flags(index, now)
    free, lapsing, pending = seats.free, seats.lapsing, seats.pending
    keys = frozenset(channel_keys)

    def allowed(channel_key: str | None) -> bool:
        if ignore_channels:
            return True
        return channel_key in keys if keys else channel_key is None

    def test(label: str) -> bool:
        if label in pending:
            return False
        channel_key = free.get(label, _NONE)
        if channel_key is not _NONE:
            return allowed(channel_key)
        held = lapsing.get(label)
        return held is not None and held[0] <= now and allowed(held[1])

    return test


@dataclass(frozen=True, slots=True)
class Claim:
    """Seats a pick in this process is taking: hidden from other picks until settled or given back (and
    shown on the pick board, when `board` is set, to the picks of the other processes on this machine)."""

    seats: _Seats | None
    labels: tuple[str, ...]
    board: PickBoard | None = None
    event_id: int = 0

    def settle(self) -> None:
        """Taken (committed): no longer selectable, whatever the log says yet."""
        self._end(taken=True)

    def give_back(self) -> None:
        """Not taken after all: selectable again, as before the claim."""
        self._end(taken=False)

    def _end(self, *, taken: bool) -> None:
        if self.board is not None and not taken:
            self.board.withdraw(self.event_id, self.labels)
        seats = self.seats
        if seats is None:
            return
        with seats.lock:
            seats.pending.difference_update(self.labels)
            for label in self.labels:
                if taken:
                    seats.take(label)
                else:
                    seats.offer_again(label)


def _cached(uow: UnitOfWork, event_id: int, event_key: str) -> _Seats | None:
    """This process's copy for the event, if any (never loads one)."""
    with _CACHE_LOCK:
        return _CACHE.get(uow.connection.engine, {}).get((event_id, event_key))


def claim(uow: UnitOfWork, event_id: int, event_key: str, labels: Sequence[str], *, mine: bool = True) -> Claim:
    """Hide `labels` from other picks in this process while they are being taken (a hint, as the rest), and
    show them on the pick board to the other processes' picks. Not `mine`: seats another process has
    claimed, hidden here until given back, and not put on the board."""
    seats = _cached(uow, event_id, event_key)
    if seats is not None:
        with seats.lock:
            seats.pending.update(labels)
            if seats.flags is not None:
                for label in labels:
                    seats.flags.set(label, False)
    board = board_of(uow.connection) if mine else None
    if board is not None:
        board.claim(event_id, labels)
    return Claim(seats, tuple(labels), board, event_id)


def claimed_elsewhere(uow: UnitOfWork, event_id: int, labels: Sequence[str]) -> list[str]:
    """Those of `labels` that a pick in another process on this machine is taking right now."""
    board = board_of(uow.connection)
    return board.claimed_elsewhere(event_id, labels) if board is not None else []


@contextmanager
def claimed(uow: UnitOfWork, event_id: int, event_key: str, labels: Sequence[str]) -> Iterator[None]:
    """`claim` for the span of a take whose caller commits next: settled if the block ends, else given back."""
    held = claim(uow, event_id, event_key, labels)
    try:
        yield
    except BaseException:
        held.give_back()
        raise
    held.settle()


def forget(uow: UnitOfWork, event_id: int, event_key: str, labels: Sequence[str]) -> None:
    """Another transaction is taking these seats: no longer offer them (a hint; nothing is read)."""
    seats = _cached(uow, event_id, event_key)
    if seats is not None:
        with seats.lock:
            for label in labels:
                seats.take(label)


SeatRow = storage.SeatRow


def recheck(
    uow: UnitOfWork,
    event_id: int,
    event_key: str,
    labels: Sequence[str],
    *,
    taken: Collection[str] = (),
    known: Sequence[SeatRow] | None = None,
) -> None:
    """A take lost a race on these seats: re-read them into the cache. `taken`: seats this transaction has
    already decided to take but not yet written (a group commit), which the re-read would show as free.
    `known`: the seats' rows as this transaction holds them locked (a group commit's batch, whose cache is
    already up to date from the log): applied as they are, and nothing is read."""
    if known is not None:
        cached = _cached(uow, event_id, event_key)
        if cached is None:
            return
        seats, rows = cached, list(known)
    else:
        seats = _seats(uow, event_id, event_key)
        rows = storage.seat_availability(uow.connection, event_id, labels)
    with seats.lock:
        seats.apply(rows)
        for label in taken:
            seats.take(label)
