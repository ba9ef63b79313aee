"""The partner API's routes (see app.py): parse, authenticate, call services/partners.py, wrap in the envelope."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from boxoffice.api.partner.envelope import ERRORS, Envelope, ok
from boxoffice.domain.baskets import Order
from boxoffice.domain.partners import MAX_QUANTITY, InvalidToken, Partner, Quote
from boxoffice.domain.records import Workspace
from boxoffice.services import partners
from boxoffice.storage.uow import Database

router = APIRouter(responses=ERRORS)
CALLER_STATE = "partner_caller"  # the idempotency middleware authenticates first and leaves its answer here

Text = Annotated[str, Field(max_length=200)]


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Caller:
    def __init__(self, db: Database, workspace: Workspace, partner: Partner) -> None:
        self.db, self.workspace, self.partner = db, workspace, partner


def _db(request: Request) -> Database:
    db: Database = request.app.state.db
    return db


def _secret(request: Request) -> str:
    secret: str = request.app.state.settings.system_secret
    return secret


def bearer(authorization: str) -> str:
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token.strip() or len(token) > 4096:
        raise InvalidToken("Send the access token: Authorization: Bearer <token> (POST /partner/v1/auth/token)")
    return token.strip()


def authenticate(db: Database, authorization: str, system_secret: str) -> Caller:
    workspace, partner = partners.partner_for_token(db, bearer(authorization), system_secret=system_secret)
    return Caller(db, workspace, partner)


async def caller(request: Request) -> Caller:
    known = request.scope.get("state", {}).get(CALLER_STATE)
    if isinstance(known, Caller):
        return known
    header = request.headers.get("authorization", "")
    return await run_in_threadpool(authenticate, _db(request), header, _secret(request))


CallerDep = Annotated[Caller, Depends(caller)]


# -- authentication ---------------------------------------------------------------------------------------------
class TokenIn(Body):
    client_id: Text
    client_secret: Annotated[str, Field(max_length=500)]


class TokenOut(BaseModel):
    access_token: str
    token_type: str = "Bearer"
    expires_in: int = Field(description="Seconds")
    expires_at: datetime


@router.post("/v1/auth/token", response_model=Envelope[TokenOut], tags=["authentication"])
def token(request: Request, body: TokenIn) -> Envelope[TokenOut]:
    """Client credentials for an access token valid one hour (401 INVALID_CLIENT otherwise)."""
    issued, expires = partners.issue_token(
        _db(request), body.client_id, body.client_secret, system_secret=_secret(request)
    )
    return ok(request, TokenOut(access_token=issued, expires_in=3600, expires_at=expires))


# -- discovery --------------------------------------------------------------------------------------------------
class EventOut(BaseModel):
    id: str
    name: str
    performer: str
    venue: str
    starts_at: datetime
    currency: str


def _event_out(e: partners.EventListing) -> EventOut:
    return EventOut(
        id=e.event_key, name=e.name, performer=e.performer, venue=e.venue, starts_at=e.starts_at, currency=e.currency
    )


@router.get("/v1/events", response_model=Envelope[list[EventOut]], tags=["discovery"])
def events(
    request: Request,
    who: CallerDep,
    q: Annotated[str | None, Query(max_length=200, description="Matches the event's or the venue's name")] = None,
    starts_from: Annotated[datetime | None, Query(alias="from")] = None,
    starts_until: Annotated[datetime | None, Query(alias="to")] = None,
) -> Envelope[list[EventOut]]:
    """Events on sale to partners now, soonest first (at most 200)."""
    found = partners.discover(who.db, who.workspace, query=q, starts_from=starts_from, starts_until=starts_until)
    return ok(request, [_event_out(e) for e in found])


@router.get("/v1/events/{event_id}", response_model=Envelope[EventOut], tags=["discovery"])
def event(request: Request, who: CallerDep, event_id: str) -> Envelope[EventOut]:
    return ok(request, _event_out(partners.event_listing(who.db, who.workspace, event_id)))


class RowOut(BaseModel):
    row: str
    available: int
    min_price: int | None = Field(description="Per ticket, fees included, minor units of the event's currency")
    max_price: int | None


class SectionOut(BaseModel):
    section: str | None
    rows: list[RowOut]


@router.get("/v1/events/{event_id}/sections", response_model=Envelope[list[SectionOut]], tags=["sections and rows"])
def sections(request: Request, who: CallerDep, event_id: str) -> Envelope[list[SectionOut]]:
    """Each section's rows: seats available now and what they cost."""
    grouped: dict[str | None, list[RowOut]] = {}
    for row in partners.sections(who.db, who.workspace, who.partner, event_id):
        grouped.setdefault(row.section, []).append(
            RowOut(row=row.row, available=row.available, min_price=row.min_price, max_price=row.max_price)
        )
    return ok(request, [SectionOut(section=section, rows=rows) for section, rows in grouped.items()])


