"""Catalogue, customer and order commands: `boxoffice production create`, `boxoffice prices set`, ...

Each works on the demo workspace unless given ``--secret-key`` (or BOXOFFICE_SECRET_KEY). Amounts are
integer minor units (pence, cents); times are ISO 8601 with a timezone. Bad input is one line on stderr
and exit status 1.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Annotated, NoReturn

import typer
from rich.console import Console

from boxoffice.config import DEFAULT_SQLITE_PATH, Settings
from boxoffice.domain.baskets import Order
from boxoffice.domain.catalogue import Price
from boxoffice.domain.errors import BoxofficeError
from boxoffice.domain.records import Workspace
from boxoffice.services import catalogue, customers, orders
from boxoffice.storage.uow import Database

DEMO_KEYS = DEFAULT_SQLITE_PATH.parent / "demo-keys.json"
out = Console(soft_wrap=True, highlight=False)
err = Console(stderr=True, soft_wrap=True, highlight=False)

SecretKey = Annotated[
    str | None,
    typer.Option(envvar="BOXOFFICE_SECRET_KEY", help="Workspace secret key (default: the demo workspace)."),
]
CurrencyOpt = Annotated[str, typer.Option(help="ISO 4217 currency code.")]


def _app(help_text: str) -> typer.Typer:
    return typer.Typer(help=help_text, no_args_is_help=True)


production_app = _app("Productions (the show).")
performance_app = _app("Performances: one inventory event each, on a chart.")
ticket_type_app = _app("Ticket types (adult, concession, child, ...).")
prices_app = _app("Price lists: ticket type x price band -> amount, per performance.")
fund_app = _app("Funds, for donations.")
stock_app = _app("Stock items (merchandise).")
membership_app = _app("Memberships.")
subscription_app = _app("Ticket subscription structures.")
attribute_app = _app("Attribute definitions for tickets and orders.")
customer_app = _app("Customers.")
order_app = _app("Orders: show, search, cancel.")

COMMANDS: tuple[tuple[str, typer.Typer], ...] = (
    ("production", production_app),
    ("performance", performance_app),
    ("ticket-type", ticket_type_app),
    ("prices", prices_app),
    ("fund", fund_app),
    ("stock", stock_app),
    ("membership", membership_app),
    ("subscription", subscription_app),
    ("attribute", attribute_app),
    ("customer", customer_app),
    ("order", order_app),
)


# -- plumbing -------------------------------------------------------------------------------------------
def fail(message: str) -> NoReturn:
    err.print(f"[bold red]error:[/] {_escape(message)}")
    raise typer.Exit(1)


def _escape(text: str) -> str:
    return text.replace("[", r"\[")


def say(text: str) -> None:
    out.print(text, markup=False)


@contextlib.contextmanager
def workspace_session(secret_key: str | None) -> Iterator[tuple[Database, Workspace]]:
    """The database and the caller's workspace; a domain error inside becomes one line and exit 1."""
    from boxoffice.demo import DemoKeys
    from boxoffice.services.workspaces import authenticate

    if secret_key is None:
        keys = DemoKeys.load(DEMO_KEYS)
        if keys is None:
            fail("no --secret-key given and no demo workspace found (run `boxoffice demo` first)")
        secret_key = keys.workspace_secret_key
    try:
        db = Database.from_url(Settings.from_env().database_url)
    except Exception as exc:  # a bad URL or a missing driver: one line, not a traceback
        fail(f"cannot open the database: {exc}")
    try:
        yield db, authenticate(db, secret_key).workspace
    except BoxofficeError as exc:
        fail(exc.message)
    finally:
        db.dispose()


def when(value: str | None, option: str) -> datetime | None:
    if value is None:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        fail(f"{option}: not an ISO 8601 date and time: {value!r}")
    if parsed.tzinfo is None:
        fail(f"{option}: give a timezone, e.g. {value}Z or {value}+01:00")
    return parsed


