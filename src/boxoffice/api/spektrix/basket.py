"""The web basket: GET/PATCH basket, POST basket/clear, tickets (by seat or area, best available,
attributes, removal), donations, merchandise, memberships and ticket subscriptions; and, for signed
(back-office) calls, the basket's customer.

Every call answers with the whole basket. Adding tickets is all or nothing across instances (the service
holds them in one transaction). Other items sent as an array are added one by one and, should one fail,
the ones this request added are taken out again, so an error leaves the basket as it was; the error's
``index`` names the failing entry.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any, TypeVar

from fastapi import APIRouter, Depends, Query, Request
from starlette.concurrency import run_in_threadpool

from boxoffice.api.responses import FastJSONResponse
from boxoffice.api.spektrix.auth import BasketSession, api_user, apply_basket_cookie, basket_session, require_api_user
from boxoffice.api.spektrix.body import documented, read_items, read_model
from boxoffice.api.spektrix.errors import SpektrixError
from boxoffice.api.spektrix.schemas import (
    ERRORS,
    AttributesIn,
    BasketCustomerIn,
    BasketOut,
    BestAvailableIn,
    DonationIn,
    MembershipIn,
    MerchandiseIn,
    TicketIn,
    TicketSubscriptionIn,
)
from boxoffice.api.spektrix.serialize import basket_json, to_minor
from boxoffice.domain.baskets import DONATION, MEMBERSHIP, MERCHANDISE, SUBSCRIPTION, Basket
from boxoffice.domain.errors import BoxofficeError, InvalidInput, ItemError
from boxoffice.domain.layout import Layout, ObjectType
from boxoffice.services import baskets, catalogue
from boxoffice.services.baskets import TicketRequest
from boxoffice.services.lookups import Lookup
from boxoffice.storage.api_users import ApiUser

router = APIRouter(tags=["basket"])
M = TypeVar("M")


def _render(lookup: Lookup, session: BasketSession, basket: Basket) -> dict[str, Any]:
    with lookup.reading():  # one read transaction for all the names the answer carries
        return basket_json(lookup, basket, basket.expires_at(session.policy.ttl))


async def _answer(
    session: BasketSession, work: Callable[[], Basket], *, prepare: Callable[[Lookup], None] | None = None
) -> FastJSONResponse:
    def run() -> dict[str, Any]:
        lookup = Lookup(session.db, session.workspace)  # what `prepare` read is not read again to render
        if prepare is not None:
            prepare(lookup)
        return _render(lookup, session, work())

    response = FastJSONResponse(await run_in_threadpool(run))
    apply_basket_cookie(session.request, response)
    return response


# -- the basket ---------------------------------------------------------------------------------------------
@router.get("/basket", response_model=BasketOut, responses=ERRORS)
async def get_basket(session: BasketSession = Depends(basket_session)) -> FastJSONResponse:
    return await _answer(session, session.basket)


@router.patch("/basket", openapi_extra=documented(AttributesIn), response_model=BasketOut, responses=ERRORS)
async def set_order_attributes(request: Request, session: BasketSession = Depends(basket_session)) -> FastJSONResponse:
    """Order attributes (``"attribute_<Name>": value``); refused on an empty basket."""
    values = _attributes(await read_model(request, AttributesIn))
    return await _answer(
        session,
        lambda: session.run(
            lambda b: baskets.set_order_attributes(session.db, session.workspace, b, values, policy=session.policy)
        ),
    )


@router.post("/basket/clear", response_model=BasketOut, responses=ERRORS)
async def clear(session: BasketSession = Depends(basket_session)) -> FastJSONResponse:
    return await _answer(
        session,
        lambda: session.run(lambda b: baskets.clear_basket(session.db, session.workspace, b, policy=session.policy)),
    )


@router.put("/basket/customer", response_model=BasketOut, responses=ERRORS)
async def set_customer(
    body: BasketCustomerIn,
    session: BasketSession = Depends(basket_session),
    user: ApiUser | None = Depends(api_user),
) -> FastJSONResponse:
    """Authenticated mode only: the customer the basket is for (their memberships are checked)."""
    require_api_user(user)
    return await _answer(
        session,
        lambda: session.run(
            lambda b: baskets.attach_customer(session.db, session.workspace, b, body.id, policy=session.policy)
        ),
    )


# -- tickets ------------------------------------------------------------------------------------------------
def _area_label(layout: Layout, chart_key: str, plan_id: str, instance: str) -> str:
    areas = [o.label for o in layout.objects.values() if o.object_type == ObjectType.GENERAL_ADMISSION]
    if plan_id == chart_key:
        if len(areas) == 1:
            return areas[0]
        raise InvalidInput(
            f"Plan {chart_key} has {len(areas)} unreserved areas: give an area id ({chart_key}:<area>) or a seat"
        )
    label = plan_id[len(chart_key) + 1 :] if plan_id.startswith(f"{chart_key}:") else plan_id
    if label not in areas:
        raise InvalidInput(f"{plan_id} is not an unreserved area of the plan of instance {instance}")
    return label


def _ticket_request(lookup: Lookup, item: TicketIn) -> TicketRequest:
    chart_key = lookup.event(item.instance).chart_key
    attributes = item.attribute_values()
    if item.seat is not None:
        plan = item.planId
        if plan is not None and plan != chart_key and not plan.startswith(f"{chart_key}:"):
            raise InvalidInput(f"Plan {plan} is not the plan of instance {item.instance}")
        return TicketRequest(item.instance, item.seat, item.ticketType, attributes)
    if item.planId is None:
        raise InvalidInput("Give a seat (reserved seating) or a planId (an unreserved area)")
    label = _area_label(lookup.layout(chart_key), chart_key, item.planId, item.instance)
    return TicketRequest(item.instance, label, item.ticketType, attributes)


@router.post("/basket/tickets", openapi_extra=documented(TicketIn), response_model=BasketOut, responses=ERRORS)
async def add_tickets(request: Request, session: BasketSession = Depends(basket_session)) -> FastJSONResponse:
    """Tickets for one or many instances, all or nothing: reserved by ``seat``, unreserved by ``planId``."""
    items = await read_items(request, TicketIn)
    requests: list[TicketRequest] = []

    def prepare(lookup: Lookup) -> None:
        for index, item in enumerate(items):
            try:
                requests.append(_ticket_request(lookup, item))
            except BoxofficeError as exc:
                raise ItemError(index, exc) from None

    return await _answer(
        session,
        lambda: session.run(
            lambda b: baskets.add_tickets(session.db, session.workspace, b, requests, policy=session.policy)
        ),
        prepare=prepare,
    )


@router.post("/basket/tickets/best-available", response_model=BasketOut, responses=ERRORS)
async def add_best_available(
    body: BestAvailableIn, session: BasketSession = Depends(basket_session)
) -> FastJSONResponse:
    """The best ``quantity`` seats of an instance, optionally only in some price ``bands`` and ``areas``."""
    sections: list[str] = []

    def prepare(lookup: Lookup) -> None:
        chart_key = lookup.event(body.instance).chart_key
        for area in body.areas:
            if area == chart_key:
                continue  # the whole reserved plan
            sections.append(area[len(chart_key) + 1 :] if area.startswith(f"{chart_key}:") else area)

    return await _answer(
        session,
        lambda: session.run(
            lambda b: baskets.add_best_available(
                session.db,
                session.workspace,
                b,
                body.instance,
                body.quantity,
                body.ticketType,
                bands=body.bands or None,
                sections=sections or None,
                policy=session.policy,
            )
        ),
        prepare=prepare,
    )


def _attributes(body: AttributesIn) -> dict[str, Any]:
    values = body.attribute_values()
    if not values:
        raise SpektrixError(400, "VALIDATION_ERROR", 'No attributes given (use "attribute_<Name>": value)')
    return values


@router.patch("/basket/tickets", openapi_extra=documented(AttributesIn), response_model=BasketOut, responses=ERRORS)
async def set_all_ticket_attributes(
    request: Request, session: BasketSession = Depends(basket_session)
) -> FastJSONResponse:
    """The same ticket attributes on every ticket of the basket."""
    values = _attributes(await read_model(request, AttributesIn))
    return await _answer(
        session,
        lambda: session.run(
            lambda b: baskets.set_ticket_attributes(session.db, session.workspace, b, values, policy=session.policy)
        ),
    )


@router.patch(
    "/basket/tickets/{ticket_id}",
    openapi_extra=documented(AttributesIn),
    response_model=BasketOut,
    responses=ERRORS,
)
async def set_ticket_attributes(
    ticket_id: str, request: Request, session: BasketSession = Depends(basket_session)
) -> FastJSONResponse:
    values = _attributes(await read_model(request, AttributesIn))
    return await _answer(
        session,
        lambda: session.run(
            lambda b: baskets.set_ticket_attributes(
                session.db, session.workspace, b, values, ticket_id, policy=session.policy
            )
        ),
    )


def _ids(value: str | None, name: str) -> list[str]:
    ids = [i.strip() for i in (value or "").split(",") if i.strip()]
    if not ids:
        raise SpektrixError(400, "VALIDATION_ERROR", f"{name} is required (comma-separated ids)")
    return ids


@router.delete("/basket/tickets", response_model=BasketOut, responses=ERRORS)
async def remove_tickets(
    ticketIds: str | None = Query(None, description="comma-separated ticket ids"),
    session: BasketSession = Depends(basket_session),
) -> FastJSONResponse:
    ids = _ids(ticketIds, "ticketIds")
    return await _answer(
        session,
        lambda: session.run(
            lambda b: baskets.remove_tickets(session.db, session.workspace, b, ids, policy=session.policy)
        ),
    )


# -- other items --------------------------------------------------------------------------------------------
def _add_all(session: BasketSession, items: Sequence[baskets.NewItem]) -> Basket:
    """All the request's items in one transaction; a refusal names its item (0-based index)."""
    return session.run(
        lambda basket_id: baskets.add_items(session.db, session.workspace, basket_id, items, policy=session.policy)
    )


