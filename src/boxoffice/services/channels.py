"""Channels: reserved allocations of an event's objects, taken only by callers with the channel's key.

A channel holds objects whole (seats, tables, booths, whole GA areas) and, by seats.io's ``areaPlaces``,
a number of places of a general admission area: its **share**, an area of its own labelled
``<area>##<channel key>`` (`domain.areas.share_label`) that only the channel's callers take. The area counts
the places moved out (`places_in_channels`), so its free places and a share's together never exceed the
area's capacity. Places move into a share only while free and for sale in the area, and out of it only while
untaken; a change that cannot move them is refused whole (`AreaPlacesUnavailable`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from boxoffice.domain.areas import Allocation, share_label
from boxoffice.domain.errors import (
    AlreadyExists,
    AreaPlacesUnavailable,
    ChannelNotFound,
    InvalidInput,
    ObjectNotFound,
)
from boxoffice.domain.event_log import EVENT_CHANNELS_UPDATED
from boxoffice.domain.layout import ObjectType
from boxoffice.domain.records import Channel, Event, Workspace
from boxoffice.jobs.holds import release_lapsed
from boxoffice.services.clock import utcnow
from boxoffice.services.event_log import record
from boxoffice.services.events import require_event, require_locked_event
from boxoffice.services.layouts import layout_for_event
from boxoffice.storage.objects import NewObject, ObjectRow
from boxoffice.storage.uow import Database, UnitOfWork

MAX_LABEL = 300  # an object's label, a share's too (storage/tables.py)


def _check_objects(uow: UnitOfWork, event: Event, labels: Sequence[str]) -> None:
    if not labels:
        return
    found = uow.objects.get(event.id, labels)
    missing = [label for label in labels if label not in found or found[label].partition_of is not None]
    if missing:
        raise ObjectNotFound(missing, event.key)


def _check_places(area_places: Mapping[str, int], *, least: int) -> None:
    for label, places in area_places.items():
        if isinstance(places, bool) or not isinstance(places, int) or places < least:
            raise InvalidInput(f"areaPlaces: the places of {label} must be a whole number of at least {least}")


def _shares_of(uow: UnitOfWork, event: Event, channel_key: str) -> dict[str, int]:
    """The channel's shares: places by GA area."""
    return {area: places for _, area, _, places in uow.objects.shares(event.id, channel_key)}


def _resize_shares(uow: UnitOfWork, event: Event, wanted: Mapping[tuple[str, str], int], now: datetime) -> None:
    """Make each (channel key, GA area) share hold the wanted places (0: none). Shrinking goes first, so
    places one channel gives back can move to another in the same change; areas in label order."""
    if any(wanted.values()) and (event.is_season or event.top_level_season_id is not None):
        raise InvalidInput("Part of a general admission area in a channel is not supported in seasons")
    current = {(key, area): places for _, area, key, places in uow.objects.shares(event.id)}
    changes = [(area, key, places) for (key, area), places in wanted.items() if current.get((key, area), 0) != places]
    if not changes:
        return
    # every row involved locked up front in label order, as bookings lock theirs: no deadlock between them
    _lock_rows(uow, event.id, sorted({label for area, key, _ in changes for label in (area, share_label(area, key))}))
    changes.sort(key=lambda c: (c[2] > current.get((c[1], c[0]), 0), c[0], c[1]))
    for area, key, places in changes:
        _resize_share(uow, event, key, area, places, now)


def resize_shares(uow: UnitOfWork, event: Event, wanted: Mapping[tuple[str, str], int], now: datetime) -> None:
    """`_resize_shares` for other use cases on channels (agent locks: services/agent_locks.py), in their
    own unit of work: refused whole (`AreaPlacesUnavailable`) if any share cannot be resized."""
    _resize_shares(uow, event, wanted, now)


def _lock_rows(uow: UnitOfWork, event_id: int, labels: list[str]) -> dict[str, ObjectRow]:
    """Places move only between rows locked as a booking locks them (in label order, an area before its
    shares: ``GA`` sorts before ``GA##…``), so no booking can take a place the move counted as free."""
    return uow.objects.lock(event_id, labels)


