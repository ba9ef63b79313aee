"""Partners: affiliates reselling by quotes through the partner API (``/partner``). Their client secret is
shown once, when they are made or it is rotated; they trade only once `payoutConfigured` is true."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter
from pydantic import Field

from boxoffice.api.admin.auth import DatabaseDep, WorkspaceDep
from boxoffice.api.admin.models import RESPONSES, ApiModel, ShortName
from boxoffice.domain.partners import DEFAULT_QUOTE_TTL_MINUTES, MAX_QUOTE_TTL_MINUTES, Partner
from boxoffice.services import partners
from boxoffice.services.partners import NewCredentials, PartnerSetup

router = APIRouter(tags=["partners"], responses=RESPONSES)

TtlMinutes = Annotated[int, Field(ge=1, le=MAX_QUOTE_TTL_MINUTES)]
Email = Annotated[str, Field(max_length=320)]


class PartnerIn(ApiModel):
    name: ShortName
    ticket_type_id: str = Field(description="The ticket type its quotes are priced as")
    quote_ttl_minutes: TtlMinutes = DEFAULT_QUOTE_TTL_MINUTES
    payout_configured: bool = Field(False, description="Whether the venue has set up how it pays the partner")
    transfer_email: Email | None = Field(None, description="The address tickets are transferred from")


class PartnerPatch(ApiModel):
    active: bool | None = None
    payout_configured: bool | None = None
    quote_ttl_minutes: TtlMinutes | None = None
    transfer_email: Email | None = None


class PartnerOut(ApiModel):
    id: str
    name: str
    client_id: str
    ticket_type_id: str
    quote_ttl_minutes: int
    payout_configured: bool
    transfer_email: str | None
    active: bool


class PartnerWithSecretOut(PartnerOut):
    client_secret: str = Field(description="Shown only now")


def _out(p: Partner) -> PartnerOut:
    return PartnerOut(
        id=p.id,
        name=p.name,
        client_id=p.client_id,
        ticket_type_id=p.ticket_type_id,
        quote_ttl_minutes=p.quote_ttl_minutes,
        payout_configured=p.payout_configured,
        transfer_email=p.transfer_email,
        active=p.active,
    )


def _with_secret(new: NewCredentials) -> PartnerWithSecretOut:
    return PartnerWithSecretOut(**_out(new.partner).model_dump(), client_secret=new.client_secret)


@router.post("/partners", status_code=201, response_model=PartnerWithSecretOut)
def create_partner(ws: WorkspaceDep, db: DatabaseDep, body: PartnerIn) -> PartnerWithSecretOut:
    setup = PartnerSetup(
        body.name, body.ticket_type_id, body.quote_ttl_minutes, body.payout_configured, body.transfer_email
    )
    return _with_secret(partners.create_partner(db, ws, setup))


@router.get("/partners", response_model=list[PartnerOut])
def list_partners(ws: WorkspaceDep, db: DatabaseDep) -> list[PartnerOut]:
    return [_out(p) for p in partners.list_partners(db, ws)]


@router.get("/partners/{partnerId}", response_model=PartnerOut)
def get_partner(ws: WorkspaceDep, db: DatabaseDep, partnerId: str) -> PartnerOut:
    return _out(partners.get_partner(db, ws, partnerId))


@router.patch("/partners/{partnerId}", response_model=PartnerOut)
def update_partner(ws: WorkspaceDep, db: DatabaseDep, partnerId: str, body: PartnerPatch) -> PartnerOut:
    changed = partners.update_partner(
        db,
        ws,
        partnerId,
        active=body.active,
        payout_configured=body.payout_configured,
        quote_ttl_minutes=body.quote_ttl_minutes,
        transfer_email=body.transfer_email,
    )
    return _out(changed)


@router.post("/partners/{partnerId}/rotate-secret", response_model=PartnerWithSecretOut)
def rotate_secret(ws: WorkspaceDep, db: DatabaseDep, partnerId: str) -> PartnerWithSecretOut:
    """A new client secret; the old one and every token issued with it stop working at once."""
    return _with_secret(partners.rotate_secret(db, ws, partnerId))
