"""Partners (domain/partners.py): set up by the venue; client credentials for signed tokens; discovery,
sections and rows, quotes and orders.

Credentials: a client id (public) and a client secret (shown once, stored as its SHA-256 digest: it is a
long random key, looked up on every token request, not a password a person types). A token is a JWT
(HS256) signed with a key derived from the system secret, valid for an hour, naming the partner and the
version of its secret, so rotating the secret ends every token issued before.

A quote holds its seats (in a basket of the partner's, channel "partner", for the quote's TTL) at the
price of the partner's ticket type in each seat's band; its order is that basket's checkout, paid on
account ("partner"), once: a second order from the same quote is refused, an expired quote too.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime

import jwt

from boxoffice.domain.baskets import Basket, Order
from boxoffice.domain.catalogue import PARTNER, Performance, Production
from boxoffice.domain.errors import (
    BasketConsumed,
    BasketEmpty,
    CatalogueItemNotFound,
    EventNotFound,
    InvalidInput,
    ItemError,
    OrderNotFound,
)
from boxoffice.domain.layout import ChartObject, ObjectType
from boxoffice.domain.partners import (
    DEFAULT_QUOTE_TTL_MINUTES,
    EXPIRED,
    OPEN,
    ORDERED,
    TOKEN_LIFETIME,
    InvalidClient,
    InvalidToken,
    Partner,
    Quote,
    QuoteAlreadyOrdered,
    QuoteExpired,
    SeatsUnavailable,
    adjacent_run,
    check_quantity,
)
from boxoffice.domain.records import Event, Workspace
from boxoffice.domain.statuses import selectable_for_sale
from boxoffice.services import baskets
from boxoffice.services.baskets import BasketPolicy, TicketRequest
from boxoffice.services.catalogue import require_event_performance
from boxoffice.services.checkout import CheckoutRequest, checkout
from boxoffice.services.clock import utcnow
from boxoffice.services.customers import CustomerDetails, create_customer_in
from boxoffice.services.ids import new_id
from boxoffice.services.keys import digest
from boxoffice.services.layouts import layout_of
from boxoffice.services.payments import PARTNER_ACCOUNT, PaymentRequest
from boxoffice.storage.uow import Database, UnitOfWork

ON_ACCOUNT = PaymentRequest(PARTNER_ACCOUNT)
ALGORITHM = "HS256"
AUDIENCE = "boxoffice-partner"
MAX_EVENTS = 200


class PartnerNotFound(CatalogueItemNotFound):
    code = "PARTNER_NOT_FOUND"


class QuoteNotFound(CatalogueItemNotFound):
    code = "QUOTE_NOT_FOUND"


# -- set-up -----------------------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class PartnerSetup:
    name: str
    ticket_type_id: str
    quote_ttl_minutes: int = DEFAULT_QUOTE_TTL_MINUTES
    payout_configured: bool = False
    transfer_email: str | None = None


@dataclass(frozen=True, slots=True)
class NewCredentials:
    partner: Partner
    client_secret: str  # shown once


def create_partner(db: Database, workspace: Workspace, setup: PartnerSetup) -> NewCredentials:
    client_secret = "cs_" + secrets.token_urlsafe(32)
    with db.write() as uow:
        if uow.catalogue.ticket_type(workspace.id, setup.ticket_type_id) is None:
            raise CatalogueItemNotFound(f"Ticket type not found: {setup.ticket_type_id}")
        customer = create_customer_in(
            uow, workspace, CustomerDetails(first_name=setup.name[:200], email=setup.transfer_email)
        )
        partner = Partner(
            customer.id, workspace.id, setup.name, "ci_" + secrets.token_urlsafe(16), setup.ticket_type_id,
            utcnow(), setup.quote_ttl_minutes, setup.payout_configured, setup.transfer_email,
        ).validated()  # fmt: skip
        uow.partners.add(partner, digest(client_secret))
        uow.commit()
    return NewCredentials(partner, client_secret)


def list_partners(db: Database, workspace: Workspace) -> list[Partner]:
    with db.read() as uow:
        return uow.partners.in_workspace(workspace.id)


def get_partner(db: Database, workspace: Workspace, partner_id: str) -> Partner:
    with db.read() as uow:
        return _partner(uow, workspace, partner_id)


def _partner(uow: UnitOfWork, workspace: Workspace, partner_id: str) -> Partner:
    found = uow.partners.get(workspace.id, partner_id)
    if found is None:
        raise PartnerNotFound(f"Partner not found: {partner_id}")
    return found


def update_partner(
    db: Database,
    workspace: Workspace,
    partner_id: str,
    *,
    active: bool | None = None,
    payout_configured: bool | None = None,
    quote_ttl_minutes: int | None = None,
    transfer_email: str | None = None,
) -> Partner:
    if transfer_email is not None:
        CustomerDetails(email=transfer_email).validated()
    with db.write() as uow:
        current = _partner(uow, workspace, partner_id)
        changed = replace(
            current,
            active=current.active if active is None else active,
            payout_configured=current.payout_configured if payout_configured is None else payout_configured,
            quote_ttl_minutes=current.quote_ttl_minutes if quote_ttl_minutes is None else quote_ttl_minutes,
            transfer_email=current.transfer_email if transfer_email is None else transfer_email,
        ).validated()
        uow.partners.update(
            partner_id,
            active=changed.active,
            payout_configured=changed.payout_configured,
            quote_ttl_minutes=changed.quote_ttl_minutes,
            transfer_email=changed.transfer_email,
        )
        uow.commit()
    return changed


def rotate_secret(db: Database, workspace: Workspace, partner_id: str) -> NewCredentials:
    """A new client secret; the old one, and every token issued with it, stop working at once."""
    client_secret = "cs_" + secrets.token_urlsafe(32)
    with db.write() as uow:
        current = _partner(uow, workspace, partner_id)
        changed = replace(current, secret_version=current.secret_version + 1)
        uow.partners.update(partner_id, secret_digest=digest(client_secret), secret_version=changed.secret_version)
        uow.commit()
    return NewCredentials(changed, client_secret)


# -- tokens ---------------------------------------------------------------------------------------------------
def _signing_key(system_secret: str) -> bytes:
    if not system_secret:
        raise InvalidInput("Partner tokens need BOXOFFICE_SYSTEM_SECRET to be set")
    return hmac.new(system_secret.encode(), b"partner-tokens", hashlib.sha256).digest()


def issue_token(
    db: Database, client_id: str, client_secret: str, *, system_secret: str, now: datetime | None = None
) -> tuple[str, datetime]:
    """A signed access token for an hour, for the partner with these credentials; else InvalidClient."""
    moment = now or utcnow()
    with db.read() as uow:
        found = uow.partners.by_client_id(client_id)
        workspace = uow.workspaces.by_id(found[0].workspace_id) if found else None
    if (
        found is None
        or workspace is None
        or not workspace.is_active
        or not found[0].active
        or not hmac.compare_digest(found[1], digest(client_secret))
    ):
        raise InvalidClient("Unknown client, wrong secret, or an inactive partner")
    partner = found[0]
    expires = moment + TOKEN_LIFETIME
    claims = {
        "sub": partner.id,
        "ver": partner.secret_version,
        "aud": AUDIENCE,
        "iat": int(moment.timestamp()),
        "exp": int(expires.timestamp()),
        "jti": secrets.token_hex(8),
    }
    return jwt.encode(claims, _signing_key(system_secret), algorithm=ALGORITHM), expires


def partner_for_token(db: Database, token: str, *, system_secret: str) -> tuple[Workspace, Partner]:
    """The partner (and its workspace) a valid, unexpired token names; else InvalidToken."""
    try:
        claims = jwt.decode(
            token,
            _signing_key(system_secret),
            algorithms=[ALGORITHM],
            audience=AUDIENCE,
            options={"require": ["exp", "sub", "ver", "aud"]},
        )
    except jwt.ExpiredSignatureError:
        raise InvalidToken("The access token has expired; request a new one") from None
    except jwt.PyJWTError:
        raise InvalidToken("The access token is not valid") from None
    with db.read() as uow:
        partner = uow.partners.by_id(str(claims["sub"]))
        workspace = uow.workspaces.by_id(partner.workspace_id) if partner else None
    if partner is None or workspace is None or not workspace.is_active or not partner.active:
        raise InvalidToken("The access token's partner is no longer active")
    if claims["ver"] != partner.secret_version:
        raise InvalidToken("The client secret was rotated; request a new token")
    return workspace, partner


# -- discovery ------------------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class EventListing:
    event_key: str
    name: str  # the production
    performer: str
    venue: str  # the chart
    starts_at: datetime
    currency: str


def discover(
    db: Database,
    workspace: Workspace,
    *,
    query: str | None = None,
    starts_from: datetime | None = None,
    starts_until: datetime | None = None,
) -> list[EventListing]:
    """Performances on sale to partners now, soonest first; `query` matches the production's or the
    venue's name (case-insensitive)."""
    now = utcnow()
    wanted = (query or "").strip().lower()
    with db.read() as uow:
        found: list[EventListing] = []
        productions = {p.id: p for p in uow.catalogue.productions(workspace.id)}
        venues: dict[int, str] = {}  # chart id -> name: performances share charts
        for performance in uow.catalogue.performances(workspace.id, start_from=starts_from):
            production = productions.get(performance.production_id)
            if production is None or not performance.on_sale(PARTNER, now):
                continue
            if starts_until is not None and performance.start >= starts_until:
                continue
            listing = _listing(uow, workspace, performance, production, venues)
            if wanted and wanted not in listing.name.lower() and wanted not in listing.venue.lower():
                continue
            found.append(listing)
    found.sort(key=lambda e: (e.starts_at, e.event_key))
    return found[:MAX_EVENTS]


