"""The event log is written in the transaction of the change it records, lists the last 14 days only,
and costs the on-sale nothing: a status change writes no item."""

from __future__ import annotations

from datetime import timedelta

import pytest

from boxoffice.domain.errors import AlreadyExists
from boxoffice.domain.records import Workspace
from boxoffice.services import event_log
from boxoffice.services.charts import create_chart
from boxoffice.services.clock import utcnow
from boxoffice.services.inventory import book
from boxoffice.storage.uow import Database
from tests.factories import make_event, recorded_queries, small_drawing


def _types(db: Database, workspace: Workspace) -> list[str]:
    return [i.type for i in event_log.page(db, workspace, after_id=None, before_id=None, limit=100)]


def test_a_change_that_fails_leaves_no_item(db: Database) -> None:
    ws, event = make_event(db)
    assert _types(db, ws) == ["chart.created"]

    with pytest.raises(AlreadyExists):
        create_chart(db, ws, small_drawing(), key=event.chart_key)
    with db.write() as uow:
        event_log.record(uow, ws.id, "chart.published", event.chart_key)  # never committed

    assert _types(db, ws) == ["chart.created"]


def test_items_older_than_14_days_are_not_listed(db: Database) -> None:
    ws, event = make_event(db)
    with db.write() as uow:
        uow.event_log.append(ws.id, "chart.published", event.chart_key, utcnow() - timedelta(days=15))
        uow.commit()

    assert _types(db, ws) == ["chart.created"]


def test_booking_writes_nothing_to_the_event_log(db: Database) -> None:
    ws, event = make_event(db)

    with recorded_queries(db) as sent:
        book(db, ws, [event.key], ["A-1", "A-2"])

    assert sent and not [sql for sql in sent if "event_log" in sql]
    assert _types(db, ws) == ["chart.created"]
