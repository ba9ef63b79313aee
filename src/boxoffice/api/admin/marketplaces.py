"""Secondary marketplaces: set them up (their signing key is shown once), and deal with the Instant
Notification sales that could not be invoiced at once (invoice after all, or reject)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from pydantic import Field

from boxoffice.api.admin.auth import DatabaseDep, WorkspaceDep
from boxoffice.api.admin.models import RESPONSES, ApiModel, ShortName
from boxoffice.api.marketplace.routes import SaleOut, sale_out
from boxoffice.domain.marketplaces import DEFAULT_AUTO_REJECT_MINUTES, DEFAULT_HOLD_MINUTES, MAX_MINUTES, Marketplace
from boxoffice.services import marketplaces
from boxoffice.services.marketplaces import MarketplaceSetup, NewMarketplace

router = APIRouter(tags=["marketplaces"], responses=RESPONSES)

Minutes = Annotated[int, Field(ge=1, le=MAX_MINUTES)]


class MarketplaceIn(ApiModel):
    name: ShortName
    kind: Literal["orderIntegration", "instantNotification"]
    ticket_type_id: str = Field(description="The ticket type its sales are priced as")
    hold_minutes: Minutes = Field(DEFAULT_HOLD_MINUTES, description="How long an Order Integration hold binds")
    auto_reject_minutes: Minutes = Field(
        DEFAULT_AUTO_REJECT_MINUTES, description="How long an Instant Notification sale may stay pending"
    )


class MarketplacePatch(ApiModel):
    active: bool | None = None
    ticket_type_id: str | None = None
    hold_minutes: Minutes | None = None
    auto_reject_minutes: Minutes | None = None


class MarketplaceOut(ApiModel):
    id: str = Field(description="Its customer record's id; what it sends as X-Marketplace-Id")
    name: str
    kind: str
    ticket_type_id: str
    hold_minutes: int
    auto_reject_minutes: int
    active: bool


class MarketplaceWithKeyOut(MarketplaceOut):
    key: str = Field(description="The signing key; shown only now")


def _out(m: Marketplace) -> MarketplaceOut:
    return MarketplaceOut(
        id=m.id,
        name=m.name,
        kind=m.kind,
        ticket_type_id=m.ticket_type_id,
        hold_minutes=m.hold_minutes,
        auto_reject_minutes=m.auto_reject_minutes,
        active=m.active,
    )


def _with_key(new: NewMarketplace) -> MarketplaceWithKeyOut:
    return MarketplaceWithKeyOut(**_out(new.marketplace).model_dump(), key=new.key)


def _secret(request: Request) -> str:
    secret: str = request.app.state.settings.system_secret
    return secret


@router.post("/marketplaces", status_code=201, response_model=MarketplaceWithKeyOut)
def create_marketplace(
    request: Request, ws: WorkspaceDep, db: DatabaseDep, body: MarketplaceIn
) -> MarketplaceWithKeyOut:
    setup = MarketplaceSetup(body.name, body.kind, body.ticket_type_id, body.hold_minutes, body.auto_reject_minutes)
    return _with_key(marketplaces.create_marketplace(db, ws, setup, system_secret=_secret(request)))


@router.get("/marketplaces", response_model=list[MarketplaceOut])
def list_marketplaces(ws: WorkspaceDep, db: DatabaseDep) -> list[MarketplaceOut]:
    return [_out(m) for m in marketplaces.list_marketplaces(db, ws)]


@router.get("/marketplaces/{marketplaceId}", response_model=MarketplaceOut)
def get_marketplace(ws: WorkspaceDep, db: DatabaseDep, marketplaceId: str) -> MarketplaceOut:
    return _out(marketplaces.get_marketplace(db, ws, marketplaceId))


@router.patch("/marketplaces/{marketplaceId}", response_model=MarketplaceOut)
def update_marketplace(ws: WorkspaceDep, db: DatabaseDep, marketplaceId: str, body: MarketplacePatch) -> MarketplaceOut:
    changed = marketplaces.update_marketplace(
        db,
        ws,
        marketplaceId,
        active=body.active,
        hold_minutes=body.hold_minutes,
        auto_reject_minutes=body.auto_reject_minutes,
        ticket_type_id=body.ticket_type_id,
    )
    return _out(changed)


@router.post("/marketplaces/{marketplaceId}/regenerate-key", response_model=MarketplaceWithKeyOut)
def regenerate_key(request: Request, ws: WorkspaceDep, db: DatabaseDep, marketplaceId: str) -> MarketplaceWithKeyOut:
    """A new signing key; the old one stops working at once."""
    return _with_key(marketplaces.regenerate_key(db, ws, marketplaceId, system_secret=_secret(request)))


SaleStatus = Literal["confirmed", "pending", "rejected", "autoRejected"]


@router.get("/marketplace-sales", response_model=list[SaleOut])
def list_sales(
    ws: WorkspaceDep, db: DatabaseDep, status: Annotated[SaleStatus | None, Query()] = None
) -> list[SaleOut]:
    """Notified sales, oldest first (at most 500); `status=pending` is the venue's to-do list."""
    return [sale_out(s) for s in marketplaces.list_sales(db, ws, status=status)]


class RejectIn(ApiModel):
    reason: Annotated[str, Field(max_length=500)] = ""


@router.post("/marketplace-sales/{saleId}/reject", response_model=SaleOut)
def reject_sale(ws: WorkspaceDep, db: DatabaseDep, saleId: str, body: RejectIn | None = None) -> SaleOut:
    """Only a pending sale (409 otherwise)."""
    return sale_out(marketplaces.reject_sale(db, ws, saleId, reason=(body or RejectIn()).reason))


@router.post("/marketplace-sales/{saleId}/invoice", response_model=SaleOut)
def invoice_sale(ws: WorkspaceDep, db: DatabaseDep, saleId: str) -> SaleOut:
    """Try a pending sale again (after freeing its seats, say): confirmed, or still pending with the reason."""
    return sale_out(marketplaces.invoice_sale(db, ws, saleId))
