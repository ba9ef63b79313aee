"""Workspaces of a company (the company admin key): create, retrieve, update, list (all/active/inactive,
newest first), activate, deactivate, delete (inactive ones only), make default, and add, remove or
regenerate secret keys. Secret keys are shown as services/keys.py allows: always when made, again on
retrieve and list when the server has a system secret to derive them from."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import APIRouter, Depends, Request, Response
from pydantic import BaseModel, ConfigDict, StrictBool, StrictStr
from starlette.concurrency import run_in_threadpool

from boxoffice.api.responses import FastJSONResponse
from boxoffice.api.seatsio import paging
from boxoffice.api.seatsio.auth import company_admin, database, forget_principals, principal, system_secret
from boxoffice.api.seatsio.body import Text200, documented, read_model
from boxoffice.api.seatsio.errors import SeatsioError
from boxoffice.api.seatsio.paths import SeatsioRoute
from boxoffice.api.seatsio.schemas import FILTER, SecretKeyOut, WorkspaceOut, Workspaces, parameters
from boxoffice.api.seatsio.serialize import workspace_json
from boxoffice.services import workspace_admin as admin
from boxoffice.services import workspaces as service
from boxoffice.services.workspaces import Principal, WorkspaceView
from boxoffice.storage.uow import Database

router = APIRouter(tags=["workspaces"], route_class=SeatsioRoute)


class WorkspaceBody(BaseModel):
    model_config = ConfigDict(extra="ignore")
    name: Text200 | None = None
    isTest: StrictBool | None = None


class RemoveSecretKeyBody(BaseModel):
    model_config = ConfigDict(extra="ignore")
    secretKey: StrictStr


def _view_json(view: WorkspaceView) -> dict[str, object]:
    return workspace_json(view.workspace, secret_keys=view.secret_keys)


def _page(request: Request, caller: Principal, active: bool | None) -> FastJSONResponse:
    """Newest first, a page at a time (20 unless ``limit`` says otherwise, at most 100)."""
    asked = paging.page_request(request)
    found = service.list_workspaces(
        database(request), company_admin(caller, "Workspaces are"), active=active, system_secret=system_secret(request)
    )
    wanted = (request.query_params.get("filter") or "").lower()
    matching = [v for v in found if wanted in v.workspace.name.lower()] if wanted else found
    shown, fields = paging.page_in_memory(matching, asked, lambda v: v.workspace.id, newest_first=True)
    return FastJSONResponse({"items": [_view_json(v) for v in shown], **fields})


@router.post("/workspaces", response_model=WorkspaceOut, openapi_extra=documented(WorkspaceBody))
async def create_workspace(request: Request, caller: Principal = Depends(principal)) -> FastJSONResponse:
    company_id = company_admin(caller, "Workspaces are")
    body = await read_model(request, WorkspaceBody)
    if not body.name:
        raise SeatsioError(400, "VALIDATION_ERROR", "name is required")
    name, is_test, secret = body.name, bool(body.isTest), system_secret(request)
    created = await run_in_threadpool(
        lambda: service.create_workspace(database(request), company_id, name, is_test=is_test, system_secret=secret)
    )
    return FastJSONResponse(workspace_json(created.workspace, secret_keys=[created.secret_key]))


@router.get("/workspaces", response_model=Workspaces, openapi_extra=parameters(FILTER, *paging.documented()))
def list_workspaces(request: Request, caller: Principal = Depends(principal)) -> FastJSONResponse:
    return _page(request, caller, None)


@router.get("/workspaces/active", response_model=Workspaces, openapi_extra=parameters(FILTER, *paging.documented()))
def list_active_workspaces(request: Request, caller: Principal = Depends(principal)) -> FastJSONResponse:
    return _page(request, caller, True)


@router.get("/workspaces/inactive", response_model=Workspaces, openapi_extra=parameters(FILTER, *paging.documented()))
def list_inactive_workspaces(request: Request, caller: Principal = Depends(principal)) -> FastJSONResponse:
    return _page(request, caller, False)


@router.get("/workspaces/{key}", response_model=WorkspaceOut)
def retrieve_workspace(key: str, request: Request, caller: Principal = Depends(principal)) -> FastJSONResponse:
    if not caller.company_admin and key == caller.workspace.key:
        return FastJSONResponse(workspace_json(caller.workspace))  # its own workspace; keys for the admin only
    view = service.get_workspace(
        database(request), company_admin(caller, "Workspaces are"), key, system_secret=system_secret(request)
    )
    return FastJSONResponse(_view_json(view))


@router.post("/workspaces/{key}", status_code=204, openapi_extra=documented(WorkspaceBody))
async def update_workspace(key: str, request: Request, caller: Principal = Depends(principal)) -> None:
    company_id = company_admin(caller, "Workspaces are")
    body = await read_model(request, WorkspaceBody)
    if not body.name:
        raise SeatsioError(400, "VALIDATION_ERROR", "name is required")
    name = body.name
    await run_in_threadpool(service.rename_workspace, database(request), company_id, key, name)
    forget_principals()


@router.delete("/workspaces/{key}", status_code=204, response_class=Response)
def delete_workspace(key: str, request: Request, caller: Principal = Depends(principal)) -> Response:
    return _act(admin.delete, key, request, caller)


@router.post("/workspaces/{key}/actions/activate", status_code=204, response_class=Response)
def activate_workspace(key: str, request: Request, caller: Principal = Depends(principal)) -> Response:
    return _act(admin.activate, key, request, caller)


@router.post("/workspaces/{key}/actions/deactivate", status_code=204, response_class=Response)
def deactivate_workspace(key: str, request: Request, caller: Principal = Depends(principal)) -> Response:
    return _act(admin.deactivate, key, request, caller)


@router.post("/workspaces/actions/set-default/{key}", status_code=204, response_class=Response)
def set_default_workspace(key: str, request: Request, caller: Principal = Depends(principal)) -> Response:
    return _act(admin.set_default, key, request, caller)


def _act(change: Callable[[Database, int, str], None], key: str, request: Request, caller: Principal) -> Response:
    change(database(request), company_admin(caller, "Workspaces are"), key)
    forget_principals()  # who a key belongs to, and whether its workspace works, may have changed
    return Response(status_code=204)


@router.post("/workspaces/{key}/actions/add-secret-key", response_model=SecretKeyOut)
def add_secret_key(key: str, request: Request, caller: Principal = Depends(principal)) -> FastJSONResponse:
    made = admin.add_secret_key(
        database(request), company_admin(caller, "Workspaces are"), key, system_secret=system_secret(request)
    )
    return FastJSONResponse({"secretKey": made})


@router.post("/workspaces/{key}/actions/regenerate-secret-key", response_model=SecretKeyOut)
def regenerate_secret_key(key: str, request: Request, caller: Principal = Depends(principal)) -> FastJSONResponse:
    made = admin.regenerate_secret_key(
        database(request), company_admin(caller, "Workspaces are"), key, system_secret=system_secret(request)
    )
    forget_principals()
    return FastJSONResponse({"secretKey": made})


@router.post(
    "/workspaces/{key}/actions/remove-secret-key",
    status_code=204,
    response_class=Response,
    openapi_extra=documented(RemoveSecretKeyBody),
)
async def remove_secret_key(key: str, request: Request, caller: Principal = Depends(principal)) -> Response:
    company_id = company_admin(caller, "Workspaces are")
    body = await read_model(request, RemoveSecretKeyBody)
    await run_in_threadpool(admin.remove_secret_key, database(request), company_id, key, body.secretKey)
    forget_principals()
    return Response(status_code=204)
