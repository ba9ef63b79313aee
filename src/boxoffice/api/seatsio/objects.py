"""Object status changes as the SDK calls them, best available, object info, extra data.

POST /events/groups/actions/change-object-status   one change over one or more events (book, hold, release…)
POST /events/actions/change-object-status          several changes in one transaction (batch)
POST /events/{key}/actions/change-object-status    best available (``bestAvailable``) or a change on one event
GET  /events/{key}/objects?label=A-1&label=A-2     object info
POST /events/{key}/objects/{label}/actions/update-extra-data, /events/{key}/actions/update-extra-data
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt, StrictStr
from starlette.concurrency import run_in_threadpool

from boxoffice.api.responses import FastJSONResponse
from boxoffice.api.seatsio.auth import database, principal
from boxoffice.api.seatsio.body import Text200, documented, read_model
from boxoffice.api.seatsio.errors import SeatsioError
from boxoffice.api.seatsio.paths import SeatsioRoute
from boxoffice.api.seatsio.schemas import (
    EXPAND,
    BatchResults,
    BestAvailableResult,
    ChangedObjects,
    ObjectInfoOut,
    parameters,
    query,
)
from boxoffice.api.seatsio.serialize import object_info_json
from boxoffice.domain.records import Event
from boxoffice.domain.statuses import FREE
from boxoffice.services import inventory, seasons
from boxoffice.services.best_available import BestAvailableOrder, take_best_available
from boxoffice.services.best_available import BestAvailableResult as BestAvailableResult_
from boxoffice.services.clock import utcnow
from boxoffice.services.group_commit import committer_for
from boxoffice.services.inventory import ObjectRequest, StatusChangeRequest
from boxoffice.services.reports import infos_for_rows, object_infos
from boxoffice.services.seasons import SeasonStatusStep
from boxoffice.services.workspaces import Principal
from boxoffice.storage.objects import ObjectRow
from boxoffice.storage.uow import Database, UnitOfWork

router = APIRouter(tags=["object statuses"], route_class=SeatsioRoute)

CHANGE_STATUS_TO = "CHANGE_STATUS_TO"
RELEASE = "RELEASE"
OVERRIDE_SEASON_STATUS = "OVERRIDE_SEASON_STATUS"
USE_SEASON_STATUS = "USE_SEASON_STATUS"


class ObjectBody(BaseModel):
    model_config = ConfigDict(extra="ignore")
    objectId: StrictStr
    quantity: StrictInt | None = None
    ticketType: Text200 | None = None
    extraData: dict[str, Any] | None = None


class StatusChangeOptions(BaseModel):
    model_config = ConfigDict(extra="ignore")
    status: StrictStr | None = None
    holdToken: StrictStr | None = None
    orderId: Text200 | None = None
    keepExtraData: StrictBool = False
    ignoreChannels: StrictBool = False
    channelKeys: list[StrictStr] | None = None


class ChangeObjectStatus(StatusChangeOptions):
    type: StrictStr = CHANGE_STATUS_TO
    objects: list[ObjectBody | StrictStr] = Field(default_factory=list)
    events: list[StrictStr] | None = None
    event: StrictStr | None = None  # in a batch
    allowedPreviousStatuses: list[StrictStr] | None = None
    rejectedPreviousStatuses: list[StrictStr] | None = None
    resaleListingId: Text200 | None = None
    season: StrictStr | None = None


class Batch(BaseModel):
    model_config = ConfigDict(extra="ignore")
    statusChanges: list[ChangeObjectStatus] = Field(default_factory=list)


class BestAvailable(BaseModel):
    model_config = ConfigDict(extra="ignore")
    number: StrictInt
    categories: list[StrictStr | StrictInt] | None = None
    zone: StrictStr | None = None
    sections: list[StrictStr] | None = None
    ticketTypes: list[Text200 | None] | None = None
    extraData: list[dict[str, Any] | None] | None = None
    accessibleSeats: StrictInt | None = None
    tryToPreventOrphanSeats: StrictBool | None = None


class EventChange(ChangeObjectStatus):
    bestAvailable: BestAvailable | None = None


class ExtraData(BaseModel):
    model_config = ConfigDict(extra="ignore")
    extraData: dict[str, Any] | None = None


def _ip(request: Request) -> str | None:
    return request.client.host if request.client else None


def _expanded(request: Request) -> bool:
    if not request.scope.get("query_string"):
        return False
    return "objects" in {p for v in request.query_params.getlist("expand") for p in v.split(",")}


def _status(body: ChangeObjectStatus) -> str:
    """The status a change (plain or best available) asks for, from its type and status."""
    if body.season is not None:
        raise SeatsioError(400, "SEASONS_NOT_SUPPORTED", "Seasons are not supported")
    if body.type == RELEASE:
        return FREE
    if body.type != CHANGE_STATUS_TO:
        raise SeatsioError(400, "VALIDATION_ERROR", f"Unsupported status change type {body.type}")
    if not body.status:
        raise SeatsioError(400, "VALIDATION_ERROR", "status is required")
    return body.status


def _change(body: ChangeObjectStatus, event_keys: list[str], request: Request) -> StatusChangeRequest:
    status = _status(body)
    if not event_keys:
        raise SeatsioError(400, "VALIDATION_ERROR", "No event given")
    objects = tuple(
        ObjectRequest(o)
        if isinstance(o, str)
        else ObjectRequest(o.objectId, quantity=o.quantity, ticket_type=o.ticketType, extra_data=o.extraData)
        for o in body.objects
    )
    return StatusChangeRequest(
        event_keys=tuple(event_keys),
        objects=objects,
        status=status,
        hold_token=body.holdToken,
        order_id=body.orderId,
        keep_extra_data=body.keepExtraData,
        ignore_channels=body.ignoreChannels,
        channel_keys=frozenset(body.channelKeys or ()),
        allowed_previous_statuses=(
            frozenset(body.allowedPreviousStatuses) if body.allowedPreviousStatuses is not None else None
        ),
        rejected_previous_statuses=frozenset(body.rejectedPreviousStatuses or ()),
        resale_listing_id=body.resaleListingId,
        origin_ip=_ip(request),
    )


def _objects(db: Database, caller: Principal, by_event: dict[str, list[str]]) -> dict[str, Any]:
    rendered: dict[str, Any] = {}
    for event_key, labels in by_event.items():
        for info in object_infos(db, caller.workspace, event_key, labels):
            rendered[info.label] = object_info_json(info)
    return rendered


def _details(uow: UnitOfWork, event: Event, rows: list[ObjectRow]) -> dict[str, Any]:
    """objectDetails of seats best available has just taken, from the rows as decided (no re-read)."""
    return {info.label: object_info_json(info) for info in infos_for_rows(uow, event, rows, utcnow())}


@router.post(
    "/events/groups/actions/change-object-status",
    response_model=ChangedObjects,
    openapi_extra=documented(ChangeObjectStatus) | parameters(EXPAND),
)
async def change_object_status(request: Request, caller: Principal = Depends(principal)) -> FastJSONResponse:
    body = await read_model(request, ChangeObjectStatus)
    db = database(request)
    change = _change(body, body.events or [], request)
    expand = _expanded(request)

    changed = await _change_status(request, caller, change)
    return FastJSONResponse({"objects": await run_in_threadpool(_objects, db, caller, changed) if expand else {}})


async def _change_status(request: Request, caller: Principal, change: StatusChangeRequest) -> dict[str, list[str]]:
    """Through the group commit (services/group_commit.py), or, switched off, a transaction of its own in a
    worker thread. Either way the event loop keeps serving other requests while this one waits."""
    db = database(request)
    if request.app.state.settings.group_commit:
        changed = await committer_for(db).change_status(caller.workspace, change)
    else:
        changed = await run_in_threadpool(inventory.change_status, db, caller.workspace, change)
    return changed.by_event


@router.post(
    "/events/actions/change-object-status",
    response_model=BatchResults,
    openapi_extra=documented(Batch) | parameters(EXPAND),
)
async def change_object_status_in_batch(request: Request, caller: Principal = Depends(principal)) -> FastJSONResponse:
    body = await read_model(request, Batch)
    if not body.statusChanges:
        raise SeatsioError(400, "VALIDATION_ERROR", "statusChanges must list at least one change")
    db = database(request)
    steps = [_step(c, request) for c in body.statusChanges]
    expand = _expanded(request)

    def run() -> list[dict[str, Any]]:
        requests = [s for s in steps if isinstance(s, StatusChangeRequest)]
        if len(requests) == len(steps):
            inventory.change_status_in_batch(db, caller.workspace, requests)
        else:
            seasons.change_in_batch(db, caller.workspace, steps)
        return [{"objects": _objects(db, caller, _named(s)) if expand else {}} for s in steps]

    results = await run_in_threadpool(run)
    return FastJSONResponse({"results": results})


def _step(body: ChangeObjectStatus, request: Request) -> StatusChangeRequest | SeasonStatusStep:
    """One change of a batch: a status change, or an override (or use) of season statuses."""
    event_keys = [body.event] if body.event else list(body.events or [])
    if body.type not in (OVERRIDE_SEASON_STATUS, USE_SEASON_STATUS):
        return _change(body, event_keys, request)
    if len(event_keys) != 1:
        raise SeatsioError(400, "VALIDATION_ERROR", f"{body.type} names one event")
    labels = tuple(o if isinstance(o, str) else o.objectId for o in body.objects)
    return SeasonStatusStep(event_keys[0], labels, override=body.type == OVERRIDE_SEASON_STATUS)


def _named(step: StatusChangeRequest | SeasonStatusStep) -> dict[str, list[str]]:
    if isinstance(step, SeasonStatusStep):
        return {step.event_key: list(step.labels)}
    return {k: [o.label for o in step.objects] for k in step.event_keys}


class SeasonObjects(BaseModel):
    model_config = ConfigDict(extra="ignore")
    objects: list[StrictStr] = Field(default_factory=list)
    season: StrictStr | None = None


@router.post("/events/{key}/actions/override-season-status", status_code=204, openapi_extra=documented(SeasonObjects))
async def override_season_status(key: str, request: Request, caller: Principal = Depends(principal)) -> None:
    """The event frees objects its season has taken, to sell them itself; use-season-status undoes it."""
    body = await read_model(request, SeasonObjects)
    await run_in_threadpool(seasons.override_season_status, database(request), caller.workspace, key, body.objects)


@router.post("/events/{key}/actions/use-season-status", status_code=204, openapi_extra=documented(SeasonObjects))
async def use_season_status(key: str, request: Request, caller: Principal = Depends(principal)) -> None:
    body = await read_model(request, SeasonObjects)
    await run_in_threadpool(seasons.use_season_status, database(request), caller.workspace, key, body.objects)


@router.post(
    "/events/{key}/actions/change-object-status",
    response_model=BestAvailableResult,
    openapi_extra=documented(EventChange),
)
async def change_event_object_status(
    key: str, request: Request, caller: Principal = Depends(principal)
) -> FastJSONResponse:
    """Best available when the body has ``bestAvailable``; otherwise a plain change on this event."""
    body = await read_model(request, EventChange)
    db = database(request)
    if body.bestAvailable is None:
        change = _change(body, [key], request)

        changed = await _change_status(request, caller, change)
        return FastJSONResponse({"objects": await run_in_threadpool(_objects, db, caller, changed)})
    wanted = body.bestAvailable
    order = BestAvailableOrder(
        event_key=key,
        number=wanted.number,
        status=_status(body),
        categories=frozenset(str(c) for c in wanted.categories) if wanted.categories else None,
        zone=wanted.zone,
        sections=frozenset(wanted.sections) if wanted.sections else None,
        accessible_seats=wanted.accessibleSeats or 0,
        try_to_prevent_orphan_seats=(
            wanted.tryToPreventOrphanSeats if wanted.tryToPreventOrphanSeats is not None else True
        ),
        hold_token=body.holdToken,
        order_id=body.orderId,
        ticket_types=tuple(wanted.ticketTypes or ()),
        extra_data=tuple(wanted.extraData or ()),
        keep_extra_data=body.keepExtraData,
        channel_keys=frozenset(body.channelKeys or ()),
        ignore_channels=body.ignoreChannels,
        origin_ip=_ip(request),
    )

    if request.app.state.settings.group_commit:
        result, details = await committer_for(db).take_best_available(caller.workspace, order, _details)
    else:

        def best() -> tuple[BestAvailableResult_, dict[str, Any]]:
            result = take_best_available(db, caller.workspace, order)
            return result, _objects(db, caller, {key: list(result.labels)})

        result, details = await run_in_threadpool(best)
    return FastJSONResponse(
        {"objects": list(result.labels), "nextToEachOther": result.next_to_each_other, "objectDetails": details}
    )


@router.get(
    "/events/{key}/objects",
    response_model=dict[str, ObjectInfoOut],
    openapi_extra=parameters(
        query("label", {"type": "array", "items": {"type": "string"}}, "Object labels", required=True)
    ),
)
def retrieve_object_infos(key: str, request: Request, caller: Principal = Depends(principal)) -> FastJSONResponse:
    labels = request.query_params.getlist("label")
    if not labels:
        raise SeatsioError(400, "VALIDATION_ERROR", "Give at least one object label (?label=...)")
    return FastJSONResponse(_objects(database(request), caller, {key: labels}))


@router.post(
    "/events/{key}/objects/{label}/actions/update-extra-data", status_code=204, openapi_extra=documented(ExtraData)
)
async def update_extra_data(key: str, label: str, request: Request, caller: Principal = Depends(principal)) -> None:
    body = await read_model(request, ExtraData)
    await run_in_threadpool(
        lambda: inventory.update_extra_data(database(request), caller.workspace, key, {label: body.extraData})
    )


@router.post("/events/{key}/actions/update-extra-data", status_code=204, openapi_extra=documented(ExtraData))
async def update_extra_datas(key: str, request: Request, caller: Principal = Depends(principal)) -> None:
    body = await read_model(request, ExtraData)
    if not body.extraData:
        raise SeatsioError(400, "VALIDATION_ERROR", "extraData must map object labels to their extra data")
    per_object: dict[str, dict[str, Any] | None] = {}
    for label, data in body.extraData.items():
        if data is not None and not isinstance(data, dict):
            raise SeatsioError(400, "VALIDATION_ERROR", f"extraData of {label} must be an object")
        per_object[label] = data
    await run_in_threadpool(lambda: inventory.update_extra_data(database(request), caller.workspace, key, per_object))
