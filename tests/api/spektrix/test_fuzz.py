"""Hostile input against the Spektrix basket dialect: never a 5xx, never an answer its OpenAPI document denies.

Two halves, both on SQLite and on PostgreSQL (as tests/api/seatsio/test_fuzz.py does for seats.io):

* `test_schema_driven_fuzz` lets schemathesis generate requests for every operation of
  /{workspaceKey}/api/v3/openapi.json in anonymous (web) mode, one basket cookie throughout (valid and
  invalid requests, a few each, derandomized so CI is deterministic) against a live server with a priced
  shop, and checks each answer: no server error, a documented status, a body that fits the documented
  schema. The deep run (thousands of cases per database against `boxoffice serve`) is in the report of the
  change that added this file; this is its quick, always-on form.
* One regression test per bug that fuzzing (or probing by hand, signed calls included) found, with the
  input that triggered it. Bad input gets the dialect's error shape, a 4xx, and leaves the basket as it was.
"""

from __future__ import annotations

import json

import httpx
import requests

from boxoffice.services import customers
from tests.api.fuzzing import fuzz_document
from tests.api.spektrix.conftest import Spektrix, error_of, signed

DEEP = json.loads("[" * 300 + "]" * 300)


# -- the schema-driven half -----------------------------------------------------------------------------
def test_schema_driven_fuzz(spx: Spektrix) -> None:
    session = requests.Session()  # keeps the basket cookie, as a browser would
    added = session.post(
        f"{spx.base}/basket/tickets",
        json=[{"instance": spx.shop.event_key, "seat": "B-1", "ticketType": spx.shop.adult}],
        timeout=30,
    )
    assert added.status_code == 200, added.text
    known = {
        "event_id": spx.shop.production_id,
        "instance_id": spx.shop.event_key,
        "ticket_id": added.json()["tickets"][0]["id"],
    }
    operations, failures = fuzz_document(f"{spx.base}/openapi.json", spx.base, session, known=known)
    assert operations >= 30  # the whole document was read
    assert not failures, "\n\n".join(failures)


def assert_error(response: httpx.Response, status: int, code: str) -> None:
    assert response.status_code == status, response.text
    assert error_of(response)["code"] == code, response.text


# -- regression tests: one case (at least) per bug found, with the input that triggered it -------------
def test_newline_paths_answer_in_the_dialects_shape(spx: Spektrix) -> None:
    with spx.client() as c:
        # were the parent app's {"detail": "Not Found"}: the mount's path pattern stopped at a newline
        assert_error(c.get("/instances/a%0Ab/status"), 404, "EVENT_NOT_FOUND")
        assert error_of(c.get("/events/t%0A"))["code"].endswith("NOT_FOUND")
        assert_error(c.get("/instances/a%0A/plan"), 404, "EVENT_NOT_FOUND")
        assert_error(c.get("/nope%0Anope"), 404, "NOT_FOUND")


def test_nul_characters_are_400s_and_change_nothing(spx: Spektrix) -> None:
    shop = spx.shop
    ticket = {"instance": shop.event_key, "seat": "A-1", "ticketType": shop.adult}
    with spx.client() as c:
        for url in [
            "/instances/%00/status",  # were 500s on PostgreSQL: text fields cannot contain NUL (0x00) bytes
            "/events/a%00b",
            "/events?instanceStart_from=%00",
            "/basket/tickets/%00",
        ]:
            method = "PATCH" if url.startswith("/basket") else "GET"
            assert_error(c.request(method, url, json={} if method == "PATCH" else None), 400, "INVALID_CHARACTER")
        assert_error(c.delete("/basket/tickets", params={"ticketIds": "\x00"}), 400, "INVALID_CHARACTER")
        assert_error(httpx.get(f"{spx.url}/a%00b/api/v3/events"), 400, "INVALID_CHARACTER")
        for url, body in [
            # stored on SQLite (and on PostgreSQL a 500): now refused on both
            ("/basket/tickets", [{**ticket, "attribute_Dietary requirements": "veg\u0000an"}]),
            ("/basket/tickets", [{**ticket, "attributes": {"Dietary\u0000": "x"}}]),  # in a key
            ("/basket/merchandise", [{"stockItem": shop.stock_item_id, "reference": "r\u0000"}]),
            ("/basket/checkout", {"customer": {"firstName": "A\u0000"}, "payment": {"method": "payLater"}}),
        ]:
            assert_error(c.post(url, json=body), 400, "INVALID_CHARACTER")  # json.dumps writes NUL as \u0000
        assert_error(c.patch("/basket", json={"attribute_Access needs": "\u0000"}), 400, "INVALID_CHARACTER")
        basket = c.get("/basket").json()
    assert basket["tickets"] == [] and basket["merchandiseItems"] == []


