"""Agent mode (the Agency API) over real HTTP: an agent signs as its login, keeps many baskets, writes back
its buyer, confirms on account, reads its orders; nobody else's basket or order is ever shown to it; the
instance status is what the agent may sell. Bad input is a 4xx in the dialect's shape, never a 5xx."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
import requests

from boxoffice.domain.records import Channel
from boxoffice.domain.statuses import BOOKED
from boxoffice.services import agents, channels
from boxoffice.services.audit import audit
from boxoffice.services.reports import object_infos
from tests.api.fuzzing import fuzz_document
from tests.api.spektrix.conftest import Spektrix, error_of, signed
from tests.factories import commission, make_agent


@dataclass
class AgentClient:
    """Signs every request as `login` (with `key`), as an agent's integration does."""

    spx: Spektrix
    login: str
    key: str
    http: httpx.Client

    def call(
        self,
        method: str,
        path: str,
        body: Any = None,
        *,
        raw: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> httpx.Response:
        url = f"{self.spx.base}{path}"
        content = raw if raw is not None else (json.dumps(body).encode() if body is not None else b"")
        sent = signed(method, url, self.login, self.key, content) | (headers or {})
        if content:
            sent["Content-Type"] = "application/json"
        return self.http.request(method, url, content=content, headers=sent)

    def ok(self, method: str, path: str, body: Any = None, *, headers: dict[str, str] | None = None) -> Any:
        response = self.call(method, path, body, headers=headers)
        assert response.status_code in (200, 201), response.text
        return response.json()

    def new_basket(self) -> str:
        opened: str = self.ok("POST", "/baskets")["id"]
        return opened


@pytest.fixture
def http(spx: Spektrix) -> Any:
    with spx.client() as client:
        yield client


def agent_client(spx: Spektrix, http: httpx.Client, login: str = "tix4u", **options: Any) -> AgentClient:
    return AgentClient(spx, login, make_agent(spx.db, spx.shop.workspace, login=login, **options).key, http)


def seat(spx: Spektrix, label: str, ticket_type: str | None = None) -> dict[str, str]:
    return {"instance": spx.shop.event_key, "seat": label, "ticketType": ticket_type or spx.shop.adult}


def lock(spx: Spektrix, agent_login: str, labels: list[str], places: tuple[tuple[str, int], ...] = ()) -> str:
    """Lock `labels` (and `places` of GA areas) for the agent; returns the lock's id."""
    found = next(a for a in agents.list_agents(spx.db, spx.shop.workspace) if a.login == agent_login)
    locked = Channel(found.lock_key, "Lock", "#000", None, tuple(labels), places)
    channels.add_channels(spx.db, spx.shop.workspace, spx.shop.event_key, [locked])
    return found.lock_key


def assert_error(response: httpx.Response, status: int, code: str) -> None:
    assert response.status_code == status, response.text
    assert error_of(response)["code"] == code, response.text


# -- a sale from start to end -----------------------------------------------------------------------------
def test_an_agent_sells_through_its_own_baskets(spx: Spektrix, http: httpx.Client) -> None:
    shop = spx.shop
    tix = agent_client(spx, http, commission=commission("percentage", basis_points=1000))
    first, second = tix.new_basket(), tix.new_basket()
    assert first != second

    basket = tix.ok("POST", f"/baskets/{first}/tickets", [seat(spx, "A-1"), seat(spx, "B-1", shop.child)])
    assert [(t["seat"]["id"], t["price"], t["commission"]) for t in basket["tickets"]] == [
        ("A-1", 30.0, 3.0),
        ("B-1", 15.0, 1.5),
    ]
    assert basket["commission"] == 4.5 and basket["endCustomer"] is None and basket["deliveryMethod"] is None
    best = {"instance": shop.event_key, "quantity": 2, "ticketType": shop.adult}
    assert len(tix.ok("POST", f"/baskets/{second}/tickets/best-available", best)["tickets"]) == 2
    tix.ok("POST", f"/baskets/{first}/merchandise", {"stockItem": shop.stock_item_id, "quantity": 2})
    tix.ok("POST", f"/baskets/{first}/donations", {"fund": shop.fund_id, "amount": 5})
    child = basket["tickets"][1]["id"]
    assert [t["seat"]["id"] for t in tix.ok("DELETE", f"/baskets/{first}/tickets?ticketIds={child}")["tickets"]] == [
        "A-1"
    ]
    listed = tix.ok("GET", "/baskets")
    assert [b["id"] for b in listed] == [second, first]

    buyer = {"firstName": "Ann", "lastName": "Smith", "address": "1 High Street", "reference": "TIX-42"}
    assert tix.ok("PUT", f"/baskets/{first}/end-customer", buyer)["endCustomer"] == buyer
    assert tix.ok("PUT", f"/baskets/{first}/delivery", {"method": "careOfAgent"})["deliveryMethod"] == "careOfAgent"

    confirmed = tix.call("POST", f"/baskets/{first}/confirm", headers={"Idempotency-Key": "sale-1"})
    assert confirmed.status_code == 200, confirmed.text
    order = confirmed.json()
    assert order["customer"]["id"] == tix.ok("GET", "/orders")[0]["customer"]["id"]
    assert [(t["seat"]["id"], t["commission"], len(t["barcode"])) for t in order["tickets"]] == [("A-1", 3.0, 16)]
    assert (order["commission"], order["total"], order["payment"]["method"]) == (3.0, 46.0, "agency")
    assert (order["endCustomer"], order["deliveryMethod"]) == (buyer, "careOfAgent")
    assert [m["quantity"] for m in order["merchandiseItems"]] == [2] and len(order["donations"]) == 1

    replayed = tix.call("POST", f"/baskets/{first}/confirm", headers={"Idempotency-Key": "sale-1"})
    assert replayed.json() == order and replayed.headers["idempotent-replayed"] == "true"
    assert_error(tix.call("POST", f"/baskets/{first}/confirm"), 400, "BASKET_ALREADY_CHECKED_OUT")
    assert_error(
        tix.call("POST", f"/baskets/{first}/confirm", headers={"Idempotency-Key": "sale-2"}),
        400,
        "BASKET_ALREADY_CHECKED_OUT",
    )
    assert [o["id"] for o in tix.ok("GET", "/orders")] == [order["id"]]
    assert tix.ok("GET", f"/orders/{order['id']}") == order
    assert [b["id"] for b in tix.ok("GET", "/baskets")] == [second]  # the confirmed one is gone
    info = object_infos(spx.db, shop.workspace, shop.event_key, ["A-1"])[0]
    assert (info.status, info.order_id) == (BOOKED, order["id"])
    report = audit(spx.db, workspace_id=shop.workspace.id)
    assert report.clean, report.problems


def test_orders_by_date_and_the_delivery_rules(spx: Spektrix, http: httpx.Client) -> None:
    tix = agent_client(spx, http)
    basket = tix.new_basket()
    tix.ok("POST", f"/baskets/{basket}/tickets", [seat(spx, "B-5")])
    assert_error(tix.call("POST", f"/baskets/{basket}/confirm"), 400, "DELIVERY_METHOD_REQUIRED")
    assert_error(tix.call("PUT", f"/baskets/{basket}/delivery", {"method": "post"}), 400, "INVALID_INPUT")
    agents.update_agent(spx.db, spx.shop.workspace, tix_id(spx, "tix4u"), delivery_methods=("collect",))
    assert_error(tix.call("PUT", f"/baskets/{basket}/delivery", {"method": "careOfAgent"}), 400, "NOT_ELIGIBLE")
    tix.ok("PUT", f"/baskets/{basket}/delivery", {"method": "collect"})
    order = tix.ok("POST", f"/baskets/{basket}/confirm")
    day = order["createdUtc"][:10]
    assert [o["id"] for o in tix.ok("GET", f"/orders?from={day}&to={day}")] == [order["id"]]
    assert tix.ok("GET", "/orders?from=2999-01-01") == []
    assert tix.ok("GET", "/orders?to=2000-01-01") == []


def tix_id(spx: Spektrix, login: str) -> str:
    return next(a.id for a in agents.list_agents(spx.db, spx.shop.workspace) if a.login == login)


def test_agents_sell_no_memberships_or_ticket_subscriptions(spx: Spektrix, http: httpx.Client) -> None:
    tix = agent_client(spx, http)
    basket = tix.new_basket()
    assert_error(tix.call("POST", f"/baskets/{basket}/membership-subscriptions", {"membership": "x"}), 404, "NOT_FOUND")
    assert_error(tix.call("POST", f"/baskets/{basket}/ticket-subscriptions", {"x": 1}), 404, "NOT_FOUND")


# -- who may call, and what it may see --------------------------------------------------------------------
AGENT_ROUTES = [
    ("POST", "/baskets"),
    ("GET", "/baskets"),
    ("GET", "/baskets/{b}"),
    ("POST", "/baskets/{b}/tickets"),
    ("POST", "/baskets/{b}/tickets/best-available"),
    ("DELETE", "/baskets/{b}/tickets?ticketIds=x"),
    ("POST", "/baskets/{b}/merchandise"),
    ("DELETE", "/baskets/{b}/merchandise?merchandiseItemIds=x"),
    ("POST", "/baskets/{b}/donations"),
    ("POST", "/baskets/{b}/clear"),
    ("PUT", "/baskets/{b}/end-customer"),
    ("PUT", "/baskets/{b}/delivery"),
    ("POST", "/baskets/{b}/confirm"),
    ("GET", "/orders"),
    ("GET", "/orders/{o}"),
]


def valid_bodies(spx: Spektrix) -> dict[str, Any]:
    """A body each agent route would take, by its path after /baskets/{b}."""
    shop = spx.shop
    return {
        "/tickets": [seat(spx, "C-4")],
        "/tickets/best-available": {"instance": shop.event_key, "quantity": 1, "ticketType": shop.adult},
        "/merchandise": {"stockItem": shop.stock_item_id},
        "/donations": {"fund": shop.fund_id, "amount": 5},
        "/end-customer": {"lastName": "Smith"},
        "/delivery": {"method": "collect"},
    }


def test_agent_mode_is_for_agents_only(spx: Spektrix, http: httpx.Client) -> None:
    tix = agent_client(spx, http)
    basket = tix.new_basket()
    tix.ok("POST", f"/baskets/{basket}/tickets", [seat(spx, "C-1")])
    user = AgentClient(spx, "backoffice", spx.api_user("backoffice"), http)
    forged = AgentClient(spx, "tix4u", user.key, http)  # the agent's login, another key
    for method, template in AGENT_ROUTES:
        path = template.format(b=basket, o="any")
        assert_error(http.request(method, f"{spx.base}{path}"), 401, "UNAUTHORIZED")
        assert_error(user.call(method, path, {}), 403, "FORBIDDEN")
        refused = forged.call(method, path, {})
        assert_error(refused, 401, "UNAUTHORIZED")
        assert refused.headers["www-authenticate"] == "SpektrixAPI3"
    assert_error(http.get(f"{spx.url}/no-such-client/api/v3/baskets"), 404, "CLIENT_NOT_FOUND")
    agents.update_agent(spx.db, spx.shop.workspace, tix_id(spx, "tix4u"), active=False)
    assert_error(tix.call("GET", "/baskets"), 401, "UNAUTHORIZED")
    assert [t.label for t in object_infos(spx.db, spx.shop.workspace, spx.shop.event_key, ["C-1"])] == ["C-1"]


def test_back_office_calls_refuse_an_agent(spx: Spektrix, http: httpx.Client) -> None:
    tix = agent_client(spx, http)
    assert_error(tix.call("PUT", "/basket/customer", {"id": tix_id(spx, "tix4u")}), 403, "FORBIDDEN")
    checkout = {"payment": {"method": "payLater"}, "customer": {"firstName": "A", "lastName": "B"}}
    assert_error(tix.call("POST", "/basket/checkout", checkout), 403, "FORBIDDEN")


def test_another_agents_baskets_and_orders_and_web_baskets_are_not_found(spx: Spektrix, http: httpx.Client) -> None:
    tix = agent_client(spx, http)
    rival = agent_client(spx, http, "rival")
    theirs = rival.new_basket()
    rival.ok("POST", f"/baskets/{theirs}/tickets", [seat(spx, "C-2")])
    rival.ok("PUT", f"/baskets/{theirs}/delivery", {"method": "collect"})
    sold_basket = rival.new_basket()
    rival.ok("POST", f"/baskets/{sold_basket}/tickets", [seat(spx, "C-3")])
    rival.ok("PUT", f"/baskets/{sold_basket}/delivery", {"method": "collect"})
    their_order = rival.ok("POST", f"/baskets/{sold_basket}/confirm")
    with spx.client() as browser:
        web = browser.get("/basket").json()["id"]
    for basket in (theirs, sold_basket, web, "no-such-basket"):
        for method, template in AGENT_ROUTES:
            if "{b}" not in template:
                continue
            body = valid_bodies(spx).get(template.split("?")[0].removeprefix("/baskets/{b}"))
            assert_error(tix.call(method, template.format(b=basket), body), 404, "BASKET_NOT_FOUND")
    for order in (their_order["id"], "no-such-order"):
        assert_error(tix.call("GET", f"/orders/{order}"), 404, "ORDER_NOT_FOUND")
    assert tix.ok("GET", "/baskets") == [] and tix.ok("GET", "/orders") == []
    assert [t["seat"]["id"] for t in rival.ok("GET", f"/baskets/{theirs}")["tickets"]] == ["C-2"]  # untouched


def test_idempotency_keys_are_each_agents_own(spx: Spektrix, http: httpx.Client) -> None:
    tix = agent_client(spx, http)
    rival = agent_client(spx, http, "rival")
    mine = tix.call("POST", "/baskets", headers={"Idempotency-Key": "k"})
    theirs = rival.call("POST", "/baskets", headers={"Idempotency-Key": "k"})
    assert mine.status_code == theirs.status_code == 201
    assert mine.json()["id"] != theirs.json()["id"] and "idempotent-replayed" not in theirs.headers
    again = tix.call("POST", "/baskets", headers={"Idempotency-Key": "k"})
    assert again.json()["id"] == mine.json()["id"] and again.headers["idempotent-replayed"] == "true"
    # the same key confirming each agent's own basket: two orders, no "key reused"
    orders = []
    for client, label in ((tix, "C-5"), (rival, "C-6")):
        basket = client.new_basket()
        client.ok("POST", f"/baskets/{basket}/tickets", [seat(spx, label)])
        client.ok("PUT", f"/baskets/{basket}/delivery", {"method": "collect"})
        orders.append(client.ok("POST", f"/baskets/{basket}/confirm", headers={"Idempotency-Key": "same"}))
    assert orders[0]["id"] != orders[1]["id"]


# -- availability as the agent sees it --------------------------------------------------------------------
def _status(client: AgentClient | None, spx: Spektrix, detail: bool = False) -> Any:
    path = f"/instances/{spx.shop.event_key}/status" + ("/detail" if detail else "")
    if client is None:
        return httpx.get(f"{spx.base}{path}", timeout=20).json()
    return client.ok("GET", path)


def test_the_instance_status_is_what_the_agent_may_sell(spx: Spektrix, http: httpx.Client) -> None:
    tix = agent_client(spx, http)
    boxed = agent_client(spx, http, "boxed", restricted=True)
    lock(spx, "tix4u", ["A-1", "A-2"])
    lock(spx, "boxed", ["A-3"])

    anonymous, open_agent, restricted = _status(None, spx), _status(tix, spx), _status(boxed, spx)
    assert (anonymous["available"], anonymous["locked"]) == (open_agent["available"] - 2, 3)
    assert (open_agent["locked"], open_agent["unavailable"]) == (1, anonymous["unavailable"])
    assert (restricted["available"], restricted["locked"]) == (1, 2)
    assert restricted["unavailable"] == anonymous["unavailable"] + anonymous["available"]

    seats = {s["id"]: s for s in _status(tix, spx, detail=True)["seats"]}
    assert [seats[x]["status"] for x in ("A-1", "A-3", "B-1")] == ["A", "U", "A"]
    assert seats["A-1"]["lock"] == {"id": f"agent-{tix_id(spx, 'tix4u')}"} and seats["A-3"]["lock"] is None
    assert "holdToken" not in seats["A-1"] and "orderId" not in seats["A-1"]  # nothing about other buyers
    boxed_seats = {s["id"]: s["status"] for s in _status(boxed, spx, detail=True)["seats"]}
    assert [boxed_seats[x] for x in ("A-1", "A-3", "B-1")] == ["U", "A", "U"]
    anonymous_seats = {s["id"]: s["status"] for s in _status(None, spx, detail=True)["seats"]}
    assert [anonymous_seats[x] for x in ("A-1", "A-3", "B-1")] == ["U", "U", "A"]

    # and it can sell exactly that
    basket = boxed.new_basket()
    assert_error(boxed.call("POST", f"/baskets/{basket}/tickets", [seat(spx, "B-1")]), 400, "CONFLICT")
    assert_error(boxed.call("POST", f"/baskets/{basket}/tickets", [seat(spx, "A-1")]), 400, "CONFLICT")
    boxed.ok("POST", f"/baskets/{basket}/tickets", [seat(spx, "A-3")])
    best = {"instance": spx.shop.event_key, "quantity": 1, "ticketType": spx.shop.adult}
    assert_error(
        boxed.call("POST", f"/baskets/{basket}/tickets/best-available", best), 400, "BEST_AVAILABLE_OBJECTS_NOT_FOUND"
    )


def test_an_agent_sells_its_share_of_an_unreserved_area(spx: Spektrix, http: httpx.Client) -> None:
    boxed = agent_client(spx, http, "boxed", restricted=True)
    share = f"GA##{lock(spx, 'boxed', [], (('GA', 3),))}"
    chart = http.get(f"/instances/{spx.shop.event_key}").json()["planId"]
    place = {"instance": spx.shop.event_key, "planId": f"{chart}:{share}", "ticketType": spx.shop.child}
    assert (_status(boxed, spx)["available"], _status(None, spx)["locked"]) == (3, 3)

    basket = boxed.new_basket()
    tickets = boxed.ok("POST", f"/baskets/{basket}/tickets", [place, place, place])["tickets"]
    assert {(t["planId"], t["area"]["id"], t["seat"]) for t in tickets} == {(f"{chart}:{share}",) * 2 + (None,)}
    assert_error(boxed.call("POST", f"/baskets/{basket}/tickets", [place]), 400, "CONFLICT")  # the share is sold
    general = {**place, "planId": f"{chart}:GA"}
    assert_error(boxed.call("POST", f"/baskets/{basket}/tickets", [general]), 400, "CONFLICT")  # restricted
    with spx.client() as browser:
        browser.post("/basket/tickets", json=general).raise_for_status()
        assert browser.post("/basket/tickets", json=place).status_code == 400  # nobody else's to take
    boxed.ok("PUT", f"/baskets/{basket}/delivery", {"method": "collect"})
    order = boxed.ok("POST", f"/baskets/{basket}/confirm")
    assert [t["area"]["id"] for t in order["tickets"]] == [f"{chart}:{share}"] * 3
    assert _status(boxed, spx)["available"] == 0


# -- hostile input ----------------------------------------------------------------------------------------
def test_bad_input_is_a_4xx_in_the_dialects_shape(spx: Spektrix, http: httpx.Client) -> None:
    tix = agent_client(spx, http)
    basket = tix.new_basket()
    b = f"/baskets/{basket}"
    cases: list[tuple[str, str, Any, int, str]] = [
        ("PUT", f"{b}/end-customer", {"firstName": "A", "email": "a@b"}, 400, "INVALID_INPUT"),
        ("PUT", f"{b}/end-customer", {"lastName": "x" * 10_000}, 400, "INVALID_INPUT"),
        ("PUT", f"{b}/end-customer", {"lastName": 12}, 400, "INVALID_INPUT"),
        ("PUT", f"{b}/end-customer", {"lastName": ["a"]}, 400, "INVALID_INPUT"),
        ("PUT", f"{b}/end-customer", {"lastName": "a\x00b"}, 400, "INVALID_CHARACTER"),
        ("PUT", f"{b}/end-customer", ["a"], 400, "VALIDATION_ERROR"),
        ("PUT", f"{b}/delivery", {"method": 1}, 400, "VALIDATION_ERROR"),
        ("PUT", f"{b}/delivery", {"method": "collect\x00"}, 400, "INVALID_CHARACTER"),
        ("PUT", f"{b}/delivery", {}, 400, "VALIDATION_ERROR"),
        ("POST", f"{b}/tickets", {"instance": "x" * 5000, "seat": "A-1", "ticketType": "t"}, 404, "EVENT_NOT_FOUND"),
        ("POST", f"{b}/tickets", {"instance": 1.5, "seat": None}, 400, "VALIDATION_ERROR"),
        ("POST", f"{b}/tickets", [seat(spx, "Z-99")], 404, "OBJECT_NOT_FOUND"),
        ("POST", f"{b}/tickets", [], 400, "VALIDATION_ERROR"),
        ("POST", f"{b}/tickets/best-available", {"instance": spx.shop.event_key, "quantity": 10**30}, 400, ""),
        ("POST", f"{b}/merchandise", {"stockItem": spx.shop.stock_item_id, "quantity": "lots"}, 400, ""),
        ("POST", f"{b}/donations", {"fund": spx.shop.fund_id, "amount": "1e999"}, 400, ""),
        ("DELETE", f"{b}/tickets", None, 400, "VALIDATION_ERROR"),
        ("GET", "/orders?from=yesterday", None, 400, "VALIDATION_ERROR"),
        ("GET", "/orders?from=0001-01-01T00:00:00%2B05:00", None, 400, "VALIDATION_ERROR"),
        ("GET", "/orders?to=9999-12-31T23:00:00-05:00", None, 400, "VALIDATION_ERROR"),
        ("GET", "/orders?limit=0", None, 400, "VALIDATION_ERROR"),
        ("GET", "/orders?limit=nine", None, 400, "VALIDATION_ERROR"),
        ("GET", f"/baskets/{'x' * 5000}", None, 404, "BASKET_NOT_FOUND"),
        ("GET", "/baskets/a%00b", None, 400, "INVALID_CHARACTER"),
        ("GET", "/orders/a%00b", None, 400, "INVALID_CHARACTER"),
    ]
    for method, path, body, status, code in cases:
        response = tix.call(method, path, body)
        assert response.status_code == status, (method, path, response.text)
        if code:
            assert error_of(response)["code"].endswith(code), (method, path, response.text)
        else:
            error_of(response)
    assert_error(tix.call("PUT", f"{b}/end-customer", raw=b"{not json"), 400, "INVALID_JSON")
    assert tix.ok("GET", b)["tickets"] == [] and tix.ok("GET", b)["endCustomer"] is None  # nothing changed
    assert tix.ok("GET", "/orders?to=9999-12-31") == []


class SignAs(requests.auth.AuthBase):
    """Signs each request the fuzzer sends as an agent."""

    def __init__(self, login: str, key: str) -> None:
        self.login, self.key = login, key

    def __call__(self, r: requests.PreparedRequest) -> requests.PreparedRequest:
        body = r.body.encode() if isinstance(r.body, str) else r.body if isinstance(r.body, bytes) else b""
        r.headers.update(signed(r.method or "GET", r.url or "", self.login, self.key, body))
        return r


def test_schema_driven_fuzz_signed_as_an_agent(spx: Spektrix, http: httpx.Client) -> None:
    tix = agent_client(spx, http)
    basket = tix.new_basket()
    added = tix.ok("POST", f"/baskets/{basket}/tickets", [seat(spx, "B-1")])
    session = requests.Session()
    session.auth = SignAs(tix.login, tix.key)
    assert session.get(f"{spx.base}/baskets/{basket}", timeout=30).status_code == 200  # the fuzzer is signed in
    known = {
        "basket_id": basket,
        "instance_id": spx.shop.event_key,
        "event_id": spx.shop.production_id,
        "ticket_id": added["tickets"][0]["id"],
        "order_id": "no-such-order",
    }
    operations, failures = fuzz_document(f"{spx.base}/openapi.json", spx.base, session, known=known)
    assert operations >= 45
    assert not failures, "\n\n".join(failures)
    report = audit(spx.db, workspace_id=spx.shop.workspace.id)
    assert report.clean, report.problems


def test_openapi_documents_agent_mode(spx: Spektrix, http: httpx.Client) -> None:
    doc = http.get("/openapi.json").json()
    paths = doc["paths"]
    for method, template in AGENT_ROUTES:
        path = template.split("?")[0].replace("{b}", "{basket_id}").replace("{o}", "{order_id}")
        operation = paths[path][method.lower()]
        assert {"401", "403", "404"} <= set(operation["responses"]), (method, path)
        assert operation["tags"] == ["agency"]
    assert "403" in paths["/basket/checkout"]["post"]["responses"]
    schema = paths["/baskets/{basket_id}/end-customer"]["put"]["requestBody"]["content"]["application/json"]
    assert set(schema["schema"]["properties"]) == {"firstName", "lastName", "address", "reference"}
