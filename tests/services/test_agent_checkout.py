"""An agent's basket checks out as an order of the agent's customer record, paid on account, with the
agent's commission fixed on each ticket and what it wrote back about its buyer."""

from __future__ import annotations

from dataclasses import replace

import pytest

from boxoffice.domain.errors import NotEligible
from boxoffice.services import agents, baskets
from boxoffice.services.baskets import TicketRequest
from boxoffice.services.checkout import CheckoutRequest, checkout
from boxoffice.services.customers import CustomerDetails
from boxoffice.services.payments import PaymentRequest
from boxoffice.storage.uow import Database
from tests.factories import commission, make_agent, make_shop

ON_ACCOUNT = PaymentRequest("agency")
CARD = PaymentRequest("test_card", card_number="4242 4242 4242 4242")


def test_an_agent_sale_carries_the_commission_of_each_ticket_and_the_end_customer(db: Database) -> None:
    shop = make_shop(db)
    agent = make_agent(db, shop.workspace, commission=commission("percentage", basis_points=1000)).agent
    basket = baskets.open_basket(db, shop.workspace, channel="agent", customer_id=agent.id)
    with db.write() as uow:
        uow.baskets.update(basket.id, end_customer={"lastName": "Smith", "reference": "T-1"}, delivery_method="collect")
        uow.commit()
    requests = [TicketRequest(shop.event_key, "A-1", shop.adult), TicketRequest(shop.event_key, "B-1", shop.child)]
    baskets.add_tickets(db, shop.workspace, basket.id, requests)

    order = checkout(db, shop.workspace, CheckoutRequest(basket.id, ON_ACCOUNT))

    assert order.customer_id == agent.id and order.channel == "agent"
    assert [(t.price, t.commission) for t in order.tickets] == [(3000, 300), (1500, 150)]
    assert order.end_customer == {"lastName": "Smith", "reference": "T-1"}
    assert order.delivery_method == "collect"
    assert [(p.method, p.status) for p in order.payments] == [("agency", "pending")]
    with db.read() as uow:
        stored = uow.orders.get(shop.workspace.id, order.id)
    assert stored == order

    # a later change to the structure does not rewrite what was sold
    assert agent.commission_structure_id is not None
    structure = agents.get_commission_structure(db, shop.workspace, agent.commission_structure_id)
    agents.replace_commission_structure(db, shop.workspace, structure.id, replace(structure, basis_points=5000))
    with db.read() as uow:
        again = uow.orders.get(shop.workspace.id, order.id)
    assert again is not None and [t.commission for t in again.tickets] == [300, 150]


def test_only_an_agent_basket_is_paid_on_account_and_it_is_paid_no_other_way(db: Database) -> None:
    shop = make_shop(db)
    agent = make_agent(db, shop.workspace).agent
    web = baskets.open_basket(db, shop.workspace)
    baskets.add_tickets(db, shop.workspace, web.id, [TicketRequest(shop.event_key, "A-1", shop.adult)])
    ann = CustomerDetails("Ann", "Smith", "ann@example.org")
    with pytest.raises(NotEligible):
        checkout(db, shop.workspace, CheckoutRequest(web.id, ON_ACCOUNT, ann))
    agent_basket = baskets.open_basket(db, shop.workspace, channel="agent", customer_id=agent.id)
    baskets.add_tickets(db, shop.workspace, agent_basket.id, [TicketRequest(shop.event_key, "A-2", shop.adult)])
    with pytest.raises(NotEligible):
        checkout(db, shop.workspace, CheckoutRequest(agent_basket.id, CARD))
    # both baskets are still open and can be checked out the right way
    assert checkout(db, shop.workspace, CheckoutRequest(web.id, CARD, ann)).tickets[0].commission == 0
    sold = checkout(db, shop.workspace, CheckoutRequest(agent_basket.id, ON_ACCOUNT))
    assert [t.commission for t in sold.tickets] == [0]  # an agent without a structure earns none
