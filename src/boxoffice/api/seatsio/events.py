"""Events: create (one or several), retrieve, update, delete, list (cursor pages), for-sale configuration."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt, StrictStr
from starlette.concurrency import run_in_threadpool

from boxoffice.api.responses import FastJSONResponse
from boxoffice.api.seatsio import paging
from boxoffice.api.seatsio.auth import database, principal
from boxoffice.api.seatsio.body import Int32, Text30, Text100, Text200, Text300, Text500, documented, read_model
from boxoffice.api.seatsio.channels import channel_of
from boxoffice.api.seatsio.errors import SeatsioError
from boxoffice.api.seatsio.paths import SeatsioRoute
from boxoffice.api.seatsio.schemas import (
    CreatedEvents,
    EditedForSaleConfig,
    EventOut,
    EventsPage,
    RateLimitInfo,
    parameters,
)
from boxoffice.api.seatsio.serialize import event_json, for_sale_config_json, iso
from boxoffice.domain.for_sale import ChangesLeft
from boxoffice.domain.records import Event
from boxoffice.services import events as service
from boxoffice.services import for_sale as for_sale_service
from boxoffice.services import seasons as season_service
from boxoffice.services.channels import list_channels
from boxoffice.services.events import EventSpec
from boxoffice.services.seasons import SeasonLinks
from boxoffice.services.workspaces import Principal
from boxoffice.storage.uow import Database

router = APIRouter(tags=["events"], route_class=SeatsioRoute)


class TableBookingConfigBody(BaseModel):
    model_config = ConfigDict(extra="ignore")
    mode: StrictStr = "INHERIT"
    tables: dict[str, StrictStr] | None = None


class CategoryBody(BaseModel):
    model_config = ConfigDict(extra="ignore")
    key: StrictInt | Text100
    label: StrictStr
    color: StrictStr = ""
    accessible: StrictBool = False


class ChannelBody(BaseModel):
    model_config = ConfigDict(extra="ignore")
    key: Text200
    name: Text300
    color: Text30 = ""
    index: Int32 | None = None
    objects: list[StrictStr] = Field(default_factory=list)
    areaPlaces: dict[str, Int32] | None = None


class ForSaleConfigBody(BaseModel):
    model_config = ConfigDict(extra="ignore")
    forSale: StrictBool = True
    objects: list[StrictStr] | None = None
    areaPlaces: dict[str, Int32] | None = None
    categories: list[StrictStr | StrictInt] | None = None


class EventProperties(BaseModel):
    model_config = ConfigDict(extra="ignore")
    eventKey: StrictStr | None = None
    name: Text500 | None = None
    date: StrictStr | None = None
    tableBookingConfig: TableBookingConfigBody | None = None
    objectCategories: dict[str, StrictInt | Text100] | None = None
    categories: list[CategoryBody] | None = None
    channels: list[ChannelBody] | None = None
    forSaleConfig: ForSaleConfigBody | None = None


class CreateEvent(EventProperties):
    chartKey: StrictStr | None = None


class CreateEvents(BaseModel):
    model_config = ConfigDict(extra="ignore")
    chartKey: StrictStr | None = None
    events: list[EventProperties] = Field(default_factory=list)


class UpdateEvent(EventProperties):
    chartKey: StrictStr | None = None
    isInThePast: StrictBool | None = None
    forSalePropagated: StrictBool | None = None  # top-level seasons only


class ForSaleBody(BaseModel):
    model_config = ConfigDict(extra="ignore")
    objects: list[StrictStr] | None = None
    areaPlaces: dict[str, Int32] | None = None
    categories: list[StrictStr | StrictInt] | None = None


class ForSaleObject(BaseModel):
    model_config = ConfigDict(extra="ignore")
    object: StrictStr
    quantity: StrictInt | None = None


class EditForSaleConfig(BaseModel):
    model_config = ConfigDict(extra="ignore")
    forSale: list[ForSaleObject] | None = None
    notForSale: list[ForSaleObject] | None = None


class EditForSaleConfigForEvents(BaseModel):
    model_config = ConfigDict(extra="ignore")
    events: dict[str, EditForSaleConfig] = Field(default_factory=dict)


def _dump(model: BaseModel | None) -> dict[str, Any] | None:
    return model.model_dump(exclude_none=True) if model is not None else None


def event_spec(chart_key: str | None, props: EventProperties) -> EventSpec:
    if not chart_key:
        raise SeatsioError(400, "VALIDATION_ERROR", "chartKey is required")
    channels = [channel_of(c.key, c.name, c.color, c.index, c.objects, c.areaPlaces) for c in props.channels or []]
    config = props.forSaleConfig
    return EventSpec(
        chart_key=chart_key,
        key=props.eventKey,
        name=props.name,
        date=props.date,
        table_booking_config=_dump(props.tableBookingConfig),
        object_categories=dict(props.objectCategories) if props.objectCategories is not None else None,  # type: ignore[arg-type]
        categories=[c.model_dump() for c in props.categories] if props.categories is not None else None,
        channels=channels,
        for_sale_config=_dump(config),
    )


def render(
    db: Database, caller: Principal, events: list[Event], *, with_season_events: bool = False
) -> list[dict[str, Any]]:
    """Events as seats.io writes them; `with_season_events`: a season's events in it (a season retrieved on
    its own)."""
    links = season_service.season_links(db, events, with_members=with_season_events)
    members = [m for e in events if e.id in links for m in links[e.id].events or ()]
    categories = service.chart_categories(db, events + members)

    def one(event: Event, season: SeasonLinks | None) -> dict[str, Any]:
        nested = None
        if season is not None and season.events is not None:
            nested = [one(m, season.event_links.get(m.id)) for m in season.events]
        return event_json(
            event,
            chart_categories=categories[event.chart_id],
            channels=list_channels(db, caller.workspace, event.key),
            season=season,
            season_events=nested,
        )

    return [one(e, links.get(e.id)) for e in events]


@router.post("/events", status_code=201, response_model=EventOut, openapi_extra=documented(CreateEvent))
async def create_event(request: Request, caller: Principal = Depends(principal)) -> FastJSONResponse:
    body = await read_model(request, CreateEvent)
    db = database(request)
    spec = event_spec(body.chartKey, body)

    def run() -> dict[str, Any]:
        return render(db, caller, [service.create_event(db, caller.workspace, spec)])[0]

    return FastJSONResponse(await run_in_threadpool(run), status_code=201)


@router.post(
    "/events/actions/create-multiple",
    status_code=201,
    response_model=CreatedEvents,
    openapi_extra=documented(CreateEvents),
)
async def create_events(request: Request, caller: Principal = Depends(principal)) -> FastJSONResponse:
    body = await read_model(request, CreateEvents)
    db = database(request)
    specs = [event_spec(body.chartKey, props) for props in body.events]
    if not specs:
        raise SeatsioError(400, "VALIDATION_ERROR", "events must list at least one event")

    def run() -> list[dict[str, Any]]:
        return render(db, caller, service.create_events(db, caller.workspace, specs))

    return FastJSONResponse({"events": await run_in_threadpool(run)}, status_code=201)


@router.get(
    "/events",
    response_model=EventsPage,
    openapi_extra=parameters(*paging.documented()),
)
def list_events(request: Request, caller: Principal = Depends(principal)) -> FastJSONResponse:
    """Newest first. ``start_after_id`` pages to older events, ``end_before_id`` to newer ones."""
    asked = paging.page_request(request)
    db = database(request)
    found = service.list_events(
        db, caller.workspace, after_id=asked.after, before_id=asked.before, limit=asked.limit + 1
    )
    items, fields = paging.page_of(found, asked, lambda e: e.id)
    return FastJSONResponse({"items": render(db, caller, items), **fields})


@router.get("/events/{key}", response_model=EventOut)
def retrieve_event(key: str, request: Request, caller: Principal = Depends(principal)) -> FastJSONResponse:
    db = database(request)
    found = service.get_event(db, caller.workspace, key)
    return FastJSONResponse(render(db, caller, [found], with_season_events=True)[0])


@router.post("/events/{key}", status_code=204, openapi_extra=documented(UpdateEvent))
async def update_event(key: str, request: Request, caller: Principal = Depends(principal)) -> None:
    body = await read_model(request, UpdateEvent)
    if body.channels is not None or body.forSaleConfig is not None:
        raise SeatsioError(400, "VALIDATION_ERROR", "channels and forSaleConfig have their own endpoints")
    await run_in_threadpool(
        lambda: service.update_event(
            database(request),
            caller.workspace,
            key,
            new_key=body.eventKey,
            name=body.name,
            date=body.date,
            table_booking_config=_dump(body.tableBookingConfig),
            object_categories=dict(body.objectCategories) if body.objectCategories is not None else None,  # type: ignore[arg-type]
            categories=[c.model_dump() for c in body.categories] if body.categories is not None else None,
            for_sale_propagated=body.forSalePropagated,
            chart_key=body.chartKey,
            in_the_past=body.isInThePast,
        )
    )


@router.delete("/events/{key}", status_code=204)
def delete_event(key: str, request: Request, caller: Principal = Depends(principal)) -> None:
    service.delete_event(database(request), caller.workspace, key)


# -- for sale ------------------------------------------------------------------------------------------
@router.post("/events/{key}/actions/mark-as-not-for-sale", status_code=204, openapi_extra=documented(ForSaleBody))
async def mark_as_not_for_sale(key: str, request: Request, caller: Principal = Depends(principal)) -> None:
    """Replaces the for-sale config: these objects, categories and GA places are off sale, the rest on."""
    await _replace_for_sale(key, request, caller, for_sale=False)


@router.post("/events/{key}/actions/mark-as-for-sale", status_code=204, openapi_extra=documented(ForSaleBody))
async def mark_as_for_sale(key: str, request: Request, caller: Principal = Depends(principal)) -> None:
    """Replaces the for-sale config: these objects, categories and GA places are the only ones on sale."""
    await _replace_for_sale(key, request, caller, for_sale=True)


async def _replace_for_sale(key: str, request: Request, caller: Principal, *, for_sale: bool) -> None:
    body = await read_model(request, ForSaleBody)
    await run_in_threadpool(
        lambda: for_sale_service.replace_for_sale(
            database(request),
            caller.workspace,
            key,
            for_sale=for_sale,
            objects=body.objects or [],
            area_places=body.areaPlaces,
            categories=[str(c) for c in body.categories or []],
            per_day=_per_day(request),
        )
    )


@router.post("/events/{key}/actions/mark-everything-as-for-sale", status_code=204)
def mark_everything_as_for_sale(key: str, request: Request, caller: Principal = Depends(principal)) -> None:
    for_sale_service.mark_everything(database(request), caller.workspace, key, for_sale=True, per_day=_per_day(request))


@router.post("/events/{key}/actions/mark-everything-as-not-for-sale", response_model=RateLimitInfo)
def mark_everything_as_not_for_sale(
    key: str, request: Request, caller: Principal = Depends(principal)
) -> FastJSONResponse:
    """Nothing on sale: the config becomes forSale true with nothing named, as seats.io writes it."""
    left = for_sale_service.mark_everything(
        database(request), caller.workspace, key, for_sale=False, per_day=_per_day(request)
    )
    return FastJSONResponse(_rate_limit_info(left))


def _per_day(request: Request) -> int:
    """How many times a day an event's for-sale config may change (seats.io: 10; the server's setting)."""
    per_day: int = request.app.state.settings.seatsio_for_sale_changes_per_day
    return per_day


def _rate_limit_info(left: ChangesLeft) -> dict[str, Any]:
    return {"rateLimitRemainingCalls": left.remaining, "rateLimitResetDate": iso(left.reset_at)}


def _edit(db: Database, caller: Principal, key: str, body: EditForSaleConfig, per_day: int) -> dict[str, Any]:
    on_sale, off_sale = _edits(body)
    written = for_sale_service.edit_for_sale(
        db, caller.workspace, key, for_sale=on_sale, not_for_sale=off_sale, per_day=per_day
    )
    return _edited(written)


def _edits(body: EditForSaleConfig) -> tuple[list[tuple[str, int | None]], list[tuple[str, int | None]]]:
    return [(o.object, o.quantity) for o in body.forSale or []], [(o.object, o.quantity) for o in body.notForSale or []]


def _edited(written: for_sale_service.Written) -> dict[str, Any]:
    config = written.config
    return {
        "forSaleConfig": for_sale_config_json(config.to_json() if config is not None else None),
        "rateLimitInfo": _rate_limit_info(written.changes_left),
    }


@router.post(
    "/events/{key}/actions/edit-for-sale-config",
    response_model=EditedForSaleConfig,
    openapi_extra=documented(EditForSaleConfig),
)
async def edit_for_sale_config(key: str, request: Request, caller: Principal = Depends(principal)) -> FastJSONResponse:
    body = await read_model(request, EditForSaleConfig)
    per_day = _per_day(request)
    return FastJSONResponse(await run_in_threadpool(lambda: _edit(database(request), caller, key, body, per_day)))


@router.post(
    "/events/actions/edit-for-sale-config",
    response_model=dict[str, EditedForSaleConfig],
    openapi_extra=documented(EditForSaleConfigForEvents),
)
async def edit_for_sale_config_for_events(request: Request, caller: Principal = Depends(principal)) -> FastJSONResponse:
    body = await read_model(request, EditForSaleConfigForEvents)
    db = database(request)
    per_day = _per_day(request)

    def run() -> dict[str, dict[str, Any]]:
        edits = {key: _edits(config) for key, config in body.events.items()}
        written = for_sale_service.edit_for_sale_of_events(db, caller.workspace, edits, per_day=per_day)
        return {key: _edited(each) for key, each in written.items()}

    return FastJSONResponse(await run_in_threadpool(run))
