"""Each workspace's set of ticket buyer ids. Adding and removing say, per id, whether anything changed:
``INSERT ... ON CONFLICT DO NOTHING RETURNING`` and ``DELETE ... RETURNING``, so two callers adding the
same id at once both succeed and exactly one of them is told it added it."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Connection, delete, select
from sqlalchemy.dialects import postgresql, sqlite

from boxoffice.storage.tables import ticket_buyers

c = ticket_buyers.c
CHUNK = 1000  # ids per statement: well inside SQLite's and PostgreSQL's limits on bound parameters


def in_lock_order(buyer_ids: Sequence[str]) -> list[str]:
    return sorted(buyer_ids)


class TicketBuyerRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def add(self, workspace_id: int, buyer_ids: Sequence[str], now: datetime) -> set[str]:
        """Those of `buyer_ids` (distinct) that were not there yet, now added. Inserted in sorted order, so
        that two callers adding overlapping ids wait for each other rather than deadlock."""
        insert = postgresql.insert if self.conn.dialect.name == "postgresql" else sqlite.insert
        buyer_ids = in_lock_order(buyer_ids)
        added: set[str] = set()
        for start in range(0, len(buyer_ids), CHUNK):
            rows = [
                {"workspace_id": workspace_id, "buyer_id": b, "created_at": now}
                for b in buyer_ids[start : start + CHUNK]
            ]
            query = insert(ticket_buyers).values(rows).on_conflict_do_nothing().returning(c.buyer_id)
            added.update(self.conn.execute(query).scalars())
        return added

    def remove(self, workspace_id: int, buyer_ids: Sequence[str]) -> set[str]:
        """Those of `buyer_ids` that were there, now removed."""
        removed: set[str] = set()
        for start in range(0, len(buyer_ids), CHUNK):
            chunk = buyer_ids[start : start + CHUNK]
            query = delete(ticket_buyers).where(c.workspace_id == workspace_id, c.buyer_id.in_(chunk))
            removed.update(self.conn.execute(query.returning(c.buyer_id)).scalars())
        return removed

    def page(
        self, workspace_id: int, *, after_id: int | None, before_id: int | None, limit: int
    ) -> list[tuple[int, str]]:
        """Up to `limit` (id, buyer id), newest first: those after `after_id` in that order (older), or
        the nearest before `before_id` (newer)."""
        query = select(c.id, c.buyer_id).where(c.workspace_id == workspace_id)
        if after_id is None and before_id is not None:
            query = query.where(c.id > before_id).order_by(c.id.asc())
            rows = [(r[0], r[1]) for r in self.conn.execute(query.limit(limit))]
            rows.reverse()
            return rows
        if after_id is not None:
            query = query.where(c.id < after_id)
        return [(r[0], r[1]) for r in self.conn.execute(query.order_by(c.id.desc()).limit(limit))]
