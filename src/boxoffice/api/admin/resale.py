"""Resale of booked tickets on the same chart: list a valid ticket at a price, withdraw it, see listings.
A buyer then buys the seat like any other (basket, seats.io, agents...) at the listing's price; the seller's
ticket becomes `resold` and its payout (price less the venue's fee) shows on the listing."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Query
from pydantic import Field

from boxoffice.api.admin.auth import DatabaseDep, WorkspaceDep
from boxoffice.api.admin.models import RESPONSES, Amount, ApiModel
from boxoffice.domain.resale import ResaleListing
from boxoffice.services import resale

router = APIRouter(tags=["resale"], responses=RESPONSES)


class ListingIn(ApiModel):
    price: Amount = Field(description="What a buyer pays, minor units")
    fee: Amount = Field(0, description="The venue's cut; the seller is paid price - fee")


class ListingOut(ApiModel):
    id: str
    order_id: str
    ticket_id: str
    event_key: str
    label: str
    price: int
    fee: int
    payout: int
    currency: str
    status: str = Field(description="listed, sold or withdrawn")
    listed_at: datetime
    closed_at: datetime | None
    buyer_order_id: str | None


def _out(listing: ResaleListing) -> ListingOut:
    return ListingOut(
        id=listing.id,
        order_id=listing.order_id,
        ticket_id=listing.ticket_id,
        event_key=listing.event_key,
        label=listing.label,
        price=listing.price,
        fee=listing.fee,
        payout=listing.payout,
        currency=listing.currency,
        status=listing.status,
        listed_at=listing.listed_at,
        closed_at=listing.closed_at,
        buyer_order_id=listing.buyer_order_id,
    )


@router.post("/orders/{orderId}/tickets/{ticketId}/resale", status_code=201, response_model=ListingOut)
def list_ticket(ws: WorkspaceDep, db: DatabaseDep, orderId: str, ticketId: str, body: ListingIn) -> ListingOut:
    """The ticket's seat goes up for resale (status `resale`) at `price`; 409 NOT_LISTABLE if the ticket is
    not valid, already listed, or its seat is no longer booked by this order."""
    return _out(resale.list_ticket(db, ws, orderId, ticketId, body.price, fee=body.fee))


@router.get("/resale-listings", response_model=list[ListingOut])
def search_listings(
    ws: WorkspaceDep,
    db: DatabaseDep,
    status: Annotated[Literal["listed", "sold", "withdrawn"] | None, Query()] = None,
) -> list[ListingOut]:
    """Oldest first, at most 500."""
    return [_out(x) for x in resale.search(db, ws, status=status)]


@router.get("/resale-listings/{listingId}", response_model=ListingOut)
def get_listing(ws: WorkspaceDep, db: DatabaseDep, listingId: str) -> ListingOut:
    return _out(resale.get_listing(db, ws, listingId))


@router.post("/resale-listings/{listingId}/withdraw", response_model=ListingOut)
def withdraw(ws: WorkspaceDep, db: DatabaseDep, listingId: str) -> ListingOut:
    """Back to the seller's order; 409 once a buyer holds or has bought the seat."""
    return _out(resale.withdraw(db, ws, listingId))
