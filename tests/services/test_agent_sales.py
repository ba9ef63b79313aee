"""The Agency API's use cases (services/agent_sales.py): who signs, an agent's own baskets and nobody
else's, the end customer and delivery method, confirmation on account (once, idempotently, per agent),
and the agent's orders."""

from __future__ import annotations

from datetime import timedelta

import pytest

from boxoffice.domain.agents import Agent
from boxoffice.domain.catalogue import Price
from boxoffice.domain.errors import (
    AlreadyExists,
    BasketConsumed,
    BasketNotFound,
    InvalidInput,
    ItemError,
    NotEligible,
    NotOnSale,
    OrderNotFound,
    Unauthorized,
)
from boxoffice.services import agent_sales, agents, api_users, baskets, catalogue
from boxoffice.services.agent_sales import DeliveryMethodRequired
from boxoffice.services.baskets import BasketPolicy, TicketRequest
from boxoffice.services.clock import utcnow
from boxoffice.services.lookups import Lookup
from boxoffice.storage.api_users import ApiUser
from boxoffice.storage.uow import Database
from tests.factories import SYSTEM_SECRET, ShopFixture, commission, make_agent, make_shop

BASE = BasketPolicy()


def _policy(agent: Agent) -> BasketPolicy:
    return agent_sales.policy(agent, BASE)


def _basket_with_seat(db: Database, shop: ShopFixture, agent: Agent, label: str = "B-1") -> str:
    basket = agent_sales.open_basket(db, shop.workspace, agent, policy=_policy(agent))
    requests = [TicketRequest(shop.event_key, label, shop.adult)]
    baskets.add_tickets(db, shop.workspace, basket.id, requests, policy=_policy(agent))
    return basket.id


def _ready(db: Database, shop: ShopFixture, agent: Agent, label: str = "B-1") -> str:
    basket_id = _basket_with_seat(db, shop, agent, label)
    agent_sales.set_delivery(db, shop.workspace, agent, basket_id, "collect", policy=_policy(agent))
    return basket_id


# -- who signs --------------------------------------------------------------------------------------------
def test_a_signature_names_an_agent_or_an_api_user(db: Database) -> None:
    shop = make_shop(db)
    ws = shop.workspace
    new_agent = make_agent(db, ws)
    user_key = api_users.create_api_user(db, ws, "backoffice", system_secret=SYSTEM_SECRET).key
    message = "GET\n/x\nMon, 01 Jan 2024 00:00:00 GMT"

    def who(name: str, key: str) -> Agent | ApiUser:
        signature = api_users.sign(key, message)
        return agent_sales.authenticate(db, ws, name, [message], signature, system_secret=SYSTEM_SECRET)

    assert who("tix4u", new_agent.key) == new_agent.agent
    caller = who("backoffice", user_key)
    assert isinstance(caller, ApiUser) and caller.name == "backoffice"
    with pytest.raises(Unauthorized):
        who("tix4u", user_key)  # the user's key does not sign for the agent
    with pytest.raises(Unauthorized):
        who("nobody", user_key)
    agents.update_agent(db, ws, new_agent.agent.id, active=False)
    with pytest.raises(Unauthorized, match="not active"):
        who("tix4u", new_agent.key)
    with pytest.raises(AlreadyExists):  # one name, one signer: an API user may not take an agent's login
        api_users.create_api_user(db, ws, "tix4u", system_secret=SYSTEM_SECRET)


# -- baskets ----------------------------------------------------------------------------------------------
def test_an_agent_has_many_baskets_and_sees_none_but_its_own(db: Database) -> None:
    shop = make_shop(db)
    ws = shop.workspace
    agent = make_agent(db, ws).agent
    rival = make_agent(db, ws, login="rival").agent
    first = _basket_with_seat(db, shop, agent, "B-1")
    second = _basket_with_seat(db, shop, agent, "B-2")
    theirs = _basket_with_seat(db, shop, rival, "B-3")
    web = baskets.open_basket(db, ws).id

    listed = agent_sales.live_baskets(db, ws, agent, policy=_policy(agent))
    assert [b.id for b in listed] == [second, first]
    assert [[t.label for t in b.tickets] for b in listed] == [["B-2"], ["B-1"]]
    assert [b.id for b in agent_sales.live_baskets(db, ws, rival, policy=_policy(rival))] == [theirs]

    mine = _policy(agent)
    for other in (theirs, web, "no-such-basket"):
        with pytest.raises(BasketNotFound):
            baskets.get_basket(db, ws, other, policy=mine)
        with pytest.raises(BasketNotFound):
            baskets.add_tickets(db, ws, other, [TicketRequest(shop.event_key, "C-1", shop.adult)], policy=mine)
        with pytest.raises(BasketNotFound):
            agent_sales.set_end_customer(db, ws, other, {"lastName": "X"}, policy=mine)
        with pytest.raises(BasketNotFound):
            agent_sales.confirm(db, ws, agent, other, policy=mine)
    assert baskets.get_basket(db, ws, theirs).tickets[0].label == "B-3"  # untouched


