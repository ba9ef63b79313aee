"""Rendering boxoffice records as seats.io writes them: field by field, absent rather than null where
seats.io omits a key, ``[]``/``{}`` for empty lists and maps, category keys as strings in object info."""

from __future__ import annotations

import math
from datetime import UTC, datetime
from typing import Any

from boxoffice.domain.accounts import DEFAULT_RENDERER_SETTINGS, HOLD_ON_SELECT_FOR_GAS, Validation
from boxoffice.domain.layout import Category, ChartObject, Layout, ObjectType, Point
from boxoffice.domain.records import Channel, Chart, Event, HoldToken, Workspace
from boxoffice.domain.seasons import PARTIAL, TOP_LEVEL
from boxoffice.domain.statuses import FREE, HELD
from boxoffice.services.accounts import AccountView
from boxoffice.services.reports import ObjectInfo
from boxoffice.services.seasons import SeasonLinks

# seats.io lists charts drawn with its older venue type names under the current ones
CURRENT_VENUE_TYPES = {"ROWS_WITHOUT_SECTIONS": "SIMPLE", "ROWS_WITH_SECTIONS": "WITH_SECTIONS", "ZONES": "WITH_ZONES"}


def iso(moment: datetime | None) -> str | None:
    """seats.io timestamps: ISO 8601 in UTC with a Z, e.g. ``2024-01-02T03:04:05.678Z``."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _put(body: dict[str, Any], key: str, value: Any) -> None:
    if value is not None:
        body[key] = value


# -- objects -------------------------------------------------------------------------------------------
def labels_json(obj: ChartObject | None, label: str, object_type: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """seats.io's ``labels`` and ``ids``: own (and parent, section; entrance in labels) parts of an object's label."""
    if obj is None:
        return {"own": {"label": label, "type": object_type}}, {"own": label}
    labels: dict[str, Any] = {"own": {"label": obj.own_label, "type": str(obj.object_type)}}
    ids: dict[str, Any] = {"own": obj.own_label}
    if obj.parent_label is not None:
        labels["parent"] = {"label": obj.parent_label, "type": obj.parent_type or "row"}
        ids["parent"] = obj.parent_label
    if obj.section is not None:
        labels["section"] = obj.section
        ids["section"] = obj.section
    if obj.entrance is not None:  # in the labels only, not the ids (seats.io)
        labels["entrance"] = {"label": obj.entrance}
    return labels, ids


def distance(obj: ChartObject, layout: Layout | None) -> float | None:
    """Distance to the object's zone focal point, else the chart's focal point."""
    if layout is None:
        return None
    zone = layout.zone(obj.zone)
    focal: Point | None = (zone.focal_point if zone is not None else None) or layout.focal_point
    if focal is None:
        return None
    return math.hypot(obj.x - focal.x, obj.y - focal.y)


def chart_object_json(
    obj: ChartObject, *, num_seats: int | None = None, distance_to_focal_point: float | None = None
) -> dict[str, Any]:
    """The layout part of an object (what chart reports show; event object info adds the status)."""
    object_type = str(obj.object_type)
    labels, ids = labels_json(obj, obj.label, object_type)
    body: dict[str, Any] = {"label": obj.label, "labels": labels, "ids": ids}
    _put(body, "categoryLabel", obj.category_label)
    _put(body, "categoryKey", obj.category_key)
    _put(body, "section", obj.section)
    _put(body, "entrance", obj.entrance)
    body["objectType"] = object_type
    if obj.object_type is ObjectType.SEAT:
        body["isAccessible"] = obj.accessible
        body["isCompanionSeat"] = obj.companion_seat
        body["hasRestrictedView"] = obj.restricted_view
        body["isSemiAmbulatorySeat"] = obj.semi_ambulatory
        body["hasLiftUpArmrests"] = False
        body["isHearingImpaired"] = False
        body["hasSignLanguageInterpretation"] = False
        body["isPlusSize"] = False
        _put(body, "leftNeighbour", obj.left_neighbour)
        _put(body, "rightNeighbour", obj.right_neighbour)
    elif obj.object_type is ObjectType.GENERAL_ADMISSION:
        body["capacity"] = obj.capacity
        body["bookAsAWhole"] = obj.book_as_a_whole
        body["areaType"] = "generalAdmission"
    elif obj.object_type is ObjectType.TABLE:
        body["bookAsAWhole"] = obj.book_as_a_whole
        _put(body, "numSeats", num_seats)
    _put(body, "distanceToFocalPoint", distance_to_focal_point)
    _put(body, "zone", obj.zone)
    if obj.floor_name is not None:
        body["floor"] = {"name": obj.floor_name, "displayName": obj.floor_display_name or obj.floor_name}
    return body


def object_info_json(info: ObjectInfo, layout: Layout | None = None) -> dict[str, Any]:
    """One object of one event, as seats.io's event object info / event report item.

    Pass the event's `layout` to get ``distanceToFocalPoint`` and a table's ``numSeats`` (otherwise
    taken from the info when the service filled them in).
    """
    obj = info.chart_object
    if obj is not None:
        num_seats = info.num_seats
        dist = info.distance_to_focal_point
        if layout is not None:
            if num_seats is None and obj.object_type is ObjectType.TABLE:
                num_seats = sum(1 for o in layout.objects.values() if o.table_label == obj.label)
            if dist is None:
                dist = distance(obj, layout)
        body = chart_object_json(obj, num_seats=num_seats, distance_to_focal_point=dist)
    else:
        labels, ids = labels_json(None, info.label, info.object_type)
        body = {"label": info.label, "labels": labels, "ids": ids, "objectType": info.object_type}
    body["status"] = info.status
    # the event's view wins over the drawing's (categories can be overridden per event)
    if info.category_key is not None:
        body["categoryKey"] = info.category_key
    if info.category_label is not None:
        body["categoryLabel"] = info.category_label
    if info.section is not None:
        body["section"] = info.section
    body["forSale"] = info.for_sale
    body["isAvailable"] = info.is_available
    body["availabilityReason"] = info.availability_reason
    _put(body, "channel", info.channel_key)
    body["seasonStatusOverriddenQuantity"] = info.season_status_overridden_quantity
    if info.object_type == ObjectType.GENERAL_ADMISSION:
        body["capacity"] = info.capacity
        # seats.io counts every place that is neither free nor held as booked (custom statuses too)
        taken = sum(n for status, n in info.counts.items() if status not in (FREE, HELD))
        body["numBooked"] = max(taken, info.num_booked)
        body["numFree"] = info.num_free
        body["numHeld"] = info.num_held
        body["numNotForSale"] = info.num_not_for_sale
        body["bookAsAWhole"] = info.book_as_a_whole
        body["holds"] = info.holds
        drawn = info.chart_object
        if drawn is not None and drawn.variable_occupancy is not None:  # as the chart's drawing says
            body["variableOccupancy"] = drawn.variable_occupancy
            _put(body, "minOccupancy", drawn.min_occupancy)
            _put(body, "maxOccupancy", drawn.max_occupancy)
    else:
        _put(body, "holdToken", info.hold_token)
        _put(body, "orderId", info.order_id)
        _put(body, "ticketType", info.ticket_type)
        _put(body, "extraData", info.extra_data)
        _put(body, "resaleListingId", info.resale_listing_id)
        if info.object_type == ObjectType.TABLE:
            body["bookAsAWhole"] = info.book_as_a_whole
    return body


# -- events, charts, hold tokens, channels, workspaces ---------------------------------------------------
def channel_json(channel: Channel, *, channel_id: int | None = None) -> dict[str, Any]:
    """A channel; its ``index`` left out when it has none (seatsio-js reads it as undefined, the Python SDK
    as None)."""
    body: dict[str, Any] = {
        "id": channel_id if channel_id is not None else channel.key,
        "key": channel.key,
        "name": channel.name,
        "color": channel.color,
        "index": channel.position,
        "objects": list(channel.objects),
        "areaPlaces": dict(channel.area_places),
    }
    if channel.position is None:
        del body["index"]
    return body


def for_sale_config_json(config: dict[str, Any] | None) -> dict[str, Any]:
    """seats.io's forSaleConfig; everything for sale when there is none."""
    config = config or {"forSale": True}
    return {
        "forSale": bool(config.get("forSale", False)),
        "objects": list(config.get("objects") or []),
        "areaPlaces": dict(config.get("areaPlaces") or {}),
        "categories": list(config.get("categories") or []),
    }


