"""Agents' invoices and the agent sales report: every figure from orders made the Agency API's way (agent
basket, checkout on account), returns and cancellations through services/orders.py."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from boxoffice.domain.agent_reports import CurrencyTotal, Figures, Invoice, Period
from boxoffice.domain.errors import CatalogueItemNotFound, EventNotFound, InvalidInput
from boxoffice.services import agents, catalogue, orders
from boxoffice.services.agent_reports import agent_invoice, agent_sales
from boxoffice.services.agents import AgentNotFound
from boxoffice.services.clock import utcnow
from boxoffice.services.customers import CustomerDetails, create_customer
from boxoffice.storage.uow import Database
from tests.factories import commission, make_agent, make_shop, make_workspace, recorded_queries
from tests.services.agent_orders import another_performance, sell_as_agent, sell_online

EVER = Period()


def totals_of(invoice: Invoice) -> dict[str, tuple[int | None, Figures]]:
    return {t.currency: (t.orders, t.figures) for t in invoice.totals}


def test_an_invoice_line_per_order_with_percentage_commission_rounded_half_up(db: Database) -> None:
    shop = make_shop(db)
    agent = make_agent(db, shop.workspace, commission=commission("percentage", basis_points=1250)).agent
    first = sell_as_agent(
        db,
        shop,
        agent.id,
        [("A-1", shop.adult), ("B-1", shop.adult), ("B-2", shop.child)],  # 3000, 2500, 1500
        end_customer={"firstName": "Ann", "lastName": "Smith", "reference": "T-1"},
    )
    second = sell_as_agent(db, shop, agent.id, [("B-3", shop.adult)], merchandise=2, donation=700)

    invoice = agent_invoice(db, shop.workspace, agent.id, EVER)

    assert invoice.agent.id == agent.id and invoice.agent.login == "tix4u"
    assert [line.reference for line in invoice.lines] == [first.reference, second.reference]
    one, two = invoice.lines
    # 12.5 %: 375 + 312.5 -> 313 + 187.5 -> 188 (each ticket rounded half up when sold)
    assert one.figures == Figures(tickets=3, prices=7000, fees=300, commission=876)
    assert (one.figures.gross, one.figures.net) == (7300, 6424)
    assert (one.end_customer_name, one.end_customer_reference) == ("Ann Smith", "T-1")
    assert (one.channel, one.status, one.currency, one.created_at) == ("agent", "confirmed", "GBP", first.created_at)
    assert [(p.event_key, p.production_id, p.production_name) for p in one.performances] == [
        (shop.event_key, shop.production_id, "Hamlet")
    ]
    assert two.figures == Figures(tickets=1, prices=2500, fees=100, items=1000 + 700, commission=313)
    assert (two.figures.gross, two.figures.net, two.end_customer_name) == (4300, 3987, "")
    assert totals_of(invoice) == {"GBP": (2, Figures(4, 0, 9500, 400, 1700, 1189))}
    assert invoice.totals[0].figures.net == 10411 == sum(line.figures.net for line in invoice.lines)


def test_matrix_commission_by_ticket_type_and_band(db: Database) -> None:
    shop = make_shop(db)
    matrix = {shop.adult: {"1": 200, "2": 350}, shop.child: {"2": 80}}  # no child price in band 1: none
    agent = make_agent(db, shop.workspace, commission=commission("matrix", matrix=matrix)).agent
    sell_as_agent(db, shop, agent.id, [("A-1", shop.adult), ("B-1", shop.adult), ("B-2", shop.child)])

    (line,) = agent_invoice(db, shop.workspace, agent.id, EVER).lines

    assert line.figures == Figures(tickets=3, prices=7000, fees=300, commission=350 + 200 + 0)
    assert line.figures.net == 7300 - 550


def test_returned_tickets_are_in_no_amount_and_cancelled_orders_have_no_line(db: Database) -> None:
    shop = make_shop(db)
    agent = make_agent(db, shop.workspace, commission=commission("fixed", fixed_amount=150)).agent
    partly = sell_as_agent(db, shop, agent.id, [("B-1", shop.adult), ("B-2", shop.adult), ("B-3", shop.adult)])
    orders.return_tickets(db, shop.workspace, partly.id, [partly.tickets[1].id])
    cancelled = sell_as_agent(db, shop, agent.id, [("C-1", shop.adult)])
    orders.cancel_order(db, shop.workspace, cancelled.id)
    all_returned = sell_as_agent(db, shop, agent.id, [("C-2", shop.adult), ("C-3", shop.child)])
    emptied = orders.return_tickets(db, shop.workspace, all_returned.id, [t.id for t in all_returned.tickets])
    assert emptied.status == "cancelled"
    programme_kept = sell_as_agent(db, shop, agent.id, [("C-4", shop.adult)], merchandise=1)
    orders.return_tickets(db, shop.workspace, programme_kept.id, [programme_kept.tickets[0].id])

    invoice = agent_invoice(db, shop.workspace, agent.id, EVER)

    assert [line.order_id for line in invoice.lines] == [partly.id, programme_kept.id]
    kept, programme = invoice.lines
    assert kept.figures == Figures(tickets=2, returned=1, prices=5000, fees=200, commission=300)
    assert programme.figures == Figures(tickets=0, returned=1, items=500)
    assert programme.performances == ()  # no valid ticket left
    assert totals_of(invoice) == {"GBP": (2, Figures(2, 2, 5000, 200, 500, 300))}
    assert invoice.totals[0].figures.net == 5400 == kept.figures.net + programme.figures.net


def test_totals_are_per_currency(db: Database) -> None:
    shop = make_shop(db)
    euro = another_performance(db, shop, currency="EUR")
    agent = make_agent(db, shop.workspace, commission=commission("percentage", basis_points=1000)).agent
    sell_as_agent(db, shop, agent.id, [("A-1", shop.adult)])
    assert agent.commission_structure_id is not None
    structure = agents.get_commission_structure(db, shop.workspace, agent.commission_structure_id)
    agents.replace_commission_structure(db, shop.workspace, structure.id, replace(structure, currency="EUR"))
    sell_as_agent(db, shop, agent.id, [("B-1", shop.adult)], event_key=euro)

    invoice = agent_invoice(db, shop.workspace, agent.id, EVER)

    assert [line.currency for line in invoice.lines] == ["GBP", "EUR"]
    assert totals_of(invoice) == {
        "EUR": (1, Figures(tickets=1, prices=2500, fees=100, commission=250)),
        "GBP": (1, Figures(tickets=1, prices=3000, fees=100, commission=300)),
    }
    report = agent_sales(db, shop.workspace, EVER)
    assert [(t.currency, t.figures.net) for t in report.totals] == [("EUR", 2350), ("GBP", 2800)]


def test_the_period_is_from_inclusive_to_exclusive(db: Database) -> None:
    shop = make_shop(db)
    agent = make_agent(db, shop.workspace).agent
    start = utcnow().replace(microsecond=0) - timedelta(days=3)
    end = start + timedelta(days=1)
    tick = timedelta(microseconds=1)
    made = {
        moment: sell_as_agent(db, shop, agent.id, [(label, shop.adult)], at=moment).id
        for moment, label in [(start - tick, "B-1"), (start, "B-2"), (end - tick, "B-3"), (end, "B-4")]
    }

    def ids(period: Period) -> list[str]:
        return [line.order_id for line in agent_invoice(db, shop.workspace, agent.id, period).lines]

    assert ids(Period(start, end)) == [made[start], made[end - tick]]
    assert ids(Period(start, None)) == [made[start], made[end - tick], made[end]]
    assert ids(Period(None, start)) == [made[start - tick]]
    assert ids(Period(start, start)) == []
    assert len(ids(EVER)) == 4
    report = agent_sales(db, shop.workspace, Period(start, end))
    assert [row.figures.tickets for row in report.rows] == [2]
    with pytest.raises(InvalidInput, match="after"):
        Period(end, start)


def test_an_agent_without_sales_has_an_empty_invoice_with_zero_totals(db: Database) -> None:
    shop = make_shop(db)
    euro_structure = replace(commission("fixed", fixed_amount=100), currency="EUR")
    quiet = make_agent(db, shop.workspace, login="quiet", commission=euro_structure).agent
    bare = make_agent(db, shop.workspace, login="bare").agent
    busy = make_agent(db, shop.workspace, login="busy").agent
    sell_as_agent(db, shop, busy.id, [("A-1", shop.adult)])
    sell_online(db, shop, "A-2")  # a web sale: nobody's invoice

    invoice = agent_invoice(db, shop.workspace, quiet.id, EVER)
    assert invoice.lines == ()
    assert invoice.totals == (CurrencyTotal("EUR", Figures(), 0),)
    assert agent_invoice(db, shop.workspace, bare.id, EVER).totals == (CurrencyTotal("GBP", Figures(), 0),)
    assert len(agent_invoice(db, shop.workspace, busy.id, EVER).lines) == 1


def test_only_agents_of_the_workspace_have_invoices(db: Database) -> None:
    shop = make_shop(db)
    customer = create_customer(db, shop.workspace, CustomerDetails("Ann", "Smith", "ann@example.org"))
    elsewhere = make_agent(db, make_workspace(db)).agent
    for agent_id in ("nope", customer.id, elsewhere.id):
        with pytest.raises(AgentNotFound):
            agent_invoice(db, shop.workspace, agent_id, EVER)


def test_the_sales_report_per_agent_performance_ticket_type_and_band(db: Database) -> None:
    shop = make_shop(db)
    later = another_performance(db, shop, key="later")
    tix = make_agent(db, shop.workspace, commission=commission("percentage", basis_points=1000)).agent
    rival = make_agent(db, shop.workspace, login="rival", commission=commission("fixed", fixed_amount=100)).agent
    sell_as_agent(db, shop, tix.id, [("A-1", shop.adult), ("B-1", shop.adult), ("B-2", shop.child)])
    sell_as_agent(db, shop, tix.id, [("B-1", shop.adult)], event_key=later, merchandise=1)
    returned = sell_as_agent(db, shop, rival.id, [("B-3", shop.adult), ("B-4", shop.child)])
    orders.return_tickets(db, shop.workspace, returned.id, [returned.tickets[0].id])
    sell_online(db, shop, "C-1")  # a web sale is no agent's

    report = agent_sales(db, shop.workspace, EVER)

    assert [(r.agent.login, r.performance.event_key) for r in report.rows] == [
        ("rival", shop.event_key),
        ("tix4u", shop.event_key),
        ("tix4u", later),
    ]
    rival_row, tix_first, tix_later = report.rows
    assert rival_row.figures == Figures(tickets=1, returned=1, prices=1500, fees=100, commission=100)
    assert [(c.ticket_type, c.band, c.figures.tickets, c.figures.returned) for c in rival_row.cells] == [
        ("Adult", "1", 0, 1),
        ("Child", "1", 1, 0),
    ]
    assert tix_first.figures == Figures(tickets=3, prices=7000, fees=300, commission=700)
    assert [(c.ticket_type, c.band, c.figures.prices, c.figures.commission) for c in tix_first.cells] == [
        ("Adult", "1", 2500, 250),
        ("Adult", "2", 3000, 300),
        ("Child", "1", 1500, 150),
    ]
    assert tix_later.figures == Figures(tickets=1, prices=2500, fees=100, commission=250)  # items are not tickets
    assert tix_first.performance.production_name == "Hamlet" and tix_first.agent.name == "Tix4u Agency"
    assert [(a.agent.login, a.totals[0].figures.net) for a in report.agents] == [("rival", 1500), ("tix4u", 8950)]
    assert report.totals == (CurrencyTotal("GBP", Figures(5, 1, 11000, 500, 0, 1050)),)

    only_later = agent_sales(db, shop.workspace, EVER, event_key=later)
    assert [(r.agent.login, r.performance.event_key) for r in only_later.rows] == [("tix4u", later)]
    assert len(agent_sales(db, shop.workspace, EVER, production_id=shop.production_id).rows) == 3
    other = catalogue.create_production(db, shop.workspace, "Macbeth")
    unsold = agent_sales(db, shop.workspace, EVER, production_id=other.id)
    assert unsold.rows == () and unsold.totals == ()
    assert [r.agent.login for r in agent_sales(db, shop.workspace, EVER, agent_id=rival.id).rows] == ["rival"]
    with pytest.raises(EventNotFound):
        agent_sales(db, shop.workspace, EVER, event_key="nope")
    with pytest.raises(CatalogueItemNotFound):
        agent_sales(db, shop.workspace, EVER, production_id="nope")
    with pytest.raises(AgentNotFound):
        agent_sales(db, shop.workspace, EVER, agent_id="nope")


def test_the_invoice_and_the_report_cost_the_same_statements_for_30_orders_as_for_1(db: Database) -> None:
    shop = make_shop(db)
    agent = make_agent(db, shop.workspace, commission=commission("percentage", basis_points=1000)).agent
    labels = [f"{row}-{n}" for row in "ABC" for n in range(1, 11)]
    sell_as_agent(db, shop, agent.id, [(labels[0], shop.adult)], end_customer={"lastName": "First"})

    def statements() -> tuple[int, int]:
        with recorded_queries(db) as invoice_sql:
            agent_invoice(db, shop.workspace, agent.id, EVER)
        with recorded_queries(db) as report_sql:
            agent_sales(db, shop.workspace, EVER, event_key=shop.event_key)
        return len(invoice_sql), len(report_sql)

    for_one = statements()
    for label in labels[1:]:
        sell_as_agent(db, shop, agent.id, [(label, shop.adult)], end_customer={"lastName": label})
    assert statements() == for_one
    assert for_one[0] <= 3 and for_one[1] <= 2  # agent, lines, performances; event, sums
    invoice = agent_invoice(db, shop.workspace, agent.id, EVER)
    assert len(invoice.lines) == 30 and invoice.totals[0].figures.tickets == 30
