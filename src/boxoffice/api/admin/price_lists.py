"""A performance's price list: ticket type x price band (the chart's category) -> price, in the
performance's currency, plus optional per-ticket fees (for every ticket type, or one)."""

from __future__ import annotations

from fastapi import APIRouter

from boxoffice.api.admin.auth import DatabaseDep, WorkspaceDep
from boxoffice.api.admin.models import RESPONSES, Amount, ApiModel, ShortName
from boxoffice.domain.catalogue import Price, PriceList
from boxoffice.services import catalogue

router = APIRouter(tags=["price lists"], responses=RESPONSES)


class PriceIn(ApiModel):
    ticket_type_id: str
    category_key: str | int  # the price band: a category key of the performance's chart
    amount: Amount


class FeeIn(ApiModel):
    name: ShortName
    amount: Amount
    ticket_type_id: str | None = None  # None: every ticket type


class PriceListIn(ApiModel):
    prices: list[PriceIn]
    fees: list[FeeIn] = []


class PriceOut(ApiModel):
    ticket_type_id: str
    category_key: str
    amount: int


class FeeOut(ApiModel):
    id: str
    name: str
    amount: int
    ticket_type_id: str | None


class PriceListOut(ApiModel):
    event_key: str
    currency: str
    prices: list[PriceOut]
    fees: list[FeeOut]


def _out(event_key: str, price_list: PriceList) -> PriceListOut:
    return PriceListOut(
        event_key=event_key,
        currency=price_list.currency,
        prices=[
            PriceOut(ticket_type_id=p.ticket_type_id, category_key=p.category_key, amount=p.amount)
            for p in price_list.prices
        ],
        fees=[FeeOut(id=f.id, name=f.name, amount=f.amount, ticket_type_id=f.ticket_type_id) for f in price_list.fees],
    )


@router.put("/performances/{eventKey}/price-list", response_model=PriceListOut, summary="Replace the price list")
def set_price_list(ws: WorkspaceDep, db: DatabaseDep, eventKey: str, body: PriceListIn) -> PriceListOut:
    prices = [Price(p.ticket_type_id, str(p.category_key), p.amount) for p in body.prices]
    fees = [(f.name, f.amount, f.ticket_type_id) for f in body.fees]
    return _out(eventKey, catalogue.set_price_list(db, ws, eventKey, prices, fees))


@router.get("/performances/{eventKey}/price-list", response_model=PriceListOut)
def get_price_list(ws: WorkspaceDep, db: DatabaseDep, eventKey: str) -> PriceListOut:
    return _out(eventKey, catalogue.get_price_list(db, ws, eventKey))
