"""Chart reports, as the SDK's ChartReports calls them: a chart's objects, no event statuses.

GET /reports/charts/{key}/{reportType}            objects grouped: byLabel, byObjectType, byCategoryKey,
                                                  byCategoryLabel, bySection, byZone
GET /reports/charts/{key}/{reportType}/summary    places per group, broken down by the other dimensions
                                                  (byZone too; a category key's not by category label, and
                                                  the other way round; empty groups listed, count 0)

Both take ``bookWholeTables`` (absent, true, false or chart: what a table contributes) and ``version``
(published, the default, or draft).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request

from boxoffice.api.responses import FastJSONResponse
from boxoffice.api.seatsio.auth import database, principal
from boxoffice.api.seatsio.paths import SeatsioRoute
from boxoffice.api.seatsio.schemas import ChartObjectOut, SummaryGroup, parameters, query
from boxoffice.api.seatsio.serialize import chart_object_json, distance
from boxoffice.domain.chart_reports import BOOK_WHOLE_TABLES, GROUPINGS, SUMMARY_GROUPINGS
from boxoffice.domain.layout import ObjectType
from boxoffice.services import chart_reports as service
from boxoffice.services.workspaces import Principal

router = APIRouter(tags=["chart reports"], route_class=SeatsioRoute)

OPTIONS = parameters(
    query(
        "bookWholeTables",
        {"type": "string", "enum": list(BOOK_WHOLE_TABLES)},
        "Tables only (true), seats at tables only (false), as the chart books them (chart); absent: both",
    ),
    query("version", {"type": "string", "enum": list(service.VERSIONS)}, "The chart version (default: published)"),
)


# The report types, shown in the OpenAPI document; any other is answered by the service (400 INVALID_INPUT)
ReportType = Annotated[str, Path(json_schema_extra={"enum": list(GROUPINGS)})]
SummaryType = Annotated[str, Path(json_schema_extra={"enum": list(SUMMARY_GROUPINGS)})]


def _options(request: Request) -> dict[str, str | None]:
    return {
        "book_whole_tables": request.query_params.get("bookWholeTables"),
        "version": request.query_params.get("version"),
    }


@router.get(
    "/reports/charts/{key}/{report_type}/summary", response_model=dict[str, SummaryGroup], openapi_extra=OPTIONS
)
def summary(
    key: str, report_type: SummaryType, request: Request, caller: Principal = Depends(principal)
) -> FastJSONResponse:
    found = service.summary(database(request), caller.workspace, key, report_type, **_options(request))
    return FastJSONResponse({group: {"count": bucket.count, **bucket.by} for group, bucket in found.items()})


@router.get(
    "/reports/charts/{key}/{report_type}", response_model=dict[str, list[ChartObjectOut]], openapi_extra=OPTIONS
)
def detailed(
    key: str, report_type: ReportType, request: Request, caller: Principal = Depends(principal)
) -> FastJSONResponse:
    found = service.report(database(request), caller.workspace, key, report_type, **_options(request))
    layout, seats_at = found.layout, found.seats_at_tables
    return FastJSONResponse(
        {
            group: [
                chart_object_json(
                    obj,
                    num_seats=seats_at[obj.label] if obj.object_type is ObjectType.TABLE else None,
                    distance_to_focal_point=distance(obj, layout),
                )
                for obj in objects
            ]
            for group, objects in found.groups.items()
        }
    )
