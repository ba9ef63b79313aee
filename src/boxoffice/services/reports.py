"""What an event looks like now: object info, reports grouped by status/category/section/…, summaries."""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from boxoffice.domain import summaries
from boxoffice.domain.errors import InvalidInput, ObjectNotFound
from boxoffice.domain.layout import ChartObject, Layout, ObjectType
from boxoffice.domain.records import Event, StatusChangeRecord, Workspace
from boxoffice.domain.statuses import BOOKED, FREE, HELD
from boxoffice.domain.summaries import NO_CATEGORY, NOT_FOR_SALE, DeepSummaryBucket, SummaryBucket
from boxoffice.services.clock import utcnow
from boxoffice.services.events import require_event, table_booked_as_whole
from boxoffice.services.layouts import layout_of
from boxoffice.storage.objects import ObjectRow
from boxoffice.storage.uow import Database, UnitOfWork


@dataclass(frozen=True, slots=True)
class ObjectInfo:
    """One object of one event, as it is now (lapsed holds already fallen back)."""

    label: str
    object_type: str
    status: str
    chart_object: ChartObject | None
    category_key: str | None
    category_label: str | None
    section: str | None
    for_sale: bool
    hold_token: str | None = None
    order_id: str | None = None
    ticket_type: str | None = None
    channel_key: str | None = None
    extra_data: dict[str, Any] | None = None
    resale_listing_id: str | None = None
    capacity: int = 0
    num_booked: int = 0
    num_held: int = 0
    num_free: int = 0
    num_not_for_sale: int = 0
    holds: dict[str, dict[str, int]] = field(default_factory=dict)  # GA: token -> ticket type -> count
    counts: dict[str, int] = field(default_factory=dict)  # GA: status -> places
    book_as_a_whole: bool = False  # as the chart's drawing says (tables, GA areas): seats.io's bookAsAWhole
    sold_as_a_whole: bool = False  # a table (or a table's seat) this event sells whole: its table booking mode
    is_available: bool = False
    availability_reason: str = "available"
    distance_to_focal_point: float | None = None  # to the zone's focal point, else the chart's
    num_seats: int | None = None  # tables: how many seats sit at it
    zone: str | None = None  # the zone (key) it is drawn in
    places_in_channels: int = 0  # GA: places moved out to channels' shares (each an object of its own)
    season_status_overridden_quantity: int = 0  # an event of a season selling this on its own
    partition_of: str | None = None  # a channel's share of this GA area


def object_infos(
    db: Database,
    workspace: Workspace,
    event_key: str,
    labels: Sequence[str] | None = None,
    *,
    now: datetime | None = None,
    season_bookings_propagated: bool = True,
) -> list[ObjectInfo]:
    moment = now or utcnow()
    with db.read() as uow:
        event = require_event(uow, workspace, event_key)
        return infos_for_event(uow, event, labels, moment, season_bookings_propagated=season_bookings_propagated)


def infos_for_event(
    uow: UnitOfWork,
    event: Event,
    labels: Sequence[str] | None,
    now: datetime,
    *,
    season_bookings_propagated: bool = True,
) -> list[ObjectInfo]:
    """`season_bookings_propagated`: a season's free object that one of its events (or seasons it shares
    events with) has taken shows as taken there (docs: "an object is not available at the season level when
    it's booked in at least one event")."""
    if labels is not None:
        rows = uow.objects.get(event.id, labels)
        missing = [label for label in labels if label not in rows]
        if missing:
            raise ObjectNotFound(missing, event.key)
        ordered = [rows[label] for label in dict.fromkeys(labels)]
    else:
        ordered = uow.objects.all(event.id)
    infos = infos_for_rows(uow, event, ordered, now)
    if event.top_level_season_id is not None and not event.is_season:
        overridden = uow.seasons.overrides_of(event.id)
        if overridden:  # seats, tables and booths only, whole (services/seasons.py): one each
            infos = [replace(i, season_status_overridden_quantity=1) if i.label in overridden else i for i in infos]
    return _taken_in_season(uow, event, infos, now) if event.is_season and season_bookings_propagated else infos


