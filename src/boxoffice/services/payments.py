"""Payment providers behind one small interface. Built in: pay later (at the box office, or invoice)
and a test card provider. A real gateway is one more class with `authorize` and `void`."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from typing import Protocol

from boxoffice.domain.errors import InvalidInput, PaymentDeclined

PAID = "paid"
PENDING = "pending"
REFUNDED = "refunded"
VOIDED = "voided"


@dataclass(frozen=True, slots=True)
class PaymentRequest:
    method: str  # "pay_later" | "test_card" | "agency" (agents only) | "marketplace" | "partner" (theirs only)
    card_number: str | None = None
    details: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Authorization:
    status: str  # PAID or PENDING
    reference: str


class PaymentProvider(Protocol):
    name: str

    def authorize(self, amount: int, currency: str, request: PaymentRequest) -> Authorization: ...

    def void(self, authorization: Authorization) -> None: ...


class PayLater:
    """Pay at the box office or against an invoice: the order is confirmed, the payment pending."""

    name = "pay_later"

    def authorize(self, amount: int, currency: str, request: PaymentRequest) -> Authorization:
        return Authorization(PENDING, f"PL-{secrets.token_hex(6).upper()}")

    def void(self, authorization: Authorization) -> None:
        return None


class TestCard:
    """A card provider for tests and demos: 4242 4242 4242 4242 pays, 4000 0000 0000 0002 is declined."""

    name = "test_card"
    DECLINED = "4000000000000002"

    def __init__(self) -> None:
        self.voided: list[str] = []

    def authorize(self, amount: int, currency: str, request: PaymentRequest) -> Authorization:
        number = (request.card_number or "").replace(" ", "")
        if not number.isdigit() or not 12 <= len(number) <= 19 or not _luhn(number):
            raise InvalidInput("The card number is not valid")
        if number == self.DECLINED:
            raise PaymentDeclined("The card was declined")
        return Authorization(PAID, f"TC-{secrets.token_hex(6).upper()}")

    def void(self, authorization: Authorization) -> None:
        self.voided.append(authorization.reference)


class OnAccount:
    """An agent's sale (Spektrix's "Agency API" payment method) or a marketplace's: bought on a credit
    agreement and settled against the venue's invoice, so the payment is pending until then. Only agents'
    and marketplaces' baskets pay so (services/checkout.py)."""

    def __init__(self, name: str, prefix: str) -> None:
        self.name = name
        self.prefix = prefix

    def authorize(self, amount: int, currency: str, request: PaymentRequest) -> Authorization:
        return Authorization(PENDING, f"{self.prefix}-{secrets.token_hex(6).upper()}")

    def void(self, authorization: Authorization) -> None:
        return None


def _luhn(number: str) -> bool:
    total = 0
    for i, digit in enumerate(reversed(number)):
        d = int(digit)
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


AGENCY = "agency"
MARKETPLACE_ACCOUNT = "marketplace"
PARTNER_ACCOUNT = "partner"
PROVIDERS: dict[str, PaymentProvider] = {
    "pay_later": PayLater(),
    "test_card": TestCard(),
    AGENCY: OnAccount(AGENCY, "AG"),
    MARKETPLACE_ACCOUNT: OnAccount(MARKETPLACE_ACCOUNT, "MP"),
    PARTNER_ACCOUNT: OnAccount(PARTNER_ACCOUNT, "PA"),
}


def provider(method: str) -> PaymentProvider:
    found = PROVIDERS.get(method)
    if found is None:
        raise InvalidInput(f"Unknown payment method {method!r}; use one of {', '.join(sorted(PROVIDERS))}")
    return found
