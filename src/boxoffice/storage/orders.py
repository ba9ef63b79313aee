"""Orders: ticket lines, other items, payments, refunds; and the searches the admin API offers."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, func, insert, or_, select, update

from boxoffice.domain.baskets import Order, OrderItem, OrderTicket, Payment
from boxoffice.storage.commerce_tables import order_items, order_tickets, orders, payments, refunds
from boxoffice.storage.tables import events


class OrderRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def add(self, order: Order, idempotency_key: str | None, basket_id: str | None) -> None:
        self.conn.execute(
            insert(orders).values(
                id=order.id,
                workspace_id=order.workspace_id,
                reference=order.reference,
                customer_id=order.customer_id,
                basket_id=basket_id,
                channel=order.channel,
                status=order.status,
                currency=order.currency,
                total=order.total,
                attributes=order.attributes,
                idempotency_key=idempotency_key,
                created_at=order.created_at,
                end_customer=order.end_customer,
                delivery_method=order.delivery_method,
            )
        )
        if order.tickets:
            self.conn.execute(
                insert(order_tickets),
                [
                    {
                        "id": t.id,
                        "order_id": order.id,
                        "event_id": t.event_id,
                        "label": t.label,
                        "ticket_type_id": t.ticket_type_id,
                        "category_key": t.category_key,
                        "price": t.price,
                        "fees": t.fees,
                        "barcode": t.barcode,
                        "status": t.status,
                        "attributes": t.attributes,
                        "commission": t.commission,
                    }
                    for t in order.tickets
                ],
            )
        if order.items:
            self.conn.execute(
                insert(order_items),
                [
                    {
                        "id": i.id,
                        "order_id": order.id,
                        "kind": i.kind,
                        "item_id": i.item_id,
                        "amount": i.amount,
                        "quantity": i.quantity,
                        "reference": i.reference,
                        "auto_renew": i.auto_renew,
                        "status": i.status,
                    }
                    for i in order.items
                ],
            )
        for p in order.payments:
            self.add_payment(order.id, p, order.created_at)

    def add_payment(self, order_id: str, p: Payment, now: datetime) -> None:
        self.conn.execute(
            insert(payments).values(
                id=p.id,
                order_id=order_id,
                method=p.method,
                amount=p.amount,
                currency=p.currency,
                status=p.status,
                provider_reference=p.provider_reference,
                created_at=now,
            )
        )

    def add_refund(self, refund_id: str, order_id: str, amount: int, reason: str, now: datetime) -> None:
        self.conn.execute(
            insert(refunds).values(id=refund_id, order_id=order_id, amount=amount, reason=reason, created_at=now)
        )

    def set_status(self, order_id: str, status: str) -> None:
        self.conn.execute(update(orders).where(orders.c.id == order_id).values(status=status))

    def set_ticket_status(self, ticket_ids: Sequence[str], status: str) -> None:
        self.conn.execute(update(order_tickets).where(order_tickets.c.id.in_(list(ticket_ids))).values(status=status))

    def set_item_status(self, item_ids: Sequence[str], status: str) -> None:
        self.conn.execute(update(order_items).where(order_items.c.id.in_(list(item_ids))).values(status=status))

    def id_for_idempotency_key(self, workspace_id: int, key: str) -> str | None:
        found: str | None = self.conn.execute(
            select(orders.c.id).where(orders.c.workspace_id == workspace_id, orders.c.idempotency_key == key)
        ).scalar()
        return found

    def id_for_basket(self, basket_id: str) -> str | None:
        found: str | None = self.conn.execute(select(orders.c.id).where(orders.c.basket_id == basket_id)).scalar()
        return found

    def get(self, workspace_id: int, order_id: str, *, for_update: bool = False) -> Order | None:
        query = select(orders).where(orders.c.workspace_id == workspace_id, orders.c.id == order_id)
        if for_update:
            query = query.with_for_update()
        row = self.conn.execute(query).first()
        return self._load(row._mapping) if row else None

    def _load(self, m: Any) -> Order:
        ticket_rows = self.conn.execute(
            select(*order_tickets.c, events.c.key.label("event_key"))
            .join(events, events.c.id == order_tickets.c.event_id)
            .where(order_tickets.c.order_id == m["id"])
            .order_by(order_tickets.c.id)
        ).mappings()
        item_rows = self.conn.execute(
            select(order_items).where(order_items.c.order_id == m["id"]).order_by(order_items.c.id)
        ).mappings()
        payment_rows = self.conn.execute(
            select(payments).where(payments.c.order_id == m["id"]).order_by(payments.c.created_at, payments.c.id)
        ).mappings()
        refunded = self.conn.execute(
            select(func.coalesce(func.sum(refunds.c.amount), 0)).where(refunds.c.order_id == m["id"])
        ).scalar_one()
        return Order(
            id=m["id"],
            workspace_id=m["workspace_id"],
            reference=m["reference"],
            channel=m["channel"],
            status=m["status"],
            currency=m["currency"],
            total=m["total"],
            created_at=m["created_at"],
            customer_id=m["customer_id"],
            attributes=dict(m["attributes"] or {}),
            tickets=tuple(
                OrderTicket(
                    t["id"],
                    t["event_id"],
                    t["event_key"],
                    t["label"],
                    t["ticket_type_id"],
                    t["category_key"],
                    t["price"],
                    t["fees"],
                    t["barcode"],
                    t["status"],
                    dict(t["attributes"] or {}),
                    t["commission"],
                )
                for t in ticket_rows
            ),
            items=tuple(
                OrderItem(
                    i["id"],
                    i["kind"],
                    i["item_id"],
                    i["amount"],
                    i["quantity"],
                    i["reference"],
                    i["auto_renew"],
                    i["status"],
                )
                for i in item_rows
            ),
            payments=tuple(
                Payment(p["id"], p["method"], p["amount"], p["currency"], p["status"], p["provider_reference"])
                for p in payment_rows
            ),
            refunded=int(refunded),
            end_customer=dict(m["end_customer"]) if m["end_customer"] else None,
            delivery_method=m["delivery_method"],
        )

    def search(
        self,
        workspace_id: int,
        *,
        customer_id: str | None = None,
        event_id: int | None = None,
        reference: str | None = None,
        barcode: str | None = None,
        channel: str | None = None,
        created_from: datetime | None = None,
        created_to: datetime | None = None,
        limit: int = 100,
    ) -> list[Order]:
        query = select(orders).where(orders.c.workspace_id == workspace_id)
        if customer_id is not None:
            query = query.where(orders.c.customer_id == customer_id)
        if created_from is not None:
            query = query.where(orders.c.created_at >= created_from)
        if created_to is not None:
            query = query.where(orders.c.created_at <= created_to)
        if reference is not None:
            query = query.where(or_(orders.c.reference == reference, orders.c.id == reference))
        if channel is not None:
            query = query.where(orders.c.channel == channel)
        if event_id is not None or barcode is not None:
            lines = select(order_tickets.c.order_id)
            if event_id is not None:
                lines = lines.where(order_tickets.c.event_id == event_id)
            if barcode is not None:
                lines = lines.where(order_tickets.c.barcode == barcode)
            query = query.where(orders.c.id.in_(lines))
        rows = self.conn.execute(query.order_by(orders.c.created_at.desc(), orders.c.id).limit(limit)).mappings()
        return [self._load(r) for r in rows]