def _taken_in_season(uow: UnitOfWork, season: Event, infos: list[ObjectInfo], now: datetime) -> list[ObjectInfo]:
    """Free seats, tables and booths of a season that its events, its top-level season (of a partial one)
    or its partial seasons (of a top-level one) have taken: shown with the status taken there. A GA area
    shows the places free in the season and in every one of its events: what a season booking can take."""
    infos = _areas_free_in_events(uow, season, infos, now)
    free = [i.label for i in infos if i.object_type != ObjectType.GENERAL_ADMISSION and i.status == FREE]
    if not free:
        return infos
    related = uow.seasons.members(season.id)
    if season.top_level_season_id is not None:
        top = uow.events.by_id(season.top_level_season_id)
        related += [top] if top is not None else []
    else:
        related += uow.seasons.partial_seasons(season.id)
    taken: dict[str, str] = {}
    for other in related:
        for label, row in uow.objects.get(other.id, free).items():
            status = row.state.effective(now).status
            if status != FREE:
                taken.setdefault(label, status)
    return [
        replace(i, status=taken[i.label], is_available=False, availability_reason=taken[i.label])
        if i.label in taken
        else i
        for i in infos
    ]


def _areas_free_in_events(uow: UnitOfWork, season: Event, infos: list[ObjectInfo], now: datetime) -> list[ObjectInfo]:
    fewest = {i.label: i.num_free for i in infos if i.object_type == ObjectType.GENERAL_ADMISSION}
    if not fewest:
        return infos
    for member in uow.seasons.members(season.id):
        rows = uow.objects.get(member.id, list(fewest))
        for info in infos_for_rows(uow, member, list(rows.values()), now):
            fewest[info.label] = min(fewest[info.label], info.num_free)
    shown: list[ObjectInfo] = []
    for i in infos:
        free = fewest.get(i.label, i.num_free)
        if free < i.num_free:
            taken = BOOKED if free == 0 else i.status  # sold out in an event: unavailable for the season
            available = free > 0 and i.for_sale
            reason = "available" if available else (NOT_FOR_SALE if not i.for_sale else taken)
            i = replace(i, num_free=free, status=taken, is_available=available, availability_reason=reason)
        shown.append(i)
    return shown


def infos_for_rows(uow: UnitOfWork, event: Event, ordered: Sequence[ObjectRow], now: datetime) -> list[ObjectInfo]:
    """Object infos of rows in hand (as read, or as a change has just decided them)."""
    layout = layout_of(uow, event)
    areas = [r.state.label for r in ordered if r.object_type == ObjectType.GENERAL_ADMISSION]
    allocations = uow.objects.allocations(event.id, areas)
    categories = _category_labels(layout, event)
    seats_at: Counter[str] = Counter()
    if any(r.object_type == ObjectType.TABLE for r in ordered):
        seats_at.update(o.table_label for o in layout.objects.values() if o.table_label)
    return [
        _info(row, layout, event, categories, allocations.get(row.state.label, []), now, seats_at) for row in ordered
    ]


def _distance(chart_object: ChartObject | None, layout: Layout) -> float | None:
    if chart_object is None:
        return None
    zone = layout.zone(chart_object.zone)
    focal = (zone.focal_point if zone is not None else None) or layout.focal_point
    if focal is None:
        return None
    return math.hypot(chart_object.x - focal.x, chart_object.y - focal.y)


def _category_labels(layout: Layout, event: Event) -> dict[str, str]:
    labels = {c.key: c.label for c in layout.categories}
    for extra in event.settings.get("categories") or []:
        labels[str(extra.get("key"))] = str(extra.get("label", ""))
    return labels


