"""Agents' invoices and the agent sales report as CSV, for a spreadsheet: a header line, a line per invoice
line (or per agent, performance, ticket type and band), then a TOTAL line per currency. Money is integer
minor units, as in the JSON.

Text an agent wrote (its buyer's name and reference) could start a spreadsheet formula: a cell that starts
with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a leading apostrophe (OWASP's advice
against CSV injection)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from boxoffice.domain.agent_reports import Figures, Invoice, SalesReport

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
TICKET_FIGURES = ("tickets", "returnedTickets", "ticketPrices", "fees", "gross", "commission", "net")


def _cell(value: object) -> object:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _render(header: Sequence[str], lines: Iterable[Sequence[object]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([_cell(v) for v in line] for line in lines)
    return buffer.getvalue()


def _ticket_figures(f: Figures) -> list[object]:
    return [f.tickets, f.returned, f.prices, f.fees, f.gross, f.commission, f.net]


def invoice(doc: Invoice) -> str:
    header = [
        "reference", "date", "channel", "endCustomerName", "endCustomerReference", "performances", "currency",
        "tickets", "returnedTickets", "ticketPrices", "fees", "items", "gross", "commission", "net",
    ]  # fmt: skip
    lines: list[list[object]] = []
    for line in doc.lines:
        f = line.figures
        performances = " ".join(p.event_key for p in line.performances)
        lines.append(
            [line.reference, line.created_at.isoformat(), line.channel, line.end_customer_name,
             line.end_customer_reference, performances, line.currency,
             f.tickets, f.returned, f.prices, f.fees, f.items, f.gross, f.commission, f.net]
        )  # fmt: skip
    for t in doc.totals:
        f = t.figures
        lines.append(
            ["TOTAL", "", "", "", "", "", t.currency,
             f.tickets, f.returned, f.prices, f.fees, f.items, f.gross, f.commission, f.net]
        )  # fmt: skip
    return _render(header, lines)


def sales(doc: SalesReport) -> str:
    header = ["agentId", "agentLogin", "agentName", "eventKey", "production", "start", "currency", "ticketType",
              "band", *TICKET_FIGURES]  # fmt: skip
    lines: list[list[object]] = []
    for row in doc.rows:
        start = row.performance.start.isoformat() if row.performance.start else ""
        where = [row.agent.id, row.agent.login, row.agent.name, row.performance.event_key,
                 row.performance.production_name or "", start, row.currency]  # fmt: skip
        lines.extend([*where, c.ticket_type, c.band, *_ticket_figures(c.figures)] for c in row.cells)
    for t in doc.totals:
        lines.append(["TOTAL", "", "", "", "", "", t.currency, "", "", *_ticket_figures(t.figures)])
    return _render(header, lines)
