"""Channels of an event, as the SDK's ChannelsClient calls them.

POST   /events/{key}/channels                           add one channel (an object) or several (a list)
POST   /events/{key}/channels/replace                   replace every channel of the event
POST   /events/{key}/channels/{channelKey}              update name, color, objects, areaPlaces
DELETE /events/{key}/channels/{channelKey}              remove a channel (its objects go back to general sale)
POST   /events/{key}/channels/{channelKey}/objects      add objects (and whole GA areas) to a channel
DELETE /events/{key}/channels/{channelKey}/objects      take them out again

The channels themselves are listed with the event (GET /events/{key}). ``areaPlaces`` gives a channel
places of general admission areas: its share of each, booked as ``<area>##<channel key>`` (the SDKs'
``area_partition_label``; services/channels.py).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request, Response
from pydantic import BaseModel, ConfigDict, Field, StrictStr, TypeAdapter
from starlette.concurrency import run_in_threadpool

from boxoffice.api.seatsio.auth import database, principal
from boxoffice.api.seatsio.body import Int32, Text30, Text200, Text300, body_schema, documented, json_body, read_model
from boxoffice.api.seatsio.errors import SeatsioError
from boxoffice.api.seatsio.paths import SeatsioRoute
from boxoffice.domain.records import Channel
from boxoffice.services import channels as service
from boxoffice.services.workspaces import Principal

router = APIRouter(tags=["channels"], route_class=SeatsioRoute)


class ChannelBody(BaseModel):
    model_config = ConfigDict(extra="ignore")
    key: Text200
    name: Text300
    color: Text30 | None = None
    index: Int32 | None = None
    objects: list[StrictStr] | None = None
    areaPlaces: dict[str, Int32] | None = None


class ReplaceChannels(BaseModel):
    model_config = ConfigDict(extra="ignore")
    channels: list[ChannelBody] = Field(default_factory=list)


class UpdateChannel(BaseModel):
    model_config = ConfigDict(extra="ignore")
    name: Text300 | None = None
    color: Text30 | None = None
    objects: list[StrictStr] | None = None
    areaPlaces: dict[str, Int32] | None = None


class ChannelObjects(BaseModel):
    model_config = ConfigDict(extra="ignore")
    objects: list[StrictStr] | None = None
    areaPlaces: dict[str, Int32] | None = None


_ONE_OR_MANY: TypeAdapter[ChannelBody | list[ChannelBody]] = TypeAdapter(ChannelBody | list[ChannelBody])


def _channels(bodies: list[ChannelBody]) -> list[Channel]:
    return [channel_of(b.key, b.name, b.color, b.index, b.objects, b.areaPlaces) for b in bodies]


def channel_of(
    key: str,
    name: str,
    color: str | None,
    index: int | None,
    objects: list[str] | None,
    area_places: dict[str, int] | None,
) -> Channel:
    return Channel(key, name, color or "", index, tuple(objects or ()), tuple((area_places or {}).items()))


_CHANNEL_SCHEMA = body_schema(ChannelBody)
_ONE_OR_MANY_SCHEMA = {"anyOf": [_CHANNEL_SCHEMA, {"type": "array", "items": _CHANNEL_SCHEMA}]}  # as read


@router.post("/events/{key}/channels", status_code=204, openapi_extra=documented(_ONE_OR_MANY_SCHEMA))
async def add_channels(key: str, request: Request, caller: Principal = Depends(principal)) -> Response:
    """One channel (a JSON object) or several (a JSON list of them)."""
    data = await json_body(request)
    if data is None:
        raise SeatsioError(400, "VALIDATION_ERROR", "A channel (or a list of channels) is required")
    parsed = _ONE_OR_MANY.validate_python(data)
    bodies = parsed if isinstance(parsed, list) else [parsed]
    if not bodies:
        raise SeatsioError(400, "VALIDATION_ERROR", "At least one channel is required")
    await run_in_threadpool(service.add_channels, database(request), caller.workspace, key, _channels(bodies))
    return Response(status_code=204)


@router.post("/events/{key}/channels/replace", status_code=204, openapi_extra=documented(ReplaceChannels))
async def replace_channels(key: str, request: Request, caller: Principal = Depends(principal)) -> Response:
    """Every channel of the event, replaced by these (none: the event has no channels any more)."""
    data = await json_body(request)
    if isinstance(data, dict) and isinstance(data.get("channels"), dict):  # older SDKs: {key: properties}
        data = {"channels": [_keyed(k, v) for k, v in data["channels"].items()]}
    body = ReplaceChannels.model_validate(data or {})
    await run_in_threadpool(
        service.replace_channels, database(request), caller.workspace, key, _channels(body.channels)
    )
    return Response(status_code=204)


def _keyed(key: str, properties: Any) -> Any:
    return {**properties, "key": key} if isinstance(properties, dict) else properties


@router.post("/events/{key}/channels/{channel_key}", status_code=204, openapi_extra=documented(UpdateChannel))
async def update_channel(
    key: str, channel_key: str, request: Request, caller: Principal = Depends(principal)
) -> Response:
    body = await read_model(request, UpdateChannel)
    await run_in_threadpool(
        service.update_channel,
        database(request),
        caller.workspace,
        key,
        channel_key,
        name=body.name,
        color=body.color,
        objects=body.objects,
        area_places=body.areaPlaces,
    )
    return Response(status_code=204)


@router.delete("/events/{key}/channels/{channel_key}", status_code=204)
def remove_channel(key: str, channel_key: str, request: Request, caller: Principal = Depends(principal)) -> Response:
    service.remove_channel(database(request), caller.workspace, key, channel_key)
    return Response(status_code=204)


@router.post("/events/{key}/channels/{channel_key}/objects", status_code=204, openapi_extra=documented(ChannelObjects))
async def add_objects(key: str, channel_key: str, request: Request, caller: Principal = Depends(principal)) -> Response:
    body = await read_model(request, ChannelObjects)
    await run_in_threadpool(
        service.add_objects,
        database(request),
        caller.workspace,
        key,
        channel_key,
        body.objects or [],
        area_places=body.areaPlaces,
    )
    return Response(status_code=204)


@router.delete(
    "/events/{key}/channels/{channel_key}/objects", status_code=204, openapi_extra=documented(ChannelObjects)
)
async def remove_objects(
    key: str, channel_key: str, request: Request, caller: Principal = Depends(principal)
) -> Response:
    body = await read_model(request, ChannelObjects)
    await run_in_threadpool(
        service.remove_objects,
        database(request),
        caller.workspace,
        key,
        channel_key,
        body.objects or [],
        area_places=body.areaPlaces,
    )
    return Response(status_code=204)
