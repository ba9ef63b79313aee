"""Agent locks, mark-backs and offline sales: Spektrix's "Agencies Offline" (domain/agent_locks.py says what
a lock is, what may go in it and how what is in it stands).

    lock                objects and GA places of a performance into the agent's lock, the channel
                        ``agent-<agent id>`` of its event (made on first use, named after the agent);
                        refused whole unless every one is free, for-sale general inventory
    mark_back           named objects and GA places of the lock back to general sale; what is held, sold
    mark_back_all       or otherwise taken stays in the lock and is reported back as kept (not refused)
    lock_status         the lock, object by object and place by place: unsold, held, sold by the agent, taken
    event_locks         every agent's lock on a performance
    lock_history        what was locked and marked back, and when
    record_offline_sale a sale the agent made offline, entered by the venue: an order of the agent's customer
                        record, paid on account, with its commission (an agent's basket, checked out)

Races. A lock or mark-back takes the event's row first (as every channel change does, so they take turns),
then the rows of every object and GA area it reads, in label order, as a booking locks its seats
(`_lock_rows`); it decides on what it locked. A booking of those seats waits, then sees the new channel; a
lock or mark-back waiting for a booking then sees the seat taken. So a lock never captures a seat a buyer has
just taken, and a mark-back never returns a seat the agent's basket holds or has sold.

History. Each object locked or marked back (and each share's places) gets a status-change log entry with
origin AGENT_LOCK or AGENT_MARK_BACK and the lock's channel key. Its status does not change (only free
objects are locked or marked back), so the entry goes from free to free and a replay (`boxoffice audit`)
passes over it. The event log gets ``event.channels.updated``, as for any channel change.

Seasons: refused (INVALID_INPUT); a season's objects follow the season, not their events' channels.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from boxoffice.domain.agent_locks import (
    ACTIONS,
    HELD_NOW,
    LOCK_COLOR,
    LOCKED,
    MARKED_BACK,
    UNSOLD,
    LockChange,
    LockedObject,
    LockHistoryEntry,
    LockStatus,
    MarkBack,
    NotInLock,
    NotLockable,
    area_lock_refusal,
    lock_refusal,
    locked_places,
    standing,
)
from boxoffice.domain.agents import LOCK_PREFIX, Agent, end_customer
from boxoffice.domain.areas import SHARE_SEPARATOR, Allocation, share_label
from boxoffice.domain.baskets import Order
from boxoffice.domain.catalogue import AGENT
from boxoffice.domain.errors import InvalidInput, ItemError, NotEligible, ObjectNotFound
from boxoffice.domain.event_log import EVENT_CHANNELS_UPDATED
from boxoffice.domain.layout import Layout, ObjectType
from boxoffice.domain.records import Channel, Event, Workspace
from boxoffice.domain.statuses import BOOKED, FREE, HELD
from boxoffice.jobs.holds import release_lapsed
from boxoffice.services import baskets
from boxoffice.services.agents import agent_in, get_agent
from boxoffice.services.baskets import BasketPolicy, TicketRequest
from boxoffice.services.catalogue import require_event_performance
from boxoffice.services.channels import resize_shares
from boxoffice.services.checkout import CheckoutRequest, IdempotencyMismatch, checkout
from boxoffice.services.clock import utcnow
from boxoffice.services.event_log import record
from boxoffice.services.events import table_booked_as_whole
from boxoffice.services.layouts import layout_of
from boxoffice.services.payments import AGENCY, PaymentRequest
from boxoffice.storage import status_log
from boxoffice.storage.agent_locks import AgentLockRepository
from boxoffice.storage.objects import ObjectRow
from boxoffice.storage.uow import Database, UnitOfWork

GA = ObjectType.GENERAL_ADMISSION
MAX_HISTORY = 10_000


# -- locking ------------------------------------------------------------------------------------------------
def lock(
    db: Database,
    workspace: Workspace,
    event_key: str,
    agent_id: str,
    *,
    objects: Sequence[str] = (),
    area_places: Mapping[str, int] | None = None,
    now: datetime | None = None,
) -> LockChange:
    """Put `objects` and `area_places` (places per GA area) of the performance in the agent's lock; all or
    nothing. An object the lock holds already is reported as such and left as it is."""
    labels, places = _asked(objects, area_places, "lock")
    moment = now or utcnow()
    with db.write() as uow:
        agent = agent_in(uow, workspace, agent_id)
        event = _lockable_event(uow, workspace, event_key)
        key = agent.lock_key
        rows, allocations = _locked(uow, event, [*labels, *places, *(share_label(a, key) for a in places)], moment)
        _require_objects(event, rows, [*labels, *places])
        new: list[str] = []
        already: list[str] = []
        refusals: list[tuple[str, str]] = []
        layout: list[Layout] = []  # read once, if a table or a seat is named
        for label in labels:
            row = rows[label]
            if row.state.channel_key == key:
                already.append(label)
                continue
            if row.object_type == GA:
                reason = area_lock_refusal(row.area(allocations.get(label, ())), moment, key)
            else:
                reason = lock_refusal(row.state, moment, key) or _table_refusal(uow, event, row, layout)
            if reason is None:
                new.append(label)
            else:
                refusals.append((label, reason))
        if refusals:
            raise NotLockable(f"Cannot lock these for agent {agent.id} in event {event.key}", refusals)
        if (new or places) and uow.channels.get(event.id, key) is None:
            uow.channels.add(event.id, Channel(key, agent.name or agent.login, LOCK_COLOR))
        if new:
            uow.objects.set_attributes(event.id, new, channel_key=key)
        if places:
            have = {area: n for _, area, _, n in uow.objects.shares(event.id, key)}
            resize_shares(uow, event, {(key, a): have.get(a, 0) + n for a, n in places.items()}, moment)
        entries = [(label, _places_of(rows[label])) for label in new]
        entries += [(share_label(area, key), n) for area, n in places.items()]
        _log(uow, workspace, event, key, LOCKED, entries, moment)
        status = _status(uow, workspace, event, agent, moment)
        uow.commit()
    return LockChange(tuple(new), tuple(already), places, status)


def _table_refusal(uow: UnitOfWork, event: Event, row: ObjectRow, layout: list[Layout]) -> str | None:
    """A table goes into a lock only if it is booked as a whole, a seat at a table only if its table is not."""
    if row.object_type not in (ObjectType.TABLE, ObjectType.SEAT):
        return None
    if not layout:
        layout.append(layout_of(uow, event))
    label = row.state.label
    drawn = layout[0].objects.get(label)
    if drawn is None:
        return None
    if row.object_type == ObjectType.TABLE and not table_booked_as_whole(layout[0], event.settings, label):
        return "a table booked per seat: lock its seats"
    if drawn.table_label and table_booked_as_whole(layout[0], event.settings, drawn.table_label):
        return f"at table {drawn.table_label}, which is booked as a whole: lock the table"
    return None


# -- marking back -------------------------------------------------------------------------------------------
def mark_back(
    db: Database,
    workspace: Workspace,
    event_key: str,
    agent_id: str,
    *,
    objects: Sequence[str] = (),
    area_places: Mapping[str, int] | None = None,
    now: datetime | None = None,
) -> MarkBack:
    """Return the unsold of `objects` and `area_places` (places per GA area) to general sale. What is held,
    sold or taken stays in the lock and is reported as kept. Refused whole (NOT_IN_LOCK) if the lock does
    not hold an object named, or fewer places of an area than asked."""
    labels, places = _asked(objects, area_places, "mark back")
    moment = now or utcnow()
    with db.write() as uow:
        agent = agent_in(uow, workspace, agent_id)
        event = _lockable_event(uow, workspace, event_key)
        result = _mark_back(uow, workspace, event, agent, labels, places, moment)
        uow.commit()
    return result


def mark_back_all(
    db: Database, workspace: Workspace, event_key: str, agent_id: str, *, now: datetime | None = None
) -> MarkBack:
    """Return everything of the lock that is unsold to general sale; report what stays."""
    moment = now or utcnow()
    with db.write() as uow:
        agent = agent_in(uow, workspace, agent_id)
        event = _lockable_event(uow, workspace, event_key)  # its row locked: the lock cannot change meanwhile
        labels = uow.objects.labels_in_channel(event.id, agent.lock_key)
        places = {area: n for _, area, _, n in uow.objects.shares(event.id, agent.lock_key)}
        result = _mark_back(uow, workspace, event, agent, labels, places, moment)
        uow.commit()
    return result


def _mark_back(
    uow: UnitOfWork,
    workspace: Workspace,
    event: Event,
    agent: Agent,
    labels: list[str],
    places: dict[str, int],
    now: datetime,
) -> MarkBack:
    key = agent.lock_key
    shares = {area: share_label(area, key) for area in places}
    rows, allocations = _locked(uow, event, [*labels, *places, *shares.values()], now)
    _require_objects(event, rows, [*labels, *places])
    refusals = [(label, _not_in_lock(rows[label])) for label in labels if rows[label].state.channel_key != key]
    for area, asked in places.items():
        share = rows.get(shares[area])
        if share is None:
            refusals.append((area, "the lock holds no places of it"))
        elif asked > share.capacity:
            refusals.append((area, f"the lock holds {share.capacity} places of it, {asked} asked"))
    if refusals:
        raise NotInLock(f"Not in agent {agent.id}'s lock in event {event.key}", refusals)
    theirs = _agent_orders(uow, workspace, agent, [rows[label] for label in labels], allocations)
    back: list[str] = []
    kept: list[LockedObject] = []
    for label in labels:
        row = rows[label]
        if row.object_type == GA:
            found = _area_as_object(row, allocations, now, theirs)
        else:
            found = LockedObject(label, row.object_type, standing(row.state, now, theirs), row.state.for_sale)
        if found.standing == UNSOLD:
            back.append(label)
        else:
            kept.append(found)
    places_back: dict[str, int] = {}
    places_kept: dict[str, int] = {}
    for area, asked in places.items():
        share = rows[shares[area]]
        counted = locked_places(share.area(allocations.get(shares[area], ())), now, theirs, of=area)
        places_back[area] = min(asked, counted.unsold)
        places_kept[area] = asked - places_back[area]
    if back:
        uow.objects.set_attributes(event.id, back, channel_key=None)
    smaller = {(key, area): rows[shares[area]].capacity - n for area, n in places_back.items() if n}
    if smaller:
        resize_shares(uow, event, smaller, now)
    entries = [(label, _places_of(rows[label])) for label in back]
    entries += [(shares[area], n) for area, n in places_back.items() if n]
    _log(uow, workspace, event, key, MARKED_BACK, entries, now)
    status = _status(uow, workspace, event, agent, now)
    return MarkBack(tuple(back), tuple(kept), places_back, places_kept, status)


def _area_as_object(
    row: ObjectRow, allocations: Mapping[str, list[Allocation]], now: datetime, theirs: set[str]
) -> LockedObject:
    """A whole GA area of a lock as one object: unsold only while none of its places is taken."""
    counted = locked_places(row.area(allocations.get(row.state.label, ())), now, theirs, of=row.state.label)
    return LockedObject(row.state.label, row.object_type, counted.standing, row.state.for_sale)


def _not_in_lock(row: ObjectRow) -> str:
    elsewhere = row.state.channel_key
    return f"not in this lock (in channel {elsewhere})" if elsewhere else "not in this lock (in general sale)"


# -- reading ------------------------------------------------------------------------------------------------
def lock_status(
    db: Database, workspace: Workspace, event_key: str, agent_id: str, *, now: datetime | None = None
) -> LockStatus:
    """The agent's lock on the performance (empty if it has none)."""
    with db.read() as uow:
        agent = agent_in(uow, workspace, agent_id)
        event, _ = require_event_performance(uow, workspace, event_key)
        return _status(uow, workspace, event, agent, now or utcnow())


