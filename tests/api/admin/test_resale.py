"""Resale through the admin API: list a sold ticket, see it, withdraw it; errors in the admin shape."""

from __future__ import annotations

from tests.api.admin.conftest import Admin, error_of, sell
from tests.factories import ShopFixture


def test_list_see_and_withdraw_a_ticket_for_resale(admin: Admin, shop: ShopFixture) -> None:
    order = sell(admin.db, shop, ["A-1", "A-2"])
    ticket = order.tickets[0]
    made = admin.client.post(f"/orders/{order.id}/tickets/{ticket.id}/resale", json={"price": 4000, "fee": 400})
    assert made.status_code == 201, made.text
    listing = made.json()
    assert listing == {
        **listing,
        "orderId": order.id,
        "ticketId": ticket.id,
        "eventKey": shop.event_key,
        "label": "A-1",
        "price": 4000,
        "fee": 400,
        "payout": 3600,
        "currency": "GBP",
        "status": "listed",
        "closedAt": None,
        "buyerOrderId": None,
    }
    assert admin.client.get("/resale-listings", params={"status": "listed"}).json() == [listing]
    assert admin.client.get(f"/resale-listings/{listing['id']}").json() == listing
    again = admin.client.post(f"/orders/{order.id}/tickets/{ticket.id}/resale", json={"price": 4000})
    assert error_of(again, 409)["code"] == "NOT_LISTABLE"
    withdrawn = admin.client.post(f"/resale-listings/{listing['id']}/withdraw").json()
    assert withdrawn["status"] == "withdrawn" and withdrawn["closedAt"] is not None
    assert error_of(admin.client.post(f"/resale-listings/{listing['id']}/withdraw"), 409)["code"] == "CONFLICT"
    assert error_of(admin.client.get("/resale-listings/nope"), 404)["code"] == "LISTING_NOT_FOUND"
    bad = admin.client.post(f"/orders/{order.id}/tickets/{ticket.id}/resale", json={"price": "4000"})
    assert error_of(bad, 422)["code"] == "VALIDATION_ERROR"
    over = admin.client.post(f"/orders/{order.id}/tickets/{ticket.id}/resale", json={"price": 100, "fee": 200})
    assert error_of(over, 400)["code"] == "INVALID_INPUT"
    assert (
        error_of(admin.client.post("/orders/nope/tickets/x/resale", json={"price": 1}), 404)["code"]
        == "ORDER_NOT_FOUND"
    )