@router.post("/basket/donations", openapi_extra=documented(DonationIn), response_model=BasketOut, responses=ERRORS)
async def add_donations(request: Request, session: BasketSession = Depends(basket_session)) -> FastJSONResponse:
    """Donations to funds; ``amount`` in major units of the fund's currency (e.g. 10.5)."""
    items = await read_items(request, DonationIn)
    funds = {f.id: f for f in await run_in_threadpool(lambda: catalogue.list_funds(session.db, session.workspace))}
    donations = [
        baskets.Donation(
            item.fund,
            to_minor(Decimal(item.amount), funds[item.fund].currency if item.fund in funds else "GBP", index=index),
        )
        for index, item in enumerate(items)
    ]
    return await _answer(session, lambda: _add_all(session, donations))


@router.post("/basket/merchandise", openapi_extra=documented(MerchandiseIn), response_model=BasketOut, responses=ERRORS)
async def add_merchandise(request: Request, session: BasketSession = Depends(basket_session)) -> FastJSONResponse:
    """Stock items, optionally with a ``reference`` of at most 30 characters."""
    items = await read_items(request, MerchandiseIn)
    wanted = [baskets.Merchandise(item.stockItem, item.quantity, item.reference) for item in items]
    return await _answer(session, lambda: _add_all(session, wanted))


