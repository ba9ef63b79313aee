"""Events (performances) on charts: each gets one row per bookable object, free and for sale."""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from boxoffice.domain.errors import AlreadyExists, ChartNotFound, EventNotFound, InvalidInput
from boxoffice.domain.event_log import EVENT_CATEGORIES_UPDATED, EVENT_TABLE_BOOKING_CONFIG_UPDATED
from boxoffice.domain.for_sale import ForSaleConfig
from boxoffice.domain.layout import Category, ChartObject, Layout, ObjectType
from boxoffice.domain.records import Channel, Event, Workspace
from boxoffice.domain.seasons import TOP_LEVEL
from boxoffice.services.clock import utcnow
from boxoffice.services.event_log import record
from boxoffice.storage.objects import NewObject
from boxoffice.storage.uow import Database, UnitOfWork

TABLE_MODES = frozenset({"INHERIT", "ALL_BY_TABLE", "ALL_BY_SEAT", "CUSTOM"})
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_EVENT_KEY = re.compile(r"^[^/\s]{1,128}$")


@dataclass(frozen=True, slots=True)
class EventSpec:
    chart_key: str
    key: str | None = None
    name: str | None = None
    date: str | None = None
    table_booking_config: dict[str, Any] | None = None
    object_categories: dict[str, str] | None = None
    categories: list[dict[str, Any]] | None = None
    channels: list[Channel] = field(default_factory=list)
    for_sale_config: dict[str, Any] | None = None


def table_booked_as_whole(layout: Layout, settings: dict[str, Any], table_label: str) -> bool:
    """Is this table sold as a whole (True) or seat by seat (False) for this event?"""
    config = settings.get("tableBookingConfig") or {"mode": "INHERIT"}
    mode = config.get("mode", "INHERIT")
    if mode == "ALL_BY_TABLE":
        return True
    if mode == "ALL_BY_SEAT":
        return False
    if mode == "CUSTOM":
        per_table = (config.get("tables") or {}).get(table_label)
        if per_table in ("BY_TABLE", "BY_SEAT"):
            return bool(per_table == "BY_TABLE")
    table = layout.objects.get(table_label)
    return bool(table and table.book_as_a_whole)


def _validate(spec: EventSpec, layout: Layout) -> None:
    if spec.key is not None and not _EVENT_KEY.match(spec.key):
        raise InvalidInput("Event key must be 1 to 128 characters, without spaces or slashes")
    if spec.date is not None and not _DATE.match(spec.date):
        raise InvalidInput("Event date must be an ISO date, yyyy-mm-dd")
    if spec.table_booking_config is not None:
        mode = spec.table_booking_config.get("mode", "INHERIT")
        if mode not in TABLE_MODES:
            raise InvalidInput(f"Unknown table booking mode {mode}")
        for table, how in (spec.table_booking_config.get("tables") or {}).items():
            if how not in ("BY_TABLE", "BY_SEAT"):
                raise InvalidInput(f"Table {table}: booking mode must be BY_TABLE or BY_SEAT")
    if spec.object_categories:
        known = {c.key for c in layout.categories} | {str(c.get("key")) for c in spec.categories or []}
        for label, category in spec.object_categories.items():
            if label not in layout.objects:
                raise InvalidInput(f"Object {label} of objectCategories is not on the chart")
            if str(category) not in known:
                raise InvalidInput(f"Category {category} of objectCategories is not known")


def object_category(obj: ChartObject, overrides: Mapping[str, Any] | None) -> str | None:
    """The object's category on an event: the event's `objectCategories` first, then the chart's."""
    if overrides and obj.label in overrides:
        return str(overrides[obj.label])
    return str(obj.category_key) if obj.category_key else None


def _new_objects(layout: Layout, spec_categories: dict[str, str] | None) -> list[NewObject]:
    return [
        NewObject(
            label=o.label,
            object_type=o.object_type.value,
            category_key=object_category(o, spec_categories),
            section=o.section,
            capacity=o.capacity if o.object_type is ObjectType.GENERAL_ADMISSION else 0,
        )
        for o in layout.objects.values()
    ]


