"""The marketplace API over real HTTP: signed requests, Order Integration and Instant Notification, and the
venue's side in the admin API."""

from __future__ import annotations

import time

from boxoffice.services import baskets
from boxoffice.services.baskets import TicketRequest
from tests.api.marketplace.conftest import Market, error


def test_order_integration_over_http(market: Market) -> None:
    made = market.admin.post(
        "/marketplaces",
        json={"name": "Ticket Evolution", "kind": "orderIntegration", "ticketTypeId": market.shop.adult},
    )
    assert made.status_code == 201, made.text
    tevo = made.json()
    mp, key = tevo["id"], tevo.pop("key")
    assert tevo == {
        "id": mp,
        "name": "Ticket Evolution",
        "kind": "orderIntegration",
        "ticketTypeId": market.shop.adult,
        "holdMinutes": 15,
        "autoRejectMinutes": 60,
        "active": True,
    }
    assert market.admin.get("/marketplaces").json() == [tevo]
    event = market.shop.event_key

    seats = market.signed(mp, key, "POST", "/availability", {"eventKey": event, "seats": ["A-1", "A-2"]})
    assert seats.status_code == 200, seats.text
    assert [(s["label"], s["available"], s["price"], s["currency"]) for s in seats.json()] == [
        ("A-1", True, 3000, "GBP"),
        ("A-2", True, 3000, "GBP"),
    ]
    placed = market.signed(mp, key, "POST", "/holds", {"reference": "TE-1", "eventKey": event, "seats": ["A-1", "A-2"]})
    assert placed.status_code == 201, placed.text
    hold = placed.json()
    assert hold["status"] == "held" and hold["seats"] == ["A-1", "A-2"] and hold["orderId"] is None
    again = market.signed(mp, key, "POST", "/holds", {"reference": "TE-1", "eventKey": event, "seats": ["A-1", "A-2"]})
    assert again.json() == hold
    assert market.signed(mp, key, "GET", f"/holds/{hold['id']}").json() == hold
    taken = market.signed(mp, key, "POST", "/holds", {"reference": "TE-2", "eventKey": event, "seats": ["A-2"]})
    assert error(taken, 409) == "CONFLICT" and taken.json()["error"]["details"][0]["index"] == 0
    reused = market.signed(mp, key, "POST", "/holds", {"reference": "TE-1", "eventKey": event, "seats": ["A-3"]})
    assert error(reused, 422) == "REFERENCE_REUSED"

    invoiced = market.signed(mp, key, "POST", f"/holds/{hold['id']}/invoice", {"buyer": {"lastName": "Lee"}})
    assert invoiced.status_code == 200, invoiced.text
    body = invoiced.json()
    assert body["hold"]["status"] == "invoiced" and body["order"]["buyer"] == {"lastName": "Lee"}
    assert [t["label"] for t in body["order"]["tickets"]] == ["A-1", "A-2"] and body["order"]["total"] == 6200
    assert market.signed(mp, key, "POST", f"/holds/{hold['id']}/invoice").json() == body  # once
    assert error(market.signed(mp, key, "POST", f"/holds/{hold['id']}/release"), 409) == "INVALID_STATE"
    order = market.admin.get(f"/orders/{body['order']['id']}").json()
    assert order["customerId"] == mp and order["channel"] == "marketplace"

    other = market.signed(mp, key, "POST", "/holds", {"reference": "TE-3", "eventKey": event, "seats": ["A-3"]}).json()
    released = market.signed(mp, key, "POST", f"/holds/{other['id']}/release")
    assert released.json()["status"] == "released"
    assert market.signed(mp, key, "POST", "/availability", {"eventKey": event, "seats": ["A-3"]}).json()[0]["available"]
    assert error(market.signed(mp, key, "GET", "/holds/nope"), 404) == "HOLD_NOT_FOUND"


def test_instant_notification_over_http_and_the_venues_to_do_list(market: Market) -> None:
    made = market.admin.post(
        "/marketplaces",
        json={
            "name": "StubHub",
            "kind": "instantNotification",
            "ticketTypeId": market.shop.adult,
            "autoRejectMinutes": 30,
        },
    ).json()
    mp, key, event = made["id"], made["key"], market.shop.event_key
    sold = market.signed(mp, key, "POST", "/sales", {"reference": "SH-1", "eventKey": event, "seats": ["B-1"]})
    assert sold.status_code == 200, sold.text
    assert sold.json()["status"] == "confirmed" and sold.json()["orderId"]

    db, ws = market.server.db, market.shop.workspace
    web = baskets.open_basket(db, ws)
    baskets.add_tickets(db, ws, web.id, [TicketRequest(event, "B-2", market.shop.adult)])
    waiting = market.signed(
        mp,
        key,
        "POST",
        "/sales",
        {"reference": "SH-2", "eventKey": event, "seats": ["B-2"], "buyer": {"firstName": "Jo"}},
    ).json()
    assert waiting["status"] == "pending" and "B-2" in waiting["reason"]
    assert [s["id"] for s in market.admin.get("/marketplace-sales", params={"status": "pending"}).json()] == [
        waiting["id"]
    ]
    still = market.admin.post(f"/marketplace-sales/{waiting['id']}/invoice").json()
    assert still["status"] == "pending"
    rejected = market.admin.post(
        f"/marketplace-sales/{waiting['id']}/reject", json={"reason": "held at the box office"}
    )
    assert rejected.json()["status"] == "rejected"
    assert market.signed(mp, key, "GET", f"/sales/{waiting['id']}").json()["status"] == "rejected"
    assert error(market.admin.post(f"/marketplace-sales/{waiting['id']}/reject"), 409) == "INVALID_STATE"
    assert error(market.admin.post("/marketplace-sales/nope/reject"), 404) == "SALE_NOT_FOUND"
    assert error(market.admin.get("/marketplace-sales", params={"status": "lost"}), 422) == "VALIDATION_ERROR"
    # an Instant Notification marketplace does not hold
    held = market.signed(mp, key, "POST", "/holds", {"reference": "X", "eventKey": event, "seats": ["B-3"]})
    assert error(held, 400) == "INVALID_INPUT"


