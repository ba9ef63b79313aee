"""The partner API over real HTTP: credentials to token, discovery, sections and rows, quote, order; the
envelope on every answer; the admin side."""

from __future__ import annotations

from tests.api.partner.conftest import PartnerApi, failure


def test_the_five_steps_over_http_in_the_envelope(api: PartnerApi) -> None:
    made = api.partner
    assert made["clientId"].startswith("ci_") and made["clientSecret"].startswith("cs_")
    assert "clientSecret" not in api.admin.get(f"/partners/{made['id']}").json()
    client = api.authed()
    listed = client.get("/v1/events", headers={"X-Request-ID": "trace-1"})
    assert listed.status_code == 200 and listed.headers["X-Request-ID"] == "trace-1"
    body = listed.json()
    assert body["success"] is True and body["meta"]["request_id"] == "trace-1"
    assert [(e["id"], e["name"], e["venue"]) for e in body["data"]] == [(api.shop.event_key, "Hamlet", "Small hall")]
    event = api.shop.event_key
    assert client.get(f"/v1/events/{event}").json()["data"]["id"] == event
    sections = client.get(f"/v1/events/{event}/sections").json()["data"]
    assert [r["row"] for r in sections[0]["rows"]] == ["A", "B", "C"] and sections[0]["rows"][1]["available"] == 10

    quoted = client.post("/v1/quotes", json={"event_id": event, "row": "B", "quantity": 2})
    assert quoted.status_code == 201, quoted.text
    quote = quoted.json()["data"]
    assert (quote["seats"], quote["unit_price"], quote["total"], quote["status"]) == (
        ["B-1", "B-2"],
        2600,
        5200,
        "open",
    )
    assert client.get(f"/v1/quotes/{quote['id']}").json()["data"]["status"] == "open"
    ordered = client.post("/v1/orders", json={"quote_id": quote["id"]})
    assert ordered.status_code == 201, ordered.text
    order = ordered.json()["data"]
    assert order["total"] == 5200 and [t["seat"] for t in order["tickets"]] == ["B-1", "B-2"]
    assert order["quote_id"] == quote["id"] and order["transfer_email"] is None
    assert client.get(f"/v1/orders/{order['id']}").json()["data"] == order
    assert failure(client.post("/v1/orders", json={"quote_id": quote["id"]}), 409) == "QUOTE_ALREADY_ORDERED"
    assert api.admin.get(f"/orders/{order['id']}").json()["channel"] == "partner"


def test_bad_credentials_tokens_and_input_get_the_envelope_and_change_nothing(api: PartnerApi) -> None:
    client = api.client
    wrong = {"client_id": api.partner["clientId"], "client_secret": "nope"}
    assert failure(client.post("/v1/auth/token", json=wrong), 401) == "INVALID_CLIENT"
    assert failure(client.post("/v1/auth/token", json={"client_id": "x"}), 422) == "VALIDATION_ERROR"
    assert failure(client.get("/v1/events"), 401) == "INVALID_TOKEN"
    assert failure(client.get("/v1/events", headers={"Authorization": "Bearer abc.def.ghi"}), 401) == "INVALID_TOKEN"
    authed = api.authed()
    event = api.shop.event_key
    for bad in (
        {"event_id": event, "row": "A", "quantity": 0},
        {"event_id": event, "row": "A", "quantity": "2"},
        {"event_id": event, "row": "A", "quantity": 21},
        {"event_id": event, "row": "A"},
        {"event_id": event, "row": "A", "quantity": 2, "price": 1},
    ):
        assert failure(authed.post("/v1/quotes", json=bad), 422) == "VALIDATION_ERROR"
    assert (
        failure(authed.post("/v1/quotes", json={"event_id": event, "row": "Q", "quantity": 2}), 400) == "INVALID_INPUT"
    )
    assert (
        failure(authed.post("/v1/quotes", json={"event_id": "nope", "row": "A", "quantity": 2}), 404)
        == "EVENT_NOT_FOUND"
    )
    assert (
        failure(authed.post("/v1/quotes", json={"event_id": event, "row": "A", "quantity": 11}), 409)
        == "SEATS_UNAVAILABLE"
    )
    assert failure(authed.post("/v1/orders", json={"quote_id": "nope"}), 404) == "QUOTE_NOT_FOUND"
    assert failure(authed.get("/v1/orders/nope"), 404) == "ORDER_NOT_FOUND"
    assert failure(authed.get("/v1/nowhere"), 404) == "NOT_FOUND"

    api.admin.patch(f"/partners/{api.partner['id']}", json={"payoutConfigured": False})
    blocked = authed.post("/v1/quotes", json={"event_id": event, "row": "A", "quantity": 2})
    assert failure(blocked, 403) == "PAYOUT_METHOD_REQUIRED"
    rotated = api.admin.post(f"/partners/{api.partner['id']}/rotate-secret").json()
    assert rotated["clientSecret"] != api.partner["clientSecret"]
    assert failure(authed.get("/v1/events"), 401) == "INVALID_TOKEN"  # the old token ended with the old secret


def test_an_idempotency_key_replays_the_first_order(api: PartnerApi) -> None:
    client = api.authed()
    quote = client.post("/v1/quotes", json={"event_id": api.shop.event_key, "row": "C", "quantity": 1}).json()["data"]
    first = client.post("/v1/orders", json={"quote_id": quote["id"]}, headers={"Idempotency-Key": "o-1"})
    assert first.status_code == 201, first.text
    again = client.post("/v1/orders", json={"quote_id": quote["id"]}, headers={"Idempotency-Key": "o-1"})
    assert again.status_code == 201 and again.json()["data"] == first.json()["data"]
    assert again.headers["Idempotent-Replayed"] == "true"
