"""Basket expiry (no job runs), express checkout (barcodes, idempotency, once only), and the seats.io view."""

from __future__ import annotations

import time
from datetime import timedelta

import httpx
import seatsio

from boxoffice.domain.statuses import BOOKED, FREE, HELD
from boxoffice.services.audit import audit
from boxoffice.services.reports import object_infos
from tests.api.spektrix.conftest import Spektrix, error_of

CARD = {"method": "testCard", "cardNumber": "4242 4242 4242 4242"}
ANN = {"firstName": "Ann", "lastName": "Smith", "email": "ann@example.org", "address": {"city": "Leeds"}}


def _fill(spx: Spektrix, c: httpx.Client) -> None:
    shop = spx.shop
    added = c.post(
        "/basket/tickets",
        json=[
            {
                "instance": shop.event_key,
                "seat": "A-1",
                "ticketType": shop.adult,
                "attribute_Dietary requirements": "none",
            },
            {"instance": shop.event_key, "planId": "GA", "ticketType": shop.child},
        ],
    )
    assert added.status_code == 200, added.text
    c.post("/basket/donations", json={"fund": shop.fund_id, "amount": 10})
    c.post("/basket/merchandise", json={"stockItem": shop.stock_item_id, "quantity": 2})
    c.post("/basket/membership-subscriptions", json={"membership": shop.membership_id})
    c.post("/basket/ticket-subscriptions", json={"ticketSubscriptionStructure": shop.subscription_id})
    c.patch("/basket", json={"attribute_Access needs": "step-free"})


def test_an_idle_basket_expires_and_its_seats_return_without_any_job(spx: Spektrix) -> None:
    shop = spx.shop
    spx.set_ttl(timedelta(seconds=1))
    with spx.client() as c:
        first = c.post(
            "/basket/tickets", json={"instance": shop.event_key, "seat": "A-5", "ticketType": shop.adult}
        ).json()
        assert object_infos(spx.db, shop.workspace, shop.event_key, ["A-5"])[0].status == HELD
        time.sleep(1.2)
        assert object_infos(spx.db, shop.workspace, shop.event_key, ["A-5"])[0].status == FREE
        with spx.client() as rival:
            taken = rival.post(
                "/basket/tickets", json={"instance": shop.event_key, "seat": "A-5", "ticketType": shop.adult}
            )
            assert taken.status_code == 200
        revived = c.get("/basket").json()
        assert revived["id"] == first["id"] and revived["tickets"] == []
    assert audit(spx.db).clean


def test_activity_keeps_the_basket_alive(spx: Spektrix) -> None:
    shop = spx.shop
    spx.set_ttl(timedelta(seconds=1))
    with spx.client() as c:
        c.post("/basket/tickets", json={"instance": shop.event_key, "seat": "A-6", "ticketType": shop.adult})
        for _ in range(3):
            time.sleep(0.5)
            assert len(c.get("/basket").json()["tickets"]) == 1


def test_checkout_turns_holds_into_bookings_and_returns_the_order_with_barcodes(spx: Spektrix) -> None:
    shop = spx.shop
    with spx.client() as c:
        _fill(spx, c)
        basket = c.get("/basket").json()
        response = c.post(
            "/basket/checkout", json={"customer": ANN, "payment": CARD}, headers={"Idempotency-Key": "o-1"}
        )
        assert response.status_code == 200, response.text
        order = response.json()
        assert order["total"] == basket["total"] == 31.0 + 16.0 + 10.0 + 10.0 + 60.0 + 120.0
        assert order["currency"] == "GBP" and order["status"] == "confirmed" and order["reference"]
        assert order["payment"]["method"] == "testCard" and order["paymentStatus"] == "paid"
        assert order["customer"]["email"] == "ann@example.org" and order["customer"]["firstName"] == "Ann"
        assert [t["seat"]["id"] if t["seat"] else t["area"]["name"] for t in order["tickets"]] == ["A-1", "GA"]
        assert all(len(t["barcode"]) == 16 and t["barcode"].isdigit() for t in order["tickets"])
        assert order["tickets"][0]["attribute_Dietaryrequirements"] == "none"
        assert order["attribute_Accessneeds"] == "step-free"
        assert len(order["memberships"]) == 1 and order["merchandiseItems"][0]["quantity"] == 2
        same = c.post("/basket/checkout", json={"customer": ANN, "payment": CARD}, headers={"Idempotency-Key": "o-1"})
        assert same.status_code == 200 and same.json()["id"] == order["id"]
        again = c.post("/basket/checkout", json={"customer": ANN, "payment": CARD})
        assert again.status_code == 400 and error_of(again)["code"] == "BASKET_ALREADY_CHECKED_OUT"
        fresh = c.get("/basket").json()
        assert fresh["id"] != basket["id"] and fresh["tickets"] == []
    infos = {i.label: i for i in object_infos(spx.db, shop.workspace, shop.event_key, ["A-1", "GA"])}
    assert infos["A-1"].status == BOOKED and infos["A-1"].order_id == order["id"]
    assert infos["GA"].num_booked == 1 and infos["GA"].num_held == 0
    assert audit(spx.db).clean


