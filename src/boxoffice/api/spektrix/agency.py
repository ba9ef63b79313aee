"""Agent mode (Spektrix's Agency API): an agent's many concurrent baskets, confirmed into orders of the
agent's customer record, paid on account ("Agency API" payment: the agent settles by invoice; no payment is
taken here). A thin adapter over services/agent_sales.py and the web basket's own handlers (basket.py).

Every route needs a request signed as an agent (``SpektrixAPI3 {login}:{signature}`` with the agent's key,
auth.py): 401 without one, 403 when an API user signs. Another agent's basket or order, or a web basket, is
404 (``BASKET_NOT_FOUND``, ``ORDER_NOT_FOUND``), as an unknown one is.

A sale, step by step:

1. ``POST /baskets``: a new basket (as many as the agent likes, each with its own lifetime: it lapses after
   ``BOXOFFICE_BASKET_TTL_MINUTES`` without a call, its seats returning to sale).
2. ``POST /baskets/{id}/tickets`` (or ``/tickets/best-available``), ``/merchandise``, ``/donations``: the
   bodies of the web basket's routes. The basket presents the agent's lock, so seats locked for the agent
   are its to sell; a restricted agent sells nothing else. No memberships or ticket subscriptions.
3. ``PUT /baskets/{id}/end-customer``: what the agent writes back about its buyer.
4. ``PUT /baskets/{id}/delivery``: collect (box office / will call) or careOfAgent, as enabled for the agent.
   Required before confirming: the delivery method is a choice of its own, made (and shown on the basket)
   before the sale, rather than a field of the confirmation.
5. ``POST /baskets/{id}/confirm`` (send an ``Idempotency-Key``): the order, with the agent's commission.

Basket answers are the web basket's, with ``commission`` on each ticket and in all, ``endCustomer`` and
``deliveryMethod``; order answers likewise.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from fastapi import APIRouter, Depends, Header, Query, Request
from starlette.concurrency import run_in_threadpool

from boxoffice.api.responses import FastJSONResponse
from boxoffice.api.spektrix import basket as web
from boxoffice.api.spektrix.auth import agent, config, database, workspace
from boxoffice.api.spektrix.body import documented, read_object
from boxoffice.api.spektrix.dates import parse_bound
from boxoffice.api.spektrix.schemas import (
    AGENT_ERRORS,
    AgentBasketOut,
    AgentOrderOut,
    BestAvailableIn,
    DeliveryIn,
    DonationIn,
    EndCustomerIn,
    MerchandiseIn,
    TicketIn,
)
from boxoffice.api.spektrix.serialize import agent_basket_json, agent_order_json
from boxoffice.domain.agents import Agent
from boxoffice.domain.baskets import DONATION, MERCHANDISE, Basket, Order
from boxoffice.domain.records import Workspace
from boxoffice.services import agent_sales, baskets
from boxoffice.services.agents import basket_commission
from boxoffice.services.baskets import BasketPolicy
from boxoffice.services.lookups import Lookup
from boxoffice.storage.uow import Database

router = APIRouter(tags=["agency"])
T = TypeVar("T")


@dataclass
class AgentMode:
    """The signing agent, in its workspace, with its basket policy."""

    request: Request
    workspace: Workspace
    db: Database
    policy: BasketPolicy
    agent: Agent

    def render(self, lookup: Lookup, basket: Basket) -> dict[str, Any]:
        commission = basket_commission(basket.tickets, lookup.commission_structure(self.agent))
        return agent_basket_json(lookup, basket, basket.expires_at(self.policy.ttl), commission)


@dataclass
class AgentBasket(AgentMode):
    """One of the agent's baskets (basket.Session for the web basket's handlers)."""

    basket_id: str

    def run(self, operation: Callable[[str], T]) -> T:
        return operation(self.basket_id)

    def basket(self) -> Basket:
        return baskets.get_basket(self.db, self.workspace, self.basket_id, policy=self.policy)


async def agent_mode(request: Request, ws: Workspace = Depends(workspace), caller: Agent = Depends(agent)) -> AgentMode:
    """The workspace first (an unknown one is 404 to anybody), then the agent."""
    return AgentMode(request, ws, database(request), agent_sales.policy(caller, config(request).policy), caller)


async def agent_basket(basket_id: str, mode: AgentMode = Depends(agent_mode)) -> AgentBasket:
    return AgentBasket(mode.request, mode.workspace, mode.db, mode.policy, mode.agent, basket_id)


async def _order_answer(mode: AgentMode, work: Callable[[], Order | list[Order]]) -> FastJSONResponse:
    def run() -> Any:
        found = work()
        with Lookup(mode.db, mode.workspace).reading() as lookup:
            if isinstance(found, list):
                return [agent_order_json(lookup, order) for order in found]
            return agent_order_json(lookup, found)

    return FastJSONResponse(await run_in_threadpool(run))


# -- baskets ------------------------------------------------------------------------------------------------
@router.post("/baskets", status_code=201, response_model=AgentBasketOut, responses=AGENT_ERRORS)
async def open_basket(mode: AgentMode = Depends(agent_mode)) -> FastJSONResponse:
    """A new, empty basket of the agent's (it may have many at once)."""

    response = await web.answer(
        mode, lambda: agent_sales.open_basket(mode.db, mode.workspace, mode.agent, policy=mode.policy)
    )
    response.status_code = 201
    return response