def create_events(db: Database, workspace: Workspace, specs: list[EventSpec]) -> list[Event]:
    """Create one or more events; all or none."""
    with db.write() as uow:
        created = create_events_in(uow, workspace, specs)
        uow.commit()
    return created


def create_events_in(
    uow: UnitOfWork,
    workspace: Workspace,
    specs: list[EventSpec],
    *,
    season_kind: str | None = None,
    top_level_season_id: int | None = None,
    extra_settings: Mapping[str, Any] | None = None,
) -> list[Event]:
    """Create events inside a caller's unit of work (so other writes can share its one commit); seasons
    (services/seasons.py) are created here too, with their `season_kind`."""
    from boxoffice.services.channels import assign_channels
    from boxoffice.services.chart_validation import check_for_events
    from boxoffice.services.for_sale import apply_for_sale_config
    from boxoffice.services.layouts import layout_for_chart

    if not specs:
        raise InvalidInput("No events to create")
    now = utcnow()
    created: list[Event] = []
    for spec in specs:
        chart = uow.charts.by_key(workspace.id, spec.chart_key)
        if chart is None:
            raise ChartNotFound.in_workspace(spec.chart_key, workspace.key)
        layout = layout_for_chart(uow, chart.id, chart.published_version, created_at=chart.created_at)
        check_for_events(uow, workspace, chart.key, layout)
        _validate(spec, layout)
        key = spec.key or str(uuid.uuid4())
        if uow.events.by_key(workspace.id, key) is not None:
            raise AlreadyExists(f"An event with key {key} already exists")
        settings: dict[str, Any] = {
            "tableBookingConfig": spec.table_booking_config or {"mode": "INHERIT"},
            "objectCategories": spec.object_categories,
            "categories": spec.categories,
            "forSaleConfig": None,
            **(extra_settings or {}),
        }
        event_id = uow.events.add(
            workspace_id=workspace.id,
            key=key,
            chart_id=chart.id,
            name=spec.name,
            date=spec.date,
            settings=settings,
            now=now,
            season_kind=season_kind,
            top_level_season_id=top_level_season_id,
        )
        uow.objects.add_many(event_id, _new_objects(layout, spec.object_categories))
        event = uow.events.by_id(event_id)
        assert event is not None
        if spec.channels:
            assign_channels(uow, event, spec.channels, replace=True)
        if spec.for_sale_config is not None:
            apply_for_sale_config(uow, event, layout, ForSaleConfig.from_json(spec.for_sale_config))
        created.append(uow.events.by_id(event_id) or event)
    return created


def create_event(db: Database, workspace: Workspace, spec: EventSpec) -> Event:
    return create_events(db, workspace, [spec])[0]


def get_event(db: Database, workspace: Workspace, key: str) -> Event:
    with db.read() as uow:
        return require_event(uow, workspace, key)


def require_event(uow: UnitOfWork, workspace: Workspace, key: str) -> Event:
    event = uow.events.by_key(workspace.id, key)
    if event is None:
        raise EventNotFound.in_workspace(key, workspace.key)
    return event


def require_locked_event(uow: UnitOfWork, workspace: Workspace, key: str) -> Event:
    """`require_event`, read again with its row locked (`EventRepository.locked`): changes of the event that
    write from what they read take turns (a for-sale change and an update; two adds of one channel, so the
    second hears ALREADY_EXISTS rather than the key's unique violation)."""
    event = require_event(uow, workspace, key)
    return uow.events.locked(event.id) or event