@router.post(
    "/basket/membership-subscriptions",
    openapi_extra=documented(MembershipIn),
    response_model=BasketOut,
    responses=ERRORS,
)
async def add_memberships(request: Request, session: BasketSession = Depends(basket_session)) -> FastJSONResponse:
    """Memberships (``autoRenew`` optional); not two of one membership, not one the customer already holds."""
    items = await read_items(request, MembershipIn)
    wanted = [baskets.MembershipPurchase(item.membership, item.autoRenew) for item in items]
    return await _answer(session, lambda: _add_all(session, wanted))


@router.post(
    "/basket/ticket-subscriptions",
    openapi_extra=documented(TicketSubscriptionIn),
    response_model=BasketOut,
    responses=ERRORS,
)
async def add_ticket_subscriptions(
    request: Request, session: BasketSession = Depends(basket_session)
) -> FastJSONResponse:
    """Ticket subscriptions, several of one structure with ``quantity`` (sold through the express checkout)."""
    items = await read_items(request, TicketSubscriptionIn)
    wanted = [baskets.TicketSubscription(item.ticketSubscriptionStructure, item.quantity) for item in items]
    return await _answer(session, lambda: _add_all(session, wanted))


def _remover(kind: str, parameter: str) -> Callable[..., Any]:
    async def remove(
        ids: str | None = Query(None, alias=parameter, description="comma-separated ids"),
        session: BasketSession = Depends(basket_session),
    ) -> FastJSONResponse:
        wanted = _ids(ids, parameter)

        def operation(basket_id: str) -> Basket:
            basket = baskets.get_basket(session.db, session.workspace, basket_id, policy=session.policy)
            of_kind = {i.id for i in basket.items if i.kind == kind}
            unknown = [i for i in wanted if i not in of_kind]
            if unknown:
                raise InvalidInput(f"Not in this basket: {', '.join(unknown)}")
            return baskets.remove_items(session.db, session.workspace, basket_id, wanted, policy=session.policy)

        return await _answer(session, lambda: session.run(operation))

    return remove


for _path, _kind, _parameter in (
    ("donations", DONATION, "donationIds"),
    ("merchandise", MERCHANDISE, "merchandiseItemIds"),
    ("membership-subscriptions", MEMBERSHIP, "membershipIds"),
    ("ticket-subscriptions", SUBSCRIPTION, "ticketSubscriptionIds"),
):
    router.add_api_route(
        f"/basket/{_path}",
        _remover(_kind, _parameter),
        methods=["DELETE"],
        name=f"remove_{_path.replace('-', '_')}",
        response_model=BasketOut,
        responses=ERRORS,
    )
