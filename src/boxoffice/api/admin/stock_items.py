"""Stock items (merchandise), with stock levels that never go negative."""

from __future__ import annotations

from fastapi import APIRouter

from boxoffice.api.admin.auth import DatabaseDep, WorkspaceDep
from boxoffice.api.admin.models import RESPONSES, Amount, ApiModel, Count, Currency, Name
from boxoffice.domain.catalogue import StockItem
from boxoffice.services import catalogue

router = APIRouter(tags=["stock items"], responses=RESPONSES)


class StockItemIn(ApiModel):
    name: Name
    price: Amount
    currency: Currency
    stock_level: Count
    description: str = ""


class StockLevelIn(ApiModel):
    stock_level: Count


class StockItemOut(ApiModel):
    id: str
    name: str
    price: int
    currency: str
    stock_level: int
    description: str


def _out(s: StockItem) -> StockItemOut:
    return StockItemOut(
        id=s.id, name=s.name, price=s.price, currency=s.currency, stock_level=s.stock_level, description=s.description
    )


@router.post("/stock-items", status_code=201, response_model=StockItemOut)
def create_stock_item(ws: WorkspaceDep, db: DatabaseDep, body: StockItemIn) -> StockItemOut:
    return _out(
        catalogue.create_stock_item(
            db,
            ws,
            body.name,
            price=body.price,
            stock_level=body.stock_level,
            currency=body.currency,
            description=body.description,
        )
    )


@router.get("/stock-items", response_model=list[StockItemOut])
def list_stock_items(ws: WorkspaceDep, db: DatabaseDep) -> list[StockItemOut]:
    return [_out(s) for s in catalogue.list_stock_items(db, ws)]


@router.put("/stock-items/{stockItemId}/stock-level", response_model=StockItemOut, summary="Set the stock level")
def set_stock_level(ws: WorkspaceDep, db: DatabaseDep, stockItemId: str, body: StockLevelIn) -> StockItemOut:
    return _out(catalogue.set_stock_level(db, ws, stockItemId, body.stock_level))
