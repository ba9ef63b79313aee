"""Attribute definitions for tickets and orders; only those visible in the API can be set through it."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter

from boxoffice.api.admin.auth import DatabaseDep, WorkspaceDep
from boxoffice.api.admin.models import RESPONSES, ApiModel, ShortName
from boxoffice.domain.catalogue import AttributeDefinition
from boxoffice.services import catalogue

router = APIRouter(tags=["attribute definitions"], responses=RESPONSES)


class AttributeDefinitionIn(ApiModel):
    name: ShortName
    applies_to: Literal["ticket", "order"]
    visible_in_api: bool = True


class AttributeDefinitionOut(ApiModel):
    id: str
    name: str
    applies_to: str
    visible_in_api: bool


def _out(a: AttributeDefinition) -> AttributeDefinitionOut:
    return AttributeDefinitionOut(id=a.id, name=a.name, applies_to=a.applies_to, visible_in_api=a.visible_in_api)


@router.post("/attribute-definitions", status_code=201, response_model=AttributeDefinitionOut)
def create_attribute_definition(
    ws: WorkspaceDep, db: DatabaseDep, body: AttributeDefinitionIn
) -> AttributeDefinitionOut:
    return _out(
        catalogue.create_attribute_definition(
            db, ws, body.name, applies_to=body.applies_to, visible_in_api=body.visible_in_api
        )
    )


@router.get("/attribute-definitions", response_model=list[AttributeDefinitionOut])
def list_attribute_definitions(ws: WorkspaceDep, db: DatabaseDep) -> list[AttributeDefinitionOut]:
    return [_out(a) for a in catalogue.list_attribute_definitions(db, ws)]