def _places(
    uow: UnitOfWork, event_id: int, labels: list[str], now: datetime
) -> tuple[dict[str, ObjectRow], dict[str, list[Allocation]]]:
    """The rows of an area and its share, locked, and their places as they stand."""
    rows = _lock_rows(uow, event_id, labels)
    allocations = uow.objects.allocations(event_id, labels)
    if any(a.lapsed(now) for held in allocations.values() for a in held):
        # lapsed holds tidied first (and logged), as a booking does: stored places are then the taken ones,
        # and the area's and its shares' together stay within its capacity in the log as in the rows
        release_lapsed(uow, [(event_id, label) for label in labels], now, origin="EXPIRY")
        allocations = uow.objects.allocations(event_id, labels)
    return rows, allocations


def _resize_share(uow: UnitOfWork, event: Event, channel_key: str, area_label: str, places: int, now: datetime) -> None:
    label = share_label(area_label, channel_key)
    if len(label) > MAX_LABEL:
        raise InvalidInput(f"The label of channel {channel_key}'s share of {area_label} would be too long: {label}")
    rows, allocations = _places(uow, event.id, [area_label, label], now)
    area = rows.get(area_label)
    if area is None or area.partition_of is not None:
        raise ObjectNotFound([area_label], event.key)
    if area.object_type != ObjectType.GENERAL_ADMISSION:
        raise InvalidInput(f"areaPlaces is for general admission areas; {area_label} is a {area.object_type}")
    drawn = layout_for_event(uow, event.chart_id).objects.get(area_label)
    if drawn is not None and drawn.book_as_a_whole:
        raise InvalidInput(f"{area_label} is booked as a whole: name it in objects to put it in a channel")
    share = rows.get(label)
    if share is not None and share.partition_of != area_label:
        raise InvalidInput(f"{label} is an object of the chart, not a channel's share of {area_label}")
    have = share.capacity if share is not None else 0
    grow = places - have
    if grow > 0:
        if area.state.channel_key is not None:
            raise AreaPlacesUnavailable(f"{area_label} is in channel {area.state.channel_key} as a whole")
        free = area.area(allocations.get(area_label, ())).free_places(now) if area.state.for_sale else 0
        if grow > free:
            raise AreaPlacesUnavailable(
                f"{area_label} has {free} places free and for sale to move into channel {channel_key}, {grow} asked"
            )
    elif share is not None:
        taken = have - share.area(allocations.get(label, ())).untaken_places(now)
        if places < taken:
            raise AreaPlacesUnavailable(
                f"{taken} places of {area_label} in channel {channel_key} are taken: its share cannot be {places}"
            )
    uow.objects.set_area_places(event.id, area_label, in_channels=area.places_in_channels + grow)
    if share is None:
        uow.objects.add_many(
            event.id,
            [
                NewObject(
                    label,
                    ObjectType.GENERAL_ADMISSION,
                    area.category_key,
                    area.section,
                    places,
                    channel_key=channel_key,
                    partition_of=area_label,
                )
            ],
        )
    elif places == 0:
        uow.objects.remove_share(event.id, label)
    else:
        uow.objects.set_area_places(event.id, label, capacity=places)


def assign_channels(uow: UnitOfWork, event: Event, channels: Sequence[Channel], *, replace: bool) -> None:
    """Add `channels` (or make them the event's only ones, with `replace`), with their objects and shares."""
    keys = [c.key for c in channels]
    if len(set(keys)) != len(keys):
        raise InvalidInput("Channel keys must be unique")
    for channel in channels:
        if not channel.key or not channel.name:
            raise InvalidInput("A channel needs a key and a name")
        _check_places(dict(channel.area_places), least=0)
    wanted: dict[tuple[str, str], int] = {}
    if replace:
        wanted = {(key, area): 0 for _, area, key, _ in uow.objects.shares(event.id)}
        uow.objects.clear_channel(event.id)
        uow.channels.remove_all(event.id)
    for channel in channels:
        if not replace and uow.channels.get(event.id, channel.key) is not None:
            raise AlreadyExists(f"Channel {channel.key} already exists")
        uow.channels.add(event.id, channel)
        _check_objects(uow, event, channel.objects)
        if channel.objects:
            uow.objects.set_attributes(event.id, channel.objects, channel_key=channel.key)
        wanted.update({(channel.key, area): places for area, places in channel.area_places})
    _resize_shares(uow, event, wanted, utcnow())


