"""Agents' invoices and the agent sales report (services/agent_reports.py), as JSON or CSV.

Periods: ``from`` (inclusive) and ``to`` (exclusive) are dates (midnight UTC) or ISO 8601 dates and times
(UTC when they carry no offset), and select orders by when they were made. Figures count valid tickets
only: a returned ticket is in no amount (it is counted in ``returnedTickets``); a cancelled order has no
invoice line. ``gross`` = ticket prices + fees (+ merchandise and donations on an invoice), ``net`` =
gross - commission: what the agent owes. Money is integer minor units; totals are per currency.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from pydantic import AwareDatetime, Field
from starlette.responses import Response

from boxoffice.api.admin import agent_reports_csv
from boxoffice.api.admin.auth import DatabaseDep, WorkspaceDep
from boxoffice.api.admin.errors import AdminError
from boxoffice.api.admin.models import RESPONSES, ApiModel
from boxoffice.domain.agent_reports import (
    AgentRef,
    CurrencyTotal,
    Figures,
    Invoice,
    InvoiceLine,
    PerformanceRef,
    Period,
    SalesReport,
    SalesRow,
    parse_moment,
)
from boxoffice.domain.errors import InvalidInput
from boxoffice.services import agent_reports

router = APIRouter(tags=["agent reports"], responses=RESPONSES)

MOMENT = "A date (midnight UTC) or an ISO 8601 date and time (UTC if it has no offset)"
Moment = Annotated[str, Field(max_length=64)]
Format = Literal["json", "csv"]
CSV_RESPONSE: dict[int | str, dict[str, Any]] = {
    200: {"content": {"text/csv": {"schema": {"type": "string"}}}, "description": "JSON, or CSV with ?format=csv"}
}


class AgentRefOut(ApiModel):
    id: str = Field(description="The agent's customer record id")
    login: str
    name: str


class TicketFiguresOut(ApiModel):
    tickets: int = Field(description="Valid tickets")
    returned_tickets: int = Field(description="Returned tickets: in no amount")
    ticket_prices: int
    fees: int
    gross: int
    commission: int
    net: int = Field(description="gross - commission: what the agent owes")


class FiguresOut(TicketFiguresOut):
    items: int = Field(description="Valid merchandise and donations (in gross)")


class PerformanceOut(ApiModel):
    event_key: str
    production_id: str | None
    production_name: str | None
    start: AwareDatetime | None


class InvoiceLineOut(FiguresOut):
    order_id: str
    reference: str
    created_at: AwareDatetime
    channel: str
    status: str
    currency: str
    end_customer: dict[str, str] = Field(description="What the agent wrote back about its buyer")
    end_customer_name: str
    end_customer_reference: str
    performances: list[PerformanceOut]


class InvoiceTotalOut(FiguresOut):
    currency: str
    orders: int


class InvoiceOut(ApiModel):
    agent: AgentRefOut
    from_: AwareDatetime | None = Field(alias="from")
    to: AwareDatetime | None
    drawn_at: AwareDatetime
    lines: list[InvoiceLineOut]
    totals: list[InvoiceTotalOut] = Field(description="Per currency; a zero total when there are no lines")


class SalesCellOut(TicketFiguresOut):
    ticket_type_id: str
    ticket_type: str
    band: str = Field(description="The price band (category key)")


class SalesRowOut(TicketFiguresOut):
    agent: AgentRefOut
    performance: PerformanceOut
    currency: str
    by_ticket_type: list[SalesCellOut]


class SalesTotalOut(TicketFiguresOut):
    currency: str


class AgentTotalOut(ApiModel):
    agent: AgentRefOut
    totals: list[SalesTotalOut]


class SalesReportOut(ApiModel):
    from_: AwareDatetime | None = Field(alias="from")
    to: AwareDatetime | None
    event_key: str | None
    production_id: str | None
    agent_id: str | None
    drawn_at: AwareDatetime
    rows: list[SalesRowOut]
    agents: list[AgentTotalOut]
    totals: list[SalesTotalOut]


# -- rendering ------------------------------------------------------------------------------------------------
def _ticket_figures(f: Figures) -> dict[str, int]:
    return {
        "tickets": f.tickets,
        "returned_tickets": f.returned,
        "ticket_prices": f.prices,
        "fees": f.fees,
        "gross": f.gross,
        "commission": f.commission,
        "net": f.net,
    }


def _figures(f: Figures) -> dict[str, int]:
    return {**_ticket_figures(f), "items": f.items}


def _agent(a: AgentRef) -> AgentRefOut:
    return AgentRefOut(id=a.id, login=a.login, name=a.name)


def _performance(p: PerformanceRef) -> PerformanceOut:
    return PerformanceOut(
        event_key=p.event_key, production_id=p.production_id, production_name=p.production_name, start=p.start
    )


def _line(line: InvoiceLine) -> InvoiceLineOut:
    return InvoiceLineOut(
        order_id=line.order_id,
        reference=line.reference,
        created_at=line.created_at,
        channel=line.channel,
        status=line.status,
        currency=line.currency,
        end_customer=dict(line.end_customer),
        end_customer_name=line.end_customer_name,
        end_customer_reference=line.end_customer_reference,
        performances=[_performance(p) for p in line.performances],
        **_figures(line.figures),
    )


def invoice_out(invoice: Invoice) -> InvoiceOut:
    return InvoiceOut(
        agent=_agent(invoice.agent),
        from_=invoice.period.start,
        to=invoice.period.end,
        drawn_at=invoice.drawn_at,
        lines=[_line(line) for line in invoice.lines],
        totals=[
            InvoiceTotalOut(currency=t.currency, orders=t.orders or 0, **_figures(t.figures)) for t in invoice.totals
        ],
    )


def _sales_totals(totals: tuple[CurrencyTotal, ...]) -> list[SalesTotalOut]:
    return [SalesTotalOut(currency=t.currency, **_ticket_figures(t.figures)) for t in totals]


def _row(row: SalesRow) -> SalesRowOut:
    return SalesRowOut(
        agent=_agent(row.agent),
        performance=_performance(row.performance),
        currency=row.currency,
        by_ticket_type=[
            SalesCellOut(
                ticket_type_id=c.ticket_type_id, ticket_type=c.ticket_type, band=c.band, **_ticket_figures(c.figures)
            )
            for c in row.cells
        ],
        **_ticket_figures(row.figures),
    )


def report_out(report: SalesReport) -> SalesReportOut:
    return SalesReportOut(
        from_=report.period.start,
        to=report.period.end,
        event_key=report.event_key,
        production_id=report.production_id,
        agent_id=report.agent_id,
        drawn_at=report.drawn_at,
        rows=[_row(r) for r in report.rows],
        agents=[AgentTotalOut(agent=_agent(a.agent), totals=_sales_totals(a.totals)) for a in report.agents],
        totals=_sales_totals(report.totals),
    )


# -- routes ---------------------------------------------------------------------------------------------------
def _moment(value: str | None, name: str) -> datetime | None:
    if value is None:
        return None
    try:
        return parse_moment(value, name)
    except InvalidInput as exc:
        detail = {"field": name, "message": exc.message, "code": "datetime_parsing"}
        raise AdminError(422, "VALIDATION_ERROR", exc.message, [detail]) from None


def _period(start: str | None, end: str | None) -> Period:
    return Period(_moment(start, "from"), _moment(end, "to"))  # from after to: 400 INVALID_INPUT


@router.get(
    "/agents/{agentId}/invoice",
    response_model=InvoiceOut,
    responses=CSV_RESPONSE,
    summary="An agent's invoice for a period",
)
def agent_invoice(
    ws: WorkspaceDep,
    db: DatabaseDep,
    agentId: str,
    start: Annotated[Moment, Query(alias="from", description=f"Orders made from (inclusive). {MOMENT}")],
    end: Annotated[Moment, Query(alias="to", description=f"Orders made before (exclusive). {MOMENT}")],
    format: Annotated[Format, Query(description="json (default) or csv")] = "json",
) -> Any:
    """One line per order of the agent made in the period (cancelled orders left out), with totals per
    currency. An agent without sales gets no lines and a zero total."""
    invoice = agent_reports.agent_invoice(db, ws, agentId, _period(start, end))
    if format == "csv":
        return _csv(agent_reports_csv.invoice(invoice), f"invoice-{invoice.agent.id}.csv")
    return invoice_out(invoice)


@router.get(
    "/reports/agent-sales",
    response_model=SalesReportOut,
    responses=CSV_RESPONSE,
    summary="Agents' sales per agent and performance",
)
def agent_sales(
    ws: WorkspaceDep,
    db: DatabaseDep,
    start: Annotated[Moment | None, Query(alias="from", description=f"Orders made from (inclusive). {MOMENT}")] = None,
    end: Annotated[Moment | None, Query(alias="to", description=f"Orders made before (exclusive). {MOMENT}")] = None,
    event_key: Annotated[str | None, Query(alias="eventKey", max_length=128, description="One performance")] = None,
    production_id: Annotated[str | None, Query(alias="productionId", max_length=40)] = None,
    agent_id: Annotated[str | None, Query(alias="agentId", max_length=40)] = None,
    format: Annotated[Format, Query(description="json (default) or csv (one line per ticket type and band)")] = "json",
) -> Any:
    """Per agent and performance, and within it per ticket type and price band: valid tickets, returned
    tickets, gross (ticket prices and fees), commission and net; per agent and overall totals per
    currency. Merchandise and donations belong to no performance: they are on the invoice only."""
    report = agent_reports.agent_sales(
        db, ws, _period(start, end), event_key=event_key, production_id=production_id, agent_id=agent_id
    )
    if format == "csv":
        return _csv(agent_reports_csv.sales(report), "agent-sales.csv")
    return report_out(report)


def _csv(text: str, filename: str) -> Response:
    return Response(
        text,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
