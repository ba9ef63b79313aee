"""Performances: one inventory event each (its key is the performance's id here), on a chart, with
on-sale windows for the web and the box office, and a cancelled flag."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import AwareDatetime, field_validator

from boxoffice.api.admin.auth import DatabaseDep, WorkspaceDep
from boxoffice.api.admin.models import RESPONSES, ApiModel, Currency, Key, Name
from boxoffice.domain.catalogue import BOX_OFFICE, WEB, Performance
from boxoffice.services import catalogue
from boxoffice.services.clock import utcnow

router = APIRouter(tags=["performances"], responses=RESPONSES)


class PerformanceIn(ApiModel):
    production_id: str
    chart_key: str
    start: AwareDatetime
    currency: Currency
    event_key: Key | None = None
    name: Name | None = None
    web_sale_from: AwareDatetime | None = None
    web_sale_until: AwareDatetime | None = None
    box_office_sale_from: AwareDatetime | None = None
    box_office_sale_until: AwareDatetime | None = None


class PerformancePatch(ApiModel):
    """Only the fields given change; a window bound given as null is removed."""

    start: AwareDatetime | None = None
    cancelled: bool | None = None
    web_sale_from: AwareDatetime | None = None
    web_sale_until: AwareDatetime | None = None
    box_office_sale_from: AwareDatetime | None = None
    box_office_sale_until: AwareDatetime | None = None

    @field_validator("start", "cancelled")
    @classmethod
    def _not_null(cls, value: Any) -> Any:
        if value is None:
            raise ValueError("cannot be null")
        return value


class PerformanceOut(ApiModel):
    event_key: str
    production_id: str
    start: AwareDatetime
    currency: str
    web_sale_from: AwareDatetime | None
    web_sale_until: AwareDatetime | None
    box_office_sale_from: AwareDatetime | None
    box_office_sale_until: AwareDatetime | None
    cancelled: bool
    on_sale_web: bool
    on_sale_box_office: bool


def performance_out(p: Performance) -> PerformanceOut:
    now = utcnow()
    return PerformanceOut(
        event_key=p.event_key,
        production_id=p.production_id,
        start=p.start,
        currency=p.currency,
        web_sale_from=p.web_sale_from,
        web_sale_until=p.web_sale_until,
        box_office_sale_from=p.box_office_sale_from,
        box_office_sale_until=p.box_office_sale_until,
        cancelled=p.cancelled,
        on_sale_web=p.on_sale(WEB, now),
        on_sale_box_office=p.on_sale(BOX_OFFICE, now),
    )


@router.post("/performances", status_code=201, response_model=PerformanceOut)
def create_performance(ws: WorkspaceDep, db: DatabaseDep, body: PerformanceIn) -> PerformanceOut:
    spec = catalogue.PerformanceSpec(
        production_id=body.production_id,
        chart_key=body.chart_key,
        start=body.start,
        currency=body.currency,
        event_key=body.event_key,
        name=body.name,
        web_sale_from=body.web_sale_from,
        web_sale_until=body.web_sale_until,
        box_office_sale_from=body.box_office_sale_from,
        box_office_sale_until=body.box_office_sale_until,
    )
    return performance_out(catalogue.create_performance(db, ws, spec))


@router.get("/performances", response_model=list[PerformanceOut])
def list_performances(
    ws: WorkspaceDep,
    db: DatabaseDep,
    production_id: Annotated[str | None, Query(alias="productionId")] = None,
    start_from: Annotated[AwareDatetime | None, Query(alias="from", description="Starting at or after")] = None,
    start_to: Annotated[AwareDatetime | None, Query(alias="to", description="Starting at or before")] = None,
) -> list[PerformanceOut]:
    found = catalogue.list_performances(db, ws, production_id=production_id, start_from=start_from, start_to=start_to)
    return [performance_out(p) for p in found]


@router.get("/performances/{eventKey}", response_model=PerformanceOut)
def get_performance(ws: WorkspaceDep, db: DatabaseDep, eventKey: str) -> PerformanceOut:
    return performance_out(catalogue.get_performance(db, ws, eventKey))


@router.patch("/performances/{eventKey}", response_model=PerformanceOut)
def update_performance(ws: WorkspaceDep, db: DatabaseDep, eventKey: str, body: PerformancePatch) -> PerformanceOut:
    values = {name: getattr(body, name) for name in body.model_fields_set}
    return performance_out(catalogue.update_performance(db, ws, eventKey, **values))


@router.post("/performances/{eventKey}/cancel", response_model=PerformanceOut, summary="Cancel a performance")
def cancel_performance(ws: WorkspaceDep, db: DatabaseDep, eventKey: str) -> PerformanceOut:
    return performance_out(catalogue.update_performance(db, ws, eventKey, cancelled=True))
