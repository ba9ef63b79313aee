"""services/layouts: a chart is parsed (and indexed) once per version, however many threads ask at once."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest

from boxoffice.domain.best_available import SeatIndex
from boxoffice.domain.charts import parse_chart
from boxoffice.services import layouts
from boxoffice.storage.uow import Database
from tests.factories import make_event

THREADS = 12


def test_many_threads_asking_at_once_parse_and_index_the_chart_once(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, event = make_event(db)
    parses: list[int] = []
    builds: list[int] = []
    real_build = SeatIndex.build

    def slow_parse(drawing: Any) -> Any:
        parses.append(1)
        time.sleep(0.05)  # a big chart: long enough for every thread to arrive while it is parsed
        return parse_chart(drawing)

    def slow_build(layout: Any) -> SeatIndex:
        builds.append(1)
        time.sleep(0.05)
        return real_build(layout)

    monkeypatch.setattr("boxoffice.services.layouts.parse_chart", slow_parse)
    monkeypatch.setattr(SeatIndex, "build", staticmethod(slow_build))
    layouts._cache.clear()
    start = threading.Barrier(THREADS)
    found: list[tuple[object, object]] = []

    def ask() -> None:
        start.wait(timeout=30)  # before taking a connection: a thread waiting here never holds one another needs
        with db.read() as uow:
            found.append((layouts.layout_of(uow, event), layouts.seat_index_of(uow, event)))

    threads = [threading.Thread(target=ask) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert not any(thread.is_alive() for thread in threads)

    assert (len(parses), len(builds)) == (1, 1)
    assert len(found) == THREADS
    assert len({id(layout) for layout, _ in found}) == 1
    assert len({id(index) for _, index in found}) == 1
