"""change_status: the one path by which any object of any event changes status.

All or nothing over every object named, across every event named: the rows are locked in a fixed order,
the domain decides each next state, the compare-and-set writes them, and the log gets one entry per
object, all in one transaction. Anything illegal raises before a single write.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from boxoffice.domain.areas import AreaMove, AreaState, plan_area_change
from boxoffice.domain.errors import (
    Busy,
    EventNotFound,
    HoldTokenExpired,
    HoldTokenNotFound,
    IllegalStatusChange,
    InvalidInput,
    ObjectNotFound,
)
from boxoffice.domain.layout import Layout, ObjectType
from boxoffice.domain.records import Event, HoldToken, Workspace
from boxoffice.domain.statuses import FREE, HELD, Caller, Change, ObjectState, apply_change
from boxoffice.services import season_members
from boxoffice.services.clock import utcnow
from boxoffice.services.events import table_booked_as_whole
from boxoffice.services.layouts import layout_of
from boxoffice.storage import status_log
from boxoffice.storage.objects import ObjectRow
from boxoffice.storage.uow import Database, UnitOfWork

MAX_OBJECTS_PER_CHANGE = 10_000
MAX_CHANGES_PER_BATCH = 1_000  # a change costs about 5 ms: 70,000 in one batch held a transaction for minutes
MAX_STATUS_LENGTH = 100  # objects.status is a VARCHAR(100)
MAX_NAMED_MISSING = 10  # unknown event keys an error names (a request may name 100,000)


@dataclass(frozen=True, slots=True)
class ObjectRequest:
    label: str
    quantity: int | None = None  # GA areas: how many places (default 1)
    ticket_type: str | None = None
    extra_data: dict[str, Any] | None = None


@dataclass(frozen=True, slots=True)
class StatusChangeRequest:
    event_keys: tuple[str, ...]
    objects: tuple[ObjectRequest, ...]
    status: str  # the target; FREE means release
    hold_token: str | None = None
    order_id: str | None = None
    keep_extra_data: bool = False
    ignore_channels: bool = False
    channel_keys: frozenset[str] = frozenset()
    only_channels: bool = False  # a restricted agent: only objects in `channel_keys` (services/agents.py)
    allowed_previous_statuses: frozenset[str] | None = None
    rejected_previous_statuses: frozenset[str] = field(default_factory=frozenset)
    resale_listing_id: str | None = None
    owned_by_order: str | None = None  # release: only objects (and GA places) of this order
    origin: str = "API_CALL"
    origin_ip: str | None = None


@dataclass(frozen=True, slots=True)
class ChangedObjects:
    """What changed: per event key, the labels, in request order."""

    by_event: dict[str, list[str]]


def change_status(
    db: Database, workspace: Workspace, request: StatusChangeRequest, *, now: datetime | None = None
) -> ChangedObjects:
    return change_status_in_batch(db, workspace, [request], now=now)


def change_status_in_batch(
    db: Database,
    workspace: Workspace,
    requests: Sequence[StatusChangeRequest],
    *,
    now: datetime | None = None,
) -> ChangedObjects:
    """Several change requests, all in one transaction: every one applies, or none does. At most
    MAX_CHANGES_PER_BATCH of them, naming at most MAX_OBJECTS_PER_CHANGE objects in all (one transaction
    holds every row it changes until it commits)."""
    if len(requests) > MAX_CHANGES_PER_BATCH:
        raise InvalidInput(f"At most {MAX_CHANGES_PER_BATCH} status changes per batch")
    if sum(len(r.objects) for r in requests) > MAX_OBJECTS_PER_CHANGE:
        raise InvalidInput(f"At most {MAX_OBJECTS_PER_CHANGE} objects per batch, all its changes together")
    moment = now or utcnow()
    with db.write() as uow:
        result = apply_requests(uow, workspace, requests, moment)
        uow.commit()
    return result


def apply_requests(
    uow: UnitOfWork,
    workspace: Workspace,
    requests: Sequence[StatusChangeRequest],
    now: datetime,
    *,
    known_events: Mapping[str, Event] | None = None,
) -> ChangedObjects:
    """`known_events`: events by key that this unit of work has read already (the rest are read)."""
    changed: dict[str, list[str]] = {}
    for request in requests:
        check_request(request)
        caller = caller_for(uow, workspace, request, now)
        events = find_events(
            uow, workspace, request.event_keys, by_keys=_known(uow, known_events) if known_events else None
        )
        # A season's change is also made on each of its events (services/season_members.py), all or none.
        for target in season_members.targets(uow, events):
            if target.follows is None:
                season_members.check_not_taken_by_season(uow, target.event, events, request, now)
                labels = apply_to_event(uow, workspace, target.event, request, caller, now)
                changed.setdefault(target.event.key, []).extend(labels)
            elif (part := season_members.following(uow, target, request)) is not None:
                apply_to_event(uow, workspace, target.event, part, caller, now)
        season_members.forget_overrides(uow, events, request)
    return ChangedObjects(changed)


def _known(uow: UnitOfWork, known: Mapping[str, Event]) -> Callable[[int, list[str]], list[Event]]:
    def by_keys(workspace_id: int, keys: list[str]) -> list[Event]:
        unknown = [key for key in keys if key not in known]
        return [known[key] for key in keys if key in known] + (
            uow.events.by_keys(workspace_id, unknown) if unknown else []
        )

    return by_keys


def check_request(request: StatusChangeRequest) -> None:
    if not request.event_keys:
        raise InvalidInput("No event given")
    if not request.objects:
        raise InvalidInput("No objects given")
    if len(request.objects) > MAX_OBJECTS_PER_CHANGE:
        raise InvalidInput(f"At most {MAX_OBJECTS_PER_CHANGE} objects per change")
    check_status(request.status)
    for obj in request.objects:
        if obj.quantity is not None and obj.quantity < 1:
            raise InvalidInput(f"Quantity for {obj.label} must be at least 1")


def check_status(status: str) -> None:
    """InvalidInput unless `status` is one an object can have: 1 to MAX_STATUS_LENGTH characters."""
    if not status or len(status) > MAX_STATUS_LENGTH:
        raise InvalidInput(f"A status is 1 to {MAX_STATUS_LENGTH} characters")


def caller_for(
    uow: UnitOfWork,
    workspace: Workspace,
    request: StatusChangeRequest,
    now: datetime,
    *,
    tokens: Callable[[int, str], HoldToken | None] | None = None,
) -> Caller:
    """Who is changing: the hold token (looked up through `tokens`, if given), the channels."""
    token: HoldToken | None = None
    if request.hold_token is not None:
        token = (tokens or uow.hold_tokens.get)(workspace.id, request.hold_token)
        if token is None:
            raise HoldTokenNotFound(f"Hold token not found: {request.hold_token}")
        if token.expired(now) and request.status != FREE:
            raise HoldTokenExpired(f"Hold token {request.hold_token} has expired")
    return Caller(
        hold_token=token.token if token else None,
        hold_token_expires_at=token.expires_at if token else None,
        channel_keys=request.channel_keys,
        ignore_channels=request.ignore_channels,
        only_channels=request.only_channels,
    )


def find_events(
    uow: UnitOfWork,
    workspace: Workspace,
    keys: Sequence[str],
    *,
    by_keys: Callable[[int, list[str]], list[Event]] | None = None,
) -> list[Event]:
    """The named events (looked up through `by_keys`, if given); EventNotFound names any missing."""
    unique = list(dict.fromkeys(keys))
    found = (by_keys or uow.events.by_keys)(workspace.id, unique)
    if len(found) != len(unique):
        missing = sorted(set(unique) - {e.key for e in found})
        named = ", ".join(missing[:MAX_NAMED_MISSING])
        more = f" and {len(missing) - MAX_NAMED_MISSING} more" if len(missing) > MAX_NAMED_MISSING else ""
        raise EventNotFound.in_workspace(f"{named}{more}", workspace.key)
    return found


@dataclass(slots=True)
class EventPlan:
    """One request's decided changes on one event, not yet written."""

    event: Event
    request: StatusChangeRequest
    labels: list[str]
    seat_changes: list[tuple[ObjectRow, ObjectState]]
    area_plans: list[tuple[ObjectRow, list[AreaMove], list[AreaMove]]]


