"""Fixtures that drive the seats.io dialect through the official `seatsio` SDK from PyPI."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx
import pytest
import seatsio

from tests.api.conftest import LiveServer


@dataclass(frozen=True)
class SeatsioCompany:
    base_url: str  # http://127.0.0.1:PORT/seating
    admin_key: str
    workspace_key: str
    secret_key: str  # the default workspace's secret key
    client: Any  # seatsio.Client for the default workspace

    def post_chart(self, key: str, drawing: dict[str, Any]) -> None:
        """Create a published chart from chart JSON (the /system/public/charts shortcut)."""
        response = httpx.post(f"{self.base_url}/system/public/charts/{key}", json=drawing, auth=(self.secret_key, ""))
        assert response.status_code == 201, response.text


@pytest.fixture
def company(live_server: LiveServer) -> SeatsioCompany:
    base = f"{live_server.url}/seating"
    response = httpx.post(f"{base}/system/private/create-test-company", auth=(live_server.system_secret, ""))
    assert response.status_code == 200, response.text
    body = response.json()
    secret = body["workspace"]["secretKey"]
    client = seatsio.Client(seatsio.Region(base), secret_key=secret, max_retries=0)
    return SeatsioCompany(base, body["admin"]["secretKey"], body["workspace"]["key"], secret, client)
