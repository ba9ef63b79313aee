"""Idempotency-Key in every dialect (the admin API has its own tests): a replay returns the first answer and
does the work once; another request under the key is 422 and a duplicate in flight 409 with Retry-After,
each in the dialect's own error shape. And the shared middleware's recovery from a release that failed."""

from __future__ import annotations

import asyncio
import base64
import json
from dataclasses import dataclass
from typing import Any

import httpx
import orjson
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route
from starlette.types import ASGIApp, Message

from boxoffice.api import idempotency as shared
from boxoffice.api.seatsio.idempotency import key_scope
from boxoffice.api.spektrix.auth import COOKIE
from boxoffice.api.spektrix.idempotency import basket_scope
from boxoffice.services import api_users, idempotency
from boxoffice.services.workspaces import create_company
from boxoffice.storage.uow import Database, Unavailable
from tests.api.conftest import SYSTEM_SECRET, LiveServer
from tests.api.spektrix.conftest import signed
from tests.factories import ShopFixture, make_shop


@dataclass(frozen=True)
class Venue:
    url: str
    db: Database
    shop: ShopFixture
    secret: str

    @property
    def seating(self) -> httpx.Client:
        return httpx.Client(base_url=f"{self.url}/seating", auth=(self.secret, ""), timeout=20)

    @property
    def basket_api(self) -> str:
        return f"{self.url}/{self.shop.workspace.key}/api/v3"


@pytest.fixture
def venue(live_server: LiveServer) -> Venue:
    company = create_company(live_server.db, "Idempotent venue", is_test=True)
    shop = make_shop(live_server.db, company.workspace)
    return Venue(live_server.url, live_server.db, shop, company.workspace_secret_key)