def event_locks(db: Database, workspace: Workspace, event_key: str, *, now: datetime | None = None) -> list[LockStatus]:
    """Every agent's lock on the performance, by channel key."""
    moment = now or utcnow()
    with db.read() as uow:
        event, _ = require_event_performance(uow, workspace, event_key)
        found: list[LockStatus] = []
        for channel in uow.channels.list(event.id):
            if not channel.key.startswith(LOCK_PREFIX):
                continue
            agent = uow.agents.get(workspace.id, channel.key.removeprefix(LOCK_PREFIX))
            if agent is not None:
                found.append(_status(uow, workspace, event, agent, moment))
        return sorted(found, key=lambda s: s.channel_key)


def lock_history(
    db: Database, workspace: Workspace, event_key: str, agent_id: str, *, limit: int = MAX_HISTORY
) -> list[LockHistoryEntry]:
    """What was locked for the agent on the performance and marked back, oldest first."""
    with db.read() as uow:
        agent = agent_in(uow, workspace, agent_id)
        event, _ = require_event_performance(uow, workspace, event_key)
        logged = AgentLockRepository(uow.connection).history(event.id, agent.lock_key, ACTIONS, limit=limit)
    return [
        LockHistoryEntry(
            entry_id,
            ACTIONS[origin],
            label,
            label.partition(SHARE_SEPARATOR)[0] if SHARE_SEPARATOR in label else None,
            quantity,
            at,
        )
        for entry_id, origin, label, quantity, at in logged
    ]


