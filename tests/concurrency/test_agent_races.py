"""Agents' baskets and web baskets race for the same seats on PostgreSQL, through the real services (add
tickets, then confirm on account or check out), 64 callers released together.

What they prove: whatever the interleaving, each seat ends in at most one order; seats locked for an agent go
only to that agent; a restricted agent racing many baskets of its own never sells more than its lock holds
(seats, or places of its share of a general admission area), and sells all of it; every loser hears which
item failed; the status log replays (audit clean). The control switches the compare-and-set's guard off and
shows that the same race, in the same set-up, does give a seat to two callers and breaks the log, so the
guarded tests do not pass because the race never happened. A caller that meets a lock it could not get in
time (Busy, the API's 409 + Retry-After) retries, as a client does.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import TypeVar

from boxoffice.domain.agents import Agent
from boxoffice.domain.baskets import Order
from boxoffice.domain.errors import BestAvailableNotFound, ItemError
from boxoffice.domain.records import Channel, Workspace
from boxoffice.domain.statuses import BOOKED
from boxoffice.services import agent_sales, baskets, channels
from boxoffice.services.audit import audit
from boxoffice.services.baskets import BasketPolicy, TicketRequest
from boxoffice.services.checkout import CheckoutRequest, checkout
from boxoffice.services.customers import CustomerDetails
from boxoffice.services.payments import PaymentRequest
from boxoffice.services.reports import object_infos
from boxoffice.storage import objects as object_storage
from boxoffice.storage.uow import Database
from tests.concurrency.conftest import THREADS
from tests.concurrency.race import RaceResult, race, retrying
from tests.factories import ShopFixture, make_agent, make_shop

T = TypeVar("T")
BASE = BasketPolicy()
LOCKED = ["A-1", "A-2"]  # locked for the first agent
GENERAL = ["B-1", "B-2", "B-3", "B-4"]
CONTESTED = LOCKED + GENERAL
AGENTS = 3  # callers i % 4 in 0..2 are the agents' baskets, i % 4 == 3 web baskets
UNGUARDED_ATTEMPTS = 5


def _lock(db: Database, shop: ShopFixture, agent: Agent, labels: list[str], places: int = 0) -> None:
    area = (("GA", places),) if places else ()
    channels.add_channels(
        db, shop.workspace, shop.event_key, [Channel(agent.lock_key, "Lock", "#000", None, tuple(labels), area)]
    )


def _audit_clean(db: Database, ws: Workspace) -> None:
    report = audit(db, workspace_id=ws.id)
    assert report.clean, report.problems


class Seller:
    """Caller i's basket (an agent's, ready to confirm, or a web one) and how it buys."""

    def __init__(self, db: Database, shop: ShopFixture, agent: Agent | None) -> None:
        self.db, self.shop, self.agent = db, shop, agent
        self.held: list[str] = []
        ws = shop.workspace
        if agent is None:
            self.policy = BASE
            self.basket = baskets.open_basket(db, ws).id
        else:
            self.policy = agent_sales.policy(agent, BASE)
            self.basket = agent_sales.open_basket(db, ws, agent, policy=self.policy).id
            agent_sales.set_delivery(db, ws, agent, self.basket, "collect", policy=self.policy)

    def add(self, labels: list[str]) -> None:
        requests = [TicketRequest(self.shop.event_key, label, self.shop.adult) for label in labels]
        retrying(lambda: baskets.add_tickets(self.db, self.shop.workspace, self.basket, requests, policy=self.policy))
        self.held = labels  # what this caller was told it holds

    def best(self, quantity: int) -> None:
        ws, key = self.shop.workspace, self.shop.event_key
        retrying(
            lambda: baskets.add_best_available(
                self.db, ws, self.basket, key, quantity, self.shop.adult, policy=self.policy
            )
        )

    def buy(self) -> Order:
        ws = self.shop.workspace
        if self.agent is None:
            buyer = CustomerDetails("Web", "Buyer", f"{self.basket}@example.org")
            request = CheckoutRequest(self.basket, PaymentRequest("pay_later"), buyer)
            return retrying(lambda: checkout(self.db, ws, request))
        agent = self.agent
        return retrying(lambda: agent_sales.confirm(self.db, ws, agent, self.basket, policy=self.policy))


# -- 1. agents and web shoppers, the same seats --------------------------------------------------------------
@dataclass(frozen=True)
class MixedRace:
    shop: ShopFixture
    agents: list[Agent]
    result: RaceResult[Order]
    holders: Counter[str]  # per seat, how many callers were told they held it

    @property
    def sold(self) -> Counter[str]:
        return Counter(t.label for o in self.result.successes if o.value is not None for t in o.value.tickets)


def _mixed_race(db: Database) -> MixedRace:
    shop = make_shop(db)
    sellers_agents = [make_agent(db, shop.workspace, login=f"agent{n}").agent for n in range(AGENTS)]
    _lock(db, shop, sellers_agents[0], LOCKED)
    sellers: dict[int, Seller] = {}

    def prepare(i: int) -> None:
        sellers[i] = Seller(db, shop, sellers_agents[i % 4] if i % 4 < AGENTS else None)

    def take(i: int) -> Order:
        sellers[i].add([CONTESTED[(i // 4) % len(CONTESTED)]])  # every seat: each kind of caller wants it
        return sellers[i].buy()

    result = race(THREADS, take, setup=[prepare])
    return MixedRace(shop, sellers_agents, result, Counter(label for s in sellers.values() for label in s.held))


def test_agents_and_web_baskets_racing_for_seats_sell_each_once(race_db: Database) -> None:
    run = _mixed_race(race_db)
    shop, agents, result = run.shop, run.agents, run.result

    assert run.holders == Counter(CONTESTED)  # nobody was told it held a seat another held
    assert result.unexpected((ItemError,)) == []
    assert all(isinstance(o.error, ItemError) and o.error.index == 0 for o in result.failures)
    orders = [o.value for o in result.successes if o.value is not None]
    assert run.sold == Counter(CONTESTED)  # every contested seat sold, none twice
    by_seat = {t.label: order for order in orders for t in order.tickets}
    assert {by_seat[label].customer_id for label in LOCKED} == {agents[0].id}  # the lock is the agent's alone
    assert {order.channel for order in orders} <= {"agent", "web"}
    infos = {i.label: i for i in object_infos(race_db, shop.workspace, shop.event_key, CONTESTED)}
    assert all(infos[s].status == BOOKED and infos[s].order_id == by_seat[s].id for s in CONTESTED)
    _audit_clean(race_db, shop.workspace)


# -- 2. a restricted agent, many baskets, a small lock ------------------------------------------------------
LOCK_SEATS = ["C-1", "C-2", "C-3", "C-4", "C-5"]
SHARE_PLACES = 4


def test_a_restricted_agent_racing_many_baskets_sells_no_more_than_its_lock(race_db: Database) -> None:
    shop = make_shop(race_db, ga_capacity=10)
    boxed = make_agent(race_db, shop.workspace, login="boxed", restricted=True).agent
    _lock(race_db, shop, boxed, LOCK_SEATS, SHARE_PLACES)
    share = f"GA##{boxed.lock_key}"
    sellers: dict[int, Seller] = {}

    def prepare(i: int) -> None:
        sellers[i] = Seller(race_db, shop, None if i % 4 == 3 else boxed)

    def take(i: int) -> Order:
        seller = sellers[i]
        if seller.agent is None and i % 8 == 3:  # web shoppers want GA places and best seats meanwhile
            seller.add(["GA"])
        elif seller.agent is None:
            seller.best(1)
        elif i % 4 == 0:
            seller.best(1)  # from its lock alone
        elif i % 4 == 1:
            seller.add([share])  # a place of its share of GA
        else:
            seller.add(["A-5"] if i % 8 == 2 else ["GA"])  # general sale: never its to sell
        return seller.buy()

    result = race(THREADS, take, setup=[prepare])

    assert result.unexpected((ItemError, BestAvailableNotFound)) == []
    orders = [o.value for o in result.successes if o.value is not None]
    agent_lines = [t.label for order in orders if order.customer_id == boxed.id for t in order.tickets]
    seats = sorted(label for label in agent_lines if label != share)
    assert seats == LOCK_SEATS  # all of its lock, and nothing else
    assert agent_lines.count(share) == SHARE_PLACES
    web_lines = [t.label for order in orders if order.customer_id != boxed.id for t in order.tickets]
    assert not set(web_lines) & set(LOCK_SEATS) and share not in web_lines
    infos = {i.label: i for i in object_infos(race_db, shop.workspace, shop.event_key, [*LOCK_SEATS, share])}
    assert all(infos[s].status == BOOKED for s in LOCK_SEATS)
    assert (infos[share].num_booked, infos[share].num_held, infos[share].num_free) == (SHARE_PLACES, 0, 0)
    _audit_clean(race_db, shop.workspace)


# -- 3. the control: the same race without the guard sells a seat twice -------------------------------------
def test_control_guarded_with_a_slow_decision_still_each_seat_once(race_db: Database, slow_decisions: None) -> None:
    assert object_storage.GUARD["enabled"]
    run = _mixed_race(race_db)
    assert run.holders == run.sold == Counter(CONTESTED)
    _audit_clean(race_db, run.shop.workspace)


def test_control_unguarded_the_same_race_gives_a_seat_to_two(
    race_db: Database, slow_decisions: None, unguarded: None
) -> None:
    """Two callers told they hold one seat, and a status log that no longer replays, every time; two orders
    for one seat too, now and then (the second hold must land after the first basket booked the seat)."""
    observed: list[tuple[int, int, int]] = []  # (most holders of a seat, most orders of a seat, audit problems)
    for _attempt in range(UNGUARDED_ATTEMPTS):
        run = _mixed_race(race_db)
        report = audit(race_db, workspace_id=run.shop.workspace.id)
        observed.append((max(run.holders.values()), max(run.sold.values(), default=0), len(report.problems)))
        if observed[-1][0] > 1 and observed[-1][2] > 0:
            break
    holders, _orders, problems = observed[-1]
    assert holders > 1, f"no seat held by two callers without the guard in {observed}"
    assert problems > 0, f"audit did not see it: {observed}"
    print(f"[agent control, unguarded] (holders, orders, audit problems) of a seat per attempt: {observed}")
