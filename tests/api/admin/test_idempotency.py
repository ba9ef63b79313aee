"""Idempotency-Key on every POST: replay, reuse with another body, a duplicate in flight; and the service
underneath, which other dialects reuse."""

from __future__ import annotations

import threading
from datetime import timedelta

import httpx
import pytest

from boxoffice.api.admin.idempotency import admin_request_hash, key_scope
from boxoffice.domain.errors import Busy
from boxoffice.services import idempotency
from boxoffice.services.clock import utcnow
from boxoffice.services.idempotency import IdempotencyKeyInFlight, IdempotencyKeyReused, run_idempotent
from boxoffice.services.workspaces import Principal, create_company
from boxoffice.storage.uow import Database
from tests.api.admin.conftest import Admin, error_of, sell
from tests.factories import ShopFixture


def test_the_same_request_with_the_same_key_gets_the_first_response(admin: Admin) -> None:
    headers = {"Idempotency-Key": "create-hamlet"}
    first = admin.client.post("/productions", json={"name": "Hamlet", "durationMinutes": 180}, headers=headers)
    assert first.status_code == 201 and "idempotent-replayed" not in first.headers
    again = admin.client.post(  # the same JSON, keys in another order and spaced differently
        "/productions", content=b'{ "durationMinutes": 180,  "name": "Hamlet" }', headers=headers
    )
    assert again.status_code == 201 and again.json() == first.json()
    assert again.headers["idempotent-replayed"] == "true"
    assert len(admin.client.get("/productions").json()) == 1  # created once

    other = admin.client.post("/productions", json={"name": "Lear"}, headers=headers)
    assert error_of(other, 422)["code"] == "IDEMPOTENCY_KEY_REUSED"
    elsewhere = admin.client.post("/funds", json={"name": "Hamlet", "durationMinutes": 180}, headers=headers)
    assert error_of(elsewhere, 422)["code"] == "IDEMPOTENCY_KEY_REUSED"  # another path is another request
    fresh = admin.client.post("/productions", json={"name": "Lear"}, headers={"Idempotency-Key": "create-lear"})
    assert fresh.status_code == 201 and fresh.json()["id"] != first.json()["id"]
    without = admin.client.post("/productions", json={"name": "Lear"})
    assert without.status_code == 201 and len(admin.client.get("/productions").json()) == 3


def test_keys_belong_to_the_credentials_that_used_them(admin: Admin) -> None:
    other = create_company(admin.db, "Other venue", is_test=True)
    headers = {"Idempotency-Key": "same-key"}
    mine = admin.client.post("/productions", json={"name": "Hamlet"}, headers=headers)
    theirs = httpx.post(
        f"{admin.base_url}/productions",
        json={"name": "Hamlet"},
        headers={**headers, "Authorization": f"Bearer {other.workspace_secret_key}"},
    )
    assert mine.status_code == theirs.status_code == 201
    assert mine.json()["id"] != theirs.json()["id"] and "idempotent-replayed" not in theirs.headers


def test_errors_are_replayed_too_and_bad_keys_rejected(admin: Admin, shop: ShopFixture) -> None:
    order = sell(admin.db, shop, ["A-1"])
    headers = {"Idempotency-Key": "cancel-1"}
    first = admin.client.post(f"/orders/{order.id}/cancel", json={"reason": "r"}, headers=headers)
    assert first.status_code == 200 and first.json()["status"] == "cancelled"
    replay = admin.client.post(f"/orders/{order.id}/cancel", json={"reason": "r"}, headers=headers)
    assert replay.status_code == 200 and replay.json() == first.json()  # not "already cancelled"
    second = admin.client.post(f"/orders/{order.id}/cancel", json={"reason": "r"}, headers={"Idempotency-Key": "c2"})
    assert error_of(second, 409)["code"] == "CONFLICT"
    again = admin.client.post(f"/orders/{order.id}/cancel", json={"reason": "r"}, headers={"Idempotency-Key": "c2"})
    assert again.status_code == 409 and again.json() == second.json()
    assert (
        error_of(admin.client.post("/productions", json={"name": "x"}, headers={"Idempotency-Key": "k" * 201}), 422)[
            "code"
        ]
        == "VALIDATION_ERROR"
    )