Lock = Callable[[int, list[str]], dict[str, ObjectRow]]


class RowsLockedElsewhere(Exception):
    """A `Lock` that never waits met rows another transaction has locked (named, where known)."""

    def __init__(self, labels: Sequence[str]) -> None:
        super().__init__(f"locked elsewhere: {', '.join(labels[:5])}")
        self.labels = list(labels)


def apply_to_event(
    uow: UnitOfWork,
    workspace: Workspace,
    event: Event,
    request: StatusChangeRequest,
    caller: Caller,
    now: datetime,
) -> list[str]:
    """Decide every object's change, then write them all. Raises before writing anything if one is illegal."""
    plan = plan_event_change(uow, event, request, caller, now)
    write_plans(uow, [(workspace, plan)], now)
    return plan.labels


def plan_event_change(
    uow: UnitOfWork,
    event: Event,
    request: StatusChangeRequest,
    caller: Caller,
    now: datetime,
    *,
    lock: Lock | None = None,
) -> EventPlan:
    """Lock the named rows (through `lock`, if given) and decide each object's next state; write nothing."""
    requested: dict[str, ObjectRequest] = {}
    for obj in request.objects:
        if obj.label in requested and requested[obj.label].quantity is None:
            raise InvalidInput(f"Object {obj.label} is named twice")
        if obj.label in requested:
            prev = requested[obj.label]
            obj = ObjectRequest(obj.label, (prev.quantity or 1) + (obj.quantity or 1), obj.ticket_type, obj.extra_data)
        requested[obj.label] = obj
    rows = (lock or uow.objects.lock)(event.id, list(requested))
    missing = [label for label in requested if label not in rows]
    if missing:
        raise ObjectNotFound(missing, event.key)

    layout: Layout | None = None
    seat_changes: list[tuple[ObjectRow, ObjectState]] = []
    area_plans: list[tuple[ObjectRow, list[AreaMove], list[AreaMove]]] = []
    areas = [label for label, row in rows.items() if row.object_type == ObjectType.GENERAL_ADMISSION]
    # Only a release frees places order by order; anything else needs the taken places' totals alone.
    allocations = uow.objects.allocations(event.id, areas, per_order=request.status == FREE) if areas else {}
    for label, obj in requested.items():
        row = rows[label]
        if row.object_type == ObjectType.GENERAL_ADMISSION:
            area = row.area(allocations.get(label, ()))
            _check_previous(area, request, now)
            moves = plan_area_change(
                area,
                request.status,
                obj.quantity or 1,
                caller,
                now,
                order_id=request.order_id,
                ticket_type=obj.ticket_type,
                owned_by_order=request.owned_by_order,
            )
            lapsed = [AreaMove(HELD, FREE, a.quantity, a.hold_token) for a in area.lapsed(now)]
            area_plans.append((row, lapsed, moves))
            continue
        if obj.quantity not in (None, 1):
            raise IllegalStatusChange(label, "a quantity is only for general admission areas", event.key)
        if row.object_type in (ObjectType.TABLE, ObjectType.SEAT) and request.status != FREE:
            layout = layout or layout_of(uow, event)
            _check_table_mode(layout, event, row, label)
        change = Change(
            label=label,
            target=request.status,
            order_id=request.order_id,
            ticket_type=obj.ticket_type,
            extra_data=obj.extra_data,
            keep_extra_data=request.keep_extra_data,
            resale_listing_id=request.resale_listing_id,
            allowed_previous_statuses=request.allowed_previous_statuses,
            rejected_previous_statuses=request.rejected_previous_statuses,
            owned_by_order=request.owned_by_order,
        )
        try:
            new_state = apply_change(row.state, change, caller, now)
        except IllegalStatusChange as exc:
            raise exc.in_event(event.key) from None
        seat_changes.append((row, new_state))
    return EventPlan(event, request, list(requested), seat_changes, area_plans)


