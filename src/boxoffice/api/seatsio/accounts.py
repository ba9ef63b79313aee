"""The account (seats.io's ``/accounts/me``), with the company admin key: retrieve it; change a chart
validation setting, the hold period, the password; enable or disable draft chart drawings; regenerate the
designer key. A workspace secret key is refused (403): it may belong to a tenant of the company, and these
settings are the whole company's. What the settings do: services/accounts.py.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request, Response
from pydantic import BaseModel, ConfigDict, StrictInt, StrictStr
from starlette.concurrency import run_in_threadpool

from boxoffice.api.responses import FastJSONResponse
from boxoffice.api.seatsio.auth import basic_user, company_admin, database, principal, system_secret
from boxoffice.api.seatsio.body import documented, read_model
from boxoffice.api.seatsio.paths import SeatsioRoute
from boxoffice.api.seatsio.schemas import AccountOut, DesignerKeyOut
from boxoffice.api.seatsio.serialize import account_json
from boxoffice.services import accounts as service
from boxoffice.services.workspaces import Principal

router = APIRouter(tags=["accounts"], route_class=SeatsioRoute)


class SettingBody(BaseModel):
    model_config = ConfigDict(extra="ignore")
    key: StrictStr
    value: StrictStr


class HoldPeriodBody(BaseModel):
    model_config = ConfigDict(extra="ignore")
    holdPeriodInMinutes: StrictInt


class PasswordBody(BaseModel):
    model_config = ConfigDict(extra="ignore")
    password: StrictStr


@router.get("/accounts/me", response_model=AccountOut)
def retrieve_my_account(request: Request, caller: Principal = Depends(principal)) -> FastJSONResponse:
    account = service.get_account(
        database(request), company_admin(caller, "The account is"), system_secret=system_secret(request)
    )
    return FastJSONResponse(account_json(account, secret_key=basic_user(request), public_key=caller.workspace.key))


@router.post("/accounts/me/settings", status_code=204, response_class=Response, openapi_extra=documented(SettingBody))
async def update_setting(request: Request, caller: Principal = Depends(principal)) -> Response:
    company_id = company_admin(caller, "The account is")
    body = await read_model(request, SettingBody)
    await run_in_threadpool(service.update_setting, database(request), company_id, body.key, body.value)
    return Response(status_code=204)


@router.post(
    "/accounts/me/actions/change-hold-period",
    status_code=204,
    response_class=Response,
    openapi_extra=documented(HoldPeriodBody),
)
async def change_hold_period(request: Request, caller: Principal = Depends(principal)) -> Response:
    company_id = company_admin(caller, "The account is")
    body = await read_model(request, HoldPeriodBody)
    await run_in_threadpool(service.change_hold_period, database(request), company_id, body.holdPeriodInMinutes)
    return Response(status_code=204)


@router.post(
    "/accounts/me/actions/change-password",
    status_code=204,
    response_class=Response,
    openapi_extra=documented(PasswordBody),
)
async def change_password(request: Request, caller: Principal = Depends(principal)) -> Response:
    company_id = company_admin(caller, "The account is")
    body = await read_model(request, PasswordBody)
    await run_in_threadpool(service.change_password, database(request), company_id, body.password)
    return Response(status_code=204)


@router.post("/accounts/me/draft-chart-drawings/actions/enable", status_code=204, response_class=Response)
def enable_draft_chart_drawings(request: Request, caller: Principal = Depends(principal)) -> Response:
    service.set_draft_chart_drawings(database(request), company_admin(caller, "The account is"), True)
    return Response(status_code=204)


@router.post("/accounts/me/draft-chart-drawings/actions/disable", status_code=204, response_class=Response)
def disable_draft_chart_drawings(request: Request, caller: Principal = Depends(principal)) -> Response:
    service.set_draft_chart_drawings(database(request), company_admin(caller, "The account is"), False)
    return Response(status_code=204)


@router.post("/accounts/me/designer-key/actions/regenerate", response_model=DesignerKeyOut)
def regenerate_designer_key(request: Request, caller: Principal = Depends(principal)) -> FastJSONResponse:
    made = service.regenerate_designer_key(
        database(request), company_admin(caller, "The account is"), system_secret=system_secret(request)
    )
    return FastJSONResponse({"designerKey": made})