def test_unsigned_or_badly_signed_or_bad_requests_are_refused_in_the_one_error_shape(market: Market) -> None:
    made = market.admin.post(
        "/marketplaces", json={"name": "Gametime", "kind": "orderIntegration", "ticketTypeId": market.shop.adult}
    ).json()
    mp, key, event = made["id"], made["key"], market.shop.event_key
    body = {"eventKey": event, "seats": ["A-1"]}
    assert error(market.client.post("/availability", json=body), 401) == "UNAUTHORIZED"
    assert error(market.signed(mp, "d3JvbmcK", "POST", "/availability", body), 401) == "UNAUTHORIZED"
    stale = str(int(time.time()) - 3600)
    assert error(market.signed(mp, key, "POST", "/availability", body, timestamp=stale), 401) == "UNAUTHORIZED"
    assert error(market.signed("nobody", key, "POST", "/availability", body), 401) == "UNAUTHORIZED"
    market.admin.patch(f"/marketplaces/{mp}", json={"active": False})
    assert error(market.signed(mp, key, "POST", "/availability", body), 401) == "UNAUTHORIZED"
    market.admin.patch(f"/marketplaces/{mp}", json={"active": True})

    for bad in (
        {"eventKey": event, "seats": []},
        {"eventKey": event, "seats": "A-1"},
        {"eventKey": event, "seats": [f"S{i}" for i in range(101)]},
        {"reference": "x" * 101, "eventKey": event, "seats": ["A-1"]},
        {"reference": 5, "eventKey": event, "seats": ["A-1"]},
        {"reference": "R", "eventKey": event, "seats": ["A-1"], "extra": 1},
    ):
        assert error(market.signed(mp, key, "POST", "/holds", bad), 422) == "VALIDATION_ERROR"
    nul = market.signed(mp, key, "POST", "/holds", {"reference": "R\u0000", "eventKey": event, "seats": ["A-1"]})
    assert nul.status_code in (400, 422)
    unknown = market.signed(mp, key, "POST", "/holds", {"reference": "R", "eventKey": "nope", "seats": ["A-1"]})
    assert error(unknown, 404) == "EVENT_NOT_FOUND"
    assert market.client.get("/openapi.json").json()["info"]["title"].startswith("boxoffice marketplace API")
    bad_admin = market.admin.post(
        "/marketplaces", json={"name": "x", "kind": "other", "ticketTypeId": market.shop.adult}
    )
    assert error(bad_admin, 422) == "VALIDATION_ERROR"
    no_type = market.admin.post("/marketplaces", json={"name": "x", "kind": "orderIntegration", "ticketTypeId": "nope"})
    assert error(no_type, 404) == "ITEM_NOT_FOUND"


def test_an_idempotency_key_replays_the_first_answer_to_the_same_marketplace(market: Market) -> None:
    setup = {"name": "TickPick", "kind": "orderIntegration", "ticketTypeId": market.shop.adult}
    made = market.admin.post("/marketplaces", json=setup).json()
    mp, key, event = made["id"], made["key"], market.shop.event_key
    hold = market.signed(mp, key, "POST", "/holds", {"reference": "K-1", "eventKey": event, "seats": ["C-1"]}).json()
    path = f"/holds/{hold['id']}/invoice"
    first = market.signed(mp, key, "POST", path, {"buyer": {"lastName": "Ng"}}, **{"Idempotency-Key": "inv-1"})
    assert first.status_code == 200, first.text
    replay = market.signed(mp, key, "POST", path, {"buyer": {"lastName": "Ng"}}, **{"Idempotency-Key": "inv-1"})
    assert replay.json() == first.json() and replay.headers["Idempotent-Replayed"] == "true"
    other = market.signed(mp, key, "POST", path, {"buyer": {"lastName": "Xu"}}, **{"Idempotency-Key": "inv-1"})
    assert error(other, 422) == "IDEMPOTENCY_KEY_REUSED"
    unsigned = market.client.post(path, json={}, headers={"Idempotency-Key": "inv-2"})
    assert error(unsigned, 401) == "UNAUTHORIZED"