def rows(headers: Sequence[str], lines: Sequence[Sequence[object]]) -> None:
    """A plain, aligned table (ids stay whole and copyable at any terminal width)."""
    if not lines:
        say("(none)")
        return
    cells = [[str(h) for h in headers]] + [["" if c is None else str(c) for c in line] for line in lines]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    for r in cells:
        say("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip())


# -- productions and performances ----------------------------------------------------------------------
@production_app.command("create")
def production_create(
    name: str,
    description: Annotated[str, typer.Option(help="What the show is.")] = "",
    duration: Annotated[int, typer.Option(help="Running time in minutes.")] = 0,
    secret_key: SecretKey = None,
) -> None:
    """Create a production."""
    with workspace_session(secret_key) as (db, ws):
        p = catalogue.create_production(db, ws, name, description=description, duration_minutes=duration)
    say(f"created production {p.id} ({p.name})")


@production_app.command("list")
def production_list(secret_key: SecretKey = None) -> None:
    """List productions."""
    with workspace_session(secret_key) as (db, ws):
        found = catalogue.list_productions(db, ws)
    rows(["ID", "NAME", "MINUTES"], [(p.id, p.name, p.duration_minutes) for p in found])


@performance_app.command("create")
def performance_create(
    production: Annotated[str, typer.Argument(help="Production id.")],
    chart: Annotated[str, typer.Option(help="Chart key.")],
    start: Annotated[str, typer.Option(help="Start, ISO 8601 with a timezone.")],
    currency: CurrencyOpt = "GBP",
    key: Annotated[str | None, typer.Option(help="Event key (default: generated).")] = None,
    web_from: Annotated[str | None, typer.Option(help="On sale online from (ISO).")] = None,
    web_until: Annotated[str | None, typer.Option(help="On sale online until (ISO; default: the start).")] = None,
    box_office_from: Annotated[str | None, typer.Option(help="On sale at the box office from (ISO).")] = None,
    box_office_until: Annotated[str | None, typer.Option(help="On sale at the box office until (ISO).")] = None,
    secret_key: SecretKey = None,
) -> None:
    """Create a performance of a production on a chart."""
    begins = when(start, "--start")
    assert begins is not None
    spec = catalogue.PerformanceSpec(
        production_id=production,
        chart_key=chart,
        start=begins,
        currency=currency,
        event_key=key,
        web_sale_from=when(web_from, "--web-from"),
        web_sale_until=when(web_until, "--web-until"),
        box_office_sale_from=when(box_office_from, "--box-office-from"),
        box_office_sale_until=when(box_office_until, "--box-office-until"),
    )
    with workspace_session(secret_key) as (db, ws):
        p = catalogue.create_performance(db, ws, spec)
    say(f"created performance {p.event_key} ({p.start.isoformat()})")


@performance_app.command("list")
def performance_list(
    production: Annotated[str | None, typer.Option(help="Only this production's.")] = None,
    start_from: Annotated[str | None, typer.Option("--from", help="Starting at or after (ISO).")] = None,
    start_to: Annotated[str | None, typer.Option("--to", help="Starting at or before (ISO).")] = None,
    secret_key: SecretKey = None,
) -> None:
    """List performances, earliest first."""
    lower, upper = when(start_from, "--from"), when(start_to, "--to")
    with workspace_session(secret_key) as (db, ws):
        found = catalogue.list_performances(db, ws, production_id=production, start_from=lower, start_to=upper)
    rows(
        ["EVENT KEY", "START", "PRODUCTION", "CURRENCY", "CANCELLED"],
        [(p.event_key, p.start.isoformat(), p.production_id, p.currency, "yes" if p.cancelled else "") for p in found],
    )


@performance_app.command("cancel")
def performance_cancel(event: str, secret_key: SecretKey = None) -> None:
    """Mark a performance cancelled (it goes off sale everywhere)."""
    with workspace_session(secret_key) as (db, ws):
        catalogue.update_performance(db, ws, event, cancelled=True)
    say(f"cancelled performance {event}")


# -- ticket types and prices ----------------------------------------------------------------------------
@ticket_type_app.command("create")
def ticket_type_create(name: str, secret_key: SecretKey = None) -> None:
    """Create a ticket type."""
    with workspace_session(secret_key) as (db, ws):
        t = catalogue.create_ticket_type(db, ws, name)
    say(f"created ticket type {t.id} ({t.name})")


@ticket_type_app.command("list")
def ticket_type_list(secret_key: SecretKey = None) -> None:
    """List ticket types."""
    with workspace_session(secret_key) as (db, ws):
        found = catalogue.list_ticket_types(db, ws)
    rows(["ID", "NAME"], [(t.id, t.name) for t in found])


def _amount(text: str, what: str) -> int:
    try:
        return int(text)
    except ValueError:
        fail(f"{what}: {text!r} is not a whole number of minor units (pence, cents)")


@prices_app.command("set")
def prices_set(
    event: Annotated[str, typer.Argument(help="The performance's event key.")],
    price: Annotated[
        list[str], typer.Option(help="TYPE:BAND:AMOUNT, the ticket type by name or id, the band a category key.")
    ],
    fee: Annotated[
        list[str] | None, typer.Option(help="NAME:AMOUNT or NAME:AMOUNT:TYPE, a fee per ticket (repeatable).")
    ] = None,
    secret_key: SecretKey = None,
) -> None:
    """Replace a performance's price list."""
    with workspace_session(secret_key) as (db, ws):
        types = {t.name.casefold(): t.id for t in catalogue.list_ticket_types(db, ws)}

        def type_id(name_or_id: str) -> str:
            return types.get(name_or_id.casefold(), name_or_id)

        entries = []
        for spec in price:
            parts = spec.rsplit(":", 2)
            if len(parts) != 3 or not all(parts):
                fail(f"--price {spec!r}: expected TYPE:BAND:AMOUNT, e.g. Adult:1:2500")
            entries.append(Price(type_id(parts[0]), parts[1], _amount(parts[2], f"--price {spec}")))
        fees = []
        for spec in fee or []:
            parts = spec.split(":")
            if len(parts) not in (2, 3) or not parts[0]:
                fail(f"--fee {spec!r}: expected NAME:AMOUNT or NAME:AMOUNT:TYPE, e.g. 'Booking fee:150'")
            fees.append((parts[0], _amount(parts[1], f"--fee {spec}"), type_id(parts[2]) if len(parts) == 3 else None))
        price_list = catalogue.set_price_list(db, ws, event, entries, fees)
    say(f"price list of {event}: {len(price_list.prices)} prices, {len(price_list.fees)} fees ({price_list.currency})")


@prices_app.command("show")
def prices_show(event: str, secret_key: SecretKey = None) -> None:
    """Show a performance's price list."""
    with workspace_session(secret_key) as (db, ws):
        names = {t.id: t.name for t in catalogue.list_ticket_types(db, ws)}
        price_list = catalogue.get_price_list(db, ws, event)
    rows(
        ["TICKET TYPE", "BAND", f"AMOUNT ({price_list.currency} minor units)"],
        [(names.get(p.ticket_type_id, p.ticket_type_id), p.category_key, p.amount) for p in price_list.prices],
    )
    for f in price_list.fees:
        say(f"fee: {f.name} {f.amount} ({names.get(f.ticket_type_id or '', 'every ticket type')})")


# -- funds, stock, memberships, subscriptions, attributes ----------------------------------------------
@fund_app.command("create")
def fund_create(
    name: str,
    currency: CurrencyOpt = "GBP",
    minimum: Annotated[int, typer.Option(help="Smallest donation, in minor units.")] = 0,
    description: str = "",
    secret_key: SecretKey = None,
) -> None:
    """Create a fund for donations."""
    with workspace_session(secret_key) as (db, ws):
        f = catalogue.create_fund(db, ws, name, currency=currency, description=description, minimum_amount=minimum)
    say(f"created fund {f.id} ({f.name})")


@stock_app.command("create")
def stock_create(
    name: str,
    price: Annotated[int, typer.Option(help="Price in minor units.")],
    level: Annotated[int, typer.Option(help="Units in stock.")],
    currency: CurrencyOpt = "GBP",
    description: str = "",
    secret_key: SecretKey = None,
) -> None:
    """Create a stock item (merchandise)."""
    with workspace_session(secret_key) as (db, ws):
        s = catalogue.create_stock_item(
            db, ws, name, price=price, stock_level=level, currency=currency, description=description
        )
    say(f"created stock item {s.id} ({s.name}, {s.stock_level} in stock)")


@stock_app.command("set")
def stock_set(
    item: Annotated[str, typer.Argument(help="Stock item id.")],
    level: Annotated[int, typer.Argument(help="Units in stock now.")],
    secret_key: SecretKey = None,
) -> None:
    """Set a stock item's stock level."""
    with workspace_session(secret_key) as (db, ws):
        s = catalogue.set_stock_level(db, ws, item, level)
    say(f"stock item {s.id} ({s.name}): {s.stock_level} in stock")


@stock_app.command("list")
def stock_list(secret_key: SecretKey = None) -> None:
    """List stock items."""
    with workspace_session(secret_key) as (db, ws):
        found = catalogue.list_stock_items(db, ws)
    rows(
        ["ID", "NAME", "PRICE", "CURRENCY", "IN STOCK"],
        [(s.id, s.name, s.price, s.currency, s.stock_level) for s in found],
    )


@membership_app.command("create")
def membership_create(
    name: str,
    price: Annotated[int, typer.Option(help="Price in minor units.")],
    currency: CurrencyOpt = "GBP",
    months: Annotated[int, typer.Option(help="How long it lasts.")] = 12,
    auto_renew: Annotated[bool, typer.Option(help="May members renew automatically?")] = True,
    description: str = "",
    secret_key: SecretKey = None,
) -> None:
    """Create a membership."""
    with workspace_session(secret_key) as (db, ws):
        m = catalogue.create_membership(
            db,
            ws,
            name,
            price=price,
            currency=currency,
            duration_months=months,
            auto_renew_allowed=auto_renew,
            description=description,
        )
    say(f"created membership {m.id} ({m.name})")


@subscription_app.command("create")
def subscription_create(
    name: str,
    price: Annotated[int, typer.Option(help="Price in minor units.")],
    currency: CurrencyOpt = "GBP",
    production: Annotated[list[str] | None, typer.Option(help="A production it covers (repeatable).")] = None,
    description: str = "",
    secret_key: SecretKey = None,
) -> None:
    """Create a ticket subscription structure."""
    with workspace_session(secret_key) as (db, ws):
        s = catalogue.create_subscription_structure(
            db, ws, name, price=price, currency=currency, production_ids=production or [], description=description
        )
    say(f"created ticket subscription {s.id} ({s.name})")


@attribute_app.command("create")
def attribute_create(
    name: str,
    applies_to: Annotated[str, typer.Option(help="ticket or order.")],
    hidden: Annotated[bool, typer.Option(help="Not settable through the API.")] = False,
    secret_key: SecretKey = None,
) -> None:
    """Create an attribute definition."""
    with workspace_session(secret_key) as (db, ws):
        a = catalogue.create_attribute_definition(db, ws, name, applies_to=applies_to, visible_in_api=not hidden)
    say(f"created {a.applies_to} attribute {a.id} ({a.name})")


# -- customers and orders -------------------------------------------------------------------------------
@customer_app.command("create")
def customer_create(
    first_name: str = "",
    last_name: str = "",
    email: str | None = None,
    secret_key: SecretKey = None,
) -> None:
    """Create a customer."""
    with workspace_session(secret_key) as (db, ws):
        c = customers.create_customer(db, ws, customers.CustomerDetails(first_name, last_name, email))
    say(f"created customer {c.id} ({' '.join(filter(None, [c.first_name, c.last_name])) or c.email or 'no name'})")


@customer_app.command("list")
def customer_list(
    email: Annotated[str | None, typer.Option(help="Only with this email.")] = None, secret_key: SecretKey = None
) -> None:
    """List customers."""
    with workspace_session(secret_key) as (db, ws):
        found = customers.list_customers(db, ws, email=email)
    rows(["ID", "FIRST NAME", "LAST NAME", "EMAIL"], [(c.id, c.first_name, c.last_name, c.email) for c in found])


def _order_line(o: Order) -> tuple[object, ...]:
    return (o.id, o.reference, o.status, o.channel, f"{o.total} {o.currency}", len(o.tickets), o.created_at.isoformat())


ORDER_HEADERS = ("ID", "REFERENCE", "STATUS", "CHANNEL", "TOTAL", "TICKETS", "CREATED")


@order_app.command("show")
def order_show(order: str, secret_key: SecretKey = None) -> None:
    """Show an order with its tickets and items."""
    with workspace_session(secret_key) as (db, ws):
        o = orders.get_order(db, ws, order)
    say(f"order {o.id} ({o.reference}): {o.status}, {o.channel}, {o.created_at.isoformat()}")
    say(f"total {o.total} {o.currency} (minor units), refunded {o.refunded}; customer {o.customer_id or '-'}")
    rows(
        ["TICKET", "EVENT", "LABEL", "BAND", "PRICE", "FEES", "BARCODE", "STATUS"],
        [(t.id, t.event_key, t.label, t.category_key, t.price, t.fees, t.barcode, t.status) for t in o.tickets],
    )
    if o.items:
        rows(
            ["ITEM", "KIND", "OF", "AMOUNT", "QTY", "STATUS"],
            [(i.id, i.kind, i.item_id, i.amount, i.quantity, i.status) for i in o.items],
        )


@order_app.command("search")
def order_search(
    customer: Annotated[str | None, typer.Option(help="Customer id.")] = None,
    event: Annotated[str | None, typer.Option(help="Event key.")] = None,
    reference: Annotated[str | None, typer.Option(help="Order reference (or id).")] = None,
    barcode: Annotated[str | None, typer.Option(help="A ticket's barcode.")] = None,
    channel: Annotated[str | None, typer.Option(help="Sales channel: web, box_office, ...")] = None,
    limit: Annotated[int, typer.Option(help="At most this many (1 to 500).")] = 50,
    secret_key: SecretKey = None,
) -> None:
    """Search orders, newest first."""
    with workspace_session(secret_key) as (db, ws):
        found = orders.search_orders(
            db,
            ws,
            customer_id=customer,
            event_key=event,
            reference=reference,
            barcode=barcode,
            channel=channel,
            limit=limit,
        )
    rows(ORDER_HEADERS, [_order_line(o) for o in found])


@order_app.command("cancel")
def order_cancel(
    order: str,
    reason: Annotated[str, typer.Option(help="Why (recorded with the refund).")] = "",
    refund: Annotated[bool, typer.Option(help="Record a refund of what was paid.")] = True,
    secret_key: SecretKey = None,
) -> None:
    """Cancel an order: its seats are freed at once."""
    with workspace_session(secret_key) as (db, ws):
        o = orders.cancel_order(db, ws, order, refund=refund, reason=reason)
    say(f"cancelled order {o.id} ({o.reference}); refunded {o.refunded} {o.currency}")
