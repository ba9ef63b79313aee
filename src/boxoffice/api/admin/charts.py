"""Charts: import a seats.io chart JSON (validated, all or nothing), and see its price bands."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Query
from pydantic import AfterValidator

from boxoffice.api.admin.auth import DatabaseDep, WorkspaceDep
from boxoffice.api.admin.models import RESPONSES, ApiModel, storable
from boxoffice.domain.records import Chart
from boxoffice.services import charts
from boxoffice.storage.uow import Database

router = APIRouter(tags=["charts"], responses=RESPONSES)


class CategoryOut(ApiModel):
    key: str
    label: str
    color: str
    accessible: bool


class ChartOut(ApiModel):
    key: str
    name: str
    published_version: int
    categories: list[CategoryOut]


def _out(db: Database, chart: Chart) -> ChartOut:
    layout = charts.chart_layout(db, chart)
    return ChartOut(
        key=chart.key,
        name=chart.name,
        published_version=chart.published_version,
        categories=[
            CategoryOut(key=c.key, label=c.label, color=c.color, accessible=c.accessible) for c in layout.categories
        ],
    )


@router.post("/charts", status_code=201, response_model=ChartOut, summary="Import a chart JSON")
def import_chart(
    ws: WorkspaceDep,
    db: DatabaseDep,
    drawing: Annotated[dict[str, Any], AfterValidator(storable), Body(description="A seats.io chart JSON document")],
    key: Annotated[str | None, Query(max_length=128, description="The chart key (default: generated)")] = None,
) -> ChartOut:
    return _out(db, charts.create_chart(db, ws, drawing, key=key))


@router.get("/charts", response_model=list[ChartOut])
def list_charts(ws: WorkspaceDep, db: DatabaseDep) -> list[ChartOut]:
    return [_out(db, c) for c in charts.list_charts(db, ws)]


@router.get("/charts/{chartKey}", response_model=ChartOut)
def get_chart(ws: WorkspaceDep, db: DatabaseDep, chartKey: str) -> ChartOut:
    return _out(db, charts.get_chart(db, ws, chartKey))
