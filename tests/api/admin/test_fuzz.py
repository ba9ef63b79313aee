"""Hostile input against the admin API: never a 5xx, never an answer its own OpenAPI document denies.

Two halves, both on SQLite and on PostgreSQL (as tests/api/seatsio/test_fuzz.py does for seats.io):

* `test_schema_driven_fuzz` lets schemathesis generate requests for every operation of
  /admin/v1/openapi.json (valid and invalid ones, a few each, derandomized so CI is deterministic) against
  a live server with a priced shop and a sold order, and checks each answer: no server error, a documented
  status, a body that fits the documented schema. The deep run (thousands of cases per database against
  `boxoffice serve`) is in the report of the change that added this file; this is its quick, always-on form.
* One regression test per bug that fuzzing found, with the input that triggered it. Bad input gets the
  admin error shape, a 4xx, and changes nothing.
"""

from __future__ import annotations

import json

import httpx
import pytest
import requests

from boxoffice.services import marketplaces
from tests.api.admin.conftest import Admin, error_of, sell
from tests.api.fuzzing import fuzz_document
from tests.factories import ShopFixture, commission, make_agent, make_marketplace, make_partner
from tests.services.agent_orders import sell_as_agent


@pytest.fixture
def known(admin: Admin, shop: ShopFixture) -> dict[str, str]:
    """Path parameters that exist, so generated requests also get past the look-ups."""
    order = sell(admin.db, shop, ["A-1"])
    agent = make_agent(admin.db, admin.workspace, commission=commission("percentage", basis_points=1000)).agent
    sell_as_agent(admin.db, shop, agent.id, [("B-1", shop.adult)], end_customer={"reference": "fuzz"})
    marketplace = make_marketplace(admin.db, shop, kind="instantNotification").marketplace
    sale = marketplaces.notify_sale(admin.db, admin.workspace, marketplace, "F-1", shop.event_key, ["A-1"], {})
    partner = make_partner(admin.db, shop).partner
    chart_key = admin.client.get("/charts").json()[0]["key"]
    return {
        "chartKey": chart_key,
        "productionId": shop.production_id,
        "eventKey": shop.event_key,
        "stockItemId": shop.stock_item_id,
        "customerId": order.customer_id or "",
        "orderId": order.id,
        "agentId": agent.id,
        "marketplaceId": marketplace.id,
        "saleId": sale.id,
        "partnerId": partner.id,
    }


# -- the schema-driven half -----------------------------------------------------------------------------
def test_schema_driven_fuzz(admin: Admin, known: dict[str, str]) -> None:
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {admin.secret_key}"
    operations, failures = fuzz_document(f"{admin.base_url}/openapi.json", admin.base_url, session, known=known)
    assert operations >= 35  # the whole document was read
    assert not failures, "\n\n".join(failures)


def test_openapi_document_declares_every_error(admin: Admin) -> None:
    document = httpx.get(f"{admin.base_url}/openapi.json").json()
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            for status in ("400", "401", "404", "422", "4XX", "503"):  # 503 and other 4xx were undocumented
                schema = operation["responses"][status]["content"]["application/json"]["schema"]
                assert schema == {"$ref": "#/components/schemas/ErrorBody"}, (method, path, status)


# -- regression tests: one case (at least) per bug fuzzing found, with the input that triggered it -----
def test_unstorable_values_in_bodies_are_422s_and_change_nothing(admin: Admin, shop: ShopFixture) -> None:
    api = admin.client
    deep = {"a": json.loads("[" * 300 + "]" * 300)}
    for url, body in [
        # was stored, and then every GET /productions was a 500 (orjson renders 64-bit integers at most)
        ("/productions", {"name": "x", "attributes": {"n": 2**64}}),
        ("/productions", {"name": "x", "attributes": {"n": [-(2**63) - 1]}}),
        ("/productions", {"name": "x", "attributes": deep}),  # stored; then reads were 500s (orjson: 255 levels)
        ("/productions", {"name": "a\u0000b"}),  # stored on SQLite, a 400 on PostgreSQL: now a 422 on both
        ("/productions", {"name": "x", "attributes": {"k\u0000": 1}}),  # in a key
        ("/customers", {"firstName": "Ann", "address": {"city": "Le\u0000eds"}}),
        ("/ticket-types", {"name": "\u0000"}),
    ]:
        error = error_of(api.post(url, json=body), 422)
        assert error["code"] == "VALIDATION_ERROR"
    patched = api.patch(f"/productions/{shop.production_id}", json={"attributes": {"n": 10**30}})
    assert error_of(patched, 422)["code"] == "VALIDATION_ERROR"
    productions = api.get("/productions")
    assert productions.status_code == 200, productions.text
    assert [p["name"] for p in productions.json()] == ["Hamlet"]
    assert productions.json()[0]["attributes"] == {}
    assert api.get("/customers").json() == []
    fine = {"name": "y", "attributes": {"n": 2**63 - 1, "a": json.loads("[" * 62 + "]" * 62)}}
    assert api.post("/productions", json=fine).status_code == 201
    assert api.get("/productions").status_code == 200


def test_nul_in_paths_and_queries_is_a_422(admin: Admin, shop: ShopFixture) -> None:
    for url in [
        "/productions/a%00b",  # were 500s on PostgreSQL: text fields cannot contain NUL (0x00) bytes
        "/performances/%00",
        "/customers/%00/orders",
        "/orders/%00",
        "/customers?email=a%00b",
        "/orders?reference=%00",
        f"/performances?productionId={shop.production_id}%00",
    ]:
        assert error_of(admin.client.get(url), 422)["code"] == "VALIDATION_ERROR"
    assert error_of(admin.client.post("/orders/%00/cancel", json={}), 422)["code"] == "VALIDATION_ERROR"


def test_an_empty_performance_patch_changes_nothing(admin: Admin, shop: ShopFixture) -> None:
    before = admin.client.get(f"/performances/{shop.event_key}").json()
    patched = admin.client.patch(f"/performances/{shop.event_key}", json={})  # was a 503 (or 500): UPDATE SET WHERE
    assert patched.status_code == 200, patched.text
    assert patched.json() == before


def test_newline_paths_and_bad_idempotency_keys_answer_in_the_error_shape(admin: Admin) -> None:
    for url in ["/productions/a%0Ab", "/orders/%0A", "/nope%0Anope"]:  # were the parent's {"detail": "Not Found"}
        assert str(error_of(admin.client.get(url), 404)["code"]).endswith("NOT_FOUND")
    for key in ["k" * 201]:  # a detail had no "message", which the document requires
        response = admin.client.post("/productions", json={"name": "x"}, headers={"Idempotency-Key": key})
        error = error_of(response, 422)
        assert all(isinstance(detail["message"], str) for detail in error["details"])  # type: ignore[attr-defined]
    assert [p["name"] for p in admin.client.get("/productions").json()] == []
