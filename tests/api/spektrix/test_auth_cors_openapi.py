"""Authenticated (HMAC) mode, CORS with credentials, and the OpenAPI document."""

from __future__ import annotations

from email.utils import formatdate
from time import time

import pytest

from boxoffice.domain.errors import AlreadyExists, InvalidInput, Unauthorized
from boxoffice.services import api_users
from boxoffice.services.api_users import derive_key
from boxoffice.storage.uow import Database
from tests.api.conftest import SYSTEM_SECRET
from tests.api.spektrix.conftest import ORIGIN, Spektrix, error_of, signed
from tests.factories import make_workspace


def _detail_url(spx: Spektrix) -> str:
    return f"{spx.base}/instances/{spx.shop.event_key}/status/detail?includeChildPlans=true"


def test_a_signed_request_unlocks_the_richer_seat_detail(spx: Spektrix) -> None:
    shop = spx.shop
    key = spx.api_user()
    url = _detail_url(spx)
    with spx.client() as c:
        c.post("/basket/tickets", json={"instance": shop.event_key, "seat": "A-2", "ticketType": shop.adult})
        anonymous = c.get(url).json()
        rich = c.get(url, headers=signed("GET", url, "backoffice", key))
        assert rich.status_code == 200, rich.text
    assert anonymous["authenticated"] is False and set(anonymous["seats"][0]) == {"id", "status", "band"}
    seats = {s["id"]: s for s in rich.json()["seats"]}
    assert rich.json()["authenticated"] is True
    assert seats["A-2"]["status"] == "U" and seats["A-2"]["reason"] == "reservedByToken" and seats["A-2"]["holdToken"]
    assert seats["A-3"]["reason"] == "free" and seats["A-3"]["lock"] is None and seats["A-3"]["orderId"] is None


def test_a_path_only_signature_is_accepted_for_callers_behind_a_proxy(spx: Spektrix) -> None:
    key = spx.api_user()
    url = _detail_url(spx)
    path = url.removeprefix(spx.url)
    with spx.client() as c:
        assert c.get(url, headers=signed("GET", path, "backoffice", key)).json()["authenticated"] is True


@pytest.mark.parametrize(
    "problem", ["bad-signature", "stale-date", "unknown-user", "wrong-scheme", "no-date", "tampered-body", "inactive"]
)
def test_bad_signatures_are_401(spx: Spektrix, problem: str) -> None:
    key = spx.api_user()
    url = _detail_url(spx)
    headers = signed("GET", url, "backoffice", key)
    if problem == "bad-signature":
        headers = signed("GET", url, "backoffice", derive_key("another secret", "x"))
    elif problem == "stale-date":
        headers = signed("GET", url, "backoffice", key, date=formatdate(time() - 16 * 60, usegmt=True))
    elif problem == "unknown-user":
        headers = signed("GET", url, "nobody", key)
    elif problem == "wrong-scheme":
        headers["Authorization"] = headers["Authorization"].replace("SpektrixAPI3", "Basic")
    elif problem == "no-date":
        del headers["Date"]
    elif problem == "inactive":
        api_users.set_active(spx.db, spx.shop.workspace, "backoffice", False)
    with spx.client() as c:
        if problem == "tampered-body":
            basket_url = f"{spx.base}/basket/customer"
            headers = signed("PUT", basket_url, "backoffice", key, b'{"id": "a"}')
            response = c.put(basket_url, content=b'{"id": "b"}', headers=headers)
        else:
            response = c.get(url, headers=headers)
    assert response.status_code == 401, response.text
    assert error_of(response)["code"] == "UNAUTHORIZED"
    assert response.headers["www-authenticate"] == "SpektrixAPI3"


def test_api_users_keys_are_derived_never_stored(db: Database) -> None:
    workspace = make_workspace(db)
    new = api_users.create_api_user(db, workspace, "website", system_secret="s1")
    assert new.key == derive_key("s1", new.user.id) and new.key != derive_key("s2", new.user.id)
    message = "GET\nhttps://x/y\nDate"
    signature = api_users.sign(new.key, message)
    assert api_users.verify(db, workspace, "website", [message], signature, system_secret="s1").id == new.user.id
    with pytest.raises(Unauthorized):
        api_users.verify(db, workspace, "website", [message], signature, system_secret="s2")
    with pytest.raises(Unauthorized):
        api_users.verify(db, make_workspace(db), "website", [message], signature, system_secret="s1")
    with pytest.raises(AlreadyExists):
        api_users.create_api_user(db, workspace, "website", system_secret="s1")
    with pytest.raises(InvalidInput):
        api_users.create_api_user(db, workspace, "other", system_secret="")
    with pytest.raises(InvalidInput):
        api_users.create_api_user(db, workspace, "no spaces", system_secret="s1")
    assert [u.name for u in api_users.list_api_users(db, workspace)] == ["website"]
    with db.read() as uow:
        row = uow.connection.exec_driver_sql("select * from api_users").mappings().one()
    assert set(row) == {"id", "workspace_id", "name", "created_at", "active"}
    assert SYSTEM_SECRET not in str(dict(row)) and new.key not in str(dict(row))


