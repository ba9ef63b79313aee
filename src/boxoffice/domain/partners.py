"""Partners: affiliates who resell the venue's seats through a quote-based API (the Ticket Buyback partner
flow): they authenticate with client credentials for a short-lived signed token, discover events, browse
sections and rows, ask for a **quote** (a price locked for a seat/quantity combination, for a TTL), and turn
an unexpired quote into an **order**, exactly once.

A quote is a hold with a price and an expiry: its seats are held on the one inventory for the quote's TTL,
so the order it becomes cannot fail for want of seats, and nothing is sold twice. A partner is a customer
record (its orders are that customer's, paid on account); the venue bills the partner, never its buyers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from boxoffice.domain.errors import Conflict, Forbidden, InvalidInput, Unauthorized

OPEN = "open"
ORDERED = "ordered"
EXPIRED = "expired"

DEFAULT_QUOTE_TTL_MINUTES = 10
MAX_QUOTE_TTL_MINUTES = 120
MAX_QUANTITY = 20
TOKEN_LIFETIME = timedelta(hours=1)


class InvalidClient(Unauthorized):
    code = "INVALID_CLIENT"


class InvalidToken(Unauthorized):
    code = "INVALID_TOKEN"


class PayoutMethodRequired(Forbidden):
    code = "PAYOUT_METHOD_REQUIRED"


class QuoteExpired(Conflict):
    code = "QUOTE_EXPIRED"
    http_status = 410


class QuoteAlreadyOrdered(Conflict):
    code = "QUOTE_ALREADY_ORDERED"
    http_status = 409


class SeatsUnavailable(Conflict):
    code = "SEATS_UNAVAILABLE"
    http_status = 409


@dataclass(frozen=True, slots=True)
class Partner:
    """`id` is its customer record's id."""

    id: str
    workspace_id: int
    name: str
    client_id: str
    ticket_type_id: str  # what its quotes are priced as
    created_at: datetime
    quote_ttl_minutes: int = DEFAULT_QUOTE_TTL_MINUTES
    payout_configured: bool = False  # no quotes or orders until the venue says how it pays the partner
    transfer_email: str | None = None  # the address the venue transfers tickets from (told with each order)
    active: bool = True
    secret_version: int = 1  # a rotated secret ends every token issued before

    def validated(self) -> Partner:
        if not self.name.strip() or len(self.name) > 200:
            raise InvalidInput("A partner needs a name of 1 to 200 characters")
        if not 1 <= self.quote_ttl_minutes <= MAX_QUOTE_TTL_MINUTES:
            raise InvalidInput(f"quoteTtlMinutes is 1 to {MAX_QUOTE_TTL_MINUTES}")
        return self

    @property
    def quote_ttl(self) -> timedelta:
        return timedelta(minutes=self.quote_ttl_minutes)

    def check_may_trade(self) -> None:
        if not self.payout_configured:
            raise PayoutMethodRequired("No payout method is configured for this partner yet; quotes and orders wait")


@dataclass(frozen=True, slots=True)
class Quote:
    id: str
    partner_id: str
    event_key: str
    section: str | None
    row: str
    labels: tuple[str, ...]
    unit_price: int  # per ticket, fees included, minor units
    total: int
    currency: str
    basket_id: str
    status: str
    created_at: datetime
    expires_at: datetime
    order_id: str | None = None

    @property
    def quantity(self) -> int:
        return len(self.labels)

    def status_at(self, now: datetime) -> str:
        """Past its expiry an open quote has expired, and so has one whose order was begun but never made
        (a crash midway: its seats lapsed with it)."""
        unfinished = self.status == OPEN or (self.status == ORDERED and self.order_id is None)
        return EXPIRED if unfinished and self.expires_at <= now else self.status


def check_quantity(quantity: int) -> int:
    if isinstance(quantity, bool) or not 1 <= quantity <= MAX_QUANTITY:
        raise InvalidInput(f"quantity is 1 to {MAX_QUANTITY}")
    return quantity


def adjacent_run(free_in_row: list[tuple[int, str]], quantity: int) -> tuple[str, ...] | None:
    """The first `quantity` seats next to each other among a row's free seats ((index in row, label),
    sorted), or None."""
    run: list[str] = []
    previous: int | None = None
    for index, label in free_in_row:
        run = [*run, label] if previous is not None and index == previous + 1 else [label]
        previous = index
        if len(run) == quantity:
            return tuple(run)
    return None
