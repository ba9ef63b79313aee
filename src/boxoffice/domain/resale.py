"""Resale of booked tickets on the same chart as primary sales (DESIGN: "a ticket's owner lists it (status
`resale`, a listing price); a buyer's booking moves ownership to a new order line and records the seller's
payout").

A listing puts one valid ticket's seat in status `resale` at the seller's price; a buyer's basket holds and
books it like any seat (resale seats ignore channels, and best available never picks them), paying the
listing's price. When the buyer's order is made, in the same transaction, the listing is sold: the seller's
ticket becomes `resold` and the seller's payout (the price less the venue's fee) is recorded. Until then
the seller may withdraw it: the seat goes back to the seller's order.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from boxoffice.domain.errors import Conflict, InvalidInput

LISTED = "listed"
SOLD = "sold"
WITHDRAWN = "withdrawn"
RESOLD = "resold"  # the seller's ticket, once the listing is sold

MAX_PRICE = 2**53 - 1


class NotListable(Conflict):
    code = "NOT_LISTABLE"
    http_status = 409


@dataclass(frozen=True, slots=True)
class ResaleListing:
    id: str
    workspace_id: int
    order_id: str  # the seller's
    ticket_id: str  # the seller's order ticket
    event_id: int
    event_key: str
    label: str
    price: int  # what a buyer pays, minor units
    fee: int  # the venue's cut; the seller is paid price - fee
    currency: str
    status: str
    listed_at: datetime
    buyer_order_id: str | None = None
    closed_at: datetime | None = None

    @property
    def payout(self) -> int:
        return self.price - self.fee


def check_price(price: int, fee: int) -> None:
    if isinstance(price, bool) or isinstance(fee, bool) or not 0 < price <= MAX_PRICE:
        raise InvalidInput("A resale price is a positive amount in minor units")
    if not 0 <= fee <= price:
        raise InvalidInput("The resale fee is between 0 and the price")
