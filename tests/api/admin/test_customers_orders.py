"""Customers and orders through the admin API: search, cancel and return free the seats at once."""

from __future__ import annotations

from boxoffice.domain.statuses import BOOKED, FREE
from boxoffice.services.audit import audit
from boxoffice.services.reports import object_infos
from tests.api.admin.conftest import Admin, error_of, sell
from tests.factories import ShopFixture


def test_customers_create_get_list_update(admin: Admin) -> None:
    created = admin.client.post(
        "/customers",
        json={"firstName": "Ann", "lastName": "Smith", "email": "ann@example.org", "address": {"city": "Leeds"}},
    )
    assert created.status_code == 201
    ann = created.json()
    assert ann == {
        **ann,
        "firstName": "Ann",
        "lastName": "Smith",
        "email": "ann@example.org",
        "address": {"city": "Leeds"},
    }
    bob = admin.client.post("/customers", json={"firstName": "Bob"}).json()
    assert bob["email"] is None and bob["address"] == {}
    assert admin.client.get(f"/customers/{ann['id']}").json() == ann
    assert [c["id"] for c in admin.client.get("/customers").json()] == [ann["id"], bob["id"]]
    assert [c["id"] for c in admin.client.get("/customers", params={"email": "ann@example.org"}).json()] == [ann["id"]]
    assert admin.client.get("/customers", params={"email": "zed@example.org"}).json() == []

    patched = admin.client.patch(f"/customers/{ann['id']}", json={"lastName": "Jones", "address": {"city": "York"}})
    assert patched.status_code == 200
    assert patched.json() == {**ann, "lastName": "Jones", "address": {"city": "York"}}
    cleared = admin.client.patch(f"/customers/{ann['id']}", json={"email": None}).json()
    assert cleared["email"] is None and cleared["lastName"] == "Jones"

    assert error_of(admin.client.post("/customers", json={"email": "not-an-email"}), 400)["code"] == "INVALID_INPUT"
    assert error_of(admin.client.patch(f"/customers/{ann['id']}", json={"email": "x"}), 400)["code"] == "INVALID_INPUT"
    assert error_of(admin.client.post("/customers", json={"address": {"city": 5}}), 422)["code"] == "VALIDATION_ERROR"
    assert error_of(admin.client.get("/customers/nope"), 404)["code"] == "ITEM_NOT_FOUND"
    assert error_of(admin.client.patch("/customers/nope", json={}), 404)["code"] == "ITEM_NOT_FOUND"
    assert error_of(admin.client.get("/customers/nope/orders"), 404)["code"] == "ITEM_NOT_FOUND"


def test_orders_get_and_search(admin: Admin, shop: ShopFixture) -> None:
    first = sell(admin.db, shop, ["A-1", "B-1"])
    second = sell(admin.db, shop, ["B-2"], email="bob@example.org")
    got = admin.client.get(f"/orders/{first.id}")
    assert got.status_code == 200
    order = got.json()
    assert order["reference"] == first.reference and order["status"] == first.status and order["currency"] == "GBP"
    assert order["total"] == first.total == 3000 + 2500 + 2 * 100 and order["refunded"] == 0
    assert order["createdAt"].endswith("Z") and order["customerId"] == first.customer_id
    assert [(t["label"], t["categoryKey"], t["price"], t["fees"]) for t in order["tickets"]] == [
        ("A-1", "2", 3000, 100),
        ("B-1", "1", 2500, 100),
    ]
    assert order["payments"][0]["status"] == "paid" and order["payments"][0]["amount"] == first.total

    def search(**params: str) -> list[str]:
        response = admin.client.get("/orders", params=params)
        assert response.status_code == 200, response.text
        return [o["id"] for o in response.json()]

    assert search() == [second.id, first.id]  # newest first
    assert search(customerId=str(first.customer_id)) == [first.id]
    assert search(eventKey=shop.event_key) == [second.id, first.id]
    assert search(eventKey="nope") == []
    assert search(reference=second.reference) == [second.id]
    assert search(barcode=first.tickets[1].barcode) == [first.id]
    assert search(channel="web") == [second.id, first.id] and search(channel="box_office") == []
    assert search(customerId=str(first.customer_id), eventKey=shop.event_key, channel="web") == [first.id]
    customer_orders = admin.client.get(f"/customers/{second.customer_id}/orders").json()
    assert [o["id"] for o in customer_orders] == [second.id]
    assert error_of(admin.client.get("/orders/nope"), 404)["code"] == "ORDER_NOT_FOUND"
    assert error_of(admin.client.get("/orders", params={"limit": 0}), 422)["code"] == "VALIDATION_ERROR"


