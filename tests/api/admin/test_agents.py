"""Agents and commission structures through the admin API."""

from __future__ import annotations

from boxoffice.services import agents
from tests.api.admin.conftest import Admin, error_of


def test_commission_structures_create_list_get_replace(admin: Admin) -> None:
    made = admin.client.post(
        "/commission-structures",
        json={"name": "Standard", "kind": "percentage", "currency": "GBP", "basisPoints": 1000},
    )
    assert made.status_code == 201, made.text
    pct = made.json()
    assert pct == {**pct, "kind": "percentage", "basisPoints": 1000, "fixedAmount": 0, "matrix": {}}
    matrix = admin.client.post(
        "/commission-structures",
        json={"name": "By band", "kind": "matrix", "currency": "GBP", "matrix": {"adult": {"A": 250}}},
    ).json()
    assert [s["id"] for s in admin.client.get("/commission-structures").json()] == [matrix["id"], pct["id"]]
    assert admin.client.get(f"/commission-structures/{pct['id']}").json() == pct
    replaced = admin.client.put(
        f"/commission-structures/{pct['id']}",
        json={"name": "Flat", "kind": "fixed", "currency": "GBP", "fixedAmount": 75},
    )
    assert replaced.json() == {**pct, "name": "Flat", "kind": "fixed", "fixedAmount": 75, "basisPoints": 0}

    assert error_of(admin.client.get("/commission-structures/nope"), 404)["code"] == "COMMISSION_STRUCTURE_NOT_FOUND"
    bad_bodies = [
        {"name": "x", "kind": "bonus", "currency": "GBP"},
        {"name": "x", "kind": "percentage", "currency": "GBP", "basisPoints": 10_001},
        {"name": "x", "kind": "fixed", "currency": "GBP", "fixedAmount": "5"},
        {"name": "x", "kind": "fixed", "currency": "GBP", "fixedAmount": 2**70},
    ]
    for body in bad_bodies:
        assert error_of(admin.client.post("/commission-structures", json=body), 422)["code"] == "VALIDATION_ERROR"
    assert error_of(
        admin.client.post("/commission-structures", json={"name": "x", "kind": "matrix", "currency": "GBP"}), 400
    )
    assert error_of(
        admin.client.post("/commission-structures", json={"name": "x", "kind": "fixed", "currency": "gb"}), 400
    )
    assert error_of(
        admin.client.post(
            "/commission-structures", json={"name": "x", "kind": "fixed", "currency": "GBP", "fixedAmount": -1}
        ),
        400,
    )
    assert len(admin.client.get("/commission-structures").json()) == 2


def test_agents_are_customers_with_a_key_shown_once(admin: Admin) -> None:
    structure = admin.client.post(
        "/commission-structures", json={"name": "Flat", "kind": "fixed", "currency": "GBP", "fixedAmount": 100}
    ).json()
    made = admin.client.post(
        "/agents",
        json={
            "login": "tix4u",
            "firstName": "Tix",
            "lastName": "4U",
            "email": "sales@tix4u.example",
            "commissionStructureId": structure["id"],
        },
    )
    assert made.status_code == 201, made.text
    agent = made.json()
    key = agent.pop("key")
    assert agent == {
        "id": agent["id"],
        "login": "tix4u",
        "name": "Tix 4U",
        "commissionStructureId": structure["id"],
        "restricted": False,
        "deliveryMethods": ["collect", "careOfAgent"],
        "active": True,
        "lockChannelKey": f"agent-{agent['id']}",
    }
    # the agent is a customer record; its key is never shown again, and verifies its signatures
    assert admin.client.get(f"/customers/{agent['id']}").json()["email"] == "sales@tix4u.example"
    assert admin.client.get(f"/agents/{agent['id']}").json() == agent
    assert admin.client.get("/agents").json() == [agent]
    found = agents.find_signer(admin.db, admin.workspace, "tix4u")
    assert found is not None
    message = "GET\n/x\nDate"
    from boxoffice.services.api_users import sign

    agents.verify(found, [message], sign(key, message), system_secret="test-system-secret")

    patched = admin.client.patch(
        f"/agents/{agent['id']}",
        json={"restricted": True, "deliveryMethods": ["collect"], "commissionStructureId": None},
    ).json()
    assert patched == {**agent, "restricted": True, "deliveryMethods": ["collect"], "commissionStructureId": None}
    assert admin.client.patch(f"/agents/{agent['id']}", json={"active": False}).json()["active"] is False

    regenerated = admin.client.post(f"/agents/{agent['id']}/regenerate-key").json()
    assert regenerated["key"] != key
    assert (
        error_of(admin.client.post("/agents", json={"login": "tix4u", "email": "b@example.org"}), 409)["code"]
        == "ALREADY_EXISTS"
    )
    assert (
        error_of(admin.client.post("/agents", json={"login": "bad login", "email": "b@example.org"}), 400)["code"]
        == "INVALID_INPUT"
    )
    assert error_of(admin.client.post("/agents", json={"login": "b", "email": "nope"}), 400)["code"] == "INVALID_INPUT"
    assert error_of(admin.client.post("/agents", json={"login": "b"}), 422)["code"] == "VALIDATION_ERROR"
    assert (
        error_of(
            admin.client.post("/agents", json={"login": "b", "email": "b@example.org", "commissionStructureId": "zz"}),
            404,
        )["code"]
        == "COMMISSION_STRUCTURE_NOT_FOUND"
    )
    assert (
        error_of(
            admin.client.post("/agents", json={"login": "b", "email": "b@example.org", "deliveryMethods": ["post"]}),
            422,
        )["code"]
        == "VALIDATION_ERROR"
    )
    assert error_of(admin.client.get("/agents/nope"), 404)["code"] == "AGENT_NOT_FOUND"
    assert error_of(admin.client.patch("/agents/nope", json={"active": True}), 404)["code"] == "AGENT_NOT_FOUND"
    assert len(admin.client.get("/agents").json()) == 1
