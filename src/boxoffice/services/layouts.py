"""Parsed layouts, cached per (chart, published version): parsing a 100k-seat chart is not per-request work."""

from __future__ import annotations

import threading
from collections import OrderedDict

from boxoffice.domain.best_available import SeatIndex
from boxoffice.domain.charts import parse_chart
from boxoffice.domain.layout import Layout
from boxoffice.storage.uow import UnitOfWork

_MAX = 64
_cache: OrderedDict[tuple[int, int], tuple[Layout, SeatIndex | None]] = OrderedDict()
_lock = threading.Lock()


def layout_for_chart(uow: UnitOfWork, chart_id: int, version: int) -> Layout:
    key = (chart_id, version)
    with _lock:
        hit = _cache.get(key)
        if hit is not None:
            _cache.move_to_end(key)
            return hit[0]
    layout = parse_chart(uow.charts.published_drawing(chart_id))
    with _lock:
        _cache[key] = (layout, None)
        while len(_cache) > _MAX:
            _cache.popitem(last=False)
    return layout


def layout_for_event(uow: UnitOfWork, chart_id: int) -> Layout:
    chart = uow.charts.by_id(chart_id)
    assert chart is not None, "an event always has its chart"
    return layout_for_chart(uow, chart_id, chart.published_version)


def seat_index_for_event(uow: UnitOfWork, chart_id: int) -> SeatIndex:
    chart = uow.charts.by_id(chart_id)
    assert chart is not None
    key = (chart_id, chart.published_version)
    layout = layout_for_chart(uow, chart_id, chart.published_version)
    with _lock:
        entry = _cache.get(key)
        if entry is not None and entry[1] is not None:
            return entry[1]
    index = SeatIndex.build(layout)
    with _lock:
        _cache[key] = (layout, index)
    return index
