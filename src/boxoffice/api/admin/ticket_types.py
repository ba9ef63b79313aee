"""Ticket types: adult, concession, child, ... (names unique in a workspace)."""

from __future__ import annotations

from fastapi import APIRouter

from boxoffice.api.admin.auth import DatabaseDep, WorkspaceDep
from boxoffice.api.admin.models import RESPONSES, ApiModel, ShortName
from boxoffice.services import catalogue

router = APIRouter(tags=["ticket types"], responses=RESPONSES)


class TicketTypeIn(ApiModel):
    name: ShortName


class TicketTypeOut(ApiModel):
    id: str
    name: str


@router.post("/ticket-types", status_code=201, response_model=TicketTypeOut)
def create_ticket_type(ws: WorkspaceDep, db: DatabaseDep, body: TicketTypeIn) -> TicketTypeOut:
    created = catalogue.create_ticket_type(db, ws, body.name)
    return TicketTypeOut(id=created.id, name=created.name)


@router.get("/ticket-types", response_model=list[TicketTypeOut])
def list_ticket_types(ws: WorkspaceDep, db: DatabaseDep) -> list[TicketTypeOut]:
    return [TicketTypeOut(id=t.id, name=t.name) for t in catalogue.list_ticket_types(db, ws)]
