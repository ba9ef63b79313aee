"""Workspaces of a company (the company admin key): create, retrieve, update, list (all/active/inactive)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, ConfigDict, StrictBool
from starlette.concurrency import run_in_threadpool

from boxoffice.api.responses import FastJSONResponse
from boxoffice.api.seatsio import paging
from boxoffice.api.seatsio.auth import principal
from boxoffice.api.seatsio.body import Text200, documented, read_model
from boxoffice.api.seatsio.errors import SeatsioError
from boxoffice.api.seatsio.paths import SeatsioRoute
from boxoffice.api.seatsio.schemas import FILTER, WorkspaceOut, Workspaces, parameters
from boxoffice.api.seatsio.serialize import workspace_json
from boxoffice.domain.records import Workspace
from boxoffice.services import workspaces as service
from boxoffice.services.workspaces import Principal
from boxoffice.storage.uow import Database

router = APIRouter(tags=["workspaces"], route_class=SeatsioRoute)


class WorkspaceBody(BaseModel):
    model_config = ConfigDict(extra="ignore")
    name: Text200 | None = None
    isTest: StrictBool | None = None


def _db(request: Request) -> Database:
    db: Database = request.app.state.db
    return db


def _admin(caller: Principal) -> int:
    if not caller.company_admin:
        raise SeatsioError(403, "FORBIDDEN", "Workspaces are managed with the company admin key")
    return caller.workspace.company_id


def _page(items: list[Workspace], request: Request) -> FastJSONResponse:
    """Oldest first, a page at a time (20 unless ``limit`` says otherwise, at most 100)."""
    asked = paging.page_request(request)
    wanted = (request.query_params.get("filter") or "").lower()
    matching = [w for w in items if wanted in w.name.lower()] if wanted else items
    shown, fields = paging.page_in_memory(matching, asked, lambda w: w.id, newest_first=False)
    return FastJSONResponse({"items": [workspace_json(w) for w in shown], **fields})


@router.post("/workspaces", response_model=WorkspaceOut, openapi_extra=documented(WorkspaceBody))
async def create_workspace(request: Request, caller: Principal = Depends(principal)) -> FastJSONResponse:
    company_id = _admin(caller)
    body = await read_model(request, WorkspaceBody)
    if not body.name:
        raise SeatsioError(400, "VALIDATION_ERROR", "name is required")
    name, is_test = body.name, bool(body.isTest)
    created = await run_in_threadpool(lambda: service.create_workspace(_db(request), company_id, name, is_test=is_test))
    return FastJSONResponse(workspace_json(created.workspace, secret_key=created.secret_key))


@router.get("/workspaces", response_model=Workspaces, openapi_extra=parameters(FILTER, *paging.documented()))
def list_workspaces(request: Request, caller: Principal = Depends(principal)) -> FastJSONResponse:
    return _page(service.list_workspaces(_db(request), _admin(caller)), request)


@router.get("/workspaces/active", response_model=Workspaces, openapi_extra=parameters(FILTER, *paging.documented()))
def list_active_workspaces(request: Request, caller: Principal = Depends(principal)) -> FastJSONResponse:
    return _page([w for w in service.list_workspaces(_db(request), _admin(caller)) if w.is_active], request)


@router.get("/workspaces/inactive", response_model=Workspaces, openapi_extra=parameters(FILTER, *paging.documented()))
def list_inactive_workspaces(request: Request, caller: Principal = Depends(principal)) -> FastJSONResponse:
    return _page([w for w in service.list_workspaces(_db(request), _admin(caller)) if not w.is_active], request)


@router.get("/workspaces/{key}", response_model=WorkspaceOut)
def retrieve_workspace(key: str, request: Request, caller: Principal = Depends(principal)) -> FastJSONResponse:
    if not caller.company_admin and key == caller.workspace.key:
        return FastJSONResponse(workspace_json(caller.workspace))
    return FastJSONResponse(workspace_json(service.get_workspace(_db(request), _admin(caller), key)))


@router.post("/workspaces/{key}", status_code=204, openapi_extra=documented(WorkspaceBody))
async def update_workspace(key: str, request: Request, caller: Principal = Depends(principal)) -> None:
    company_id = _admin(caller)
    body = await read_model(request, WorkspaceBody)
    if not body.name:
        raise SeatsioError(400, "VALIDATION_ERROR", "name is required")
    name = body.name
    await run_in_threadpool(service.rename_workspace, _db(request), company_id, key, name)