def list_channels(db: Database, workspace: Workspace, event_key: str) -> list[Channel]:
    with db.read() as uow:
        event = require_event(uow, workspace, event_key)
        return uow.channels.list(event.id)


def add_channels(db: Database, workspace: Workspace, event_key: str, channels: Sequence[Channel]) -> None:
    with db.write() as uow:
        event = require_locked_event(uow, workspace, event_key)
        assign_channels(uow, event, channels, replace=False)
        record(uow, workspace.id, EVENT_CHANNELS_UPDATED, event.key)
        uow.commit()


def replace_channels(db: Database, workspace: Workspace, event_key: str, channels: Sequence[Channel]) -> None:
    with db.write() as uow:
        event = require_locked_event(uow, workspace, event_key)
        assign_channels(uow, event, channels, replace=True)
        record(uow, workspace.id, EVENT_CHANNELS_UPDATED, event.key)
        uow.commit()


def _require_channel(uow: UnitOfWork, event: Event, channel_key: str) -> None:
    if uow.channels.get(event.id, channel_key) is None:
        raise ChannelNotFound(f"Channel not found: {channel_key}")


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
    """`objects` replaces the channel's objects, `area_places` its shares of GA areas (an area left out
    gives its places back); either one alone keeps the other part as it is."""
    with db.write() as uow:
        event = require_locked_event(uow, workspace, event_key)
        _require_channel(uow, event, channel_key)
        values = {k: v for k, v in (("name", name), ("color", color)) if v is not None}
        if values:
            uow.channels.update(event.id, channel_key, **values)
        if objects is not None:
            _check_objects(uow, event, objects)
            uow.objects.clear_channel(event.id, channel_key)
            uow.objects.set_attributes(event.id, objects, channel_key=channel_key)
        if area_places is not None:
            _check_places(area_places, least=0)
            wanted = {(channel_key, area): 0 for area in _shares_of(uow, event, channel_key)}
            wanted.update({(channel_key, area): places for area, places in area_places.items()})
            _resize_shares(uow, event, wanted, utcnow())
        record(uow, workspace.id, EVENT_CHANNELS_UPDATED, event.key)
        uow.commit()


def remove_channel(db: Database, workspace: Workspace, event_key: str, channel_key: str) -> None:
    """Its objects go back to general sale, and its shares' places to their areas (refused while taken)."""
    with db.write() as uow:
        event = require_locked_event(uow, workspace, event_key)
        _require_channel(uow, event, channel_key)
        _resize_shares(uow, event, {(channel_key, area): 0 for area in _shares_of(uow, event, channel_key)}, utcnow())
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
    """Objects join the channel (leaving any other channel: an object is in at most one); `area_places`
    adds places to the channel's shares of GA areas."""
    with db.write() as uow:
        event = require_locked_event(uow, workspace, event_key)
        _require_channel(uow, event, channel_key)
        _check_objects(uow, event, labels)
        if labels:
            uow.objects.set_attributes(event.id, labels, channel_key=channel_key)
        if area_places:
            _check_places(area_places, least=1)
            have = _shares_of(uow, event, channel_key)
            wanted = {(channel_key, area): have.get(area, 0) + places for area, places in area_places.items()}
            _resize_shares(uow, event, wanted, utcnow())
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
    """Objects of the channel go back to general sale (others named are left as they are); `area_places`
    gives places of the channel's shares back to their areas (at most what a share holds)."""
    with db.write() as uow:
        event = require_locked_event(uow, workspace, event_key)
        _require_channel(uow, event, channel_key)
        _check_objects(uow, event, labels)
        in_channel = set(uow.objects.labels_in_channel(event.id, channel_key))
        leaving = [label for label in labels if label in in_channel]
        if leaving:
            uow.objects.set_attributes(event.id, leaving, channel_key=None)
        if area_places:
            _check_places(area_places, least=1)
            _check_objects(uow, event, list(area_places))
            have = _shares_of(uow, event, channel_key)
            wanted = {
                (channel_key, area): max(0, have[area] - places) for area, places in area_places.items() if area in have
            }
            _resize_shares(uow, event, wanted, utcnow())
        record(uow, workspace.id, EVENT_CHANNELS_UPDATED, event.key)
        uow.commit()
