"""Memberships: a price for a number of months, optionally auto-renewed."""

from __future__ import annotations

from fastapi import APIRouter

from boxoffice.api.admin.auth import DatabaseDep, WorkspaceDep
from boxoffice.api.admin.models import RESPONSES, Amount, ApiModel, Count, Currency, Name
from boxoffice.domain.catalogue import Membership
from boxoffice.services import catalogue

router = APIRouter(tags=["memberships"], responses=RESPONSES)


class MembershipIn(ApiModel):
    name: Name
    price: Amount
    currency: Currency
    duration_months: Count = 12
    auto_renew_allowed: bool = True
    description: str = ""


class MembershipOut(ApiModel):
    id: str
    name: str
    price: int
    currency: str
    duration_months: int
    auto_renew_allowed: bool
    description: str


def _out(m: Membership) -> MembershipOut:
    return MembershipOut(
        id=m.id,
        name=m.name,
        price=m.price,
        currency=m.currency,
        duration_months=m.duration_months,
        auto_renew_allowed=m.auto_renew_allowed,
        description=m.description,
    )


@router.post("/memberships", status_code=201, response_model=MembershipOut)
def create_membership(ws: WorkspaceDep, db: DatabaseDep, body: MembershipIn) -> MembershipOut:
    return _out(
        catalogue.create_membership(
            db,
            ws,
            body.name,
            price=body.price,
            currency=body.currency,
            duration_months=body.duration_months,
            auto_renew_allowed=body.auto_renew_allowed,
            description=body.description,
        )
    )


@router.get("/memberships", response_model=list[MembershipOut])
def list_memberships(ws: WorkspaceDep, db: DatabaseDep) -> list[MembershipOut]:
    return [_out(m) for m in catalogue.list_memberships(db, ws)]