def event_listing(db: Database, workspace: Workspace, event_key: str) -> EventListing:
    """One performance on sale to partners now (else EventNotFound)."""
    with db.read() as uow:
        _event, performance = _on_sale(uow, workspace, event_key, utcnow())
        production = uow.catalogue.production(workspace.id, performance.production_id)
        if production is None:
            raise EventNotFound(f"Event not found or not on sale: {event_key}")
        return _listing(uow, workspace, performance, production, {})


def _listing(
    uow: UnitOfWork, workspace: Workspace, performance: Performance, production: Production, venues: dict[int, str]
) -> EventListing:
    event = uow.events.by_key(workspace.id, performance.event_key)
    venue = ""
    if event is not None:
        if event.chart_id not in venues:
            chart = uow.charts.by_id(event.chart_id)
            venues[event.chart_id] = chart.name if chart is not None else ""
        venue = venues[event.chart_id]
    return EventListing(
        performance.event_key, production.name, production.name, venue, performance.start, performance.currency
    )


@dataclass(frozen=True, slots=True)
class RowListing:
    section: str | None
    row: str
    available: int  # seats free and for sale to partners now
    min_price: int | None  # the partner's price, fees included, for the cheapest band in the row
    max_price: int | None


def sections(db: Database, workspace: Workspace, partner: Partner, event_key: str) -> list[RowListing]:
    """Every row of the performance with seats: how many are free now and what they cost the partner."""
    now = utcnow()
    with db.read() as uow:
        event, performance = _on_sale(uow, workspace, event_key, now)
        layout = layout_of(uow, event)
        rows = _seats_by_row(layout.objects.values())
        states = uow.objects.get(event.id, [label for seats in rows.values() for _, label in seats])
        price_list = uow.catalogue.price_list(performance.event_id, performance.currency)
    fees = price_list.fees_for(partner.ticket_type_id)
    listing: list[RowListing] = []
    for (section, row), seats in rows.items():
        prices = []
        available = 0
        for _, label in seats:
            state = states.get(label)
            price = price_list.price(partner.ticket_type_id, state.category_key) if state else None
            if price is not None:
                prices.append(price.amount + fees)
            if state is not None and price is not None and selectable_for_sale(state.state, now):
                available += 1
        listing.append(
            RowListing(section, row, available, min(prices) if prices else None, max(prices) if prices else None)
        )
    return listing