# -- quotes and orders ------------------------------------------------------------------------------------------------
class QuoteIn(Body):
    event_id: Annotated[str, Field(max_length=128)]
    section: Text | None = None
    row: Text
    quantity: Annotated[int, Field(ge=1, le=MAX_QUANTITY, strict=True)]


class QuoteOut(BaseModel):
    id: str
    event_id: str
    section: str | None
    row: str
    quantity: int
    seats: list[str]
    unit_price: int = Field(description="Per ticket, fees included, minor units")
    total: int
    currency: str
    status: str = Field(description="open, ordered or expired")
    expires_at: datetime
    order_id: str | None


def _quote_out(q: Quote) -> QuoteOut:
    return QuoteOut(
        id=q.id,
        event_id=q.event_key,
        section=q.section,
        row=q.row,
        quantity=q.quantity,
        seats=list(q.labels),
        unit_price=q.unit_price,
        total=q.total,
        currency=q.currency,
        status=q.status,
        expires_at=q.expires_at,
        order_id=q.order_id,
    )


@router.post("/v1/quotes", status_code=201, response_model=Envelope[QuoteOut], tags=["quotes"])
def create_quote(request: Request, who: CallerDep, body: QuoteIn) -> Envelope[QuoteOut]:
    """A price locked for `quantity` seats next to each other in the row, held until `expires_at`."""
    quote = partners.create_quote(
        who.db, who.workspace, who.partner, body.event_id, body.row, body.quantity, section=body.section
    )
    return ok(request, _quote_out(quote))


@router.get("/v1/quotes/{quote_id}", response_model=Envelope[QuoteOut], tags=["quotes"])
def get_quote(request: Request, who: CallerDep, quote_id: str) -> Envelope[QuoteOut]:
    return ok(request, _quote_out(partners.get_quote(who.db, who.partner, quote_id)))


class OrderIn(Body):
    quote_id: Annotated[str, Field(max_length=40)]


class TicketOut(BaseModel):
    seat: str
    price: int
    fees: int
    barcode: str


class OrderOut(BaseModel):
    id: str
    reference: str
    quote_id: str | None
    status: str
    currency: str
    total: int
    tickets: list[TicketOut]
    transfer_email: str | None = Field(description="The address the tickets are transferred from")


def _order_out(order: Order, quote_id: str | None, partner: Partner) -> OrderOut:
    return OrderOut(
        id=order.id,
        reference=order.reference,
        quote_id=quote_id,
        status=order.status,
        currency=order.currency,
        total=order.total,
        tickets=[TicketOut(seat=t.label, price=t.price, fees=t.fees, barcode=t.barcode) for t in order.tickets],
        transfer_email=partner.transfer_email,
    )


@router.post("/v1/orders", status_code=201, response_model=Envelope[OrderOut], tags=["orders"])
def create_order(request: Request, who: CallerDep, body: OrderIn) -> Envelope[OrderOut]:
    """The quote's seats, booked at the quoted price: once per quote (409 QUOTE_ALREADY_ORDERED after), and
    only while it is unexpired (410 QUOTE_EXPIRED)."""
    order = partners.create_order(who.db, who.workspace, who.partner, body.quote_id)
    return ok(request, _order_out(order, body.quote_id, who.partner))


@router.get("/v1/orders/{order_id}", response_model=Envelope[OrderOut], tags=["orders"])
def get_order(request: Request, who: CallerDep, order_id: str) -> Envelope[OrderOut]:
    order, quote = partners.get_order(who.db, who.workspace, who.partner, order_id)
    return ok(request, _order_out(order, quote.id if quote else None, who.partner))
