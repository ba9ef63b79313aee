"""Baskets: a server-side cart whose tickets are holds on the inventory under the basket's hold token.

The basket lives `ttl` (20 minutes by default) after its last API activity; its hold token expires with
it, so abandoned seats return by themselves (the compare-and-set treats a lapsed hold as free). A basket
that is used again after it lapsed comes back empty, under a fresh hold token. Adding several tickets is
all or nothing, across performances; an error names the item (0-based index) and why.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

from boxoffice.domain.baskets import (
    CHECKED_OUT,
    CHECKING_OUT,
    DEFAULT_TTL,
    DONATION,
    MEMBERSHIP,
    MERCHANDISE,
    OPEN,
    SUBSCRIPTION,
    Basket,
    BasketItem,
    BasketTicket,
    check_membership_addable,
    check_reference,
)
from boxoffice.domain.catalogue import AGENT, CHANNELS, Performance, PriceList
from boxoffice.domain.errors import (
    BasketConsumed,
    BasketEmpty,
    BasketNotFound,
    BoxofficeError,
    CatalogueItemNotFound,
    Conflict,
    IllegalStatusChange,
    InvalidInput,
    ItemError,
    NotEligible,
    ObjectNotFound,
    OutOfStock,
    PriceNotFound,
)
from boxoffice.domain.layout import ObjectType
from boxoffice.domain.records import Event, HoldToken, Workspace
from boxoffice.domain.statuses import FREE, HELD, RESALE
from boxoffice.services import resale
from boxoffice.services.best_available import BestAvailableOrder, take_best_available_in
from boxoffice.services.catalogue import require_event_performance, require_performance
from boxoffice.services.clock import utcnow
from boxoffice.services.ids import new_id, new_secret_id
from boxoffice.services.inventory import apply_requests
from boxoffice.services.ticket_lines import change_requests
from boxoffice.storage.objects import ObjectRow
from boxoffice.storage.uow import Database, UnitOfWork

ORIGIN = "BASKET"
MAX_TICKETS_PER_REQUEST = 100


@dataclass(frozen=True, slots=True)
class BasketPolicy:
    ttl: timedelta = DEFAULT_TTL
    agent: bool = False  # agents may not buy memberships or ticket subscriptions
    agent_id: str | None = None  # agent mode: only this agent's baskets exist (any other is BasketNotFound)

    def sees(self, basket: Basket) -> bool:
        return self.agent_id is None or (basket.channel == AGENT and basket.customer_id == self.agent_id)


@dataclass(frozen=True, slots=True)
class TicketRequest:
    """A reserved seat (`label`) or a place in an unreserved area (`label` is the area)."""

    event_key: str
    label: str
    ticket_type_id: str
    attributes: dict[str, Any] = field(default_factory=dict)


# -- opening and loading --------------------------------------------------------------------------------
def open_basket(
    db: Database,
    workspace: Workspace,
    *,
    channel: str = "web",
    customer_id: str | None = None,
    policy: BasketPolicy = BasketPolicy(),
    now: datetime | None = None,
) -> Basket:
    if channel not in CHANNELS:
        raise InvalidInput(f"Unknown sales channel {channel}")
    moment = now or utcnow()
    with db.write() as uow:
        token = _new_token(uow, workspace, moment, policy)
        basket = Basket(new_secret_id(), workspace.id, token.token, OPEN, channel, moment, moment, customer_id)
        uow.baskets.add(basket)
        uow.commit()
    return basket


def _new_token(uow: UnitOfWork, workspace: Workspace, now: datetime, policy: BasketPolicy) -> HoldToken:
    import secrets

    token = HoldToken(secrets.token_hex(16), workspace.id, now, now + policy.ttl)
    uow.hold_tokens.add(token)
    return token


def load_live(
    uow: UnitOfWork,
    workspace: Workspace,
    basket_id: str,
    now: datetime,
    policy: BasketPolicy,
    *,
    lock: bool = True,
    read: Basket | None = None,
) -> Basket:
    """The basket, touched (its TTL restarts). A lapsed basket comes back empty under a fresh token.
    `read`: the basket as this unit of work already read it (and locked it, if `lock`)."""
    basket = read if read is not None else uow.baskets.get(workspace.id, basket_id, for_update=lock)
    if basket is None or not policy.sees(basket):
        raise BasketNotFound(f"Basket not found: {basket_id}")
    if basket.status == CHECKED_OUT:
        raise BasketConsumed("This basket has been checked out; start a new one")
    if basket.status == OPEN and basket.expires_at(policy.ttl) <= now:
        from boxoffice.services.hold_tokens import release_token_holds

        release_token_holds(uow, basket.hold_token, now, origin="BASKET_EXPIRED")
        uow.baskets.clear(basket.id)
        token = _new_token(uow, workspace, now, policy)
        uow.baskets.update(basket.id, hold_token=token.token, order_attributes={})
        basket = replace(basket, hold_token=token.token, tickets=(), items=(), order_attributes={})
    if basket.status == OPEN:
        uow.baskets.touch(basket.id, now)
        uow.hold_tokens.set_expiry(basket.hold_token, now + policy.ttl)
        basket = replace(basket, last_activity_at=now)
    return basket


def _reload(uow: UnitOfWork, workspace: Workspace, basket_id: str) -> Basket:
    basket = uow.baskets.get(workspace.id, basket_id)
    assert basket is not None
    return basket


def get_basket(
    db: Database,
    workspace: Workspace,
    basket_id: str,
    *,
    policy: BasketPolicy = BasketPolicy(),
    now: datetime | None = None,
) -> Basket:
    moment = now or utcnow()
    with db.write() as uow:
        basket = load_live(uow, workspace, basket_id, moment, policy)
        uow.commit()
    return basket


def _require_open(basket: Basket) -> None:
    if basket.status == CHECKING_OUT:
        raise Conflict("This basket is being checked out")


@dataclass(slots=True)
class _Change:
    uow: UnitOfWork
    basket: Basket
    now: datetime
    result: Basket | None = None

    @property
    def updated(self) -> Basket:
        assert self.result is not None, "read after the change committed"
        return self.result


@contextmanager
def _changing(
    db: Database, workspace: Workspace, basket_id: str, policy: BasketPolicy, now: datetime | None
) -> Iterator[_Change]:
    """One basket change: the live, open basket in a write unit of work; reloaded and committed after."""
    moment = now or utcnow()
    with db.write() as uow:
        basket = load_live(uow, workspace, basket_id, moment, policy)
        _require_open(basket)
        change = _Change(uow, basket, moment)
        yield change
        change.result = _reload(uow, workspace, basket.id)
        uow.commit()


# -- tickets --------------------------------------------------------------------------------------------
def add_tickets(
    db: Database,
    workspace: Workspace,
    basket_id: str,
    requests: Sequence[TicketRequest],
    *,
    policy: BasketPolicy = BasketPolicy(),
    now: datetime | None = None,
) -> Basket:
    """Hold every requested seat or area place and add it, priced; all or nothing."""
    if not requests:
        raise InvalidInput("No tickets given")
    if len(requests) > MAX_TICKETS_PER_REQUEST:
        raise InvalidInput(f"At most {MAX_TICKETS_PER_REQUEST} tickets per request")
    with _changing(db, workspace, basket_id, policy, now) as change:
        uow, basket, moment = change.uow, change.basket, change.now
        pricing = _Pricing(uow, workspace, basket, moment, requests)
        priced = [pricing.ticket(i, r) for i, r in enumerate(requests)]
        _hold(uow, workspace, basket, requests, moment, events=pricing.events, areas=pricing.areas())
        _check_resale_held(uow, priced)
        uow.baskets.add_tickets(basket.id, priced)
    return change.updated


class _Pricing:
    """Prices one request's tickets, reading each performance, ticket type, price list and the requested
    rows once for the request rather than once per ticket (four tickets cost a dozen queries before)."""

    def __init__(
        self,
        uow: UnitOfWork,
        workspace: Workspace,
        basket: Basket,
        now: datetime,
        requests: Sequence[TicketRequest],
    ) -> None:
        self.uow, self.workspace, self.basket, self.now = uow, workspace, basket, now
        self._requests = requests
        self._performances: dict[str, Performance] = {}
        self.events: dict[str, Event] = {}  # by key: the holds need them too
        self._ticket_types: set[str] = set()
        self._price_lists: dict[int, PriceList] = {}
        self._rows: dict[int, dict[str, ObjectRow]] = {}

    def ticket(self, index: int, request: TicketRequest) -> BasketTicket:
        uow = self.uow
        try:
            performance = self._performance(request.event_key)
            if request.ticket_type_id not in self._ticket_types:
                if uow.catalogue.ticket_type(self.workspace.id, request.ticket_type_id) is None:
                    raise PriceNotFound(f"Unknown ticket type {request.ticket_type_id}")
                self._ticket_types.add(request.ticket_type_id)
            rows = self._rows_of(performance)
            if request.label not in rows:
                raise ObjectNotFound([request.label], request.event_key)
            band = rows[request.label].category_key
            if rows[request.label].object_type == ObjectType.TABLE:
                raise InvalidInput("Add the seats of a table, not the table")
            price_list = self._price_lists.get(performance.event_id)
            if price_list is None:
                price_list = uow.catalogue.price_list(performance.event_id, performance.currency)
                self._price_lists[performance.event_id] = price_list
            line = _line(self.basket, performance, price_list, request, band)
            if rows[request.label].state.effective(self.now).status == RESALE:
                # a ticket its owner resells: at the listing's price, no booking fee (domain/resale.py)
                listing = resale.listings_for(uow, performance.event_id, [request.label]).get(request.label)
                if listing is not None:
                    line = replace(line, price=listing.price, fees=0, resale_listing_id=listing.id)
            return line
        except BoxofficeError as exc:
            raise ItemError(index, exc) from None

    def _performance(self, event_key: str) -> Performance:
        found = self._performances.get(event_key)
        if found is None:
            event, found = require_event_performance(self.uow, self.workspace, event_key)
            found.check_on_sale(self.basket.channel, self.now)
            self._performances[event_key] = found
            self.events[event_key] = event
        return found

    def areas(self) -> dict[str, set[str]]:
        """The general admission areas among the rows read, per event key."""
        return {
            key: {
                label
                for label, row in self._rows.get(event.id, {}).items()
                if row.object_type == ObjectType.GENERAL_ADMISSION
            }
            for key, event in self.events.items()
        }

    def _rows_of(self, performance: Performance) -> dict[str, ObjectRow]:
        """Every row this request names on the performance's event, in one read."""
        rows = self._rows.get(performance.event_id)
        if rows is None:
            labels = [r.label for r in self._requests if r.event_key == performance.event_key]
            rows = self._rows[performance.event_id] = self.uow.objects.get(performance.event_id, labels)
        return rows