def _seats_by_row(objects: Iterable[ChartObject]) -> dict[tuple[str | None, str], list[tuple[int, str]]]:
    rows: dict[tuple[str | None, str], list[tuple[int, str]]] = defaultdict(list)
    for obj in objects:
        if obj.object_type == ObjectType.SEAT and obj.parent_type == "row" and obj.parent_label is not None:
            rows[(obj.section, obj.parent_label)].append((obj.index_in_row, obj.label))
    for seats in rows.values():
        seats.sort()
    return dict(rows)


def _on_sale(uow: UnitOfWork, workspace: Workspace, event_key: str, now: datetime) -> tuple[Event, Performance]:
    event, performance = require_event_performance(uow, workspace, event_key)
    if not performance.on_sale(PARTNER, now):
        raise EventNotFound(f"Event not found or not on sale: {event_key}")
    return event, performance


# -- quotes and orders ----------------------------------------------------------------------------------------
def create_quote(
    db: Database,
    workspace: Workspace,
    partner: Partner,
    event_key: str,
    row: str,
    quantity: int,
    *,
    section: str | None = None,
) -> Quote:
    """`quantity` seats next to each other in the row, held for the quote's TTL at the partner's price."""
    partner.check_may_trade()
    check_quantity(quantity)
    now = utcnow()
    policy = BasketPolicy(ttl=partner.quote_ttl)
    basket: Basket | None = None  # opened once there are seats to hold, kept for a second attempt
    for _attempt in range(3):  # a seat taken between reading and holding: read again and pick others
        with db.read() as uow:
            event, performance = _on_sale(uow, workspace, event_key, now)
            layout = layout_of(uow, event)
            in_row = _seats_by_row(layout.objects.values()).get((section, row))
            if in_row is None:
                raise InvalidInput(f"No row {row!r} in section {section!r} of {event_key}")
            states = uow.objects.get(performance.event_id, [label for _, label in in_row])
            price_list = uow.catalogue.price_list(performance.event_id, performance.currency)
        free = [
            (index, label)
            for index, label in in_row
            if label in states
            and selectable_for_sale(states[label].state, now)
            and price_list.price(partner.ticket_type_id, states[label].category_key) is not None
        ]
        picked = adjacent_run(free, quantity)
        if picked is None:
            raise SeatsUnavailable(f"No {quantity} seats next to each other are available in row {row}")
        if basket is None:
            basket = baskets.open_basket(db, workspace, channel=PARTNER, customer_id=partner.id, policy=policy)
        requests = [TicketRequest(event_key, label, partner.ticket_type_id) for label in picked]
        try:
            held = baskets.add_tickets(db, workspace, basket.id, requests, policy=policy)
        except ItemError:
            continue
        total = held.total
        quote = Quote(
            new_id(), partner.id, event_key, section, row, picked, total // quantity, total, held.currency(),
            basket.id, OPEN, held.last_activity_at, held.expires_at(policy.ttl),
        )  # fmt: skip
        with db.write() as uow:
            uow.partners.add_quote(quote)
            uow.commit()
        return quote
    raise SeatsUnavailable(f"The seats in row {row} are being taken; try again")


