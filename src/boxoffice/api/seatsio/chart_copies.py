"""Chart copies and the chart archive, as the SDK's ChartsClient calls them.

POST /charts/{key}/version/published/actions/copy                                   "<name> (copy)", with its tags
POST /charts/{key}/version/draft/actions/copy                                       the draft, copied likewise
POST /charts/{key}/version/published/actions/copy-to-workspace/{toWorkspaceKey}     company admin key only
POST /charts/{key}/version/published/actions/copy/from/{fromWorkspaceKey}/to/{toWorkspaceKey}   likewise
POST /charts/{key}/actions/move-to-archive, .../move-out-of-archive
GET  /charts/archive                                                                archived charts, newest first
POST /events/{key}/actions/move-to-new-chart-copy                                   the event, on a copy of its chart

Included before ``charts`` so that ``/charts/archive`` is not taken for a chart key.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from starlette.concurrency import run_in_threadpool

from boxoffice.api.responses import FastJSONResponse
from boxoffice.api.seatsio import paging
from boxoffice.api.seatsio.auth import database, principal
from boxoffice.api.seatsio.errors import SeatsioError
from boxoffice.api.seatsio.events import render
from boxoffice.api.seatsio.paths import SeatsioRoute
from boxoffice.api.seatsio.schemas import ChartOut, Charts, EventOut, parameters
from boxoffice.api.seatsio.serialize import chart_json
from boxoffice.services import chart_copies as service
from boxoffice.services import charts
from boxoffice.services.workspaces import Principal

router = APIRouter(tags=["charts"], route_class=SeatsioRoute)


def _company(caller: Principal) -> int:
    if not caller.company_admin:  # the copy needs rights on both workspaces (seats.io)
        raise SeatsioError(403, "FORBIDDEN", "Copying a chart to another workspace needs the company admin key")
    return caller.workspace.company_id


@router.get("/charts/archive", response_model=Charts, openapi_extra=parameters(*paging.documented()))
def list_archive(request: Request, caller: Principal = Depends(principal)) -> FastJSONResponse:
    db = database(request)
    archived = [c for c in charts.list_charts(db, caller.workspace) if c.archived]
    page, fields = paging.page_in_memory(archived, paging.page_request(request), lambda c: c.id)
    events = charts.events_of_charts(db, page)
    return FastJSONResponse({"items": [chart_json(c, in_use=bool(events[c.id])) for c in page], **fields})


@router.post("/charts/{key}/version/published/actions/copy", response_model=ChartOut)
async def copy_published(key: str, request: Request, caller: Principal = Depends(principal)) -> FastJSONResponse:
    chart = await run_in_threadpool(service.copy_chart, database(request), caller.workspace, key)
    return FastJSONResponse(chart_json(chart))


@router.post("/charts/{key}/version/draft/actions/copy", response_model=ChartOut)
async def copy_draft(key: str, request: Request, caller: Principal = Depends(principal)) -> FastJSONResponse:
    chart = await run_in_threadpool(lambda: service.copy_chart(database(request), caller.workspace, key, draft=True))
    return FastJSONResponse(chart_json(chart))


@router.post("/charts/{key}/version/published/actions/copy-to-workspace/{to_workspace_key}", response_model=ChartOut)
async def copy_to_workspace(
    key: str, to_workspace_key: str, request: Request, caller: Principal = Depends(principal)
) -> FastJSONResponse:
    return await _copy_between(request, caller, key, caller.workspace.key, to_workspace_key)


@router.post(
    "/charts/{key}/version/published/actions/copy/from/{from_workspace_key}/to/{to_workspace_key}",
    response_model=ChartOut,
)
async def copy_from_workspace_to(
    key: str, from_workspace_key: str, to_workspace_key: str, request: Request, caller: Principal = Depends(principal)
) -> FastJSONResponse:
    return await _copy_between(request, caller, key, from_workspace_key, to_workspace_key)


async def _copy_between(request: Request, caller: Principal, key: str, from_key: str, to_key: str) -> FastJSONResponse:
    company = _company(caller)
    chart = await run_in_threadpool(
        lambda: service.copy_chart_to_workspace(
            database(request), company, key, from_workspace_key=from_key, to_workspace_key=to_key
        )
    )
    return FastJSONResponse(chart_json(chart))


@router.post("/charts/{key}/actions/move-to-archive", status_code=204)
def move_to_archive(key: str, request: Request, caller: Principal = Depends(principal)) -> None:
    service.set_archived(database(request), caller.workspace, key, True)


@router.post("/charts/{key}/actions/move-out-of-archive", status_code=204)
def move_out_of_archive(key: str, request: Request, caller: Principal = Depends(principal)) -> None:
    service.set_archived(database(request), caller.workspace, key, False)


@router.post("/events/{key}/actions/move-to-new-chart-copy", response_model=EventOut, tags=["events"])
def move_event_to_new_chart_copy(
    key: str, request: Request, caller: Principal = Depends(principal)
) -> FastJSONResponse:
    db = database(request)
    event = service.move_event_to_new_chart_copy(db, caller.workspace, key)
    return FastJSONResponse(render(db, caller, [event])[0])
