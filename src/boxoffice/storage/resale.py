"""Resale listings (domain/resale.py)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, insert, select, update

from boxoffice.domain.resale import LISTED, ResaleListing
from boxoffice.storage.commerce_tables import resale_listings as t
from boxoffice.storage.tables import events


def _listing(m: Any) -> ResaleListing:
    return ResaleListing(
        id=m["id"],
        workspace_id=m["workspace_id"],
        order_id=m["order_id"],
        ticket_id=m["ticket_id"],
        event_id=m["event_id"],
        event_key=m["event_key"],
        label=m["label"],
        price=m["price"],
        fee=m["fee"],
        currency=m["currency"],
        status=m["status"],
        listed_at=m["listed_at"],
        buyer_order_id=m["buyer_order_id"],
        closed_at=m["closed_at"],
    )


_LISTINGS = select(t, events.c.key.label("event_key")).join(events, events.c.id == t.c.event_id)


class ResaleRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def add(self, listing: ResaleListing) -> None:
        self.conn.execute(
            insert(t).values(
                id=listing.id,
                workspace_id=listing.workspace_id,
                order_id=listing.order_id,
                ticket_id=listing.ticket_id,
                event_id=listing.event_id,
                label=listing.label,
                price=listing.price,
                fee=listing.fee,
                currency=listing.currency,
                status=listing.status,
                listed_at=listing.listed_at,
            )
        )

    def get(self, workspace_id: int, listing_id: str) -> ResaleListing | None:
        row = self.conn.execute(_LISTINGS.where(t.c.workspace_id == workspace_id, t.c.id == listing_id)).mappings()
        found = row.first()
        return _listing(found) if found else None

    def listed(self, event_id: int, labels: list[str]) -> dict[str, ResaleListing]:
        """The listings on sale now for these seats, by label."""
        rows = self.conn.execute(_LISTINGS.where(t.c.event_id == event_id, t.c.label.in_(labels), t.c.status == LISTED))
        return {r["label"]: _listing(r) for r in rows.mappings()}

    def of_ticket(self, ticket_id: str) -> ResaleListing | None:
        query = _LISTINGS.where(t.c.ticket_id == ticket_id, t.c.status == LISTED)
        found = self.conn.execute(query).mappings().first()
        return _listing(found) if found else None

    def search(self, workspace_id: int, *, status: str | None = None, limit: int = 500) -> list[ResaleListing]:
        query = _LISTINGS.where(t.c.workspace_id == workspace_id)
        if status is not None:
            query = query.where(t.c.status == status)
        rows = self.conn.execute(query.order_by(t.c.listed_at, t.c.id).limit(limit)).mappings()
        return [_listing(r) for r in rows]

    def close(self, listing_id: str, status: str, now: datetime, *, buyer_order_id: str | None = None) -> None:
        self.conn.execute(
            update(t).where(t.c.id == listing_id).values(status=status, closed_at=now, buyer_order_id=buyer_order_id)
        )
