"""The web basket: GET/PATCH basket, POST basket/clear, tickets (by seat or area, best available,
attributes, removal), donations, merchandise, memberships and ticket subscriptions; and, for signed
(back-office) calls, the basket's customer.

Every call answers with the whole basket. Adding tickets is all or nothing across instances (the service
holds them in one transaction). Other items sent as an array are added in one transaction too, so an error
leaves the basket as it was; the error's ``index`` names the failing entry.

The handlers (``answer_*``, `remover`) take any `Session`: the web basket of the cookie (auth.BasketSession)
or one of an agent's baskets (agency.py), so both modes read the same bodies and give the same answers.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any, Protocol, TypeVar

from fastapi import APIRouter, Depends, Query, Request
from starlette.concurrency import run_in_threadpool

from boxoffice.api.responses import FastJSONResponse
from boxoffice.api.spektrix.auth import BasketSession, api_user, apply_basket_cookie, basket_session, require_api_user
from boxoffice.api.spektrix.body import documented, read_items, read_model
from boxoffice.api.spektrix.errors import SpektrixError
from boxoffice.api.spektrix.schemas import (
    BACK_OFFICE_ERRORS,
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
from boxoffice.api.spektrix.serialize import to_minor
from boxoffice.domain.areas import SHARE_SEPARATOR
from boxoffice.domain.baskets import DONATION, MEMBERSHIP, MERCHANDISE, SUBSCRIPTION, Basket
from boxoffice.domain.errors import BoxofficeError, InvalidInput, ItemError
from boxoffice.domain.layout import Layout, ObjectType
from boxoffice.domain.records import Workspace
from boxoffice.services import baskets, catalogue
from boxoffice.services.baskets import BasketPolicy, TicketRequest
from boxoffice.services.lookups import Lookup
from boxoffice.storage.api_users import ApiUser
from boxoffice.storage.uow import Database

router = APIRouter(tags=["basket"])
M = TypeVar("M")
T = TypeVar("T")


class Renders(Protocol):
    """How a caller's baskets are rendered."""

    request: Request
    workspace: Workspace
    db: Database

    def render(self, lookup: Lookup, basket: Basket) -> dict[str, Any]: ...


class Session(Renders, Protocol):
    """The basket a call works on."""

    policy: BasketPolicy

    def run(self, operation: Callable[[str], T]) -> T:
        """`operation(basket_id)` on this session's basket."""
        ...

    def basket(self) -> Basket: ...


async def answer(
    session: Renders, work: Callable[[], Basket], *, prepare: Callable[[Lookup], None] | None = None
) -> FastJSONResponse:
    """`work()`'s basket, rendered by the session (after `prepare`, which may read through the lookup)."""

    def run() -> dict[str, Any]:
        lookup = Lookup(session.db, session.workspace)  # what `prepare` read is not read again to render
        if prepare is not None:
            prepare(lookup)
        basket = work()
        with lookup.reading():  # one read transaction for all the names the answer carries
            return session.render(lookup, basket)

    response = FastJSONResponse(await run_in_threadpool(run))
    apply_basket_cookie(session.request, response)
    return response


# -- the basket ---------------------------------------------------------------------------------------------
@router.get("/basket", response_model=BasketOut, responses=ERRORS)
async def get_basket(session: BasketSession = Depends(basket_session)) -> FastJSONResponse:
    return await answer(session, session.basket)


@router.patch("/basket", openapi_extra=documented(AttributesIn), response_model=BasketOut, responses=ERRORS)
async def set_order_attributes(request: Request, session: BasketSession = Depends(basket_session)) -> FastJSONResponse:
    """Order attributes (``"attribute_<Name>": value``); refused on an empty basket."""
    values = _attributes(await read_model(request, AttributesIn))
    return await answer(
        session,
        lambda: session.run(
            lambda b: baskets.set_order_attributes(session.db, session.workspace, b, values, policy=session.policy)
        ),
    )


@router.post("/basket/clear", response_model=BasketOut, responses=ERRORS)
async def clear(session: BasketSession = Depends(basket_session)) -> FastJSONResponse:
    return await answer_clear(session)


async def answer_clear(session: Session) -> FastJSONResponse:
    return await answer(
        session,
        lambda: session.run(lambda b: baskets.clear_basket(session.db, session.workspace, b, policy=session.policy)),
    )


