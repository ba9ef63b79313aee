"""The status-change log of an event, as the SDK's ``events.status_changes`` and
``events.status_changes_for_object`` page through it.

GET /events/{key}/status-changes?filter=A-&sort=objectLabel:desc&start_after_id=…&end_before_id=…&limit=…
GET /events/{key}/objects/{label}/status-changes

Newest first by default; ``sort`` is ``date``, ``objectLabel`` or ``status``, optionally ``:asc``/``:desc``.
A page is ``{"items": [...], "next_page_starts_after": id, "previous_page_ends_before": id}`` (each cursor
only when there is such a page).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request

from boxoffice.api.responses import FastJSONResponse
from boxoffice.api.seatsio import paging
from boxoffice.api.seatsio.auth import principal
from boxoffice.api.seatsio.errors import SeatsioError
from boxoffice.api.seatsio.paths import SeatsioRoute
from boxoffice.api.seatsio.schemas import FILTER, StatusChangesPage, parameters, query
from boxoffice.api.seatsio.serialize import iso
from boxoffice.services import reports as service
from boxoffice.services.reports import StatusChangeEntry
from boxoffice.services.workspaces import Principal
from boxoffice.storage.uow import Database

router = APIRouter(tags=["status changes"], route_class=SeatsioRoute)
MAX_ID = 2**63 - 1  # status_changes.id is a BIGINT
MAX_PAGE = service.MAX_STATUS_CHANGES_PAGE
PAGING = parameters(
    FILTER,
    query("sort", {"type": "string"}, "date, objectLabel or status, optionally :asc or :desc"),
    *paging.documented(max_id=MAX_ID, max_page=MAX_PAGE),
)


def status_change_json(entry: StatusChangeEntry) -> dict[str, Any]:
    change = entry.change
    origin: dict[str, Any] = {"type": change.origin}
    if change.origin_ip is not None:
        origin["ip"] = change.origin_ip
    body: dict[str, Any] = {
        "id": change.id,
        "eventId": change.event_id,
        "status": change.status,
        "quantity": change.quantity,
        "objectLabel": change.label,
        "displayedLabel": change.label,  # charts here draw no label other than the object's own
        "date": iso(change.created_at),
    }
    if change.order_id is not None:
        body["orderId"] = change.order_id
    if change.extra_data is not None:
        body["extraData"] = change.extra_data
    if change.hold_token is not None:
        body["holdToken"] = change.hold_token
    body["origin"] = origin
    body["isPresentOnChart"] = entry.present_on_chart
    if entry.not_present_reason is not None:
        body["notPresentOnChartReason"] = entry.not_present_reason
    return body


def _sort(raw: str | None) -> tuple[str, bool | None]:
    if not raw:
        return "date", None
    field, _, direction = raw.partition(":")
    if direction.lower() not in ("", "asc", "desc"):
        raise SeatsioError(400, "VALIDATION_ERROR", f"Sort direction must be asc or desc, not {direction!r}")
    return field, (direction.lower() == "asc") if direction else None


def _page(request: Request, caller: Principal, key: str, label: str | None) -> FastJSONResponse:
    asked = paging.page_request(request, max_id=MAX_ID, max_page=MAX_PAGE)
    sort, ascending = _sort(request.query_params.get("sort"))
    db: Database = request.app.state.db
    found = service.status_changes(
        db,
        caller.workspace,
        key,
        label=label,
        filter_text=request.query_params.get("filter") or None,
        sort=sort,
        ascending=ascending,
        after_id=asked.after,
        before_id=asked.before,
        limit=asked.limit + 1,  # one more tells whether there is a further page
    )
    items, page = paging.page_of(found, asked, lambda e: e.change.id)
    return FastJSONResponse({"items": [status_change_json(e) for e in items], **page})


@router.get("/events/{key}/status-changes", response_model=StatusChangesPage, openapi_extra=PAGING)
def list_status_changes(key: str, request: Request, caller: Principal = Depends(principal)) -> FastJSONResponse:
    """Query: filter (label contains), sort, start_after_id, end_before_id, limit (1-100, default 20)."""
    return _page(request, caller, key, None)


@router.get("/events/{key}/objects/{label}/status-changes", response_model=StatusChangesPage, openapi_extra=PAGING)
def list_object_status_changes(
    key: str, label: str, request: Request, caller: Principal = Depends(principal)
) -> FastJSONResponse:
    """One object's status changes, newest first (same paging as the event's list)."""
    return _page(request, caller, key, label)
