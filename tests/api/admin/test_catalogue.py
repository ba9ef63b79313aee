"""The catalogue through the admin API: charts, productions, performances, ticket types, price lists,
funds, stock items, memberships, ticket subscription structures and attribute definitions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from tests.api.admin.conftest import Admin, error_of
from tests.factories import small_drawing

START = datetime(2031, 5, 1, 19, 30, tzinfo=UTC)


def _production(admin: Admin, name: str = "Hamlet") -> dict[str, Any]:
    response = admin.client.post("/productions", json={"name": name, "durationMinutes": 180})
    assert response.status_code == 201, response.text
    return dict(response.json())


def _chart(admin: Admin, key: str = "hall") -> dict[str, Any]:
    response = admin.client.post("/charts", params={"key": key}, json=small_drawing())
    assert response.status_code == 201, response.text
    return dict(response.json())


def _performance(admin: Admin, production_id: str, start: datetime = START, **extra: Any) -> dict[str, Any]:
    body = {"productionId": production_id, "chartKey": "hall", "start": start.isoformat(), "currency": "GBP", **extra}
    response = admin.client.post("/performances", json=body)
    assert response.status_code == 201, response.text
    return dict(response.json())


def test_charts_import_and_show_their_price_bands(admin: Admin) -> None:
    chart = _chart(admin)
    assert chart["key"] == "hall" and chart["name"] == "Small hall" and chart["publishedVersion"] >= 1
    assert [(c["key"], c["label"]) for c in chart["categories"]] == [("1", "Stalls"), ("2", "Front")]
    assert admin.client.get("/charts/hall").json() == chart
    assert [c["key"] for c in admin.client.get("/charts").json()] == ["hall"]
    assert error_of(admin.client.post("/charts", params={"key": "hall"}, json=small_drawing()), 409)["code"] == (
        "ALREADY_EXISTS"
    )
    broken = small_drawing()
    broken["subChart"]["generalAdmissionAreas"][0]["capacity"] = 0
    broken["subChart"]["rows"][1]["seats"][2]["categoryKey"] = 99
    error = error_of(admin.client.post("/charts", json=broken), 400)
    assert error["code"] == "CHART_VALIDATION_FAILED"
    assert {d["code"] for d in error["details"]} == {"INVALID_CAPACITY", "UNKNOWN_CATEGORY"}  # type: ignore[attr-defined]
    assert error_of(admin.client.get("/charts/nope"), 404)["code"] == "CHART_NOT_FOUND"
    assert error_of(admin.client.post("/charts", json="a string"), 422)["code"] == "VALIDATION_ERROR"


def test_productions_create_list_get_update(admin: Admin) -> None:
    hamlet = _production(admin)
    assert hamlet["name"] == "Hamlet" and hamlet["durationMinutes"] == 180 and hamlet["attributes"] == {}
    lear = _production(admin, "King Lear")
    assert [p["name"] for p in admin.client.get("/productions").json()] == ["Hamlet", "King Lear"]
    assert admin.client.get(f"/productions/{lear['id']}").json() == lear
    patched = admin.client.patch(
        f"/productions/{hamlet['id']}", json={"description": "Tragedy", "attributes": {"a": 1}}
    )
    assert patched.status_code == 200
    assert patched.json() == {**hamlet, "description": "Tragedy", "attributes": {"a": 1}}
    assert error_of(admin.client.get("/productions/nope"), 404)["code"] == "ITEM_NOT_FOUND"
    assert error_of(admin.client.patch("/productions/nope", json={"name": "x"}), 404)["code"] == "ITEM_NOT_FOUND"
    assert error_of(admin.client.patch(f"/productions/{hamlet['id']}", json={"name": "  "}), 400)["code"] == (
        "INVALID_INPUT"
    )
    assert error_of(admin.client.post("/productions", json={"name": ""}), 400)["code"] == "INVALID_INPUT"


def test_performances_create_list_get_update_cancel(admin: Admin) -> None:
    _chart(admin)
    hamlet, lear = _production(admin), _production(admin, "Lear")
    first = _performance(
        admin,
        hamlet["id"],
        eventKey="hamlet-1",
        webSaleFrom=(START - timedelta(days=60)).isoformat(),
        boxOfficeSaleUntil=(START + timedelta(minutes=30)).isoformat(),
    )
    assert first["eventKey"] == "hamlet-1" and first["productionId"] == hamlet["id"] and first["currency"] == "GBP"
    assert datetime.fromisoformat(first["start"]) == START and first["webSaleFrom"].endswith("Z")
    assert first["cancelled"] is False and first["onSaleWeb"] is False  # not yet: opens 60 days before
    second = _performance(admin, hamlet["id"], START + timedelta(days=1))
    other = _performance(admin, lear["id"], START + timedelta(days=2))
    everything = admin.client.get("/performances").json()
    assert [p["eventKey"] for p in everything] == [first["eventKey"], second["eventKey"], other["eventKey"]]
    by_production = admin.client.get("/performances", params={"productionId": hamlet["id"]}).json()
    assert [p["eventKey"] for p in by_production] == ["hamlet-1", second["eventKey"]]
    in_range = admin.client.get(
        "/performances",
        params={
            "from": (START + timedelta(hours=1)).isoformat(),
            "to": (START + timedelta(days=1, hours=1)).isoformat(),
        },
    ).json()
    assert [p["eventKey"] for p in in_range] == [second["eventKey"]]
    assert admin.client.get("/performances/hamlet-1").json() == first

    now = datetime.now(UTC)
    patched = admin.client.patch(
        "/performances/hamlet-1", json={"webSaleFrom": None, "webSaleUntil": (now + timedelta(days=1)).isoformat()}
    ).json()
    assert patched["webSaleFrom"] is None and patched["onSaleWeb"] is True and patched["start"] == first["start"]
    cancelled = admin.client.post("/performances/hamlet-1/cancel")
    assert cancelled.status_code == 200 and cancelled.json()["cancelled"] is True
    assert cancelled.json()["onSaleWeb"] is False and cancelled.json()["onSaleBoxOffice"] is False

    naive = {"productionId": hamlet["id"], "chartKey": "hall", "start": "2031-05-01T19:30:00", "currency": "GBP"}
    assert error_of(admin.client.post("/performances", json=naive), 422)["code"] == "VALIDATION_ERROR"
    bad = {**naive, "start": START.isoformat()}
    assert error_of(admin.client.post("/performances", json={**bad, "chartKey": "nope"}), 404)["code"] == (
        "CHART_NOT_FOUND"
    )
    assert error_of(admin.client.post("/performances", json={**bad, "productionId": "nope"}), 404)["code"] == (
        "ITEM_NOT_FOUND"
    )
    assert error_of(admin.client.post("/performances", json={**bad, "currency": "pounds"}), 400)["code"] == (
        "INVALID_INPUT"
    )
    assert error_of(admin.client.post("/performances", json={**bad, "eventKey": "hamlet-1"}), 409)["code"] == (
        "ALREADY_EXISTS"
    )
    assert error_of(admin.client.patch("/performances/hamlet-1", json={"start": None}), 422)["code"] == (
        "VALIDATION_ERROR"
    )
    assert error_of(admin.client.get("/performances/nope"), 404)["code"] == "EVENT_NOT_FOUND"
    assert error_of(admin.client.post("/performances/nope/cancel"), 404)["code"] == "EVENT_NOT_FOUND"
    assert error_of(admin.client.get("/performances", params={"from": "yesterday"}), 422)["code"] == (
        "VALIDATION_ERROR"
    )


def test_ticket_types_and_price_lists(admin: Admin) -> None:
    _chart(admin)
    performance = _performance(admin, _production(admin)["id"], eventKey="p1")
    adult = admin.client.post("/ticket-types", json={"name": "Adult"})
    assert adult.status_code == 201
    child = admin.client.post("/ticket-types", json={"name": "Child"}).json()
    adult_id = adult.json()["id"]
    assert [t["name"] for t in admin.client.get("/ticket-types").json()] == ["Adult", "Child"]
    assert error_of(admin.client.post("/ticket-types", json={"name": "Adult"}), 409)["code"] == "ALREADY_EXISTS"

    empty = admin.client.get("/performances/p1/price-list").json()
    assert empty == {"eventKey": "p1", "currency": "GBP", "prices": [], "fees": []}
    body = {
        "prices": [
            {"ticketTypeId": adult_id, "categoryKey": 1, "amount": 2500},
            {"ticketTypeId": adult_id, "categoryKey": "2", "amount": 3000},
            {"ticketTypeId": child["id"], "categoryKey": "1", "amount": 1500},
        ],
        "fees": [
            {"name": "Booking fee", "amount": 150},
            {"name": "Child fee", "amount": 50, "ticketTypeId": child["id"]},
        ],
    }
    put = admin.client.put(f"/performances/{performance['eventKey']}/price-list", json=body)
    assert put.status_code == 200, put.text
    price_list = put.json()
    assert price_list["currency"] == "GBP"
    assert {(p["ticketTypeId"], p["categoryKey"], p["amount"]) for p in price_list["prices"]} == {
        (adult_id, "1", 2500),
        (adult_id, "2", 3000),
        (child["id"], "1", 1500),
    }
    assert [(f["name"], f["amount"], f["ticketTypeId"]) for f in price_list["fees"]] == [
        ("Booking fee", 150, None),
        ("Child fee", 50, child["id"]),
    ]
    assert admin.client.get("/performances/p1/price-list").json() == price_list

    def put_error(prices: list[dict[str, Any]], status: int = 400, **more: Any) -> str:
        response = admin.client.put("/performances/p1/price-list", json={"prices": prices, **more})
        return str(error_of(response, status)["code"])

    assert put_error([{"ticketTypeId": "nope", "categoryKey": "1", "amount": 1}]) == "INVALID_INPUT"
    assert put_error([{"ticketTypeId": adult_id, "categoryKey": "9", "amount": 1}]) == "INVALID_INPUT"
    assert put_error([{"ticketTypeId": adult_id, "categoryKey": "1", "amount": -1}]) == "INVALID_INPUT"
    assert put_error([{"ticketTypeId": adult_id, "categoryKey": "1", "amount": 1}] * 2) == "INVALID_INPUT"
    assert put_error([], fees=[{"name": "x", "amount": 1, "ticketTypeId": "nope"}]) == "INVALID_INPUT"
    assert put_error([{"ticketTypeId": adult_id, "categoryKey": "1", "amount": 12.5}], 422) == "VALIDATION_ERROR"
    assert put_error([{"ticketTypeId": adult_id, "categoryKey": "1", "amount": "12"}], 422) == "VALIDATION_ERROR"
    assert admin.client.get("/performances/p1/price-list").json() == price_list  # nothing changed
    assert error_of(admin.client.put("/performances/nope/price-list", json={"prices": []}), 404)["code"] == (
        "EVENT_NOT_FOUND"
    )
    assert error_of(admin.client.get("/performances/nope/price-list"), 404)["code"] == "EVENT_NOT_FOUND"


def test_funds_stock_items_memberships_subscriptions_attributes(admin: Admin) -> None:
    fund = admin.client.post("/funds", json={"name": "Friends", "currency": "GBP", "minimumAmount": 500})
    assert fund.status_code == 201
    assert fund.json() == {**fund.json(), "name": "Friends", "currency": "GBP", "minimumAmount": 500, "description": ""}
    assert admin.client.get("/funds").json() == [fund.json()]
    assert error_of(admin.client.post("/funds", json={"name": "F", "currency": "GBP", "minimumAmount": -1}), 400)[
        "code"
    ] == ("INVALID_INPUT")
    assert error_of(admin.client.post("/funds", json={"name": "F"}), 422)["code"] == "VALIDATION_ERROR"

    item = admin.client.post(
        "/stock-items", json={"name": "Programme", "price": 500, "currency": "GBP", "stockLevel": 10}
    )
    assert item.status_code == 201 and item.json()["stockLevel"] == 10
    item_id = item.json()["id"]
    level = admin.client.put(f"/stock-items/{item_id}/stock-level", json={"stockLevel": 3})
    assert level.status_code == 200 and level.json() == {**item.json(), "stockLevel": 3}
    assert admin.client.get("/stock-items").json() == [level.json()]
    assert error_of(admin.client.put(f"/stock-items/{item_id}/stock-level", json={"stockLevel": -1}), 400)["code"] == (
        "INVALID_INPUT"
    )
    assert admin.client.get("/stock-items").json()[0]["stockLevel"] == 3
    assert error_of(admin.client.put("/stock-items/nope/stock-level", json={"stockLevel": 1}), 404)["code"] == (
        "ITEM_NOT_FOUND"
    )
    negative = {"name": "Mug", "price": 800, "currency": "GBP", "stockLevel": -5}
    assert error_of(admin.client.post("/stock-items", json=negative), 400)["code"] == "INVALID_INPUT"

    membership = admin.client.post(
        "/memberships", json={"name": "Friend", "price": 6000, "currency": "GBP", "autoRenewAllowed": True}
    )
    assert membership.status_code == 201
    assert membership.json()["durationMonths"] == 12 and membership.json()["autoRenewAllowed"] is True
    assert admin.client.get("/memberships").json() == [membership.json()]
    zero = {"name": "Blink", "price": 100, "currency": "GBP", "durationMonths": 0}
    assert error_of(admin.client.post("/memberships", json=zero), 400)["code"] == "INVALID_INPUT"

    production = _production(admin)
    structure = admin.client.post(
        "/ticket-subscription-structures",
        json={"name": "Season", "price": 12000, "currency": "GBP", "productionIds": [production["id"]]},
    )
    assert structure.status_code == 201 and structure.json()["productionIds"] == [production["id"]]
    assert admin.client.get("/ticket-subscription-structures").json() == [structure.json()]
    unknown = {"name": "Season", "price": 1, "currency": "GBP", "productionIds": ["nope"]}
    assert error_of(admin.client.post("/ticket-subscription-structures", json=unknown), 404)["code"] == (
        "ITEM_NOT_FOUND"
    )

    attribute = admin.client.post("/attribute-definitions", json={"name": "Dietary", "appliesTo": "ticket"})
    assert attribute.status_code == 201 and attribute.json()["visibleInApi"] is True
    hidden = admin.client.post(
        "/attribute-definitions", json={"name": "Note", "appliesTo": "order", "visibleInApi": False}
    ).json()
    assert [a["name"] for a in admin.client.get("/attribute-definitions").json()] == ["Note", "Dietary"]
    assert hidden["visibleInApi"] is False
    again = {"name": "Dietary", "appliesTo": "ticket"}
    assert error_of(admin.client.post("/attribute-definitions", json=again), 409)["code"] == "ALREADY_EXISTS"
    wrong = {"name": "X", "appliesTo": "basket"}
    assert error_of(admin.client.post("/attribute-definitions", json=wrong), 422)["code"] == "VALIDATION_ERROR"
