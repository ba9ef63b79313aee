"""Agent locks, mark-backs and offline sales through the admin API, over real HTTP."""

from __future__ import annotations

from typing import Any

from boxoffice.services.audit import audit
from boxoffice.services.reports import object_infos
from tests.api.admin.conftest import Admin, error_of, sell
from tests.factories import ShopFixture


def make_agent(admin: Admin, login: str = "tix4u", **fields: Any) -> dict[str, Any]:
    made = admin.client.post(
        "/agents", json={"login": login, "firstName": "Tix", "lastName": "4U", "email": f"{login}@x.org", **fields}
    )
    assert made.status_code == 201, made.text
    return dict(made.json())


def details(error: dict[str, object]) -> list[dict[str, Any]]:
    found = error["details"]
    assert isinstance(found, list)
    return found


def test_lock_see_mark_back_and_history(admin: Admin, shop: ShopFixture) -> None:
    api = admin.client
    agent = make_agent(admin, restricted=True)
    locks = f"/performances/{shop.event_key}/agent-locks"
    mine = f"{locks}/{agent['id']}"

    locked = api.post(mine, json={"objects": ["A-1", "A-2", "A-3"], "areaPlaces": {"GA": 4}})
    assert locked.status_code == 200, locked.text
    body = locked.json()
    assert (body["locked"], body["alreadyLocked"], body["areaPlaces"]) == (["A-1", "A-2", "A-3"], [], {"GA": 4})
    share = f"GA##{agent['lockChannelKey']}"
    assert body["lock"]["channelKey"] == agent["lockChannelKey"] == f"agent-{agent['id']}"
    assert body["lock"]["areaPlaces"] == [
        {
            "area": "GA",
            "label": share,
            "whole": False,
            "places": 4,
            "unsold": 4,
            "held": 0,
            "soldByAgent": 0,
            "taken": 0,
        }
    ]
    assert body["lock"]["totals"] == {"locked": 7, "unsold": 7, "held": 0, "soldByAgent": 0, "taken": 0}

    sold = api.post(
        f"/agents/{agent['id']}/offline-sales",
        json={
            "tickets": [
                {"eventKey": shop.event_key, "label": "A-1", "ticketTypeId": shop.adult},
                {"eventKey": shop.event_key, "label": share, "ticketTypeId": shop.adult, "quantity": 2},
            ]
        },
    )
    assert sold.status_code == 201, sold.text
    order_id = sold.json()["order"]["id"]

    status = api.get(mine).json()
    assert [(o["label"], o["standing"], o["orderId"]) for o in status["objects"]] == [
        ("A-1", "soldByAgent", order_id),
        ("A-2", "unsold", None),
        ("A-3", "unsold", None),
    ]
    assert api.get(locks).json() == [status]

    back = api.post(f"{mine}/mark-back", json={"objects": ["A-1", "A-2"], "areaPlaces": {"GA": 3}})
    assert back.status_code == 200, back.text
    answer = back.json()
    assert answer["markedBack"] == ["A-2"]
    assert [(k["label"], k["standing"]) for k in answer["kept"]] == [("A-1", "soldByAgent")]
    assert (answer["areaPlacesMarkedBack"], answer["areaPlacesKept"], answer["complete"]) == (
        {"GA": 2},
        {"GA": 1},
        False,
    )

    everything = api.post(f"{mine}/mark-back-all").json()
    assert (everything["markedBack"], everything["areaPlacesMarkedBack"]) == (["A-3"], {"GA": 0})
    assert everything["lock"]["totals"] == {"locked": 3, "unsold": 0, "held": 0, "soldByAgent": 3, "taken": 0}

    history = api.get(f"{mine}/history").json()
    assert [(h["action"], h["label"], h["places"]) for h in history] == [
        ("lock", "A-1", 1),
        ("lock", "A-2", 1),
        ("lock", "A-3", 1),
        ("lock", share, 4),
        ("markBack", "A-2", 1),
        ("markBack", share, 2),
        ("markBack", "A-3", 1),
    ]
    assert all(h["area"] == ("GA" if h["label"] == share else None) for h in history)
    report = audit(admin.db, workspace_id=admin.workspace.id)
    assert report.clean, report.problems