@router.put("/basket/customer", response_model=BasketOut, responses=BACK_OFFICE_ERRORS)
async def set_customer(
    body: BasketCustomerIn,
    session: BasketSession = Depends(basket_session),
    user: ApiUser | None = Depends(api_user),
) -> FastJSONResponse:
    """Authenticated mode only: the customer the basket is for (their memberships are checked)."""
    require_api_user(user)
    return await answer(
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
    if label.partition(SHARE_SEPARATOR)[0] not in areas:  # an area, or a lock's share of one
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
    return await answer_add_tickets(request, session)


async def answer_add_tickets(request: Request, session: Session) -> FastJSONResponse:
    items = await read_items(request, TicketIn)
    requests: list[TicketRequest] = []

    def prepare(lookup: Lookup) -> None:
        for index, item in enumerate(items):
            try:
                requests.append(_ticket_request(lookup, item))
            except BoxofficeError as exc:
                raise ItemError(index, exc) from None

    return await answer(
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
    return await answer_best_available(body, session)


async def answer_best_available(body: BestAvailableIn, session: Session) -> FastJSONResponse:
    sections: list[str] = []

    def prepare(lookup: Lookup) -> None:
        chart_key = lookup.event(body.instance).chart_key
        for area in body.areas:
            if area == chart_key:
                continue  # the whole reserved plan
            sections.append(area[len(chart_key) + 1 :] if area.startswith(f"{chart_key}:") else area)

    return await answer(
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
    return await answer(
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
    return await answer(
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
    return await answer_remove_tickets(ticketIds, session)


async def answer_remove_tickets(ticketIds: str | None, session: Session) -> FastJSONResponse:
    ids = _ids(ticketIds, "ticketIds")
    return await answer(
        session,
        lambda: session.run(
            lambda b: baskets.remove_tickets(session.db, session.workspace, b, ids, policy=session.policy)
        ),
    )


# -- other items --------------------------------------------------------------------------------------------
def _add_all(session: Session, items: Sequence[baskets.NewItem]) -> Basket:
    """All the request's items in one transaction; a refusal names its item (0-based index)."""
    return session.run(
        lambda basket_id: baskets.add_items(session.db, session.workspace, basket_id, items, policy=session.policy)
    )


@router.post("/basket/donations", openapi_extra=documented(DonationIn), response_model=BasketOut, responses=ERRORS)
async def add_donations(request: Request, session: BasketSession = Depends(basket_session)) -> FastJSONResponse:
    """Donations to funds; ``amount`` in major units of the fund's currency (e.g. 10.5)."""
    return await answer_donations(request, session)


async def answer_donations(request: Request, session: Session) -> FastJSONResponse:
    items = await read_items(request, DonationIn)
    funds = {f.id: f for f in await run_in_threadpool(lambda: catalogue.list_funds(session.db, session.workspace))}
    donations = [
        baskets.Donation(
            item.fund,
            to_minor(Decimal(item.amount), funds[item.fund].currency if item.fund in funds else "GBP", index=index),
        )
        for index, item in enumerate(items)
    ]
    return await answer(session, lambda: _add_all(session, donations))


@router.post("/basket/merchandise", openapi_extra=documented(MerchandiseIn), response_model=BasketOut, responses=ERRORS)
async def add_merchandise(request: Request, session: BasketSession = Depends(basket_session)) -> FastJSONResponse:
    """Stock items, optionally with a ``reference`` of at most 30 characters."""
    return await answer_merchandise(request, session)


async def answer_merchandise(request: Request, session: Session) -> FastJSONResponse:
    items = await read_items(request, MerchandiseIn)
    wanted = [baskets.Merchandise(item.stockItem, item.quantity, item.reference) for item in items]
    return await answer(session, lambda: _add_all(session, wanted))


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
    return await answer(session, lambda: _add_all(session, wanted))


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
    return await answer(session, lambda: _add_all(session, wanted))


def remover(kind: str, parameter: str, session_of: Callable[..., Any] = basket_session) -> Callable[..., Any]:
    """A route removing items of `kind` (ids in the query `parameter`) from the basket `session_of` gives."""

    async def remove(
        ids: str | None = Query(None, alias=parameter, description="comma-separated ids"),
        session: Session = Depends(session_of),
    ) -> FastJSONResponse:
        wanted = _ids(ids, parameter)

        def operation(basket_id: str) -> Basket:
            basket = baskets.get_basket(session.db, session.workspace, basket_id, policy=session.policy)
            of_kind = {i.id for i in basket.items if i.kind == kind}
            unknown = [i for i in wanted if i not in of_kind]
            if unknown:
                raise InvalidInput(f"Not in this basket: {', '.join(unknown)}")
            return baskets.remove_items(session.db, session.workspace, basket_id, wanted, policy=session.policy)

        return await answer(session, lambda: session.run(operation))

    return remove


for _path, _kind, _parameter in (
    ("donations", DONATION, "donationIds"),
    ("merchandise", MERCHANDISE, "merchandiseItemIds"),
    ("membership-subscriptions", MEMBERSHIP, "membershipIds"),
    ("ticket-subscriptions", SUBSCRIPTION, "ticketSubscriptionIds"),
):
    router.add_api_route(
        f"/basket/{_path}",
        remover(_kind, _parameter),
        methods=["DELETE"],
        name=f"remove_{_path.replace('-', '_')}",
        response_model=BasketOut,
        responses=ERRORS,
    )