def test_pay_later_a_declined_card_and_an_empty_basket(spx: Spektrix) -> None:
    shop = spx.shop
    with spx.client() as c:
        empty = c.post("/basket/checkout", json={"customer": ANN, "payment": {"method": "payLater"}})
        assert empty.status_code == 400 and error_of(empty)["code"] == "BASKET_EMPTY"
        c.post("/basket/tickets", json={"instance": shop.event_key, "seat": "B-4", "ticketType": shop.adult})
        declined = c.post(
            "/basket/checkout",
            json={"customer": ANN, "payment": {"method": "testCard", "cardNumber": "4000000000000002"}},
        )
        assert declined.status_code == 402 and error_of(declined)["code"] == "PAYMENT_DECLINED"
        assert len(c.get("/basket").json()["tickets"]) == 1
        assert object_infos(spx.db, shop.workspace, shop.event_key, ["B-4"])[0].status == HELD
        unknown = c.post("/basket/checkout", json={"customer": ANN, "payment": {"method": "cash"}})
        assert unknown.status_code == 400 and error_of(unknown)["code"] == "VALIDATION_ERROR"
        by_id = c.post("/basket/checkout", json={"customerId": "x", "payment": {"method": "payLater"}})
        assert by_id.status_code == 401
        later = c.post("/basket/checkout", json={"customer": ANN, "payment": {"method": "payLater"}})
        assert later.status_code == 200 and later.json()["payment"]["status"] == "pending"
        assert later.json()["payment"]["method"] == "payLater"


def test_the_seats_io_view_sees_basket_holds_and_checkout_bookings(spx: Spektrix) -> None:
    shop = spx.shop
    with spx.client() as c:
        c.post(
            "/basket/tickets",
            json=[
                {"instance": shop.event_key, "seat": "C-3", "ticketType": shop.adult},
                {"instance": shop.event_key, "seat": "C-4", "ticketType": shop.adult},
            ],
        )
        held = object_infos(spx.db, shop.workspace, shop.event_key, ["C-3"])[0]
        assert held.status == HELD and held.hold_token
        seen = _seatsio_status(spx, "C-3")
        assert seen == ("reservedByToken", held.hold_token)
        c.delete("/basket/tickets", params={"ticketIds": c.get("/basket").json()["tickets"][1]["id"]})
        order = c.post("/basket/checkout", json={"customer": ANN, "payment": {"method": "payLater"}}).json()
    assert _seatsio_status(spx, "C-3")[0] == "booked"
    assert _seatsio_status(spx, "C-4")[0] == "free"
    assert object_infos(spx.db, shop.workspace, shop.event_key, ["C-3"])[0].order_id == order["id"]


def _seatsio_status(spx: Spektrix, label: str) -> tuple[str, str | None]:
    """Through the official seats.io SDK against our /seating dialect."""
    secret = _workspace_secret(spx)
    client = seatsio.Client(seatsio.Region(f"{spx.url}/seating"), secret)
    info = client.events.retrieve_object_info(spx.shop.event_key, label)
    return info.status, info.hold_token


def _workspace_secret(spx: Spektrix) -> str:
    """A fresh seats.io secret key for the shop's workspace (make_shop does not hand its key out)."""
    from boxoffice.services.workspace_admin import add_secret_key

    return add_secret_key(spx.db, spx.shop.workspace.company_id, spx.shop.workspace.key)