def _status(uow: UnitOfWork, workspace: Workspace, event: Event, agent: Agent, now: datetime) -> LockStatus:
    key = agent.lock_key
    labels = uow.objects.labels_in_channel(event.id, key)
    rows = uow.objects.get(event.id, [*labels, *(share for share, _, _, _ in uow.objects.shares(event.id, key))])
    areas = sorted(label for label, row in rows.items() if row.object_type == GA)
    allocations = uow.objects.allocations(event.id, areas) if areas else {}
    theirs = _agent_orders(uow, workspace, agent, rows.values(), allocations)
    objects = []
    for label in sorted(rows):
        row = rows[label]
        if row.object_type == GA:
            continue
        found = standing(row.state, now, theirs)
        order_id = row.state.effective(now).order_id if found not in (UNSOLD, HELD_NOW) else None
        objects.append(LockedObject(label, row.object_type, found, row.state.for_sale, order_id))
    placed = tuple(
        locked_places(rows[label].area(allocations.get(label, ())), now, theirs, of=rows[label].partition_of or label)
        for label in areas
    )
    return LockStatus(event.key, agent.id, key, tuple(objects), placed)


# -- shared steps -------------------------------------------------------------------------------------------
def _asked(
    objects: Sequence[str], area_places: Mapping[str, int] | None, what: str
) -> tuple[list[str], dict[str, int]]:
    labels = list(dict.fromkeys(objects))
    places = dict(area_places or {})
    for area, n in places.items():
        if isinstance(n, bool) or not isinstance(n, int) or n < 1:
            raise InvalidInput(f"areaPlaces: the places of {area} must be a whole number of at least 1")
    if not labels and not places:
        raise InvalidInput(f"Name the objects or the places of general admission areas to {what}")
    return labels, places


