"""Marketplaces, their binding holds and their notified sales (domain/marketplaces.py)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite

from boxoffice.domain.marketplaces import PENDING, Marketplace, MarketplaceHold, MarketplaceSale
from boxoffice.storage.commerce_tables import marketplace_holds, marketplace_sales, marketplaces


def _marketplace(m: Any) -> Marketplace:
    return Marketplace(
        id=m["customer_id"],
        workspace_id=m["workspace_id"],
        name=m["name"],
        kind=m["kind"],
        ticket_type_id=m["ticket_type_id"],
        created_at=m["created_at"],
        hold_minutes=m["hold_minutes"],
        auto_reject_minutes=m["auto_reject_minutes"],
        active=bool(m["active"]),
        key_salt=m["key_salt"],
    )


def _hold(m: Any) -> MarketplaceHold:
    return MarketplaceHold(
        id=m["id"],
        marketplace_id=m["marketplace_id"],
        reference=m["reference"],
        event_key=m["event_key"],
        basket_id=m["basket_id"],
        status=m["status"],
        created_at=m["created_at"],
        expires_at=m["expires_at"],
        labels=tuple(m["labels"] or ()),
        order_id=m["order_id"],
    )


def _sale(m: Any) -> MarketplaceSale:
    return MarketplaceSale(
        id=m["id"],
        marketplace_id=m["marketplace_id"],
        reference=m["reference"],
        event_key=m["event_key"],
        labels=tuple(m["labels"] or ()),
        status=m["status"],
        received_at=m["received_at"],
        buyer=dict(m["buyer"] or {}),
        order_id=m["order_id"],
        reason=m["reason"],
    )


class MarketplaceRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def _insert(self) -> Any:
        return postgresql.insert if self.conn.dialect.name == "postgresql" else sqlite.insert

    # -- marketplaces -------------------------------------------------------------------------------------
    def add(self, mp: Marketplace) -> None:
        self.conn.execute(
            insert(marketplaces).values(
                customer_id=mp.id,
                workspace_id=mp.workspace_id,
                name=mp.name,
                kind=mp.kind,
                ticket_type_id=mp.ticket_type_id,
                hold_minutes=mp.hold_minutes,
                auto_reject_minutes=mp.auto_reject_minutes,
                active=mp.active,
                key_salt=mp.key_salt,
                created_at=mp.created_at,
            )
        )

    def update(self, marketplace_id: str, **values: Any) -> None:
        self.conn.execute(update(marketplaces).where(marketplaces.c.customer_id == marketplace_id).values(**values))

    def get(self, workspace_id: int, marketplace_id: str) -> Marketplace | None:
        row = (
            self.conn.execute(
                select(marketplaces).where(
                    marketplaces.c.workspace_id == workspace_id, marketplaces.c.customer_id == marketplace_id
                )
            )
            .mappings()
            .first()
        )
        return _marketplace(row) if row else None

    def by_id(self, marketplace_id: str) -> Marketplace | None:
        row = (
            self.conn.execute(select(marketplaces).where(marketplaces.c.customer_id == marketplace_id))
            .mappings()
            .first()
        )
        return _marketplace(row) if row else None

    def in_workspace(self, workspace_id: int) -> list[Marketplace]:
        rows = self.conn.execute(
            select(marketplaces)
            .where(marketplaces.c.workspace_id == workspace_id)
            .order_by(marketplaces.c.name, marketplaces.c.customer_id)
        ).mappings()
        return [_marketplace(r) for r in rows]

    # -- holds (Order Integration) ----------------------------------------------------------------------------
    def add_hold(self, hold: MarketplaceHold) -> bool:
        """False (and nothing written) if the marketplace already has a hold with this reference."""
        query = (
            self._insert()(marketplace_holds)
            .values(
                id=hold.id,
                marketplace_id=hold.marketplace_id,
                reference=hold.reference,
                event_key=hold.event_key,
                basket_id=hold.basket_id,
                status=hold.status,
                labels=list(hold.labels),
                order_id=hold.order_id,
                created_at=hold.created_at,
                expires_at=hold.expires_at,
            )
            .on_conflict_do_nothing()
            .returning(marketplace_holds.c.id)
        )
        return self.conn.execute(query).first() is not None

    def hold(self, marketplace_id: str, hold_id: str, *, for_update: bool = False) -> MarketplaceHold | None:
        query = select(marketplace_holds).where(
            marketplace_holds.c.marketplace_id == marketplace_id, marketplace_holds.c.id == hold_id
        )
        row = self.conn.execute(query.with_for_update() if for_update else query).mappings().first()
        return _hold(row) if row else None

    def hold_by_reference(self, marketplace_id: str, reference: str) -> MarketplaceHold | None:
        row = (
            self.conn.execute(
                select(marketplace_holds).where(
                    marketplace_holds.c.marketplace_id == marketplace_id, marketplace_holds.c.reference == reference
                )
            )
            .mappings()
            .first()
        )
        return _hold(row) if row else None

    def update_hold(self, hold_id: str, **values: Any) -> None:
        self.conn.execute(update(marketplace_holds).where(marketplace_holds.c.id == hold_id).values(**values))

    # -- sales (Instant Notification) -------------------------------------------------------------------------
    def add_sale(self, sale: MarketplaceSale) -> bool:
        """False (and nothing written) if the marketplace already notified a sale with this reference."""
        query = (
            self._insert()(marketplace_sales)
            .values(
                id=sale.id,
                marketplace_id=sale.marketplace_id,
                reference=sale.reference,
                event_key=sale.event_key,
                labels=list(sale.labels),
                status=sale.status,
                buyer=dict(sale.buyer),
                order_id=sale.order_id,
                reason=sale.reason,
                received_at=sale.received_at,
            )
            .on_conflict_do_nothing()
            .returning(marketplace_sales.c.id)
        )
        return self.conn.execute(query).first() is not None

    def sale(self, sale_id: str, *, for_update: bool = False) -> MarketplaceSale | None:
        query = select(marketplace_sales).where(marketplace_sales.c.id == sale_id)
        row = self.conn.execute(query.with_for_update() if for_update else query).mappings().first()
        return _sale(row) if row else None

    def sale_by_reference(self, marketplace_id: str, reference: str) -> MarketplaceSale | None:
        row = (
            self.conn.execute(
                select(marketplace_sales).where(
                    marketplace_sales.c.marketplace_id == marketplace_id, marketplace_sales.c.reference == reference
                )
            )
            .mappings()
            .first()
        )
        return _sale(row) if row else None

    def sales(self, workspace_id: int, *, status: str | None = None, limit: int = 100) -> list[MarketplaceSale]:
        query = (
            select(marketplace_sales)
            .join(marketplaces, marketplaces.c.customer_id == marketplace_sales.c.marketplace_id)
            .where(marketplaces.c.workspace_id == workspace_id)
        )
        if status is not None:
            query = query.where(marketplace_sales.c.status == status)
        rows = self.conn.execute(
            query.order_by(marketplace_sales.c.received_at, marketplace_sales.c.id).limit(limit)
        ).mappings()
        return [_sale(r) for r in rows]

    def update_sale(self, sale_id: str, **values: Any) -> None:
        self.conn.execute(update(marketplace_sales).where(marketplace_sales.c.id == sale_id).values(**values))

    def overdue_sales(self, before: datetime, limit: int) -> list[tuple[str, str]]:
        """(sale id, marketplace id) of pending sales received before `before` (the earliest possible
        auto-rejection moment; each marketplace's own window is checked by the caller)."""
        rows = self.conn.execute(
            select(marketplace_sales.c.id, marketplace_sales.c.marketplace_id)
            .where(marketplace_sales.c.status == PENDING, marketplace_sales.c.received_at <= before)
            .order_by(marketplace_sales.c.received_at)
            .limit(limit)
        )
        return [(r[0], r[1]) for r in rows]
