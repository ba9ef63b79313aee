"""Agents' invoices and the agent sales report through the admin API (real HTTP), as JSON and CSV."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import httpx

from boxoffice.services import orders
from boxoffice.services.clock import utcnow
from tests.api.admin.conftest import Admin, error_of, sell
from tests.factories import ShopFixture, commission, make_agent
from tests.services.agent_orders import another_performance, sell_as_agent

TODAY = utcnow().date()
PERIOD = {"from": (TODAY - timedelta(days=1)).isoformat(), "to": (TODAY + timedelta(days=2)).isoformat()}  # now


def rows_of(response: httpx.Response) -> list[list[str]]:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["content-disposition"].startswith("attachment; filename=")
    return list(csv.reader(io.StringIO(response.text)))


def test_an_agents_invoice_as_json_and_csv(admin: Admin, shop: ShopFixture) -> None:
    agent = make_agent(admin.db, admin.workspace, commission=commission("percentage", basis_points=1250)).agent
    buyer = {"firstName": "Ann", "lastName": '=HYPERLINK("http://x")', "reference": "T-1"}
    sold = sell_as_agent(
        admin.db, shop, agent.id, [("A-1", shop.adult), ("B-1", shop.adult)], end_customer=buyer, merchandise=1
    )
    orders.return_tickets(admin.db, shop.workspace, sold.id, [sold.tickets[1].id])
    cancelled = sell_as_agent(admin.db, shop, agent.id, [("B-2", shop.adult)])
    orders.cancel_order(admin.db, shop.workspace, cancelled.id)

    response = admin.client.get(f"/agents/{agent.id}/invoice", params=PERIOD)

    assert response.status_code == 200, response.text
    invoice = response.json()
    assert invoice["agent"] == {"id": agent.id, "login": "tix4u", "name": "Tix4u Agency"}
    assert invoice["from"] == f"{PERIOD['from']}T00:00:00Z" and invoice["to"] and invoice["drawnAt"]
    (line,) = invoice["lines"]
    assert line == {
        **line,
        "orderId": sold.id,
        "reference": sold.reference,
        "channel": "agent",
        "status": "confirmed",
        "currency": "GBP",
        "endCustomer": buyer,
        "endCustomerName": f"Ann {buyer['lastName']}",
        "endCustomerReference": "T-1",
        "tickets": 1,
        "returnedTickets": 1,
        "ticketPrices": 3000,
        "fees": 100,
        "items": 500,
        "gross": 3600,
        "commission": 375,
        "net": 3225,
    }
    assert [p["eventKey"] for p in line["performances"]] == [shop.event_key]
    assert line["performances"][0]["productionName"] == "Hamlet"
    assert invoice["totals"] == [
        {
            "currency": "GBP",
            "orders": 1,
            "tickets": 1,
            "returnedTickets": 1,
            "ticketPrices": 3000,
            "fees": 100,
            "items": 500,
            "gross": 3600,
            "commission": 375,
            "net": 3225,
        }
    ]

    table = rows_of(admin.client.get(f"/agents/{agent.id}/invoice", params={**PERIOD, "format": "csv"}))
    assert table[0][:3] == ["reference", "date", "channel"] and table[0][-3:] == ["gross", "commission", "net"]
    assert table[1][0] == sold.reference and table[1][3] == 'Ann =HYPERLINK("http://x")'
    assert table[1][-6:] == ["3000", "100", "500", "3600", "375", "3225"]
    assert table[2][0] == "TOTAL" and table[2][6] == "GBP" and table[2][-1] == "3225"
    assert len(table) == 3


def test_csv_cells_that_could_be_formulas_are_defused(admin: Admin, shop: ShopFixture) -> None:
    agent = make_agent(admin.db, admin.workspace).agent
    sell_as_agent(admin.db, shop, agent.id, [("A-1", shop.adult)], end_customer={"reference": "=1+1"})
    table = rows_of(admin.client.get(f"/agents/{agent.id}/invoice", params={**PERIOD, "format": "csv"}))
    assert table[1][4] == "'=1+1"


def test_an_agent_without_sales_in_the_period_gets_an_empty_invoice(admin: Admin, shop: ShopFixture) -> None:
    agent = make_agent(admin.db, admin.workspace).agent
    sell_as_agent(admin.db, shop, agent.id, [("A-1", shop.adult)])
    before = {"from": "2020-01-01", "to": "2020-02-01T00:00:00Z"}
    invoice = admin.client.get(f"/agents/{agent.id}/invoice", params=before).json()
    assert invoice["lines"] == [] and [t["currency"] for t in invoice["totals"]] == ["GBP"]
    assert {k: v for k, v in invoice["totals"][0].items() if k != "currency"} == dict.fromkeys(
        ["orders", "tickets", "returnedTickets", "ticketPrices", "fees", "items", "gross", "commission", "net"], 0
    )
    assert invoice["from"] == "2020-01-01T00:00:00Z" and invoice["to"] == "2020-02-01T00:00:00Z"


def test_bad_input_is_the_admin_error_shape(admin: Admin, shop: ShopFixture) -> None:
    agent = make_agent(admin.db, admin.workspace).agent
    url = f"/agents/{agent.id}/invoice"
    assert error_of(admin.client.get("/agents/nope/invoice", params=PERIOD), 404)["code"] == "AGENT_NOT_FOUND"
    customer_id = sell(admin.db, shop, ["A-1"]).customer_id
    assert error_of(admin.client.get(f"/agents/{customer_id}/invoice", params=PERIOD), 404)["code"] == (
        "AGENT_NOT_FOUND"
    )
    for params in ({**PERIOD, "from": "yesterday"}, {**PERIOD, "to": "2031-02-30"}, {"to": PERIOD["to"]}):
        error = error_of(admin.client.get(url, params=params), 422)
        assert error["code"] == "VALIDATION_ERROR", params
    bad = error_of(admin.client.get(url, params={**PERIOD, "from": "x"}), 422)
    assert bad["details"] == [{"field": "from", "message": bad["message"], "code": "datetime_parsing"}]
    assert error_of(admin.client.get(url, params={**PERIOD, "format": "xml"}), 422)["code"] == "VALIDATION_ERROR"
    backwards = {"from": PERIOD["to"], "to": PERIOD["from"]}
    assert error_of(admin.client.get(url, params=backwards), 400)["code"] == "INVALID_INPUT"
    assert error_of(httpx.get(f"{admin.base_url}{url}", params=PERIOD), 401)["code"] == "UNAUTHORIZED"
    report = "/reports/agent-sales"
    assert error_of(admin.client.get(report, params={"eventKey": "nope"}), 404)["code"] == "EVENT_NOT_FOUND"
    assert error_of(admin.client.get(report, params={"agentId": "nope"}), 404)["code"] == "AGENT_NOT_FOUND"
    assert error_of(admin.client.get(report, params={"from": "2031-01-01T25:00"}), 422)["code"] == "VALIDATION_ERROR"
    assert error_of(admin.client.get(report, params=backwards), 400)["code"] == "INVALID_INPUT"


def test_the_agent_sales_report_as_json_and_csv(admin: Admin, shop: ShopFixture) -> None:
    later = another_performance(admin.db, shop, key="later")
    tix = make_agent(admin.db, admin.workspace, commission=commission("fixed", fixed_amount=100)).agent
    rival = make_agent(admin.db, admin.workspace, login="rival").agent
    sell_as_agent(admin.db, shop, tix.id, [("A-1", shop.adult), ("B-1", shop.child)])
    sell_as_agent(admin.db, shop, tix.id, [("B-1", shop.adult)], event_key=later)
    returned = sell_as_agent(admin.db, shop, rival.id, [("B-2", shop.adult)])
    orders.cancel_order(admin.db, shop.workspace, returned.id)

    report = admin.client.get("/reports/agent-sales", params=PERIOD).json()

    assert [(r["agent"]["login"], r["performance"]["eventKey"], r["currency"]) for r in report["rows"]] == [
        ("rival", shop.event_key, "GBP"),
        ("tix4u", shop.event_key, "GBP"),
        ("tix4u", later, "GBP"),
    ]
    rival_row, tix_row, _ = report["rows"]
    assert (rival_row["tickets"], rival_row["returnedTickets"], rival_row["gross"]) == (0, 1, 0)
    assert {k: tix_row[k] for k in ("tickets", "ticketPrices", "fees", "gross", "commission", "net")} == {
        "tickets": 2,
        "ticketPrices": 4500,
        "fees": 200,
        "gross": 4700,
        "commission": 200,
        "net": 4500,
    }
    assert [(c["ticketType"], c["band"], c["tickets"]) for c in tix_row["byTicketType"]] == [
        ("Adult", "2", 1),
        ("Child", "1", 1),
    ]
    assert [(a["agent"]["login"], [t["net"] for t in a["totals"]]) for a in report["agents"]] == [
        ("rival", [0]),
        ("tix4u", [4500 + 2500]),
    ]
    assert [(t["currency"], t["tickets"], t["returnedTickets"], t["net"]) for t in report["totals"]] == [
        ("GBP", 3, 1, 7000)
    ]
    assert report["eventKey"] is None and report["agentId"] is None

    only = admin.client.get("/reports/agent-sales", params={"eventKey": later, "productionId": shop.production_id})
    assert [r["performance"]["eventKey"] for r in only.json()["rows"]] == [later]
    assert only.json()["from"] is None and only.json()["eventKey"] == later

    table = rows_of(admin.client.get("/reports/agent-sales", params={**PERIOD, "format": "csv"}))
    assert table[0][:4] == ["agentId", "agentLogin", "agentName", "eventKey"] and table[0][-1] == "net"
    assert [(line[1], line[3], line[7], line[8]) for line in table[1:-1]] == [
        ("rival", shop.event_key, "Adult", "1"),
        ("tix4u", shop.event_key, "Adult", "2"),
        ("tix4u", shop.event_key, "Child", "1"),
        ("tix4u", later, "Adult", "1"),
    ]
    assert table[-1][0] == "TOTAL" and table[-1][6] == "GBP" and table[-1][-1] == "7000"


def test_the_openapi_document_describes_both_reports(admin: Admin) -> None:
    document = httpx.get(f"{admin.base_url}/openapi.json").json()
    invoice = document["paths"]["/agents/{agentId}/invoice"]["get"]
    report = document["paths"]["/reports/agent-sales"]["get"]
    for operation in (invoice, report):
        assert set(operation["responses"]["200"]["content"]) == {"application/json", "text/csv"}
        names = {p["name"] for p in operation["parameters"]}
        assert {"from", "to", "format"} <= names
    required = {p["name"] for p in invoice["parameters"] if p.get("required")}
    assert required == {"agentId", "from", "to"}
    assert {"eventKey", "productionId", "agentId"} <= {p["name"] for p in report["parameters"]}
