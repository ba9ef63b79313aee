"""Hold tokens: POST /hold-tokens, GET /hold-tokens/{token}, POST /hold-tokens/{token} (expiresInMinutes)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, ConfigDict, StrictInt
from starlette.concurrency import run_in_threadpool

from boxoffice.api.responses import FastJSONResponse
from boxoffice.api.seatsio.auth import database, principal
from boxoffice.api.seatsio.body import documented, read_model
from boxoffice.api.seatsio.errors import SeatsioError
from boxoffice.api.seatsio.paths import SeatsioRoute
from boxoffice.api.seatsio.schemas import HoldTokenOut
from boxoffice.api.seatsio.serialize import hold_token_json
from boxoffice.services import hold_tokens as service
from boxoffice.services.clock import utcnow
from boxoffice.services.group_commit import committer_for
from boxoffice.services.workspaces import Principal

router = APIRouter(tags=["hold tokens"], route_class=SeatsioRoute)


class ExpiresIn(BaseModel):
    model_config = ConfigDict(extra="ignore")
    expiresInMinutes: StrictInt | None = None


@router.post("/hold-tokens", response_model=HoldTokenOut, openapi_extra=documented(ExpiresIn))
async def create_hold_token(request: Request, caller: Principal = Depends(principal)) -> FastJSONResponse:
    body = await read_model(request, ExpiresIn)
    db, minutes = database(request), body.expiresInMinutes
    if request.app.state.settings.group_commit:  # a new token shares the commit of whatever else is queued
        token = await committer_for(db).create_hold_token(caller.workspace, minutes)
    else:
        token = await run_in_threadpool(service.create_hold_token, db, caller.workspace, minutes)
    return FastJSONResponse(hold_token_json(token, caller.workspace, utcnow()))


@router.get("/hold-tokens/{token}", response_model=HoldTokenOut)
def retrieve_hold_token(token: str, request: Request, caller: Principal = Depends(principal)) -> FastJSONResponse:
    found = service.get_hold_token(database(request), caller.workspace, token)
    return FastJSONResponse(hold_token_json(found, caller.workspace, utcnow()))


@router.post("/hold-tokens/{token}", response_model=HoldTokenOut, openapi_extra=documented(ExpiresIn))
async def update_hold_token(token: str, request: Request, caller: Principal = Depends(principal)) -> FastJSONResponse:
    body = await read_model(request, ExpiresIn)
    if body.expiresInMinutes is None:
        raise SeatsioError(400, "VALIDATION_ERROR", "expiresInMinutes is required")
    minutes = body.expiresInMinutes
    updated = await run_in_threadpool(service.expire_in_minutes, database(request), caller.workspace, token, minutes)
    return FastJSONResponse(hold_token_json(updated, caller.workspace, utcnow()))