def _lockable_event(uow: UnitOfWork, workspace: Workspace, event_key: str) -> Event:
    """The performance's event, its row locked: changes of its channels take turns."""
    event, _ = require_event_performance(uow, workspace, event_key)
    if event.is_season or event.top_level_season_id is not None:
        raise InvalidInput(f"Agent locks are not supported on seasons or the events of a season ({event.key})")
    return uow.events.locked(event.id) or event


def _lock_rows(uow: UnitOfWork, event_id: int, labels: list[str]) -> dict[str, ObjectRow]:
    """The rows, locked in label order as a booking locks its seats (the race tests' control replaces this)."""
    return uow.objects.lock(event_id, labels)


def _locked(
    uow: UnitOfWork, event: Event, labels: list[str], now: datetime
) -> tuple[dict[str, ObjectRow], dict[str, list[Allocation]]]:
    """The rows named (those that exist), locked, and the GA areas' allocations, with lapsed holds among
    them tidied first (and logged, as a booking does), so the log's entries start from what is stored."""
    rows = _lock_rows(uow, event.id, labels)
    areas = [label for label, row in rows.items() if row.object_type == GA]
    allocations = uow.objects.allocations(event.id, areas) if areas else {}
    lapsed = [label for label, row in rows.items() if row.state.status == HELD and _lapsed(row, now)]
    lapsed += [label for label, held in allocations.items() if any(a.lapsed(now) for a in held)]
    if lapsed:
        release_lapsed(uow, [(event.id, label) for label in lapsed], now, origin="EXPIRY")
        rows = _lock_rows(uow, event.id, labels)
        allocations = uow.objects.allocations(event.id, areas) if areas else {}
    return rows, allocations


