"""Ticket subscription structures: a price for tickets to a set of productions."""

from __future__ import annotations

from fastapi import APIRouter

from boxoffice.api.admin.auth import DatabaseDep, WorkspaceDep
from boxoffice.api.admin.models import RESPONSES, Amount, ApiModel, Currency, Name
from boxoffice.domain.catalogue import SubscriptionStructure
from boxoffice.services import catalogue

router = APIRouter(tags=["ticket subscription structures"], responses=RESPONSES)


class SubscriptionStructureIn(ApiModel):
    name: Name
    price: Amount
    currency: Currency
    production_ids: list[str] = []
    description: str = ""


class SubscriptionStructureOut(ApiModel):
    id: str
    name: str
    price: int
    currency: str
    production_ids: list[str]
    description: str


def _out(s: SubscriptionStructure) -> SubscriptionStructureOut:
    return SubscriptionStructureOut(
        id=s.id,
        name=s.name,
        price=s.price,
        currency=s.currency,
        production_ids=list(s.production_ids),
        description=s.description,
    )


@router.post("/ticket-subscription-structures", status_code=201, response_model=SubscriptionStructureOut)
def create_subscription_structure(
    ws: WorkspaceDep, db: DatabaseDep, body: SubscriptionStructureIn
) -> SubscriptionStructureOut:
    return _out(
        catalogue.create_subscription_structure(
            db,
            ws,
            body.name,
            price=body.price,
            currency=body.currency,
            production_ids=body.production_ids,
            description=body.description,
        )
    )


@router.get("/ticket-subscription-structures", response_model=list[SubscriptionStructureOut])
def list_subscription_structures(ws: WorkspaceDep, db: DatabaseDep) -> list[SubscriptionStructureOut]:
    return [_out(s) for s in catalogue.list_subscription_structures(db, ws)]
