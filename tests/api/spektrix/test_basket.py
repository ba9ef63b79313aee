"""Anonymous web mode, the basket: cookie, tickets (reserved, unreserved, best available), attributes,
other items, removal, clearing. The services are the rules; here we prove the dialect carries them."""

from __future__ import annotations

from typing import Any

from boxoffice.domain.statuses import FREE, HELD
from boxoffice.services.audit import audit
from boxoffice.services.events import get_event
from boxoffice.services.reports import object_infos
from tests.api.spektrix.conftest import Spektrix, error_of


def _chart(spx: Spektrix) -> str:
    return get_event(spx.db, spx.shop.workspace, spx.shop.event_key).chart_key


def _status(spx: Spektrix, label: str) -> str:
    return object_infos(spx.db, spx.shop.workspace, spx.shop.event_key, [label])[0].status


def test_the_cookie_is_created_on_the_first_basket_call_and_keeps_the_basket(spx: Spektrix) -> None:
    with spx.client() as c:
        first = c.get("/basket")
        cookie = first.headers["set-cookie"]
        assert cookie.startswith("boxoffice_basket=") and "HttpOnly" in cookie and "SameSite=none" in cookie
        assert f"Path=/{spx.shop.workspace.key}/api/v3" in cookie and "Secure" not in cookie
        again = c.get("/basket")
        assert "set-cookie" not in again.headers and again.json()["id"] == first.json()["id"]
        assert first.json()["tickets"] == [] and first.json()["total"] == 0.0
    with spx.client() as stranger:
        assert stranger.get("/basket").json()["id"] != first.json()["id"]


def test_reserved_and_unreserved_tickets_across_instances(spx: Spektrix) -> None:
    from tests.factories import make_shop

    shop = spx.shop
    other = make_shop(spx.db, shop.workspace)
    chart = _chart(spx)
    body: list[dict[str, Any]] = [
        {"instance": shop.event_key, "seat": "A-1", "ticketType": shop.adult},
        {"instance": shop.event_key, "planId": f"{chart}:GA", "ticketType": shop.child},
        {"instance": {"id": shop.event_key}, "planId": "GA", "ticketType": {"id": shop.adult}},
        {
            "instance": other.event_key,
            "seat": "B-3",
            "ticketType": other.child,
            "attribute_Dietary requirements": "vegan",
        },
    ]
    with spx.client() as c:
        response = c.post("/basket/tickets", json=body)
    assert response.status_code == 200, response.text
    basket = response.json()
    tickets = basket["tickets"]
    assert [(t["instance"]["id"], (t["seat"] or t["area"])["id"]) for t in tickets] == [
        (shop.event_key, "A-1"),
        (shop.event_key, f"{chart}:GA"),
        (shop.event_key, f"{chart}:GA"),
        (other.event_key, "B-3"),
    ]
    assert [t["total"] for t in tickets] == [31.0, 16.0, 26.0, 16.0]
    assert tickets[0]["band"] == {"id": "2", "name": "Front"} and tickets[0]["type"]["name"] == "Adult"
    assert tickets[1]["planId"] == f"{chart}:GA" and tickets[0]["planId"] == chart
    assert tickets[3]["attribute_Dietaryrequirements"] == "vegan"
    assert basket["total"] == 89.0 and basket["currency"] == "GBP" and basket["expiresUtc"].endswith("Z")
    assert _status(spx, "A-1") == HELD
    assert object_infos(spx.db, shop.workspace, shop.event_key, ["GA"])[0].num_held == 2


def test_the_plan_id_stands_for_its_only_unreserved_area_and_other_areas_are_refused(spx: Spektrix) -> None:
    shop = spx.shop
    chart = _chart(spx)
    with spx.client() as c:
        whole = c.post("/basket/tickets", json={"instance": shop.event_key, "planId": chart, "ticketType": shop.adult})
        assert whole.status_code == 200 and whole.json()["tickets"][0]["planId"] == f"{chart}:GA"
        unknown = c.post(
            "/basket/tickets", json={"instance": shop.event_key, "planId": f"{chart}:NOPE", "ticketType": shop.adult}
        )
        other_plan = c.post(
            "/basket/tickets",
            json={"instance": shop.event_key, "seat": "A-3", "planId": "another-plan", "ticketType": shop.adult},
        )
        nothing = c.post("/basket/tickets", json={"instance": shop.event_key, "ticketType": shop.adult})
    assert unknown.status_code == 400 and "not an unreserved area" in error_of(unknown)["message"]
    assert other_plan.status_code == 400 and error_of(other_plan)["index"] == 0
    assert error_of(nothing)["index"] == 0 and "seat" in error_of(nothing)["message"]


def test_best_available_in_bands_and_areas(spx: Spektrix) -> None:
    shop = spx.shop
    chart = _chart(spx)
    with spx.client() as c:
        front = c.post(
            "/basket/tickets/best-available",
            json={
                "instance": shop.event_key,
                "quantity": 2,
                "ticketType": shop.adult,
                "bands": ["2"],
                "areas": [chart],
            },
        )
        assert front.status_code == 200, front.text
        seats = [t["seat"]["id"] for t in front.json()["tickets"]]
        assert len(seats) == 2 and all(s.startswith("A-") for s in seats)
        stalls = c.post(
            "/basket/tickets/best-available", json={"instance": shop.event_key, "quantity": 3, "ticketType": shop.child}
        ).json()
        assert len(stalls["tickets"]) == 5 and all(t["band"]["id"] == "1" for t in stalls["tickets"][2:])
        too_many = c.post(
            "/basket/tickets/best-available",
            json={"instance": shop.event_key, "quantity": 11, "ticketType": shop.adult, "bands": ["2"]},
        )
        assert too_many.status_code == 400 and error_of(too_many)["code"] == "BEST_AVAILABLE_OBJECTS_NOT_FOUND"
        assert len(c.get("/basket").json()["tickets"]) == 5


