"""Orders: look up, search (by customer, event, reference, barcode, channel), cancel whole, or return
single tickets. Seats (or GA places) are freed at once and logged; refunds are recorded."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Query
from pydantic import AwareDatetime, Field

from boxoffice.api.admin.auth import DatabaseDep, WorkspaceDep
from boxoffice.api.admin.models import RESPONSES, ApiModel
from boxoffice.domain.baskets import Order
from boxoffice.services import orders

router = APIRouter(tags=["orders"], responses=RESPONSES)


class OrderTicketOut(ApiModel):
    id: str
    event_key: str
    label: str
    ticket_type_id: str
    category_key: str
    price: int
    fees: int
    barcode: str
    status: str
    attributes: dict[str, Any]


class OrderItemOut(ApiModel):
    id: str
    kind: str
    item_id: str
    amount: int
    quantity: int
    reference: str | None
    auto_renew: bool
    status: str


class PaymentOut(ApiModel):
    id: str
    method: str
    amount: int
    currency: str
    status: str
    provider_reference: str | None


class OrderOut(ApiModel):
    id: str
    reference: str
    channel: str
    status: str
    currency: str
    total: int
    refunded: int
    created_at: AwareDatetime
    customer_id: str | None
    attributes: dict[str, Any]
    tickets: list[OrderTicketOut]
    items: list[OrderItemOut]
    payments: list[PaymentOut]


class CancelIn(ApiModel):
    reason: Annotated[str, Field(max_length=500)] = ""
    refund: bool = True  # record a refund of what is still paid


class ReturnIn(ApiModel):
    ticket_ids: list[str]
    reason: Annotated[str, Field(max_length=500)] = ""
    refund: bool = True


def order_out(o: Order) -> OrderOut:
    return OrderOut(
        id=o.id,
        reference=o.reference,
        channel=o.channel,
        status=o.status,
        currency=o.currency,
        total=o.total,
        refunded=o.refunded,
        created_at=o.created_at,
        customer_id=o.customer_id,
        attributes=o.attributes,
        tickets=[
            OrderTicketOut(
                id=t.id,
                event_key=t.event_key,
                label=t.label,
                ticket_type_id=t.ticket_type_id,
                category_key=t.category_key,
                price=t.price,
                fees=t.fees,
                barcode=t.barcode,
                status=t.status,
                attributes=t.attributes,
            )
            for t in o.tickets
        ],
        items=[
            OrderItemOut(
                id=i.id,
                kind=i.kind,
                item_id=i.item_id,
                amount=i.amount,
                quantity=i.quantity,
                reference=i.reference,
                auto_renew=i.auto_renew,
                status=i.status,
            )
            for i in o.items
        ],
        payments=[
            PaymentOut(
                id=p.id,
                method=p.method,
                amount=p.amount,
                currency=p.currency,
                status=p.status,
                provider_reference=p.provider_reference,
            )
            for p in o.payments
        ],
    )


@router.get("/orders", response_model=list[OrderOut], summary="Search orders (newest first)")
def search_orders(
    ws: WorkspaceDep,
    db: DatabaseDep,
    customer_id: Annotated[str | None, Query(alias="customerId")] = None,
    event_key: Annotated[str | None, Query(alias="eventKey")] = None,
    reference: str | None = None,
    barcode: str | None = None,
    channel: str | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> list[OrderOut]:
    found = orders.search_orders(
        db,
        ws,
        customer_id=customer_id,
        event_key=event_key,
        reference=reference,
        barcode=barcode,
        channel=channel,
        limit=limit,
    )
    return [order_out(o) for o in found]


@router.get("/orders/{orderId}", response_model=OrderOut)
def get_order(ws: WorkspaceDep, db: DatabaseDep, orderId: str) -> OrderOut:
    return order_out(orders.get_order(db, ws, orderId))


@router.post("/orders/{orderId}/cancel", response_model=OrderOut, summary="Cancel the whole order")
def cancel_order(
    ws: WorkspaceDep, db: DatabaseDep, orderId: str, body: Annotated[CancelIn | None, Body()] = None
) -> OrderOut:
    body = body or CancelIn()
    return order_out(orders.cancel_order(db, ws, orderId, refund=body.refund, reason=body.reason))


@router.post("/orders/{orderId}/return", response_model=OrderOut, summary="Return single tickets")
def return_tickets(ws: WorkspaceDep, db: DatabaseDep, orderId: str, body: ReturnIn) -> OrderOut:
    return order_out(orders.return_tickets(db, ws, orderId, body.ticket_ids, refund=body.refund, reason=body.reason))