def _line(
    basket: Basket, performance: Performance, price_list: PriceList, request: TicketRequest, band: str | None
) -> BasketTicket:
    del basket
    price = price_list.price(request.ticket_type_id, band)
    if band is None or price is None:
        raise PriceNotFound(
            f"Ticket type {request.ticket_type_id} has no price in band {band} for performance {performance.event_key}"
        )
    return BasketTicket(
        id=new_id(),
        event_id=performance.event_id,
        event_key=performance.event_key,
        label=request.label,
        ticket_type_id=request.ticket_type_id,
        category_key=band,
        price=price.amount,
        fees=price_list.fees_for(request.ticket_type_id),
        currency=performance.currency,
        attributes=dict(request.attributes),
    )


def _check_resale_held(uow: UnitOfWork, priced: Sequence[BasketTicket]) -> None:
    """A line priced by a resale listing must have been held from resale (not freed meanwhile by another
    API and held as a primary seat, at the resale price)."""
    for index, line in enumerate(priced):
        if line.resale_listing_id is None:
            continue
        state = uow.objects.get(line.event_id, [line.label])[line.label].state
        if state.status_before_hold != RESALE:
            raise ItemError(index, Conflict(f"{line.label} is no longer for resale; add it again"))


def _hold(
    uow: UnitOfWork,
    workspace: Workspace,
    basket: Basket,
    requests: Sequence[TicketRequest],
    now: datetime,
    *,
    events: Mapping[str, Event],
    areas: Mapping[str, set[str]],
) -> None:
    """Hold the requested places; `events` and `areas` (GA labels), by event key, as pricing read them."""
    changes = change_requests(
        uow,
        workspace,
        ((r.event_key, r.label) for r in requests),
        HELD,
        known_areas=areas,
        hold_token=basket.hold_token,
        origin=ORIGIN,
        **_presented(uow, workspace, basket),
    )
    for change in changes:  # one event at a time (same transaction), so a refusal names its own item
        event_key = change.event_keys[0]
        try:
            apply_requests(uow, workspace, [change], now, known_events=events)
        except IllegalStatusChange as exc:
            index = next(
                (i for i, r in enumerate(requests) if r.event_key == event_key and r.label == exc.label),
                next((i for i, r in enumerate(requests) if r.event_key == event_key), 0),
            )
            raise ItemError(index, Conflict(f"{exc.label} is not available: {exc.reason}")) from None