def _lapsed(row: ObjectRow, now: datetime) -> bool:
    return row.state.effective(now).status != HELD


def _require_objects(event: Event, rows: Mapping[str, ObjectRow], labels: Iterable[str]) -> None:
    """Every label is an object of the event (a channel's share is not one: it is named by its area)."""
    missing = [label for label in labels if label not in rows or rows[label].partition_of is not None]
    if missing:
        raise ObjectNotFound(missing, event.key)


def _places_of(row: ObjectRow) -> int:
    return row.capacity - row.places_in_channels if row.object_type == GA else 1


def _agent_orders(
    uow: UnitOfWork,
    workspace: Workspace,
    agent: Agent,
    rows: Iterable[ObjectRow],
    allocations: Mapping[str, list[Allocation]],
) -> set[str]:
    """The orders among those the rows and allocations are booked in that are the agent's."""
    ids = {row.state.order_id for row in rows if row.state.status == BOOKED and row.state.order_id}
    ids |= {a.order_id for held in allocations.values() for a in held if a.status == BOOKED and a.order_id}
    return AgentLockRepository(uow.connection).orders_of(workspace.id, agent.id, ids) if ids else set()


def _log(
    uow: UnitOfWork,
    workspace: Workspace,
    event: Event,
    channel_key: str,
    origin: str,
    entries: Sequence[tuple[str, int]],
    now: datetime,
) -> None:
    """One free -> free entry per (label, places) in the status-change log; the event log's item."""
    if not entries:
        return
    uow.status_log.append(
        [
            status_log.entry(
                workspace.id, event.id, label, FREE, FREE, now, origin=origin, quantity=n, channel_key=channel_key
            )
            for label, n in entries
        ]
    )
    record(uow, workspace.id, EVENT_CHANNELS_UPDATED, event.key)


# -- offline sales ------------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class OfflineTicket:
    """A ticket the agent sold: a seat, booth or table booked as a whole, or `quantity` places of a GA area
    (the area's label, or the agent's share of it: ``<area>##agent-<agent id>``)."""

    event_key: str
    label: str
    ticket_type_id: str
    quantity: int = 1


@dataclass(frozen=True, slots=True)
class OfflineSale:
    tickets: tuple[OfflineTicket, ...]
    end_customer: Mapping[str, object] | None = None  # domain/agents.py end_customer
    delivery_method: str | None = None  # one of the agent's
    idempotency_key: str | None = None  # the same key again: the same order, not a second sale