def seatsio_error(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    assert set(body) == {"status", "messages", "errors", "warnings", "requestId"}, body
    assert body["status"] == status and body["messages"] == [body["errors"][0]["message"]]
    return body["errors"][0]  # type: ignore[no-any-return]


def spektrix_error(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    assert set(body) == {"statusCode", "message", "errors"}, body
    assert body["statusCode"] == status
    return body["errors"][0]  # type: ignore[no-any-return]


# -- seats.io ------------------------------------------------------------------------------------------------
def test_seatsio_posts_replay_and_book_once(venue: Venue) -> None:
    event = venue.shop.event_key
    with venue.seating as api:
        token = api.post("/hold-tokens", json={"expiresInMinutes": 10}, headers={"Idempotency-Key": "token-1"})
        assert token.status_code == 200 and "idempotent-replayed" not in token.headers
        again = api.post("/hold-tokens", content=b'{ "expiresInMinutes" : 10 }', headers={"Idempotency-Key": "token-1"})
        assert again.status_code == 200 and again.content == token.content
        assert again.headers["idempotent-replayed"] == "true"

        book = {"events": [event], "objects": ["A-1", "A-2"], "status": "booked", "orderId": "o-1"}
        headers = {"Idempotency-Key": "book-1"}
        first = api.post("/events/groups/actions/change-object-status", json=book, headers=headers)
        assert first.is_success, first.text
        replay = api.post("/events/groups/actions/change-object-status", json=book, headers=headers)
        assert replay.status_code == first.status_code and replay.content == first.content
        changes = api.get(f"/events/{event}/status-changes").json()["items"]
        assert sorted(c["objectLabel"] for c in changes) == ["A-1", "A-2"]  # booked once

        other = api.post(
            "/events/groups/actions/change-object-status", json={**book, "objects": ["A-3"]}, headers=headers
        )
        assert seatsio_error(other, 422)["code"] == "IDEMPOTENCY_KEY_REUSED"
        bad = api.post("/hold-tokens", json={}, headers={"Idempotency-Key": "k" * 201})
        assert seatsio_error(bad, 422)["code"] == "VALIDATION_ERROR"
        # no credentials: untouched, the route answers 401 and nothing is remembered
        anonymous = httpx.post(f"{venue.url}/seating/hold-tokens", json={}, headers={"Idempotency-Key": "token-1"})
        assert seatsio_error(anonymous, 401)["code"] == "UNAUTHORIZED"


def test_seatsio_duplicate_in_flight_is_409_with_retry_after(venue: Venue) -> None:
    body = b'{"expiresInMinutes":5}'
    owner = key_scope(venue.shop.workspace.id, venue.secret)
    fingerprint = shared.http_request_hash("POST", "/seating/hold-tokens", b"", body)
    assert idempotency.claim(venue.db, owner, "flying", fingerprint) is None  # the first is still running
    with venue.seating as api:
        headers = {"Idempotency-Key": "flying", "Content-Type": "application/json"}
        busy = api.post("/hold-tokens", content=body, headers=headers)
        assert seatsio_error(busy, 409)["code"] == "IDEMPOTENCY_KEY_IN_FLIGHT"
        assert busy.headers["retry-after"] == "1"
        idempotency.complete(venue.db, owner, "flying", 200, '{"holdToken": "first"}')
        replay = api.post("/hold-tokens", content=body, headers=headers)
        assert replay.status_code == 200 and replay.json() == {"holdToken": "first"}


# -- Spektrix ------------------------------------------------------------------------------------------------
def test_spektrix_basket_posts_replay_per_basket(venue: Venue) -> None:
    shop = venue.shop
    item = [{"instance": shop.event_key, "seat": "A-1", "ticketType": shop.adult}]
    with httpx.Client(base_url=venue.basket_api, timeout=20) as c:
        # an anonymous key with no basket to bind it to is refused, not silently ignored
        refused = c.post("/basket/tickets", json=item, headers={"Idempotency-Key": "add-1"})
        assert spektrix_error(refused, 400)["code"] == "IDEMPOTENCY_KEY_NEEDS_BASKET"
        assert c.get("/basket").json()["tickets"] == [] and c.cookies.get(COOKIE)
        first = c.post("/basket/tickets", json=item, headers={"Idempotency-Key": "add-1"})
        assert first.status_code == 200, first.text
        again = c.post("/basket/tickets", json=item, headers={"Idempotency-Key": "add-1"})
        assert again.content == first.content and again.headers["idempotent-replayed"] == "true"
        assert len(c.get("/basket").json()["tickets"]) == 1  # added once
        other = c.post("/basket/tickets", json=[{**item[0], "seat": "A-2"}], headers={"Idempotency-Key": "add-1"})
        assert spektrix_error(other, 422)["code"] == "IDEMPOTENCY_KEY_REUSED"
    with httpx.Client(base_url=venue.basket_api, timeout=20) as browser:  # another basket: its own keys
        browser.get("/basket")
        theirs = browser.post(
            "/basket/tickets", json=[{**item[0], "seat": "A-3"}], headers={"Idempotency-Key": "add-1"}
        )
        assert theirs.status_code == 200 and "idempotent-replayed" not in theirs.headers
    # a cookie naming a lapsed basket: the first answer opens a new one and sets its cookie; a retry that never
    # saw that answer (still sending the old cookie) gets it again, cookie included
    stale = {"Cookie": f"{COOKIE}=lapsed-basket", "Idempotency-Key": "add-2"}
    url = f"{venue.basket_api}/basket/tickets"
    opened = httpx.post(url, json=[{**item[0], "seat": "A-4"}], headers=stale)
    retried = httpx.post(url, json=[{**item[0], "seat": "A-4"}], headers=stale)
    assert opened.status_code == retried.status_code == 200 and retried.content == opened.content
    assert retried.headers["set-cookie"] == opened.headers["set-cookie"] and COOKIE in opened.headers["set-cookie"]


def test_spektrix_signed_posts_belong_to_the_api_user(venue: Venue) -> None:
    shop = venue.shop
    key = api_users.create_api_user(venue.db, shop.workspace, "box-office", system_secret=SYSTEM_SECRET).key
    url = f"{venue.basket_api}/basket/tickets"
    body = orjson.dumps([{"instance": shop.event_key, "seat": "C-1", "ticketType": shop.adult}])

    def post(signature_key: str) -> httpx.Response:  # signed afresh each time: a new Date, a new signature
        headers = {**signed("POST", url, "box-office", signature_key, body), "Idempotency-Key": "signed-1"}
        return httpx.post(url, content=body, headers={**headers, "Content-Type": "application/json"})

    first = post(key)
    assert first.status_code == 200, first.text
    again = post(key)
    assert again.content == first.content and again.headers["idempotent-replayed"] == "true"
    assert again.headers["set-cookie"] == first.headers["set-cookie"]  # the basket it opened
    forged = post(base64.b64encode(b"not the key").decode())
    assert spektrix_error(forged, 401)["code"] == "UNAUTHORIZED"  # no replay for a bad signature


def test_spektrix_checkout_once_with_middleware_and_service_agreeing(venue: Venue) -> None:
    shop = venue.shop
    order_body = {
        "customer": {"firstName": "Ann", "lastName": "Smith", "email": "ann@example.org"},
        "payment": {"method": "testCard", "cardNumber": "4242424242424242"},
    }
    raw = shared.canonical_json(httpx.Request("POST", "/", json=order_body).read())
    with httpx.Client(base_url=venue.basket_api, timeout=20) as c:
        c.post("/basket/tickets", json=[{"instance": shop.event_key, "seat": "B-1", "ticketType": shop.adult}])
        cookie = c.cookies[COOKIE]
        owner = basket_scope(shop.workspace.id, cookie)
        path = f"/{shop.workspace.key}/api/v3/basket/checkout"
        assert idempotency.claim(venue.db, owner, "order-1", shared.http_request_hash("POST", path, b"", raw)) is None
        busy = c.post("/basket/checkout", json=order_body, headers={"Idempotency-Key": "order-1"})
        assert spektrix_error(busy, 409)["code"] == "IDEMPOTENCY_KEY_IN_FLIGHT" and busy.headers["retry-after"]
        idempotency.release(venue.db, owner, "order-1")  # the first died without an answer

        first = c.post("/basket/checkout", json=order_body, headers={"Idempotency-Key": "order-1"})
        assert first.status_code == 200, first.text
        replay = c.post("/basket/checkout", json=order_body, headers={"Idempotency-Key": "order-1"})
        assert replay.content == first.content and replay.headers["idempotent-replayed"] == "true"
        # the stored answer lost (say, the database failed as it was written): the service's own order
        # idempotency answers the retry with the same order, not "already checked out"
        idempotency.release(venue.db, owner, "order-1")
        backstop = c.post("/basket/checkout", json=order_body, headers={"Idempotency-Key": "order-1"})
        assert backstop.status_code == 200 and backstop.json()["id"] == first.json()["id"]
        assert "idempotent-replayed" not in backstop.headers


# -- the shared middleware: a release that failed ----------------------------------------------------------
def test_a_claim_that_could_not_be_released_is_released_on_the_next_request(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []

    async def endpoint(request: Request) -> JSONResponse:
        body = await request.json()
        calls.append(body["n"])
        if body.get("crash") and len(calls) == 1:
            raise RuntimeError("the request died")
        return JSONResponse({"n": body["n"], "call": len(calls)}, status_code=201)

    def render(status: int, code: str, message: str, headers: dict[str, str] | None) -> ASGIApp:
        return JSONResponse({"code": code, "message": message}, status_code=status, headers=headers)

    async def owner(_scope: Any, headers: Any, _body: bytes) -> str | None:
        return "test:" + headers["x-caller"] if "x-caller" in headers else None

    app = shared.IdempotencyMiddleware(
        Starlette(routes=[Route("/x", endpoint, methods=["POST"])]), db, owner_of=owner, render=render
    )
    real_release = idempotency.release
    down = True

    def release(*args: Any) -> None:
        if down:
            raise Unavailable("The database is unavailable; retry in a moment")
        real_release(*args)

    monkeypatch.setattr(idempotency, "release", release)

    def post(body: dict[str, Any], headers: dict[str, str]) -> tuple[int, dict[str, str], Any]:
        return asyncio.run(_call(app, "/x", json.dumps(body).encode(), headers))

    headers = {"x-caller": "a", "Idempotency-Key": "k1"}
    crash = {"n": "1", "crash": True}
    with pytest.raises(RuntimeError):
        post(crash, headers)
    status, head, stuck = post(crash, headers)  # the claim was left in flight
    assert status == 409 and stuck["code"] == "IDEMPOTENCY_KEY_IN_FLIGHT" and head["retry-after"] == "1"
    down = False  # the database is back: the next keyed request releases the leftover claim first
    status, _, retried = post(crash, headers)
    assert status == 201 and retried == {"n": "1", "call": 2}
    status, head, replay = post(crash, headers)
    assert (status, replay) == (201, retried) and head["idempotent-replayed"] == "true"
    status, head, _ = post({"n": "2"}, {"Idempotency-Key": "k1"})  # no caller: untouched
    assert status == 201 and "idempotent-replayed" not in head


async def _call(app: ASGIApp, path: str, body: bytes, headers: dict[str, str]) -> tuple[int, dict[str, str], Any]:
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": b"",
        "headers": [
            (k.lower().encode(), v.encode()) for k, v in {**headers, "content-type": "application/json"}.items()
        ],
        "client": ("127.0.0.1", 1),
        "server": ("test", 80),
    }
    sent: list[Message] = []
    delivered = False

    async def receive() -> Message:
        nonlocal delivered
        if not delivered:
            delivered = True
            return {"type": "http.request", "body": body, "more_body": False}
        await asyncio.sleep(3600)
        return {"type": "http.disconnect"}

    async def send(message: Message) -> None:
        sent.append(message)

    await app(scope, receive, send)
    start = next(m for m in sent if m["type"] == "http.response.start")
    content = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    head = {k.decode(): v.decode() for k, v in start["headers"]}
    return start["status"], head, json.loads(content)