def _presented(uow: UnitOfWork, workspace: Workspace, basket: Basket) -> dict[str, Any]:
    """What the basket's holds present besides its token: an agent's basket presents the agent's lock
    (domain/agents.py), so the seats locked for it are its to sell; a restricted agent's sells nothing else."""
    if basket.channel != AGENT or basket.customer_id is None:
        return {}
    agent = uow.agents.get(workspace.id, basket.customer_id)
    if agent is None:
        return {}
    caller = agent.presents()
    return {"channel_keys": caller.channel_keys, "only_channels": caller.only_channels}


def add_best_available(
    db: Database,
    workspace: Workspace,
    basket_id: str,
    event_key: str,
    quantity: int,
    ticket_type_id: str,
    *,
    bands: Sequence[str] | None = None,
    sections: Sequence[str] | None = None,
    policy: BasketPolicy = BasketPolicy(),
    now: datetime | None = None,
) -> Basket:
    """The best `quantity` seats (optionally within bands/areas), held and priced for `ticket_type_id`."""
    with _changing(db, workspace, basket_id, policy, now) as change:
        uow, basket, moment = change.uow, change.basket, change.now
        performance = require_performance(uow, workspace, event_key)
        performance.check_on_sale(basket.channel, moment)
        price_list = uow.catalogue.price_list(performance.event_id, performance.currency)
        priced_bands = {p.category_key for p in price_list.prices if p.ticket_type_id == ticket_type_id}
        if not priced_bands:
            raise PriceNotFound(f"Ticket type {ticket_type_id} has no price for performance {event_key}")
        wanted = priced_bands & set(bands) if bands else priced_bands
        if not wanted:
            raise PriceNotFound(f"Ticket type {ticket_type_id} has no price in bands {sorted(bands or [])}")
        presented = _presented(uow, workspace, basket)
        result = take_best_available_in(
            uow,
            workspace,
            BestAvailableOrder(
                event_key=event_key,
                number=quantity,
                status=HELD,
                categories=frozenset(wanted),
                sections=frozenset(sections) if sections else None,
                hold_token=basket.hold_token,
                # a restricted agent picks from its lock alone; any other basket from general sale
                channel_keys=presented["channel_keys"] if presented.get("only_channels") else frozenset(),
            ),
            moment,
            origin=ORIGIN,
        )
        rows = uow.objects.get(performance.event_id, list(result.labels))
        lines = [
            _line(
                basket,
                performance,
                price_list,
                TicketRequest(event_key, label, ticket_type_id),
                rows[label].category_key,
            )
            for label in result.labels
        ]
        uow.baskets.add_tickets(basket.id, lines)
    return change.updated