def update_event(
    db: Database,
    workspace: Workspace,
    key: str,
    *,
    new_key: str | None = None,
    name: str | None = None,
    date: str | None = None,
    table_booking_config: dict[str, Any] | None = None,
    object_categories: dict[str, str] | None = None,
    categories: list[dict[str, Any]] | None = None,
    for_sale_propagated: bool | None = None,
    chart_key: str | None = None,
    in_the_past: bool | None = None,
) -> Event:
    """Changes what is given. `chart_key`, if given, must be the event's own chart: an event moves to
    another chart only as a copy of its own (services/chart_copies.py), never by an update that would
    leave its objects' statuses behind."""
    from boxoffice.services.layouts import layout_for_event

    with db.write() as uow:
        # locked: the settings are written back whole, so a for-sale change (which locks the row too) must
        # not come in between and be undone
        event = require_locked_event(uow, workspace, key)
        if chart_key is not None and chart_key != event.chart_key:
            raise InvalidInput(
                f"The chart of event {event.key} cannot be changed to {chart_key}: "
                "move the event to a copy of its chart instead"
            )
        layout = layout_for_event(uow, event.chart_id)
        _validate(
            EventSpec(
                chart_key=event.chart_key,
                key=new_key,
                date=date,
                table_booking_config=table_booking_config,
                object_categories=object_categories,
                categories=categories,
            ),
            layout,
        )
        values: dict[str, Any] = {}
        if new_key is not None and new_key != key:
            if uow.events.by_key(workspace.id, new_key) is not None:
                raise AlreadyExists(f"An event with key {new_key} already exists")
            values["key"] = new_key
        if name is not None:
            values["name"] = name
        if date is not None:
            values["date"] = date
        settings = dict(event.settings)
        if table_booking_config is not None:
            settings["tableBookingConfig"] = table_booking_config
        if categories is not None:
            settings["categories"] = categories
        if for_sale_propagated is not None:
            if event.season_kind != TOP_LEVEL:
                raise InvalidInput("forSalePropagated is only for top-level seasons")
            settings["forSalePropagated"] = for_sale_propagated
        if in_the_past is not None:
            settings["isInThePast"] = in_the_past  # said by the venue; without it, the date decides
        if object_categories is not None:
            settings["objectCategories"] = object_categories
            for label, category in object_categories.items():
                uow.objects.set_attributes(event.id, [label], category_key=str(category))
        values["settings"] = settings
        uow.events.update(event.id, utcnow(), **values)
        key_now = values.get("key", event.key)
        if categories is not None or object_categories is not None:
            record(uow, workspace.id, EVENT_CATEGORIES_UPDATED, key_now)
        if table_booking_config is not None:
            record(uow, workspace.id, EVENT_TABLE_BOOKING_CONFIG_UPDATED, key_now)
        updated = uow.events.by_id(event.id)
        uow.commit()
    assert updated is not None
    return updated


def delete_event(db: Database, workspace: Workspace, key: str) -> None:
    with db.write() as uow:
        event = require_event(uow, workspace, key)
        if event.season_kind == TOP_LEVEL:  # its partial seasons go with it; its events stay, on their own
            for partial in uow.seasons.partial_seasons(event.id):
                uow.events.delete(partial.id)
            uow.seasons.detach_events(event.id)
        uow.events.delete(event.id)
        uow.commit()


def list_events(
    db: Database,
    workspace: Workspace,
    *,
    after_id: int | None = None,
    before_id: int | None = None,
    limit: int = 20,
) -> list[Event]:
    with db.read() as uow:
        return uow.events.page(workspace.id, after_id=after_id, before_id=before_id, limit=limit)


def add_new_objects_to_events(uow: UnitOfWork, chart_id: int, layout: Layout) -> None:
    """After publishing, every event on the chart gains the objects it did not have (all free)."""
    for event in uow.events.for_chart(chart_id):
        existing = uow.objects.labels(event.id)
        fresh = [o for o in _new_objects(layout, event.settings.get("objectCategories")) if o.label not in existing]
        uow.objects.add_many(event.id, fresh)


def chart_categories(db: Database, events: list[Event]) -> dict[int, tuple[Category, ...]]:
    """The categories of each event's chart (published version), by chart id."""
    from boxoffice.services.layouts import layout_for_event

    with db.read() as uow:
        return {chart_id: layout_for_event(uow, chart_id).categories for chart_id in {e.chart_id for e in events}}
