"""Parsed layouts, cached per (chart, published version): parsing a 100k-seat chart is not per-request work.

The key also holds the chart's creation time: chart ids repeat across databases (a test's fresh file, a
truncated schema), and a layout cached for one database must never serve another's chart 1.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from datetime import datetime

from boxoffice.domain.best_available import SeatIndex
from boxoffice.domain.charts import parse_chart
from boxoffice.domain.layout import Layout
from boxoffice.domain.records import Event
from boxoffice.storage.uow import UnitOfWork

_MAX = 64
_Key = tuple[int, int, datetime | None]
_cache: OrderedDict[_Key, tuple[Layout, SeatIndex | None]] = OrderedDict()
_lock = threading.Lock()
_builders: dict[_Key, threading.Lock] = {}


def _key(uow: UnitOfWork, chart_id: int, version: int, created_at: datetime | None) -> _Key:
    if created_at is None:
        chart = uow.charts.by_id(chart_id)
        created_at = chart.created_at if chart is not None else None
    return (chart_id, version, created_at)


def _building(key: _Key) -> threading.Lock:
    """The lock one thread holds while it parses (or indexes) this layout: the others wait for its result
    rather than each read and parse the same multi-megabyte chart (the first requests of an on-sale arrive
    together: a dozen threads parsing at once took seconds each)."""
    with _lock:
        return _builders.setdefault(key, threading.Lock())


def layout_for_chart(uow: UnitOfWork, chart_id: int, version: int, *, created_at: datetime | None = None) -> Layout:
    key = _key(uow, chart_id, version, created_at)
    with _lock:
        hit = _cache.get(key)
        if hit is not None:
            _cache.move_to_end(key)
            return hit[0]
    with _building(key):
        with _lock:
            hit = _cache.get(key)  # built by the thread this one waited for
            if hit is not None:
                return hit[0]
        layout = parse_chart(uow.charts.published_drawing(chart_id))
        with _lock:
            _cache[key] = (layout, None)
            while len(_cache) > _MAX:
                evicted, _ = _cache.popitem(last=False)
                _builders.pop(evicted, None)
    return layout


def layout_for_event(uow: UnitOfWork, chart_id: int) -> Layout:
    chart = uow.charts.by_id(chart_id)
    assert chart is not None, "an event always has its chart"
    return layout_for_chart(uow, chart_id, chart.published_version, created_at=chart.created_at)


def layout_of(uow: UnitOfWork, event: Event) -> Layout:
    """The event's layout, keyed by the chart version read with the event (no second read of the chart)."""
    if event.chart_version is None or event.chart_created_at is None:
        return layout_for_event(uow, event.chart_id)
    return layout_for_chart(uow, event.chart_id, event.chart_version, created_at=event.chart_created_at)


def seat_index_of(uow: UnitOfWork, event: Event) -> SeatIndex:
    if event.chart_version is None or event.chart_created_at is None:
        return seat_index_for_event(uow, event.chart_id)
    return _seat_index(uow, event.chart_id, event.chart_version, event.chart_created_at)


def seat_index_for_event(uow: UnitOfWork, chart_id: int) -> SeatIndex:
    chart = uow.charts.by_id(chart_id)
    assert chart is not None
    return _seat_index(uow, chart_id, chart.published_version, chart.created_at)


def _seat_index(uow: UnitOfWork, chart_id: int, version: int, created_at: datetime | None) -> SeatIndex:
    key = _key(uow, chart_id, version, created_at)
    layout = layout_for_chart(uow, chart_id, version, created_at=created_at)
    with _lock:
        entry = _cache.get(key)
        if entry is not None and entry[1] is not None:
            return entry[1]
    with _building(key):
        with _lock:
            entry = _cache.get(key)
            if entry is not None and entry[1] is not None:
                return entry[1]
        index = SeatIndex.build(layout)
        with _lock:
            _cache[key] = (layout, index)
    return index