def remove_tickets(
    db: Database,
    workspace: Workspace,
    basket_id: str,
    ticket_ids: Sequence[str],
    *,
    policy: BasketPolicy = BasketPolicy(),
    now: datetime | None = None,
) -> Basket:
    with _changing(db, workspace, basket_id, policy, now) as change:
        uow, basket, moment = change.uow, change.basket, change.now
        by_id = {t.id: t for t in basket.tickets}
        unknown = [t for t in ticket_ids if t not in by_id]
        if unknown:
            raise InvalidInput(f"Not in this basket: {', '.join(unknown)}")
        _release(uow, workspace, basket, [by_id[t] for t in dict.fromkeys(ticket_ids)], moment)
        uow.baskets.remove_tickets(basket.id, list(ticket_ids))
    return change.updated


def _release(
    uow: UnitOfWork, workspace: Workspace, basket: Basket, tickets: Sequence[BasketTicket], now: datetime
) -> None:
    token = uow.hold_tokens.get(workspace.id, basket.hold_token)
    if token is None or token.expired(now):
        return  # the holds have lapsed already: nothing left to release
    changes = change_requests(
        uow, workspace, ((t.event_key, t.label) for t in tickets), FREE, hold_token=basket.hold_token, origin=ORIGIN
    )
    if changes:
        apply_requests(uow, workspace, changes, now)