def event_json(
    event: Event,
    *,
    chart_categories: tuple[Category, ...] | None = None,
    channels: list[Channel] | None = None,
    now: datetime | None = None,
    season: SeasonLinks | None = None,
    season_events: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """An event as seats.io writes it. ``categories`` (the chart's plus the event's own) only when the
    chart's categories are given. A season (or an event in one) shows how it sits (`season`); a season
    retrieved on its own also its events, rendered (`season_events`), and its partial seasons' keys."""
    settings = event.settings
    body: dict[str, Any] = {"id": event.id, "key": event.key}
    _put(body, "name", event.name)
    _put(body, "date", event.date)
    body["chartKey"] = event.chart_key
    body["tableBookingConfig"] = _table_booking_config(settings.get("tableBookingConfig"))
    body["supportsBestAvailable"] = True
    if settings.get("forSaleConfig"):
        body["forSaleConfig"] = for_sale_config_json(settings["forSaleConfig"])
    if settings.get("objectCategories"):
        body["objectCategories"] = settings["objectCategories"]
    if chart_categories is not None:
        own = [dict(c) for c in settings.get("categories") or []]
        body["categories"] = [category_json(c) for c in chart_categories] + own
    elif settings.get("categories"):
        body["categories"] = list(settings["categories"])
    body["channels"] = [channel_json(c) for c in channels or []]
    body["createdOn"] = iso(event.created_at)
    _put(body, "updatedOn", iso(event.updated_at))
    _season_json(body, event, season or SeasonLinks(), season_events)
    said = settings.get("isInThePast")
    body["isInThePast"] = said if isinstance(said, bool) else _in_the_past(event.date, now)
    return body


def _season_json(
    body: dict[str, Any], event: Event, season: SeasonLinks, season_events: list[dict[str, Any]] | None
) -> None:
    in_season = not event.is_season and event.top_level_season_id is not None
    if event.is_season:
        body["isSeason"] = True
    body["isTopLevelSeason"] = event.season_kind == TOP_LEVEL
    body["isPartialSeason"] = event.season_kind == PARTIAL
    body["isEventInSeason"] = in_season
    _put(body, "topLevelSeasonKey", season.top_level_season_key)
    if in_season:
        body["partialSeasonKeysForEvent"] = list(season.partial_season_keys_for_event)
    if event.season_kind == TOP_LEVEL:
        body["forSalePropagated"] = bool(event.settings.get("forSalePropagated", True))
    if season.partial_season_keys is not None:
        body["partialSeasonKeys"] = list(season.partial_season_keys)
    if season_events is not None:
        body["events"] = season_events


def _table_booking_config(config: dict[str, Any] | None) -> dict[str, Any]:
    config = config or {"mode": "INHERIT"}
    body: dict[str, Any] = {"mode": config.get("mode", "INHERIT")}
    if config.get("tables"):
        body["tables"] = config["tables"]
    return body


def _in_the_past(date: str | None, now: datetime | None) -> bool:
    if not date:
        return False
    today = (now or datetime.now(UTC)).date().isoformat()
    return date < today


def chart_json(
    chart: Chart,
    *,
    in_use: bool = False,
    layout: Layout | None = None,
    events: list[Event] | None = None,
    validation: Validation | None = None,
) -> dict[str, Any]:
    """A chart as seats.io lists it; `events` (newest first), `layout` (venueType, zones) and `validation`
    only when expanded."""
    body: dict[str, Any] = {
        "id": chart.id,
        "key": chart.key,
        "status": _chart_status(chart, in_use or bool(events)),
        "name": chart.name,
        "publishedVersionThumbnailUrl": f"/charts/{chart.key}/version/published/thumbnail",
        "tags": list(chart.tags),
        "archived": chart.archived,
    }
    if chart.has_draft:
        body["draftVersionThumbnailUrl"] = f"/charts/{chart.key}/version/draft/thumbnail"
    if layout is not None:
        body["venueType"] = CURRENT_VENUE_TYPES.get(layout.venue_type, layout.venue_type)
        body["zones"] = zones_json(layout)
    if events is not None:
        body["events"] = [event_json(e) for e in events]
    if validation is not None:
        body["validation"] = validation_json(validation)
    return body


def validation_json(validation: Validation) -> dict[str, Any]:
    """seats.io's chart validation result: the failed checks' names, ``{"errors": [...], "warnings": [...]}``."""
    return {"errors": list(validation.errors), "warnings": list(validation.warnings)}


def zones_json(layout: Layout) -> list[dict[str, Any]]:
    return [{"key": z.key, "label": z.label} for z in layout.zones]


def _chart_status(chart: Chart, in_use: bool) -> str:
    if chart.has_draft:
        return "PUBLISHED_WITH_DRAFT"
    return "PUBLISHED" if in_use else "NOT_USED"


def category_json(category: Category) -> dict[str, Any]:
    return {
        "key": category.raw_key if category.raw_key != "" else category.key,
        "label": category.label,
        "color": category.color,
        "accessible": category.accessible,
    }


def hold_token_json(token: HoldToken, workspace: Workspace, now: datetime) -> dict[str, Any]:
    return {
        "holdToken": token.token,
        "expiresAt": iso(token.expires_at),
        "expiresInSeconds": token.seconds_left(now),
        "workspaceKey": workspace.key,
    }


def workspace_json(workspace: Workspace, *, secret_keys: list[str] | None = None) -> dict[str, Any]:
    """`secret_keys`: the keys that can be shown, oldest first; the first is seats.io's ``secretKey``."""
    body: dict[str, Any] = {
        "id": workspace.id,
        "name": workspace.name,
        "key": workspace.key,
        "isTest": workspace.is_test,
        "isActive": workspace.is_active,
        "isDefault": workspace.is_default,
    }
    if secret_keys:
        body["secretKey"] = secret_keys[0]
        body["secretKeys"] = list(secret_keys)
    return body


# -- accounts ------------------------------------------------------------------------------------------
def account_json(account: AccountView, *, secret_key: str, public_key: str) -> dict[str, Any]:
    """seats.io's Account. `secret_key`: the company admin key the caller used (kept as a digest only);
    `public_key`: the key of the workspace the call works in. No designer key or email: absent."""
    settings = account.settings
    body: dict[str, Any] = {"secretKey": secret_key}
    _put(body, "designerKey", account.designer_key)
    body["publicKey"] = public_key
    _put(body, "email", account.email)
    body["role"] = "COMPANY_ADMIN"
    body["company"] = {"id": account.company.id, "name": account.company.name}
    body["settings"] = {
        "draftChartDrawingsEnabled": settings.draft_chart_drawings_enabled,
        "holdOnSelectForGAs": HOLD_ON_SELECT_FOR_GAS,
        "holdPeriodInMinutes": settings.hold_period_minutes,
        "chartValidation": {key: level.value for key, level in settings.chart_validation.items()},
        "defaultRendererSettings": dict(DEFAULT_RENDERER_SETTINGS),
    }
    return body
