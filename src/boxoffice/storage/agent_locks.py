"""What agent locks read besides objects and channels: which orders are an agent's, and a lock's history
(its entries in the status-change log)."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlalchemy import Connection, select

from boxoffice.storage.commerce_tables import orders
from boxoffice.storage.tables import status_changes

_CHUNK = 1000


class AgentLockRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def orders_of(self, workspace_id: int, customer_id: str, order_ids: Collection[str]) -> set[str]:
        """Those of `order_ids` that are orders of the customer `customer_id`."""
        wanted = sorted(set(order_ids))
        found: set[str] = set()
        for start in range(0, len(wanted), _CHUNK):
            found.update(
                self.conn.execute(
                    select(orders.c.id).where(
                        orders.c.workspace_id == workspace_id,
                        orders.c.customer_id == customer_id,
                        orders.c.id.in_(wanted[start : start + _CHUNK]),
                    )
                ).scalars()
            )
        return found

    def history(
        self, event_id: int, channel_key: str, origins: Collection[str], *, limit: int
    ) -> list[tuple[int, str, str, int, datetime]]:
        """(id, origin, label, quantity, created_at) of the log entries of the channel with these origins,
        oldest first."""
        rows = self.conn.execute(
            select(
                status_changes.c.id,
                status_changes.c.origin,
                status_changes.c.label,
                status_changes.c.quantity,
                status_changes.c.created_at,
            )
            .where(
                status_changes.c.event_id == event_id,
                status_changes.c.channel_key == channel_key,
                status_changes.c.origin.in_(sorted(origins)),
            )
            .order_by(status_changes.c.id)
            .limit(limit)
        ).all()
        return [(r[0], r[1], r[2], int(r[3]), r[4]) for r in rows]
