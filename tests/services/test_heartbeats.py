"""Heartbeats, and what they are for: a key left in flight by a crashed process is taken over as soon as that
process has gone quiet, not after the 5-minute timeout; the crashed process, were it only slow, can no
longer overwrite or release the retry's claim."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from boxoffice.api.app import create_app
from boxoffice.services import heartbeats, idempotency
from boxoffice.services.clock import utcnow
from boxoffice.services.idempotency import IdempotencyKeyInFlight, StoredResponse
from boxoffice.storage.heartbeats import HeartbeatRepository
from boxoffice.storage.idempotency import IdempotencyRepository
from boxoffice.storage.uow import Database

OTHER = "other-host:4242:00ff00ff00ff00ff"  # another server process


def claimed_elsewhere(db: Database, key: str, *, beat_ago: timedelta | None, claimed_ago: timedelta) -> str:
    """`key` claimed by process OTHER `claimed_ago`, its request still running; OTHER last beat `beat_ago`
    ago (None: never). Returns the request hash."""
    h = idempotency.request_hash("POST", "/orders", key)
    now = utcnow()
    with db.write() as uow:
        IdempotencyRepository(uow.connection).insert("s", key, h, now - claimed_ago, OTHER)
        if beat_ago is not None:
            HeartbeatRepository(uow.connection).beat(OTHER, now - beat_ago)
        uow.commit()
    return h


def test_a_process_is_gone_once_it_stops_beating(db: Database) -> None:
    now = utcnow()
    with db.write() as uow:
        HeartbeatRepository(uow.connection).beat(OTHER, now)
        uow.commit()
    with db.read() as uow:
        assert not heartbeats.gone(uow, OTHER, now + heartbeats.GONE_AFTER - timedelta(seconds=1))
        assert heartbeats.gone(uow, OTHER, now + heartbeats.GONE_AFTER)
        assert not heartbeats.gone(uow, "never-beat:1:00", now + timedelta(days=1))  # unknown: not known dead
        assert not heartbeats.gone(uow, None, now + timedelta(days=1))  # a claim from before owners were kept
        assert not heartbeats.gone(uow, heartbeats.owner(), now + timedelta(days=1))  # this process is alive
    heartbeats.beat(db)
    heartbeats.beat(db)  # beats again: one row, moved on
    with db.read() as uow:
        assert HeartbeatRepository(uow.connection).last_beat(heartbeats.owner()) is not None


def test_a_key_left_by_a_crashed_process_is_taken_over_at_once(db: Database) -> None:
    h = claimed_elsewhere(
        db, "k", beat_ago=heartbeats.GONE_AFTER + timedelta(seconds=1), claimed_ago=timedelta(seconds=40)
    )
    assert idempotency.claim(db, "s", "k", h) is None  # ours, long before IN_FLIGHT_TIMEOUT
    with db.read() as uow:
        record = IdempotencyRepository(uow.connection).get("s", "k")
    assert record is not None and record.owner == heartbeats.owner() and record.response_status is None


@pytest.mark.parametrize("beat_ago", [timedelta(seconds=2), None])
def test_a_key_of_a_live_or_unknown_process_is_in_flight_until_the_timeout(
    db: Database, beat_ago: timedelta | None
) -> None:
    h = claimed_elsewhere(db, "k", beat_ago=beat_ago, claimed_ago=timedelta(minutes=1))
    with pytest.raises(IdempotencyKeyInFlight):
        idempotency.claim(db, "s", "k", h)
    # the timeout still applies to every claim, beating or not
    later = utcnow() + idempotency.IN_FLIGHT_TIMEOUT
    assert idempotency.claim(db, "s", "k", h, now=later) is None


def test_the_process_taken_for_dead_cannot_overwrite_or_release_the_retry(db: Database) -> None:
    h = claimed_elsewhere(db, "k", beat_ago=timedelta(minutes=1), claimed_ago=timedelta(minutes=1))
    assert idempotency.claim(db, "s", "k", h) is None
    with db.write() as uow:  # the first process was only slow after all, and finishes now
        IdempotencyRepository(uow.connection).complete("s", "k", OTHER, 201, '{"first": true}')
        IdempotencyRepository(uow.connection).delete("s", "k", OTHER)
        uow.commit()
    idempotency.complete(db, "s", "k", 201, '{"retry": true}')
    assert idempotency.claim(db, "s", "k", h) == StoredResponse(201, '{"retry": true}')


def started(db: Database) -> None:
    """Start the app's lifespan (what a server process does before it serves), and stop it."""

    async def run() -> None:
        app = create_app(db, run_jobs=False)
        async with app.router.lifespan_context(app):
            pass

    asyncio.run(run())


def test_the_server_beats_before_it_serves(db: Database) -> None:
    started(db)
    with db.read() as uow:
        last = HeartbeatRepository(uow.connection).last_beat(heartbeats.owner())
    assert last is not None and utcnow() - last < timedelta(seconds=30)


def test_processes_not_heard_of_for_days_are_forgotten(db: Database) -> None:
    with db.write() as uow:
        HeartbeatRepository(uow.connection).beat(OTHER, utcnow() - heartbeats.FORGET_AFTER - timedelta(hours=1))
        uow.commit()
    started(db)
    with db.read() as uow:
        assert HeartbeatRepository(uow.connection).last_beat(OTHER) is None


def test_a_claim_after_missed_beats_beats_in_its_own_transaction(db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    """After a database outage the timer's beats failed: a claim made then must not ride on a beat so old
    that another process could take it for dead while the request runs."""
    long_ago = utcnow() - timedelta(minutes=10)
    heartbeats.beat(db, now=long_ago)
    monkeypatch.setattr(heartbeats, "_beating", True)
    monkeypatch.setattr(heartbeats, "_last_beat", 0.0)  # the last beat that worked: long ago
    h = idempotency.request_hash("POST", "/orders")
    assert idempotency.claim(db, "s", "fresh", h) is None
    with db.read() as uow:
        last = HeartbeatRepository(uow.connection).last_beat(heartbeats.owner())
    assert last is not None and utcnow() - last < timedelta(seconds=5)


def test_a_process_that_does_not_beat_claims_without_beating(db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(heartbeats, "_beating", False)  # a CLI command, a test: its keys keep the timeout rule
    assert idempotency.claim(db, "s", "k", idempotency.request_hash("POST", "/x")) is None
    with db.read() as uow:
        assert HeartbeatRepository(uow.connection).last_beat(heartbeats.owner()) is None
