"""Agents: third parties who sell a venue's tickets on its behalf (Spektrix's "Agency API" and "Agencies
Offline"), and the commission each keeps.

An agent is a customer record with the agent flag: every sale an agent makes, through the Agency API or
entered for it at the box office, is an order of that customer, paid on account ("agency" payment: the
agent settles by invoice). What the agent's own buyer gave (name, first line of address, the agent's
reference) is kept on the order as its end customer, not as a customer record of the venue.

Locks: an agent's lock on an event is a channel of that event keyed `lock_channel_key(agent id)`; the
agent's calls present it, so its seats are the agent's to sell and nobody else's (except the venue, which
may sell anything, ignoring channels). A *restricted* agent may sell only what is in its locks: that is
the cap on what it can sell. A mark-back takes unsold seats out of the lock, back to general sale.

Commission is decided per ticket when the order is made and stored with the ticket, so changing a
structure later does not rewrite what was invoiced.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from boxoffice.domain.errors import InvalidInput, NotEligible
from boxoffice.domain.statuses import Caller

FIXED = "fixed"  # an amount per ticket
PERCENTAGE = "percentage"  # basis points (1/100 of a percent) of the ticket's price
MATRIX = "matrix"  # an amount per ticket type and price band
COMMISSION_KINDS = (FIXED, PERCENTAGE, MATRIX)
MAX_BASIS_POINTS = 10_000

COLLECT = "collect"  # collect at the box office / will call
CARE_OF_AGENT = "careOfAgent"  # the agent sends the tickets on
DELIVERY_METHODS = (COLLECT, CARE_OF_AGENT)

LOCK_PREFIX = "agent-"
_LOGIN = re.compile(r"^[A-Za-z0-9_.@+-]{1,200}$")
MAX_END_CUSTOMER_FIELD = 200
END_CUSTOMER_FIELDS = ("firstName", "lastName", "address", "reference")


def lock_channel_key(agent_id: str) -> str:
    """The key of the channel that is an agent's lock on an event."""
    return f"{LOCK_PREFIX}{agent_id}"


@dataclass(frozen=True, slots=True)
class CommissionStructure:
    id: str
    workspace_id: int
    name: str
    kind: str
    currency: str
    fixed_amount: int = 0  # minor units per ticket (FIXED)
    basis_points: int = 0  # of the price (PERCENTAGE); 1,250 = 12.5 %
    matrix: Mapping[str, Mapping[str, int]] = field(default_factory=dict)  # ticket type id -> band -> amount

    def validated(self) -> CommissionStructure:
        if not self.name.strip() or len(self.name) > 300:
            raise InvalidInput("A commission structure needs a name of 1 to 300 characters")
        if self.kind not in COMMISSION_KINDS:
            raise InvalidInput(f"Commission kind must be one of {', '.join(COMMISSION_KINDS)}, not {self.kind!r}")
        if not re.fullmatch(r"[A-Z]{3}", self.currency):
            raise InvalidInput(f"Not an ISO 4217 currency code: {self.currency!r}")
        if self.fixed_amount < 0:
            raise InvalidInput("A fixed commission cannot be negative")
        if not 0 <= self.basis_points <= MAX_BASIS_POINTS:
            raise InvalidInput("A percentage commission is 0 to 10,000 basis points (0 % to 100 %)")
        for ticket_type, bands in self.matrix.items():
            for band, amount in bands.items():
                if amount < 0:
                    raise InvalidInput(f"Commission for ticket type {ticket_type} in band {band} cannot be negative")
        if self.kind == MATRIX and not self.matrix:
            raise InvalidInput("A matrix commission needs at least one ticket type and band")
        return self

    def commission(self, price: int, ticket_type_id: str, band: str) -> int:
        """The agent's commission on one ticket, in minor units, never more than the ticket's price.
        A percentage rounds half up to the minor unit; a matrix without the pair pays none."""
        if self.kind == FIXED:
            owed = self.fixed_amount
        elif self.kind == PERCENTAGE:
            owed = (price * self.basis_points + MAX_BASIS_POINTS // 2) // MAX_BASIS_POINTS
        else:
            owed = self.matrix.get(ticket_type_id, {}).get(band, 0)
        return max(0, min(owed, price))


@dataclass(frozen=True, slots=True)
class Agent:
    """An agent: `id` is its customer record's id."""

    id: str
    workspace_id: int
    login: str  # what it signs its requests as
    name: str
    created_at: datetime
    commission_structure_id: str | None = None
    restricted: bool = False  # sells only what is in its locks
    delivery_methods: tuple[str, ...] = DELIVERY_METHODS
    active: bool = True
    key_salt: str = ""  # part of what its signing key is derived from; a new salt is a new key

    @property
    def lock_key(self) -> str:
        return lock_channel_key(self.id)

    def presents(self) -> Caller:
        """What the agent's calls present to the inventory: its lock, and (restricted) nothing else."""
        return Caller(channel_keys=frozenset({self.lock_key}), only_channels=self.restricted)

    def check_delivery_method(self, method: str) -> str:
        """`method`, if it is a delivery method (collect, careOfAgent) enabled for this agent."""
        if method not in DELIVERY_METHODS:
            raise InvalidInput(f"A delivery method is one of {', '.join(DELIVERY_METHODS)}, not {method!r}")
        if method not in self.delivery_methods:
            raise NotEligible(f"Delivery method {method} is not enabled for this agent")
        return method


def check_login(login: str) -> str:
    if not _LOGIN.match(login):
        raise InvalidInput("An agent login is 1 to 200 letters, digits, '.', '_', '-', '+' or '@'")
    return login


def check_delivery_methods(methods: tuple[str, ...]) -> tuple[str, ...]:
    unknown = [m for m in methods if m not in DELIVERY_METHODS]
    if unknown or not methods:
        raise InvalidInput(f"Delivery methods are one or more of {', '.join(DELIVERY_METHODS)}")
    return tuple(dict.fromkeys(methods))


def end_customer(details: Mapping[str, object]) -> dict[str, str]:
    """What an agent may write back about its buyer: first and last name, the first line of the address,
    its own reference. Unknown fields are refused; empty ones are dropped."""
    unknown = sorted(set(details) - set(END_CUSTOMER_FIELDS))
    if unknown:
        raise InvalidInput(f"Unknown end customer field(s): {', '.join(unknown)}")
    kept: dict[str, str] = {}
    for name in END_CUSTOMER_FIELDS:
        value = details.get(name)
        if value is None or value == "":
            continue
        if not isinstance(value, str) or len(value) > MAX_END_CUSTOMER_FIELD:
            raise InvalidInput(f"{name} is text of at most {MAX_END_CUSTOMER_FIELD} characters")
        kept[name] = value
    return kept
