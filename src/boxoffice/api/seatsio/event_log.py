"""The event log, as the SDK's ``event_log`` lists it: what changed in the workspace's charts and events
in the last 14 days, oldest first (seats.io's order), 20 a page unless ``limit`` says otherwise.

GET /event-log?start_after_id=…&end_before_id=…&limit=…
    {"items": [{"id": 1, "type": "chart.created", "timestamp": "…Z",
                "data": {"key": "<chart key>", "workspaceKey": "<workspace key>"}}, ...], cursors}
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request

from boxoffice.api.responses import FastJSONResponse
from boxoffice.api.seatsio import paging
from boxoffice.api.seatsio.auth import principal
from boxoffice.api.seatsio.paths import SeatsioRoute
from boxoffice.api.seatsio.schemas import EventLogPage, parameters
from boxoffice.api.seatsio.serialize import iso
from boxoffice.domain.event_log import EventLogItem
from boxoffice.domain.records import Workspace
from boxoffice.services import event_log as service
from boxoffice.services.workspaces import Principal
from boxoffice.storage.uow import Database

router = APIRouter(tags=["event log"], route_class=SeatsioRoute)
MAX_ID = 2**63 - 1  # event_log.id is a BIGINT


def item_json(item: EventLogItem, workspace: Workspace) -> dict[str, Any]:
    return {
        "id": item.id,
        "type": item.type,
        "timestamp": iso(item.created_at),
        "data": {"key": item.subject_key, "workspaceKey": workspace.key},
    }


@router.get("/event-log", response_model=EventLogPage, openapi_extra=parameters(*paging.documented(max_id=MAX_ID)))
def list_event_log(request: Request, caller: Principal = Depends(principal)) -> FastJSONResponse:
    asked = paging.page_request(request, max_id=MAX_ID)
    db: Database = request.app.state.db
    found = service.page(db, caller.workspace, after_id=asked.after, before_id=asked.before, limit=asked.limit + 1)
    items, fields = paging.page_of(found, asked, lambda item: item.id)
    return FastJSONResponse({"items": [item_json(i, caller.workspace) for i in items], **fields})
