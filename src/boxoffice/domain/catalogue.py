"""What a venue sells besides the seats themselves: productions and their performances, prices,
funds, merchandise, memberships, ticket subscriptions and attribute definitions. Money is an integer
number of minor units (pence, cents) with its currency; never a float."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from boxoffice.domain.errors import NotOnSale

WEB = "web"
BOX_OFFICE = "box_office"
AGENT = "agent"
MARKETPLACE = "marketplace"
PARTNER = "partner"
CHANNELS = frozenset({WEB, BOX_OFFICE, AGENT, MARKETPLACE, PARTNER})


@dataclass(frozen=True, slots=True)
class Production:
    id: str
    workspace_id: int
    name: str
    description: str = ""
    duration_minutes: int = 0
    attributes: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Performance:
    """A production's performance; sold as the inventory event `event_key`."""

    event_id: int
    event_key: str
    production_id: str
    start: datetime
    currency: str
    web_sale_from: datetime | None = None
    web_sale_until: datetime | None = None
    box_office_sale_from: datetime | None = None
    box_office_sale_until: datetime | None = None
    cancelled: bool = False

    def window(self, channel: str) -> tuple[datetime | None, datetime | None]:
        if channel == WEB:
            return self.web_sale_from, self.web_sale_until
        if channel == BOX_OFFICE:
            return self.box_office_sale_from, self.box_office_sale_until
        return self.web_sale_from, self.web_sale_until  # agents, marketplaces, partners sell as online

    def check_on_sale(self, channel: str, now: datetime) -> None:
        if self.cancelled:
            raise NotOnSale(f"Performance {self.event_key} is cancelled")
        start, until = self.window(channel)
        if start is not None and now < start:
            raise NotOnSale(
                f"Performance {self.event_key} is not on sale {_channel(channel)} until {start.isoformat()}"
            )
        stop = until or self.start
        if now >= stop:
            raise NotOnSale(f"Performance {self.event_key} is no longer on sale {_channel(channel)}")

    def on_sale(self, channel: str, now: datetime) -> bool:
        try:
            self.check_on_sale(channel, now)
        except NotOnSale:
            return False
        return True


def _channel(channel: str) -> str:
    return {WEB: "online", BOX_OFFICE: "at the box office"}.get(channel, f"through {channel}")


@dataclass(frozen=True, slots=True)
class TicketType:
    id: str
    name: str


@dataclass(frozen=True, slots=True)
class Price:
    ticket_type_id: str
    category_key: str
    amount: int


@dataclass(frozen=True, slots=True)
class Fee:
    id: str
    name: str
    amount: int
    ticket_type_id: str | None = None  # None: every ticket type


@dataclass(frozen=True, slots=True)
class PriceList:
    event_id: int
    currency: str
    prices: tuple[Price, ...]
    fees: tuple[Fee, ...] = ()

    def price(self, ticket_type_id: str, category_key: str | None) -> Price | None:
        for price in self.prices:
            if price.ticket_type_id == ticket_type_id and price.category_key == category_key:
                return price
        return None

    def fees_for(self, ticket_type_id: str) -> int:
        return sum(f.amount for f in self.fees if f.ticket_type_id in (None, ticket_type_id))

    def cheapest_for_band(self, category_key: str) -> Price | None:
        band = [p for p in self.prices if p.category_key == category_key]
        return min(band, key=lambda p: p.amount) if band else None


@dataclass(frozen=True, slots=True)
class Fund:
    id: str
    name: str
    currency: str
    description: str = ""
    minimum_amount: int = 0


@dataclass(frozen=True, slots=True)
class StockItem:
    id: str
    name: str
    price: int
    currency: str
    stock_level: int
    description: str = ""


@dataclass(frozen=True, slots=True)
class Membership:
    id: str
    name: str
    price: int
    currency: str
    duration_months: int = 12
    auto_renew_allowed: bool = True
    description: str = ""


@dataclass(frozen=True, slots=True)
class SubscriptionStructure:
    id: str
    name: str
    price: int
    currency: str
    production_ids: tuple[str, ...] = ()
    description: str = ""


@dataclass(frozen=True, slots=True)
class AttributeDefinition:
    id: str
    name: str
    applies_to: str  # "ticket" | "order"
    visible_in_api: bool = True


@dataclass(frozen=True, slots=True)
class Customer:
    id: str
    workspace_id: int
    first_name: str = ""
    last_name: str = ""
    email: str | None = None
    address: dict[str, Any] = field(default_factory=dict)