def test_refusals_say_what_and_why_and_change_nothing(admin: Admin, shop: ShopFixture) -> None:
    api = admin.client
    agent = make_agent(admin)
    rival = make_agent(admin, "rival")
    sell(admin.db, shop, ["A-1"])
    mine = f"/performances/{shop.event_key}/agent-locks/{agent['id']}"
    assert api.post(f"/performances/{shop.event_key}/agent-locks/{rival['id']}", json={"objects": ["B-1"]}).is_success

    refused = error_of(api.post(mine, json={"objects": ["C-1", "A-1", "B-1"]}), 409)
    assert refused["code"] == "NOT_LOCKABLE"
    assert refused["details"] == [
        {"code": "NOT_LOCKABLE", "message": "booked, not free", "label": "A-1"},
        {"code": "NOT_LOCKABLE", "message": f"in channel {rival['lockChannelKey']}", "label": "B-1"},
    ]
    assert api.get(mine).json()["objects"] == []
    assert object_infos(admin.db, admin.workspace, shop.event_key, ["C-1"])[0].channel_key is None
    assert error_of(api.post(mine, json={"areaPlaces": {"GA": 11}}), 409)["code"] == "AREA_PLACES_UNAVAILABLE"

    not_held = error_of(api.post(f"{mine}/mark-back", json={"objects": ["B-1"]}), 409)
    assert not_held["code"] == "NOT_IN_LOCK"
    assert not_held["details"] == [
        {"code": "NOT_IN_LOCK", "message": f"not in this lock (in channel {rival['lockChannelKey']})", "label": "B-1"}
    ]
    assert error_of(api.post(mine, json={"objects": ["Z-9"]}), 404)["code"] == "OBJECT_NOT_FOUND"
    assert error_of(api.post(mine, json={}), 400)["code"] == "INVALID_INPUT"
    assert error_of(api.post(mine, json={"areaPlaces": {"GA": 0}}), 422)["code"] == "VALIDATION_ERROR"
    assert error_of(api.post(mine, json={"objects": "A-2"}), 422)["code"] == "VALIDATION_ERROR"
    unknown_agent = f"/performances/{shop.event_key}/agent-locks/nobody"
    assert error_of(api.get(unknown_agent), 404)["code"] == "AGENT_NOT_FOUND"
    assert error_of(api.post(f"{unknown_agent}/mark-back-all"), 404)["code"] == "AGENT_NOT_FOUND"
    assert error_of(api.get(f"/performances/nope/agent-locks/{agent['id']}"), 404)["code"] == "EVENT_NOT_FOUND"


def test_an_offline_sale_is_made_once_per_idempotency_key(admin: Admin, shop: ShopFixture) -> None:
    api = admin.client
    structure = api.post(
        "/commission-structures", json={"name": "Ten", "kind": "percentage", "currency": "GBP", "basisPoints": 1000}
    ).json()
    agent = make_agent(admin, commissionStructureId=structure["id"], deliveryMethods=["collect"])
    url = f"/agents/{agent['id']}/offline-sales"
    a1 = {"eventKey": shop.event_key, "label": "A-1", "ticketTypeId": shop.adult}
    a2 = {**a1, "label": "A-2"}
    body: dict[str, Any] = {
        "tickets": [a1],
        "endCustomer": {"lastName": "Smith", "reference": "T-9"},
        "deliveryMethod": "collect",
    }
    first = api.post(url, json=body, headers={"Idempotency-Key": "sale-1"})
    assert first.status_code == 201, first.text
    sale = first.json()
    assert (sale["agentId"], sale["endCustomer"], sale["deliveryMethod"]) == (
        agent["id"],
        {"lastName": "Smith", "reference": "T-9"},
        "collect",
    )
    assert (sale["order"]["customerId"], sale["order"]["channel"], sale["commission"]) == (agent["id"], "agent", 300)
    assert [p["method"] for p in sale["order"]["payments"]] == ["agency"]
    assert list(sale["commissionByTicket"].values()) == [300]

    again = api.post(url, json=body, headers={"Idempotency-Key": "sale-1"})
    assert again.status_code == 201 and again.json() == sale
    assert again.headers.get("Idempotent-Replayed") == "true"
    other = {**body, "tickets": [a2]}
    assert error_of(api.post(url, json=other, headers={"Idempotency-Key": "sale-1"}), 422)["code"] == (
        "IDEMPOTENCY_KEY_REUSED"
    )
    orders = api.get("/orders", params={"customerId": agent["id"]}).json()
    assert [o["id"] for o in orders] == [sale["order"]["id"]]

    refused = error_of(api.post(url, json={**body, "tickets": [a2, a1]}), 409)  # A-1 is sold
    assert [(d["code"], d["index"]) for d in details(refused)] == [("CONFLICT", 1)]
    assert error_of(api.post(url, json={**other, "deliveryMethod": "careOfAgent"}), 409)["code"] == "NOT_ELIGIBLE"
    assert error_of(api.post(url, json={**other, "endCustomer": {"email": "x"}}), 422)["code"] == "VALIDATION_ERROR"
    assert error_of(api.post(url, json={"tickets": []}), 422)["code"] == "VALIDATION_ERROR"
    assert error_of(api.post("/agents/nobody/offline-sales", json=other), 404)["code"] == "AGENT_NOT_FOUND"
    infos = object_infos(admin.db, admin.workspace, shop.event_key, ["A-2"])
    assert (infos[0].status, infos[0].hold_token) == ("free", None)
