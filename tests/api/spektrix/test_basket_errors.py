"""The things to consider: an error names the failing item and why, and leaves the basket as it was."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import httpx

from boxoffice.domain.statuses import FREE
from boxoffice.services import catalogue
from boxoffice.services.clock import utcnow
from boxoffice.services.inventory import ObjectRequest, book
from boxoffice.services.reports import object_infos
from tests.api.spektrix.conftest import Spektrix, error_of, signed
from tests.factories import make_shop

CARD = {"method": "testCard", "cardNumber": "4242 4242 4242 4242"}
ANN = {"firstName": "Ann", "lastName": "Smith", "email": "ann@example.org"}


def _seeded(spx: Spektrix, c: httpx.Client) -> dict[str, Any]:
    shop = spx.shop
    c.post("/basket/tickets", json={"instance": shop.event_key, "seat": "C-5", "ticketType": shop.adult})
    return dict(c.get("/basket").json())


def _unchanged(c: httpx.Client, before: dict[str, Any]) -> None:
    after = c.get("/basket").json()
    assert {k: v for k, v in after.items() if k != "expiresUtc"} == {
        k: v for k, v in before.items() if k != "expiresUtc"
    }


def test_one_instance_sold_out_while_the_others_are_not(spx: Spektrix) -> None:
    shop = spx.shop
    full = make_shop(spx.db, shop.workspace, ga_capacity=2)
    book_ga(spx, full.event_key, 2)
    with spx.client() as c:
        before = _seeded(spx, c)
        response = c.post(
            "/basket/tickets",
            json=[
                {"instance": shop.event_key, "planId": "GA", "ticketType": shop.adult},
                {"instance": full.event_key, "planId": "GA", "ticketType": full.adult},
            ],
        )
        assert response.status_code == 400
        error = error_of(response)
        assert error["index"] == 1 and "GA" in error["message"]
        assert response.json()["message"].startswith("Item 2:")
        _unchanged(c, before)
    assert object_infos(spx.db, shop.workspace, shop.event_key, ["GA"])[0].num_held == 0


def book_ga(spx: Spektrix, event_key: str, places: int) -> None:
    book(spx.db, spx.shop.workspace, [event_key], [ObjectRequest("GA", quantity=places)])


def test_one_instance_not_on_sale_online_while_the_others_are(spx: Spektrix) -> None:
    shop = spx.shop
    later = make_shop(spx.db, shop.workspace)
    catalogue.update_performance(spx.db, shop.workspace, later.event_key, web_sale_from=utcnow() + timedelta(days=1))
    with spx.client() as c:
        before = _seeded(spx, c)
        listed = {i["id"]: i for i in c.get(f"/events/{later.production_id}/instances").json()}
        assert listed[later.event_key]["isOnSale"] is False
        response = c.post(
            "/basket/tickets",
            json=[
                {"instance": shop.event_key, "seat": "A-9", "ticketType": shop.adult},
                {"instance": later.event_key, "seat": "A-9", "ticketType": later.adult},
            ],
        )
        error = error_of(response)
        assert response.status_code == 400 and error == {
            "code": "NOT_ON_SALE",
            "message": error["message"],
            "index": 1,
        }
        assert "not on sale online" in error["message"]
        _unchanged(c, before)
    assert object_infos(spx.db, shop.workspace, shop.event_key, ["A-9"])[0].status == FREE


def test_a_seat_taken_a_moment_ago(spx: Spektrix) -> None:
    shop = spx.shop
    with spx.client() as rival:
        assert (
            rival.post(
                "/basket/tickets", json={"instance": shop.event_key, "seat": "B-7", "ticketType": shop.adult}
            ).status_code
            == 200
        )
    with spx.client() as c:
        before = _seeded(spx, c)
        response = c.post(
            "/basket/tickets",
            json=[
                {"instance": shop.event_key, "seat": "B-6", "ticketType": shop.adult},
                {"instance": shop.event_key, "seat": "B-7", "ticketType": shop.adult},
            ],
        )
        error = error_of(response)
        assert response.status_code == 400 and error["index"] == 1 and "B-7 is not available" in error["message"]
        _unchanged(c, before)
    assert object_infos(spx.db, shop.workspace, shop.event_key, ["B-6"])[0].status == FREE


def test_an_unknown_ticket_type_for_that_band(spx: Spektrix) -> None:
    shop = spx.shop
    with spx.client() as c:
        before = _seeded(spx, c)
        response = c.post(
            "/basket/tickets",
            json=[
                {"instance": shop.event_key, "seat": "B-1", "ticketType": shop.child},
                {"instance": shop.event_key, "seat": "A-1", "ticketType": shop.child},
            ],
        )
        error = error_of(response)
        assert response.status_code == 400 and error["code"] == "PRICE_NOT_FOUND" and error["index"] == 1
        assert "band 2" in error["message"]
        nonsense = c.post("/basket/tickets", json=[{"instance": shop.event_key, "seat": "B-1", "ticketType": "nope"}])
        assert error_of(nonsense)["code"] == "PRICE_NOT_FOUND" and error_of(nonsense)["index"] == 0
        no_seat = c.post(
            "/basket/tickets", json=[{"instance": shop.event_key, "seat": "Z-99", "ticketType": shop.adult}]
        )
        assert no_seat.status_code == 404 and error_of(no_seat)["code"] == "OBJECT_NOT_FOUND"
        no_instance = c.post(
            "/basket/tickets",
            json=[
                {"instance": shop.event_key, "seat": "B-1", "ticketType": shop.adult},
                {"instance": "nope", "seat": "B-1", "ticketType": shop.adult},
            ],
        )
        assert no_instance.status_code == 404 and error_of(no_instance)["index"] == 1
        invalid = c.post("/basket/tickets", json=[{"instance": shop.event_key, "seat": "B-1"}, {"seat": 3}])
        assert invalid.status_code == 400
        assert {e["index"] for e in invalid.json()["errors"]} == {0, 1}
        _unchanged(c, before)


def _customer_with_membership(spx: Spektrix) -> str:
    with spx.client() as c:
        c.post("/basket/membership-subscriptions", json={"membership": spx.shop.membership_id})
        order = c.post("/basket/checkout", json={"customer": ANN, "payment": CARD})
        assert order.status_code == 200, order.text
        customer_id: str = order.json()["customer"]["id"]
        return customer_id


def _attach(spx: Spektrix, c: httpx.Client, customer_id: str, key: str) -> httpx.Response:
    url = f"{spx.base}/basket/customer"
    body = json.dumps({"id": customer_id}).encode()
    headers = signed("PUT", url, "backoffice", key, body) | {"Content-Type": "application/json"}
    return c.put(url, content=body, headers=headers)


def test_a_membership_the_customer_already_has(spx: Spektrix) -> None:
    shop = spx.shop
    customer_id = _customer_with_membership(spx)
    key = spx.api_user()
    with spx.client() as c:
        before = _seeded(spx, c)
        assert c.put("/basket/customer", json={"id": customer_id}).status_code == 401  # anonymous may not
        attached = _attach(spx, c, customer_id, key)
        assert attached.status_code == 200 and attached.json()["customer"] == {"id": customer_id}
        before = c.get("/basket").json()
        response = c.post(
            "/basket/donations",
            json=[{"fund": shop.fund_id, "amount": 5}],
        )
        assert response.status_code == 200
        before = c.get("/basket").json()
        again = c.post("/basket/membership-subscriptions", json={"membership": shop.membership_id})
        error = error_of(again)
        assert again.status_code == 400 and error["code"] == "ALREADY_MEMBER" and error["index"] == 0
        assert "until renewal" in error["message"]
        _unchanged(c, before)


def test_not_two_memberships_of_one_type_and_the_others_are_taken_back(spx: Spektrix) -> None:
    shop = spx.shop
    with spx.client() as c:
        before = _seeded(spx, c)
        response = c.post(
            "/basket/membership-subscriptions",
            json=[{"membership": shop.membership_id}, {"membership": shop.membership_id, "autoRenew": True}],
        )
        error = error_of(response)
        assert response.status_code == 400 and error["code"] == "ALREADY_MEMBER" and error["index"] == 1
        _unchanged(c, before)
        long_reference = c.post(
            "/basket/merchandise",
            json=[{"stockItem": shop.stock_item_id}, {"stockItem": shop.stock_item_id, "reference": "x" * 31}],
        )
        assert long_reference.status_code == 400 and error_of(long_reference)["index"] == 1
        assert "30 characters" in error_of(long_reference)["message"]
        too_many = c.post("/basket/merchandise", json=[{"stockItem": shop.stock_item_id, "quantity": 6}])
        assert error_of(too_many)["code"] == "OUT_OF_STOCK"
        unknown_fund = c.post(
            "/basket/donations", json=[{"fund": shop.fund_id, "amount": 5}, {"fund": "nope", "amount": 5}]
        )
        assert unknown_fund.status_code == 404 and error_of(unknown_fund)["index"] == 1
        below_minimum = c.post("/basket/donations", json={"fund": shop.fund_id, "amount": 0.5})
        assert below_minimum.status_code == 400
        _unchanged(c, before)


def test_an_item_the_customer_is_not_eligible_for(spx: Spektrix) -> None:
    shop = spx.shop
    customer_id = _customer_with_membership(spx)
    key = spx.api_user()
    with spx.client() as c:
        c.post("/basket/membership-subscriptions", json={"membership": shop.membership_id})
        before = _seeded(spx, c)
        attached = _attach(spx, c, customer_id, key)
        assert attached.status_code == 400 and error_of(attached)["code"] == "NOT_ELIGIBLE"
        _unchanged(c, before)
        at_checkout = c.post("/basket/checkout", json={"customer": ANN, "payment": CARD})
        assert at_checkout.status_code == 400 and error_of(at_checkout)["code"] == "NOT_ELIGIBLE"
        _unchanged(c, before)
        assert len(c.get("/basket").json()["tickets"]) == 1


def test_a_booked_seat_is_refused(spx: Spektrix) -> None:
    book(spx.db, spx.shop.workspace, [spx.shop.event_key], ["C-9"])
    with spx.client() as c:
        taken = c.post(
            "/basket/tickets", json={"instance": spx.shop.event_key, "seat": "C-9", "ticketType": spx.shop.adult}
        )
    assert error_of(taken)["index"] == 0 and "C-9" in error_of(taken)["message"]
