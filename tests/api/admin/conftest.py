"""Fixtures for the admin API: a workspace, an httpx client with its secret key, and a sold order."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest

from boxoffice.domain.baskets import Order
from boxoffice.domain.records import Workspace
from boxoffice.services import baskets
from boxoffice.services.baskets import TicketRequest
from boxoffice.services.checkout import CheckoutRequest, checkout
from boxoffice.services.customers import CustomerDetails
from boxoffice.services.payments import PaymentRequest
from boxoffice.services.workspaces import create_company
from boxoffice.storage.uow import Database
from tests.api.conftest import LiveServer
from tests.factories import ShopFixture, make_shop

CARD = PaymentRequest("test_card", card_number="4242 4242 4242 4242")


@dataclass(frozen=True)
class Admin:
    base_url: str  # http://127.0.0.1:PORT/admin/v1
    secret_key: str
    workspace: Workspace
    db: Database
    client: httpx.Client  # authenticated with Bearer <secret key>


@pytest.fixture
def admin(live_server: LiveServer) -> Iterator[Admin]:
    created = create_company(live_server.db, "Admin test venue", is_test=True)
    base = f"{live_server.url}/admin/v1"
    headers = {"Authorization": f"Bearer {created.workspace_secret_key}"}
    with httpx.Client(base_url=base, headers=headers, timeout=10) as client:
        yield Admin(base, created.workspace_secret_key, created.workspace, live_server.db, client)


@pytest.fixture
def shop(admin: Admin) -> ShopFixture:
    return make_shop(admin.db, admin.workspace)


def sell(db: Database, shop: ShopFixture, labels: list[str], *, email: str = "ann@example.org") -> Order:
    """An order for adult tickets on `labels`, paid by card, for the customer with `email`."""
    basket = baskets.open_basket(db, shop.workspace)
    baskets.add_tickets(
        db, shop.workspace, basket.id, [TicketRequest(shop.event_key, label, shop.adult) for label in labels]
    )
    customer = CustomerDetails("Ann", "Smith", email, {"city": "Leeds"})
    return checkout(db, shop.workspace, CheckoutRequest(basket.id, CARD, customer))


def error_of(response: httpx.Response, status: int) -> dict[str, object]:
    """The error body of `response`, after checking its status and the dialect's one error shape."""
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"}, body
    error = body["error"]
    assert set(error) == {"code", "message", "details"} and isinstance(error["details"], list), error
    assert isinstance(error["code"], str) and isinstance(error["message"], str) and error["message"]
    return dict(error)
