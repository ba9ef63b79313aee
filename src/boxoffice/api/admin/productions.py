"""Productions: the show (Spektrix calls it an event); its performances are in performances.py."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from boxoffice.api.admin.auth import DatabaseDep, WorkspaceDep
from boxoffice.api.admin.models import RESPONSES, ApiModel, Count, Name
from boxoffice.domain.catalogue import Production
from boxoffice.services import catalogue

router = APIRouter(tags=["productions"], responses=RESPONSES)


class ProductionIn(ApiModel):
    name: Name
    description: str = ""
    duration_minutes: Count = 0
    attributes: dict[str, Any] = {}


class ProductionPatch(ApiModel):
    name: Name | None = None
    description: str | None = None
    duration_minutes: Count | None = None
    attributes: dict[str, Any] | None = None


class ProductionOut(ApiModel):
    id: str
    name: str
    description: str
    duration_minutes: int
    attributes: dict[str, Any]


def production_out(p: Production) -> ProductionOut:
    return ProductionOut(
        id=p.id, name=p.name, description=p.description, duration_minutes=p.duration_minutes, attributes=p.attributes
    )


@router.post("/productions", status_code=201, response_model=ProductionOut)
def create_production(ws: WorkspaceDep, db: DatabaseDep, body: ProductionIn) -> ProductionOut:
    return production_out(
        catalogue.create_production(
            db,
            ws,
            body.name,
            description=body.description,
            duration_minutes=body.duration_minutes,
            attributes=body.attributes,
        )
    )


@router.get("/productions", response_model=list[ProductionOut])
def list_productions(ws: WorkspaceDep, db: DatabaseDep) -> list[ProductionOut]:
    return [production_out(p) for p in catalogue.list_productions(db, ws)]


@router.get("/productions/{productionId}", response_model=ProductionOut)
def get_production(ws: WorkspaceDep, db: DatabaseDep, productionId: str) -> ProductionOut:
    return production_out(catalogue.get_production(db, ws, productionId))


@router.patch("/productions/{productionId}", response_model=ProductionOut)
def update_production(ws: WorkspaceDep, db: DatabaseDep, productionId: str, body: ProductionPatch) -> ProductionOut:
    return production_out(
        catalogue.update_production(
            db,
            ws,
            productionId,
            name=body.name,
            description=body.description,
            duration_minutes=body.duration_minutes,
            attributes=body.attributes,
        )
    )
