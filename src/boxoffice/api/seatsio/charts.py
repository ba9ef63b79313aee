"""Charts: create, retrieve, list, update, published and draft versions, publish, categories, tags.

A chart no event uses changes at once; once it has events, updates go to its draft, which
``/version/draft/actions/publish`` makes the published version and ``.../discard`` forgets."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request, Response
from pydantic import BaseModel, ConfigDict, StrictBool, StrictInt, StrictStr
from starlette.concurrency import run_in_threadpool

from boxoffice.api.responses import FastJSONResponse
from boxoffice.api.seatsio import paging
from boxoffice.api.seatsio.auth import database, principal
from boxoffice.api.seatsio.body import Text100, Text500, documented, read_model
from boxoffice.api.seatsio.errors import SeatsioError
from boxoffice.api.seatsio.paths import SeatsioRoute
from boxoffice.api.seatsio.schemas import (
    EXPAND,
    FILTER,
    Categories,
    ChartOut,
    Charts,
    Drawing,
    Tags,
    ValidationOut,
    parameters,
    query,
)
from boxoffice.api.seatsio.serialize import (
    CURRENT_VENUE_TYPES,
    category_json,
    chart_json,
    validation_json,
    zones_json,
)
from boxoffice.domain.records import Chart, Workspace
from boxoffice.services import charts as service
from boxoffice.services import thumbnails
from boxoffice.services.workspaces import Principal
from boxoffice.storage.uow import Database

router = APIRouter(tags=["charts"], route_class=SeatsioRoute)


class CategoryBody(BaseModel):
    model_config = ConfigDict(extra="ignore")
    key: StrictInt | Text100
    label: StrictStr
    color: StrictStr = ""
    accessible: StrictBool = False


class ChartBody(BaseModel):
    model_config = ConfigDict(extra="ignore")
    name: Text500 | None = None
    venueType: StrictStr | None = None
    categories: list[CategoryBody] | None = None


class CategoryUpdate(BaseModel):
    model_config = ConfigDict(extra="ignore")
    label: StrictStr | None = None
    color: StrictStr | None = None
    accessible: StrictBool | None = None


def _expand(request: Request) -> set[str]:
    return {part for value in request.query_params.getlist("expand") for part in value.split(",") if part}


def _render(db: Database, workspace: Workspace, chart: Chart, expand: set[str]) -> dict[str, Any]:
    """One chart, as retrieve shows it: its venue type, and its zones when it has any, even unexpanded
    (seats.io; seatsio-js's retrieve test reads venueType of an unexpanded chart)."""
    events = service.events_of_charts(db, [chart])[chart.id]
    layout = service.chart_layout(db, chart)
    body = chart_json(
        chart,
        in_use=bool(events),
        layout=layout if expand & {"venueType", "zones"} else None,
        events=events if "events" in expand else None,
        validation=service.validations_of_charts(db, workspace, [chart])[chart.id] if "validation" in expand else None,
    )
    if layout.zones:
        body["zones"] = zones_json(layout)
    body.setdefault("venueType", CURRENT_VENUE_TYPES.get(layout.venue_type, layout.venue_type))  # as seats.io
    return body


@router.post("/charts", response_model=ChartOut, openapi_extra=documented(ChartBody))
async def create_chart(request: Request, caller: Principal = Depends(principal)) -> FastJSONResponse:
    body = await read_model(request, ChartBody)
    chart = await run_in_threadpool(
        lambda: service.create_chart(
            database(request),
            caller.workspace,
            name=body.name,
            venue_type=body.venueType,
            categories=[c.model_dump() for c in body.categories] if body.categories is not None else None,
        )
    )
    return FastJSONResponse(chart_json(chart))


@router.get(
    "/charts",
    response_model=Charts,
    openapi_extra=parameters(
        FILTER,
        query("tag", {"type": "string"}, "Only charts with this tag"),
        EXPAND,
        query("eventsLimit", {"type": "integer", "minimum": 1}, "With expand=events: each chart's newest events only"),
        *paging.documented(),
    ),
)
def list_charts(request: Request, caller: Principal = Depends(principal)) -> FastJSONResponse:
    """Newest first, a page at a time (20 unless ``limit`` says otherwise, at most 100)."""
    db = database(request)
    asked = paging.page_request(request)
    wanted = (request.query_params.get("filter") or "").lower()
    tag = request.query_params.get("tag")
    matching = [
        c
        for c in service.list_charts(db, caller.workspace)
        if not c.archived and wanted in c.name.lower() and (tag is None or tag in c.tags)
    ]
    charts, fields = paging.page_in_memory(matching, asked, lambda c: c.id)
    expand = _expand(request)
    events = service.events_of_charts(db, charts)
    events_limit = paging.int_param(request, "eventsLimit", minimum=1)
    if events_limit is not None:  # each chart's newest events only
        events = {chart_id: found[:events_limit] for chart_id, found in events.items()}
    validations = service.validations_of_charts(db, caller.workspace, charts) if "validation" in expand else {}
    items = [
        chart_json(
            c,
            in_use=bool(events[c.id]),
            layout=service.chart_layout(db, c) if expand & {"venueType", "zones"} else None,
            events=events[c.id] if "events" in expand else None,
            validation=validations.get(c.id),
        )
        for c in charts
    ]
    return FastJSONResponse({"items": items, **fields})


@router.get("/charts/tags", response_model=Tags)
def list_tags(request: Request, caller: Principal = Depends(principal)) -> FastJSONResponse:
    tags = sorted({t for c in service.list_charts(database(request), caller.workspace) for t in c.tags})
    return FastJSONResponse({"tags": tags})


@router.get("/charts/{key}", response_model=ChartOut, openapi_extra=parameters(EXPAND))
def retrieve_chart(key: str, request: Request, caller: Principal = Depends(principal)) -> FastJSONResponse:
    db = database(request)
    chart = service.get_chart(db, caller.workspace, key)
    return FastJSONResponse(_render(db, caller.workspace, chart, _expand(request)))


@router.post("/charts/{key}", status_code=204, openapi_extra=documented(ChartBody))
async def update_chart(key: str, request: Request, caller: Principal = Depends(principal)) -> None:
    body = await read_model(request, ChartBody)
    await run_in_threadpool(
        lambda: service.update_chart(
            database(request),
            caller.workspace,
            key,
            name=body.name,
            categories=[c.model_dump() for c in body.categories] if body.categories is not None else None,
        )
    )


@router.get("/charts/{key}/version/published", response_model=Drawing)
def published_version(key: str, request: Request, caller: Principal = Depends(principal)) -> FastJSONResponse:
    return FastJSONResponse(service.published_drawing(database(request), caller.workspace, key))


@router.get("/charts/{key}/version/draft", response_model=Drawing)
def draft_version(key: str, request: Request, caller: Principal = Depends(principal)) -> FastJSONResponse:
    return FastJSONResponse(service.draft_drawing(database(request), caller.workspace, key))


_PNG_SCHEMA = {"type": "string", "format": "binary"}
_PNG: dict[int | str, dict[str, Any]] = {200: {"content": {"image/png": {"schema": _PNG_SCHEMA}}}}


@router.get("/charts/{key}/version/published/thumbnail", response_class=Response, responses=_PNG)
def published_version_thumbnail(key: str, request: Request, caller: Principal = Depends(principal)) -> Response:
    return Response(thumbnails.thumbnail(database(request), caller.workspace, key, "published"), media_type="image/png")


@router.get("/charts/{key}/version/draft/thumbnail", response_class=Response, responses=_PNG)
def draft_version_thumbnail(key: str, request: Request, caller: Principal = Depends(principal)) -> Response:
    return Response(thumbnails.thumbnail(database(request), caller.workspace, key, "draft"), media_type="image/png")


@router.post("/charts/{key}/version/draft/actions/publish", status_code=204)
def publish_draft(key: str, request: Request, caller: Principal = Depends(principal)) -> None:
    service.publish_draft(database(request), caller.workspace, key)


@router.post("/charts/{key}/version/draft/actions/discard", status_code=204)
def discard_draft(key: str, request: Request, caller: Principal = Depends(principal)) -> None:
    service.discard_draft(database(request), caller.workspace, key)


@router.post("/charts/{key}/version/draft/actions/validate", response_model=ValidationOut)
def validate_draft(key: str, request: Request, caller: Principal = Depends(principal)) -> FastJSONResponse:
    """The draft's chart validation by the company's levels (``/accounts/me/settings``); 404 without a draft."""
    return FastJSONResponse(validation_json(service.validate_draft(database(request), caller.workspace, key)))


@router.post("/charts/{key}/version/published/actions/validate", response_model=ValidationOut)
def validate_published(key: str, request: Request, caller: Principal = Depends(principal)) -> FastJSONResponse:
    """The published version's chart validation by the company's levels."""
    return FastJSONResponse(validation_json(service.validate_published(database(request), caller.workspace, key)))


@router.post("/charts/{key}/tags/{tag}", status_code=204)
def add_tag(key: str, tag: str, request: Request, caller: Principal = Depends(principal)) -> None:
    service.set_tags(database(request), caller.workspace, key, add=tag)


@router.delete("/charts/{key}/tags/{tag}", status_code=204)
def remove_tag(key: str, tag: str, request: Request, caller: Principal = Depends(principal)) -> None:
    service.set_tags(database(request), caller.workspace, key, remove=tag)


# -- categories: edits of the category list of the draft if there is one, else of the published drawing ---
def _categories(db: Database, caller: Principal, key: str) -> list[dict[str, Any]]:
    return [category_json(c) for c in service.editable_layout(db, caller.workspace, key).categories]


@router.get("/charts/{key}/categories", response_model=Categories)
def list_categories(key: str, request: Request, caller: Principal = Depends(principal)) -> FastJSONResponse:
    return FastJSONResponse({"categories": _categories(database(request), caller, key)})


@router.post("/charts/{key}/categories", status_code=204, openapi_extra=documented(CategoryBody))
async def add_category(key: str, request: Request, caller: Principal = Depends(principal)) -> None:
    added = (await read_model(request, CategoryBody)).model_dump()
    db = database(request)

    def add() -> None:
        service.update_chart(db, caller.workspace, key, categories=[*_categories(db, caller, key), added])

    await run_in_threadpool(add)


@router.delete("/charts/{key}/categories/{category_key}", status_code=204)
def remove_category(key: str, category_key: str, request: Request, caller: Principal = Depends(principal)) -> None:
    db = database(request)
    current = _categories(db, caller, key)
    kept = [c for c in current if str(c["key"]) != category_key]
    if len(kept) == len(current):
        raise SeatsioError(404, "CATEGORY_NOT_FOUND", f"Category not found: {category_key}")
    service.update_chart(db, caller.workspace, key, categories=kept)


@router.post("/charts/{key}/categories/{category_key}", status_code=204, openapi_extra=documented(CategoryUpdate))
async def update_category(
    key: str, category_key: str, request: Request, caller: Principal = Depends(principal)
) -> None:
    change = await read_model(request, CategoryUpdate)
    db = database(request)

    def update() -> None:
        current = _categories(db, caller, key)
        found = [c for c in current if str(c["key"]) == category_key]
        if not found:
            raise SeatsioError(404, "CATEGORY_NOT_FOUND", f"Category not found: {category_key}")
        found[0].update(change.model_dump(exclude_none=True))
        service.update_chart(db, caller.workspace, key, categories=current)

    await run_in_threadpool(update)
