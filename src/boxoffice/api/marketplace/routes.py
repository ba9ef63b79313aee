"""The marketplace API's routes (see app.py): parse, authenticate, call services/marketplaces.py, render."""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from pydantic import Field
from starlette.concurrency import run_in_threadpool

from boxoffice.api.admin.errors import AdminError
from boxoffice.api.admin.models import RESPONSES, ApiModel
from boxoffice.domain.baskets import Order
from boxoffice.domain.marketplaces import MAX_REFERENCE, MAX_SEATS, Marketplace, MarketplaceHold, MarketplaceSale
from boxoffice.domain.records import Workspace
from boxoffice.services import marketplaces
from boxoffice.storage.uow import Database

router = APIRouter(responses=RESPONSES)
SIGNATURE_WINDOW_SECONDS = 300
CALLER_STATE = "marketplace_caller"  # the idempotency middleware authenticates first and leaves its answer here

Reference = Annotated[str, Field(min_length=1, max_length=MAX_REFERENCE, description="The marketplace's own id")]
Seats = Annotated[list[Annotated[str, Field(max_length=300)]], Field(min_length=1, max_length=MAX_SEATS)]
Text = Annotated[str, Field(max_length=200)]


class Buyer(ApiModel):
    """What the venue keeps of the marketplace's buyer (on the order, not as a customer record)."""

    first_name: Text | None = None
    last_name: Text | None = None
    address: Text | None = Field(None, description="The first line of the buyer's address")
    reference: Text | None = Field(None, description="The marketplace's order number for the buyer")

    def as_dict(self) -> dict[str, object]:
        return {k: v for k, v in self.model_dump(by_alias=True).items() if v is not None}


class Caller:
    def __init__(self, db: Database, workspace: Workspace, marketplace: Marketplace) -> None:
        self.db, self.workspace, self.marketplace = db, workspace, marketplace


def _db(request: Request) -> Database:
    db: Database = request.app.state.db
    return db


def authenticate_signed(
    db: Database, headers: Mapping[str, str], method: str, target: str, body: bytes, system_secret: str
) -> Caller:
    """The marketplace that signed this request (`target`: its full path and query), or 401."""
    marketplace_id = headers.get("x-marketplace-id", "")
    timestamp = headers.get("x-timestamp", "")
    signature = headers.get("x-signature", "")
    if not marketplace_id or not timestamp or not signature:
        raise AdminError(401, "UNAUTHORIZED", "Sign the request: X-Marketplace-Id, X-Timestamp and X-Signature")
    if not timestamp.isdigit() or abs(time.time() - int(timestamp)) > SIGNATURE_WINDOW_SECONDS:
        raise AdminError(401, "UNAUTHORIZED", "X-Timestamp must be unix seconds within 5 minutes of the server clock")
    if "\x00" in marketplace_id or len(marketplace_id) > 40:
        raise AdminError(401, "UNAUTHORIZED", "Unknown or inactive marketplace")
    message = marketplaces.signed_message(timestamp, method, target, body)
    workspace, signer = marketplaces.authenticate(db, marketplace_id, message, signature, system_secret=system_secret)
    return Caller(db, workspace, signer)


async def caller(request: Request) -> Caller:
    """FastAPI dependency: the signing marketplace (as the idempotency middleware found it, if it did), or 401."""
    known = request.scope.get("state", {}).get(CALLER_STATE)
    if isinstance(known, Caller):
        return known
    body = await request.body()
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    secret: str = request.app.state.settings.system_secret
    return await run_in_threadpool(
        authenticate_signed, _db(request), request.headers, request.method, target, body, secret
    )


CallerDep = Annotated[Caller, Depends(caller)]


# -- availability ---------------------------------------------------------------------------------------------------
class AvailabilityIn(ApiModel):
    event_key: Annotated[str, Field(max_length=128)]
    seats: Seats


class SeatOut(ApiModel):
    label: str
    available: bool
    category_key: str | None
    section: str | None
    price: int | None = Field(description="Face value in minor units, for the marketplace's ticket type")
    fees: int
    currency: str | None
    reason: str | None


@router.post("/availability", response_model=list[SeatOut], tags=["order integration"])
def availability(who: CallerDep, body: AvailabilityIn) -> list[SeatOut]:
    """Whether each seat is sellable now and its price: a hint (the hold decides)."""
    found = marketplaces.availability(who.db, who.workspace, who.marketplace, body.event_key, body.seats)
    return [
        SeatOut(
            label=s.label,
            available=s.available,
            category_key=s.category_key,
            section=s.section,
            price=s.price,
            fees=s.fees,
            currency=s.currency,
            reason=s.reason,
        )
        for s in found
    ]


