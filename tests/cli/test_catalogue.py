"""The catalogue, customer and order commands, on the demo workspace."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from boxoffice.cli.main import app
from boxoffice.demo import DemoKeys
from boxoffice.services import baskets
from boxoffice.services.baskets import TicketRequest
from boxoffice.services.checkout import CheckoutRequest, checkout
from boxoffice.services.customers import CustomerDetails
from boxoffice.services.payments import PaymentRequest
from boxoffice.services.workspaces import authenticate
from boxoffice.storage.uow import Database
from tests.cli.conftest import new_id, ok, runner


def test_the_demo_is_a_priced_production(demo: DemoKeys) -> None:
    assert demo.production_id and set(demo.ticket_type_ids) == {"Adult", "Concession", "Child"}
    assert demo.fund_id and len(demo.stock_item_ids) == 2 and demo.membership_id and demo.subscription_id
    performances = ok("performance", "list", "--production", demo.production_id)
    assert all(key in performances for key in demo.event_keys)
    prices = ok("prices", "show", demo.event_keys[0])
    assert "Concession" in prices and "standing" in prices and "Booking fee 150" in prices
    assert "Programme" in ok("stock", "list")


def test_catalogue_commands(demo: DemoKeys) -> None:
    production = new_id("production", "create", "Hamlet", "--duration", "180")
    assert "Hamlet" in ok("production", "list")
    out = ok(
        "performance", "create", production, "--chart", demo.chart_key, "--start", "2031-05-01T19:30+01:00",
        "--key", "hamlet-1", "--web-from", "2031-01-01T10:00Z",
    )  # fmt: skip
    assert "created performance hamlet-1" in out
    listed = ok("performance", "list", "--from", "2031-05-01T00:00Z", "--to", "2031-05-02T00:00Z")
    assert "hamlet-1" in listed and demo.event_keys[0] not in listed
    senior = new_id("ticket-type", "create", "Senior")
    assert "Senior" in ok("ticket-type", "list")
    out = ok(
        "prices", "set", "hamlet-1", "--price", "adult:1:2000", "--price", f"{senior}:2:1000",
        "--fee", "Booking fee:100", "--fee", "Senior fee:25:Senior",
    )  # fmt: skip
    assert "2 prices, 2 fees (GBP)" in out
    prices = ok("prices", "show", "hamlet-1")
    assert re.search(r"Adult\s+1\s+2000", prices) and re.search(r"Senior\s+2\s+1000", prices)
    assert "Senior fee 25 (Senior)" in prices

    assert "created fund" in ok("fund", "create", "Restoration", "--minimum", "500")
    mug = new_id("stock", "create", "Mug", "--price", "800", "--level", "12")
    assert "3 in stock" in ok("stock", "set", mug, "3")
    assert re.search(r"Mug\s+800\s+GBP\s+3", ok("stock", "list"))
    assert "created membership" in ok("membership", "create", "Patron", "--price", "25000", "--no-auto-renew")
    assert "created ticket subscription" in ok(
        "subscription", "create", "Tragedies", "--price", "9000", "--production", production
    )
    assert "created order attribute" in ok("attribute", "create", "Gift message", "--applies-to", "order", "--hidden")
    assert "performance hamlet-1" in ok("performance", "cancel", "hamlet-1")


def test_customer_and_order_commands(demo: DemoKeys) -> None:
    customer = new_id("customer", "create", "--first-name", "Ann", "--email", "ann@example.org")
    assert customer in ok("customer", "list", "--email", "ann@example.org")
    assert "(none)" in ok("customer", "list", "--email", "zed@example.org")

    db = Database.from_url(f"sqlite:///{Path.cwd() / 'cli.sqlite3'}")
    workspace = authenticate(db, demo.workspace_secret_key).workspace
    basket = baskets.open_basket(db, workspace, channel="box_office")
    adult = demo.ticket_type_ids["Adult"]
    baskets.add_tickets(db, workspace, basket.id, [TicketRequest(demo.event_keys[0], "Stalls Centre-A-1", adult)])
    order = checkout(
        db,
        workspace,
        CheckoutRequest(basket.id, PaymentRequest("pay_later"), CustomerDetails("Bob", "", "bob@example.org")),
    )
    db.dispose()

    assert order.id in ok("order", "search", "--event", demo.event_keys[0])
    assert order.id in ok("order", "search", "--channel", "box_office", "--reference", order.reference)
    assert "(none)" in ok("order", "search", "--customer", customer)
    shown = ok("order", "show", order.id)
    assert order.reference in shown and "Stalls Centre-A-1" in shown and order.tickets[0].barcode in shown
    assert f"cancelled order {order.id}" in ok("order", "cancel", order.id, "--reason", "test", "--no-refund")
    again = runner.invoke(app, ["order", "cancel", order.id])
    assert again.exit_code == 1 and "already cancelled" in again.output
    assert "clean" in ok("audit")


BAD_INPUT = (
    (["performance", "create", "x", "--chart", "demo-theatre", "--start", "2031-05-01T19:30"], "give a timezone"),
    (["performance", "create", "x", "--chart", "demo-theatre", "--start", "soon"], "not an ISO 8601"),
    (
        ["performance", "create", "nope", "--chart", "demo-theatre", "--start", "2031-05-01T19:30Z"],
        "Production not found",
    ),
    (["performance", "list", "--from", "2031-13-01T00:00Z"], "not an ISO 8601"),
    (["prices", "set", "DEMO", "--price", "Adult:1"], "expected TYPE:BAND:AMOUNT"),
    (["prices", "set", "DEMO", "--price", "Adult:1:12.50"], "not a whole number"),
    (["prices", "set", "DEMO", "--price", "Nobody:1:100"], "Unknown ticket type"),
    (["prices", "set", "DEMO", "--price", "Adult:99:100"], "Unknown price band"),
    (["prices", "set", "DEMO", "--price", "Adult:1:100", "--fee", "Fee"], "expected NAME:AMOUNT"),
    (["prices", "show", "nope"], "Performance not found"),
    (["ticket-type", "create", "Adult"], "already exists"),
    (["fund", "create", "F", "--currency", "pounds"], "Currency must be"),
    (["stock", "create", "Mug", "--price", "800", "--level", "-1"], "A stock level must be"),
    (["stock", "set", "STOCK", "--", "-1"], "A stock level must be"),
    (["stock", "set", "nope", "1"], "Stock item not found"),
    (["membership", "create", "M", "--price", "100", "--months", "0"], "at least one month"),
    (["subscription", "create", "S", "--price", "100", "--production", "nope"], "Production not found"),
    (["attribute", "create", "A", "--applies-to", "basket"], "'ticket' or 'order'"),
    (["customer", "create", "--email", "not-an-email"], "Not an email address"),
    (["order", "show", "nope"], "Order not found"),
    (["order", "cancel", "nope"], "Order not found"),
    (["customer", "list", "--secret-key", "wrong"], "Invalid secret key"),
)


def test_bad_input_is_one_line_and_exit_1(demo: DemoKeys) -> None:
    for given, expected in BAD_INPUT:
        args = [demo.event_keys[0] if a == "DEMO" else demo.stock_item_ids[0] if a == "STOCK" else a for a in given]
        result = runner.invoke(app, args)
        assert result.exit_code == 1, (args, result.output)
        assert expected in result.output and "Traceback" not in result.output, (args, result.output)
        assert len(result.output.strip().splitlines()) == 1, (args, result.output)


def test_the_secret_key_comes_from_the_environment(demo: DemoKeys, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BOXOFFICE_SECRET_KEY", "wrong")
    result = runner.invoke(app, ["production", "list"])
    assert result.exit_code == 1 and "Invalid secret key" in result.output
    monkeypatch.setenv("BOXOFFICE_SECRET_KEY", demo.workspace_secret_key)
    assert "The Demo Show" in ok("production", "list")


def test_without_a_workspace_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("BOXOFFICE_SECRET_KEY", raising=False)
    result = runner.invoke(app, ["production", "list"])
    assert result.exit_code == 1 and "boxoffice demo" in result.output
