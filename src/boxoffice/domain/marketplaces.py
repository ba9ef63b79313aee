"""Secondary marketplaces selling the venue's tickets (1Ticket's two kinds of integration).

* **Order Integration** ("OI", Gametime, Ticket Evolution, TickPick...): before selling, the marketplace asks
  whether the seats are available; if they are, it places a **binding hold** on them (a hold on the one
  inventory with the marketplace's reference, for the marketplace's hold period); after its fraud review it
  either **invoices** the hold (the sale is confirmed: an order) or **releases** it. No double sale is
  possible: the hold is a hold like any other.
* **Instant Notification** ("ION", StubHub, SeatGeek...): the marketplace has sold already and notifies the
  venue. The sale is invoiced at once if the seats are still sellable (confirmed); otherwise it waits,
  **pending**, for the venue to invoice it after all (having freed the seats), to **reject** it, or for the
  **automatic rejection** once the marketplace's window has passed.

A marketplace is a customer record (its orders are that customer's, paid on account: it settles against the
venue's invoice); its buyer is kept on the order as the end customer, as for agents.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from boxoffice.domain.errors import Conflict, InvalidInput

ORDER_INTEGRATION = "orderIntegration"
INSTANT_NOTIFICATION = "instantNotification"
KINDS = (ORDER_INTEGRATION, INSTANT_NOTIFICATION)

# OI holds
HELD = "held"
INVOICED = "invoiced"
RELEASED = "released"
EXPIRED = "expired"

# ION sales
CONFIRMED = "confirmed"
PENDING = "pending"
REJECTED = "rejected"
AUTO_REJECTED = "autoRejected"

MAX_REFERENCE = 100
MAX_SEATS = 100
DEFAULT_HOLD_MINUTES = 15
DEFAULT_AUTO_REJECT_MINUTES = 60
MAX_MINUTES = 7 * 24 * 60


class MarketplaceHoldExpired(Conflict):
    code = "HOLD_EXPIRED"


class MarketplaceStateConflict(Conflict):
    """The hold or sale has already moved on (invoiced, released, rejected)."""

    code = "INVALID_STATE"
    http_status = 409


@dataclass(frozen=True, slots=True)
class Marketplace:
    """`id` is its customer record's id."""

    id: str
    workspace_id: int
    name: str
    kind: str
    ticket_type_id: str  # what its sales are priced as (the price list's ticket type)
    created_at: datetime
    hold_minutes: int = DEFAULT_HOLD_MINUTES
    auto_reject_minutes: int = DEFAULT_AUTO_REJECT_MINUTES
    active: bool = True
    key_salt: str = ""

    def validated(self) -> Marketplace:
        if not self.name.strip() or len(self.name) > 200:
            raise InvalidInput("A marketplace needs a name of 1 to 200 characters")
        if self.kind not in KINDS:
            raise InvalidInput(f"A marketplace's kind is one of {', '.join(KINDS)}, not {self.kind!r}")
        for name, minutes in (("holdMinutes", self.hold_minutes), ("autoRejectMinutes", self.auto_reject_minutes)):
            if not 1 <= minutes <= MAX_MINUTES:
                raise InvalidInput(f"{name} is 1 to {MAX_MINUTES} minutes")
        return self

    @property
    def hold_period(self) -> timedelta:
        return timedelta(minutes=self.hold_minutes)

    @property
    def auto_reject_after(self) -> timedelta:
        return timedelta(minutes=self.auto_reject_minutes)

    def require(self, kind: str) -> None:
        if self.kind != kind:
            raise InvalidInput(f"This is an {self.kind} marketplace; that call is for {kind} marketplaces")


@dataclass(frozen=True, slots=True)
class MarketplaceHold:
    """A binding hold of an Order Integration marketplace: the seats are held in a basket of its own."""

    id: str
    marketplace_id: str
    reference: str
    event_key: str
    basket_id: str
    status: str
    created_at: datetime
    expires_at: datetime
    labels: tuple[str, ...] = ()
    order_id: str | None = None

    def status_at(self, now: datetime) -> str:
        """A hold still "held" past its expiry has lapsed: its seats are free again."""
        return EXPIRED if self.status == HELD and self.expires_at <= now else self.status


@dataclass(frozen=True, slots=True)
class MarketplaceSale:
    """A sale an Instant Notification marketplace has made and notified."""

    id: str
    marketplace_id: str
    reference: str
    event_key: str
    labels: tuple[str, ...]
    status: str
    received_at: datetime
    buyer: dict[str, str] = field(default_factory=dict)
    order_id: str | None = None
    reason: str | None = None  # why it is pending or was rejected

    def status_at(self, now: datetime, auto_reject_after: timedelta) -> str:
        """A sale pending past the marketplace's window is automatically rejected."""
        if self.status == PENDING and self.received_at + auto_reject_after <= now:
            return AUTO_REJECTED
        return self.status


def check_reference(reference: str) -> str:
    if not reference or len(reference) > MAX_REFERENCE or not reference.isprintable():
        raise InvalidInput(f"A marketplace reference is 1 to {MAX_REFERENCE} printable characters")
    return reference


def check_seats(labels: tuple[str, ...]) -> tuple[str, ...]:
    if not labels:
        raise InvalidInput("Name at least one seat")
    if len(labels) > MAX_SEATS:
        raise InvalidInput(f"At most {MAX_SEATS} seats at once")
    if len(set(labels)) != len(labels):
        raise InvalidInput("A seat is named twice")
    return labels
