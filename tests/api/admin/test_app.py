"""Authentication, the one error shape, and the OpenAPI document."""

from __future__ import annotations

from typing import Any

import httpx

from boxoffice.services import workspace_admin, workspaces
from tests.api.admin.conftest import Admin, error_of


def test_the_secret_key_is_accepted_as_bearer_or_basic_user(admin: Admin) -> None:
    assert admin.client.get("/productions").status_code == 200
    basic = httpx.get(f"{admin.base_url}/productions", auth=(admin.secret_key, ""))
    assert basic.status_code == 200 and basic.json() == []


def test_anything_else_is_401(admin: Admin) -> None:
    url = f"{admin.base_url}/productions"
    for headers in [
        {},
        {"Authorization": "Bearer not-a-key"},
        {"Authorization": "Bearer"},
        {"Authorization": "Basic %%%"},
        {"Authorization": "Token " + admin.secret_key},
    ]:
        response = httpx.get(url, headers=headers)
        assert error_of(response, 401)["code"] == "UNAUTHORIZED", headers
        assert response.headers["www-authenticate"].startswith("Bearer")
    # a POST with bad credentials is 401 too, before its body is looked at (even with an Idempotency-Key)
    response = httpx.post(url, json={"bad": 1}, headers={"Authorization": "Bearer nope", "Idempotency-Key": "k"})
    assert error_of(response, 401)["code"] == "UNAUTHORIZED"


def test_an_inactive_workspace_key_is_403(admin: Admin) -> None:
    company_id = admin.workspace.company_id
    other = workspaces.create_workspace(admin.db, company_id, "closed")
    workspace_admin.deactivate(admin.db, company_id, other.workspace.key)
    response = httpx.get(f"{admin.base_url}/productions", headers={"Authorization": f"Bearer {other.secret_key}"})
    assert error_of(response, 403)["code"] == "WORKSPACE_INACTIVE"


def test_unknown_routes_and_methods_have_the_error_shape(admin: Admin) -> None:
    assert error_of(admin.client.get("/no-such-thing"), 404)["code"] == "NOT_FOUND"
    assert error_of(httpx.get(f"{admin.base_url}/no-such-thing"), 404)["code"] == "NOT_FOUND"
    assert error_of(admin.client.delete("/productions"), 405)["code"] == "METHOD_NOT_ALLOWED"


def test_validation_errors_are_422_with_one_detail_per_problem(admin: Admin) -> None:
    error = error_of(admin.client.post("/productions", json={"description": 5, "colour": "red"}), 422)
    assert error["code"] == "VALIDATION_ERROR"
    fields = {d["field"] for d in error["details"]}  # type: ignore[attr-defined]
    assert {"name", "description", "colour"} <= fields
    error = error_of(
        admin.client.post("/productions", content=b"{not json", headers={"Content-Type": "application/json"}), 422
    )
    assert error["code"] == "VALIDATION_ERROR"
    assert error_of(admin.client.post("/productions", json=[1, 2]), 422)["code"] == "VALIDATION_ERROR"
    assert error_of(admin.client.get("/orders", params={"limit": "many"}), 422)["code"] == "VALIDATION_ERROR"


def test_openapi_document_lists_the_main_paths(admin: Admin) -> None:
    response = httpx.get(f"{admin.base_url}/openapi.json")
    assert response.status_code == 200
    document = response.json()
    assert document["openapi"].startswith("3.") and document["info"]["title"] and document["info"]["version"]
    paths = document["paths"]
    for path, method in [
        ("/charts", "post"),
        ("/productions", "post"),
        ("/productions/{productionId}", "patch"),
        ("/performances", "get"),
        ("/performances/{eventKey}", "patch"),
        ("/performances/{eventKey}/cancel", "post"),
        ("/performances/{eventKey}/price-list", "put"),
        ("/ticket-types", "post"),
        ("/funds", "post"),
        ("/stock-items/{stockItemId}/stock-level", "put"),
        ("/memberships", "post"),
        ("/ticket-subscription-structures", "post"),
        ("/attribute-definitions", "post"),
        ("/customers/{customerId}/orders", "get"),
        ("/orders", "get"),
        ("/orders/{orderId}/cancel", "post"),
        ("/orders/{orderId}/return", "post"),
    ]:
        assert method in paths.get(path, {}), f"{method.upper()} {path}"
    for operations in paths.values():
        for method, operation in operations.items():
            assert "401" in operation["responses"] and "422" in operation["responses"], operation["operationId"]
            if method == "post":
                assert any(p["name"] == "Idempotency-Key" for p in operation["parameters"])
    assert {"secretKey", "basic"} <= set(document["components"]["securitySchemes"])
    price_list = document["components"]["schemas"]["PriceListIn"]["properties"]
    assert {"prices", "fees"} <= set(price_list)  # camelCase on the wire
    assert "ticketTypeId" in document["components"]["schemas"]["PriceIn"]["properties"]
    docs = httpx.get(f"{admin.base_url}/docs")
    assert docs.status_code == 200 and "/admin/v1/openapi.json" in docs.text


def test_hostile_input_is_never_a_500(admin: Admin) -> None:
    big, long = 10**30, "x" * 600
    cases: list[tuple[str, str, dict[str, Any]]] = [
        ("POST", "/productions", {"json": {"name": long}}),
        ("POST", "/productions", {"json": {"name": "a\u0000b"}}),
        ("POST", "/productions", {"json": {"name": "x", "durationMinutes": big}}),
        ("POST", "/productions", {"content": b"name=x", "headers": {"Content-Type": "text/plain"}}),
        ("POST", "/productions", {"content": b"null", "headers": {"Content-Type": "application/json"}}),
        ("POST", "/ticket-types", {"json": {"name": "t" * 250}}),
        ("POST", "/attribute-definitions", {"json": {"name": "a" * 250, "appliesTo": "order"}}),
        (
            "PUT",
            "/performances/p/price-list",
            {"json": {"prices": [{"ticketTypeId": "t", "categoryKey": 1, "amount": big}]}},
        ),
        ("PUT", "/performances/p/price-list", {"json": {"prices": [], "fees": [{"name": long, "amount": 1}]}}),
        ("POST", "/stock-items", {"json": {"name": "s", "price": 1, "currency": "GBP", "stockLevel": big}}),
        ("POST", "/memberships", {"json": {"name": "m", "price": big, "currency": "GBP"}}),
        ("POST", "/funds", {"json": {"name": "f", "currency": "GBPX"}}),
        ("POST", "/charts", {"params": {"key": "k" * 200}, "json": {}}),
        ("POST", "/charts", {"json": {"subChart": 5}}),
        ("POST", "/performances", {"json": {"productionId": "p", "chartKey": "c", "start": "x", "currency": "GBP"}}),
        ("POST", "/customers", {"json": {"email": "a@b.c" + long}}),
        ("GET", "/customers", {"params": {"email": "a\u0000"}}),
        ("GET", "/performances/" + "k" * 1000, {}),
        ("GET", "/orders", {"params": {"barcode": long, "limit": 500}}),
        ("POST", "/orders/x/return", {"json": {"ticketIds": "not-a-list"}}),
        ("POST", "/orders/x/cancel", {"json": {"reason": long}}),
    ]
    for method, path, kwargs in cases:
        response = admin.client.request(method, path, **kwargs)
        assert response.status_code < 500, (method, path, response.status_code, response.text)
        if response.status_code >= 400:
            error_of(response, response.status_code)
