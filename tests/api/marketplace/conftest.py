"""Fixtures for the marketplace API: a live server, a priced shop, an admin client and a signing helper."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from boxoffice.services import marketplaces
from boxoffice.services.workspaces import create_company
from tests.api.conftest import LiveServer
from tests.factories import ShopFixture, make_shop


@dataclass
class Market:
    server: LiveServer
    shop: ShopFixture
    admin: httpx.Client
    client: httpx.Client

    def signed(
        self, marketplace_id: str, key: str, method: str, path: str, body: Any = None, **headers: str
    ) -> httpx.Response:
        raw = b"" if body is None else json.dumps(body).encode()
        timestamp = headers.pop("timestamp", str(int(time.time())))
        full = f"/marketplace/v1{path}"
        signature = marketplaces.sign(key, marketplaces.signed_message(timestamp, method, full, raw))
        sent = {"X-Marketplace-Id": marketplace_id, "X-Timestamp": timestamp, "X-Signature": signature}
        sent |= {"Content-Type": "application/json"} | headers
        return self.client.request(method, path, content=raw, headers=sent)


@pytest.fixture
def market(live_server: LiveServer) -> Iterator[Market]:
    created = create_company(live_server.db, "Marketplace venue", is_test=True)
    shop = make_shop(live_server.db, created.workspace)
    headers = {"Authorization": f"Bearer {created.workspace_secret_key}"}
    with (
        httpx.Client(base_url=f"{live_server.url}/admin/v1", headers=headers, timeout=10) as admin,
        httpx.Client(base_url=f"{live_server.url}/marketplace/v1", timeout=10) as client,
    ):
        yield Market(live_server, shop, admin, client)


def error(response: httpx.Response, status: int) -> str:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "details"}, body
    code: str = body["error"]["code"]
    return code