def test_lapsed_and_confirmed_baskets_are_not_listed(db: Database) -> None:
    shop = make_shop(db)
    ws = shop.workspace
    agent = make_agent(db, ws).agent
    confirmed = _ready(db, shop, agent, "B-1")
    agent_sales.confirm(db, ws, agent, confirmed, policy=_policy(agent))
    old = agent_sales.open_basket(db, ws, agent, policy=_policy(agent))
    later = utcnow() + BASE.ttl + timedelta(seconds=1)
    fresh = baskets.open_basket(db, ws, channel="agent", customer_id=agent.id, now=later)
    listed = agent_sales.live_baskets(db, ws, agent, policy=_policy(agent), now=later)
    assert [b.id for b in listed] == [fresh.id]
    assert old.id not in [b.id for b in listed]


def test_an_agent_sells_no_memberships_or_ticket_subscriptions(db: Database) -> None:
    shop = make_shop(db)
    agent = make_agent(db, shop.workspace).agent
    basket = agent_sales.open_basket(db, shop.workspace, agent, policy=_policy(agent))
    for item in (baskets.MembershipPurchase(shop.membership_id), baskets.TicketSubscription(shop.subscription_id)):
        with pytest.raises(ItemError) as refused:
            baskets.add_items(db, shop.workspace, basket.id, [item], policy=_policy(agent))
        assert isinstance(refused.value.cause, NotEligible)
    added = baskets.add_items(
        db, shop.workspace, basket.id, [baskets.Merchandise(shop.stock_item_id, 2)], policy=_policy(agent)
    )
    assert [(i.kind, i.quantity) for i in added.items] == [("merchandise", 2)]


def test_an_instance_off_sale_online_is_off_sale_to_agents(db: Database) -> None:
    shop = make_shop(db)
    ws = shop.workspace
    agent = make_agent(db, ws).agent
    chart = Lookup(db, ws).event(shop.event_key).chart_key
    later = catalogue.create_performance(
        db,
        ws,
        catalogue.PerformanceSpec(
            shop.production_id, chart, utcnow() + timedelta(days=30), web_sale_from=utcnow() + timedelta(days=3)
        ),
    )
    catalogue.set_price_list(db, ws, later.event_key, [Price(shop.adult, "1", 2500)])
    basket = agent_sales.open_basket(db, ws, agent, policy=_policy(agent))
    with pytest.raises(ItemError) as refused:
        baskets.add_tickets(
            db, ws, basket.id, [TicketRequest(later.event_key, "B-1", shop.adult)], policy=_policy(agent)
        )
    assert isinstance(refused.value.cause, NotOnSale)
    with pytest.raises(NotOnSale):
        baskets.add_best_available(db, ws, basket.id, later.event_key, 1, shop.adult, policy=_policy(agent))


# -- end customer and delivery ----------------------------------------------------------------------------
def test_the_end_customer_is_checked_kept_and_cleared(db: Database) -> None:
    shop = make_shop(db)
    ws = shop.workspace
    agent = make_agent(db, ws).agent
    basket_id = _basket_with_seat(db, shop, agent)
    mine = _policy(agent)
    given = {"firstName": "Ann", "lastName": "Smith", "address": "1 High St", "reference": "T-9", "x": None}
    with pytest.raises(InvalidInput, match="Unknown end customer field"):
        agent_sales.set_end_customer(db, ws, basket_id, given, policy=mine)
    with pytest.raises(InvalidInput, match="at most 200"):
        agent_sales.set_end_customer(db, ws, basket_id, {"lastName": "x" * 201}, policy=mine)
    with pytest.raises(InvalidInput):
        agent_sales.set_end_customer(db, ws, basket_id, {"lastName": 7}, policy=mine)
    del given["x"]
    kept = agent_sales.set_end_customer(db, ws, basket_id, given, policy=mine)
    assert kept.end_customer == given
    assert agent_sales.set_end_customer(db, ws, basket_id, {}, policy=mine).end_customer is None


