from __future__ import annotations

import httpx

from tests.api.conftest import LiveServer


def test_health_reports_ok(live_server: LiveServer) -> None:
    response = httpx.get(f"{live_server.url}/health")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"
