"""seats.io's event log: changes made to a workspace's charts and events, as items of a few types.

Object status changes (holds, bookings) are not in it: they have their own log (the status changes).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

CHART_CREATED = "chart.created"
CHART_PUBLISHED = "chart.published"  # a draft published, or a chart no event uses saved
EVENT_FOR_SALE_CONFIG_UPDATED = "event.for.sale.config.updated"
EVENT_CHANNELS_UPDATED = "event.channels.updated"
EVENT_CATEGORIES_UPDATED = "event.categories.updated"
EVENT_TABLE_BOOKING_CONFIG_UPDATED = "event.table.booking.config.updated"

KEPT_FOR = timedelta(days=14)  # older items are not listed


@dataclass(frozen=True, slots=True)
class EventLogItem:
    id: int
    type: str
    subject_key: str  # the chart's key for chart.*, the event's for event.*
    created_at: datetime


def listed_since(now: datetime) -> datetime:
    """The oldest moment an item listed at `now` may have."""
    return now - KEPT_FOR