def test_delivery_is_collect_or_care_of_agent_as_the_agent_allows(db: Database) -> None:
    shop = make_shop(db)
    ws = shop.workspace
    agent = make_agent(db, ws).agent
    basket_id = _basket_with_seat(db, shop, agent)
    mine = _policy(agent)
    with pytest.raises(InvalidInput, match="delivery method"):
        agent_sales.set_delivery(db, ws, agent, basket_id, "post", policy=mine)
    assert agent_sales.set_delivery(db, ws, agent, basket_id, "careOfAgent", policy=mine).delivery_method == (
        "careOfAgent"
    )
    collect_only = agents.update_agent(db, ws, agent.id, delivery_methods=("collect",))
    with pytest.raises(NotEligible):
        agent_sales.set_delivery(db, ws, collect_only, basket_id, "careOfAgent", policy=mine)
    with pytest.raises(NotEligible):  # chosen while it was enabled; confirmed after it no longer is
        agent_sales.confirm(db, ws, collect_only, basket_id, policy=mine)
    web = baskets.open_basket(db, ws).id
    with pytest.raises(NotEligible):  # the service itself: only an agent's basket has these
        baskets.set_agent_details(db, ws, web, delivery_method="collect")


# -- confirmation -----------------------------------------------------------------------------------------
def test_confirming_makes_the_agents_order_once(db: Database) -> None:
    shop = make_shop(db)
    ws = shop.workspace
    agent = make_agent(db, ws, commission=commission("fixed", fixed_amount=200)).agent
    basket_id = _basket_with_seat(db, shop, agent)
    mine = _policy(agent)
    with pytest.raises(DeliveryMethodRequired):
        agent_sales.confirm(db, ws, agent, basket_id, policy=mine)
    agent_sales.set_end_customer(db, ws, basket_id, {"lastName": "Smith", "reference": "T-1"}, policy=mine)
    agent_sales.set_delivery(db, ws, agent, basket_id, "careOfAgent", policy=mine)

    order = agent_sales.confirm(db, ws, agent, basket_id, idempotency_key="k1", policy=mine)

    assert (order.customer_id, order.channel, order.delivery_method) == (agent.id, "agent", "careOfAgent")
    assert order.end_customer == {"lastName": "Smith", "reference": "T-1"}
    assert [(t.label, t.price, t.commission) for t in order.tickets] == [("B-1", 2500, 200)]
    assert [p.method for p in order.payments] == ["agency"]
    assert agent_sales.confirm(db, ws, agent, basket_id, idempotency_key="k1", policy=mine) == order
    with pytest.raises(BasketConsumed):
        agent_sales.confirm(db, ws, agent, basket_id, policy=mine)
    with pytest.raises(BasketConsumed):
        agent_sales.confirm(db, ws, agent, basket_id, idempotency_key="k2", policy=mine)
    assert len(agent_sales.list_orders(db, ws, agent)) == 1


def test_idempotency_keys_are_each_agents_own(db: Database) -> None:
    shop = make_shop(db)
    ws = shop.workspace
    agent = make_agent(db, ws).agent
    rival = make_agent(db, ws, login="rival").agent
    mine = agent_sales.confirm(
        db, ws, agent, _ready(db, shop, agent, "B-1"), idempotency_key="1", policy=_policy(agent)
    )
    theirs = agent_sales.confirm(
        db, ws, rival, _ready(db, shop, rival, "B-2"), idempotency_key="1", policy=_policy(rival)
    )
    assert mine.id != theirs.id
    assert [t.label for t in theirs.tickets] == ["B-2"]


# -- orders -----------------------------------------------------------------------------------------------
def test_an_agent_lists_and_reads_its_own_orders_only(db: Database) -> None:
    shop = make_shop(db)
    ws = shop.workspace
    agent = make_agent(db, ws).agent
    rival = make_agent(db, ws, login="rival").agent
    first = agent_sales.confirm(db, ws, agent, _ready(db, shop, agent, "B-1"), policy=_policy(agent))
    second = agent_sales.confirm(db, ws, agent, _ready(db, shop, agent, "B-2"), policy=_policy(agent))
    other = agent_sales.confirm(db, ws, rival, _ready(db, shop, rival, "B-3"), policy=_policy(rival))

    assert [o.id for o in agent_sales.list_orders(db, ws, agent)] == [second.id, first.id]
    assert agent_sales.list_orders(db, ws, agent, created_from=second.created_at) == [second]
    assert agent_sales.list_orders(db, ws, agent, created_to=first.created_at) == [first]
    assert agent_sales.list_orders(db, ws, agent, created_from=utcnow() + timedelta(minutes=1)) == []
    assert agent_sales.get_order(db, ws, agent, first.id) == first
    with pytest.raises(OrderNotFound):
        agent_sales.get_order(db, ws, agent, other.id)
    with pytest.raises(OrderNotFound):
        agent_sales.get_order(db, ws, agent, "no-such-order")
