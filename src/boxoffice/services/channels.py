"""Channels: reserved allocations of an event's objects, taken only by callers with the channel's key."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from boxoffice.domain.errors import AlreadyExists, ChannelNotFound, InvalidInput, ObjectNotFound
from boxoffice.domain.event_log import EVENT_CHANNELS_UPDATED
from boxoffice.domain.layout import ObjectType
from boxoffice.domain.records import Channel, Event, Workspace
from boxoffice.services.event_log import record
from boxoffice.services.events import require_event, require_locked_event
from boxoffice.storage.uow import Database, UnitOfWork


def _check_objects(uow: UnitOfWork, event: Event, labels: Sequence[str]) -> None:
    if not labels:
        return
    found = uow.objects.get(event.id, labels)
    missing = [label for label in labels if label not in found]
    if missing:
        raise ObjectNotFound(missing, event.key)


def whole_areas(uow: UnitOfWork, event: Event, area_places: Mapping[str, int] | None) -> list[str]:
    """General admission areas named with a number of places (seats.io's ``areaPlaces``).

    An object belongs to at most one channel, so a channel holds a GA area whole or not at all: the number
    of places must be the area's capacity.
    """
    if not area_places:
        return []
    labels = list(area_places)
    found = uow.objects.get(event.id, labels)
    missing = [label for label in labels if label not in found]
    if missing:
        raise ObjectNotFound(missing, event.key)
    for label, places in area_places.items():
        row = found[label]
        if row.object_type != ObjectType.GENERAL_ADMISSION:
            raise InvalidInput(f"areaPlaces is for general admission areas; {label} is a {row.object_type}")
        if places != row.capacity:
            raise InvalidInput(
                f"A channel holds whole general admission areas only: {label} has {row.capacity} places, "
                f"{places} were given. Give its capacity ({row.capacity}) or name it in objects"
            )
    return labels


def assign_channels(
    uow: UnitOfWork,
    event: Event,
    channels: Sequence[Channel],
    *,
    replace: bool,
    area_places: Mapping[str, Mapping[str, int]] | None = None,
) -> None:
    """`area_places`: per channel key, whole GA areas by places (see `whole_areas`)."""
    keys = [c.key for c in channels]
    if len(set(keys)) != len(keys):
        raise InvalidInput("Channel keys must be unique")
    for channel in channels:
        if not channel.key or not channel.name:
            raise InvalidInput("A channel needs a key and a name")
    if replace:
        uow.objects.clear_channel(event.id)
        uow.channels.remove_all(event.id)
    for channel in channels:
        if not replace and uow.channels.get(event.id, channel.key) is not None:
            raise AlreadyExists(f"Channel {channel.key} already exists")
        uow.channels.add(event.id, channel)
        _check_objects(uow, event, channel.objects)
        members = [*channel.objects, *whole_areas(uow, event, (area_places or {}).get(channel.key))]
        if members:
            uow.objects.set_attributes(event.id, members, channel_key=channel.key)


def list_channels(db: Database, workspace: Workspace, event_key: str) -> list[Channel]:
    with db.read() as uow:
        event = require_event(uow, workspace, event_key)
        return uow.channels.list(event.id)


def add_channels(
    db: Database,
    workspace: Workspace,
    event_key: str,
    channels: Sequence[Channel],
    *,
    area_places: Mapping[str, Mapping[str, int]] | None = None,
) -> None:
    with db.write() as uow:
        event = require_locked_event(uow, workspace, event_key)
        assign_channels(uow, event, channels, replace=False, area_places=area_places)
        record(uow, workspace.id, EVENT_CHANNELS_UPDATED, event.key)
        uow.commit()


def replace_channels(
    db: Database,
    workspace: Workspace,
    event_key: str,
    channels: Sequence[Channel],
    *,
    area_places: Mapping[str, Mapping[str, int]] | None = None,
) -> None:
    with db.write() as uow:
        event = require_locked_event(uow, workspace, event_key)
        assign_channels(uow, event, channels, replace=True, area_places=area_places)
        record(uow, workspace.id, EVENT_CHANNELS_UPDATED, event.key)
        uow.commit()


def update_channel(
    db: Database,
    workspace: Workspace,
    event_key: str,
    channel_key: str,
    *,
    name: str | None = None,
    color: str | None = None,
    objects: Sequence[str] | None = None,
    area_places: Mapping[str, int] | None = None,
) -> None:
    """`objects` replaces the channel's objects, `area_places` its whole GA areas; either one alone keeps
    the other part as it is."""
    with db.write() as uow:
        event = require_locked_event(uow, workspace, event_key)
        if uow.channels.get(event.id, channel_key) is None:
            raise ChannelNotFound(f"Channel not found: {channel_key}")
        values = {k: v for k, v in (("name", name), ("color", color)) if v is not None}
        if values:
            uow.channels.update(event.id, channel_key, **values)
        if objects is not None or area_places is not None:
            current = uow.objects.labels_in_channel(event.id, channel_key)
            rows = uow.objects.get(event.id, current)
            areas = {label for label, row in rows.items() if row.object_type == ObjectType.GENERAL_ADMISSION}
            if objects is None:
                objects = [label for label in current if label not in areas]
            _check_objects(uow, event, objects)
            members = [
                *objects,
                *(whole_areas(uow, event, area_places) if area_places is not None else sorted(areas)),
            ]
            uow.objects.clear_channel(event.id, channel_key)
            uow.objects.set_attributes(event.id, members, channel_key=channel_key)
        record(uow, workspace.id, EVENT_CHANNELS_UPDATED, event.key)
        uow.commit()


def remove_channel(db: Database, workspace: Workspace, event_key: str, channel_key: str) -> None:
    with db.write() as uow:
        event = require_locked_event(uow, workspace, event_key)
        if uow.channels.get(event.id, channel_key) is None:
            raise ChannelNotFound(f"Channel not found: {channel_key}")
        uow.objects.clear_channel(event.id, channel_key)
        uow.channels.remove(event.id, channel_key)
        record(uow, workspace.id, EVENT_CHANNELS_UPDATED, event.key)
        uow.commit()


def add_objects(
    db: Database,
    workspace: Workspace,
    event_key: str,
    channel_key: str,
    labels: Sequence[str],
    *,
    area_places: Mapping[str, int] | None = None,
) -> None:
    """Objects join the channel (leaving any other channel: an object is in at most one)."""
    with db.write() as uow:
        event = require_locked_event(uow, workspace, event_key)
        if uow.channels.get(event.id, channel_key) is None:
            raise ChannelNotFound(f"Channel not found: {channel_key}")
        _check_objects(uow, event, labels)
        labels = [*labels, *whole_areas(uow, event, area_places)]
        uow.objects.set_attributes(event.id, labels, channel_key=channel_key)
        record(uow, workspace.id, EVENT_CHANNELS_UPDATED, event.key)
        uow.commit()


def remove_objects(
    db: Database,
    workspace: Workspace,
    event_key: str,
    channel_key: str,
    labels: Sequence[str],
    *,
    area_places: Mapping[str, int] | None = None,
) -> None:
    with db.write() as uow:
        event = require_locked_event(uow, workspace, event_key)
        if uow.channels.get(event.id, channel_key) is None:
            raise ChannelNotFound(f"Channel not found: {channel_key}")
        _check_objects(uow, event, labels)
        labels = [*labels, *whole_areas(uow, event, area_places)]
        in_channel = set(uow.objects.labels_in_channel(event.id, channel_key))
        uow.objects.set_attributes(event.id, [label for label in labels if label in in_channel], channel_key=None)
        record(uow, workspace.id, EVENT_CHANNELS_UPDATED, event.key)
        uow.commit()