def write_plans(
    uow: UnitOfWork,
    plans: Sequence[tuple[Workspace, EventPlan]],
    now: datetime,
    tokens: Sequence[HoldToken] = (),
    *,
    areas_written: bool = False,
) -> None:
    """Write decided plans (and new hold `tokens`): the compare-and-set of every seat (all or, on a lost
    race, none), the GA moves (unless `areas_written` already) and one log entry per change. Plans may
    change one seat one after another (versions chain)."""
    by_event: dict[int, list[tuple[int, ObjectState]]] = {}
    for _, plan in plans:
        by_event.setdefault(plan.event.id, []).extend((row.state.version, new) for row, new in plan.seat_changes)
    log: list[dict[str, Any]] = []
    for workspace, plan in plans:
        event, request = plan.event, plan.request
        log.extend(
            _entry(
                workspace,
                event,
                request,
                now,
                label=new.label,
                status=new.status,
                previous=row.state.status,
                hold_token=new.hold_token or row.state.hold_token,
                order_id=new.order_id,
                ticket_type=new.ticket_type,
                channel_key=new.channel_key,
                extra_data=new.extra_data,
            )
            for row, new in plan.seat_changes
        )
        for row, lapsed, moves in plan.area_plans:
            label = row.state.label
            for move in lapsed:
                log.append(
                    _entry(
                        workspace,
                        event,
                        request,
                        now,
                        label=label,
                        status=FREE,
                        previous=HELD,
                        quantity=move.quantity,
                        hold_token=move.hold_token,
                        origin="EXPIRY",
                    )
                )
            for move in moves:
                log.append(
                    _entry(
                        workspace,
                        event,
                        request,
                        now,
                        label=label,
                        status=move.to_status,
                        previous=move.from_status,
                        quantity=move.quantity,
                        hold_token=move.hold_token,
                        order_id=move.order_id,
                        ticket_type=move.ticket_type,
                        channel_key=row.state.channel_key,
                    )
                )
        if not areas_written:
            write_area_moves(uow, plan)
    if not uow.write_changes(tokens, log, by_event):
        raise Busy("Objects changed while this change was being made; nothing was changed, retry")


