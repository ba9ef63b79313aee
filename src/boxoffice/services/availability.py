"""Which seats of an event best available may pick: an in-process cache, so a pick does not read 100,000 rows.

A hint, never the judge: the take still goes through the lock and the compare-and-set, so a seat the cache
wrongly thinks free only costs a retry (and that seat is re-read). Kept fresh by

* the status-change log: every status change appends to it in the same transaction, so each use reads the
  log entries after the last one seen (an indexed range, usually a handful) and re-reads those seats;
* lapsed holds without a log entry: a held seat is stored with its hold's expiry and counts as free from then;
* writes that change selectability without a log entry (channels, forSale, categories, new objects, a hold
  token's expiry brought forward) bump ``storage.objects.AVAILABILITY_GENERATION`` in this process, which
  reloads the whole event; other processes see such writes at their next full reload (``FULL_RELOAD_S``),
  as they do a log entry committed out of id order.
"""

from __future__ import annotations

import threading
import time
import weakref
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Engine

from boxoffice.domain.statuses import FREE, HELD
from boxoffice.storage import objects as storage
from boxoffice.storage.uow import UnitOfWork

FULL_RELOAD_S = 10.0
_NONE: Any = object()  # "no channel" in the free map is None; this marks "not selectable"


@dataclass
class _Seats:
    generation: int
    loaded_at: float
    log_position: int
    free: dict[str, str | None] = field(default_factory=dict)  # label -> channel key (free and for sale)
    lapsing: dict[str, tuple[datetime, str | None]] = field(default_factory=dict)  # held from free: expiry, channel
    # Seats a pick in this process is taking right now: other picks here skip them rather than queue on
    # their row locks and lose (64 callers would otherwise all pick, and fight over, the same best seats).
    pending: set[str] = field(default_factory=set)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def apply(self, rows: Iterable[tuple[str, str, str | None, bool, str | None, Any]]) -> None:
        for label, status, before_hold, for_sale, channel_key, expires_at in rows:
            self.free.pop(label, None)
            self.lapsing.pop(label, None)
            if not for_sale:
                continue
            if status == FREE:
                self.free[label] = channel_key
            elif status == HELD and before_hold in (None, FREE) and expires_at is not None:
                self.lapsing[label] = (expires_at, channel_key)


_CACHE: weakref.WeakKeyDictionary[Engine, dict[tuple[int, str], _Seats]] = weakref.WeakKeyDictionary()
_LOADING: weakref.WeakKeyDictionary[Engine, set[tuple[int, str]]] = weakref.WeakKeyDictionary()
_CACHE_LOCK = threading.Lock()


def _fresh(uow: UnitOfWork, event_id: int) -> _Seats:
    position = storage.log_position(uow.connection, event_id)
    seats = _Seats(storage.AVAILABILITY_GENERATION[0], time.monotonic(), position)
    seats.apply(storage.seat_availability(uow.connection, event_id))
    return seats


def _seats(uow: UnitOfWork, event_id: int, event_key: str) -> _Seats:
    engine = uow.connection.engine
    key = (event_id, event_key)
    with _CACHE_LOCK:
        per_engine = _CACHE.setdefault(engine, {})
        seats = per_engine.get(key)
        stale = (
            seats is None
            or seats.generation != storage.AVAILABILITY_GENERATION[0]
            or time.monotonic() - seats.loaded_at > FULL_RELOAD_S
        )
        loading = _LOADING.setdefault(engine, set())
        reload = stale and key not in loading  # one thread reloads; the others go on with the old copy
        if reload:
            loading.add(key)
    if reload:
        try:
            fresh = _fresh(uow, event_id)
        finally:
            with _CACHE_LOCK:
                loading.discard(key)
        with _CACHE_LOCK:
            per_engine[key] = fresh
        return fresh
    if seats is None:  # the first copy is being loaded by another thread: read what we need ourselves
        return _fresh(uow, event_id)
    since = seats.log_position
    position, labels = storage.labels_changed_since(uow.connection, event_id, since)
    rows = storage.seat_availability(uow.connection, event_id, labels) if labels else []
    with seats.lock:
        seats.apply(rows)
        seats.log_position = max(seats.log_position, position)
    return seats


def selectable(
    uow: UnitOfWork,
    event_id: int,
    event_key: str,
    now: datetime,
    channel_keys: Sequence[str],
    ignore_channels: bool,
) -> Callable[[str], bool]:
    """A test `label -> may best available pick it now`, from the cache brought up to date."""
    seats = _seats(uow, event_id, event_key)
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


@contextmanager
def claimed(uow: UnitOfWork, event_id: int, event_key: str, labels: Sequence[str]) -> Iterator[None]:
    """While taking `labels`, hide them from other picks in this process (a hint, as the rest of the cache)."""
    with _CACHE_LOCK:
        seats = _CACHE.get(uow.connection.engine, {}).get((event_id, event_key))
    if seats is None:
        yield
        return
    seats.pending.update(labels)
    try:
        yield
        for label in labels:  # taken (the caller commits next): no longer selectable, whatever the log says yet
            seats.free.pop(label, None)
            seats.lapsing.pop(label, None)
    finally:
        seats.pending.difference_update(labels)


def recheck(uow: UnitOfWork, event_id: int, event_key: str, labels: Sequence[str]) -> None:
    """A take lost a race on these seats: re-read them into the cache."""
    seats = _seats(uow, event_id, event_key)
    rows = storage.seat_availability(uow.connection, event_id, labels)
    with seats.lock:
        seats.apply(rows)
