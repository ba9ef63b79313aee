"""Ticket buyer ids, as the SDK's ``ticket_buyers`` adds, removes and lists them.

POST   /ticket-buyers  {"ids": [uuid, ...]}  -> {"added": [...], "alreadyPresent": [...]}
DELETE /ticket-buyers  {"ids": [uuid, ...]}  -> {"removed": [...], "notPresent": [...]}
GET    /ticket-buyers?start_after_id=…&end_before_id=…&limit=…  -> {"items": [uuid, ...], cursors}

The set belongs to the caller's workspace (the company admin key: the default workspace). Lists are
newest first, up to 1000 ids a page (20 unless ``limit`` says otherwise); the cursors are row ids.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, ConfigDict, StrictStr
from starlette.concurrency import run_in_threadpool

from boxoffice.api.responses import FastJSONResponse
from boxoffice.api.seatsio import paging
from boxoffice.api.seatsio.auth import database, principal
from boxoffice.api.seatsio.body import documented, read_model
from boxoffice.api.seatsio.paths import SeatsioRoute
from boxoffice.api.seatsio.schemas import AddedTicketBuyers, RemovedTicketBuyers, TicketBuyersPage, parameters
from boxoffice.services import ticket_buyers as service
from boxoffice.services.workspaces import Principal

router = APIRouter(tags=["ticket buyers"], route_class=SeatsioRoute)
MAX_PAGE = 1000  # seats.io's most per request


class TicketBuyerIds(BaseModel):
    model_config = ConfigDict(extra="ignore")
    ids: list[StrictStr | None] = []  # nulls are skipped, as the SDKs skip them


async def _ids(request: Request) -> list[str]:
    body = await read_model(request, TicketBuyerIds)
    return [i for i in body.ids if i is not None]


@router.post("/ticket-buyers", response_model=AddedTicketBuyers, openapi_extra=documented(TicketBuyerIds))
async def add_ticket_buyers(request: Request, caller: Principal = Depends(principal)) -> FastJSONResponse:
    ids = await _ids(request)
    done = await run_in_threadpool(service.add, database(request), caller.workspace, ids)
    return FastJSONResponse({"added": done.added, "alreadyPresent": done.already_present})


@router.delete("/ticket-buyers", response_model=RemovedTicketBuyers, openapi_extra=documented(TicketBuyerIds))
async def remove_ticket_buyers(request: Request, caller: Principal = Depends(principal)) -> FastJSONResponse:
    ids = await _ids(request)
    done = await run_in_threadpool(service.remove, database(request), caller.workspace, ids)
    return FastJSONResponse({"removed": done.removed, "notPresent": done.not_present})


@router.get(
    "/ticket-buyers",
    response_model=TicketBuyersPage,
    openapi_extra=parameters(*paging.documented(max_page=MAX_PAGE)),
)
def list_ticket_buyers(request: Request, caller: Principal = Depends(principal)) -> FastJSONResponse:
    asked = paging.page_request(request, max_page=MAX_PAGE)
    found = service.page(
        database(request), caller.workspace, after_id=asked.after, before_id=asked.before, limit=asked.limit + 1
    )
    items, fields = paging.page_of(found, asked, lambda row: row[0])
    return FastJSONResponse({"items": [buyer for _, buyer in items], **fields})
