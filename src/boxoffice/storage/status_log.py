"""The append-only status-change log. Written in the same transaction as the change it records."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, func, insert, select

from boxoffice.domain.records import StatusChangeRecord
from boxoffice.storage.tables import status_changes


class StatusLogRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def append(self, entries: Sequence[dict[str, Any]]) -> None:
        if entries:
            self.conn.execute(insert(status_changes), list(entries))

    def page(
        self,
        event_id: int,
        *,
        label: str | None = None,
        after_id: int | None = None,
        before_id: int | None = None,
        limit: int = 20,
        filter_text: str | None = None,
        ascending: bool = False,
        sort: str = "date",
    ) -> list[StatusChangeRecord]:
        query = select(status_changes).where(status_changes.c.event_id == event_id)
        if label is not None:
            query = query.where(status_changes.c.label == label)
        if filter_text:
            query = query.where(status_changes.c.label.contains(filter_text, autoescape=True))
        order_col = {"objectLabel": status_changes.c.label, "status": status_changes.c.status}.get(sort)
        if after_id is not None:
            query = query.where(status_changes.c.id > after_id if ascending else status_changes.c.id < after_id)
        if before_id is not None:
            query = query.where(status_changes.c.id < before_id if ascending else status_changes.c.id > before_id)
        id_order = status_changes.c.id.asc() if ascending else status_changes.c.id.desc()
        if before_id is not None:
            id_order = status_changes.c.id.desc() if ascending else status_changes.c.id.asc()
        if order_col is not None:
            query = query.order_by(order_col.asc() if ascending else order_col.desc(), id_order)
        else:
            query = query.order_by(id_order)
        rows = self.conn.execute(query.limit(limit)).mappings().all()
        records = [_record(r) for r in rows]
        if before_id is not None and order_col is None:
            records.reverse()
        return records

    def replay_rows(self, event_id: int) -> list[tuple[int, str, str, str, int]]:
        """(id, label, previous_status, status, quantity) in the order they were written."""
        rows = self.conn.execute(
            select(
                status_changes.c.id,
                status_changes.c.label,
                status_changes.c.previous_status,
                status_changes.c.status,
                status_changes.c.quantity,
            )
            .where(status_changes.c.event_id == event_id)
            .order_by(status_changes.c.id)
        ).all()
        return [(r[0], r[1], r[2], r[3], r[4]) for r in rows]

    def count(self, event_id: int) -> int:
        return int(
            self.conn.execute(
                select(func.count()).select_from(status_changes).where(status_changes.c.event_id == event_id)
            ).scalar_one()
        )


def _record(m: Any) -> StatusChangeRecord:
    created: datetime = m["created_at"]
    return StatusChangeRecord(
        id=m["id"],
        event_id=m["event_id"],
        label=m["label"],
        status=m["status"],
        previous_status=m["previous_status"],
        quantity=m["quantity"],
        hold_token=m["hold_token"],
        order_id=m["order_id"],
        ticket_type=m["ticket_type"],
        channel_key=m["channel_key"],
        extra_data=m["extra_data"],
        origin=m["origin"],
        origin_ip=m["origin_ip"],
        created_at=created,
    )
