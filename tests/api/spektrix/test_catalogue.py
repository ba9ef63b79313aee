"""Anonymous web mode, read side: events, instances, plan, price list, status, seat detail, other items."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import update

from boxoffice.domain.catalogue import Price
from boxoffice.domain.records import Channel
from boxoffice.services import catalogue, channels, charts
from boxoffice.services.clock import utcnow
from boxoffice.services.inventory import ObjectRequest, book
from boxoffice.storage.tables import workspaces
from tests.api.spektrix.conftest import Spektrix, error_of
from tests.factories import make_shop, recorded_queries, seat, small_drawing


def test_events_filtered_by_instance_start(spx: Spektrix) -> None:
    later = make_shop(spx.db, spx.shop.workspace, start=utcnow() + timedelta(days=40))
    soon = (utcnow() + timedelta(days=7)).date().isoformat()
    with spx.client() as c:
        every = c.get("/events").json()
        assert {e["id"] for e in every} == {spx.shop.production_id, later.production_id}
        assert all(e["isOnSale"] and e["instanceDates"] and e["name"] == "Hamlet" for e in every)
        from_later = c.get("/events", params={"instanceStart_from": (utcnow() + timedelta(days=20)).date().isoformat()})
        assert [e["id"] for e in from_later.json()] == [later.production_id]
        until_soon = c.get("/events", params={"instanceStart_to": soon}).json()
        assert [e["id"] for e in until_soon] == [spx.shop.production_id]
        one = c.get(f"/events/{spx.shop.production_id}").json()
        assert one["id"] == spx.shop.production_id and one["firstInstanceDateTime"]
        bad = c.get("/events", params={"instanceStart_from": "tomorrow"})
        assert bad.status_code == 400 and error_of(bad)["code"] == "VALIDATION_ERROR"
        missing = c.get("/events/nope")
        assert missing.status_code == 404 and error_of(missing)["code"] == "ITEM_NOT_FOUND"


def test_instances_of_an_event(spx: Spektrix) -> None:
    shop = spx.shop
    second = catalogue.create_performance(
        spx.db,
        shop.workspace,
        catalogue.PerformanceSpec(
            production_id=shop.production_id,
            chart_key=_chart_key(spx),
            start=utcnow() + timedelta(days=30),
        ),
    )
    with spx.client() as c:
        both = c.get(f"/events/{shop.production_id}/instances").json()
        assert [i["id"] for i in both] == [shop.event_key, second.event_key]
        first = both[0]
        assert first["event"]["id"] == shop.production_id and first["planId"] == _chart_key(spx)
        assert first["priceList"] == {"id": shop.event_key} and first["isOnSale"] is True
        assert first["startUtc"].endswith("Z") and first["currency"] == "GBP"
        start_from = (utcnow() + timedelta(days=20)).date().isoformat()
        later = c.get(f"/events/{shop.production_id}/instances", params={"start_from": start_from}).json()
        assert [i["id"] for i in later] == [second.event_key]
        assert c.get(f"/instances/{shop.event_key}").json()["id"] == shop.event_key
        assert c.get("/instances/nope").status_code == 404


def _chart_key(spx: Spektrix) -> str:
    from boxoffice.services.events import get_event

    return get_event(spx.db, spx.shop.workspace, spx.shop.event_key).chart_key


def test_plan_lists_reserved_seats_and_unreserved_areas(spx: Spektrix) -> None:
    chart_key = _chart_key(spx)
    with spx.client() as c:
        plan = c.get(f"/instances/{spx.shop.event_key}/plan").json()
    assert plan["id"] == chart_key and plan["name"] == "Small hall"
    areas = {a["id"]: a for a in plan["areas"]}
    assert areas[f"{chart_key}:GA"] == {
        "id": f"{chart_key}:GA",
        "name": "GA",
        "type": "Unreserved",
        "capacity": 10,
        "band": {"id": "1", "name": "Stalls"},
    }
    reserved = areas[chart_key]
    a1 = next(s for s in reserved["seats"] if s["id"] == "A-1")
    assert a1["row"] == "A" and a1["number"] == "1" and a1["band"] == {"id": "2", "name": "Front"}


def test_price_list_with_and_without_custom_items(spx: Spektrix) -> None:
    shop = spx.shop
    with spx.client() as c:
        plain = c.get(f"/instances/{shop.event_key}/price-list").json()
        expanded = c.get(f"/instances/{shop.event_key}/price-list", params={"$expand": "prices/customItems"}).json()
    assert plain["id"] == shop.event_key and plain["currency"] == "GBP"
    prices = {(p["ticketType"]["id"], p["priceBand"]["id"]): p for p in plain["prices"]}
    assert prices[(shop.adult, "1")]["amount"] == 25.0 and prices[(shop.adult, "2")]["amount"] == 30.0
    assert prices[(shop.child, "1")]["amount"] == 15.0 and prices[(shop.adult, "1")]["isBandDefault"] is True
    assert prices[(shop.child, "1")]["isBandDefault"] is False
    assert "customItems" not in plain["prices"][0]
    assert {t["name"] for t in plain["ticketTypes"]} == {"Adult", "Child"}
    assert all(
        p["customItems"] == [{"id": p["customItems"][0]["id"], "name": "Booking fee", "amount": 1.0}]
        for p in expanded["prices"]
    )


def test_money_is_exact_decimal_major_units(spx: Spektrix) -> None:
    shop = spx.shop
    catalogue.set_price_list(
        spx.db, shop.workspace, shop.event_key, [Price(shop.adult, "1", 1999), Price(shop.adult, "2", 10)]
    )
    with spx.client() as c:
        amounts = sorted(p["amount"] for p in c.get(f"/instances/{shop.event_key}/price-list").json()["prices"])
    assert amounts == [0.1, 19.99]


def test_status_summary_and_child_plans(spx: Spektrix) -> None:
    shop = spx.shop
    chart_key = _chart_key(spx)
    book(spx.db, shop.workspace, [shop.event_key], ["B-1", "B-2"])
    with spx.client() as c:
        c.post("/basket/tickets", json=[{"instance": shop.event_key, "planId": "GA", "ticketType": shop.adult}] * 3)
        status = c.get(f"/instances/{shop.event_key}/status").json()
        child = c.get(f"/instances/{shop.event_key}/status", params={"includeChildPlans": "true"}).json()
    assert "areas" not in status
    assert status["instance"] == {"id": shop.event_key}
    assert (status["sold"], status["reserved"], status["available"]) == (2, 3, status["capacity"] - 5)
    areas = {a["plan"]["id"]: a for a in child["areas"]}
    assert areas[f"{chart_key}:GA"]["capacity"] == 10 and areas[f"{chart_key}:GA"]["reserved"] == 3
    assert areas[f"{chart_key}:GA"]["available"] == 7 and areas[chart_key]["sold"] == 2


def test_a_channels_share_of_the_ga_area_is_locked_in_the_area(spx: Spektrix) -> None:
    """A seats.io channel holding 4 of GA's 10 places: the website sees them locked in GA's own counts (no
    area of their own, no place counted twice), and a basket takes only the 6 left."""
    shop = spx.shop
    chart_key = _chart_key(spx)
    channels.add_channels(spx.db, shop.workspace, shop.event_key, [Channel("vip", "VIP", area_places=(("GA", 4),))])
    book(spx.db, shop.workspace, [shop.event_key], [ObjectRequest("GA##vip", quantity=1)], channel_keys=("vip",))
    with spx.client() as c:
        before = c.get(f"/instances/{shop.event_key}/status").json()
        child = c.get(f"/instances/{shop.event_key}/status", params={"includeChildPlans": "true"}).json()
        plan = c.get(f"/instances/{shop.event_key}/plan").json()
        too_many = c.post(
            "/basket/tickets", json=[{"instance": shop.event_key, "planId": "GA", "ticketType": shop.adult}] * 7
        )
    ga = {a["plan"]["id"]: a for a in child["areas"]}[f"{chart_key}:GA"]
    assert (ga["capacity"], ga["sold"], ga["locked"], ga["available"], ga["unavailable"]) == (10, 1, 3, 6, 0)
    assert before["capacity"] == sum(a["capacity"] for a in child["areas"])
    areas = plan["areas"]
    assert [a["capacity"] for a in areas if a["name"] == "GA"] == [10] and not any("##" in a["name"] for a in areas)
    assert too_many.status_code >= 400


def test_status_detail_a_u_i_with_the_band(spx: Spektrix) -> None:
    ws = spx.shop.workspace
    drawing = small_drawing()
    drawing["subChart"]["rows"][2]["seats"][0] = seat("1", 0.0, 60.0, 1, accessible=True)
    chart = charts.create_chart(spx.db, ws, drawing)
    performance = catalogue.create_performance(
        spx.db,
        ws,
        catalogue.PerformanceSpec(
            production_id=spx.shop.production_id, chart_key=chart.key, start=utcnow() + timedelta(days=3)
        ),
    )
    book(spx.db, ws, [performance.event_key], ["B-1"])
    with spx.client() as c:
        detail = c.get(f"/instances/{performance.event_key}/status/detail", params={"includeChildPlans": "true"}).json()
    seats = {s["id"]: s for s in detail["seats"]}
    assert detail["authenticated"] is False
    assert seats["A-1"] == {"id": "A-1", "status": "A", "band": {"id": "2"}}
    assert seats["B-1"] == {"id": "B-1", "status": "U", "band": {"id": "1"}}
    assert seats["C-1"]["status"] == "I"
    assert "GA" not in seats


def test_funds_stock_items_memberships_and_subscriptions(spx: Spektrix) -> None:
    shop = spx.shop
    with spx.client() as c:
        funds = c.get("/funds").json()
        stock = c.get("/stock-items").json()
        memberships = c.get("/memberships").json()
        subscriptions = c.get("/ticket-subscription-structures").json()
    assert funds == [
        {
            "id": shop.fund_id,
            "name": "Friends of the theatre",
            "description": "",
            "minimumDonationAmount": 1.0,
            "currency": "GBP",
        }
    ]
    assert stock[0]["id"] == shop.stock_item_id and stock[0]["price"] == 5.0 and stock[0]["stockLevel"] == 5
    assert memberships[0]["id"] == shop.membership_id and memberships[0]["price"] == 60.0
    assert subscriptions[0]["id"] == shop.subscription_id and subscriptions[0]["events"] == [{"id": shop.production_id}]


def test_an_unknown_client_is_404(spx: Spektrix) -> None:
    with spx.client() as c:
        response = c.get(f"{spx.url}/no-such-client/api/v3/events")
    assert response.status_code == 404 and error_of(response)["code"] == "CLIENT_NOT_FOUND"


def test_a_workspace_is_read_once_and_trusted_for_a_few_seconds(spx: Spektrix, monkeypatch: pytest.MonkeyPatch) -> None:
    with recorded_queries(spx.db) as sent, spx.client() as c:
        assert [c.get("/events").status_code for _ in range(3)] == [200, 200, 200]
        assert len([sql for sql in sent if "FROM workspaces" in sql]) == 1
        with spx.db.write() as uow:  # switched off behind the server's back
            uow.connection.execute(
                update(workspaces).where(workspaces.c.key == spx.shop.workspace.key).values(is_active=False)
            )
            uow.commit()
        assert c.get("/events").status_code == 200  # within the few seconds it is trusted
        spx.config.workspaces.seconds = 0.0
        response = c.get("/events")
    assert response.status_code == 404 and error_of(response)["code"] == "CLIENT_NOT_FOUND"
