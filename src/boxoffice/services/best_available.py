"""Best available as a use case: pick the best seats and take them, in one transaction.

The pick reads what is free; the take goes through the same lock-and-compare-and-set as any change, so
a seat taken by someone else in between is simply excluded and the pick is made again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from boxoffice.domain.best_available import BestAvailableRequest, best_available
from boxoffice.domain.errors import BestAvailableNotFound, IllegalStatusChange, InvalidInput
from boxoffice.domain.records import Workspace
from boxoffice.domain.statuses import FREE, HELD
from boxoffice.services import availability
from boxoffice.services.clock import utcnow
from boxoffice.services.events import require_event
from boxoffice.services.inventory import ObjectRequest, StatusChangeRequest, _caller, apply_to_event
from boxoffice.services.layouts import seat_index_of
from boxoffice.storage.uow import Database, UnitOfWork

ATTEMPTS = 12


@dataclass(frozen=True, slots=True)
class BestAvailableOrder:
    event_key: str
    number: int
    status: str  # HELD (with hold_token) or booked, or a custom status
    categories: frozenset[str] | None = None
    zone: str | None = None
    sections: frozenset[str] | None = None
    accessible_seats: int = 0
    try_to_prevent_orphan_seats: bool = True
    hold_token: str | None = None
    order_id: str | None = None
    ticket_types: tuple[str | None, ...] = ()  # per seat, in order; shorter means the rest have none
    extra_data: tuple[dict[str, Any] | None, ...] = ()
    keep_extra_data: bool = False
    channel_keys: frozenset[str] = field(default_factory=frozenset)
    ignore_channels: bool = False
    origin_ip: str | None = None


@dataclass(frozen=True, slots=True)
class BestAvailableResult:
    labels: tuple[str, ...]
    next_to_each_other: bool


def take_best_available(
    db: Database, workspace: Workspace, order: BestAvailableOrder, *, now: datetime | None = None
) -> BestAvailableResult:
    moment = now or utcnow()
    with db.write() as uow:
        result = take_best_available_in(uow, workspace, order, moment)
        uow.commit()
    return result


def take_best_available_in(
    uow: UnitOfWork, workspace: Workspace, order: BestAvailableOrder, now: datetime, *, origin: str = "API_CALL"
) -> BestAvailableResult:
    """Pick and take inside the caller's unit of work (the caller commits)."""
    if order.status == FREE:
        raise InvalidInput("Best available cannot release objects")
    if order.status == HELD and not order.hold_token:
        raise InvalidInput("A hold token is required to hold objects")  # not a race: no retry can fix it
    request = BestAvailableRequest(
        number=order.number,
        categories=order.categories,
        zone=order.zone,
        sections=order.sections,
        accessible_seats=order.accessible_seats,
        try_to_prevent_orphan_seats=order.try_to_prevent_orphan_seats,
    )
    event = require_event(uow, workspace, order.event_key)
    index = seat_index_of(uow, event)
    base = StatusChangeRequest(
        event_keys=(event.key,),
        objects=(),
        status=order.status,
        hold_token=order.hold_token,
        order_id=order.order_id,
        keep_extra_data=order.keep_extra_data,
        channel_keys=order.channel_keys,
        ignore_channels=order.ignore_channels,
        origin=origin,
        origin_ip=order.origin_ip,
    )
    caller = _caller(uow, workspace, base, now)
    channel_keys = sorted(order.channel_keys)
    selectable = availability.selectable(uow, event.id, event.key, now, channel_keys, order.ignore_channels)
    for _attempt in range(ATTEMPTS):
        choice = best_available(index, selectable, request)
        objects = tuple(
            ObjectRequest(
                label,
                ticket_type=order.ticket_types[i] if i < len(order.ticket_types) else None,
                extra_data=order.extra_data[i] if i < len(order.extra_data) else None,
            )
            for i, label in enumerate(choice.labels)
        )
        # Each attempt in a savepoint: a lost attempt gives back the row locks it took, so attempts never
        # pile up locks out of order (which would deadlock against other callers).
        attempt = uow.connection.begin_nested()
        try:
            with availability.claimed(uow, event.id, event.key, choice.labels):
                apply_to_event(uow, workspace, event, _with_objects(base, objects), caller, now)
        except IllegalStatusChange:
            attempt.rollback()
            # Someone took some of these a moment ago (the cache is a hint; the compare-and-set is the judge):
            # re-read these seats and whatever else the log says changed, then pick again.
            availability.recheck(uow, event.id, event.key, choice.labels)
            selectable = availability.selectable(uow, event.id, event.key, now, channel_keys, order.ignore_channels)
            continue
        attempt.commit()
        return BestAvailableResult(choice.labels, choice.next_to_each_other)
    raise BestAvailableNotFound("The best available seats kept being taken; try again")


def _with_objects(base: StatusChangeRequest, objects: tuple[ObjectRequest, ...]) -> StatusChangeRequest:
    from dataclasses import replace

    return replace(base, objects=objects)