def clear_basket(
    db: Database,
    workspace: Workspace,
    basket_id: str,
    *,
    policy: BasketPolicy = BasketPolicy(),
    now: datetime | None = None,
) -> Basket:
    with _changing(db, workspace, basket_id, policy, now) as change:
        uow, basket, moment = change.uow, change.basket, change.now
        _release(uow, workspace, basket, basket.tickets, moment)
        uow.baskets.clear(basket.id)
        uow.baskets.update(basket.id, order_attributes={})
    return change.updated


# -- attributes -----------------------------------------------------------------------------------------
def _check_attributes(uow: UnitOfWork, workspace: Workspace, applies_to: str, attributes: dict[str, Any]) -> None:
    visible = {
        a.name
        for a in uow.catalogue.attribute_definitions(workspace.id)
        if a.applies_to == applies_to and a.visible_in_api
    }
    for name, value in attributes.items():
        if name not in visible:
            raise InvalidInput(
                f"{name!r} is not a {applies_to} attribute visible in the API "
                f"(names are matched exactly, as set up in the settings)"
            )
        if not isinstance(value, str | int | float | bool) or (isinstance(value, str) and len(value) > 1000):
            raise InvalidInput(f"Attribute {name!r} must be a short text, number or yes/no")


def set_ticket_attributes(
    db: Database,
    workspace: Workspace,
    basket_id: str,
    attributes: dict[str, Any],
    ticket_id: str | None = None,
    *,
    policy: BasketPolicy = BasketPolicy(),
    now: datetime | None = None,
) -> Basket:
    """Set attributes on one ticket, or on every ticket of the basket when `ticket_id` is None."""
    with _changing(db, workspace, basket_id, policy, now) as change:
        uow, basket = change.uow, change.basket
        _check_attributes(uow, workspace, "ticket", attributes)
        targets = [t for t in basket.tickets if ticket_id is None or t.id == ticket_id]
        if ticket_id is not None and not targets:
            raise InvalidInput(f"Ticket {ticket_id} is not in this basket")
        if not targets:
            raise BasketEmpty("The basket has no tickets")
        for t in targets:
            uow.baskets.set_ticket_attributes(t.id, {**t.attributes, **attributes})
    return change.updated


def set_order_attributes(
    db: Database,
    workspace: Workspace,
    basket_id: str,
    attributes: dict[str, Any],
    *,
    policy: BasketPolicy = BasketPolicy(),
    now: datetime | None = None,
) -> Basket:
    with _changing(db, workspace, basket_id, policy, now) as change:
        uow, basket = change.uow, change.basket
        if basket.empty:
            raise BasketEmpty("Order attributes cannot be set on an empty basket")
        _check_attributes(uow, workspace, "order", attributes)
        uow.baskets.update(basket.id, order_attributes={**basket.order_attributes, **attributes})
    return change.updated


# -- other items ----------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Donation:
    fund_id: str
    amount: int  # minor units


@dataclass(frozen=True, slots=True)
class Merchandise:
    stock_item_id: str
    quantity: int = 1
    reference: str | None = None


@dataclass(frozen=True, slots=True)
class MembershipPurchase:
    membership_id: str
    auto_renew: bool = False


