"""Heartbeats: every server process says every few seconds that it is alive.

An in-flight idempotency key names the process running its request (`owner`). If that process has not
beaten for `GONE_AFTER`, it crashed (SIGKILL, a lost machine), and whoever retries the key may take it over
at once instead of seeing 409s until services.idempotency.IN_FLIGHT_TIMEOUT. A process that never beat (a
CLI command, a test) is never called gone: its keys keep the timeout rule.

A beating process also beats in the transaction of each claim it makes when its last beat is older than
`FRESH_WITHIN` (after a database outage, the timer's beats failed): so a claim is never made under a beat
already close to `GONE_AFTER`, and another process cannot take it over while it runs.

    await heartbeats.start(db); task = asyncio.create_task(heartbeats.run(db))   # each server process
    heartbeats.gone(uow, owner, now)
"""

from __future__ import annotations

import asyncio
import logging
import os
import secrets
import socket
import time
from datetime import datetime, timedelta

from starlette.concurrency import run_in_threadpool

from boxoffice.services.clock import utcnow
from boxoffice.storage.heartbeats import HeartbeatRepository
from boxoffice.storage.uow import Database, UnitOfWork

BEAT_EVERY = timedelta(seconds=5)
GONE_AFTER = timedelta(seconds=30)  # six missed beats: a database outage of a few seconds is not a death
FORGET_AFTER = timedelta(days=2)  # past any idempotency key's life (24 h)
FRESH_WITHIN = timedelta(seconds=10)

log = logging.getLogger("boxoffice.heartbeats")

_owner: tuple[int, str] | None = None
_beating = False  # this process runs the heartbeat (a server process)
_last_beat = 0.0  # time.monotonic() of its last beat


def owner() -> str:
    """This process's name: host, pid and a random part (a pid is reused; the random part is not)."""
    global _owner
    pid = os.getpid()
    if _owner is None or _owner[0] != pid:  # a forked child is a process of its own
        _owner = (pid, f"{socket.gethostname()[:60]}:{pid}:{secrets.token_hex(8)}")
    return _owner[1]


def beat(db: Database, *, now: datetime | None = None) -> None:
    global _last_beat
    moment = now or utcnow()
    with db.write() as uow:
        repo = HeartbeatRepository(uow.connection)
        repo.beat(owner(), moment)
        uow.commit()
    _last_beat = time.monotonic()


def freshen(uow: UnitOfWork, now: datetime) -> None:
    """Beat in `uow` (the caller commits) if this process beats and its last beat is older than FRESH_WITHIN.
    Only the timer's beats move the clock: until one succeeds, every claim beats again (a row update)."""
    if _beating and time.monotonic() - _last_beat > FRESH_WITHIN.total_seconds():
        HeartbeatRepository(uow.connection).beat(owner(), now)


def gone(uow: UnitOfWork, of: str | None, now: datetime) -> bool:
    """True if process `of` beat once and then stopped for `GONE_AFTER` (not this process, not unknown)."""
    if of is None or of == owner():
        return False
    last = HeartbeatRepository(uow.connection).last_beat(of)
    return last is not None and last <= now - GONE_AFTER


async def start(db: Database) -> None:
    """The first beat, before the process serves (and forget processes that ended long ago, so the table
    stays small). Never fails: without it, this process's keys keep the timeout rule."""

    def first() -> None:
        with db.write() as uow:
            HeartbeatRepository(uow.connection).prune(utcnow() - FORGET_AFTER)
            uow.commit()
        beat(db)

    global _beating
    _beating = True
    try:
        await run_in_threadpool(first)
    except Exception:
        log.warning("first heartbeat failed", exc_info=True)


async def run(db: Database, *, every: timedelta = BEAT_EVERY) -> None:
    """Beat every `every` until cancelled; a failed beat (the database away) is tried again next time."""
    while True:
        await asyncio.sleep(every.total_seconds())
        try:
            await run_in_threadpool(beat, db)
        except Exception:
            log.warning("heartbeat failed; trying again in %s", every, exc_info=True)
