"""Request limits in every dialect's own error shape: 413 for a body over the size limit (told by
Content-Length, or counted while it streams in) and 429 with Retry-After past a key's rate."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
import uvicorn

from boxoffice.api.app import create_app
from boxoffice.api.seatsio.body import MAX_BODY_BYTES as SEATSIO_MAX_BODY_BYTES
from boxoffice.config import Settings
from boxoffice.services.workspaces import create_company
from boxoffice.storage.uow import Database
from tests.api.conftest import SYSTEM_SECRET, _free_port

LIMIT = 1000  # bytes


@dataclass(frozen=True)
class Limited:
    url: str
    secret: str
    workspace_key: str


@pytest.fixture
def limited(db: Database) -> Iterator[Limited]:
    """A live server allowing 1 request a second per key, and 1000-byte bodies in the admin and basket APIs."""
    settings = Settings(
        database_url="",
        system_secret=SYSTEM_SECRET,
        log_level="WARNING",
        hold_sweep_seconds=3600,
        seatsio_rate_limit=1,
        rate_limit=1,
        max_body_bytes=LIMIT,
    )
    company = create_company(db, "Limited venue", is_test=True)
    port = _free_port()
    config = uvicorn.Config(create_app(db, settings, run_jobs=False), host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.01)
    yield Limited(f"http://127.0.0.1:{port}", company.workspace_secret_key, company.workspace.key)
    server.should_exit = True
    thread.join(timeout=10)


def admin_error(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "details"}, body
    return body["error"]  # type: ignore[no-any-return]


def seatsio_error(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    assert set(body) == {"status", "messages", "errors", "warnings", "requestId"} and body["status"] == status
    return body["errors"][0]  # type: ignore[no-any-return]


def spektrix_error(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    assert set(body) == {"statusCode", "message", "errors"} and body["statusCode"] == status, body
    return body["errors"][0]  # type: ignore[no-any-return]


def streamed(size: int) -> Iterator[bytes]:
    """A JSON body of `size` bytes sent chunked, without Content-Length."""
    yield b'{"name": "'
    sent = 10
    while sent < size - 2:
        chunk = min(256, size - 2 - sent)
        yield b"x" * chunk
        sent += chunk
    yield b'"}'


def test_admin_limits(limited: Limited) -> None:
    url = f"{limited.url}/admin/v1/productions"
    big = {"name": "x" * LIMIT}
    declared = httpx.post(url, json=big)  # the limit comes before authentication
    assert admin_error(declared, 413)["code"] == "REQUEST_TOO_LARGE"
    chunked = httpx.post(url, content=streamed(4 * LIMIT), headers={"Content-Type": "application/json"})
    assert "content-length" not in chunked.request.headers
    assert admin_error(chunked, 413)["code"] == "REQUEST_TOO_LARGE"
    chart = httpx.post(f"{limited.url}/admin/v1/charts", json=big)  # charts may be up to 64 MB
    assert admin_error(chart, 401)["code"] == "UNAUTHORIZED"

    auth = {"Authorization": f"Bearer {limited.secret}"}
    assert httpx.get(url, headers=auth).status_code == 200
    limited_response = httpx.get(url, headers=auth)
    assert admin_error(limited_response, 429)["code"] == "RATE_LIMITED"
    assert int(limited_response.headers["retry-after"]) >= 1
    other_key = create_company_key(limited)
    assert httpx.get(url, headers={"Authorization": f"Bearer {other_key}"}).status_code == 200  # its own bucket


def create_company_key(limited: Limited) -> str:
    response = httpx.post(
        f"{limited.url}/seating/system/private/create-test-company", auth=(SYSTEM_SECRET, ""), timeout=20
    )
    assert response.status_code == 200, response.text
    return str(response.json()["workspace"]["secretKey"])


def test_seatsio_limits(limited: Limited) -> None:
    base = f"{limited.url}/seating"
    too_big = b'{"expiresInMinutes": 5, "pad": "' + b"x" * SEATSIO_MAX_BODY_BYTES + b'"}'
    other_key = create_company_key(limited)
    declared = httpx.post(f"{base}/hold-tokens", content=too_big, auth=(other_key, ""), timeout=20)
    assert seatsio_error(declared, 413)["code"] == "REQUEST_TOO_LARGE"

    assert httpx.post(f"{base}/hold-tokens", json={}, auth=(limited.secret, "")).status_code == 200
    limited_response = httpx.post(f"{base}/hold-tokens", json={}, auth=(limited.secret, ""))
    assert seatsio_error(limited_response, 429)["code"] == "RATE_LIMIT_EXCEEDED"
    assert int(limited_response.headers["retry-after"]) >= 1


def test_spektrix_limits(limited: Limited) -> None:
    base = f"{limited.url}/{limited.workspace_key}/api/v3"
    item = [{"instance": "x", "seat": "A-1", "ticketType": "t", "pad": "x" * LIMIT}]
    # signed-looking callers have a bucket of their own (per name and address): each of these is its first
    declared = httpx.post(f"{base}/basket/tickets", json=item, headers={"Authorization": "SpektrixAPI3 ann:sig"})
    assert spektrix_error(declared, 413)["code"] == "REQUEST_TOO_LARGE"
    chunked = httpx.post(
        f"{base}/basket/checkout",
        content=streamed(4 * LIMIT),
        headers={"Content-Type": "application/json", "Authorization": "SpektrixAPI3 bob:sig"},
    )
    assert spektrix_error(chunked, 413)["code"] == "REQUEST_TOO_LARGE"

    assert httpx.get(f"{base}/events").status_code == 200  # anonymous: per client address
    limited_response = httpx.get(f"{base}/events")
    assert spektrix_error(limited_response, 429)["code"] == "RATE_LIMITED"
    assert int(limited_response.headers["retry-after"]) >= 1
