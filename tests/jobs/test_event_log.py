"""event_log.prune forgets what the event log no longer lists (items older than 14 days), and only that."""

from __future__ import annotations

from datetime import datetime, timedelta

from boxoffice.domain.records import Workspace
from boxoffice.jobs.event_log import prune
from boxoffice.services import event_log
from boxoffice.services.clock import utcnow
from boxoffice.storage.uow import Database
from tests.factories import make_event, make_workspace


def _append(db: Database, workspace: Workspace, subject: str, at: datetime) -> None:
    with db.write() as uow:
        uow.event_log.append(workspace.id, "event.channels.updated", subject, at)
        uow.commit()


def _stored(db: Database, workspace: Workspace) -> list[str]:
    """Every stored item's subject, listed or not."""
    with db.read() as uow:
        since = utcnow() - timedelta(days=3650)
        items = uow.event_log.page(workspace.id, since=since, after_id=None, before_id=None, limit=100)
    return [i.subject_key for i in items]


def test_prune_deletes_items_older_than_14_days_in_every_workspace(db: Database) -> None:
    now = utcnow()
    ws, event = make_event(db)
    other = make_workspace(db)
    for days in (30, 15, 14.01):
        _append(db, ws, f"old-{days}", now - timedelta(days=days))
    _append(db, ws, "kept", now - timedelta(days=13, hours=23))
    _append(db, other, "old-other", now - timedelta(days=20))
    _append(db, other, "kept-other", now - timedelta(days=1))

    assert prune(db, now=now, batch=2) == 4  # three batches: 2, 2, 0

    assert _stored(db, ws) == [event.chart_key, "kept"]  # chart.created (now) and the one 13 days old
    assert _stored(db, other) == ["kept-other"]
    assert prune(db, now=now) == 0
    listed = event_log.page(db, ws, after_id=None, before_id=None, limit=100)
    assert [i.subject_key for i in listed] == [event.chart_key, "kept"]  # listing unchanged by the prune


def test_an_item_is_pruned_once_its_14_days_are_over(db: Database) -> None:
    ws = make_workspace(db)
    made = utcnow()
    _append(db, ws, "item", made)

    assert prune(db, now=made + timedelta(days=14)) == 0
    assert prune(db, now=made + timedelta(days=14, seconds=1)) == 1
    assert _stored(db, ws) == []
