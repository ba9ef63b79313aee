"""The event log's rows: appended in the transaction of the change they record, listed oldest first,
pruned oldest first once past keeping."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, delete, func, insert, select

from boxoffice.domain.event_log import EventLogItem
from boxoffice.storage.tables import event_log

c = event_log.c


class EventLogRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def append(self, workspace_id: int, type_: str, subject_key: str, now: datetime) -> None:
        self.conn.execute(
            insert(event_log).values(workspace_id=workspace_id, type=type_, subject_key=subject_key, created_at=now)
        )

    def page(
        self, workspace_id: int, *, since: datetime, after_id: int | None, before_id: int | None, limit: int
    ) -> list[EventLogItem]:
        """Up to `limit` items at or after `since`, oldest first: those after `after_id` (newer), or the
        nearest before `before_id` (older)."""
        query = select(c.id, c.type, c.subject_key, c.created_at).where(
            c.workspace_id == workspace_id, c.created_at >= since
        )
        backwards = after_id is None and before_id is not None
        if backwards:
            query = query.where(c.id < before_id).order_by(c.id.desc())
        else:
            if after_id is not None:
                query = query.where(c.id > after_id)
            query = query.order_by(c.id.asc())
        items = [EventLogItem(r[0], r[1], r[2], r[3]) for r in self.conn.execute(query.limit(limit))]
        if backwards:
            items.reverse()
        return items

    def count(self, workspace_id: int, type_: str, subject_key: str, *, since: datetime) -> int:
        """How many items of `type_` about `subject_key` were made at or after `since`."""
        query = select(func.count()).where(
            c.workspace_id == workspace_id, c.type == type_, c.subject_key == subject_key, c.created_at >= since
        )
        return int(self.conn.execute(query).scalar_one())

    def prune(self, before: datetime, limit: int) -> int:
        """Delete up to `limit` of the oldest items created before `before`; returns how many."""
        oldest = select(c.id).where(c.created_at < before).order_by(c.id).limit(limit)
        return int(self.conn.execute(delete(event_log).where(c.id.in_(oldest.scalar_subquery()))).rowcount)
