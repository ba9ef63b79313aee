"""Channels of an event: named allocations with a key; objects point at their channel."""

from __future__ import annotations

from sqlalchemy import Connection, case, delete, insert, select, update

from boxoffice.domain.records import Channel
from boxoffice.storage.tables import channels, event_objects

# Channels in index order, those without an index after them, then by key; spelt out so that SQLite (NULLs
# first) and PostgreSQL (NULLs last) list them alike.
_LISTED = (case((channels.c.position.is_(None), 1), else_=0), channels.c.position, channels.c.key)


class ChannelRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def list(self, event_id: int) -> list[Channel]:
        rows = self.conn.execute(select(channels).where(channels.c.event_id == event_id).order_by(*_LISTED)).all()
        members: dict[str, list[str]] = {}
        shares: dict[str, list[tuple[str, int]]] = {}
        for key, label, area, places in self.conn.execute(
            select(
                event_objects.c.channel_key,
                event_objects.c.label,
                event_objects.c.partition_of,
                event_objects.c.capacity,
            )
            .where(event_objects.c.event_id == event_id, event_objects.c.channel_key.is_not(None))
            .order_by(event_objects.c.label)
        ).all():
            if area is None:
                members.setdefault(key, []).append(label)
            else:
                shares.setdefault(key, []).append((area, int(places)))
        return [
            Channel(r.key, r.name, r.color, r.position, tuple(members.get(r.key, ())), tuple(shares.get(r.key, ())))
            for r in rows
        ]

    def get(self, event_id: int, key: str) -> Channel | None:
        row = self.conn.execute(select(channels).where(channels.c.event_id == event_id, channels.c.key == key)).first()
        return Channel(row.key, row.name, row.color, row.position) if row else None

    def add(self, event_id: int, channel: Channel) -> None:
        self.conn.execute(
            insert(channels).values(
                event_id=event_id,
                key=channel.key,
                name=channel.name,
                color=channel.color,
                position=channel.position,
            )
        )

    def update(self, event_id: int, key: str, **values: object) -> None:
        self.conn.execute(
            update(channels).where(channels.c.event_id == event_id, channels.c.key == key).values(**values)
        )

    def remove(self, event_id: int, key: str) -> None:
        self.conn.execute(delete(channels).where(channels.c.event_id == event_id, channels.c.key == key))

    def remove_all(self, event_id: int) -> None:
        self.conn.execute(delete(channels).where(channels.c.event_id == event_id))
