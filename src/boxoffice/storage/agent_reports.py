"""The queries behind agents' invoices and the agent sales report (domain/agent_reports.py). Each sums in
SQL: an invoice is two statements whatever the number of orders, the sales report one.

Sums of BigInteger columns come back as numeric on PostgreSQL (Decimal): every figure goes through int().
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from sqlalchemy import ColumnElement, Connection, Select, case, func, select

from boxoffice.domain.agent_reports import (
    AgentRef,
    Figures,
    InvoiceLine,
    PerformanceRef,
    Period,
    SalesCell,
)
from boxoffice.storage.commerce_tables import (
    agents,
    customers,
    order_items,
    order_tickets,
    orders,
    performances,
    productions,
    ticket_types,
)
from boxoffice.storage.tables import events

VALID = "valid"
CANCELLED = "cancelled"


def _sum_if(condition: ColumnElement[bool], value: Any) -> ColumnElement[Any]:
    return func.coalesce(func.sum(case((condition, value), else_=0)), 0)


def _ticket_sums() -> list[ColumnElement[Any]]:
    valid = order_tickets.c.status == VALID
    return [
        _sum_if(valid, 1).label("tickets"),
        _sum_if(~valid, 1).label("returned"),
        _sum_if(valid, order_tickets.c.price).label("prices"),
        _sum_if(valid, order_tickets.c.fees).label("fees"),
        _sum_if(valid, order_tickets.c.commission).label("commission"),
    ]


def _figures(m: Any, items: int = 0) -> Figures:
    return Figures(
        tickets=int(m["tickets"] or 0),
        returned=int(m["returned"] or 0),
        prices=int(m["prices"] or 0),
        fees=int(m["fees"] or 0),
        items=items,
        commission=int(m["commission"] or 0),
    )


def _in_period(query: Select[Any], period: Period) -> Select[Any]:
    if period.start is not None:
        query = query.where(orders.c.created_at >= period.start)
    if period.end is not None:
        query = query.where(orders.c.created_at < period.end)
    return query


def _performance(m: Any) -> PerformanceRef:
    return PerformanceRef(m["event_key"], m["production_id"], m["production_name"], m["start"])


class AgentReportQueries:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def invoice_lines(self, workspace_id: int, agent_id: str, period: Period) -> list[InvoiceLine]:
        """The agent's orders made in `period`, cancelled ones left out, oldest first: one statement for
        the figures, one for the performances."""
        chosen = _in_period(
            select(orders.c.id).where(
                orders.c.workspace_id == workspace_id,
                orders.c.customer_id == agent_id,
                orders.c.status != CANCELLED,
            ),
            period,
        ).subquery("chosen")
        tickets = (
            select(order_tickets.c.order_id, *_ticket_sums())
            .join(chosen, chosen.c.id == order_tickets.c.order_id)
            .group_by(order_tickets.c.order_id)
            .subquery("ticket_sums")
        )
        items = (
            select(
                order_items.c.order_id,
                _sum_if(order_items.c.status == VALID, order_items.c.amount * order_items.c.quantity).label("items"),
            )
            .join(chosen, chosen.c.id == order_items.c.order_id)
            .group_by(order_items.c.order_id)
            .subquery("item_sums")
        )
        rows = self.conn.execute(
            select(
                orders.c.id,
                orders.c.reference,
                orders.c.created_at,
                orders.c.channel,
                orders.c.status,
                orders.c.currency,
                orders.c.end_customer,
                tickets.c.tickets,
                tickets.c.returned,
                tickets.c.prices,
                tickets.c.fees,
                tickets.c.commission,
                items.c["items"],
            )
            .join(chosen, chosen.c.id == orders.c.id)
            .outerjoin(tickets, tickets.c.order_id == orders.c.id)
            .outerjoin(items, items.c.order_id == orders.c.id)
            .order_by(orders.c.created_at, orders.c.id)
        ).mappings()
        lines = [
            InvoiceLine(
                order_id=m["id"],
                reference=m["reference"],
                created_at=m["created_at"],
                channel=m["channel"],
                status=m["status"],
                currency=m["currency"],
                end_customer=dict(m["end_customer"] or {}),
                figures=_figures(m, int(m["items"] or 0)),
            )
            for m in rows
        ]
        if not lines:
            return []
        shown = self._performances_of(chosen)
        return [replace(line, performances=tuple(shown.get(line.order_id, ()))) for line in lines]

    def _performances_of(self, chosen: Any) -> dict[str, list[PerformanceRef]]:
        """Per order, the performances of its valid tickets, earliest first."""
        rows = self.conn.execute(
            select(
                order_tickets.c.order_id,
                events.c.key.label("event_key"),
                performances.c.production_id,
                productions.c.name.label("production_name"),
                performances.c.start,
            )
            .distinct()
            .join(chosen, chosen.c.id == order_tickets.c.order_id)
            .join(events, events.c.id == order_tickets.c.event_id)
            .outerjoin(performances, performances.c.event_id == events.c.id)
            .outerjoin(productions, productions.c.id == performances.c.production_id)
            .where(order_tickets.c.status == VALID)
            .order_by(order_tickets.c.order_id, performances.c.start, events.c.key)
        ).mappings()
        found: dict[str, list[PerformanceRef]] = {}
        for m in rows:
            found.setdefault(m["order_id"], []).append(_performance(m))
        return found

    def sales(
        self,
        workspace_id: int,
        period: Period,
        *,
        event_id: int | None = None,
        production_id: str | None = None,
        agent_id: str | None = None,
    ) -> list[tuple[AgentRef, PerformanceRef, str, SalesCell]]:
        """Agents' tickets (orders of agents' customer records, cancelled ones too: their tickets count as
        returned) summed per agent, performance, currency, ticket type and band, in one statement."""
        keys = [
            orders.c.customer_id,
            order_tickets.c.event_id,
            orders.c.currency,
            order_tickets.c.ticket_type_id,
            order_tickets.c.category_key,
        ]
        sums = _in_period(
            select(*keys, *_ticket_sums())
            .join(agents, agents.c.customer_id == orders.c.customer_id)
            .join(order_tickets, order_tickets.c.order_id == orders.c.id)
            .where(orders.c.workspace_id == workspace_id, agents.c.workspace_id == workspace_id),
            period,
        )
        if event_id is not None:
            sums = sums.where(order_tickets.c.event_id == event_id)
        if production_id is not None:
            of_production = select(performances.c.event_id).where(performances.c.production_id == production_id)
            sums = sums.where(order_tickets.c.event_id.in_(of_production))
        if agent_id is not None:
            sums = sums.where(orders.c.customer_id == agent_id)
        s = sums.group_by(*keys).subquery("sums")
        rows = self.conn.execute(
            select(
                s,
                agents.c.login,
                customers.c.first_name,
                customers.c.last_name,
                events.c.key.label("event_key"),
                performances.c.production_id,
                productions.c.name.label("production_name"),
                performances.c.start,
                ticket_types.c.name.label("ticket_type"),
            )
            .join(agents, agents.c.customer_id == s.c.customer_id)
            .join(customers, customers.c.id == s.c.customer_id)
            .join(events, events.c.id == s.c.event_id)
            .outerjoin(performances, performances.c.event_id == s.c.event_id)
            .outerjoin(productions, productions.c.id == performances.c.production_id)
            .outerjoin(ticket_types, ticket_types.c.id == s.c.ticket_type_id)
            .order_by(
                agents.c.login,
                s.c.customer_id,
                performances.c.start,
                events.c.key,
                s.c.currency,
                ticket_types.c.name,
                s.c.ticket_type_id,
                s.c.category_key,
            )
        ).mappings()
        return [
            (
                AgentRef(m["customer_id"], m["login"], _name(m["first_name"], m["last_name"])),
                _performance(m),
                m["currency"],
                SalesCell(m["ticket_type_id"], m["ticket_type"] or m["ticket_type_id"], m["category_key"], _figures(m)),
            )
            for m in rows
        ]


def _name(first: str | None, last: str | None) -> str:
    return " ".join(part for part in (first, last) if part)
