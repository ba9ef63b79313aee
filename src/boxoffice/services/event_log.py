"""The event log: `record` in the unit of work of the change (so it is kept exactly when the change is),
`page` to list a workspace's items of the last 14 days, oldest first.

Nothing on the on-sale's path writes here: status changes are not event log items.
"""

from __future__ import annotations

from datetime import datetime

from boxoffice.domain.event_log import EventLogItem, listed_since
from boxoffice.domain.records import Workspace
from boxoffice.services.clock import utcnow
from boxoffice.storage.uow import Database, UnitOfWork


def record(uow: UnitOfWork, workspace_id: int, type_: str, subject_key: str, *, now: datetime | None = None) -> None:
    uow.event_log.append(workspace_id, type_, subject_key, now or utcnow())


def page(
    db: Database, workspace: Workspace, *, after_id: int | None, before_id: int | None, limit: int
) -> list[EventLogItem]:
    with db.read() as uow:
        return uow.event_log.page(
            workspace.id, since=listed_since(utcnow()), after_id=after_id, before_id=before_id, limit=limit
        )
