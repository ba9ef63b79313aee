"""Baskets and orders as records, and the rules that need no database.

A basket's tickets are holds on the inventory under the basket's own hold token. The basket lives for
`ttl` after its last API activity; its hold token expires with it, so its seats return on their own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from boxoffice.domain.errors import AlreadyMember, InvalidInput

OPEN = "open"
CHECKING_OUT = "checking_out"
CHECKED_OUT = "checked_out"

DONATION = "donation"
MERCHANDISE = "merchandise"
MEMBERSHIP = "membership"
SUBSCRIPTION = "subscription"
ITEM_KINDS = frozenset({DONATION, MERCHANDISE, MEMBERSHIP, SUBSCRIPTION})
MAX_REFERENCE = 30

DEFAULT_TTL = timedelta(minutes=20)


@dataclass(frozen=True, slots=True)
class BasketTicket:
    id: str
    event_id: int
    event_key: str
    label: str
    ticket_type_id: str
    category_key: str
    price: int
    fees: int
    currency: str
    attributes: dict[str, Any] = field(default_factory=dict)
    resale_listing_id: str | None = None  # a resale seat, at its listing's price (domain/resale.py)


@dataclass(frozen=True, slots=True)
class BasketItem:
    id: str
    kind: str
    item_id: str
    amount: int  # per unit
    currency: str
    quantity: int = 1
    reference: str | None = None
    auto_renew: bool = False

    @property
    def total(self) -> int:
        return self.amount * self.quantity


@dataclass(frozen=True, slots=True)
class Basket:
    id: str
    workspace_id: int
    hold_token: str
    status: str
    channel: str
    created_at: datetime
    last_activity_at: datetime
    customer_id: str | None = None
    order_attributes: dict[str, Any] = field(default_factory=dict)
    tickets: tuple[BasketTicket, ...] = ()
    items: tuple[BasketItem, ...] = ()
    end_customer: dict[str, str] | None = None  # an agent's buyer (domain/agents.py)
    delivery_method: str | None = None

    def expires_at(self, ttl: timedelta = DEFAULT_TTL) -> datetime:
        return self.last_activity_at + ttl

    @property
    def empty(self) -> bool:
        return not self.tickets and not self.items

    @property
    def total(self) -> int:
        return sum(t.price + t.fees for t in self.tickets) + sum(i.total for i in self.items)

    def currency(self, default: str = "GBP") -> str:
        for t in self.tickets:
            return t.currency
        for i in self.items:
            return i.currency
        return default


def check_membership_addable(basket: Basket, membership_id: str, held_by_customer: set[str]) -> None:
    """Not two of the same membership in one basket; not one the customer already holds."""
    if any(i.kind == MEMBERSHIP and i.item_id == membership_id for i in basket.items):
        raise AlreadyMember("This membership is already in the basket")
    if membership_id in held_by_customer:
        raise AlreadyMember("The customer already holds this membership; it cannot be bought again until renewal")


def check_reference(reference: str | None) -> None:
    if reference is not None and len(reference) > MAX_REFERENCE:
        raise InvalidInput(f"A merchandise reference is at most {MAX_REFERENCE} characters")


@dataclass(frozen=True, slots=True)
class OrderTicket:
    id: str
    event_id: int
    event_key: str
    label: str
    ticket_type_id: str
    category_key: str
    price: int
    fees: int
    barcode: str
    status: str = "valid"
    attributes: dict[str, Any] = field(default_factory=dict)
    commission: int = 0  # an agent's, fixed when the order was made


@dataclass(frozen=True, slots=True)
class OrderItem:
    id: str
    kind: str
    item_id: str
    amount: int
    quantity: int = 1
    reference: str | None = None
    auto_renew: bool = False
    status: str = "valid"


@dataclass(frozen=True, slots=True)
class Payment:
    id: str
    method: str
    amount: int
    currency: str
    status: str
    provider_reference: str | None = None


@dataclass(frozen=True, slots=True)
class Order:
    id: str
    workspace_id: int
    reference: str
    channel: str
    status: str
    currency: str
    total: int
    created_at: datetime
    customer_id: str | None = None
    attributes: dict[str, Any] = field(default_factory=dict)
    tickets: tuple[OrderTicket, ...] = ()
    items: tuple[OrderItem, ...] = ()
    payments: tuple[Payment, ...] = ()
    refunded: int = 0
    end_customer: dict[str, str] | None = None  # an agent's buyer (domain/agents.py)
    delivery_method: str | None = None

    @property
    def commission(self) -> int:
        """An agent's commission on the order: that of its tickets still valid (none on returned ones)."""
        return sum(t.commission for t in self.tickets if t.status == "valid")
