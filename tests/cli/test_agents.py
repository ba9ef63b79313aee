"""`boxoffice agents list | invoice | sales` on an SQLite file, with sales made through the services."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from boxoffice.cli.main import app
from boxoffice.services import orders
from boxoffice.services.workspaces import create_company
from boxoffice.storage.uow import Database
from tests.factories import ShopFixture, commission, make_agent, make_shop
from tests.services.agent_orders import sell_as_agent

runner = CliRunner()


@dataclass(frozen=True)
class Venue:
    db: Database
    shop: ShopFixture
    secret_key: str


@pytest.fixture
def venue(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Venue]:
    monkeypatch.chdir(tmp_path)
    url = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    monkeypatch.setenv("BOXOFFICE_DATABASE_URL", url)
    monkeypatch.delenv("BOXOFFICE_SECRET_KEY", raising=False)
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    db = Database.from_url(url)
    created = create_company(db, "CLI venue", is_test=True)
    yield Venue(db, make_shop(db, created.workspace), created.workspace_secret_key)
    db.dispose()


def run(venue: Venue, *args: str, code: int = 0) -> str:
    result = runner.invoke(app, [*args, "--secret-key", venue.secret_key])
    assert result.exit_code == code, result.output
    return result.output


def test_an_agents_invoice_is_a_table_with_totals(venue: Venue) -> None:
    shop = venue.shop
    agent = make_agent(venue.db, shop.workspace, commission=commission("percentage", basis_points=1250)).agent
    buyer = {"firstName": "Ann", "lastName": "Smith", "reference": "T-1"}
    first = sell_as_agent(venue.db, shop, agent.id, [("A-1", shop.adult), ("B-1", shop.adult)], end_customer=buyer)
    second = sell_as_agent(venue.db, shop, agent.id, [("B-2", shop.child)], merchandise=1)
    cancelled = sell_as_agent(venue.db, shop, agent.id, [("B-3", shop.child)])
    orders.cancel_order(venue.db, shop.workspace, cancelled.id)

    assert agent.id in run(venue, "agents", "list") and "tix4u" in run(venue, "agents", "list")
    out = run(venue, "agents", "invoice", agent.id, "--from", "2020-01-01", "--to", "2100-01-01")

    assert f"Invoice: Tix4u Agency ({agent.id})" in out
    assert "2020-01-01T00:00:00+00:00" in out and "minor units" in out
    first_line = next(line for line in out.splitlines() if first.reference in line)
    # 3000 + 2500 + fees 200 = 5700 gross; 375 + 313 commission; 5012 net
    assert re.search(r"Ann Smith\s*│\s*T-1\s*│\s*" + re.escape(shop.event_key), first_line), first_line
    assert re.search(r"│\s*GBP\s*│\s*2\s*│\s*0\s*│\s*0\s*│\s*5700\s*│\s*688\s*│\s*5012\s*│", first_line), first_line
    second_line = next(line for line in out.splitlines() if second.reference in line)
    assert re.search(r"│\s*1\s*│\s*0\s*│\s*500\s*│\s*2100\s*│\s*188\s*│\s*1912\s*│", second_line), second_line
    assert cancelled.reference not in out
    total = next(line for line in out.splitlines() if "TOTAL" in line)
    assert "(2 orders)" in total and re.search(r"7800\s*│\s*876\s*│\s*6924", total), total


def test_an_agent_without_sales_and_bad_input(venue: Venue) -> None:
    agent = make_agent(venue.db, venue.shop.workspace).agent
    out = run(venue, "agents", "invoice", agent.id, "--from", "2020-01-01", "--to", "2020-02-01T12:00+01:00")
    total = next(line for line in out.splitlines() if "TOTAL" in line)
    assert "(0 orders)" in total and re.search(r"GBP\s*│\s*0\s*│\s*0\s*│\s*0\s*│\s*0\s*│\s*0\s*│\s*0", total)
    assert "2020-02-01T11:00:00+00:00" in out

    for args, message in [
        (["nope", "--from", "2020-01-01", "--to", "2020-02-01"], "Agent not found: nope"),
        ([agent.id, "--from", "soon", "--to", "2020-02-01"], "--from: not an ISO 8601 date"),
        ([agent.id, "--from", "2020-03-01", "--to", "2020-02-01"], "is after its 'to'"),
    ]:
        assert message in run(venue, "agents", "invoice", *args, code=1)
    assert "Missing option '--to'" in run(venue, "agents", "invoice", agent.id, "--from", "2020-01-01", code=2)


def test_the_agent_sales_report(venue: Venue) -> None:
    shop = venue.shop
    agent = make_agent(venue.db, shop.workspace, commission=commission("fixed", fixed_amount=100)).agent
    assert "no agent sales" in run(venue, "agents", "sales")
    sold = sell_as_agent(venue.db, shop, agent.id, [("A-1", shop.adult), ("B-1", shop.adult)])
    orders.return_tickets(venue.db, shop.workspace, sold.id, [sold.tickets[0].id])

    out = run(venue, "agents", "sales", "--event", shop.event_key)

    line = next(line for line in out.splitlines() if "tix4u" in line)
    assert shop.event_key in line and "Hamlet" in line
    assert re.search(r"GBP\s*│\s*1\s*│\s*1\s*│\s*2600\s*│\s*100\s*│\s*2500\s*│", line), line
    assert re.search(r"TOTAL.*2600\s*│\s*100\s*│\s*2500", out)
    assert "Event not found: nope" in run(venue, "agents", "sales", "--event", "nope", code=1)
