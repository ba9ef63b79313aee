"""Channels: reserved allocations of an event's objects, taken only by callers with the channel's key."""

from __future__ import annotations

from collections.abc import Sequence

from boxoffice.domain.errors import AlreadyExists, ChannelNotFound, InvalidInput, ObjectNotFound
from boxoffice.domain.records import Channel, Event, Workspace
from boxoffice.services.events import require_event
from boxoffice.storage.uow import Database, UnitOfWork


def _check_objects(uow: UnitOfWork, event: Event, labels: Sequence[str]) -> None:
    if not labels:
        return
    found = uow.objects.get(event.id, labels)
    missing = [label for label in labels if label not in found]
    if missing:
        raise ObjectNotFound(missing, event.key)


def assign_channels(uow: UnitOfWork, event: Event, channels: Sequence[Channel], *, replace: bool) -> None:
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
        if channel.objects:
            uow.objects.set_attributes(event.id, channel.objects, channel_key=channel.key)


def list_channels(db: Database, workspace: Workspace, event_key: str) -> list[Channel]:
    with db.read() as uow:
        event = require_event(uow, workspace, event_key)
        return uow.channels.list(event.id)


def add_channels(db: Database, workspace: Workspace, event_key: str, channels: Sequence[Channel]) -> None:
    with db.write() as uow:
        event = require_event(uow, workspace, event_key)
        assign_channels(uow, event, channels, replace=False)
        uow.commit()


def replace_channels(db: Database, workspace: Workspace, event_key: str, channels: Sequence[Channel]) -> None:
    with db.write() as uow:
        event = require_event(uow, workspace, event_key)
        assign_channels(uow, event, channels, replace=True)
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
) -> None:
    with db.write() as uow:
        event = require_event(uow, workspace, event_key)
        if uow.channels.get(event.id, channel_key) is None:
            raise ChannelNotFound(f"Channel not found: {channel_key}")
        values = {k: v for k, v in (("name", name), ("color", color)) if v is not None}
        if values:
            uow.channels.update(event.id, channel_key, **values)
        if objects is not None:
            _check_objects(uow, event, objects)
            uow.objects.clear_channel(event.id, channel_key)
            uow.objects.set_attributes(event.id, objects, channel_key=channel_key)
        uow.commit()


def remove_channel(db: Database, workspace: Workspace, event_key: str, channel_key: str) -> None:
    with db.write() as uow:
        event = require_event(uow, workspace, event_key)
        if uow.channels.get(event.id, channel_key) is None:
            raise ChannelNotFound(f"Channel not found: {channel_key}")
        uow.objects.clear_channel(event.id, channel_key)
        uow.channels.remove(event.id, channel_key)
        uow.commit()


def add_objects(db: Database, workspace: Workspace, event_key: str, channel_key: str, labels: Sequence[str]) -> None:
    """Objects join the channel (leaving any other channel: an object is in at most one)."""
    with db.write() as uow:
        event = require_event(uow, workspace, event_key)
        if uow.channels.get(event.id, channel_key) is None:
            raise ChannelNotFound(f"Channel not found: {channel_key}")
        _check_objects(uow, event, labels)
        uow.objects.set_attributes(event.id, labels, channel_key=channel_key)
        uow.commit()


def remove_objects(db: Database, workspace: Workspace, event_key: str, channel_key: str, labels: Sequence[str]) -> None:
    with db.write() as uow:
        event = require_event(uow, workspace, event_key)
        if uow.channels.get(event.id, channel_key) is None:
            raise ChannelNotFound(f"Channel not found: {channel_key}")
        _check_objects(uow, event, labels)
        in_channel = set(uow.objects.labels_in_channel(event.id, channel_key))
        uow.objects.set_attributes(event.id, [label for label in labels if label in in_channel], channel_key=None)
        uow.commit()
