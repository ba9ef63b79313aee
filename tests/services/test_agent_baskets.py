"""An agent's basket presents the agent's lock: what is locked for it is its to sell and nobody else's, and a
restricted agent sells nothing else."""

from __future__ import annotations

import pytest

from boxoffice.domain.errors import BestAvailableNotFound, ItemError
from boxoffice.services import agent_locks, baskets
from boxoffice.services.baskets import TicketRequest
from boxoffice.storage.uow import Database
from tests.factories import ShopFixture, make_agent, make_shop


def lock(db: Database, shop: ShopFixture, agent_id: str, labels: list[str]) -> None:
    agent_locks.lock(db, shop.workspace, shop.event_key, agent_id, objects=labels)


def test_an_agent_sells_its_lock_and_general_sale_and_nobody_else_sells_its_lock(db: Database) -> None:
    shop = make_shop(db)
    agent = make_agent(db, shop.workspace).agent
    lock(db, shop, agent.id, ["A-1", "A-2"])
    mine = baskets.open_basket(db, shop.workspace, channel="agent", customer_id=agent.id)
    held = baskets.add_tickets(
        db, shop.workspace, mine.id, [TicketRequest(shop.event_key, label, shop.adult) for label in ("A-1", "B-1")]
    )
    assert [t.label for t in held.tickets] == ["A-1", "B-1"]

    web = baskets.open_basket(db, shop.workspace)
    with pytest.raises(ItemError, match="channel"):
        baskets.add_tickets(db, shop.workspace, web.id, [TicketRequest(shop.event_key, "A-2", shop.adult)])
    other = make_agent(db, shop.workspace, login="rival").agent
    theirs = baskets.open_basket(db, shop.workspace, channel="agent", customer_id=other.id)
    with pytest.raises(ItemError, match="channel"):
        baskets.add_tickets(db, shop.workspace, theirs.id, [TicketRequest(shop.event_key, "A-2", shop.adult)])


def test_a_restricted_agent_sells_only_what_is_in_its_lock(db: Database) -> None:
    shop = make_shop(db)
    agent = make_agent(db, shop.workspace, restricted=True).agent
    lock(db, shop, agent.id, ["A-1", "A-2", "A-3"])
    basket = baskets.open_basket(db, shop.workspace, channel="agent", customer_id=agent.id)
    with pytest.raises(ItemError, match="channel") as refused:
        baskets.add_tickets(
            db,
            shop.workspace,
            basket.id,
            [TicketRequest(shop.event_key, label, shop.adult) for label in ("A-1", "B-1")],
        )
    assert refused.value.index == 1
    assert baskets.get_basket(db, shop.workspace, basket.id).tickets == ()  # all or nothing

    picked = baskets.add_best_available(db, shop.workspace, basket.id, shop.event_key, 2, shop.adult)
    assert {t.label for t in picked.tickets} <= {"A-1", "A-2", "A-3"} and len(picked.tickets) == 2
    with pytest.raises(BestAvailableNotFound):
        baskets.add_best_available(db, shop.workspace, basket.id, shop.event_key, 2, shop.adult)