def get_quote(db: Database, partner: Partner, quote_id: str) -> Quote:
    with db.read() as uow:
        found = uow.partners.quote(partner.id, quote_id)
        # a call that turned it into an order but stopped before noting the order: the basket's order says
        made = uow.orders.id_for_basket(found.basket_id) if found and found.status == ORDERED else None
    if found is None:
        raise QuoteNotFound(f"Quote not found: {quote_id}")
    if found.order_id is None and made is not None:
        found = replace(found, order_id=made)
    return replace(found, status=found.status_at(utcnow()))


def create_order(db: Database, workspace: Workspace, partner: Partner, quote_id: str) -> Order:
    """The quote's seats booked, as an order of the partner, at the quoted price; once per quote."""
    partner.check_may_trade()
    quote = get_quote(db, partner, quote_id)
    if quote.status == ORDERED and quote.order_id is not None:
        raise QuoteAlreadyOrdered(f"Quote {quote_id} has already been turned into order {quote.order_id}")
    if quote.status == EXPIRED:
        raise QuoteExpired(f"Quote {quote_id} expired at {quote.expires_at.isoformat()}; create a new quote")
    with db.write() as uow:  # the quote's row decides who turns it into an order: the first caller
        locked = uow.partners.quote(partner.id, quote_id, for_update=True)
        if locked is None or locked.status != OPEN:
            raise QuoteAlreadyOrdered(f"Quote {quote_id} is being, or has been, turned into an order")
        uow.partners.update_quote(quote_id, status=ORDERED)
        uow.commit()
    request = CheckoutRequest(quote.basket_id, ON_ACCOUNT, customer_id=partner.id, idempotency_key=f"quote:{quote.id}")
    try:
        order = checkout(db, workspace, request, policy=BasketPolicy(ttl=partner.quote_ttl))
    except BaseException as exc:
        with db.write() as uow:  # the quote was not turned into an order after all
            uow.partners.update_quote(quote_id, status=OPEN)
            uow.commit()
        if isinstance(exc, (BasketEmpty, BasketConsumed)):
            raise QuoteExpired(f"Quote {quote_id} expired; create a new quote") from None
        raise
    with db.write() as uow:
        uow.partners.update_quote(quote_id, order_id=order.id)
        uow.commit()
    return order


def get_order(db: Database, workspace: Workspace, partner: Partner, order_id: str) -> tuple[Order, Quote | None]:
    with db.read() as uow:
        order = uow.orders.get(workspace.id, order_id)
        quote = uow.partners.quote_of_order(order_id) if order is not None else None
    if order is None or order.customer_id != partner.id:
        raise OrderNotFound(f"Order not found: {order_id}")
    return order, quote
