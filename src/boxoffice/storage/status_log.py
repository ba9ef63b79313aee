"""The append-only status-change log. Written in the same transaction as the change it records."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Connection, and_, func, insert, or_, select

from boxoffice.domain.records import StatusChangeRecord
from boxoffice.storage.tables import status_changes


def entry(
    workspace_id: int,
    event_id: int,
    label: str,
    status: str,
    previous: str,
    now: datetime,
    *,
    origin: str,
    quantity: int = 1,
    hold_token: str | None = None,
    order_id: str | None = None,
    ticket_type: str | None = None,
    channel_key: str | None = None,
    extra_data: dict[str, Any] | None = None,
    origin_ip: str | None = None,
) -> dict[str, Any]:
    """One row of the log, as `StatusLogRepository.append` and the pipelined writes take it."""
    return {
        "workspace_id": workspace_id,
        "event_id": event_id,
        "label": label,
        "status": status,
        "previous_status": previous,
        "quantity": quantity,
        "hold_token": hold_token,
        "order_id": order_id,
        "ticket_type": ticket_type,
        "channel_key": channel_key,
        "extra_data": extra_data,
        "origin": origin,
        "origin_ip": origin_ip,
        "created_at": now,
    }


class StatusLogRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def append(self, entries: Sequence[Mapping[str, Any]]) -> None:
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
        """One page of the log in (sort key, id) order: the key ascending or descending, and entries that
        share a label or a status newest first, as seats.io lists them.

        ``after_id`` / ``before_id`` are keyset cursors: the entries after (before) the entry with that id in
        this order, so pages stay stable however many entries share a label or a status. ``date`` sorts by
        id (ids grow with time; entries of one transaction share their date). ``before_id`` pages come back
        in the same order as any other page.
        """
        c = status_changes.c
        sort_col: ColumnElement[Any] | None = {"objectLabel": c.label, "status": c.status}.get(sort)
        if sort_col is not None and self.conn.dialect.name == "postgresql":
            sort_col = sort_col.collate("C")  # code-point order, as on SQLite
        query = select(status_changes).where(c.event_id == event_id)
        if label is not None:
            query = query.where(c.label == label)
        if filter_text:
            query = query.where(c.label.contains(filter_text, autoescape=True))
        key_up, id_up = ascending, ascending if sort_col is None else False
        backward = before_id is not None and after_id is None  # read towards the cursor's side, then turned
        if backward:
            key_up, id_up = not key_up, not id_up
        cursor_id = after_id if after_id is not None else before_id
        if cursor_id is not None:
            query = query.where(self._beyond(event_id, sort_col, cursor_id, key_up, id_up))
        if sort_col is not None:
            query = query.order_by(sort_col.asc() if key_up else sort_col.desc())
        query = query.order_by(c.id.asc() if id_up else c.id.desc())
        rows = self.conn.execute(query.limit(limit)).mappings().all()
        records = [_record(r) for r in rows]
        if backward:
            records.reverse()
        return records

    def _beyond(
        self, event_id: int, sort_col: ColumnElement[Any] | None, cursor_id: int, key_up: bool, id_up: bool
    ) -> ColumnElement[bool]:
        """Entries strictly past the cursor entry in (sort key, id) order, each ascending or not."""
        c = status_changes.c
        past_id = c.id > cursor_id if id_up else c.id < cursor_id
        if sort_col is None:
            return past_id
        value = select(sort_col).where(c.event_id == event_id, c.id == cursor_id).scalar_subquery()
        past_key = sort_col > value if key_up else sort_col < value
        return or_(past_key, and_(sort_col == value, past_id))

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