def test_ticket_and_order_attributes(spx: Spektrix) -> None:
    shop = spx.shop
    with spx.client() as c:
        empty = c.patch("/basket", json={"attribute_Access needs": "step-free"})
        assert empty.status_code == 400 and error_of(empty)["code"] == "BASKET_EMPTY"
        tickets = c.post(
            "/basket/tickets",
            json=[{"instance": shop.event_key, "seat": s, "ticketType": shop.adult} for s in ("B-1", "B-2")],
        ).json()["tickets"]
        one = c.patch(f"/basket/tickets/{tickets[0]['id']}", json={"attribute_Dietary requirements": "vegan"}).json()
        assert one["tickets"][0]["attribute_Dietaryrequirements"] == "vegan"
        assert "attribute_Dietaryrequirements" not in one["tickets"][1]
        every = c.patch("/basket/tickets", json={"attributes": {"Dietary requirements": "none"}}).json()
        assert [t["attribute_Dietaryrequirements"] for t in every["tickets"]] == ["none", "none"]
        order = c.patch("/basket", json={"attribute_Access needs": "step-free"})
        assert order.status_code == 200 and order.json()["attribute_Accessneeds"] == "step-free"
        hidden = c.patch("/basket", json={"attribute_Internal note": "x"})
        assert hidden.status_code == 400 and "visible in the API" in error_of(hidden)["message"]
        wrong_case = c.patch("/basket/tickets", json={"attribute_dietary requirements": "x"})
        assert wrong_case.status_code == 400
        nothing = c.patch("/basket/tickets", json={})
        assert nothing.status_code == 400 and error_of(nothing)["code"] == "VALIDATION_ERROR"
        unknown = c.patch("/basket/tickets/nope", json={"attribute_Dietary requirements": "x"})
        assert unknown.status_code == 400


def test_donations_merchandise_memberships_and_subscriptions(spx: Spektrix) -> None:
    shop = spx.shop
    with spx.client() as c:
        donated = c.post("/basket/donations", json={"fund": shop.fund_id, "amount": 12.5})
        assert donated.status_code == 200, donated.text
        assert donated.json()["donations"][0]["amount"] == 12.5
        bought = c.post(
            "/basket/merchandise", json=[{"stockItem": shop.stock_item_id, "quantity": 2, "reference": "Gift for Sam"}]
        ).json()
        assert bought["merchandiseItems"][0]["reference"] == "Gift for Sam"
        assert bought["merchandiseItems"][0]["total"] == 10.0
        member = c.post(
            "/basket/membership-subscriptions", json=[{"membership": shop.membership_id, "autoRenew": True}]
        )
        assert member.json()["memberships"][0]["autoRenew"] is True
        season = c.post(
            "/basket/ticket-subscriptions", json={"ticketSubscriptionStructure": shop.subscription_id, "quantity": 2}
        )
        assert season.json()["ticketSubscriptions"][0]["total"] == 240.0
        basket = c.get("/basket").json()
        assert basket["total"] == 12.5 + 10.0 + 60.0 + 240.0
        fractional = c.post("/basket/donations", json={"fund": shop.fund_id, "amount": 1.001})
        assert fractional.status_code == 400 and error_of(fractional)["index"] == 0
        gone = c.delete("/basket/donations", params={"donationIds": basket["donations"][0]["id"]}).json()
        assert gone["donations"] == [] and len(gone["merchandiseItems"]) == 1
        c.delete("/basket/merchandise", params={"merchandiseItemIds": basket["merchandiseItems"][0]["id"]})
        c.delete("/basket/membership-subscriptions", params={"membershipIds": basket["memberships"][0]["id"]})
        last = c.delete(
            "/basket/ticket-subscriptions", params={"ticketSubscriptionIds": basket["ticketSubscriptions"][0]["id"]}
        )
        assert last.json()["total"] == 0.0
        wrong_kind = c.delete("/basket/donations", params={"donationIds": "nope"})
        assert wrong_kind.status_code == 400


def test_remove_tickets_and_clear_return_the_seats(spx: Spektrix) -> None:
    shop = spx.shop
    with spx.client() as c:
        tickets = c.post(
            "/basket/tickets",
            json=[
                {"instance": shop.event_key, "seat": "C-1", "ticketType": shop.adult},
                {"instance": shop.event_key, "seat": "C-2", "ticketType": shop.adult},
                {"instance": shop.event_key, "planId": "GA", "ticketType": shop.adult},
            ],
        ).json()["tickets"]
        left = c.delete("/basket/tickets", params={"ticketIds": f"{tickets[0]['id']},{tickets[2]['id']}"}).json()
        assert [t["seat"]["id"] for t in left["tickets"]] == ["C-2"]
        assert _status(spx, "C-1") == FREE and _status(spx, "C-2") == HELD
        assert object_infos(spx.db, shop.workspace, shop.event_key, ["GA"])[0].num_held == 0
        missing = c.delete("/basket/tickets")
        assert missing.status_code == 400 and error_of(missing)["code"] == "VALIDATION_ERROR"
        c.post("/basket/donations", json={"fund": shop.fund_id, "amount": 5})
        cleared = c.post("/basket/clear").json()
        assert cleared["tickets"] == [] and cleared["donations"] == []
        assert _status(spx, "C-2") == FREE
    assert audit(spx.db).clean