def _info(
    row: ObjectRow,
    layout: Layout,
    event: Event,
    categories: dict[str, str],
    allocations: list[Any],
    now: datetime,
    seats_at: Counter[str] | None = None,
) -> ObjectInfo:
    state = row.state.effective(now)
    chart_object = layout.objects.get(state.label)
    base: dict[str, Any] = {
        "label": state.label,
        "object_type": row.object_type,
        "chart_object": chart_object,
        "category_key": row.category_key,
        "category_label": categories.get(row.category_key) if row.category_key else None,
        "section": row.section,
        "for_sale": state.for_sale,
        "channel_key": state.channel_key,
        "capacity": row.capacity,
        "distance_to_focal_point": _distance(chart_object, layout),
        "num_seats": (seats_at or Counter())[state.label] if row.object_type == ObjectType.TABLE else None,
        "zone": chart_object.zone if chart_object is not None else None,
        "places_in_channels": row.places_in_channels,
        "partition_of": row.partition_of,
    }
    if row.object_type == ObjectType.GENERAL_ADMISSION:
        area = row.area(allocations)
        counts = area.counts(now)
        holds: dict[str, dict[str, int]] = defaultdict(dict)
        for a in area.active(now):
            if a.status == HELD and a.hold_token:
                key = a.ticket_type or "NO_TICKET_TYPE"
                holds[a.hold_token][key] = holds[a.hold_token].get(key, 0) + a.quantity
        free = area.free_places(now)
        status = FREE if free > 0 else (max(counts.items(), key=lambda kv: kv[1])[0] if counts else FREE)
        available = free > 0 and state.for_sale
        return ObjectInfo(
            **base,
            status=status,
            num_booked=counts.get("booked", 0),
            num_held=counts.get(HELD, 0),
            num_free=free,
            num_not_for_sale=area.places_off_sale(now) if state.for_sale else free,
            holds=dict(holds),
            counts=counts,
            book_as_a_whole=bool(chart_object and chart_object.book_as_a_whole),
            is_available=available,
            availability_reason="available" if available else (NOT_FOR_SALE if not state.for_sale else status),
        )
    available = state.status == FREE and state.for_sale
    if row.object_type == ObjectType.TABLE:
        whole = table_booked_as_whole(layout, event.settings, state.label)
    elif chart_object is not None and chart_object.table_label:
        whole = table_booked_as_whole(layout, event.settings, chart_object.table_label)
    else:
        whole = False
    return ObjectInfo(
        **base,
        status=state.status,
        hold_token=state.hold_token,
        order_id=state.order_id,
        ticket_type=state.ticket_type,
        extra_data=state.extra_data,
        resale_listing_id=state.resale_listing_id,
        book_as_a_whole=bool(row.object_type == ObjectType.TABLE and chart_object and chart_object.book_as_a_whole),
        sold_as_a_whole=whole,
        is_available=available,
        availability_reason=("available" if available else (NOT_FOR_SALE if state.status == FREE else state.status)),
    )


# -- reports -------------------------------------------------------------------------------------------
GROUPINGS: dict[str, Callable[[ObjectInfo], str | None]] = {
    "byStatus": lambda i: i.status,
    "byCategoryKey": lambda i: i.category_key or NO_CATEGORY,
    "byCategoryLabel": lambda i: i.category_label or NO_CATEGORY,
    "bySection": lambda i: i.section or "NO_SECTION",
    "byZone": lambda i: i.zone or "NO_ZONE",
    "byLabel": lambda i: i.label,
    "byObjectType": lambda i: i.object_type,
    "byOrderId": lambda i: i.order_id or "NO_ORDER_ID",
    "byChannel": lambda i: i.channel_key or "NO_CHANNEL",
    "byAvailability": lambda i: "available" if i.is_available else "not_available",
    "byAvailabilityReason": lambda i: i.availability_reason,
}
# What a summary can group by; what it breaks each group down by (domain/summaries.py: all but its own),
# which adds bySelectability (selectable: what a ticket buyer can pick, i.e. available places).
SUMMARY_GROUPINGS = (
    "byStatus",
    "byCategoryKey",
    "byCategoryLabel",
    "bySection",
    "byAvailability",
    "byAvailabilityReason",
    "byChannel",
    "byObjectType",
    "byZone",
)
SUMMARY_DIMENSIONS = (*SUMMARY_GROUPINGS, "bySelectability")


def bookable(info: ObjectInfo) -> bool:
    """What an event sells: a table booked as a whole, not its seats; the seats of a table booked per seat,
    not the table. Reports and summaries show only these."""
    if info.object_type == ObjectType.TABLE:
        return info.sold_as_a_whole
    if info.chart_object is not None and info.chart_object.table_label:
        return not info.sold_as_a_whole
    return True


def report_infos(
    db: Database,
    workspace: Workspace,
    event_key: str,
    *,
    now: datetime | None = None,
    season_bookings_propagated: bool = True,
) -> list[ObjectInfo]:
    """Every bookable object of the event, by label (the flat report)."""
    found = object_infos(db, workspace, event_key, now=now, season_bookings_propagated=season_bookings_propagated)
    infos = [i for i in found if bookable(i)]
    infos.sort(key=lambda i: i.label)
    return infos


