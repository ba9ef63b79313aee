"""Seasons (seats.io): create a season with its events, add events, partial seasons, and what an API shows.

A season is an event with a `season_kind` (domain/seasons.py); its events are rows of `season_events`.
Status changes named on a season reach its events through inventory.apply_requests (season_members.py);
here, an event that joins a season takes on what the season has already taken, through that same path.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime

from boxoffice.domain.errors import (
    AlreadyExists,
    Conflict,
    EventNotFound,
    IllegalStatusChange,
    InvalidInput,
    ObjectNotFound,
)
from boxoffice.domain.layout import ObjectType
from boxoffice.domain.records import Event, Workspace
from boxoffice.domain.seasons import (
    PARTIAL,
    TOP_LEVEL,
    check_event_keys,
    check_number_of_events,
    propagates_for_sale,
)
from boxoffice.domain.statuses import FREE, ObjectState
from boxoffice.services import inventory, season_members
from boxoffice.services.clock import utcnow
from boxoffice.services.events import EventSpec, create_events_in, require_event, require_locked_event
from boxoffice.services.inventory import EventPlan, ObjectRequest, StatusChangeRequest, write_plans
from boxoffice.storage.objects import ObjectRow
from boxoffice.storage.uow import Database, UnitOfWork


class NotASeason(InvalidInput):
    code = "NOT_A_SEASON"


@dataclass(frozen=True, slots=True)
class SeasonSpec:
    event: EventSpec  # the season's own key, name and configuration
    number_of_events: int | None = None
    event_keys: tuple[str, ...] = ()
    for_sale_propagated: bool = True


@dataclass(frozen=True, slots=True)
class SeasonLinks:
    """How an event or season sits in seasons, as the API shows it."""

    top_level_season_key: str | None = None
    partial_season_keys_for_event: tuple[str, ...] = ()
    # a season retrieved on its own: its events (oldest first) and, top-level, its partial seasons
    events: tuple[Event, ...] | None = None
    partial_season_keys: tuple[str, ...] | None = None
    event_links: dict[int, SeasonLinks] = field(default_factory=dict)


# -- create ------------------------------------------------------------------------------------------------------
def create_season(db: Database, workspace: Workspace, spec: SeasonSpec) -> Event:
    check_event_keys(spec.event_keys)
    check_number_of_events(spec.number_of_events)
    with db.write() as uow:
        season = create_events_in(
            uow,
            workspace,
            [spec.event],
            season_kind=TOP_LEVEL,
            extra_settings={"forSalePropagated": spec.for_sale_propagated},
        )[0]
        _new_events(uow, workspace, season, spec.event_keys, spec.number_of_events)
        uow.commit()
    return season


def create_events_in_season(
    db: Database,
    workspace: Workspace,
    season_key: str,
    *,
    event_keys: Sequence[str] = (),
    number_of_events: int | None = None,
) -> list[Event]:
    """New events in a top-level season, newest first (as seats.io answers). Objects the season has taken are
    taken in them too (docs: "If objects have been booked for the season, they're unavailable on the newly
    created events as well")."""
    check_event_keys(list(event_keys))
    check_number_of_events(number_of_events)
    if not event_keys and number_of_events is None:
        raise InvalidInput("Give eventKeys or numberOfEvents")
    with db.write() as uow:
        season = _top_level(uow, workspace, season_key)
        created = _new_events(uow, workspace, season, tuple(event_keys), number_of_events)
        uow.commit()
    return sorted(created, key=lambda e: -e.id)


def create_partial_season(
    db: Database,
    workspace: Workspace,
    top_level_key: str,
    *,
    key: str | None = None,
    name: str | None = None,
    event_keys: Sequence[str] = (),
) -> Event:
    check_event_keys(list(event_keys))
    with db.write() as uow:
        top = _top_level(uow, workspace, top_level_key)
        events = _events_of_season(uow, workspace, top, event_keys)
        spec = replace(_inherited(uow, top, key), name=name)
        partial = create_events_in(uow, workspace, [spec], season_kind=PARTIAL, top_level_season_id=top.id)[0]
        uow.seasons.add_members(partial.id, [e.id for e in events])
        uow.commit()
    return partial


def add_events_to_partial_season(
    db: Database, workspace: Workspace, top_level_key: str, partial_key: str, event_keys: Sequence[str]
) -> Event:
    """The events (of the top-level season) join the partial season, and take on what it has taken."""
    check_event_keys(list(event_keys))
    if not event_keys:
        raise InvalidInput("eventKeys must name at least one event")
    with db.write() as uow:
        top = _top_level(uow, workspace, top_level_key)
        partial = _partial(uow, workspace, top, partial_key)
        events = _events_of_season(uow, workspace, top, event_keys)
        already = {e.id for e in uow.seasons.members(partial.id)}
        repeated = [e.key for e in events if e.id in already]
        if repeated:
            raise AlreadyExists(f"Already in partial season {partial.key}: {', '.join(repeated)}")
        uow.seasons.add_members(partial.id, [e.id for e in events])
        _take_on(uow, workspace, partial, events, utcnow())
        uow.commit()
    return partial


def remove_event_from_partial_season(
    db: Database, workspace: Workspace, top_level_key: str, partial_key: str, event_key: str
) -> Event:
    """The event leaves the partial season (it stays in the top-level season). Refused while the partial
    season has objects taken: the event's share of them would be left behind, belonging to nothing."""
    now = utcnow()
    with db.write() as uow:
        top = _top_level(uow, workspace, top_level_key)
        partial = _partial(uow, workspace, top, partial_key)
        event = require_event(uow, workspace, event_key)
        taken = [row.state.label for row in uow.objects.all(partial.id) if row.state.effective(now).status != FREE]
        taken += [label for label, *_ in uow.objects.allocation_totals(partial.id)]
        if uow.seasons.remove_member(partial.id, event.id) == 0:
            raise InvalidInput(f"Event {event.key} is not in partial season {partial.key}")
        if taken:
            raise Conflict(
                f"Partial season {partial.key} has objects taken ({', '.join(sorted(set(taken))[:5])}): "
                "release them before removing an event from it"
            )
        uow.commit()
    return partial


# -- read --------------------------------------------------------------------------------------------------------
def season_links(db: Database, events: Sequence[Event], *, with_members: bool) -> dict[int, SeasonLinks]:
    """For each event (by id) in or of a season, how it sits; `with_members`: a season's events too (and
    their links), as a season retrieved on its own shows them."""
    if not any(e.is_season or e.top_level_season_id is not None for e in events):
        return {}
    with db.read() as uow:
        return _links(uow, events, with_members=with_members)


def _links(uow: UnitOfWork, events: Sequence[Event], *, with_members: bool) -> dict[int, SeasonLinks]:
    keys: dict[int, str | None] = {}
    for event in events:
        top = event.top_level_season_id
        if top is not None and top not in keys:
            keys[top] = uow.seasons.key_of(top)
    plain = [e.id for e in events if not e.is_season and e.top_level_season_id is not None]
    partials_of = uow.seasons.partial_season_keys_of(plain)
    members = uow.seasons.members_of([e.id for e in events if e.is_season]) if with_members else {}
    nested = [m for found in members.values() for m in found]
    nested_links = _links(uow, nested, with_members=False) if nested else {}
    found: dict[int, SeasonLinks] = {}
    for event in events:
        links = SeasonLinks(
            top_level_season_key=keys.get(event.top_level_season_id) if event.top_level_season_id else None,
            partial_season_keys_for_event=tuple(partials_of.get(event.id, ())),
        )
        if with_members and event.is_season:
            links = replace(
                links,
                events=tuple(members.get(event.id, ())),
                partial_season_keys=(
                    tuple(p.key for p in uow.seasons.partial_seasons(event.id))
                    if event.season_kind == TOP_LEVEL
                    else None
                ),
                event_links=nested_links,
            )
        found[event.id] = links
    return found


# -- the parts ---------------------------------------------------------------------------------------------------
def _top_level(uow: UnitOfWork, workspace: Workspace, key: str) -> Event:
    # Locked: a for-sale change on the season locks it first too, so an event joining the season starts
    # with the config as the change left it, or the change reaches the event.
    season = require_locked_event(uow, workspace, key)
    if season.season_kind != TOP_LEVEL:
        raise NotASeason(f"{key} is not a top-level season")
    return season


def _partial(uow: UnitOfWork, workspace: Workspace, top: Event, key: str) -> Event:
    partial = uow.events.by_key(workspace.id, key)
    if partial is None or partial.season_kind != PARTIAL or partial.top_level_season_id != top.id:
        raise EventNotFound(f"Partial season not found: {key} is not a partial season of {top.key}")
    return partial


def _events_of_season(uow: UnitOfWork, workspace: Workspace, top: Event, keys: Sequence[str]) -> list[Event]:
    """The named events, in the order named; each must be an event of the top-level season."""
    if not keys:
        return []
    events = {e.key: e for e in inventory.find_events(uow, workspace, keys)}
    outside = [key for key in keys if events[key].top_level_season_id != top.id or events[key].is_season]
    if outside:
        raise InvalidInput(f"Not events of season {top.key}: {', '.join(outside)}")
    return [events[key] for key in keys]


def _inherited(uow: UnitOfWork, season: Event, key: str | None) -> EventSpec:
    """An event of the season starts with the season's configuration: table booking, categories, channels
    and, while the season propagates it (services/for_sale.py), its for-sale config."""
    settings = season.settings
    return EventSpec(
        chart_key=season.chart_key,
        key=key,
        table_booking_config=settings.get("tableBookingConfig"),
        object_categories=settings.get("objectCategories"),
        categories=settings.get("categories"),
        channels=uow.channels.list(season.id),
        for_sale_config=settings.get("forSaleConfig") if propagates_for_sale(season) else None,
    )


def _new_events(
    uow: UnitOfWork,
    workspace: Workspace,
    season: Event,
    event_keys: tuple[str, ...],
    number_of_events: int | None,
) -> list[Event]:
    keys: list[str | None] = list(event_keys) if event_keys else [None] * (number_of_events or 0)
    if not keys:
        return []
    specs = [_inherited(uow, season, key or str(uuid.uuid4())) for key in keys]
    created = create_events_in(uow, workspace, specs, top_level_season_id=season.id)
    uow.seasons.add_members(season.id, [e.id for e in created])
    _take_on(uow, workspace, season, created, utcnow())
    return created


def _take_on(uow: UnitOfWork, workspace: Workspace, season: Event, events: Sequence[Event], now: datetime) -> None:
    """What the season has taken (held, booked, resale, a custom status) becomes taken in `events` too, each
    with the same hold token or order, through inventory.apply_requests: all or, if an event has sold one
    of them already, nothing."""
    if not events:
        return
    groups: dict[tuple[str, str | None, str | None], list[ObjectRequest]] = {}
    areas: list[str] = []
    for row in uow.objects.all(season.id):
        if row.object_type == ObjectType.GENERAL_ADMISSION:
            areas.append(row.state.label)
            continue
        state = row.state.effective(now)
        if state.status != FREE:
            group = groups.setdefault((state.status, state.hold_token, state.order_id), [])
            group.append(ObjectRequest(state.label, ticket_type=state.ticket_type))
    for label, allocations in uow.objects.allocations(season.id, areas, per_order=True).items():
        for allocation in allocations:
            if not allocation.lapsed(now):
                group = groups.setdefault((allocation.status, allocation.hold_token, allocation.order_id), [])
                group.append(ObjectRequest(label, quantity=allocation.quantity, ticket_type=allocation.ticket_type))
    requests = [
        StatusChangeRequest(
            event_keys=tuple(e.key for e in events),
            objects=tuple(objects),
            status=status,
            hold_token=token,
            order_id=order_id,
            ignore_channels=True,
            origin="SEASON",
        )
        for (status, token, order_id), objects in groups.items()
    ]
    if requests:
        inventory.apply_requests(uow, workspace, requests, now)


# -- an event's own say over its season's objects -----------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class SeasonStatusStep:
    """override-season-status (`override`) or use-season-status on some objects of an event in a season."""

    event_key: str
    labels: tuple[str, ...]
    override: bool


def override_season_status(db: Database, workspace: Workspace, event_key: str, labels: Sequence[str]) -> None:
    """The event frees objects its season has taken, to sell them on its own (docs: a season ticket holder
    who will not come); an object the season has not taken stays as it is, the event's alone from now on.
    Changes named on the season pass them by until the season frees them."""
    change_in_batch(db, workspace, [SeasonStatusStep(event_key, tuple(labels), override=True)])


def use_season_status(db: Database, workspace: Workspace, event_key: str, labels: Sequence[str]) -> None:
    """The override ends: the objects take their season's status again, if the event has not sold them."""
    change_in_batch(db, workspace, [SeasonStatusStep(event_key, tuple(labels), override=False)])


def change_in_batch(
    db: Database, workspace: Workspace, steps: Sequence[StatusChangeRequest | SeasonStatusStep]
) -> None:
    """A batch of status changes that may override or use season statuses: all in one transaction."""
    if len(steps) > inventory.MAX_CHANGES_PER_BATCH:
        raise InvalidInput(f"At most {inventory.MAX_CHANGES_PER_BATCH} status changes per batch")
    now = utcnow()
    with db.write() as uow:
        for step in steps:
            if isinstance(step, SeasonStatusStep):
                _season_status(uow, workspace, step, now)
            else:
                inventory.apply_requests(uow, workspace, [step], now)
        uow.commit()


def _season_status(uow: UnitOfWork, workspace: Workspace, step: SeasonStatusStep, now: datetime) -> None:
    if not step.labels:
        raise InvalidInput("No objects given")
    event = require_event(uow, workspace, step.event_key)
    if event.is_season or event.top_level_season_id is None:
        raise NotASeason(f"Event {event.key} is not an event in a season")
    labels = list(dict.fromkeys(step.labels))
    rows = uow.objects.lock(event.id, labels)  # first: no season change comes in between (season_members.py)
    missing = [label for label in labels if label not in rows]
    if missing:
        raise ObjectNotFound(missing, event.key)
    areas = [label for label in labels if rows[label].object_type == ObjectType.GENERAL_ADMISSION]
    if areas:
        raise InvalidInput(f"Season statuses of general admission areas cannot be overridden yet: {areas[0]}")
    overridden = uow.seasons.overridden(event.id, labels)
    # the seasons' rows are read, not locked: a season change locks them before its events' rows
    season_rows = [uow.objects.get(s.id, labels) for s in season_members.seasons_of(uow, event)]
    changes: list[tuple[ObjectRow, ObjectState]] = []
    for label in labels:
        row = rows[label]
        state = row.state.effective(now)
        taken = next(
            (s for r in season_rows if label in r and (s := r[label].state.effective(now)).status != FREE), None
        )
        if step.override:
            if label in overridden:
                raise IllegalStatusChange(label, "its season status is overridden already", event.key)
            if taken is not None and state.status != FREE:
                changes.append((row, row.state.freed()))
            # else nothing changes now: the season has not taken it, and will pass the event by when it does
            continue
        if label not in overridden:
            raise IllegalStatusChange(label, "its season status is not overridden", event.key)
        if state.status != FREE:
            raise IllegalStatusChange(label, f"the event has it {state.status} since the override", event.key)
        if taken is not None:
            changes.append((row, _as_season(row.state, taken)))
    request = StatusChangeRequest(
        event_keys=(event.key,),
        objects=tuple(ObjectRequest(label) for label in labels),
        status=FREE,  # the log takes each object's status from its change; the request gives the origin
        origin="OVERRIDE_SEASON_STATUS" if step.override else "USE_SEASON_STATUS",
    )
    plan = EventPlan(event, request, labels, changes, [])
    write_plans(uow, [(workspace, plan)], now)
    if step.override:
        uow.seasons.add_overrides(event.id, labels)
    else:
        uow.seasons.remove_overrides([event.id], labels)


def _as_season(state: ObjectState, season: ObjectState) -> ObjectState:
    return replace(
        state,
        status=season.status,
        hold_token=season.hold_token,
        hold_expires_at=season.hold_expires_at,
        status_before_hold=season.status_before_hold,
        order_id=season.order_id,
        ticket_type=season.ticket_type,
        resale_listing_id=season.resale_listing_id,
        extra_data=season.extra_data,
    )
