"""Baskets, their tickets and other items."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, bindparam, delete, insert, select, update

from boxoffice.domain.baskets import CHECKED_OUT, Basket, BasketItem, BasketTicket
from boxoffice.storage.commerce_tables import basket_items, basket_tickets, baskets
from boxoffice.storage.tables import events


class BasketRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def add(self, basket: Basket) -> None:
        self.conn.execute(
            insert(baskets).values(
                id=basket.id,
                workspace_id=basket.workspace_id,
                hold_token=basket.hold_token,
                customer_id=basket.customer_id,
                channel=basket.channel,
                status=basket.status,
                order_attributes=basket.order_attributes,
                created_at=basket.created_at,
                last_activity_at=basket.last_activity_at,
                end_customer=basket.end_customer,
                delivery_method=basket.delivery_method,
            )
        )

    def get(self, workspace_id: int, basket_id: str, *, for_update: bool = False) -> Basket | None:
        ids = {"basket_id": basket_id, "workspace_id": workspace_id}
        row = self.conn.execute(_BASKET_FOR_UPDATE if for_update else _BASKET, ids).first()
        if row is None:
            return None
        ticket_rows = self.conn.execute(_TICKETS, ids).mappings()
        item_rows = self.conn.execute(_ITEMS, ids).mappings()
        return _basket(row._mapping, ticket_rows, item_rows)

    def live_of_customer(
        self, workspace_id: int, channel: str, customer_id: str, active_since: datetime, limit: int
    ) -> list[Basket]:
        """A customer's baskets on `channel` that are not checked out and were used since `active_since`,
        newest first (at most `limit`): three reads, however many there are."""
        rows = (
            self.conn.execute(
                select(baskets)
                .where(
                    baskets.c.workspace_id == workspace_id,
                    baskets.c.channel == channel,
                    baskets.c.customer_id == customer_id,
                    baskets.c.status != CHECKED_OUT,
                    baskets.c.last_activity_at >= active_since,
                )
                .order_by(baskets.c.created_at.desc(), baskets.c.id.desc())
                .limit(limit)
            )
            .mappings()
            .all()
        )
        if not rows:
            return []
        ids = [r["id"] for r in rows]
        tickets: dict[str, list[Any]] = {i: [] for i in ids}
        items: dict[str, list[Any]] = {i: [] for i in ids}
        for t in self.conn.execute(_ALL_TICKETS.where(basket_tickets.c.basket_id.in_(ids))).mappings():
            tickets[t["basket_id"]].append(t)
        for i in self.conn.execute(_ALL_ITEMS.where(basket_items.c.basket_id.in_(ids))).mappings():
            items[i["basket_id"]].append(i)
        return [_basket(r, tickets[r["id"]], items[r["id"]]) for r in rows]

    def update(self, basket_id: str, **values: Any) -> None:
        self.conn.execute(update(baskets).where(baskets.c.id == basket_id).values(**values))

    def touch(self, basket_id: str, now: datetime) -> None:
        self.update(basket_id, last_activity_at=now)

    def add_tickets(self, basket_id: str, tickets: Sequence[BasketTicket]) -> None:
        if tickets:
            self.conn.execute(
                insert(basket_tickets),
                [
                    {
                        "id": t.id,
                        "basket_id": basket_id,
                        "event_id": t.event_id,
                        "label": t.label,
                        "ticket_type_id": t.ticket_type_id,
                        "category_key": t.category_key,
                        "price": t.price,
                        "fees": t.fees,
                        "currency": t.currency,
                        "attributes": t.attributes,
                        "resale_listing_id": t.resale_listing_id,
                    }
                    for t in tickets
                ],
            )

    def set_ticket_attributes(self, ticket_id: str, attributes: dict[str, Any]) -> None:
        self.conn.execute(update(basket_tickets).where(basket_tickets.c.id == ticket_id).values(attributes=attributes))

    def remove_tickets(self, basket_id: str, ticket_ids: Sequence[str]) -> None:
        self.conn.execute(
            delete(basket_tickets).where(
                basket_tickets.c.basket_id == basket_id, basket_tickets.c.id.in_(list(ticket_ids))
            )
        )

    def add_item(self, basket_id: str, item: BasketItem) -> None:
        self.conn.execute(
            insert(basket_items).values(
                id=item.id,
                basket_id=basket_id,
                kind=item.kind,
                item_id=item.item_id,
                amount=item.amount,
                currency=item.currency,
                quantity=item.quantity,
                reference=item.reference,
                auto_renew=item.auto_renew,
            )
        )

    def remove_items(self, basket_id: str, item_ids: Sequence[str] | None = None) -> None:
        query = delete(basket_items).where(basket_items.c.basket_id == basket_id)
        if item_ids is not None:
            query = query.where(basket_items.c.id.in_(list(item_ids)))
        self.conn.execute(query)

    def clear(self, basket_id: str) -> None:
        self.conn.execute(delete(basket_tickets).where(basket_tickets.c.basket_id == basket_id))
        self.remove_items(basket_id)


def _basket(m: Any, ticket_rows: Iterable[Any], item_rows: Iterable[Any]) -> Basket:
    return Basket(
        id=m["id"],
        workspace_id=m["workspace_id"],
        hold_token=m["hold_token"],
        status=m["status"],
        channel=m["channel"],
        created_at=m["created_at"],
        last_activity_at=m["last_activity_at"],
        customer_id=m["customer_id"],
        order_attributes=dict(m["order_attributes"] or {}),
        tickets=tuple(
            BasketTicket(
                t["id"],
                t["event_id"],
                t["event_key"],
                t["label"],
                t["ticket_type_id"],
                t["category_key"],
                t["price"],
                t["fees"],
                t["currency"],
                dict(t["attributes"] or {}),
                t["resale_listing_id"],
            )
            for t in ticket_rows
        ),
        items=tuple(
            BasketItem(
                i["id"],
                i["kind"],
                i["item_id"],
                i["amount"],
                i["currency"],
                i["quantity"],
                i["reference"],
                i["auto_renew"],
            )
            for i in item_rows
        ),
        end_customer=dict(m["end_customer"]) if m["end_customer"] else None,
        delivery_method=m["delivery_method"],
    )


# A basket's three reads, on every basket call, built once (SQLAlchemy skips building each expression and
# its cache key).
_BASKET = select(baskets).where(
    baskets.c.id == bindparam("basket_id"), baskets.c.workspace_id == bindparam("workspace_id")
)
_BASKET_FOR_UPDATE = _BASKET.with_for_update()
_ALL_TICKETS = (  # of any baskets: add a WHERE on basket_id
    select(*basket_tickets.c, events.c.key.label("event_key"))
    .join(events, events.c.id == basket_tickets.c.event_id)
    .order_by(basket_tickets.c.id)
)
_TICKETS = _ALL_TICKETS.where(basket_tickets.c.basket_id == bindparam("basket_id"))
_ALL_ITEMS = select(basket_items).order_by(basket_items.c.id)
_ITEMS = _ALL_ITEMS.where(basket_items.c.basket_id == bindparam("basket_id"))