# -- Order Integration holds ----------------------------------------------------------------------------------------
class HoldIn(ApiModel):
    reference: Reference
    event_key: Annotated[str, Field(max_length=128)]
    seats: Seats


class HoldOut(ApiModel):
    id: str
    reference: str
    event_key: str
    seats: list[str]
    status: str = Field(description="held, invoiced, released or expired")
    created_at: str
    expires_at: str
    order_id: str | None


class TicketOut(ApiModel):
    label: str
    price: int
    fees: int
    barcode: str


class OrderOut(ApiModel):
    id: str
    reference: str
    currency: str
    total: int
    tickets: list[TicketOut]
    buyer: dict[str, str]


class InvoicedOut(ApiModel):
    hold: HoldOut
    order: OrderOut


class InvoiceIn(ApiModel):
    buyer: Buyer = Buyer()


def _hold_out(h: MarketplaceHold) -> HoldOut:
    return HoldOut(
        id=h.id,
        reference=h.reference,
        event_key=h.event_key,
        seats=list(h.labels),
        status=h.status,
        created_at=h.created_at.isoformat(),
        expires_at=h.expires_at.isoformat(),
        order_id=h.order_id,
    )


def _order_out(o: Order) -> OrderOut:
    return OrderOut(
        id=o.id,
        reference=o.reference,
        currency=o.currency,
        total=o.total,
        tickets=[TicketOut(label=t.label, price=t.price, fees=t.fees, barcode=t.barcode) for t in o.tickets],
        buyer=dict(o.end_customer or {}),
    )


@router.post("/holds", status_code=201, response_model=HoldOut, tags=["order integration"])
def place_hold(who: CallerDep, body: HoldIn) -> HoldOut:
    """Hold the seats for the marketplace's hold period (all or none): binding until invoiced, released or
    expired. The same reference again answers the same hold."""
    hold = marketplaces.place_hold(who.db, who.workspace, who.marketplace, body.reference, body.event_key, body.seats)
    return _hold_out(hold)


@router.get("/holds/{holdId}", response_model=HoldOut, tags=["order integration"])
def get_hold(who: CallerDep, holdId: str) -> HoldOut:
    return _hold_out(marketplaces.get_hold(who.db, who.marketplace, holdId))


@router.post("/holds/{holdId}/invoice", response_model=InvoicedOut, tags=["order integration"])
def invoice_hold(who: CallerDep, holdId: str, body: InvoiceIn | None = None) -> InvoicedOut:
    """The buyer passed review: the hold becomes an order (once; invoicing again answers the same order).
    An expired hold is 409 HOLD_EXPIRED, a released one 409 INVALID_STATE."""
    buyer = (body or InvoiceIn()).buyer.as_dict()
    hold, order = marketplaces.invoice_hold(who.db, who.workspace, who.marketplace, holdId, buyer)
    return InvoicedOut(hold=_hold_out(hold), order=_order_out(order))


@router.post("/holds/{holdId}/release", response_model=HoldOut, tags=["order integration"])
def release_hold(who: CallerDep, holdId: str) -> HoldOut:
    """The seats go back on sale. Releasing again is the same release; an invoiced hold is 409."""
    return _hold_out(marketplaces.release_hold(who.db, who.workspace, who.marketplace, holdId))


# -- Instant Notification sales -------------------------------------------------------------------------------------
class SaleIn(ApiModel):
    reference: Reference
    event_key: Annotated[str, Field(max_length=128)]
    seats: Seats
    buyer: Buyer = Buyer()


class SaleOut(ApiModel):
    id: str
    reference: str
    event_key: str
    seats: list[str]
    status: str = Field(description="confirmed, pending, rejected or autoRejected")
    received_at: str
    order_id: str | None
    reason: str | None = Field(description="Why it is pending or was rejected")


def sale_out(s: MarketplaceSale) -> SaleOut:
    return SaleOut(
        id=s.id,
        reference=s.reference,
        event_key=s.event_key,
        seats=list(s.labels),
        status=s.status,
        received_at=s.received_at.isoformat(),
        order_id=s.order_id,
        reason=s.reason,
    )


@router.post("/sales", response_model=SaleOut, tags=["instant notification"])
def notify_sale(who: CallerDep, body: SaleIn) -> SaleOut:
    """A sale the marketplace has made: confirmed (with its order) if the seats were still sellable, else
    pending. The same reference again answers the same sale."""
    sale = marketplaces.notify_sale(
        who.db, who.workspace, who.marketplace, body.reference, body.event_key, body.seats, body.buyer.as_dict()
    )
    return sale_out(sale)


@router.get("/sales/{saleId}", response_model=SaleOut, tags=["instant notification"])
def get_sale(who: CallerDep, saleId: str) -> SaleOut:
    return sale_out(marketplaces.get_sale(who.db, who.marketplace, saleId))
