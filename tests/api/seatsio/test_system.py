from __future__ import annotations

import httpx

from tests.api.conftest import LiveServer
from tests.api.seatsio.conftest import SeatsioCompany
from tests.factories import small_drawing


def test_create_test_company_needs_the_system_secret(live_server: LiveServer) -> None:
    response = httpx.post(f"{live_server.url}/seating/system/private/create-test-company", auth=("wrong", ""))
    assert response.status_code == 401
    body = response.json()
    assert body["status"] == 401 and body["errors"][0]["code"] == "UNAUTHORIZED" and body["requestId"]


def test_public_chart_shortcut_creates_a_chart(company: SeatsioCompany) -> None:
    company.post_chart("hall", small_drawing())
    bad = httpx.post(f"{company.base_url}/system/public/charts/bad", content=b"{nope", auth=(company.secret_key, ""))
    assert bad.status_code == 400 and bad.json()["errors"][0]["code"] == "INVALID_JSON"
    broken = httpx.post(
        f"{company.base_url}/system/public/charts/broken", json={"subChart": "x"}, auth=(company.secret_key, "")
    )
    assert broken.status_code == 400
    assert broken.json()["errors"][0]["code"] == "CHART_VALIDATION_FAILED"
