"""The Agency API's use cases (Spektrix's agent mode): an agent's many concurrent baskets, what it writes
back about its buyer, confirmation paid on account, and its own orders.

* Who signs: a signature's name is an agent's login or an API user's name, never both (services/agents.py
  and services/api_users.py refuse the clash), so `authenticate` tells which caller it is.
* Baskets: an agent's basket is channel "agent" with the agent's customer record as its customer. Every
  basket call goes through `policy(agent, ...)`: it carries the agent (services/baskets.py finds no other
  basket for it, so another agent's basket or a web basket is "not found", never "not yours") and the
  agent's rule that memberships and ticket subscriptions are not sold. The basket presents the agent's lock
  (services/baskets.py `_presented`).
* Confirmation: checkout (services/checkout.py) paid on account ("agency"), once. Its idempotency key is
  the agent's own: stored as a digest under the agent's id, so two agents (or a web shop) using the same
  key never see each other's orders or a "key reused" refusal.
* Orders: the orders of the agent's customer record, whoever entered them (its Agency API sales and those
  the box office made against its record).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime

from boxoffice.domain.agents import Agent, end_customer
from boxoffice.domain.baskets import OPEN, Basket, Order
from boxoffice.domain.catalogue import AGENT
from boxoffice.domain.errors import BasketNotFound, InvalidInput, OrderNotFound
from boxoffice.domain.records import Workspace
from boxoffice.services import agents, api_users, baskets, orders
from boxoffice.services.baskets import BasketPolicy
from boxoffice.services.checkout import CheckoutRequest, checkout
from boxoffice.services.clock import utcnow
from boxoffice.services.payments import AGENCY, PaymentRequest
from boxoffice.storage.api_users import ApiUser, ApiUserRepository
from boxoffice.storage.uow import Database

MAX_LISTED = 100  # baskets in one listing: the newest
ON_ACCOUNT = PaymentRequest(AGENCY)


class DeliveryMethodRequired(InvalidInput):
    code = "DELIVERY_METHOD_REQUIRED"


def authenticate(
    db: Database, workspace: Workspace, name: str, messages: list[str], signature: str, *, system_secret: str
) -> Agent | ApiUser:
    """The agent whose login is `name`, else the API user of that name, if `signature` signs one of
    `messages` with its key; Unauthorized otherwise (an inactive agent or user too)."""
    with db.read() as uow:  # both kinds of signer in one read: a login names one or the other
        agent = uow.agents.by_login(workspace.id, name)
        user = ApiUserRepository(uow.connection).by_name(workspace.id, name) if agent is None else None
    if agent is not None:
        return agents.verify(agent, messages, signature, system_secret=system_secret)
    return api_users.verify_user(user, messages, signature, system_secret=system_secret)


def policy(agent: Agent, base: BasketPolicy) -> BasketPolicy:
    """`base` (its TTL) for `agent`'s baskets: only its own are found, and it sells no memberships or
    ticket subscriptions."""
    return replace(base, agent=True, agent_id=agent.id)


# -- baskets ------------------------------------------------------------------------------------------------
def open_basket(db: Database, workspace: Workspace, agent: Agent, *, policy: BasketPolicy) -> Basket:
    return baskets.open_basket(db, workspace, channel=AGENT, customer_id=agent.id, policy=policy)


def live_baskets(
    db: Database, workspace: Workspace, agent: Agent, *, policy: BasketPolicy, now: datetime | None = None
) -> list[Basket]:
    """The agent's baskets that are not checked out and have not lapsed, newest first (at most MAX_LISTED).
    Reading them does not keep them alive."""
    since = (now or utcnow()) - policy.ttl
    with db.read() as uow:
        return uow.baskets.live_of_customer(workspace.id, AGENT, agent.id, since, MAX_LISTED)


def set_end_customer(
    db: Database, workspace: Workspace, basket_id: str, details: Mapping[str, object], *, policy: BasketPolicy
) -> Basket:
    """The agent's buyer (firstName, lastName, address: its first line, reference: the agent's own); an
    empty object clears it. Unknown fields and anything but short text are refused."""
    kept = end_customer(details)
    return baskets.set_agent_details(db, workspace, basket_id, end_customer=kept, policy=policy)


def set_delivery(
    db: Database, workspace: Workspace, agent: Agent, basket_id: str, method: str, *, policy: BasketPolicy
) -> Basket:
    """Collect (box office / will call) or careOfAgent, whichever of them is enabled for the agent."""
    chosen = agent.check_delivery_method(method)
    return baskets.set_agent_details(db, workspace, basket_id, delivery_method=chosen, policy=policy)


def confirm(
    db: Database,
    workspace: Workspace,
    agent: Agent,
    basket_id: str,
    *,
    idempotency_key: str | None = None,
    policy: BasketPolicy,
) -> Order:
    """The basket becomes the agent's order, paid on account, with each ticket's commission, the end
    customer and the delivery method (which must be chosen, and still enabled for the agent). Once: a
    second confirmation is BasketConsumed, unless it repeats the first one's idempotency key, which
    answers with the same order."""
    with db.read() as uow:
        basket = uow.baskets.get(workspace.id, basket_id)
    if basket is None or not policy.sees(basket):
        raise BasketNotFound(f"Basket not found: {basket_id}")
    if basket.status == OPEN:  # a checked-out one is the checkout's to answer (its order, or refused)
        if basket.delivery_method is None:
            raise DeliveryMethodRequired("Choose the delivery method (PUT /baskets/{id}/delivery) before confirming")
        agent.check_delivery_method(basket.delivery_method)
    key = None if idempotency_key is None else _agent_key(agent, idempotency_key)
    return checkout(db, workspace, CheckoutRequest(basket_id, ON_ACCOUNT, idempotency_key=key), policy=policy)


def _agent_key(agent: Agent, key: str) -> str:
    if not 1 <= len(key) <= 200:
        raise InvalidInput("An idempotency key is 1 to 200 characters")
    return f"agent:{agent.id}:{hashlib.sha256(key.encode()).hexdigest()}"


# -- orders -------------------------------------------------------------------------------------------------
def list_orders(
    db: Database,
    workspace: Workspace,
    agent: Agent,
    *,
    created_from: datetime | None = None,
    created_to: datetime | None = None,
    limit: int = 100,
) -> list[Order]:
    """The agent's orders, newest first, optionally only those made within [created_from, created_to]."""
    return orders.search_orders(
        db, workspace, customer_id=agent.id, created_from=created_from, created_to=created_to, limit=limit
    )


def get_order(db: Database, workspace: Workspace, agent: Agent, order_id: str) -> Order:
    """One of the agent's orders; anyone else's is "not found"."""
    order = orders.get_order(db, workspace, order_id)
    if order.customer_id != agent.id:
        raise OrderNotFound(f"Order not found: {order_id}")
    return order
