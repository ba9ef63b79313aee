"""A workspace's ticket buyer ids: add, remove (each saying which ids changed) and list, newest first."""

from __future__ import annotations

from collections.abc import Iterable

from boxoffice.domain.records import Workspace
from boxoffice.domain.ticket_buyers import Added, Removed, buyer_ids
from boxoffice.services.clock import utcnow
from boxoffice.storage.uow import Database


def add(db: Database, workspace: Workspace, raw_ids: Iterable[str]) -> Added:
    ids = buyer_ids(raw_ids)
    with db.write() as uow:
        added = uow.ticket_buyers.add(workspace.id, ids, utcnow())
        uow.commit()
    return Added([i for i in ids if i in added], [i for i in ids if i not in added])


def remove(db: Database, workspace: Workspace, raw_ids: Iterable[str]) -> Removed:
    ids = buyer_ids(raw_ids)
    with db.write() as uow:
        removed = uow.ticket_buyers.remove(workspace.id, ids)
        uow.commit()
    return Removed([i for i in ids if i in removed], [i for i in ids if i not in removed])


def page(
    db: Database, workspace: Workspace, *, after_id: int | None, before_id: int | None, limit: int
) -> list[tuple[int, str]]:
    """Up to `limit` (cursor id, ticket buyer id), newest first, after or before a cursor."""
    with db.read() as uow:
        return uow.ticket_buyers.page(workspace.id, after_id=after_id, before_id=before_id, limit=limit)
