"""Checkout: a basket becomes an order — every hold becomes a booking — in one transaction, once.

    1. claim   (short transaction) the basket is locked and marked checking_out; its hold token is
               extended, so the basket cannot lapse while the payment is taken.
    2. pay     (no transaction held open) the provider authorises the amount.
    3. commit  (one transaction) holds -> bookings, stock taken, memberships granted, the order and its
               payment written, the basket marked checked_out. If anything fails here the payment is
               voided and the basket is open again, exactly as it was.

The same idempotency key returns the same order; a second checkout of a consumed basket fails.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from boxoffice.domain.baskets import (
    CHECKED_OUT,
    CHECKING_OUT,
    MEMBERSHIP,
    MERCHANDISE,
    OPEN,
    Basket,
    Order,
    OrderItem,
    OrderTicket,
    Payment,
)
from boxoffice.domain.catalogue import AGENT as AGENT_CHANNEL
from boxoffice.domain.catalogue import MARKETPLACE, PARTNER
from boxoffice.domain.errors import (
    BasketConsumed,
    BasketEmpty,
    Conflict,
    IllegalStatusChange,
    InvalidInput,
    NotEligible,
    OutOfStock,
)
from boxoffice.domain.records import Workspace
from boxoffice.domain.statuses import BOOKED
from boxoffice.services import resale
from boxoffice.services.agents import commission_structure_of, with_commission
from boxoffice.services.baskets import BasketPolicy, load_live
from boxoffice.services.clock import utcnow
from boxoffice.services.customers import CustomerDetails, find_or_create_in
from boxoffice.services.ids import new_barcode, new_id, new_reference
from boxoffice.services.inventory import apply_requests
from boxoffice.services.payments import (
    AGENCY,
    MARKETPLACE_ACCOUNT,
    PARTNER_ACCOUNT,
    Authorization,
    PaymentRequest,
    provider,
)
from boxoffice.services.ticket_lines import change_requests
from boxoffice.storage.uow import Database, UnitOfWork

CHECKOUT_GRACE = timedelta(minutes=10)  # how long a basket is kept alive while its payment is taken
ORIGIN = "CHECKOUT"
# channel -> its payment method: these buy on account and settle against the venue's invoice
ON_ACCOUNT = {AGENT_CHANNEL: AGENCY, MARKETPLACE: MARKETPLACE_ACCOUNT, PARTNER: PARTNER_ACCOUNT}


class IdempotencyMismatch(InvalidInput):
    code = "IDEMPOTENCY_KEY_REUSED"
    http_status = 422


@dataclass(frozen=True, slots=True)
class CheckoutRequest:
    basket_id: str
    payment: PaymentRequest
    customer: CustomerDetails | None = None
    customer_id: str | None = None
    idempotency_key: str | None = None


def checkout(
    db: Database,
    workspace: Workspace,
    request: CheckoutRequest,
    *,
    policy: BasketPolicy = BasketPolicy(),
    now: datetime | None = None,
) -> Order:
    moment = now or utcnow()
    if request.idempotency_key is not None:
        if not 1 <= len(request.idempotency_key) <= 200:
            raise InvalidInput("An idempotency key is 1 to 200 characters")
        existing = _order_for_key(db, workspace, request)
        if existing is not None:
            return existing
    basket = _claim(db, workspace, request, moment, policy)
    pay = provider(request.payment.method)
    try:
        authorization = pay.authorize(basket.total, basket.currency(), request.payment)
    except BaseException:
        _unclaim(db, workspace, basket.id, policy)
        raise
    try:
        return _commit(db, workspace, basket, request, authorization, moment)
    except BaseException:
        pay.void(authorization)
        _unclaim(db, workspace, basket.id, policy)
        raise


def _order_for_key(db: Database, workspace: Workspace, request: CheckoutRequest) -> Order | None:
    assert request.idempotency_key is not None
    with db.read() as uow:
        order_id = uow.orders.id_for_idempotency_key(workspace.id, request.idempotency_key)
        if order_id is None:
            return None
        order = uow.orders.get(workspace.id, order_id)
        basket_order = uow.orders.id_for_basket(request.basket_id)
    if order is None:
        return None
    if basket_order != order.id:
        raise IdempotencyMismatch("This idempotency key was used for another basket")
    return order


def _claim(db: Database, workspace: Workspace, request: CheckoutRequest, now: datetime, policy: BasketPolicy) -> Basket:
    with db.write() as uow:
        stored = uow.baskets.get(workspace.id, request.basket_id, for_update=True)
        if stored is not None and stored.status == CHECKED_OUT:
            raise BasketConsumed("This basket has already been checked out")
        if stored is not None and stored.status == CHECKING_OUT:
            raise Conflict("This basket is already being checked out")
        basket = load_live(uow, workspace, request.basket_id, now, policy, read=stored)
        if not basket.tickets and not basket.items:
            raise BasketEmpty("The basket is empty")
        _check_payment_method(basket, request.payment.method)
        if policy.agent and any(i.kind != MERCHANDISE and i.kind != "donation" for i in basket.items):
            raise NotEligible("Agents may not sell memberships or ticket subscriptions")
        uow.baskets.update(basket.id, status=CHECKING_OUT)
        uow.hold_tokens.set_expiry(basket.hold_token, now + CHECKOUT_GRACE)
        uow.commit()
    return replace(basket, status=CHECKING_OUT)


def _check_payment_method(basket: Basket, method: str) -> None:
    """Agents, marketplaces and partners buy on account, each by its own method; nobody else may."""
    wanted = ON_ACCOUNT.get(basket.channel)
    if wanted is not None and method != wanted:
        raise NotEligible(f"A basket of the {basket.channel} channel is paid on account ({wanted!r})")
    if wanted is None and method in ON_ACCOUNT.values():
        raise NotEligible(f"Only agents, marketplaces and partners pay on account; not with {method!r} here")


def _unclaim(db: Database, workspace: Workspace, basket_id: str, policy: BasketPolicy) -> None:
    now = utcnow()
    with db.write() as uow:
        basket = uow.baskets.get(workspace.id, basket_id, for_update=True)
        if basket is not None and basket.status == CHECKING_OUT:
            uow.baskets.update(basket_id, status=OPEN, last_activity_at=now)
            uow.hold_tokens.set_expiry(basket.hold_token, now + policy.ttl)
            uow.commit()


def _commit(
    db: Database,
    workspace: Workspace,
    basket: Basket,
    request: CheckoutRequest,
    authorization: Authorization,
    now: datetime,
) -> Order:
    with db.write() as uow:
        current = uow.baskets.get(workspace.id, basket.id, for_update=True)
        if current is None or current.status != CHECKING_OUT:
            raise Conflict("The basket changed during checkout")
        customer_id = _customer_id(uow, workspace, current, request)
        agent = uow.agents.get(workspace.id, customer_id) if current.channel == AGENT_CHANNEL else None
        order_id = new_id()
        _book(uow, workspace, current, order_id, now)
        resale.settle(uow, order_id, current.tickets, now)  # resale seats bought: their sellers' tickets resold
        for item in current.items:
            if item.kind == MERCHANDISE and not uow.catalogue.take_stock(item.item_id, item.quantity):
                raise OutOfStock("A merchandise item sold out during checkout")
        _grant_memberships(uow, workspace, current, customer_id, order_id, now)
        order = Order(
            id=order_id,
            workspace_id=workspace.id,
            reference=new_reference(),
            channel=current.channel,
            status="confirmed",
            currency=current.currency(),
            total=current.total,
            created_at=now,
            customer_id=customer_id,
            attributes=dict(current.order_attributes),
            tickets=tuple(
                OrderTicket(
                    new_id(),
                    t.event_id,
                    t.event_key,
                    t.label,
                    t.ticket_type_id,
                    t.category_key,
                    t.price,
                    t.fees,
                    new_barcode(),
                    "valid",
                    dict(t.attributes),
                )
                for t in current.tickets
            ),
            items=tuple(
                OrderItem(new_id(), i.kind, i.item_id, i.amount, i.quantity, i.reference, i.auto_renew)
                for i in current.items
            ),
            payments=(
                Payment(
                    new_id(),
                    request.payment.method,
                    current.total,
                    current.currency(),
                    authorization.status,
                    authorization.reference,
                ),
            ),
        )
        # what an agent or a marketplace wrote back about its buyer, and an agent's commission on each ticket
        order = replace(order, end_customer=current.end_customer, delivery_method=current.delivery_method)
        if agent is not None:
            order = replace(
                order, tickets=with_commission(order.tickets, commission_structure_of(uow, agent), order.currency)
            )
        uow.orders.add(order, request.idempotency_key, current.id)
        uow.baskets.update(current.id, status=CHECKED_OUT, customer_id=customer_id)
        uow.commit()
    return order  # as stored: ids are time-ordered, so its lines are in the order a read gives them


def _customer_id(uow: UnitOfWork, workspace: Workspace, basket: Basket, request: CheckoutRequest) -> str:
    if request.customer_id is not None:
        if uow.catalogue.customer(workspace.id, request.customer_id) is None:
            raise InvalidInput(f"Customer not found: {request.customer_id}")
        return request.customer_id
    if request.customer is not None:
        return find_or_create_in(uow, workspace, request.customer).id
    if basket.customer_id is not None:
        return basket.customer_id
    raise InvalidInput("Checkout needs a customer (details or an id)")


def _book(uow: UnitOfWork, workspace: Workspace, basket: Basket, order_id: str, now: datetime) -> None:
    changes = change_requests(
        uow,
        workspace,
        ((t.event_key, t.label) for t in basket.tickets),
        BOOKED,
        hold_token=basket.hold_token,
        order_id=order_id,
        origin=ORIGIN,
    )
    if not changes:
        return
    try:
        apply_requests(uow, workspace, changes, now)
    except IllegalStatusChange as exc:
        raise Conflict(f"{exc.label} is no longer held by this basket: {exc.reason}") from None


def _grant_memberships(
    uow: UnitOfWork, workspace: Workspace, basket: Basket, customer_id: str, order_id: str, now: datetime
) -> None:
    held = uow.catalogue.active_membership_ids(customer_id, now)
    catalogue = {m.id: m for m in uow.catalogue.memberships(workspace.id)}
    for item in basket.items:
        if item.kind != MEMBERSHIP:
            continue
        if item.item_id in held:
            raise NotEligible("The customer already holds this membership")
        membership = catalogue[item.item_id]
        uow.catalogue.add_customer_membership(
            {
                "id": new_id(),
                "customer_id": customer_id,
                "membership_id": membership.id,
                "order_id": order_id,
                "starts_at": now,
                "expires_at": now + timedelta(days=30 * membership.duration_months),
                "auto_renew": item.auto_renew,
            }
        )