def test_a_duplicate_while_the_first_is_in_flight_is_409(admin: Admin) -> None:
    body = b'{"name":"Hamlet"}'
    owner = key_scope(Principal(admin.workspace), admin.secret_key)
    # the first request has claimed the key and is still running
    assert (
        idempotency.claim(admin.db, owner, "k1", admin_request_hash("POST", "/admin/v1/productions", b"", body)) is None
    )
    headers = {"Idempotency-Key": "k1", "Content-Type": "application/json"}
    response = admin.client.post("/productions", content=body, headers=headers)
    assert error_of(response, 409)["code"] == "IDEMPOTENCY_KEY_IN_FLIGHT"
    assert admin.client.get("/productions").json() == []
    idempotency.complete(admin.db, owner, "k1", 201, '{"id": "first"}')
    replay = admin.client.post("/productions", content=body, headers=headers)
    assert replay.status_code == 201 and replay.json() == {"id": "first"}


def test_concurrent_duplicates_run_the_request_once(admin: Admin) -> None:
    barrier = threading.Barrier(4)
    responses: list[httpx.Response] = []
    lock = threading.Lock()

    def post() -> None:
        barrier.wait()
        response = httpx.post(
            f"{admin.base_url}/productions",
            json={"name": "Hamlet"},
            headers={"Authorization": f"Bearer {admin.secret_key}", "Idempotency-Key": "race"},
        )
        with lock:
            responses.append(response)

    threads = [threading.Thread(target=post) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert sorted({r.status_code for r in responses} - {409}) == [201]
    assert len({r.json()["id"] for r in responses if r.status_code == 201}) == 1
    assert len(admin.client.get("/productions").json()) == 1


# -- the service, as another dialect would call it ------------------------------------------------------
def test_run_idempotent_runs_once_and_replays(db: Database) -> None:
    calls: list[int] = []

    def work() -> tuple[int, str]:
        calls.append(1)
        return 201, f'{{"n": {len(calls)}}}'

    h = idempotency.request_hash("POST", "/x", b"{}")
    assert run_idempotent(db, "s", "k", h, work) == (201, '{"n": 1}')
    assert run_idempotent(db, "s", "k", h, work) == (201, '{"n": 1}') and len(calls) == 1
    assert run_idempotent(db, "other-scope", "k", h, work) == (201, '{"n": 2}')
    with pytest.raises(IdempotencyKeyReused):
        run_idempotent(db, "s", "k", idempotency.request_hash("POST", "/x", b"{1}"), work)


def test_failures_and_transient_answers_release_the_key(db: Database) -> None:
    h = idempotency.request_hash("POST", "/y")

    def boom() -> tuple[int, str]:
        raise Busy("busy")

    with pytest.raises(Busy):
        run_idempotent(db, "s", "k", h, boom)
    assert run_idempotent(db, "s", "k", h, lambda: (409, "{}")) == (409, "{}")  # not stored either
    assert run_idempotent(db, "s", "k", h, lambda: (503, "{}")) == (503, "{}")
    assert run_idempotent(db, "s", "k", h, lambda: (200, '"ok"')) == (200, '"ok"')
    assert run_idempotent(db, "s", "k", h, lambda: (500, "{}")) == (200, '"ok"')


def test_abandoned_claims_and_old_keys_can_be_taken_over(db: Database) -> None:
    h = idempotency.request_hash("POST", "/z")
    long_ago = utcnow() - idempotency.IN_FLIGHT_TIMEOUT - timedelta(seconds=1)
    assert idempotency.claim(db, "s", "stuck", h, now=long_ago) is None  # its process died mid-request
    with pytest.raises(IdempotencyKeyInFlight):
        idempotency.claim(db, "s", "stuck", h, now=long_ago + timedelta(seconds=1))
    assert idempotency.claim(db, "s", "stuck", h) is None  # now: abandoned, ours
    idempotency.complete(db, "s", "stuck", 201, "{}")
    with pytest.raises(IdempotencyKeyReused):
        idempotency.claim(db, "s", "stuck", idempotency.request_hash("other"))
    assert idempotency.claim(db, "s", "stuck", h) == idempotency.StoredResponse(201, "{}")
    day_later = utcnow() + idempotency.KEY_TTL + timedelta(seconds=1)
    assert idempotency.claim(db, "s", "stuck", idempotency.request_hash("other"), now=day_later) is None
