"""Idempotency keys for any API dialect: the same key, from the same credentials, for the same request
gets the first response again, however often it is retried.

    status, body = run_idempotent(db, scope, key, request_hash(method, path, body), lambda: (201, render()))

How it works, in three short transactions so nothing holds a lock while the request runs:

1. claim: insert the (scope, key) row with the request's hash and no response. The primary key makes the
   insert the arbiter: if it fails, the key was seen before, and the stored row says what to do:
   another request body -> `IdempotencyKeyReused` (422); no response yet -> `IdempotencyKeyInFlight` (409,
   retry later); a response -> it is replayed.
2. run the request.
3. complete: store the status and body. A transient answer (5xx, 409, 429) or an exception releases the
   key instead, so a retry runs afresh.

`scope` names the credential (and dialect) the key belongs to, so two callers never see each other's
responses. Keys live `KEY_TTL`. A claim names the process that runs it (`heartbeats.owner()`): a claim still
in flight when that process has stopped beating (services/heartbeats.py: it crashed) may be taken over at
once; any in-flight claim older than `IN_FLIGHT_TIMEOUT` may be too. Only the claim's owner completes or
releases it, so a process that was taken for dead cannot overwrite the answer of the retry that took over.
Pieces (`claim`, `complete`, `release`) are public for callers that cannot pass a plain function, such as
ASGI middleware.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.exc import IntegrityError

from boxoffice.domain.errors import Conflict, InvalidInput
from boxoffice.services import heartbeats
from boxoffice.services.clock import utcnow
from boxoffice.storage.idempotency import IdempotencyRepository
from boxoffice.storage.uow import Database

MAX_KEY_LENGTH = 200
MAX_SCOPE_LENGTH = 100
KEY_TTL = timedelta(hours=24)
IN_FLIGHT_TIMEOUT = timedelta(minutes=5)
TRANSIENT_STATUSES = frozenset({409, 429})


class IdempotencyKeyReused(InvalidInput):
    """The key was first used for a different request."""

    code = "IDEMPOTENCY_KEY_REUSED"
    http_status = 422


class IdempotencyKeyInFlight(Conflict):
    """The first request with this key has not finished yet; retry shortly."""

    code = "IDEMPOTENCY_KEY_IN_FLIGHT"
    http_status = 409


@dataclass(frozen=True, slots=True)
class StoredResponse:
    status: int
    body: str


def request_hash(*parts: str | bytes) -> str:
    """A SHA-256 over the parts that make a request "the same" (method, path, query, canonical body)."""
    h = hashlib.sha256()
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "big"))
        h.update(data)
    return h.hexdigest()


def check_key(key: str) -> str:
    if not 1 <= len(key) <= MAX_KEY_LENGTH or not key.isprintable():
        raise InvalidInput(f"An Idempotency-Key is 1 to {MAX_KEY_LENGTH} printable characters")
    return key


def claim(
    db: Database, scope: str, key: str, request_hash: str, *, now: datetime | None = None
) -> StoredResponse | None:
    """None if the key is now ours (run the request, then `complete` or `release`); the stored response
    if this request was answered before. Raises IdempotencyKeyReused or IdempotencyKeyInFlight."""
    check_key(key)
    if not 1 <= len(scope) <= MAX_SCOPE_LENGTH:
        raise ValueError(f"scope must be 1 to {MAX_SCOPE_LENGTH} characters")
    moment = now or utcnow()
    for _attempt in range(3):  # a row that vanishes or is re-claimed between our steps: look again
        try:
            with db.write() as uow:
                heartbeats.freshen(uow, moment)
                IdempotencyRepository(uow.connection).insert(scope, key, request_hash, moment, heartbeats.owner())
                uow.commit()
            return None
        except IntegrityError:
            pass  # seen before: look at it
        with db.write() as uow:
            repo = IdempotencyRepository(uow.connection)
            record = repo.get(scope, key)
            if record is None:
                continue  # released meanwhile
            expired = record.created_at <= moment - KEY_TTL
            abandoned = record.response_status is None and (
                record.created_at <= moment - IN_FLIGHT_TIMEOUT or heartbeats.gone(uow, record.owner, moment)
            )
            if expired or abandoned:
                if repo.reclaim(scope, key, request_hash, record.created_at, moment, heartbeats.owner()):
                    heartbeats.freshen(uow, moment)
                    uow.commit()
                    return None
                continue
            if record.request_hash != request_hash:
                raise IdempotencyKeyReused("This Idempotency-Key was already used for a different request")
            if record.response_status is None or record.response_body is None:
                raise IdempotencyKeyInFlight("A request with this Idempotency-Key is still being processed")
            return StoredResponse(record.response_status, record.response_body)
    raise IdempotencyKeyInFlight("A request with this Idempotency-Key is still being processed")


def complete(db: Database, scope: str, key: str, status: int, body: str) -> None:
    """Store the response of a claimed key, or release the key if the answer was transient."""
    if is_transient(status):
        release(db, scope, key)
        return
    with db.write() as uow:
        IdempotencyRepository(uow.connection).complete(scope, key, heartbeats.owner(), status, body)
        uow.commit()


def release(db: Database, scope: str, key: str) -> None:
    with db.write() as uow:
        IdempotencyRepository(uow.connection).delete(scope, key, heartbeats.owner())
        uow.commit()


def is_transient(status: int) -> bool:
    return status >= 500 or status in TRANSIENT_STATUSES


def run_idempotent(
    db: Database, scope: str, key: str, request_hash: str, fn: Callable[[], tuple[int, str]]
) -> tuple[int, str]:
    """`fn()` once per (scope, key); its (status, body) replayed for every retry of the same request.
    If `fn` raises, the key is released and the exception propagates (render errors inside `fn` to have
    them replayed too)."""
    stored = claim(db, scope, key, request_hash)
    if stored is not None:
        return stored.status, stored.body
    try:
        status, body = fn()
    except BaseException:
        release(db, scope, key)
        raise
    complete(db, scope, key, status, body)
    return status, body
