"""Seasons as the SDK's `client.seasons` calls them (a season is retrieved and updated as an event:
events.py; it is booked, held and released as an event: objects.py).

POST   /seasons                                                   create, with new events (eventKeys / numberOfEvents)
POST   /seasons/{key}/actions/create-events                       more events in a top-level season
POST   /seasons/{top}/partial-seasons                             a partial season of some of its events
POST   /seasons/{top}/partial-seasons/{partial}/actions/add-events
DELETE /seasons/{top}/partial-seasons/{partial}/events/{event}
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt, StrictStr
from starlette.concurrency import run_in_threadpool

from boxoffice.api.responses import FastJSONResponse
from boxoffice.api.seatsio.auth import database, principal
from boxoffice.api.seatsio.body import Text500, documented, read_model
from boxoffice.api.seatsio.errors import SeatsioError
from boxoffice.api.seatsio.events import EventProperties, event_spec, render
from boxoffice.api.seatsio.paths import SeatsioRoute
from boxoffice.api.seatsio.schemas import CreatedEvents, EventOut
from boxoffice.domain.records import Event
from boxoffice.services import seasons as service
from boxoffice.services.events import get_event
from boxoffice.services.seasons import SeasonSpec
from boxoffice.services.workspaces import Principal
from boxoffice.storage.uow import Database

router = APIRouter(tags=["seasons"], route_class=SeatsioRoute)


class CreateSeason(EventProperties):
    chartKey: StrictStr | None = None
    key: StrictStr | None = None
    numberOfEvents: StrictInt | None = None
    eventKeys: list[StrictStr] | None = None
    forSalePropagated: StrictBool | None = None


class CreateEventsInSeason(BaseModel):
    model_config = ConfigDict(extra="ignore")
    eventKeys: list[StrictStr] | None = None
    numberOfEvents: StrictInt | None = None


class CreatePartialSeason(BaseModel):
    model_config = ConfigDict(extra="ignore")
    key: StrictStr | None = None
    name: Text500 | None = None
    eventKeys: list[StrictStr] | None = None


class EventKeys(BaseModel):
    model_config = ConfigDict(extra="ignore")
    eventKeys: list[StrictStr] = Field(default_factory=list)


def _season_json(db: Database, caller: Principal, season: Event) -> dict[str, Any]:
    """The season as retrieved (its events and partial seasons in it), read after the change committed."""
    return render(db, caller, [get_event(db, caller.workspace, season.key)], with_season_events=True)[0]


@router.post("/seasons", status_code=201, response_model=EventOut, openapi_extra=documented(CreateSeason))
async def create_season(request: Request, caller: Principal = Depends(principal)) -> FastJSONResponse:
    body = await read_model(request, CreateSeason)
    if body.eventKey is not None:
        raise SeatsioError(400, "VALIDATION_ERROR", "A season's key is `key`")
    event = event_spec(body.chartKey, body.model_copy(update={"eventKey": body.key}))
    spec = SeasonSpec(
        event=event,
        number_of_events=body.numberOfEvents,
        event_keys=tuple(body.eventKeys or ()),
        for_sale_propagated=body.forSalePropagated if body.forSalePropagated is not None else True,
    )
    db = database(request)

    def run() -> dict[str, Any]:
        return _season_json(db, caller, service.create_season(db, caller.workspace, spec))

    return FastJSONResponse(await run_in_threadpool(run), status_code=201)


@router.post(
    "/seasons/{key}/actions/create-events",
    response_model=CreatedEvents,
    openapi_extra=documented(CreateEventsInSeason),
)
async def create_events(key: str, request: Request, caller: Principal = Depends(principal)) -> FastJSONResponse:
    """New events in the season, newest first; what the season has taken is taken in them too."""
    body = await read_model(request, CreateEventsInSeason)
    db = database(request)

    def run() -> list[dict[str, Any]]:
        created = service.create_events_in_season(
            db, caller.workspace, key, event_keys=body.eventKeys or (), number_of_events=body.numberOfEvents
        )
        return render(db, caller, created)

    return FastJSONResponse({"events": await run_in_threadpool(run)})


@router.post(
    "/seasons/{key}/partial-seasons",
    status_code=201,
    response_model=EventOut,
    openapi_extra=documented(CreatePartialSeason),
)
async def create_partial_season(key: str, request: Request, caller: Principal = Depends(principal)) -> FastJSONResponse:
    body = await read_model(request, CreatePartialSeason)
    db = database(request)

    def run() -> dict[str, Any]:
        partial = service.create_partial_season(
            db, caller.workspace, key, key=body.key, name=body.name, event_keys=body.eventKeys or ()
        )
        return _season_json(db, caller, partial)

    return FastJSONResponse(await run_in_threadpool(run), status_code=201)


@router.post(
    "/seasons/{key}/partial-seasons/{partial}/actions/add-events",
    response_model=EventOut,
    openapi_extra=documented(EventKeys),
)
async def add_events(
    key: str, partial: str, request: Request, caller: Principal = Depends(principal)
) -> FastJSONResponse:
    body = await read_model(request, EventKeys)
    db = database(request)

    def run() -> dict[str, Any]:
        found = service.add_events_to_partial_season(db, caller.workspace, key, partial, body.eventKeys)
        return _season_json(db, caller, found)

    return FastJSONResponse(await run_in_threadpool(run))


@router.delete("/seasons/{key}/partial-seasons/{partial}/events/{event}", response_model=EventOut)
def remove_event(
    key: str, partial: str, event: str, request: Request, caller: Principal = Depends(principal)
) -> FastJSONResponse:
    db = database(request)
    found = service.remove_event_from_partial_season(db, caller.workspace, key, partial, event)
    return FastJSONResponse(_season_json(db, caller, found))
