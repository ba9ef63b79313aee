"""Setting up those who sell for the venue: agents and their commission structures, secondary marketplaces
(and their pending sales), partners. Keys and secrets are printed once, as the admin API shows them once;
agents' and marketplaces' keys need BOXOFFICE_SYSTEM_SECRET (they are derived from it)."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from boxoffice.cli.agents import agents_app
from boxoffice.cli.catalogue import SecretKey, fail, rows, say, workspace_session
from boxoffice.config import Settings
from boxoffice.domain.agents import DELIVERY_METHODS, CommissionStructure
from boxoffice.domain.marketplaces import DEFAULT_AUTO_REJECT_MINUTES, DEFAULT_HOLD_MINUTES, KINDS
from boxoffice.domain.partners import DEFAULT_QUOTE_TTL_MINUTES
from boxoffice.services import agents, marketplaces, partners
from boxoffice.services.customers import CustomerDetails

marketplace_app = typer.Typer(help="Secondary marketplaces and their notified sales.", no_args_is_help=True)
partner_app = typer.Typer(help="Partners reselling by quotes through /partner.", no_args_is_help=True)
COMMANDS: tuple[tuple[str, typer.Typer], ...] = (("marketplace", marketplace_app), ("partner", partner_app))


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"


def _system_secret() -> str:
    return Settings.from_env().system_secret


# -- agents -------------------------------------------------------------------------------------------------------
@agents_app.command("create")
def agent_create(
    login: Annotated[str, typer.Argument(help="What the agent signs its Agency API requests as.")],
    email: Annotated[str, typer.Option(help="The agent's email (its customer record's).")],
    first_name: Annotated[str, typer.Option(help="First name on its customer record.")] = "",
    last_name: Annotated[str, typer.Option(help="Last name (or the agency's name).")] = "",
    commission: Annotated[str | None, typer.Option(help="A commission structure id.")] = None,
    restricted: Annotated[bool, typer.Option(help="Sells only what is locked for it.")] = False,
    delivery: Annotated[list[str] | None, typer.Option(help="collect and/or careOfAgent (both by default).")] = None,
    secret_key: SecretKey = None,
) -> None:
    """Make an agent (a customer record with the agent flag) and print its signing key, once."""
    setup = agents.AgentSetup(
        login,
        CustomerDetails(first_name, last_name, email),
        commission,
        restricted,
        tuple(delivery or DELIVERY_METHODS),
    )
    with workspace_session(secret_key) as (db, ws):
        made = agents.create_agent(db, ws, setup, system_secret=_system_secret())
    say(f"agent {made.agent.id} ({made.agent.login}); lock channel {made.agent.lock_key}")
    say(f"signing key (shown once): {made.key}")


@agents_app.command("commission")
def commission_create(
    name: str,
    kind: Annotated[str, typer.Option(help="fixed, percentage or matrix.")],
    currency: Annotated[str, typer.Option(help="ISO 4217 code.")] = "GBP",
    amount: Annotated[int, typer.Option(help="fixed: minor units per ticket.")] = 0,
    basis_points: Annotated[int, typer.Option(help="percentage: of the price, 1250 = 12.5 %.")] = 0,
    matrix: Annotated[str, typer.Option(help='matrix: JSON {"<ticket type id>": {"<band>": amount}}.')] = "{}",
    secret_key: SecretKey = None,
) -> None:
    """Make a commission structure; print its id."""
    try:
        table = json.loads(matrix)
        bands = {str(t): {str(b): int(a) for b, a in by_band.items()} for t, by_band in table.items()}
    except (ValueError, AttributeError, TypeError):
        fail('--matrix: JSON of the form {"<ticket type id>": {"<band>": <amount>}}')
    structure = CommissionStructure("", 0, name, kind, currency, amount, basis_points, bands)
    with workspace_session(secret_key) as (db, ws):
        made = agents.create_commission_structure(db, ws, structure)
    say(f"commission structure {made.id} ({made.kind})")


# -- marketplaces ---------------------------------------------------------------------------------------------------
@marketplace_app.command("create")
def marketplace_create(
    name: str,
    kind: Annotated[str, typer.Option(help=" or ".join(KINDS))],
    ticket_type: Annotated[str, typer.Option(help="The ticket type id its sales are priced as.")],
    hold_minutes: Annotated[int, typer.Option(help="How long an Order Integration hold binds.")] = DEFAULT_HOLD_MINUTES,
    auto_reject_minutes: Annotated[
        int, typer.Option(help="How long an Instant Notification sale may stay pending.")
    ] = DEFAULT_AUTO_REJECT_MINUTES,
    secret_key: SecretKey = None,
) -> None:
    """Register a marketplace; print its id (X-Marketplace-Id) and signing key, once."""
    setup = marketplaces.MarketplaceSetup(name, kind, ticket_type, hold_minutes, auto_reject_minutes)
    with workspace_session(secret_key) as (db, ws):
        made = marketplaces.create_marketplace(db, ws, setup, system_secret=_system_secret())
    say(f"marketplace {made.marketplace.id} ({made.marketplace.kind})")
    say(f"signing key (shown once): {made.key}")


@marketplace_app.command("list")
def marketplace_list(secret_key: SecretKey = None) -> None:
    """Marketplaces, with their ids (what each sends as X-Marketplace-Id)."""
    with workspace_session(secret_key) as (db, ws):
        found = marketplaces.list_marketplaces(db, ws)
    rows(
        ["ID", "NAME", "KIND", "HOLD MIN", "AUTO-REJECT MIN", "ACTIVE"],
        [(m.id, m.name, m.kind, m.hold_minutes, m.auto_reject_minutes, _yes(m.active)) for m in found],
    )


@marketplace_app.command("sales")
def marketplace_sales(
    status: Annotated[str | None, typer.Option(help="pending, confirmed, rejected or autoRejected.")] = None,
    secret_key: SecretKey = None,
) -> None:
    """Notified sales, oldest first; `--status pending` is the to-do list."""
    with workspace_session(secret_key) as (db, ws):
        found = marketplaces.list_sales(db, ws, status=status)
    rows(
        ["ID", "REFERENCE", "EVENT", "SEATS", "STATUS", "ORDER", "REASON"],
        [(s.id, s.reference, s.event_key, " ".join(s.labels), s.status, s.order_id, s.reason) for s in found],
    )


@marketplace_app.command("reject")
def marketplace_reject(sale_id: str, reason: str = "", secret_key: SecretKey = None) -> None:
    """Reject a pending sale."""
    with workspace_session(secret_key) as (db, ws):
        sale = marketplaces.reject_sale(db, ws, sale_id, reason=reason)
    say(f"sale {sale.id}: {sale.status}")


@marketplace_app.command("invoice")
def marketplace_invoice(sale_id: str, secret_key: SecretKey = None) -> None:
    """Try a pending sale again: confirmed, or still pending with the reason."""
    with workspace_session(secret_key) as (db, ws):
        sale = marketplaces.invoice_sale(db, ws, sale_id)
    say(f"sale {sale.id}: {sale.status}" + (f" (order {sale.order_id})" if sale.order_id else f" ({sale.reason})"))


# -- partners -------------------------------------------------------------------------------------------------------
@partner_app.command("create")
def partner_create(
    name: str,
    ticket_type: Annotated[str, typer.Option(help="The ticket type id its quotes are priced as.")],
    quote_ttl_minutes: Annotated[int, typer.Option(help="How long a quote holds.")] = DEFAULT_QUOTE_TTL_MINUTES,
    payout_configured: Annotated[bool, typer.Option(help="Its payout method is set up: it may trade.")] = False,
    transfer_email: Annotated[str | None, typer.Option(help="Where tickets are transferred from.")] = None,
    secret_key: SecretKey = None,
) -> None:
    """Make a partner; print its client id and client secret (the secret once)."""
    setup = partners.PartnerSetup(name, ticket_type, quote_ttl_minutes, payout_configured, transfer_email)
    with workspace_session(secret_key) as (db, ws):
        made = partners.create_partner(db, ws, setup)
    say(f"partner {made.partner.id}: client id {made.partner.client_id}")
    say(f"client secret (shown once): {made.client_secret}")


@partner_app.command("list")
def partner_list(secret_key: SecretKey = None) -> None:
    """Partners, with their client ids and whether they may trade."""
    with workspace_session(secret_key) as (db, ws):
        found = partners.list_partners(db, ws)
    rows(
        ["ID", "NAME", "CLIENT ID", "PAYOUT", "ACTIVE"],
        [
            (p.id, p.name, p.client_id, "yes" if p.payout_configured else "no", "yes" if p.active else "no")
            for p in found
        ],
    )


@partner_app.command("payout")
def partner_payout(
    partner_id: str,
    configured: Annotated[bool, typer.Option("--configured/--not-configured")] = True,
    secret_key: SecretKey = None,
) -> None:
    """Say whether the partner's payout method is set up (it trades only once it is)."""
    with workspace_session(secret_key) as (db, ws):
        changed = partners.update_partner(db, ws, partner_id, payout_configured=configured)
    say(f"partner {changed.id}: payout {'configured' if changed.payout_configured else 'not configured'}")


@partner_app.command("rotate-secret")
def partner_rotate(partner_id: str, secret_key: SecretKey = None) -> None:
    """A new client secret; the old one and its tokens stop working."""
    with workspace_session(secret_key) as (db, ws):
        made = partners.rotate_secret(db, ws, partner_id)
    say(f"client secret (shown once): {made.client_secret}")