def test_an_allowed_origin_gets_credentialed_cors_and_others_do_not(spx: Spektrix) -> None:
    with spx.client() as c:
        allowed = c.get("/basket", headers={"Origin": ORIGIN})
        assert allowed.headers["access-control-allow-origin"] == ORIGIN
        assert allowed.headers["access-control-allow-credentials"] == "true"
        assert allowed.headers["access-control-expose-headers"] == "Retry-After, Idempotent-Replayed"
        assert "Origin" in allowed.headers["vary"]
        other = c.get("/basket", headers={"Origin": "https://evil.example.com"})
        assert other.status_code == 200
        assert "access-control-allow-origin" not in other.headers
        assert "access-control-allow-credentials" not in other.headers
        assert "access-control-expose-headers" not in other.headers
        error = c.post("/basket/tickets", json=[], headers={"Origin": ORIGIN})
        assert error.status_code == 400 and error.headers["access-control-allow-origin"] == ORIGIN


def test_preflights_are_answered_for_allowed_origins_only(spx: Spektrix) -> None:
    preflight = {"Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type"}
    with spx.client() as c:
        ok = c.options("/basket/tickets", headers={"Origin": ORIGIN, **preflight})
        assert ok.status_code == 204
        assert ok.headers["access-control-allow-origin"] == ORIGIN
        assert ok.headers["access-control-allow-credentials"] == "true"
        assert "POST" in ok.headers["access-control-allow-methods"]
        assert ok.headers["access-control-allow-headers"] == "content-type"
        refused = c.options("/basket/tickets", headers={"Origin": "https://evil.example.com", **preflight})
        assert refused.status_code == 403 and "access-control-allow-origin" not in refused.headers
        spx.config.cors_origins = frozenset({"https://evil.example.com"})
        now_ok = c.options("/basket/tickets", headers={"Origin": "https://evil.example.com", **preflight})
        assert now_ok.status_code == 204


def test_openapi_documents_the_dialect(spx: Spektrix) -> None:
    with spx.client() as c:
        doc = c.get("/openapi.json").json()
        assert c.get("/docs").status_code == 200
    assert doc["info"]["title"].startswith("boxoffice basket API")
    assert doc["servers"] == [{"url": f"/{spx.shop.workspace.key}/api/v3"}]
    paths = doc["paths"]
    expected = {
        ("get", "/events"),
        ("get", "/events/{event_id}/instances"),
        ("get", "/instances/{instance_id}/plan"),
        ("get", "/instances/{instance_id}/price-list"),
        ("get", "/instances/{instance_id}/status"),
        ("get", "/instances/{instance_id}/status/detail"),
        ("get", "/funds"),
        ("get", "/stock-items"),
        ("get", "/memberships"),
        ("get", "/ticket-subscription-structures"),
        ("get", "/basket"),
        ("patch", "/basket"),
        ("post", "/basket/clear"),
        ("post", "/basket/tickets"),
        ("post", "/basket/tickets/best-available"),
        ("patch", "/basket/tickets"),
        ("patch", "/basket/tickets/{ticket_id}"),
        ("delete", "/basket/tickets"),
        ("post", "/basket/donations"),
        ("post", "/basket/merchandise"),
        ("post", "/basket/membership-subscriptions"),
        ("post", "/basket/ticket-subscriptions"),
        ("put", "/basket/customer"),
        ("post", "/basket/checkout"),
    }
    assert expected <= {(m, p) for p, ops in paths.items() for m in ops}
    tickets_body = paths["/basket/tickets"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert tickets_body["oneOf"][0]["type"] == "array"
    assert "ErrorOut" in doc["components"]["schemas"] and "BasketOut" in doc["components"]["schemas"]
    assert {p["name"] for p in paths["/instances/{instance_id}/price-list"]["get"]["parameters"]} >= {"$expand"}