def test_cancelling_an_order_frees_its_seats_and_records_the_refund(admin: Admin, shop: ShopFixture) -> None:
    order = sell(admin.db, shop, ["A-1", "GA"])
    assert {i.label: i.status for i in object_infos(admin.db, shop.workspace, shop.event_key, ["A-1"])} == {
        "A-1": BOOKED
    }
    response = admin.client.post(f"/orders/{order.id}/cancel", json={"reason": "customer called"})
    assert response.status_code == 200, response.text
    cancelled = response.json()
    assert cancelled["status"] == "cancelled" and cancelled["refunded"] == order.total
    assert {t["status"] for t in cancelled["tickets"]} == {"returned"}
    infos = {i.label: i for i in object_infos(admin.db, shop.workspace, shop.event_key, ["A-1", "GA"])}
    assert infos["A-1"].status == FREE and infos["GA"].num_booked == 0
    again = error_of(admin.client.post(f"/orders/{order.id}/cancel"), 409)
    assert again["code"] == "CONFLICT" and "already cancelled" in str(again["message"])
    assert error_of(admin.client.post("/orders/nope/cancel"), 404)["code"] == "ORDER_NOT_FOUND"
    assert error_of(admin.client.post(f"/orders/{order.id}/cancel", json={"refund": "maybe"}), 422)["code"] == (
        "VALIDATION_ERROR"
    )
    no_refund = sell(admin.db, shop, ["C-1"])
    kept = admin.client.post(f"/orders/{no_refund.id}/cancel", json={"refund": False}).json()
    assert kept["status"] == "cancelled" and kept["refunded"] == 0
    assert audit(admin.db).clean


def test_returning_single_tickets_frees_those_seats(admin: Admin, shop: ShopFixture) -> None:
    order = sell(admin.db, shop, ["A-1", "A-2", "A-3"])
    a1, a2, a3 = order.tickets
    response = admin.client.post(f"/orders/{order.id}/return", json={"ticketIds": [a2.id], "reason": "ill"})
    assert response.status_code == 200, response.text
    returned = response.json()
    assert returned["status"] == order.status and returned["refunded"] == a2.price + a2.fees
    assert {t["label"]: t["status"] for t in returned["tickets"]} == {"A-1": "valid", "A-2": "returned", "A-3": "valid"}
    statuses = {i.label: i.status for i in object_infos(admin.db, shop.workspace, shop.event_key, ["A-1", "A-2"])}
    assert statuses == {"A-1": BOOKED, "A-2": FREE}

    def return_error(ticket_ids: list[str], status: int = 400) -> str:
        return str(
            error_of(admin.client.post(f"/orders/{order.id}/return", json={"ticketIds": ticket_ids}), status)["code"]
        )

    assert return_error([a2.id], 409) == "CONFLICT"  # returned already
    assert return_error(["nope"]) == "INVALID_INPUT"
    assert return_error([]) == "INVALID_INPUT"
    assert error_of(admin.client.post(f"/orders/{order.id}/return", json={}), 422)["code"] == "VALIDATION_ERROR"
    assert error_of(admin.client.post("/orders/nope/return", json={"ticketIds": [a1.id]}), 404)["code"] == (
        "ORDER_NOT_FOUND"
    )
    last = admin.client.post(f"/orders/{order.id}/return", json={"ticketIds": [a1.id, a3.id]}).json()
    assert last["status"] == "cancelled"  # nothing left valid
    assert audit(admin.db).clean
