"""Idempotency keys: one row per (scope, key), claimed before the request runs, completed with its response."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, delete, insert, select, update

from boxoffice.storage.tables import idempotency_keys as keys


@dataclass(frozen=True, slots=True)
class IdempotencyRecord:
    scope: str
    key: str
    request_hash: str
    created_at: datetime
    response_status: int | None = None  # None while the first request is still in flight
    response_body: str | None = None
    owner: str | None = None  # the process that claimed it


class IdempotencyRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def insert(self, scope: str, key: str, request_hash: str, now: datetime, owner: str) -> None:
        """Claims the key for `owner`; raises IntegrityError if the (scope, key) row exists already."""
        self.conn.execute(
            insert(keys).values(scope=scope, key=key, request_hash=request_hash, created_at=now, owner=owner)
        )

    def get(self, scope: str, key: str) -> IdempotencyRecord | None:
        row = self.conn.execute(select(keys).where(keys.c.scope == scope, keys.c.key == key)).first()
        if row is None:
            return None
        return IdempotencyRecord(
            row.scope, row.key, row.request_hash, row.created_at, row.response_status, row.response_body, row.owner
        )

    def reclaim(self, scope: str, key: str, request_hash: str, seen_at: datetime, now: datetime, owner: str) -> bool:
        """Take over an expired or abandoned row for `owner`, only if nobody else changed it since it was read."""
        result = self.conn.execute(
            update(keys)
            .where(keys.c.scope == scope, keys.c.key == key, keys.c.created_at == seen_at)
            .values(request_hash=request_hash, created_at=now, response_status=None, response_body=None, owner=owner)
        )
        return bool(result.rowcount == 1)

    def complete(self, scope: str, key: str, owner: str, status: int, body: str) -> None:
        """Store the response, if `owner` still holds the claim (another process may have taken it over)."""
        self.conn.execute(
            update(keys)
            .where(keys.c.scope == scope, keys.c.key == key, keys.c.owner == owner)
            .values(response_status=status, response_body=body)
        )

    def delete(self, scope: str, key: str, owner: str) -> None:
        """Release the claim, if `owner` still holds it."""
        self.conn.execute(delete(keys).where(keys.c.scope == scope, keys.c.key == key, keys.c.owner == owner))