def record_offline_sale(
    db: Database, workspace: Workspace, agent_id: str, sale: OfflineSale, *, now: datetime | None = None
) -> Order:
    """The sale as an order of the agent's customer record, channel "agent", paid on account ("agency"),
    with the agent's commission on each ticket: an agent's basket, filled and checked out. All or nothing: if
    anything is refused, what the basket held is released. The tickets come from the agent's lock, or from
    general sale if the agent is not restricted (as the agent's own basket would take them)."""
    agent = get_agent(db, workspace, agent_id)
    buyer = end_customer(sale.end_customer) if sale.end_customer else {}
    if sale.delivery_method is not None and sale.delivery_method not in agent.delivery_methods:
        raise NotEligible(f"Agent {agent.id} does not deliver by {sale.delivery_method!r}")
    requests, line_of = _ticket_requests(sale.tickets)
    if sale.idempotency_key is not None:
        done = _sale_for_key(db, workspace, agent, sale.idempotency_key)
        if done is not None:
            return done
    policy = BasketPolicy(agent=True)
    basket = baskets.open_basket(db, workspace, channel=AGENT, customer_id=agent.id, policy=policy, now=now)
    try:
        with db.write() as uow:
            uow.baskets.update(basket.id, end_customer=buyer or None, delivery_method=sale.delivery_method)
            uow.commit()
        try:
            baskets.add_tickets(db, workspace, basket.id, requests, policy=policy, now=now)
        except ItemError as exc:  # named by the sale's own line, not by the place
            raise ItemError(line_of[exc.index], exc.cause) from None
        request = CheckoutRequest(basket.id, PaymentRequest(AGENCY), idempotency_key=sale.idempotency_key)
        return checkout(db, workspace, request, policy=policy, now=now)
    except Exception:
        _abandon(db, workspace, basket.id, policy)
        # the same sale, sent twice at once: the one that made the order answers for both
        done = _sale_for_key(db, workspace, agent, sale.idempotency_key) if sale.idempotency_key else None
        if done is None:
            raise
        return done
    except BaseException:
        _abandon(db, workspace, basket.id, policy)
        raise


def _abandon(db: Database, workspace: Workspace, basket_id: str, policy: BasketPolicy) -> None:
    """What the basket holds goes back now (else at its expiry); the sale's own error is the one raised."""
    with contextlib.suppress(Exception):
        baskets.clear_basket(db, workspace, basket_id, policy=policy)


def _ticket_requests(tickets: Sequence[OfflineTicket]) -> tuple[list[TicketRequest], list[int]]:
    """One basket ticket per place, and the sale's line each comes from."""
    if not tickets:
        raise InvalidInput("An offline sale needs at least one ticket")
    requests: list[TicketRequest] = []
    line_of: list[int] = []
    for index, ticket in enumerate(tickets):
        if isinstance(ticket.quantity, bool) or ticket.quantity < 1:
            raise ItemError(index, InvalidInput("Quantity must be at least 1"))
        if len(requests) + ticket.quantity > baskets.MAX_TICKETS_PER_REQUEST:
            raise InvalidInput(f"At most {baskets.MAX_TICKETS_PER_REQUEST} tickets per offline sale")
        requests += [TicketRequest(ticket.event_key, ticket.label, ticket.ticket_type_id)] * ticket.quantity
        line_of += [index] * ticket.quantity
    return requests, line_of


def _sale_for_key(db: Database, workspace: Workspace, agent: Agent, key: str) -> Order | None:
    with db.read() as uow:
        order_id = uow.orders.id_for_idempotency_key(workspace.id, key)
        order = uow.orders.get(workspace.id, order_id) if order_id is not None else None
    if order is None:
        return None
    if order.channel != AGENT or order.customer_id != agent.id:
        raise IdempotencyMismatch("This idempotency key was used for another order")
    return order