@router.get("/baskets", response_model=list[AgentBasketOut], responses=AGENT_ERRORS)
async def list_baskets(mode: AgentMode = Depends(agent_mode)) -> FastJSONResponse:
    """The agent's baskets that are neither confirmed nor lapsed, newest first (at most 100). Listing them
    does not keep them alive."""

    def run() -> list[dict[str, Any]]:
        found = agent_sales.live_baskets(mode.db, mode.workspace, mode.agent, policy=mode.policy)
        with Lookup(mode.db, mode.workspace).reading() as lookup:
            return [mode.render(lookup, b) for b in found]

    return FastJSONResponse(await run_in_threadpool(run))


@router.get("/baskets/{basket_id}", response_model=AgentBasketOut, responses=AGENT_ERRORS)
async def get_basket(session: AgentBasket = Depends(agent_basket)) -> FastJSONResponse:
    return await web.answer(session, session.basket)


@router.post("/baskets/{basket_id}/clear", response_model=AgentBasketOut, responses=AGENT_ERRORS)
async def clear(session: AgentBasket = Depends(agent_basket)) -> FastJSONResponse:
    """Everything out of the basket (its seats back to sale); the end customer and delivery method stay."""
    return await web.answer_clear(session)


@router.post(
    "/baskets/{basket_id}/tickets",
    openapi_extra=documented(TicketIn),
    response_model=AgentBasketOut,
    responses=AGENT_ERRORS,
)
async def add_tickets(request: Request, session: AgentBasket = Depends(agent_basket)) -> FastJSONResponse:
    """As ``POST /basket/tickets``: reserved by ``seat``, unreserved by ``planId``, all or nothing."""
    return await web.answer_add_tickets(request, session)


@router.post("/baskets/{basket_id}/tickets/best-available", response_model=AgentBasketOut, responses=AGENT_ERRORS)
async def add_best_available(body: BestAvailableIn, session: AgentBasket = Depends(agent_basket)) -> FastJSONResponse:
    """As ``POST /basket/tickets/best-available``; a restricted agent's pick is from its lock only."""
    return await web.answer_best_available(body, session)


@router.delete("/baskets/{basket_id}/tickets", response_model=AgentBasketOut, responses=AGENT_ERRORS)
async def remove_tickets(
    ticketIds: str | None = Query(None, description="comma-separated ticket ids"),
    session: AgentBasket = Depends(agent_basket),
) -> FastJSONResponse:
    return await web.answer_remove_tickets(ticketIds, session)


@router.post(
    "/baskets/{basket_id}/donations",
    openapi_extra=documented(DonationIn),
    response_model=AgentBasketOut,
    responses=AGENT_ERRORS,
)
async def add_donations(request: Request, session: AgentBasket = Depends(agent_basket)) -> FastJSONResponse:
    """As ``POST /basket/donations``."""
    return await web.answer_donations(request, session)


@router.post(
    "/baskets/{basket_id}/merchandise",
    openapi_extra=documented(MerchandiseIn),
    response_model=AgentBasketOut,
    responses=AGENT_ERRORS,
)
async def add_merchandise(request: Request, session: AgentBasket = Depends(agent_basket)) -> FastJSONResponse:
    """As ``POST /basket/merchandise``."""
    return await web.answer_merchandise(request, session)


