"""Marketplaces (domain/marketplaces.py): set up by the venue; their Order Integration holds and their
Instant Notification sales.

Both go through the one inventory the way a buyer's basket does: a hold is a basket of the marketplace's
(channel "marketplace", its customer record, the marketplace's hold period as its lifetime), and invoicing
is that basket's checkout, paid on account ("marketplace"). So nothing a marketplace does can sell a seat
twice: the basket's hold is the compare-and-set every other channel goes through.

Calls are idempotent by the marketplace's own reference: a hold or a sale notified twice with the same
reference is the same hold or sale (with different seats or event: `ReferenceReused`, 422).

A marketplace signs each request with a key that is never stored (derived as agents' keys are):

    key = base64(HMAC-SHA256(BOXOFFICE_SYSTEM_SECRET, "marketplace:{id}:{salt}"))
    signature = hex(HMAC-SHA256(key, timestamp + "\\n" + METHOD + "\\n" + path?query + "\\n" + body))
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from boxoffice.domain.agents import end_customer
from boxoffice.domain.baskets import Order
from boxoffice.domain.catalogue import MARKETPLACE
from boxoffice.domain.errors import (
    BasketConsumed,
    BasketEmpty,
    BoxofficeError,
    CatalogueItemNotFound,
    Conflict,
    InvalidInput,
    OrderNotFound,
    Unauthorized,
)
from boxoffice.domain.marketplaces import (
    AUTO_REJECTED,
    CONFIRMED,
    DEFAULT_AUTO_REJECT_MINUTES,
    DEFAULT_HOLD_MINUTES,
    EXPIRED,
    HELD,
    INSTANT_NOTIFICATION,
    INVOICED,
    ORDER_INTEGRATION,
    PENDING,
    REJECTED,
    RELEASED,
    Marketplace,
    MarketplaceHold,
    MarketplaceHoldExpired,
    MarketplaceSale,
    MarketplaceStateConflict,
    check_reference,
    check_seats,
)
from boxoffice.domain.records import Workspace
from boxoffice.domain.statuses import selectable_for_sale
from boxoffice.services import baskets
from boxoffice.services.baskets import BasketPolicy, TicketRequest
from boxoffice.services.catalogue import require_event_performance
from boxoffice.services.checkout import CheckoutRequest, checkout
from boxoffice.services.clock import utcnow
from boxoffice.services.customers import CustomerDetails, create_customer_in
from boxoffice.services.ids import new_id
from boxoffice.services.keys import signing_key
from boxoffice.services.orders import cancel_order
from boxoffice.services.payments import MARKETPLACE_ACCOUNT, PaymentRequest
from boxoffice.storage.uow import Database, UnitOfWork

ON_ACCOUNT = PaymentRequest(MARKETPLACE_ACCOUNT)
MAX_PENDING_LIST = 500


class MarketplaceNotFound(CatalogueItemNotFound):
    code = "MARKETPLACE_NOT_FOUND"


class HoldNotFound(CatalogueItemNotFound):
    code = "HOLD_NOT_FOUND"


class SaleNotFound(CatalogueItemNotFound):
    code = "SALE_NOT_FOUND"


class ReferenceReused(InvalidInput):
    code = "REFERENCE_REUSED"
    http_status = 422


# -- set-up ---------------------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class MarketplaceSetup:
    name: str
    kind: str
    ticket_type_id: str
    hold_minutes: int = DEFAULT_HOLD_MINUTES
    auto_reject_minutes: int = DEFAULT_AUTO_REJECT_MINUTES


@dataclass(frozen=True, slots=True)
class NewMarketplace:
    marketplace: Marketplace
    key: str  # shown once


def derive_key(system_secret: str, marketplace: Marketplace) -> str:
    if not system_secret:
        raise InvalidInput("Marketplaces need BOXOFFICE_SYSTEM_SECRET to be set")
    return signing_key(system_secret, f"marketplace:{marketplace.id}:{marketplace.key_salt}")


def sign(key: str, message: str) -> str:
    """hex(HMAC-SHA256(key as UTF-8, message as UTF-8)): what a marketplace sends as X-Signature."""
    return hmac.new(key.encode(), message.encode("utf-8"), hashlib.sha256).hexdigest()


def signed_message(timestamp: str, method: str, path: str, body: bytes) -> str:
    return f"{timestamp}\n{method}\n{path}\n{body.decode('utf-8', errors='replace')}"


def create_marketplace(
    db: Database, workspace: Workspace, setup: MarketplaceSetup, *, system_secret: str
) -> NewMarketplace:
    if not system_secret:
        raise InvalidInput("Marketplaces need BOXOFFICE_SYSTEM_SECRET to be set")
    with db.write() as uow:
        if uow.catalogue.ticket_type(workspace.id, setup.ticket_type_id) is None:
            raise CatalogueItemNotFound(f"Ticket type not found: {setup.ticket_type_id}")
        draft = Marketplace(
            "", workspace.id, setup.name, setup.kind, setup.ticket_type_id, utcnow(),
            setup.hold_minutes, setup.auto_reject_minutes, True, secrets.token_hex(16),
        ).validated()  # fmt: skip
        customer = create_customer_in(uow, workspace, CustomerDetails(first_name=setup.name[:200]))
        made = replace(draft, id=customer.id)
        uow.marketplaces.add(made)
        uow.commit()
    return NewMarketplace(made, derive_key(system_secret, made))


def list_marketplaces(db: Database, workspace: Workspace) -> list[Marketplace]:
    with db.read() as uow:
        return uow.marketplaces.in_workspace(workspace.id)


def get_marketplace(db: Database, workspace: Workspace, marketplace_id: str) -> Marketplace:
    with db.read() as uow:
        return _marketplace(uow, workspace, marketplace_id)


def _marketplace(uow: UnitOfWork, workspace: Workspace, marketplace_id: str) -> Marketplace:
    found = uow.marketplaces.get(workspace.id, marketplace_id)
    if found is None:
        raise MarketplaceNotFound(f"Marketplace not found: {marketplace_id}")
    return found


def update_marketplace(
    db: Database,
    workspace: Workspace,
    marketplace_id: str,
    *,
    active: bool | None = None,
    hold_minutes: int | None = None,
    auto_reject_minutes: int | None = None,
    ticket_type_id: str | None = None,
) -> Marketplace:
    """Only what is given changes. A new hold period applies to holds placed from now on."""
    with db.write() as uow:
        current = _marketplace(uow, workspace, marketplace_id)
        if ticket_type_id is not None and uow.catalogue.ticket_type(workspace.id, ticket_type_id) is None:
            raise CatalogueItemNotFound(f"Ticket type not found: {ticket_type_id}")
        changed = replace(
            current,
            active=current.active if active is None else active,
            hold_minutes=current.hold_minutes if hold_minutes is None else hold_minutes,
            auto_reject_minutes=current.auto_reject_minutes if auto_reject_minutes is None else auto_reject_minutes,
            ticket_type_id=ticket_type_id or current.ticket_type_id,
        ).validated()
        uow.marketplaces.update(
            marketplace_id,
            active=changed.active,
            hold_minutes=changed.hold_minutes,
            auto_reject_minutes=changed.auto_reject_minutes,
            ticket_type_id=changed.ticket_type_id,
        )
        uow.commit()
    return changed


def regenerate_key(db: Database, workspace: Workspace, marketplace_id: str, *, system_secret: str) -> NewMarketplace:
    if not system_secret:
        raise InvalidInput("Marketplaces need BOXOFFICE_SYSTEM_SECRET to be set")
    with db.write() as uow:
        current = _marketplace(uow, workspace, marketplace_id)
        changed = replace(current, key_salt=secrets.token_hex(16))
        uow.marketplaces.update(marketplace_id, key_salt=changed.key_salt)
        uow.commit()
    return NewMarketplace(changed, derive_key(system_secret, changed))


def authenticate(
    db: Database, marketplace_id: str, message: str, signature: str, *, system_secret: str
) -> tuple[Workspace, Marketplace]:
    """The active marketplace `marketplace_id` and its (active) workspace, if `signature` signs `message`
    with its key; else Unauthorized."""
    if not system_secret:
        raise Unauthorized("Signed requests are not enabled on this server")
    with db.read() as uow:
        found = uow.marketplaces.by_id(marketplace_id)
        workspace = uow.workspaces.by_id(found.workspace_id) if found is not None else None
    if found is None or not found.active or workspace is None or not workspace.is_active:
        raise Unauthorized("Unknown or inactive marketplace")
    expected = sign(derive_key(system_secret, found), message)
    if not hmac.compare_digest(expected.encode(), signature.lower().encode()):
        raise Unauthorized("The signature does not match")
    return workspace, found


# -- availability -----------------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class SeatAvailability:
    label: str
    available: bool
    category_key: str | None = None
    section: str | None = None
    price: int | None = None  # the marketplace's ticket type's price in the seat's band, minor units
    fees: int = 0
    currency: str | None = None
    reason: str | None = None  # why it is not available


def availability(
    db: Database, workspace: Workspace, marketplace: Marketplace, event_key: str, labels: Sequence[str]
) -> list[SeatAvailability]:
    """Whether each seat could be held by the marketplace right now, and at what price. Only a hint: the
    hold itself decides."""
    wanted = check_seats(tuple(labels))
    now = utcnow()
    with db.read() as uow:
        event, performance = require_event_performance(uow, workspace, event_key)
        performance.check_on_sale(MARKETPLACE, now)
        rows = uow.objects.get(event.id, list(wanted))
        price_list = uow.catalogue.price_list(performance.event_id, performance.currency)
    found: list[SeatAvailability] = []
    fees = price_list.fees_for(marketplace.ticket_type_id)
    for label in wanted:
        row = rows.get(label)
        if row is None:
            found.append(SeatAvailability(label, False, reason="no such seat"))
            continue
        price = price_list.price(marketplace.ticket_type_id, row.category_key)
        seat = SeatAvailability(
            label,
            False,
            row.category_key,
            row.section,
            price.amount if price else None,
            fees,
            performance.currency,
        )
        if row.object_type != "seat" and row.object_type != "booth":
            found.append(replace(seat, reason="not a seat: marketplaces sell seats and booths"))
        elif price is None:
            found.append(replace(seat, reason="no price for the marketplace's ticket type in this band"))
        elif not selectable_for_sale(row.state, now):
            found.append(replace(seat, reason="not available"))
        else:
            found.append(replace(seat, available=True))
    return found


# -- Order Integration: binding holds ------------------------------------------------------------------------------
def place_hold(
    db: Database,
    workspace: Workspace,
    marketplace: Marketplace,
    reference: str,
    event_key: str,
    labels: Sequence[str],
) -> MarketplaceHold:
    """Hold the seats for the marketplace's hold period, all or none. The same reference again is the same
    hold (while it exists, whatever became of it)."""
    marketplace.require(ORDER_INTEGRATION)
    reference = check_reference(reference)
    seats = check_seats(tuple(labels))
    existing = _existing_hold(db, marketplace, reference, event_key, seats)
    if existing is not None:
        return existing
    policy = BasketPolicy(ttl=marketplace.hold_period)
    basket = baskets.open_basket(db, workspace, channel=MARKETPLACE, customer_id=marketplace.id, policy=policy)
    requests = [TicketRequest(event_key, label, marketplace.ticket_type_id) for label in seats]
    held = baskets.add_tickets(db, workspace, basket.id, requests, policy=policy)
    hold = MarketplaceHold(
        new_id(), marketplace.id, reference, event_key, basket.id, HELD, held.last_activity_at,
        held.expires_at(policy.ttl), seats,
    )  # fmt: skip
    with db.write() as uow:
        added = uow.marketplaces.add_hold(hold)
        uow.commit()
    if not added:  # the same reference, placed at the same moment by a retry: that one stands
        baskets.clear_basket(db, workspace, basket.id, policy=policy)
        found = _existing_hold(db, marketplace, reference, event_key, seats)
        assert found is not None
        return found
    return hold


def _existing_hold(
    db: Database, marketplace: Marketplace, reference: str, event_key: str, seats: tuple[str, ...]
) -> MarketplaceHold | None:
    with db.read() as uow:
        found = uow.marketplaces.hold_by_reference(marketplace.id, reference)
    if found is None:
        return None
    if found.event_key != event_key or sorted(found.labels) != sorted(seats):
        raise ReferenceReused(f"Reference {reference!r} was used for another hold")
    return _as_of(found, utcnow())


def _as_of(hold: MarketplaceHold, now: datetime) -> MarketplaceHold:
    return replace(hold, status=hold.status_at(now))


def get_hold(db: Database, marketplace: Marketplace, hold_id: str) -> MarketplaceHold:
    with db.read() as uow:
        found = uow.marketplaces.hold(marketplace.id, hold_id)
    if found is None:
        raise HoldNotFound(f"Hold not found: {hold_id}")
    return _as_of(found, utcnow())


def invoice_hold(
    db: Database, workspace: Workspace, marketplace: Marketplace, hold_id: str, buyer: Mapping[str, object]
) -> tuple[MarketplaceHold, Order]:
    """The sale is confirmed: the hold becomes an order of the marketplace (paid on account), once. An
    invoiced hold invoiced again answers the same order."""
    details = end_customer(buyer)
    hold = get_hold(db, marketplace, hold_id)
    if hold.status == INVOICED:
        return hold, _order(db, workspace, hold.order_id)
    if hold.status == EXPIRED:
        raise MarketplaceHoldExpired(f"Hold {hold_id} expired at {hold.expires_at.isoformat()}")
    if hold.status != HELD:
        raise MarketplaceStateConflict(f"Hold {hold_id} is {hold.status}")
    policy = BasketPolicy(ttl=marketplace.hold_period)
    with db.write() as uow:
        uow.baskets.update(hold.basket_id, end_customer=details or None)
        uow.commit()
    request = CheckoutRequest(
        hold.basket_id, ON_ACCOUNT, customer_id=marketplace.id, idempotency_key=f"marketplace-hold:{hold.id}"
    )
    try:
        order = checkout(db, workspace, request, policy=policy)
    except (BasketEmpty, BasketConsumed) as exc:  # released (or lapsed) meanwhile
        raise MarketplaceStateConflict(f"Hold {hold_id} can no longer be invoiced: {exc.message}") from None
    with db.write() as uow:
        uow.marketplaces.update_hold(hold.id, status=INVOICED, order_id=order.id)
        uow.commit()
    return replace(hold, status=INVOICED, order_id=order.id), order


def release_hold(db: Database, workspace: Workspace, marketplace: Marketplace, hold_id: str) -> MarketplaceHold:
    """The buyer failed the marketplace's review: the seats go back. Releasing twice is the same release;
    an invoiced hold cannot be released (409)."""
    hold = get_hold(db, marketplace, hold_id)
    if hold.status in (RELEASED, EXPIRED):
        return hold
    if hold.status == INVOICED:
        raise MarketplaceStateConflict(f"Hold {hold_id} is invoiced; it can no longer be released")
    try:
        baskets.clear_basket(db, workspace, hold.basket_id, policy=BasketPolicy(ttl=marketplace.hold_period))
    except (Conflict, BasketConsumed):  # being checked out, or checked out: the invoice came first
        raise MarketplaceStateConflict(f"Hold {hold_id} is being invoiced; it can no longer be released") from None
    with db.write() as uow:
        uow.marketplaces.update_hold(hold.id, status=RELEASED)
        uow.commit()
    return replace(hold, status=RELEASED)


# -- Instant Notification: sales ----------------------------------------------------------------------------------
def notify_sale(
    db: Database,
    workspace: Workspace,
    marketplace: Marketplace,
    reference: str,
    event_key: str,
    labels: Sequence[str],
    buyer: Mapping[str, object],
) -> MarketplaceSale:
    """The marketplace has sold these seats: invoice them now if they are still sellable (confirmed),
    else keep the sale pending for the venue (invoice later, reject) or for the automatic rejection. The
    sale is written before anything is tried, so a crash midway leaves it pending, never lost."""
    marketplace.require(INSTANT_NOTIFICATION)
    reference = check_reference(reference)
    seats = check_seats(tuple(labels))
    details = end_customer(buyer)
    sale = MarketplaceSale(new_id(), marketplace.id, reference, event_key, seats, PENDING, utcnow(), details)
    with db.write() as uow:
        require_event_performance(uow, workspace, event_key)  # an unknown performance is bad input, not pending
        added = uow.marketplaces.add_sale(sale)
        uow.commit()
    if not added:
        with db.read() as uow:
            found = uow.marketplaces.sale_by_reference(marketplace.id, reference)
        assert found is not None
        if found.event_key != event_key or sorted(found.labels) != sorted(seats):
            raise ReferenceReused(f"Reference {reference!r} was used for another sale")
        return replace(found, status=found.status_at(utcnow(), marketplace.auto_reject_after))
    return _fulfil(db, workspace, marketplace, sale)


def _fulfil(db: Database, workspace: Workspace, marketplace: Marketplace, sale: MarketplaceSale) -> MarketplaceSale:
    """Try to invoice a pending sale: confirmed with its order, or still pending with the reason."""
    policy = BasketPolicy(ttl=marketplace.hold_period)
    try:
        basket = baskets.open_basket(db, workspace, channel=MARKETPLACE, customer_id=marketplace.id, policy=policy)
        requests = [TicketRequest(sale.event_key, label, marketplace.ticket_type_id) for label in sale.labels]
        baskets.add_tickets(db, workspace, basket.id, requests, policy=policy)
        with db.write() as uow:
            uow.baskets.update(basket.id, end_customer=sale.buyer or None)
            uow.commit()
        request = CheckoutRequest(
            basket.id, ON_ACCOUNT, customer_id=marketplace.id, idempotency_key=f"marketplace-sale:{sale.id}:{basket.id}"
        )
        order = checkout(db, workspace, request, policy=policy)
    except BoxofficeError as exc:  # not sellable now: pending, with why
        reason = exc.message[:500]
        with db.write() as uow:
            current = uow.marketplaces.sale(sale.id, for_update=True)
            if current is not None and current.status == PENDING:
                uow.marketplaces.update_sale(sale.id, reason=reason)
            uow.commit()
        return replace(sale, reason=reason)
    with db.write() as uow:
        current = uow.marketplaces.sale(sale.id, for_update=True)
        if current is None or current.status_at(utcnow(), marketplace.auto_reject_after) != PENDING:
            # rejected while this was being invoiced: the seats go back, the rejection stands
            uow.commit()
            _cancel(db, workspace, order)
            raise MarketplaceStateConflict(f"Sale {sale.id} was {current.status if current else 'removed'} meanwhile")
        uow.marketplaces.update_sale(sale.id, status=CONFIRMED, order_id=order.id, reason=None)
        uow.commit()
    return replace(sale, status=CONFIRMED, order_id=order.id, reason=None)


def _cancel(db: Database, workspace: Workspace, order: Order) -> None:
    cancel_order(db, workspace, order.id, reason="marketplace sale rejected while being invoiced")


def get_sale(db: Database, marketplace: Marketplace, sale_id: str) -> MarketplaceSale:
    with db.read() as uow:
        found = uow.marketplaces.sale(sale_id)
    if found is None or found.marketplace_id != marketplace.id:
        raise SaleNotFound(f"Sale not found: {sale_id}")
    return replace(found, status=found.status_at(utcnow(), marketplace.auto_reject_after))


# -- the venue's side of Instant Notification ------------------------------------------------------------------------
def list_sales(db: Database, workspace: Workspace, *, status: str | None = None) -> list[MarketplaceSale]:
    """The workspace's notified sales (oldest first), as of now: a pending sale past its marketplace's
    window shows as automatically rejected even before the job has written it."""
    now = utcnow()
    with db.read() as uow:
        windows = {m.id: m.auto_reject_after for m in uow.marketplaces.in_workspace(workspace.id)}
        stored_status = PENDING if status == AUTO_REJECTED else status
        found = uow.marketplaces.sales(workspace.id, status=stored_status, limit=MAX_PENDING_LIST)
    current = [replace(s, status=s.status_at(now, windows[s.marketplace_id])) for s in found]
    return [s for s in current if status is None or s.status == status]


def _sale_of_workspace(uow: UnitOfWork, workspace: Workspace, sale_id: str) -> tuple[MarketplaceSale, Marketplace]:
    found = uow.marketplaces.sale(sale_id, for_update=True)
    marketplace = uow.marketplaces.get(workspace.id, found.marketplace_id) if found else None
    if found is None or marketplace is None:
        raise SaleNotFound(f"Sale not found: {sale_id}")
    return found, marketplace


def reject_sale(db: Database, workspace: Workspace, sale_id: str, *, reason: str = "") -> MarketplaceSale:
    """The venue cannot fulfil a pending sale: rejected (the marketplace learns it by reading the sale)."""
    now = utcnow()
    with db.write() as uow:
        sale, marketplace = _sale_of_workspace(uow, workspace, sale_id)
        status = sale.status_at(now, marketplace.auto_reject_after)
        if status != PENDING:
            raise MarketplaceStateConflict(f"Sale {sale_id} is {status}; only a pending sale can be rejected")
        note = (reason or "rejected by the venue")[:500]
        uow.marketplaces.update_sale(sale_id, status=REJECTED, reason=note)
        uow.commit()
    return replace(sale, status=REJECTED, reason=note)


def invoice_sale(db: Database, workspace: Workspace, sale_id: str) -> MarketplaceSale:
    """The venue tries a pending sale again (say, after freeing the seats): confirmed, or still pending."""
    now = utcnow()
    with db.read() as uow:
        found = uow.marketplaces.sale(sale_id)
        marketplace = uow.marketplaces.get(workspace.id, found.marketplace_id) if found else None
    if found is None or marketplace is None:
        raise SaleNotFound(f"Sale not found: {sale_id}")
    status = found.status_at(now, marketplace.auto_reject_after)
    if status == CONFIRMED:
        return found
    if status != PENDING:
        raise MarketplaceStateConflict(f"Sale {sale_id} is {status}; only a pending sale can be invoiced")
    return _fulfil(db, workspace, marketplace, found)


def _order(db: Database, workspace: Workspace, order_id: str | None) -> Order:
    with db.read() as uow:
        found = uow.orders.get(workspace.id, order_id) if order_id else None
    if found is None:
        raise OrderNotFound(f"Order not found: {order_id}")
    return found