def report(
    db: Database,
    workspace: Workspace,
    event_key: str,
    grouping: str,
    *,
    filter_value: str | None = None,
    now: datetime | None = None,
    season_bookings_propagated: bool = True,
) -> dict[str, list[ObjectInfo]]:
    """Bookable objects grouped as asked (e.g. ``byStatus``), optionally only one group."""
    if grouping not in GROUPINGS:
        raise InvalidInput(f"Unknown report type {grouping!r}")
    key_of = GROUPINGS[grouping]
    grouped: dict[str, list[ObjectInfo]] = defaultdict(list)
    for info in report_infos(db, workspace, event_key, now=now, season_bookings_propagated=season_bookings_propagated):
        key = key_of(info)
        if key is None:
            continue
        if filter_value is None or key == filter_value:
            grouped[key].append(info)
    return dict(grouped)


def summary(
    db: Database,
    workspace: Workspace,
    event_key: str,
    grouping: str,
    *,
    now: datetime | None = None,
    season_bookings_propagated: bool = True,
) -> dict[str, SummaryBucket]:
    """Places grouped by `grouping`, each broken down by the other summary dimensions (seats.io summaries).

    Counts places: a GA area counts each of its places under the status it has, a table booked as a whole
    counts its seats.
    """
    combos, listed = _combos(db, workspace, event_key, grouping, now, season_bookings_propagated)
    return summaries.summarise(combos, SUMMARY_DIMENSIONS, grouping, listed)


def deep_summary(
    db: Database,
    workspace: Workspace,
    event_key: str,
    grouping: str,
    *,
    now: datetime | None = None,
    season_bookings_propagated: bool = True,
) -> dict[str, DeepSummaryBucket]:
    """As `summary`, one level deeper: each breakdown value is itself broken down by the remaining dimensions."""
    combos, listed = _combos(db, workspace, event_key, grouping, now, season_bookings_propagated)
    return summaries.summarise_deep(combos, SUMMARY_DIMENSIONS, grouping, listed)


def _combos(
    db: Database, workspace: Workspace, event_key: str, grouping: str, now: datetime | None, propagated: bool
) -> tuple[Counter[tuple[str, ...]], tuple[str, ...]]:
    """One pass over the event: places counted per combination of every dimension's value; and the groups
    listed even when empty."""
    if grouping not in SUMMARY_GROUPINGS:
        raise InvalidInput(f"Unknown summary report type {grouping!r}")
    dims = SUMMARY_DIMENSIONS
    moment = now or utcnow()
    combos: Counter[tuple[str, ...]] = Counter()
    with db.read() as uow:
        event = require_event(uow, workspace, event_key)
        layout = layout_of(uow, event)
        categories = _category_labels(layout, event)
        listed = summaries.always_listed(
            grouping, categories=categories, sections=layout.sections, zones=(z.key for z in layout.zones)
        )
        has_tables, zone_of_section = _shape(layout)
        if has_tables or zone_of_section is None or (event.is_season and propagated):
            # every object through the full rules
            infos = infos_for_event(uow, event, None, moment, season_bookings_propagated=propagated)
        else:
            # Seats and booths (no tables on this chart, each section in one zone): counted by the database,
            # GROUP BY; their zone follows from their section.
            counts, others = uow.objects.plain_counts(event.id, moment)
            for status, category, section, channel, for_sale, object_type, places in counts:
                info = ObjectInfo(
                    label="",
                    object_type=object_type,
                    status=status,
                    chart_object=None,
                    category_key=category,
                    category_label=categories.get(category) if category else None,
                    section=section,
                    for_sale=for_sale,
                    channel_key=channel,
                    zone=zone_of_section.get(section),
                )
                combos[_values(info, status, dims)] += places
            infos = infos_for_event(uow, event, others, moment) if others else []
    for info in infos:
        if not bookable(info):
            continue
        for status, places in _status_parts(info):
            if places:
                combos[_values(info, status, dims)] += places
    return combos, listed


Shape = tuple[bool, dict[str | None, str | None] | None]  # (has tables, Layout.zones_by_section)
_SHAPES: dict[int, tuple[Layout, Shape]] = {}  # id(layout) -> (the layout, kept alive while cached; its shape)