def write_area_moves(uow: UnitOfWork, plan: EventPlan) -> None:
    """The plan's GA allocation moves (lapsed holds freed first), written now: a later decision on the same
    area in this transaction reads them."""
    if plan.area_plans:
        uow.objects.apply_area_moves(
            plan.event.id,
            [(row.state.label, move) for row, lapsed, moves in plan.area_plans for move in [*lapsed, *moves]],
        )


def _check_previous(area: AreaState, request: StatusChangeRequest, now: datetime) -> None:
    if request.allowed_previous_statuses is None and not request.rejected_previous_statuses:
        return
    # An area is "free" while it has free places; its status is otherwise its busiest one.
    counts = area.counts(now)
    status = FREE if area.free_places(now) > 0 or not counts else max(counts.items(), key=lambda kv: kv[1])[0]
    if request.allowed_previous_statuses is not None and status not in request.allowed_previous_statuses:
        raise IllegalStatusChange.previous_status(area.label, status, request.status, allowed=True)
    if status in request.rejected_previous_statuses:
        raise IllegalStatusChange.previous_status(area.label, status, request.status, allowed=False)


def _check_table_mode(layout: Layout, event: Event, row: ObjectRow, label: str) -> None:
    chart_object = layout.objects.get(label)
    if chart_object is None:
        return
    if row.object_type == ObjectType.TABLE and not table_booked_as_whole(layout, event.settings, label):
        raise IllegalStatusChange(label, "this table is booked per seat, not as a whole", event.key)
    if chart_object.table_label and table_booked_as_whole(layout, event.settings, chart_object.table_label):
        raise IllegalStatusChange(label, f"table {chart_object.table_label} is booked as a whole", event.key)


def _entry(
    workspace: Workspace,
    event: Event,
    request: StatusChangeRequest,
    now: datetime,
    *,
    label: str,
    status: str,
    previous: str,
    origin: str | None = None,
    **details: Any,
) -> dict[str, Any]:
    """The log row of one change `request` made (`details`: quantity, hold token, order, ticket type, ...)."""
    origin = origin or request.origin
    return status_log.entry(
        workspace.id, event.id, label, status, previous, now, origin=origin, origin_ip=request.origin_ip, **details
    )


# Convenience entry points, named for what callers do.
def hold(
    db: Database,
    workspace: Workspace,
    event_keys: Sequence[str],
    objects: Sequence[ObjectRequest | str],
    hold_token: str,
    **options: Any,
) -> ChangedObjects:
    return change_status(db, workspace, _request(event_keys, objects, HELD, hold_token=hold_token, **options))


def book(
    db: Database,
    workspace: Workspace,
    event_keys: Sequence[str],
    objects: Sequence[ObjectRequest | str],
    **options: Any,
) -> ChangedObjects:
    return change_status(db, workspace, _request(event_keys, objects, "booked", **options))


def release(
    db: Database,
    workspace: Workspace,
    event_keys: Sequence[str],
    objects: Sequence[ObjectRequest | str],
    **options: Any,
) -> ChangedObjects:
    return change_status(db, workspace, _request(event_keys, objects, FREE, **options))


def put_up_for_resale(
    db: Database,
    workspace: Workspace,
    event_keys: Sequence[str],
    objects: Sequence[ObjectRequest | str],
    **options: Any,
) -> ChangedObjects:
    return change_status(db, workspace, _request(event_keys, objects, "resale", **options))


def _request(
    event_keys: Sequence[str], objects: Sequence[ObjectRequest | str], status: str, **options: Any
) -> StatusChangeRequest:
    objs = tuple(o if isinstance(o, ObjectRequest) else ObjectRequest(o) for o in objects)
    return StatusChangeRequest(event_keys=tuple(event_keys), objects=objs, status=status, **options)


def update_extra_data(
    db: Database, workspace: Workspace, event_key: str, extra_data: dict[str, dict[str, Any] | None]
) -> None:
    """Replace the extra data of some objects (not a status change: the status and its log stay)."""
    from boxoffice.services.events import require_event

    with db.write() as uow:
        event = require_event(uow, workspace, event_key)
        rows = uow.objects.lock(event.id, list(extra_data))
        missing = [label for label in extra_data if label not in rows]
        if missing:
            raise ObjectNotFound(missing, event.key)
        for label, data in extra_data.items():
            uow.objects.set_attributes(event.id, [label], extra_data=data)
        uow.commit()
