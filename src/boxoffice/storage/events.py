"""Events (performances): the unit of inventory."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, bindparam, delete, insert, select, update

from boxoffice.domain.records import Event
from boxoffice.storage.tables import charts, events

_CHUNK = 1000  # keys per statement

_COLUMNS = (
    *events.c,
    charts.c.key.label("chart_key"),
    charts.c.published_version.label("chart_version"),
    charts.c.created_at.label("chart_created_at"),
)


def _event(row: Row[Any]) -> Event:
    return event_from(row._mapping)


def event_from(m: Mapping[Any, Any]) -> Event:
    """An event from a row with its chart's key, version and creation time (as `_COLUMNS` selects)."""
    return Event(
        id=m["id"],
        workspace_id=m["workspace_id"],
        key=m["key"],
        chart_id=m["chart_id"],
        chart_key=m["chart_key"],
        name=m["name"],
        date=m["date"],
        settings=dict(m["settings"] or {}),
        created_at=m["created_at"],
        updated_at=m["updated_at"],
        chart_version=m["chart_version"],
        chart_created_at=m["chart_created_at"],
        availability_version=m["availability_version"],
        season_kind=m["season_kind"],
        top_level_season_id=m["top_level_season_id"],
    )


class EventRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def add(
        self,
        *,
        workspace_id: int,
        key: str,
        chart_id: int,
        name: str | None,
        date: str | None,
        settings: dict[str, Any],
        now: datetime,
        season_kind: str | None = None,
        top_level_season_id: int | None = None,
    ) -> int:
        event_id: int = self.conn.execute(
            insert(events)
            .values(
                workspace_id=workspace_id,
                key=key,
                chart_id=chart_id,
                name=name,
                date=date,
                settings=settings,
                created_at=now,
                season_kind=season_kind,
                top_level_season_id=top_level_season_id,
            )
            .returning(events.c.id)
        ).scalar_one()
        return event_id

    def by_key(self, workspace_id: int, key: str) -> Event | None:
        row = self.conn.execute(_BY_KEY, {"workspace_id": workspace_id, "key": key}).first()
        return _event(row) if row else None

    def locked(self, event_id: int) -> Event | None:
        """The event, read with its row locked until the transaction ends (PostgreSQL; SQLite writers take
        turns anyway). FOR NO KEY UPDATE: two such locks take turns, but the key-share lock of a foreign-key
        check (a status change logging on the event) does not wait for it, so a change holding the event's
        row and waiting for its seats never deadlocks with a booking holding seats and logging."""
        row = self.conn.execute(_BY_ID.with_for_update(of=events, key_share=True), {"event_id": event_id}).first()
        return _event(row) if row else None

    def by_keys(self, workspace_id: int, keys: list[str]) -> list[Event]:
        """In chunks: one IN list of all the keys a request names can pass PostgreSQL's 65,535 parameters."""
        wanted = sorted(set(keys))
        found: list[Event] = []
        for start in range(0, len(wanted), _CHUNK):
            chunk = wanted[start : start + _CHUNK]
            query = _SELECT.where(events.c.workspace_id == workspace_id, events.c.key.in_(chunk))
            found.extend(_event(r) for r in self.conn.execute(query).all())
        return found

    def by_id(self, event_id: int) -> Event | None:
        row = self.conn.execute(_BY_ID, {"event_id": event_id}).first()
        return _event(row) if row else None

    def for_chart(self, chart_id: int) -> list[Event]:
        rows = self.conn.execute(_SELECT.where(events.c.chart_id == chart_id).order_by(events.c.id)).all()
        return [_event(r) for r in rows]

    def chart_in_use(self, chart_id: int) -> bool:
        """Has any event been created on this chart?"""
        found = self.conn.execute(select(events.c.id).where(events.c.chart_id == chart_id).limit(1)).first()
        return found is not None

    def page(self, workspace_id: int, *, after_id: int | None, before_id: int | None, limit: int) -> list[Event]:
        """Newest first; `after_id` pages to older events, `before_id` to newer ones."""
        query = _SELECT.where(events.c.workspace_id == workspace_id)
        if after_id is not None:
            query = query.where(events.c.id < after_id).order_by(events.c.id.desc())
        elif before_id is not None:
            query = query.where(events.c.id > before_id).order_by(events.c.id.asc())
        else:
            query = query.order_by(events.c.id.desc())
        rows = self.conn.execute(query.limit(limit)).all()
        found = [_event(r) for r in rows]
        return sorted(found, key=lambda e: -e.id)

    def update(self, event_id: int, now: datetime, **values: Any) -> None:
        self.conn.execute(update(events).where(events.c.id == event_id).values(updated_at=now, **values))

    def delete(self, event_id: int) -> None:
        self.conn.execute(delete(events).where(events.c.id == event_id))


# The most frequent reads, built once: SQLAlchemy then skips building the expression and its cache key on
# every call (half the cost of reading one event, measured: 327 -> 168 us).
_SELECT = select(*_COLUMNS).join(charts, charts.c.id == events.c.chart_id)
_BY_KEY = _SELECT.where(events.c.workspace_id == bindparam("workspace_id"), events.c.key == bindparam("key"))
_BY_ID = _SELECT.where(events.c.id == bindparam("event_id"))
SELECT_EVENTS = _SELECT  # events with their chart's key, version and creation time, as `event_from` reads them
