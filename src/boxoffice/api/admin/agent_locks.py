"""Agent locks and offline sales (Spektrix's "Agencies Offline"): lock seats and GA places of a performance
for an agent, see how they stand, mark back what is unsold, and enter the sales the agent made offline.

A lock is the channel ``agent-<agentId>`` of the performance (seats.io's channels list shows it). Locking
is all or nothing: anything that is not free, for-sale general inventory (booked, held, off sale, in any
channel) is refused (409 ``NOT_LOCKABLE``, one detail per object). A mark-back returns what is unsold and
keeps, reporting it back, what is held, sold or taken; naming what the lock does not hold is refused whole
(409 ``NOT_IN_LOCK``). An offline sale is an order of the agent's customer record, paid on account, with
the agent's commission on each ticket; with an ``Idempotency-Key`` it is made once, however often sent.
"""

from __future__ import annotations

import hashlib
from typing import Annotated, Literal, cast

from fastapi import APIRouter, Request
from pydantic import AwareDatetime, Field, StrictInt

from boxoffice.api.admin.auth import DatabaseDep, WorkspaceDep
from boxoffice.api.admin.models import MAX_COUNT, RESPONSES, ApiModel, ShortName
from boxoffice.api.admin.orders import OrderOut, order_out
from boxoffice.domain.agent_locks import LockChange, LockedObject, LockedPlaces, LockStatus, MarkBack
from boxoffice.services import agent_locks
from boxoffice.services.agent_locks import OfflineSale, OfflineTicket

router = APIRouter(tags=["agent locks"], responses=RESPONSES)

Label = Annotated[str, Field(min_length=1, max_length=300)]
Places = Annotated[StrictInt, Field(ge=1, le=MAX_COUNT)]
Standing = Literal["unsold", "held", "soldByAgent", "taken"]  # domain/agent_locks.STANDINGS
Action = Literal["lock", "markBack"]
MAX_OBJECTS = 10_000  # as many as one status change may name
LOCKS = "/performances/{eventKey}/agent-locks"


class LockIn(ApiModel):
    """Seats, booths, tables booked as a whole and whole GA areas by label; places of GA areas by area."""

    objects: Annotated[list[Label], Field(max_length=MAX_OBJECTS)] = []
    area_places: Annotated[dict[Label, Places], Field(max_length=MAX_OBJECTS)] = {}


class LockedObjectOut(ApiModel):
    label: str
    object_type: str
    standing: Standing
    for_sale: bool
    order_id: str | None = Field(None, description="The order it is booked in, if it is sold or taken")


class LockedPlacesOut(ApiModel):
    area: str
    label: str = Field(description="The agent's share of the area (<area>##agent-<agentId>), or the area if whole")
    whole: bool
    places: int
    unsold: int
    held: int
    sold_by_agent: int
    taken: int


class TotalsOut(ApiModel):
    """Objects and GA places together."""

    locked: int
    unsold: int
    held: int
    sold_by_agent: int
    taken: int


class LockStatusOut(ApiModel):
    event_key: str
    agent_id: str
    channel_key: str
    objects: list[LockedObjectOut]
    area_places: list[LockedPlacesOut]
    totals: TotalsOut


class LockChangeOut(ApiModel):
    locked: list[str] = Field(description="Objects that joined the lock")
    already_locked: list[str] = Field(description="Objects named that the lock held already (left as they are)")
    area_places: dict[str, int] = Field(description="Places added to the agent's share, per GA area")
    lock: LockStatusOut


class MarkBackOut(ApiModel):
    marked_back: list[str] = Field(description="Objects returned to general sale")
    kept: list[LockedObjectOut] = Field(description="Objects named that stay in the lock: held, sold or taken")
    area_places_marked_back: dict[str, int]
    area_places_kept: dict[str, int] = Field(description="Places asked for that are held, sold or taken")
    complete: bool = Field(description="Everything asked for was returned")
    lock: LockStatusOut


class LockHistoryOut(ApiModel):
    id: int
    action: Action
    label: str
    area: str | None = Field(description="The GA area, when `label` is the agent's share of it")
    places: int
    at: AwareDatetime


def _object_out(o: LockedObject) -> LockedObjectOut:
    return LockedObjectOut(
        label=o.label,
        object_type=o.object_type,
        standing=cast(Standing, o.standing),
        for_sale=o.for_sale,
        order_id=o.order_id,
    )


def _places_out(p: LockedPlaces) -> LockedPlacesOut:
    return LockedPlacesOut(
        area=p.area,
        label=p.label,
        whole=p.whole,
        places=p.places,
        unsold=p.unsold,
        held=p.held,
        sold_by_agent=p.sold_by_agent,
        taken=p.taken,
    )


def status_out(s: LockStatus) -> LockStatusOut:
    totals = s.totals()
    return LockStatusOut(
        event_key=s.event_key,
        agent_id=s.agent_id,
        channel_key=s.channel_key,
        objects=[_object_out(o) for o in s.objects],
        area_places=[_places_out(p) for p in s.areas],
        totals=TotalsOut(
            locked=totals["locked"],
            unsold=totals["unsold"],
            held=totals["held"],
            sold_by_agent=totals["soldByAgent"],
            taken=totals["taken"],
        ),
    )


def _mark_back_out(m: MarkBack) -> MarkBackOut:
    return MarkBackOut(
        marked_back=list(m.marked_back),
        kept=[_object_out(o) for o in m.kept],
        area_places_marked_back=dict(m.places_marked_back),
        area_places_kept=dict(m.places_kept),
        complete=m.complete,
        lock=status_out(m.status),
    )


def _change_out(c: LockChange) -> LockChangeOut:
    return LockChangeOut(
        locked=list(c.locked),
        already_locked=list(c.already_locked),
        area_places=dict(c.area_places),
        lock=status_out(c.status),
    )


