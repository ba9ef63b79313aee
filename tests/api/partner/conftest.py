"""Fixtures for the partner API: a live server, a priced shop, and a partner with its client credentials."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from boxoffice.services.workspaces import create_company
from tests.api.conftest import LiveServer
from tests.factories import ShopFixture, make_shop


@dataclass
class PartnerApi:
    server: LiveServer
    shop: ShopFixture
    admin: httpx.Client
    client: httpx.Client
    partner: dict[str, Any]  # as the admin API made it, with its client secret

    def token(self) -> str:
        answer = self.client.post(
            "/v1/auth/token",
            json={"client_id": self.partner["clientId"], "client_secret": self.partner["clientSecret"]},
        )
        assert answer.status_code == 200, answer.text
        token: str = answer.json()["data"]["access_token"]
        return token

    def authed(self) -> httpx.Client:
        self.client.headers["Authorization"] = f"Bearer {self.token()}"
        return self.client


@pytest.fixture
def api(live_server: LiveServer) -> Iterator[PartnerApi]:
    created = create_company(live_server.db, "Partner venue", is_test=True)
    shop = make_shop(live_server.db, created.workspace)
    headers = {"Authorization": f"Bearer {created.workspace_secret_key}"}
    with (
        httpx.Client(base_url=f"{live_server.url}/admin/v1", headers=headers, timeout=10) as admin,
        httpx.Client(base_url=f"{live_server.url}/partner", timeout=10) as client,
    ):
        made = admin.post(
            "/partners", json={"name": "Ticket Buyback", "ticketTypeId": shop.adult, "payoutConfigured": True}
        )
        assert made.status_code == 201, made.text
        yield PartnerApi(live_server, shop, admin, client, made.json())


def failure(response: httpx.Response, status: int) -> str:
    """The error code of an enveloped failure, after checking its status and shape."""
    assert response.status_code == status, response.text
    body = response.json()
    assert body["success"] is False and set(body) == {"success", "error", "meta"}, body
    assert set(body["error"]) == {"code", "message", "details"} and set(body["meta"]) == {"request_id", "timestamp"}
    code: str = body["error"]["code"]
    return code
