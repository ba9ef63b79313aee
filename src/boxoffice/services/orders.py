"""Orders after checkout: look-ups, search, cancellation and returns (seats free at once, logged),
refunds recorded."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from boxoffice.domain.baskets import MERCHANDISE, Order, OrderTicket
from boxoffice.domain.errors import Conflict, InvalidInput, OrderNotFound
from boxoffice.domain.records import Workspace
from boxoffice.domain.resale import RESOLD
from boxoffice.domain.statuses import FREE
from boxoffice.services.clock import utcnow
from boxoffice.services.ids import new_id
from boxoffice.services.inventory import apply_requests
from boxoffice.services.ticket_lines import change_requests
from boxoffice.storage.uow import Database, UnitOfWork

CANCELLED = "cancelled"
RETURNED = "returned"


def get_order(db: Database, workspace: Workspace, order_id: str) -> Order:
    with db.read() as uow:
        order = uow.orders.get(workspace.id, order_id)
    if order is None:
        raise OrderNotFound(f"Order not found: {order_id}")
    return order


def search_orders(
    db: Database,
    workspace: Workspace,
    *,
    customer_id: str | None = None,
    event_key: str | None = None,
    reference: str | None = None,
    barcode: str | None = None,
    channel: str | None = None,
    created_from: datetime | None = None,
    created_to: datetime | None = None,
    limit: int = 100,
) -> list[Order]:
    """Newest first; `created_from` and `created_to` bound the creation time (both inclusive)."""
    with db.read() as uow:
        event_id = None
        if event_key is not None:
            event = uow.events.by_key(workspace.id, event_key)
            if event is None:
                return []
            event_id = event.id
        return uow.orders.search(
            workspace.id,
            customer_id=customer_id,
            event_id=event_id,
            reference=reference,
            barcode=barcode,
            channel=channel,
            created_from=created_from,
            created_to=created_to,
            limit=max(1, min(limit, 500)),
        )


def cancel_order(
    db: Database,
    workspace: Workspace,
    order_id: str,
    *,
    refund: bool = True,
    reason: str = "",
    now: datetime | None = None,
) -> Order:
    """Cancel the whole order: every valid ticket's seat is freed, stock returned, the refund recorded."""
    moment = now or utcnow()
    with db.write() as uow:
        order = _require(uow, workspace, order_id)
        if order.status == CANCELLED:
            raise Conflict("The order is already cancelled")
        valid = [t for t in order.tickets if t.status == "valid"]
        _refuse_listed(uow, valid)
        _free(uow, workspace, order, valid, moment)
        uow.orders.set_ticket_status([t.id for t in valid], RETURNED)
        for item in order.items:
            if item.status == "valid" and item.kind == MERCHANDISE:
                uow.catalogue.return_stock(item.item_id, item.quantity)
        uow.orders.set_item_status([i.id for i in order.items if i.status == "valid"], RETURNED)
        uow.orders.set_status(order.id, CANCELLED)
        # a ticket resold to someone else was paid for by its buyer: its seller's payout settles it
        resold = sum(t.price + t.fees for t in order.tickets if t.status == RESOLD)
        amount = order.total - order.refunded - resold
        if refund and amount > 0:
            uow.orders.add_refund(new_id(), order.id, amount, reason or "order cancelled", moment)
        updated = uow.orders.get(workspace.id, order.id)
        uow.commit()
    assert updated is not None
    return updated


def return_tickets(
    db: Database,
    workspace: Workspace,
    order_id: str,
    ticket_ids: Sequence[str],
    *,
    refund: bool = True,
    reason: str = "",
    now: datetime | None = None,
) -> Order:
    """Return single tickets: their seats (or GA places) are freed at once; the refund is recorded."""
    moment = now or utcnow()
    if not ticket_ids:
        raise InvalidInput("No tickets given")
    with db.write() as uow:
        order = _require(uow, workspace, order_id)
        by_id = {t.id: t for t in order.tickets}
        unknown = [t for t in ticket_ids if t not in by_id]
        if unknown:
            raise InvalidInput(f"Not tickets of this order: {', '.join(unknown)}")
        chosen = [by_id[t] for t in dict.fromkeys(ticket_ids)]
        already = [t.id for t in chosen if t.status != "valid"]
        if already:
            raise Conflict(f"Already returned: {', '.join(already)}")
        _refuse_listed(uow, chosen)
        _free(uow, workspace, order, chosen, moment)
        uow.orders.set_ticket_status([t.id for t in chosen], RETURNED)
        if refund:
            uow.orders.add_refund(
                new_id(), order.id, sum(t.price + t.fees for t in chosen), reason or "tickets returned", moment
            )
        if all(t.status != "valid" or t.id in set(ticket_ids) for t in order.tickets) and not any(
            i.status == "valid" for i in order.items
        ):
            uow.orders.set_status(order.id, CANCELLED)
        updated = uow.orders.get(workspace.id, order.id)
        uow.commit()
    assert updated is not None
    return updated


def _refuse_listed(uow: UnitOfWork, tickets: Sequence[OrderTicket]) -> None:
    """A ticket up for resale is the resale market's until its listing is withdrawn (a buyer may hold it)."""
    listed = [t.id for t in tickets if uow.resale.of_ticket(t.id) is not None]
    if listed:
        raise Conflict(f"Listed for resale (withdraw the listing first): {', '.join(listed)}")


def _require(uow: UnitOfWork, workspace: Workspace, order_id: str) -> Order:
    order = uow.orders.get(workspace.id, order_id, for_update=True)
    if order is None:
        raise OrderNotFound(f"Order not found: {order_id}")
    return order


def _free(uow: UnitOfWork, workspace: Workspace, order: Order, tickets: Sequence[OrderTicket], now: datetime) -> None:
    changes = change_requests(
        uow, workspace, ((t.event_key, t.label) for t in tickets), FREE, owned_by_order=order.id, origin="ORDER_RETURN"
    )
    if changes:
        apply_requests(uow, workspace, changes, now)