@dataclass(frozen=True, slots=True)
class TicketSubscription:
    structure_id: str
    quantity: int = 1


NewItem = Donation | Merchandise | MembershipPurchase | TicketSubscription


def add_items(
    db: Database,
    workspace: Workspace,
    basket_id: str,
    items: Sequence[NewItem],
    *,
    policy: BasketPolicy = BasketPolicy(),
    now: datetime | None = None,
) -> Basket:
    """Add donations, merchandise, memberships and ticket subscriptions: all or nothing, in one
    transaction; a refusal is an `ItemError` naming the item (0-based) and why."""
    if not items:
        raise InvalidInput("No items given")
    with _changing(db, workspace, basket_id, policy, now) as change:
        basket = change.basket
        for index, item in enumerate(items):
            try:
                line = _item_line(change.uow, workspace, basket, item, change.now, policy)
            except BoxofficeError as exc:
                raise ItemError(index, exc) from None
            change.uow.baskets.add_item(basket.id, line)
            basket = replace(basket, items=(*basket.items, line))  # later items see earlier ones
    return change.updated


def _item_line(
    uow: UnitOfWork, workspace: Workspace, basket: Basket, item: NewItem, now: datetime, policy: BasketPolicy
) -> BasketItem:
    if isinstance(item, Donation):
        fund = next((f for f in uow.catalogue.funds(workspace.id) if f.id == item.fund_id), None)
        if fund is None:
            raise CatalogueItemNotFound(f"Fund not found: {item.fund_id}")
        if isinstance(item.amount, bool) or item.amount < max(1, fund.minimum_amount):
            raise InvalidInput(f"A donation to {fund.name} is at least {max(1, fund.minimum_amount)} minor units")
        return BasketItem(new_id(), DONATION, fund.id, item.amount, fund.currency)
    if isinstance(item, Merchandise):
        check_reference(item.reference)
        if item.quantity < 1:
            raise InvalidInput("Quantity must be at least 1")
        stock = next((s for s in uow.catalogue.stock_items(workspace.id) if s.id == item.stock_item_id), None)
        if stock is None:
            raise CatalogueItemNotFound(f"Stock item not found: {item.stock_item_id}")
        in_basket = sum(i.quantity for i in basket.items if i.kind == MERCHANDISE and i.item_id == stock.id)
        if stock.stock_level < in_basket + item.quantity:
            raise OutOfStock(f"Only {stock.stock_level} of {stock.name} left")
        return BasketItem(new_id(), MERCHANDISE, stock.id, stock.price, stock.currency, item.quantity, item.reference)
    if policy.agent:
        raise NotEligible("Memberships and ticket subscriptions cannot be sold through agents")
    if isinstance(item, MembershipPurchase):
        membership = next((m for m in uow.catalogue.memberships(workspace.id) if m.id == item.membership_id), None)
        if membership is None:
            raise CatalogueItemNotFound(f"Membership not found: {item.membership_id}")
        if item.auto_renew and not membership.auto_renew_allowed:
            raise InvalidInput(f"{membership.name} cannot auto-renew")
        held = uow.catalogue.active_membership_ids(basket.customer_id, now) if basket.customer_id else set()
        check_membership_addable(basket, membership.id, held)
        return BasketItem(
            new_id(), MEMBERSHIP, membership.id, membership.price, membership.currency, 1, None, item.auto_renew
        )
    if item.quantity < 1 or item.quantity > 20:
        raise InvalidInput("Quantity must be between 1 and 20")
    structure = next(
        (s for s in uow.catalogue.subscription_structures(workspace.id) if s.id == item.structure_id), None
    )
    if structure is None:
        raise CatalogueItemNotFound(f"Ticket subscription not found: {item.structure_id}")
    return BasketItem(new_id(), SUBSCRIPTION, structure.id, structure.price, structure.currency, item.quantity)


def add_donation(
    db: Database,
    workspace: Workspace,
    basket_id: str,
    fund_id: str,
    amount: int,
    *,
    policy: BasketPolicy = BasketPolicy(),
    now: datetime | None = None,
) -> Basket:
    return _add_one(db, workspace, basket_id, Donation(fund_id, amount), policy=policy, now=now)


