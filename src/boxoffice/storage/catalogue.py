"""Catalogue rows: productions, performances, ticket types, prices, fees, funds, stock items,
memberships, subscription structures, attribute definitions, customers."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, bindparam, delete, insert, select, update

from boxoffice.domain.catalogue import (
    AttributeDefinition,
    Customer,
    Fee,
    Fund,
    Membership,
    Performance,
    Price,
    PriceList,
    Production,
    StockItem,
    SubscriptionStructure,
    TicketType,
)
from boxoffice.storage.commerce_tables import (
    attribute_definitions,
    customer_memberships,
    customers,
    fees,
    funds,
    memberships,
    performances,
    prices,
    productions,
    stock_items,
    subscription_structures,
    ticket_types,
)
from boxoffice.storage.tables import events


class CatalogueRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    # -- productions and performances ----------------------------------------------------------------
    def add_production(self, p: Production, now: datetime) -> None:
        self.conn.execute(
            insert(productions).values(
                id=p.id,
                workspace_id=p.workspace_id,
                name=p.name,
                description=p.description,
                duration_minutes=p.duration_minutes,
                attributes=p.attributes,
                created_at=now,
            )
        )

    def production(self, workspace_id: int, production_id: str) -> Production | None:
        row = self.conn.execute(
            select(productions).where(productions.c.id == production_id, productions.c.workspace_id == workspace_id)
        ).first()
        return _production(row._mapping) if row else None

    def productions(self, workspace_id: int) -> list[Production]:
        rows = self.conn.execute(
            select(productions)
            .where(productions.c.workspace_id == workspace_id)
            .order_by(productions.c.created_at, productions.c.id)
        ).mappings()
        return [_production(r) for r in rows]

    def update_production(self, production_id: str, **values: Any) -> None:
        self.conn.execute(update(productions).where(productions.c.id == production_id).values(**values))

    def add_performance(self, p: Performance) -> None:
        self.conn.execute(
            insert(performances).values(
                event_id=p.event_id,
                production_id=p.production_id,
                start=p.start,
                currency=p.currency,
                web_sale_from=p.web_sale_from,
                web_sale_until=p.web_sale_until,
                box_office_sale_from=p.box_office_sale_from,
                box_office_sale_until=p.box_office_sale_until,
                cancelled=p.cancelled,
            )
        )

    def update_performance(self, event_id: int, **values: Any) -> None:
        self.conn.execute(update(performances).where(performances.c.event_id == event_id).values(**values))

    def performance(self, event_id: int) -> Performance | None:
        row = self.conn.execute(_PERFORMANCE, {"event_id": event_id}).first()
        return _performance(row._mapping) if row else None

    def performances(
        self,
        workspace_id: int,
        *,
        production_id: str | None = None,
        start_from: datetime | None = None,
        start_to: datetime | None = None,
        event_ids: Sequence[int] | None = None,
    ) -> list[Performance]:
        query = _PERFORMANCES.where(events.c.workspace_id == workspace_id)
        if production_id is not None:
            query = query.where(performances.c.production_id == production_id)
        if start_from is not None:
            query = query.where(performances.c.start >= start_from)
        if start_to is not None:
            query = query.where(performances.c.start <= start_to)
        if event_ids is not None:
            query = query.where(performances.c.event_id.in_(list(event_ids)))
        rows = self.conn.execute(query.order_by(performances.c.start, performances.c.event_id)).mappings()
        return [_performance(r) for r in rows]

    # -- ticket types, prices and fees ----------------------------------------------------------------
    def add_ticket_type(self, workspace_id: int, t: TicketType) -> None:
        self.conn.execute(insert(ticket_types).values(id=t.id, workspace_id=workspace_id, name=t.name))

    def ticket_types(self, workspace_id: int) -> list[TicketType]:
        rows = self.conn.execute(
            select(ticket_types).where(ticket_types.c.workspace_id == workspace_id).order_by(ticket_types.c.name)
        ).all()
        return [TicketType(r.id, r.name) for r in rows]

    def ticket_type(self, workspace_id: int, ticket_type_id: str) -> TicketType | None:
        row = self.conn.execute(_TICKET_TYPE, {"workspace_id": workspace_id, "id": ticket_type_id}).first()
        return TicketType(row.id, row.name) if row else None

    def replace_prices(self, event_id: int, entries: Sequence[Price], fee_list: Sequence[Fee]) -> None:
        self.conn.execute(delete(prices).where(prices.c.event_id == event_id))
        self.conn.execute(delete(fees).where(fees.c.event_id == event_id))
        if entries:
            self.conn.execute(
                insert(prices),
                [
                    {
                        "event_id": event_id,
                        "ticket_type_id": p.ticket_type_id,
                        "category_key": p.category_key,
                        "amount": p.amount,
                    }
                    for p in entries
                ],
            )
        if fee_list:
            self.conn.execute(
                insert(fees),
                [
                    {
                        "id": f.id,
                        "event_id": event_id,
                        "ticket_type_id": f.ticket_type_id,
                        "name": f.name,
                        "amount": f.amount,
                    }
                    for f in fee_list
                ],
            )

    def price_list(self, event_id: int, currency: str) -> PriceList:
        price_rows = self.conn.execute(_PRICES, {"event_id": event_id}).all()
        fee_rows = self.conn.execute(_FEES, {"event_id": event_id}).all()
        return PriceList(
            event_id=event_id,
            currency=currency,
            prices=tuple(Price(r.ticket_type_id, r.category_key, r.amount) for r in price_rows),
            fees=tuple(Fee(r.id, r.name, r.amount, r.ticket_type_id) for r in fee_rows),
        )

    # -- simple catalogue items -----------------------------------------------------------------------
    def add_fund(self, workspace_id: int, f: Fund) -> None:
        self.conn.execute(
            insert(funds).values(
                id=f.id,
                workspace_id=workspace_id,
                name=f.name,
                description=f.description,
                minimum_amount=f.minimum_amount,
                currency=f.currency,
            )
        )

    def funds(self, workspace_id: int) -> list[Fund]:
        rows = self.conn.execute(select(funds).where(funds.c.workspace_id == workspace_id).order_by(funds.c.name)).all()
        return [Fund(r.id, r.name, r.currency, r.description, r.minimum_amount) for r in rows]

    def add_stock_item(self, workspace_id: int, s: StockItem) -> None:
        self.conn.execute(
            insert(stock_items).values(
                id=s.id,
                workspace_id=workspace_id,
                name=s.name,
                description=s.description,
                price=s.price,
                currency=s.currency,
                stock_level=s.stock_level,
            )
        )

    def stock_items(self, workspace_id: int) -> list[StockItem]:
        rows = self.conn.execute(
            select(stock_items).where(stock_items.c.workspace_id == workspace_id).order_by(stock_items.c.name)
        ).all()
        return [StockItem(r.id, r.name, r.price, r.currency, r.stock_level, r.description) for r in rows]

    def set_stock_level(self, stock_item_id: str, level: int) -> None:
        self.conn.execute(update(stock_items).where(stock_items.c.id == stock_item_id).values(stock_level=level))

    def take_stock(self, stock_item_id: str, quantity: int) -> bool:
        """Guarded decrement: never below zero. False if there was not enough."""
        result = self.conn.execute(
            update(stock_items)
            .where(stock_items.c.id == stock_item_id, stock_items.c.stock_level >= quantity)
            .values(stock_level=stock_items.c.stock_level - quantity)
        )
        return bool(result.rowcount == 1)

    def return_stock(self, stock_item_id: str, quantity: int) -> None:
        self.conn.execute(
            update(stock_items)
            .where(stock_items.c.id == stock_item_id)
            .values(stock_level=stock_items.c.stock_level + quantity)
        )

    def add_membership(self, workspace_id: int, m: Membership) -> None:
        self.conn.execute(
            insert(memberships).values(
                id=m.id,
                workspace_id=workspace_id,
                name=m.name,
                description=m.description,
                price=m.price,
                currency=m.currency,
                duration_months=m.duration_months,
                auto_renew_allowed=m.auto_renew_allowed,
            )
        )

    def memberships(self, workspace_id: int) -> list[Membership]:
        rows = self.conn.execute(
            select(memberships).where(memberships.c.workspace_id == workspace_id).order_by(memberships.c.name)
        ).all()
        return [
            Membership(r.id, r.name, r.price, r.currency, r.duration_months, r.auto_renew_allowed, r.description)
            for r in rows
        ]

    def add_subscription_structure(self, workspace_id: int, s: SubscriptionStructure) -> None:
        self.conn.execute(
            insert(subscription_structures).values(
                id=s.id,
                workspace_id=workspace_id,
                name=s.name,
                description=s.description,
                price=s.price,
                currency=s.currency,
                production_ids=list(s.production_ids),
            )
        )

    def subscription_structures(self, workspace_id: int) -> list[SubscriptionStructure]:
        rows = self.conn.execute(
            select(subscription_structures)
            .where(subscription_structures.c.workspace_id == workspace_id)
            .order_by(subscription_structures.c.name)
        ).all()
        return [
            SubscriptionStructure(r.id, r.name, r.price, r.currency, tuple(r.production_ids or ()), r.description)
            for r in rows
        ]

    def add_attribute_definition(self, workspace_id: int, a: AttributeDefinition) -> None:
        self.conn.execute(
            insert(attribute_definitions).values(
                id=a.id,
                workspace_id=workspace_id,
                name=a.name,
                applies_to=a.applies_to,
                visible_in_api=a.visible_in_api,
            )
        )

    def attribute_definitions(self, workspace_id: int) -> list[AttributeDefinition]:
        rows = self.conn.execute(
            select(attribute_definitions)
            .where(attribute_definitions.c.workspace_id == workspace_id)
            .order_by(attribute_definitions.c.applies_to, attribute_definitions.c.name)
        ).all()
        return [AttributeDefinition(r.id, r.name, r.applies_to, r.visible_in_api) for r in rows]

    # -- customers ------------------------------------------------------------------------------------
    def add_customer(self, c: Customer, now: datetime) -> None:
        self.conn.execute(
            insert(customers).values(
                id=c.id,
                workspace_id=c.workspace_id,
                first_name=c.first_name,
                last_name=c.last_name,
                email=c.email,
                address=c.address,
                created_at=now,
            )
        )

    def customer(self, workspace_id: int, customer_id: str) -> Customer | None:
        row = self.conn.execute(
            select(customers).where(customers.c.workspace_id == workspace_id, customers.c.id == customer_id)
        ).first()
        return _customer(row._mapping) if row else None

    def customer_by_email(self, workspace_id: int, email: str) -> Customer | None:
        row = self.conn.execute(
            select(customers)
            .where(customers.c.workspace_id == workspace_id, customers.c.email == email)
            .order_by(customers.c.created_at)
        ).first()
        return _customer(row._mapping) if row else None

    def customers(self, workspace_id: int, *, email: str | None = None, limit: int = 100) -> list[Customer]:
        query = select(customers).where(customers.c.workspace_id == workspace_id)
        if email is not None:
            query = query.where(customers.c.email == email)
        rows = self.conn.execute(query.order_by(customers.c.created_at).limit(limit)).mappings()
        return [_customer(r) for r in rows]

    def update_customer(self, customer_id: str, **values: Any) -> None:
        self.conn.execute(update(customers).where(customers.c.id == customer_id).values(**values))

    def active_membership_ids(self, customer_id: str, now: datetime) -> set[str]:
        rows = self.conn.execute(
            select(customer_memberships.c.membership_id).where(
                customer_memberships.c.customer_id == customer_id, customer_memberships.c.expires_at > now
            )
        ).scalars()
        return set(rows)

    def add_customer_membership(self, values: dict[str, Any]) -> None:
        self.conn.execute(insert(customer_memberships).values(**values))


_PERFORMANCES = select(*performances.c, events.c.key.label("event_key")).join(
    events, events.c.id == performances.c.event_id
)
# Read on every basket change, built once (SQLAlchemy skips building the expression and its cache key).
_PERFORMANCE = _PERFORMANCES.where(performances.c.event_id == bindparam("event_id"))
_PRICES = (
    select(prices).where(prices.c.event_id == bindparam("event_id")).order_by(prices.c.category_key, prices.c.amount)
)
_FEES = select(fees).where(fees.c.event_id == bindparam("event_id")).order_by(fees.c.name)
_TICKET_TYPE = select(ticket_types).where(
    ticket_types.c.workspace_id == bindparam("workspace_id"), ticket_types.c.id == bindparam("id")
)


def _production(m: Any) -> Production:
    return Production(
        m["id"], m["workspace_id"], m["name"], m["description"], m["duration_minutes"], dict(m["attributes"] or {})
    )


def _performance(m: Any) -> Performance:
    return Performance(
        event_id=m["event_id"],
        event_key=m["event_key"],
        production_id=m["production_id"],
        start=m["start"],
        currency=m["currency"],
        web_sale_from=m["web_sale_from"],
        web_sale_until=m["web_sale_until"],
        box_office_sale_from=m["box_office_sale_from"],
        box_office_sale_until=m["box_office_sale_until"],
        cancelled=m["cancelled"],
    )


def _customer(m: Any) -> Customer:
    return Customer(m["id"], m["workspace_id"], m["first_name"], m["last_name"], m["email"], dict(m["address"] or {}))