def _shape(layout: Layout) -> Shape:
    cached = _SHAPES.get(id(layout))
    if cached is not None and cached[0] is layout:
        return cached[1]
    has_tables = any(o.object_type == ObjectType.TABLE or o.table_label for o in layout.objects.values())
    found = (has_tables, layout.zones_by_section())
    if len(_SHAPES) > 64:
        _SHAPES.clear()
    _SHAPES[id(layout)] = (layout, found)
    return found


def _status_parts(info: ObjectInfo) -> list[tuple[str, int]]:
    """(status, places): a GA area splits into its statuses; a whole table counts its seats."""
    if info.object_type == ObjectType.GENERAL_ADMISSION:
        parts = [(status, n) for status, n in info.counts.items() if n and status != FREE]
        # places off sale are still free by status (an area wholly off sale already counts them in num_free)
        off_sale = info.num_not_for_sale if info.for_sale else 0
        return [(FREE, info.num_free + off_sale), *parts]
    if info.object_type == ObjectType.TABLE:
        return [(info.status, info.num_seats or 1)]
    return [(info.status, 1)]


def _values(info: ObjectInfo, status: str, dims: tuple[str, ...]) -> tuple[str, ...]:
    available = status == FREE and info.for_sale
    values = []
    for dim in dims:
        if dim == "byStatus":
            values.append(status)
        elif dim == "byAvailability":
            values.append("available" if available else "not_available")
        elif dim == "bySelectability":
            values.append("selectable" if available else "not_selectable")
        elif dim == "byAvailabilityReason":
            values.append("available" if available else (NOT_FOR_SALE if status == FREE else status))
        else:
            values.append(GROUPINGS[dim](info) or "NONE")
    return tuple(values)


# -- the status-change log -----------------------------------------------------------------------------
STATUS_CHANGE_SORTS = ("date", "objectLabel", "status")
MAX_STATUS_CHANGES_PAGE = 100


@dataclass(frozen=True, slots=True)
class StatusChangeEntry:
    """One logged change, and whether its object is still on the event's chart as something bookable."""

    change: StatusChangeRecord
    present_on_chart: bool
    not_present_reason: str | None = None  # OBJECT_DELETED, SWITCHED_TO_BOOK_BY_SEAT, SWITCHED_TO_BOOK_BY_TABLE


def status_changes(
    db: Database,
    workspace: Workspace,
    event_key: str,
    *,
    label: str | None = None,
    filter_text: str | None = None,
    sort: str = "date",
    ascending: bool | None = None,
    after_id: int | None = None,
    before_id: int | None = None,
    limit: int = 20,
) -> list[StatusChangeEntry]:
    """A page of an event's status changes (optionally one object's), newest first unless sorted otherwise.

    `sort` is date (newest first by default), objectLabel or status (both A→Z by default); `filter_text`
    keeps changes whose label contains it. `after_id`/`before_id` are the id of an entry of the previous
    page (keyset cursors in the chosen order).
    """
    if sort not in STATUS_CHANGE_SORTS:
        raise InvalidInput(f"Unknown sort {sort!r}: use one of {', '.join(STATUS_CHANGE_SORTS)}")
    if not 1 <= limit <= MAX_STATUS_CHANGES_PAGE + 1:
        raise InvalidInput(f"limit must be between 1 and {MAX_STATUS_CHANGES_PAGE}")
    if ascending is None:
        ascending = sort != "date"
    with db.read() as uow:
        event = require_event(uow, workspace, event_key)
        records = uow.status_log.page(
            event.id,
            label=label,
            filter_text=filter_text,
            sort=sort,
            ascending=ascending,
            after_id=after_id,
            before_id=before_id,
            limit=limit,
        )
        layout = layout_of(uow, event) if records else None
    return [StatusChangeEntry(r, *_presence(layout, event, r.label)) for r in records]


def _presence(layout: Layout | None, event: Event, label: str) -> tuple[bool, str | None]:
    chart_object = layout.objects.get(label) if layout is not None else None
    if layout is None or chart_object is None:
        return False, "OBJECT_DELETED"
    if chart_object.object_type is ObjectType.TABLE and not table_booked_as_whole(layout, event.settings, label):
        return False, "SWITCHED_TO_BOOK_BY_SEAT"
    if chart_object.table_label and table_booked_as_whole(layout, event.settings, chart_object.table_label):
        return False, "SWITCHED_TO_BOOK_BY_TABLE"
    return True, None
