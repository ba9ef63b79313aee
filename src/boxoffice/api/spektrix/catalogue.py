"""What else a web basket can hold: funds (donations), stock items (merchandise), memberships and ticket
subscription structures."""

from __future__ import annotations

from fastapi import APIRouter, Depends

from boxoffice.api.responses import FastJSONResponse
from boxoffice.api.spektrix.auth import database, workspace
from boxoffice.api.spektrix.schemas import (
    ERRORS,
    FundOut,
    MembershipOut,
    StockItemOut,
    TicketSubscriptionStructureOut,
)
from boxoffice.api.spektrix.serialize import money
from boxoffice.domain.records import Workspace
from boxoffice.services import catalogue
from boxoffice.storage.uow import Database

router = APIRouter(tags=["catalogue"])


@router.get("/funds", response_model=list[FundOut], responses=ERRORS)
def funds(ws: Workspace = Depends(workspace), db: Database = Depends(database)) -> FastJSONResponse:
    return FastJSONResponse(
        [
            {
                "id": f.id,
                "name": f.name,
                "description": f.description,
                "minimumDonationAmount": money(f.minimum_amount, f.currency),
                "currency": f.currency,
            }
            for f in catalogue.list_funds(db, ws)
        ]
    )


@router.get("/stock-items", response_model=list[StockItemOut], responses=ERRORS)
def stock_items(ws: Workspace = Depends(workspace), db: Database = Depends(database)) -> FastJSONResponse:
    return FastJSONResponse(
        [
            {
                "id": s.id,
                "name": s.name,
                "description": s.description,
                "price": money(s.price, s.currency),
                "stockLevel": s.stock_level,
                "currency": s.currency,
            }
            for s in catalogue.list_stock_items(db, ws)
        ]
    )


@router.get("/memberships", response_model=list[MembershipOut], responses=ERRORS)
def memberships(ws: Workspace = Depends(workspace), db: Database = Depends(database)) -> FastJSONResponse:
    return FastJSONResponse(
        [
            {
                "id": m.id,
                "name": m.name,
                "description": m.description,
                "price": money(m.price, m.currency),
                "durationMonths": m.duration_months,
                "autoRenew": m.auto_renew_allowed,
                "currency": m.currency,
            }
            for m in catalogue.list_memberships(db, ws)
        ]
    )


@router.get("/ticket-subscription-structures", response_model=list[TicketSubscriptionStructureOut], responses=ERRORS)
def ticket_subscription_structures(
    ws: Workspace = Depends(workspace), db: Database = Depends(database)
) -> FastJSONResponse:
    return FastJSONResponse(
        [
            {
                "id": s.id,
                "name": s.name,
                "description": s.description,
                "price": money(s.price, s.currency),
                "events": [{"id": p} for p in s.production_ids],
                "currency": s.currency,
            }
            for s in catalogue.list_subscription_structures(db, ws)
        ]
    )
