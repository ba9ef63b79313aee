"""Resale of booked tickets (domain/resale.py): list a valid ticket, withdraw it, and settle what a buyer's
order bought. Listing and withdrawing are one transaction each with the seat's status change (booked ->
resale, resale -> booked), so the seat and its listing never disagree; a buyer's booking settles the listing
in the transaction that makes the buyer's order (services/checkout.py)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime

from boxoffice.domain.baskets import BasketTicket
from boxoffice.domain.errors import CatalogueItemNotFound, Conflict, OrderNotFound
from boxoffice.domain.records import Workspace
from boxoffice.domain.resale import LISTED, RESOLD, SOLD, WITHDRAWN, NotListable, ResaleListing, check_price
from boxoffice.domain.statuses import BOOKED, RESALE
from boxoffice.services.clock import utcnow
from boxoffice.services.ids import new_id
from boxoffice.services.inventory import ObjectRequest, StatusChangeRequest, apply_requests
from boxoffice.storage.uow import Database, UnitOfWork

ORIGIN_LISTED = "RESALE_LISTED"
ORIGIN_WITHDRAWN = "RESALE_WITHDRAWN"


class ListingNotFound(CatalogueItemNotFound):
    code = "LISTING_NOT_FOUND"


def list_ticket(
    db: Database, workspace: Workspace, order_id: str, ticket_id: str, price: int, *, fee: int = 0
) -> ResaleListing:
    """Put one valid ticket of the order up for resale at `price` (the venue keeps `fee` of it when it
    sells). Its seat must still be booked by this order (409 NOT_LISTABLE otherwise, nothing changed)."""
    check_price(price, fee)
    now = utcnow()
    with db.write() as uow:
        order = uow.orders.get(workspace.id, order_id, for_update=True)
        if order is None:
            raise OrderNotFound(f"Order not found: {order_id}")
        ticket = next((t for t in order.tickets if t.id == ticket_id), None)
        if ticket is None:
            raise NotListable(f"Order {order_id} has no ticket {ticket_id}")
        if ticket.status != "valid" or order.status == "cancelled":
            raise NotListable(f"Ticket {ticket_id} is {ticket.status}; only a valid ticket can be resold")
        if uow.resale.of_ticket(ticket_id) is not None:
            raise NotListable(f"Ticket {ticket_id} is already listed for resale")
        row = uow.objects.lock(ticket.event_id, [ticket.label]).get(ticket.label)
        if row is None or row.state.status != BOOKED or row.state.order_id != order.id:
            status = row.state.status if row else "gone"
            raise NotListable(f"{ticket.label} is {status}, not booked by order {order_id}")
        listing = ResaleListing(
            new_id(), workspace.id, order.id, ticket.id, ticket.event_id, ticket.event_key, ticket.label,
            price, fee, order.currency, LISTED, now,
        )  # fmt: skip
        change = StatusChangeRequest(
            (ticket.event_key,),
            (ObjectRequest(ticket.label),),
            RESALE,
            allowed_previous_statuses=frozenset({BOOKED}),
            resale_listing_id=listing.id,
            keep_extra_data=True,
            origin=ORIGIN_LISTED,
        )
        apply_requests(uow, workspace, [change], now)
        uow.resale.add(listing)
        uow.commit()
    return listing


def withdraw(db: Database, workspace: Workspace, listing_id: str) -> ResaleListing:
    """The seller keeps the ticket after all: the seat is booked by the seller's order again. Refused (409)
    once a buyer holds or has bought it."""
    now = utcnow()
    with db.write() as uow:
        listing = _listing(uow, workspace, listing_id)
        if listing.status != LISTED:
            raise Conflict(f"Listing {listing_id} is {listing.status}")
        change = StatusChangeRequest(
            (listing.event_key,),
            (ObjectRequest(listing.label),),
            BOOKED,
            order_id=listing.order_id,
            allowed_previous_statuses=frozenset({RESALE}),
            keep_extra_data=True,
            origin=ORIGIN_WITHDRAWN,
        )
        apply_requests(uow, workspace, [change], now)
        uow.resale.close(listing.id, WITHDRAWN, now)
        uow.commit()
    return _closed(listing, WITHDRAWN, now)


def get_listing(db: Database, workspace: Workspace, listing_id: str) -> ResaleListing:
    with db.read() as uow:
        return _listing(uow, workspace, listing_id)


def search(db: Database, workspace: Workspace, *, status: str | None = None) -> list[ResaleListing]:
    with db.read() as uow:
        return uow.resale.search(workspace.id, status=status)


def _listing(uow: UnitOfWork, workspace: Workspace, listing_id: str) -> ResaleListing:
    found = uow.resale.get(workspace.id, listing_id)
    if found is None:
        raise ListingNotFound(f"Resale listing not found: {listing_id}")
    return found


def _closed(listing: ResaleListing, status: str, now: datetime, buyer: str | None = None) -> ResaleListing:
    return replace(listing, status=status, closed_at=now, buyer_order_id=buyer)


# -- the buyer's side ---------------------------------------------------------------------------------------------
def listings_for(uow: UnitOfWork, event_id: int, labels: list[str]) -> dict[str, ResaleListing]:
    """The seats of these that are listed now, by label (a basket prices them by their listing)."""
    return uow.resale.listed(event_id, labels)


def settle(uow: UnitOfWork, order_id: str, tickets: Iterable[BasketTicket], now: datetime) -> None:
    """The buyer's order bought these resale seats (in this unit of work, before it commits): each listing is
    sold to the order, and the seller's ticket is resold (its payout is the listing's price less the fee)."""
    wanted: dict[int, dict[str, str]] = defaultdict(dict)
    for ticket in tickets:
        if ticket.resale_listing_id is not None:
            wanted[ticket.event_id][ticket.label] = ticket.resale_listing_id
    for event_id, by_label in wanted.items():
        listed = uow.resale.listed(event_id, list(by_label))
        for label, listing_id in by_label.items():
            listing = listed.get(label)
            if listing is None or listing.id != listing_id:
                raise Conflict(f"{label} is no longer for resale at the price in the basket")
            uow.resale.close(listing.id, SOLD, now, buyer_order_id=order_id)
            uow.orders.set_ticket_status([listing.ticket_id], RESOLD)
