"""Funds, for donations."""

from __future__ import annotations

from fastapi import APIRouter

from boxoffice.api.admin.auth import DatabaseDep, WorkspaceDep
from boxoffice.api.admin.models import RESPONSES, Amount, ApiModel, Currency, Name
from boxoffice.domain.catalogue import Fund
from boxoffice.services import catalogue

router = APIRouter(tags=["funds"], responses=RESPONSES)


class FundIn(ApiModel):
    name: Name
    currency: Currency
    description: str = ""
    minimum_amount: Amount = 0


class FundOut(ApiModel):
    id: str
    name: str
    currency: str
    description: str
    minimum_amount: int


def _out(f: Fund) -> FundOut:
    return FundOut(
        id=f.id, name=f.name, currency=f.currency, description=f.description, minimum_amount=f.minimum_amount
    )


@router.post("/funds", status_code=201, response_model=FundOut)
def create_fund(ws: WorkspaceDep, db: DatabaseDep, body: FundIn) -> FundOut:
    return _out(
        catalogue.create_fund(
            db, ws, body.name, currency=body.currency, description=body.description, minimum_amount=body.minimum_amount
        )
    )


@router.get("/funds", response_model=list[FundOut])
def list_funds(ws: WorkspaceDep, db: DatabaseDep) -> list[FundOut]:
    return [_out(f) for f in catalogue.list_funds(db, ws)]
