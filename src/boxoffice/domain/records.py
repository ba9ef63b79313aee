"""Plain records of the things the engine keeps: workspaces, charts, events, hold tokens, channels, log."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass(frozen=True, slots=True)
class Company:
    id: int
    name: str


@dataclass(frozen=True, slots=True)
class Workspace:
    id: int
    company_id: int
    key: str
    name: str
    is_test: bool = False
    is_default: bool = False
    is_active: bool = True


@dataclass(frozen=True, slots=True)
class Chart:
    id: int
    workspace_id: int
    key: str
    name: str
    published_version: int
    has_draft: bool
    tags: tuple[str, ...] = ()
    archived: bool = False
    created_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Event:
    id: int
    workspace_id: int
    key: str
    chart_id: int
    chart_key: str
    name: str | None = None
    date: str | None = None
    settings: dict[str, Any] = field(default_factory=dict)
    created_at: datetime | None = None
    updated_at: datetime | None = None
    # The chart's published version and creation time as read with the event: the layout cache's key,
    # so a change need not read the chart row again.
    chart_version: int | None = None
    chart_created_at: datetime | None = None
    availability_version: int = 0  # moves when seats become (un)selectable without a log entry
    season_kind: str | None = None  # seats.io seasons: TOP_LEVEL or PARTIAL (domain/seasons.py); None: an event
    top_level_season_id: int | None = None  # a partial season's, or the season an event belongs to

    @property
    def is_season(self) -> bool:
        return self.season_kind is not None


@dataclass(frozen=True, slots=True)
class HoldToken:
    token: str
    workspace_id: int
    created_at: datetime
    expires_at: datetime

    def expired(self, now: datetime) -> bool:
        return self.expires_at <= now

    def seconds_left(self, now: datetime) -> int:
        return max(0, int((self.expires_at - now).total_seconds()))


@dataclass(frozen=True, slots=True)
class Channel:
    key: str
    name: str
    color: str = ""
    position: int | None = None  # seats.io's optional index: the order the channels are listed in
    objects: tuple[str, ...] = ()
    area_places: tuple[tuple[str, int], ...] = ()  # (GA area, places): the channel's shares of areas


@dataclass(frozen=True, slots=True)
class StatusChangeRecord:
    id: int
    event_id: int
    label: str
    status: str
    previous_status: str
    quantity: int
    hold_token: str | None
    order_id: str | None
    ticket_type: str | None
    channel_key: str | None
    extra_data: dict[str, Any] | None
    origin: str
    origin_ip: str | None
    created_at: datetime
