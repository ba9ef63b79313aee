"""Event reports, as the SDK's EventReports calls them.

GET /reports/events/{key}                                 every bookable object, by label (flat list)
GET /reports/events/{key}.csv                             the same as CSV
GET /reports/events/{key}/{reportType}                    objects grouped: byStatus, byLabel, byOrderId, byCategoryKey,
                                                          byCategoryLabel, bySection, byZone, byObjectType,
                                                          byAvailability, byAvailabilityReason, byChannel
GET /reports/events/{key}/{reportType}/{filter}           one group only, e.g. /byStatus/booked
GET /reports/events/{key}/{reportType}/summary            places per group, broken down by the other dimensions
GET /reports/events/{key}/{reportType}/summary/deep       one level deeper

Summaries count places: each place of a GA area under its own status, a table booked as a whole as its
seats. Each group is broken down by the other dimensions and by bySelectability (selectable /
not_selectable); the byCategoryKey summary has no byCategoryLabel breakdown, nor the byCategoryLabel one a
byCategoryKey breakdown. Object types, the chart's (and event's) categories, sections and zones with their
NO_… group, and the fixed availability reasons are listed even when empty (domain/summaries.py).

On a season, an object one of its events has taken shows as taken, unless ``?seasonBookingsPropagated=false``.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Depends, Request, Response

from boxoffice.api.responses import FastJSONResponse
from boxoffice.api.seatsio.auth import database, principal
from boxoffice.api.seatsio.paths import SeatsioRoute
from boxoffice.api.seatsio.schemas import CSV_RESPONSE, ObjectInfoOut, SummaryGroup
from boxoffice.api.seatsio.serialize import object_info_json
from boxoffice.domain.layout import ObjectType
from boxoffice.domain.summaries import SummaryBucket
from boxoffice.services import reports as service
from boxoffice.services.reports import ObjectInfo
from boxoffice.services.workspaces import Principal

router = APIRouter(tags=["event reports"], route_class=SeatsioRoute)

# Groups seats.io always lists, empty or not.
ALWAYS_LISTED = {"byObjectType": tuple(str(t) for t in ObjectType)}
CSV_COLUMNS: tuple[tuple[str, Callable[[ObjectInfo], Any]], ...] = (
    ("label", lambda i: i.label),
    ("objectType", lambda i: i.object_type),
    ("status", lambda i: i.status),
    ("categoryKey", lambda i: i.category_key),
    ("categoryLabel", lambda i: i.category_label),
    ("section", lambda i: i.section),
    ("channel", lambda i: i.channel_key),
    ("orderId", lambda i: i.order_id),
    ("holdToken", lambda i: i.hold_token),
    ("ticketType", lambda i: i.ticket_type),
    ("forSale", lambda i: i.for_sale),
    ("isAvailable", lambda i: i.is_available),
    ("availabilityReason", lambda i: i.availability_reason),
    ("capacity", lambda i: i.capacity if i.object_type == ObjectType.GENERAL_ADMISSION else None),
    ("numBooked", lambda i: i.num_booked if i.object_type == ObjectType.GENERAL_ADMISSION else None),
    ("numHeld", lambda i: i.num_held if i.object_type == ObjectType.GENERAL_ADMISSION else None),
    ("numFree", lambda i: i.num_free if i.object_type == ObjectType.GENERAL_ADMISSION else None),
)


def _propagated(request: Request) -> bool:
    return request.query_params.get("seasonBookingsPropagated", "true").lower() != "false"


def _summary_json(bucket: SummaryBucket) -> dict[str, Any]:
    return {"count": bucket.count, **bucket.by}


@router.get("/reports/events/{key}.csv", response_class=Response, responses=CSV_RESPONSE)
def flat_list_csv(key: str, request: Request, caller: Principal = Depends(principal)) -> Response:
    """The flat list as CSV, one line per bookable object (booleans as true/false, absent values empty)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([name for name, _ in CSV_COLUMNS])
    for info in service.report_infos(
        database(request), caller.workspace, key, season_bookings_propagated=_propagated(request)
    ):
        writer.writerow([_csv_value(value_of(info)) for _, value_of in CSV_COLUMNS])
    return Response(out.getvalue(), media_type="text/csv; charset=utf-8")


def _csv_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


@router.get("/reports/events/{key}", response_model=list[ObjectInfoOut])
def flat_list(key: str, request: Request, caller: Principal = Depends(principal)) -> FastJSONResponse:
    return FastJSONResponse(
        [
            object_info_json(i)
            for i in service.report_infos(
                database(request), caller.workspace, key, season_bookings_propagated=_propagated(request)
            )
        ]
    )


@router.get("/reports/events/{key}/{report_type}/summary/deep", response_model=dict[str, SummaryGroup])
def deep_summary(
    key: str, report_type: str, request: Request, caller: Principal = Depends(principal)
) -> FastJSONResponse:
    found = service.deep_summary(
        database(request), caller.workspace, key, report_type, season_bookings_propagated=_propagated(request)
    )
    return FastJSONResponse(
        {
            group: {
                "count": bucket.count,
                **{dim: {value: _summary_json(sub) for value, sub in subs.items()} for dim, subs in bucket.by.items()},
            }
            for group, bucket in found.items()
        }
    )


@router.get("/reports/events/{key}/{report_type}/summary", response_model=dict[str, SummaryGroup])
def summary(key: str, report_type: str, request: Request, caller: Principal = Depends(principal)) -> FastJSONResponse:
    found = service.summary(
        database(request), caller.workspace, key, report_type, season_bookings_propagated=_propagated(request)
    )
    return FastJSONResponse({group: _summary_json(bucket) for group, bucket in found.items()})


@router.get("/reports/events/{key}/{report_type}", response_model=dict[str, list[ObjectInfoOut]])
def detailed(key: str, report_type: str, request: Request, caller: Principal = Depends(principal)) -> FastJSONResponse:
    grouped = service.report(
        database(request), caller.workspace, key, report_type, season_bookings_propagated=_propagated(request)
    )
    for group in ALWAYS_LISTED.get(report_type, ()):
        grouped.setdefault(group, [])
    return FastJSONResponse(_render(grouped))


@router.get("/reports/events/{key}/{report_type}/{filter_value}", response_model=dict[str, list[ObjectInfoOut]])
def detailed_one_group(
    key: str, report_type: str, filter_value: str, request: Request, caller: Principal = Depends(principal)
) -> FastJSONResponse:
    grouped = service.report(
        database(request),
        caller.workspace,
        key,
        report_type,
        filter_value=filter_value,
        season_bookings_propagated=_propagated(request),
    )
    return FastJSONResponse(_render({filter_value: grouped.get(filter_value, [])}))


def _render(grouped: dict[str, list[ObjectInfo]]) -> dict[str, list[dict[str, Any]]]:
    return {group: [object_info_json(i) for i in infos] for group, infos in grouped.items()}
