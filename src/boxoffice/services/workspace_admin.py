"""A company admin's changes to its workspaces: activate, deactivate, delete, make default, and manage the
secret keys. Each is one transaction that locks the company's row first, so two changes (say, removing a
workspace's last two keys at once, or making two workspaces the default) are decided one after the other.

The rules are domain/workspaces.py's. Callers that remember who a key belongs to (api/seatsio/auth.py)
forget it after a change: a removed key or a deactivated workspace must stop working at once.
"""

from __future__ import annotations

from collections.abc import Callable

from boxoffice.domain import workspaces as rules
from boxoffice.domain.errors import SecretKeyNotFound
from boxoffice.domain.records import Workspace
from boxoffice.services.clock import utcnow
from boxoffice.services.keys import digest, new_workspace_secret
from boxoffice.services.workspaces import not_found
from boxoffice.storage.uow import Database, UnitOfWork

Change = Callable[[UnitOfWork, Workspace], str | None]


def _change(db: Database, company_id: int, key: str, change: Change) -> str | None:
    with db.write() as uow:
        uow.workspaces.lock_company(company_id)
        found = uow.workspaces.by_key(key, company_id)
        if found is None:
            raise not_found(key)
        answer = change(uow, found)
        uow.commit()
    return answer


def activate(db: Database, company_id: int, key: str) -> None:
    _change(db, company_id, key, lambda uow, w: uow.workspaces.set_active(w.id, True))


def deactivate(db: Database, company_id: int, key: str) -> None:
    def change(uow: UnitOfWork, workspace: Workspace) -> None:
        rules.check_deactivate(workspace)
        uow.workspaces.set_active(workspace.id, False)

    _change(db, company_id, key, change)


def delete(db: Database, company_id: int, key: str) -> None:
    """A soft delete: the workspace, its charts and events stay in the database, found by nothing."""

    def change(uow: UnitOfWork, workspace: Workspace) -> None:
        rules.check_delete(workspace)
        uow.workspaces.mark_deleted(workspace.id, utcnow())

    _change(db, company_id, key, change)


def set_default(db: Database, company_id: int, key: str) -> None:
    def change(uow: UnitOfWork, workspace: Workspace) -> None:
        rules.check_set_default(workspace)
        uow.workspaces.set_default(company_id, workspace.id)

    _change(db, company_id, key, change)


def add_secret_key(db: Database, company_id: int, key: str, *, system_secret: str = "") -> str:
    """A new secret key next to the ones the workspace has."""

    def change(uow: UnitOfWork, workspace: Workspace) -> str:
        made = new_workspace_secret(system_secret)
        uow.workspaces.add_secret_key(workspace.id, made.digest, made.salt, utcnow())
        return made.secret

    return str(_change(db, company_id, key, change))


def regenerate_secret_key(db: Database, company_id: int, key: str, *, system_secret: str = "") -> str:
    """A new secret key instead of all the ones the workspace has."""

    def change(uow: UnitOfWork, workspace: Workspace) -> str:
        made = new_workspace_secret(system_secret)
        uow.workspaces.remove_secret_keys(workspace.id)
        uow.workspaces.add_secret_key(workspace.id, made.digest, made.salt, utcnow())
        return made.secret

    return str(_change(db, company_id, key, change))


def remove_secret_key(db: Database, company_id: int, key: str, secret_key: str) -> None:
    def change(uow: UnitOfWork, workspace: Workspace) -> None:
        if not uow.workspaces.remove_secret_key(workspace.id, digest(secret_key)):
            raise SecretKeyNotFound(f"Workspace {key} has no such secret key")
        rules.check_remove_secret_key(uow.workspaces.count_secret_keys(workspace.id))  # else rolled back

    _change(db, company_id, key, change)