@router.get(LOCKS, response_model=list[LockStatusOut], summary="Every agent's lock on the performance")
def list_locks(ws: WorkspaceDep, db: DatabaseDep, eventKey: str) -> list[LockStatusOut]:
    return [status_out(s) for s in agent_locks.event_locks(db, ws, eventKey)]


@router.get(LOCKS + "/{agentId}", response_model=LockStatusOut, summary="The agent's lock: how each part stands")
def get_lock(ws: WorkspaceDep, db: DatabaseDep, eventKey: str, agentId: str) -> LockStatusOut:
    """Objects and GA places locked: unsold, held right now, sold by the agent (booked in an order of its
    customer record) or taken otherwise. Empty if the agent has no lock on the performance."""
    return status_out(agent_locks.lock_status(db, ws, eventKey, agentId))


@router.post(LOCKS + "/{agentId}", response_model=LockChangeOut, summary="Lock objects and GA places for the agent")
def lock(ws: WorkspaceDep, db: DatabaseDep, eventKey: str, agentId: str, body: LockIn) -> LockChangeOut:
    """Adds to the agent's lock (made on first use). All or nothing: 409 NOT_LOCKABLE names every object
    that is not free, for-sale general inventory; 409 AREA_PLACES_UNAVAILABLE if an area has too few."""
    return _change_out(agent_locks.lock(db, ws, eventKey, agentId, objects=body.objects, area_places=body.area_places))


@router.post(LOCKS + "/{agentId}/mark-back", response_model=MarkBackOut, summary="Return unsold objects and places")
def mark_back(ws: WorkspaceDep, db: DatabaseDep, eventKey: str, agentId: str, body: LockIn) -> MarkBackOut:
    """The unsold of what is named goes back to general sale; the rest stays and is listed in `kept` and
    `areaPlacesKept`. 409 NOT_IN_LOCK (nothing changed) if the lock does not hold something named."""
    return _mark_back_out(
        agent_locks.mark_back(db, ws, eventKey, agentId, objects=body.objects, area_places=body.area_places)
    )


@router.post(LOCKS + "/{agentId}/mark-back-all", response_model=MarkBackOut, summary="Return everything unsold")
def mark_back_all(ws: WorkspaceDep, db: DatabaseDep, eventKey: str, agentId: str) -> MarkBackOut:
    return _mark_back_out(agent_locks.mark_back_all(db, ws, eventKey, agentId))


@router.get(LOCKS + "/{agentId}/history", response_model=list[LockHistoryOut], summary="Locks and mark-backs")
def history(ws: WorkspaceDep, db: DatabaseDep, eventKey: str, agentId: str) -> list[LockHistoryOut]:
    """What was locked for the agent and marked back, oldest first (sales are the agent's orders)."""
    return [
        LockHistoryOut(id=h.id, action=cast(Action, h.action), label=h.label, area=h.area, places=h.places, at=h.at)
        for h in agent_locks.lock_history(db, ws, eventKey, agentId)
    ]


# -- offline sales ------------------------------------------------------------------------------------------
class OfflineTicketIn(ApiModel):
    event_key: ShortName
    label: Label = Field(description="A seat, booth or table; a GA area or the agent's share of it")
    ticket_type_id: ShortName
    quantity: Annotated[StrictInt, Field(ge=1, le=100, description="Places, for a GA area")] = 1


class EndCustomerIn(ApiModel):
    first_name: ShortName | None = None
    last_name: ShortName | None = None
    address: ShortName | None = None
    reference: ShortName | None = Field(None, description="The agent's own reference")


class OfflineSaleIn(ApiModel):
    tickets: Annotated[list[OfflineTicketIn], Field(min_length=1, max_length=100)]
    end_customer: EndCustomerIn | None = None
    delivery_method: Literal["collect", "careOfAgent"] | None = None


class OfflineSaleOut(ApiModel):
    order: OrderOut
    agent_id: str
    end_customer: dict[str, str] | None
    delivery_method: str | None
    commission: int = Field(description="The agent's commission on the whole order, in minor units")
    commission_by_ticket: dict[str, int] = Field(description="By the order's ticket id")


@router.post(
    "/agents/{agentId}/offline-sales",
    status_code=201,
    response_model=OfflineSaleOut,
    tags=["agents"],
    summary="Enter a sale the agent made offline",
)
def record_offline_sale(
    request: Request, ws: WorkspaceDep, db: DatabaseDep, agentId: str, body: OfflineSaleIn
) -> OfflineSaleOut:
    """From the agent's lock, or general sale if the agent is not restricted; all or nothing. The order is
    the agent's customer record's, paid on account ("agency"), with the agent's commission on each ticket."""
    key = request.headers.get("idempotency-key")
    buyer = body.end_customer.model_dump(by_alias=True, exclude_none=True) if body.end_customer else None
    sale = OfflineSale(
        tuple(OfflineTicket(t.event_key, t.label, t.ticket_type_id, t.quantity) for t in body.tickets),
        end_customer=buyer,
        delivery_method=body.delivery_method,
        # the order keeps the key, so a sale is made once even if the middleware's answer was lost; in a
        # namespace of its own among the workspace's order keys (other dialects' checkouts keep theirs)
        idempotency_key=f"admin-offline-sale:{hashlib.sha256(key.encode()).hexdigest()}" if key else None,
    )
    order = agent_locks.record_offline_sale(db, ws, agentId, sale)
    return OfflineSaleOut(
        order=order_out(order),
        agent_id=agentId,
        end_customer=order.end_customer,
        delivery_method=order.delivery_method,
        commission=sum(t.commission for t in order.tickets),
        commission_by_ticket={t.id: t.commission for t in order.tickets},
    )