def add_merchandise(
    db: Database,
    workspace: Workspace,
    basket_id: str,
    stock_item_id: str,
    *,
    quantity: int = 1,
    reference: str | None = None,
    policy: BasketPolicy = BasketPolicy(),
    now: datetime | None = None,
) -> Basket:
    return _add_one(db, workspace, basket_id, Merchandise(stock_item_id, quantity, reference), policy=policy, now=now)


def add_membership(
    db: Database,
    workspace: Workspace,
    basket_id: str,
    membership_id: str,
    *,
    auto_renew: bool = False,
    policy: BasketPolicy = BasketPolicy(),
    now: datetime | None = None,
) -> Basket:
    return _add_one(db, workspace, basket_id, MembershipPurchase(membership_id, auto_renew), policy=policy, now=now)


def add_ticket_subscription(
    db: Database,
    workspace: Workspace,
    basket_id: str,
    structure_id: str,
    *,
    quantity: int = 1,
    policy: BasketPolicy = BasketPolicy(),
    now: datetime | None = None,
) -> Basket:
    return _add_one(db, workspace, basket_id, TicketSubscription(structure_id, quantity), policy=policy, now=now)


def _add_one(
    db: Database, workspace: Workspace, basket_id: str, item: NewItem, *, policy: BasketPolicy, now: datetime | None
) -> Basket:
    """One item: its own error, not wrapped as item 0."""
    try:
        return add_items(db, workspace, basket_id, [item], policy=policy, now=now)
    except ItemError as exc:
        raise exc.cause from None


def remove_items(
    db: Database,
    workspace: Workspace,
    basket_id: str,
    item_ids: Sequence[str],
    *,
    policy: BasketPolicy = BasketPolicy(),
    now: datetime | None = None,
) -> Basket:
    with _changing(db, workspace, basket_id, policy, now) as change:
        uow, basket = change.uow, change.basket
        known = {i.id for i in basket.items}
        unknown = [i for i in item_ids if i not in known]
        if unknown:
            raise InvalidInput(f"Not in this basket: {', '.join(unknown)}")
        uow.baskets.remove_items(basket.id, list(item_ids))
    return change.updated


def set_agent_details(
    db: Database,
    workspace: Workspace,
    basket_id: str,
    *,
    end_customer: dict[str, str] | None = None,
    delivery_method: str | None = None,
    policy: BasketPolicy = BasketPolicy(),
    now: datetime | None = None,
) -> Basket:
    """An agent's basket: what the agent wrote back about its buyer (`end_customer`, checked by
    domain/agents.py; empty clears it) and the delivery method (checked against the agent). None leaves a
    value as it is. Both outlive a lapse of the basket's holds, and go onto the order at checkout."""
    with _changing(db, workspace, basket_id, policy, now) as change:
        if change.basket.channel != AGENT:
            raise NotEligible("Only an agent's basket has an end customer and a delivery method")
        values: dict[str, Any] = {}
        if end_customer is not None:
            values["end_customer"] = end_customer or None
        if delivery_method is not None:
            values["delivery_method"] = delivery_method
        if values:
            change.uow.baskets.update(change.basket.id, **values)
    return change.updated


def attach_customer(
    db: Database,
    workspace: Workspace,
    basket_id: str,
    customer_id: str,
    *,
    policy: BasketPolicy = BasketPolicy(),
    now: datetime | None = None,
) -> Basket:
    with _changing(db, workspace, basket_id, policy, now) as change:
        uow, basket, moment = change.uow, change.basket, change.now
        if uow.catalogue.customer(workspace.id, customer_id) is None:
            raise CatalogueItemNotFound(f"Customer not found: {customer_id}")
        held = uow.catalogue.active_membership_ids(customer_id, moment)
        for item in basket.items:
            if item.kind == MEMBERSHIP and item.item_id in held:
                raise NotEligible("The customer already holds a membership that is in the basket")
        uow.baskets.update(basket.id, customer_id=customer_id)
    return change.updated
