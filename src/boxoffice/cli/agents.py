"""Agent commands: `boxoffice agents list`, `boxoffice agents invoice AGENT_ID --from --to`, `boxoffice agents
sales`. Amounts are integer minor units (pence, cents), as everywhere in boxoffice; periods are a date
(midnight UTC) or an ISO 8601 date and time (UTC if it has no offset), `--from` inclusive, `--to` exclusive.
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from boxoffice.cli.catalogue import SecretKey, fail, rows, say, workspace_session
from boxoffice.domain.agent_reports import CurrencyTotal, Figures, Invoice, Period, SalesReport, parse_moment
from boxoffice.domain.errors import InvalidInput
from boxoffice.services import agent_reports, agents

agents_app = typer.Typer(help="Agents: who they are, their invoices and sales.", no_args_is_help=True)
MINOR_UNITS = "Amounts in minor units (pence, cents) of each line's currency."
FromOpt = Annotated[str, typer.Option("--from", help="Orders made from (inclusive): a date or ISO date and time, UTC.")]
ToOpt = Annotated[str, typer.Option("--to", help="Orders made before (exclusive): a date or ISO date and time, UTC.")]


def _console() -> Console:
    """Wide enough for a whole invoice line when the output is not a terminal (a file, a pipe, a test)."""
    console = Console(highlight=False)
    if not console.is_terminal:
        console = Console(highlight=False, width=200)
    return console


def _period(start: str | None, end: str | None) -> Period:
    try:
        return Period(
            parse_moment(start, "--from") if start is not None else None,
            parse_moment(end, "--to") if end is not None else None,
        )
    except InvalidInput as exc:
        fail(exc.message)


def _money(f: Figures) -> list[str]:
    return [str(f.gross), str(f.commission), str(f.net)]


@agents_app.command("list")
def agents_list(secret_key: SecretKey = None) -> None:
    """List agents (their ids are their customer record ids)."""
    with workspace_session(secret_key) as (db, ws):
        found = agents.list_agents(db, ws)
    rows(
        ["ID", "LOGIN", "NAME", "RESTRICTED", "ACTIVE"],
        [(a.id, a.login, a.name, "yes" if a.restricted else "", "yes" if a.active else "no") for a in found],
    )


@agents_app.command("invoice")
def agents_invoice(
    agent_id: Annotated[str, typer.Argument(help="The agent's id (its customer record id).")],
    start: FromOpt,
    end: ToOpt,
    secret_key: SecretKey = None,
) -> None:
    """An agent's invoice: a line per order made in the period (cancelled orders left out, returned tickets
    in no amount), what it owes after its commission, totals per currency."""
    period = _period(start, end)
    with workspace_session(secret_key) as (db, ws):
        invoice = agent_reports.agent_invoice(db, ws, agent_id, period)
    _console().print(_invoice_table(invoice))


def _invoice_table(invoice: Invoice) -> Table:
    period = invoice.period
    assert period.start is not None and period.end is not None
    table = Table(
        title=f"Invoice: {invoice.agent.name or invoice.agent.login} ({invoice.agent.id})",
        caption=f"Orders made from {period.start.isoformat()} to before {period.end.isoformat()}. {MINOR_UNITS}",
    )
    for name in ("Reference", "Date", "Channel", "End customer", "Their ref", "Performances"):
        table.add_column(name, overflow="fold")
    table.add_column("Cur")
    for name in ("Tickets", "Returned", "Items", "Gross", "Commission", "Net"):
        table.add_column(name, justify="right")
    for line in invoice.lines:
        f = line.figures
        table.add_row(
            line.reference,
            line.created_at.strftime("%Y-%m-%d %H:%M"),
            line.channel,
            line.end_customer_name,
            line.end_customer_reference,
            " ".join(p.event_key for p in line.performances),
            line.currency,
            str(f.tickets),
            str(f.returned),
            str(f.items),
            *_money(f),
        )
    table.add_section()
    for t in invoice.totals:
        _total_row(table, t, f"TOTAL ({t.orders} orders)", blanks=5, items=True)
    return table


def _total_row(table: Table, total: CurrencyTotal, label: str, *, blanks: int, items: bool) -> None:
    f = total.figures
    counts = [str(f.tickets), str(f.returned)] + ([str(f.items)] if items else [])
    table.add_row(label, *[""] * blanks, total.currency, *counts, *_money(f), style="bold")


@agents_app.command("sales")
def agents_sales(
    start: Annotated[str | None, typer.Option("--from", help="Orders made from (inclusive), UTC.")] = None,
    end: Annotated[str | None, typer.Option("--to", help="Orders made before (exclusive), UTC.")] = None,
    event: Annotated[str | None, typer.Option(help="Only this performance (event key).")] = None,
    production: Annotated[str | None, typer.Option(help="Only this production's performances.")] = None,
    agent: Annotated[str | None, typer.Option(help="Only this agent (id).")] = None,
    secret_key: SecretKey = None,
) -> None:
    """Agents' sales per agent and performance: tickets sold (still valid), returned, gross, commission, net."""
    period = _period(start, end)
    with workspace_session(secret_key) as (db, ws):
        report = agent_reports.agent_sales(db, ws, period, event_key=event, production_id=production, agent_id=agent)
    if not report.rows:
        say("no agent sales")
        return
    _console().print(_sales_table(report))


def _sales_table(report: SalesReport) -> Table:
    table = Table(title="Agent sales", caption=f"Tickets only (no merchandise or donations). {MINOR_UNITS}")
    for name in ("Agent", "Performance", "Production", "Start"):
        table.add_column(name, overflow="fold")
    table.add_column("Cur")
    for name in ("Sold", "Returned", "Gross", "Commission", "Net"):
        table.add_column(name, justify="right")
    for row in report.rows:
        p, f = row.performance, row.figures
        start = p.start.strftime("%Y-%m-%d %H:%M") if p.start else ""
        table.add_row(
            row.agent.login, p.event_key, p.production_name or "", start, row.currency,
            str(f.tickets), str(f.returned), *_money(f),
        )  # fmt: skip
    table.add_section()
    for t in report.totals:
        _total_row(table, t, "TOTAL", blanks=3, items=False)
    return table