for _path, _kind, _parameter in (
    ("donations", DONATION, "donationIds"),
    ("merchandise", MERCHANDISE, "merchandiseItemIds"),
):
    router.add_api_route(
        f"/baskets/{{basket_id}}/{_path}",
        web.remover(_kind, _parameter, agent_basket),
        methods=["DELETE"],
        name=f"remove_agent_{_path}",
        response_model=AgentBasketOut,
        responses=AGENT_ERRORS,
    )


_END_CUSTOMER_BODY = {
    "requestBody": {"required": True, "content": {"application/json": {"schema": EndCustomerIn.model_json_schema()}}}
}


@router.put(
    "/baskets/{basket_id}/end-customer",
    openapi_extra=_END_CUSTOMER_BODY,
    response_model=AgentBasketOut,
    responses=AGENT_ERRORS,
)
async def set_end_customer(request: Request, session: AgentBasket = Depends(agent_basket)) -> FastJSONResponse:
    """The agent's buyer: ``firstName``, ``lastName``, ``address`` (its first line) and ``reference`` (the
    agent's own), each text of at most 200 characters; any other field is refused. It replaces what was
    there; ``{}`` clears it. Kept on the order when the basket is confirmed."""
    details = await read_object(request)
    return await web.answer(
        session,
        lambda: agent_sales.set_end_customer(
            session.db, session.workspace, session.basket_id, details, policy=session.policy
        ),
    )


@router.put("/baskets/{basket_id}/delivery", response_model=AgentBasketOut, responses=AGENT_ERRORS)
async def set_delivery(body: DeliveryIn, session: AgentBasket = Depends(agent_basket)) -> FastJSONResponse:
    """How the tickets reach the buyer: ``{"method": "collect"}`` (box office / will call) or
    ``{"method": "careOfAgent"}`` (the agent sends them on), if enabled for the agent. Confirming needs it:
    the delivery method is chosen here, before the sale, not on the confirmation."""
    return await web.answer(
        session,
        lambda: agent_sales.set_delivery(
            session.db, session.workspace, session.agent, session.basket_id, body.method, policy=session.policy
        ),
    )


@router.post("/baskets/{basket_id}/confirm", response_model=AgentOrderOut, responses=AGENT_ERRORS)
async def confirm(
    idempotency_key: str | None = Header(None, alias="Idempotency-Key"),
    session: AgentBasket = Depends(agent_basket),
) -> FastJSONResponse:
    """The basket becomes the agent's order, paid on account: every seat booked, the agent's commission
    fixed on each ticket. Once: confirming again is ``BASKET_ALREADY_CHECKED_OUT``, except a retry with the
    same ``Idempotency-Key``, which gets the same order. Needs the delivery method (``PUT .../delivery``)."""
    return await _order_answer(
        session,
        lambda: agent_sales.confirm(
            session.db,
            session.workspace,
            session.agent,
            session.basket_id,
            idempotency_key=idempotency_key,
            policy=session.policy,
        ),
    )


# -- orders -------------------------------------------------------------------------------------------------
@router.get("/orders", response_model=list[AgentOrderOut], responses=AGENT_ERRORS)
async def list_orders(
    created_from: str | None = Query(None, alias="from", description="made from this date (yyyy-mm-dd) or instant"),
    created_to: str | None = Query(None, alias="to", description="made until this date (inclusive) or instant"),
    limit: int = Query(100, ge=1, le=500),
    mode: AgentMode = Depends(agent_mode),
) -> FastJSONResponse:
    """The agent's orders, newest first."""
    start = parse_bound(created_from, "from")
    stop = parse_bound(created_to, "to", end=True)
    return await _order_answer(
        mode,
        lambda: agent_sales.list_orders(
            mode.db, mode.workspace, mode.agent, created_from=start, created_to=stop, limit=limit
        ),
    )


@router.get("/orders/{order_id}", response_model=AgentOrderOut, responses=AGENT_ERRORS)
async def get_order(order_id: str, mode: AgentMode = Depends(agent_mode)) -> FastJSONResponse:
    return await _order_answer(mode, lambda: agent_sales.get_order(mode.db, mode.workspace, mode.agent, order_id))
