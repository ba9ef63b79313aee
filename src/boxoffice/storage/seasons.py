"""Seasons: which events a season (top-level or partial) holds, and the season statuses events override."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import Connection, delete, insert, select, update

from boxoffice.domain.records import Event
from boxoffice.storage.events import SELECT_EVENTS as _EVENTS
from boxoffice.storage.events import event_from
from boxoffice.storage.tables import events, season_events, season_overrides


class SeasonRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def add_members(self, season_id: int, event_ids: Sequence[int]) -> None:
        if event_ids:
            self.conn.execute(insert(season_events), [{"season_id": season_id, "event_id": e} for e in event_ids])

    def remove_member(self, season_id: int, event_id: int) -> int:
        result = self.conn.execute(
            delete(season_events).where(season_events.c.season_id == season_id, season_events.c.event_id == event_id)
        )
        return result.rowcount

    def members(self, season_id: int) -> list[Event]:
        """The season's events, oldest first."""
        query = (
            _EVENTS.join(season_events, season_events.c.event_id == events.c.id)
            .where(season_events.c.season_id == season_id)
            .order_by(events.c.id)
        )
        return [event_from(r._mapping) for r in self.conn.execute(query).all()]

    def members_of(self, season_ids: Sequence[int]) -> dict[int, list[Event]]:
        """The events of each of these seasons, oldest first."""
        if not season_ids:
            return {}
        query = (
            _EVENTS.add_columns(season_events.c.season_id.label("member_of"))
            .join(season_events, season_events.c.event_id == events.c.id)
            .where(season_events.c.season_id.in_(list(season_ids)))
            .order_by(events.c.id)
        )
        found: dict[int, list[Event]] = {s: [] for s in season_ids}
        for row in self.conn.execute(query).all():
            found[row.member_of].append(event_from(row._mapping))
        return found

    def partial_seasons(self, top_level_id: int) -> list[Event]:
        query = _EVENTS.where(events.c.top_level_season_id == top_level_id, events.c.season_kind == "PARTIAL")
        return [event_from(r._mapping) for r in self.conn.execute(query.order_by(events.c.id)).all()]

    def partial_season_keys_of(self, event_ids: Sequence[int]) -> dict[int, list[str]]:
        """For each event, the keys of the partial seasons that hold it."""
        if not event_ids:
            return {}
        query = (
            select(season_events.c.event_id, events.c.key)
            .join(events, events.c.id == season_events.c.season_id)
            .where(season_events.c.event_id.in_(list(event_ids)), events.c.season_kind == "PARTIAL")
            .order_by(events.c.id)
        )
        found: dict[int, list[str]] = {}
        for event_id, key in self.conn.execute(query).all():
            found.setdefault(event_id, []).append(key)
        return found

    def detach_events(self, season_id: int) -> None:
        """A deleted top-level season's events become plain events."""
        self.conn.execute(
            update(events).where(events.c.top_level_season_id == season_id).values(top_level_season_id=None)
        )

    def key_of(self, event_id: int) -> str | None:
        key: str | None = self.conn.execute(select(events.c.key).where(events.c.id == event_id)).scalar()
        return key

    def overridden(self, event_id: int, labels: Iterable[str]) -> set[str]:
        wanted = list(labels)
        if not wanted:
            return set()
        query = select(season_overrides.c.label).where(
            season_overrides.c.event_id == event_id, season_overrides.c.label.in_(wanted)
        )
        return set(self.conn.execute(query).scalars())

    def overrides_of(self, event_id: int) -> set[str]:
        """Every object whose season status the event overrides (a few per event, whatever its size)."""
        query = select(season_overrides.c.label).where(season_overrides.c.event_id == event_id)
        return set(self.conn.execute(query).scalars())

    def add_overrides(self, event_id: int, labels: Sequence[str]) -> None:
        if labels:
            self.conn.execute(insert(season_overrides), [{"event_id": event_id, "label": label} for label in labels])

    def remove_overrides(self, event_ids: Sequence[int], labels: Sequence[str]) -> None:
        if event_ids and labels:
            self.conn.execute(
                delete(season_overrides).where(
                    season_overrides.c.event_id.in_(list(event_ids)), season_overrides.c.label.in_(list(labels))
                )
            )
