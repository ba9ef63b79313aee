"""What agents sold and what they owe: the invoice of one agent for a period, and the sales report across
agents (Spektrix's "Reporting and Invoicing for Agencies").

An agent buys on account ("agency" payments stay pending): the venue invoices it for what it sold. The
figures of an order or a ticket are what is *valid now*:

* gross = ticket prices + the fees of valid tickets + valid merchandise and donation items;
* commission = the commission fixed on each valid ticket when it was sold (domain/agents.py);
* net = gross - commission: what the agent owes.

A returned ticket (order_tickets.status = returned) is left out of every figure (it is only counted, as
`returned`), and a cancelled order has no line on an invoice: a statement for a period shows the orders
made in it as they stand when it is drawn up. There are no credit lines: nothing records *when* a ticket
was returned, so a return cannot be dated into a later period (drawing the statement again after a return
gives the lower figure). Money is integer minor units; amounts in different currencies are never added
together: totals are per currency.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from boxoffice.domain.errors import InvalidInput

DEFAULT_CURRENCY = "GBP"  # the catalogue's default: the zero total of an agent with no sales and no structure
MAX_MOMENT = 64


def parse_moment(text: str, name: str) -> datetime:
    """A date (midnight UTC) or an ISO 8601 date and time; one without an offset is UTC."""
    if len(text) > MAX_MOMENT:
        raise InvalidInput(f"{name}: not an ISO 8601 date or date and time")
    try:
        parsed = datetime.fromisoformat(text)
        return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)
    except (ValueError, OverflowError):
        raise InvalidInput(f"{name}: not an ISO 8601 date or date and time: {text!r}") from None


@dataclass(frozen=True, slots=True)
class Period:
    """Orders made at or after `start` and before `end` (None: unbounded), in UTC."""

    start: datetime | None = None
    end: datetime | None = None

    def __post_init__(self) -> None:
        for moment in (self.start, self.end):
            if moment is not None and moment.tzinfo is None:
                raise InvalidInput("A period's bounds need a timezone")
        if self.start is not None and self.end is not None and self.start > self.end:
            raise InvalidInput("The period's 'from' is after its 'to'")


@dataclass(frozen=True, slots=True)
class Figures:
    """Counts and money (minor units of one currency) of some tickets and items."""

    tickets: int = 0  # valid
    returned: int = 0  # returned tickets: counted, in no amount
    prices: int = 0  # of valid tickets
    fees: int = 0  # of valid tickets
    items: int = 0  # valid merchandise and donations
    commission: int = 0  # on valid tickets

    @property
    def gross(self) -> int:
        return self.prices + self.fees + self.items

    @property
    def net(self) -> int:
        return self.gross - self.commission

    def __add__(self, other: Figures) -> Figures:
        return Figures(
            self.tickets + other.tickets,
            self.returned + other.returned,
            self.prices + other.prices,
            self.fees + other.fees,
            self.items + other.items,
            self.commission + other.commission,
        )


@dataclass(frozen=True, slots=True)
class CurrencyTotal:
    currency: str
    figures: Figures
    orders: int | None = None  # on an invoice, its lines; not counted by the sales report


def currency_totals(
    parts: Iterable[tuple[str, Figures]], *, zero_currency: str | None = None, count_orders: bool = False
) -> tuple[CurrencyTotal, ...]:
    """(currency, figures) summed per currency, currencies in alphabetical order (with `count_orders`,
    each part is an order and they are counted). With nothing to sum, one zero total in `zero_currency`
    (if given)."""
    sums: dict[str, tuple[int, Figures]] = {}
    for currency, figures in parts:
        count, had = sums.get(currency, (0, Figures()))
        sums[currency] = (count + 1, had + figures)
    if not sums and zero_currency is not None:
        sums[zero_currency] = (0, Figures())
    return tuple(CurrencyTotal(c, f, n if count_orders else None) for c, (n, f) in sorted(sums.items()))


@dataclass(frozen=True, slots=True)
class PerformanceRef:
    event_key: str
    production_id: str | None = None  # None: an event that is no production's performance
    production_name: str | None = None
    start: datetime | None = None


@dataclass(frozen=True, slots=True)
class InvoiceLine:
    """One order of the agent: its valid tickets and items."""

    order_id: str
    reference: str
    created_at: datetime
    channel: str
    status: str
    currency: str
    end_customer: Mapping[str, str]  # what the agent wrote back about its buyer (domain/agents.py)
    figures: Figures
    performances: tuple[PerformanceRef, ...] = ()

    @property
    def end_customer_name(self) -> str:
        return " ".join(self.end_customer[k] for k in ("firstName", "lastName") if self.end_customer.get(k))

    @property
    def end_customer_reference(self) -> str:
        return self.end_customer.get("reference", "")


@dataclass(frozen=True, slots=True)
class AgentRef:
    id: str
    login: str
    name: str


@dataclass(frozen=True, slots=True)
class Invoice:
    agent: AgentRef
    period: Period
    drawn_at: datetime
    lines: tuple[InvoiceLine, ...]
    totals: tuple[CurrencyTotal, ...]


@dataclass(frozen=True, slots=True)
class SalesCell:
    """One agent's tickets of one ticket type in one price band of one performance."""

    ticket_type_id: str
    ticket_type: str  # its name
    band: str  # category key
    figures: Figures


@dataclass(frozen=True, slots=True)
class SalesRow:
    """One agent's tickets for one performance (in the performance's currency)."""

    agent: AgentRef
    performance: PerformanceRef
    currency: str
    figures: Figures
    cells: tuple[SalesCell, ...] = ()


@dataclass(frozen=True, slots=True)
class AgentTotal:
    agent: AgentRef
    totals: tuple[CurrencyTotal, ...]


@dataclass(frozen=True, slots=True)
class SalesReport:
    period: Period
    drawn_at: datetime
    rows: tuple[SalesRow, ...]
    agents: tuple[AgentTotal, ...] = ()  # per agent, per currency
    totals: tuple[CurrencyTotal, ...] = ()  # per currency
    event_key: str | None = None
    production_id: str | None = None
    agent_id: str | None = None


def sales_rows(cells: Iterable[tuple[AgentRef, PerformanceRef, str, SalesCell]]) -> tuple[SalesRow, ...]:
    """Cells (ticket type x band) rolled up per agent, performance and currency, in the order given."""
    grouped: dict[tuple[str, str, str], tuple[AgentRef, PerformanceRef, str, list[SalesCell]]] = {}
    for agent, performance, currency, cell in cells:
        key = (agent.id, performance.event_key, currency)
        grouped.setdefault(key, (agent, performance, currency, []))[3].append(cell)
    return tuple(
        SalesRow(agent, performance, currency, sum((c.figures for c in found), Figures()), tuple(found))
        for agent, performance, currency, found in grouped.values()
    )


def agent_totals(rows: Iterable[SalesRow]) -> tuple[AgentTotal, ...]:
    """Per agent (in the order of `rows`), its totals per currency."""
    grouped: dict[str, tuple[AgentRef, list[SalesRow]]] = {}
    for row in rows:
        grouped.setdefault(row.agent.id, (row.agent, []))[1].append(row)
    return tuple(
        AgentTotal(agent, currency_totals((r.currency, r.figures) for r in found)) for agent, found in grouped.values()
    )