def test_unstorable_values_are_400s_and_change_nothing(spx: Spektrix) -> None:
    shop = spx.shop
    ticket = {"instance": shop.event_key, "seat": "A-1", "ticketType": shop.adult}
    with spx.client() as c:
        # 300 deep was stored, and then every read of the basket was a 500 (orjson renders 255 levels at most)
        assert_error(
            c.post("/basket/tickets", json=[{**ticket, "attribute_Dietary requirements": DEEP}]),
            400,
            "NESTING_TOO_DEEP",
        )
        added = c.post("/basket/tickets", json=[ticket])
        assert added.status_code == 200, added.text
        ticket_id = added.json()["tickets"][0]["id"]
        assert_error(c.patch(f"/basket/tickets/{ticket_id}", json={"attributes": {"x": DEEP}}), 400, "NESTING_TOO_DEEP")
        assert_error(c.patch("/basket", json={"attribute_Access needs": DEEP}), 400, "NESTING_TOO_DEEP")
        # a donation's minor units overflowed the amount column (a 500 on both databases)
        for amount in [1e30, "1e999999999", 10**12 + 1]:
            donation = c.post("/basket/donations", json=[{"fund": shop.fund_id, "amount": amount}])
            assert_error(donation, 400, "VALIDATION_ERROR")
        deep_address = {"customer": {"address": {"a": DEEP}}, "payment": {"method": "payLater"}}
        assert_error(c.post("/basket/checkout", json=deep_address), 400, "NESTING_TOO_DEEP")
        for customer in [
            {"firstName": "A" * 201},  # was a 500 on PostgreSQL: value too long for VARCHAR(200)
            {"lastName": "B" * 201},
            {"email": "e" * 321},
            {"address": {"n": 2**70}},  # was stored, and then every rendering of the customer failed
        ]:
            checkout = c.post("/basket/checkout", json={"customer": customer, "payment": {"method": "payLater"}})
            assert_error(checkout, 400, "VALIDATION_ERROR")
        basket = c.get("/basket").json()
        assert [t["id"] for t in basket["tickets"]] == [ticket_id] and basket["donations"] == []
        assert basket["tickets"][0].get("attributes", {}) == {}
    assert customers.list_customers(spx.db, shop.workspace) == []


def test_hostile_signed_calls_are_4xx_in_the_dialects_shape(spx: Spektrix) -> None:
    key = spx.api_user()
    with spx.client() as c:
        c.get("/basket")  # the cookie
        url = f"{spx.base}/basket/customer"
        for customer_id in ["\u0000", "x" * 10_000, {"id": "\u0000"}]:
            body = json.dumps({"id": customer_id}).encode()
            response = c.put("/basket/customer", content=body, headers=signed("PUT", url, "backoffice", key, body))
            assert response.status_code in (400, 404), response.text
            error_of(response)
        for headers in [
            {"Authorization": "SpektrixAPI3 backoffice:sig", "Date": "Thu, 01 Jan 10000 00:00:00 GMT"},
            {"Authorization": "SpektrixAPI3 backoffice:sig", "Date": "Mon, 23 Nov 2026 20:00:00 +9999"},
            {"Authorization": "SpektrixAPI3 " + "u" * 10_000 + ":sig", "Date": "now"},
            {"Authorization": "SpektrixAPI3 :"},
        ]:
            response = c.get(f"/instances/{spx.shop.event_key}/status/detail", headers=headers)
            assert response.status_code == 401, response.text
            assert error_of(response)["code"] == "UNAUTHORIZED"
        signed_url = f"{spx.base}/instances/{spx.shop.event_key}/status/detail"
        detail = c.get(signed_url, headers=signed("GET", signed_url, "backoffice", key))
        assert detail.status_code == 200, detail.text
