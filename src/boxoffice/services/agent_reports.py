"""Agents' invoices and the agent sales report (domain/agent_reports.py): read-only use cases.

    invoice = agent_invoice(db, workspace, agent_id, Period(start, end))
    report = agent_sales(db, workspace, Period(start, end), event_key="hamlet-1")

Both read in one transaction and a fixed number of statements, however many orders there are.
"""

from __future__ import annotations

from datetime import datetime

from boxoffice.domain.agent_reports import (
    DEFAULT_CURRENCY,
    AgentRef,
    Invoice,
    Period,
    SalesReport,
    agent_totals,
    currency_totals,
    sales_rows,
)
from boxoffice.domain.errors import EventNotFound
from boxoffice.domain.records import Workspace
from boxoffice.services.agents import agent_in, commission_structure_of
from boxoffice.services.catalogue import require_production
from boxoffice.services.clock import utcnow
from boxoffice.storage.agent_reports import AgentReportQueries
from boxoffice.storage.uow import Database


def agent_invoice(
    db: Database, workspace: Workspace, agent_id: str, period: Period, *, now: datetime | None = None
) -> Invoice:
    """One line per order of the agent made in `period` (cancelled orders left out; returned tickets in
    no amount), totals per currency. No orders: no lines and a zero total in the currency of the agent's
    commission structure (or the catalogue's default)."""
    with db.read() as uow:
        agent = agent_in(uow, workspace, agent_id)
        lines = AgentReportQueries(uow.connection).invoice_lines(workspace.id, agent.id, period)
        structure = None if lines else commission_structure_of(uow, agent)
    zero = structure.currency if structure is not None else DEFAULT_CURRENCY
    totals = currency_totals(((line.currency, line.figures) for line in lines), zero_currency=zero, count_orders=True)
    return Invoice(AgentRef(agent.id, agent.login, agent.name), period, now or utcnow(), tuple(lines), totals)


def agent_sales(
    db: Database,
    workspace: Workspace,
    period: Period,
    *,
    event_key: str | None = None,
    production_id: str | None = None,
    agent_id: str | None = None,
    now: datetime | None = None,
) -> SalesReport:
    """Per agent and performance (and within it per ticket type and band): tickets sold and still valid,
    tickets returned, gross, commission and net, of orders made in `period`; per agent and overall totals
    per currency. A filter naming nothing (an unknown event, production or agent) is a NotFound."""
    with db.read() as uow:
        event_id = None
        if event_key is not None:
            event = uow.events.by_key(workspace.id, event_key)
            if event is None:
                raise EventNotFound(f"Event not found: {event_key}")
            event_id = event.id
        if production_id is not None:
            require_production(uow, workspace, production_id)
        if agent_id is not None:
            agent_in(uow, workspace, agent_id)
        cells = AgentReportQueries(uow.connection).sales(
            workspace.id, period, event_id=event_id, production_id=production_id, agent_id=agent_id
        )
    rows = sales_rows(cells)
    return SalesReport(
        period=period,
        drawn_at=now or utcnow(),
        rows=rows,
        agents=agent_totals(rows),
        totals=currency_totals((row.currency, row.figures) for row in rows),
        event_key=event_key,
        production_id=production_id,
        agent_id=agent_id,
    )
