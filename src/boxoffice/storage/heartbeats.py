"""Process heartbeats: each server process writes when it was last alive, under an owner name of its own."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, delete, insert, select, update

from boxoffice.storage.tables import process_heartbeats as beats


class HeartbeatRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def beat(self, owner: str, now: datetime) -> None:
        # Only the owner itself writes its row, so update-then-insert cannot race with another writer.
        if self.conn.execute(update(beats).where(beats.c.owner == owner).values(beat_at=now)).rowcount == 0:
            self.conn.execute(insert(beats).values(owner=owner, beat_at=now))

    def last_beat(self, owner: str) -> datetime | None:
        found: datetime | None = self.conn.execute(select(beats.c.beat_at).where(beats.c.owner == owner)).scalar()
        return found

    def prune(self, before: datetime) -> int:
        """Forget processes not heard of since `before`; returns how many."""
        return int(self.conn.execute(delete(beats).where(beats.c.beat_at < before)).rowcount)
