"""Set-up endpoints for tests and demos, guarded by BOXOFFICE_SYSTEM_SECRET (HTTP Basic user)."""

from __future__ import annotations

import hmac
import uuid
from typing import Any

from fastapi import APIRouter, Request, Response
from starlette.concurrency import run_in_threadpool

from boxoffice.api.responses import FastJSONResponse
from boxoffice.api.seatsio.auth import basic_user
from boxoffice.api.seatsio.body import documented, json_body
from boxoffice.api.seatsio.errors import SeatsioError
from boxoffice.api.seatsio.schemas import SYSTEM_SECRET, Drawing, TestCompany
from boxoffice.config import Settings
from boxoffice.services import charts as chart_service
from boxoffice.services.workspaces import create_company
from boxoffice.storage.uow import Database

router = APIRouter(tags=["system"])


def _require_system_secret(request: Request) -> None:
    settings: Settings = request.app.state.settings
    if not settings.system_secret:
        raise SeatsioError(403, "FORBIDDEN", "System endpoints are disabled: BOXOFFICE_SYSTEM_SECRET is not set")
    given = basic_user(request)
    if not hmac.compare_digest(given.encode(), settings.system_secret.encode()):
        raise SeatsioError(401, "UNAUTHORIZED", "Invalid system secret")


@router.post("/system/private/create-test-company", response_model=TestCompany, openapi_extra=SYSTEM_SECRET)
def create_test_company(request: Request) -> FastJSONResponse:
    """A company with an admin key, a designer key, an email and a default workspace, for test set-ups."""
    _require_system_secret(request)
    db: Database = request.app.state.db
    settings: Settings = request.app.state.settings
    # seats.io's test companies come with a made-up user email; ".invalid" can never be anyone's (RFC 2606)
    email = f"test-{uuid.uuid4()}@boxoffice.invalid"
    created = create_company(db, "Test company", is_test=True, system_secret=settings.system_secret, email=email)
    workspace = created.workspace
    body: dict[str, Any] = {
        "id": created.company.id,
        "admin": {"secretKey": created.admin_key, "designerKey": created.designer_key, "email": email},
        "workspace": {
            "id": workspace.id,
            "name": workspace.name,
            "key": workspace.key,
            "secretKey": created.workspace_secret_key,
            "isTest": workspace.is_test,
            "isActive": workspace.is_active,
            "isDefault": workspace.is_default,
        },
    }
    return FastJSONResponse(body)


@router.post(
    "/system/public/charts/{chart_key}",
    status_code=201,
    response_class=Response,
    openapi_extra=documented(Drawing),
)
async def create_public_chart(chart_key: str, request: Request) -> Response:
    """Create a published chart from a chart JSON body (a test set-up shortcut), under the caller's workspace."""
    from boxoffice.api.seatsio.auth import principal

    caller = await principal(request)
    drawing = await json_body(request, max_bytes=64 * 1024 * 1024)
    if not isinstance(drawing, dict):
        raise SeatsioError(400, "VALIDATION_ERROR", "The body must be a chart JSON object")
    db: Database = request.app.state.db
    await run_in_threadpool(lambda: chart_service.create_chart(db, caller.workspace, drawing, key=chart_key))
    return Response(status_code=201)
