"""Companies, workspaces and who a secret key belongs to.

Secret keys are made by services/keys.py: derived from the system secret (so they can be shown again on
retrieve) when the server has one, else random and shown once. `system_secret` is that secret, or "".
Changing a workspace's state or keys is services/workspace_admin.py.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from boxoffice.domain.errors import Unauthorized, WorkspaceInactive, WorkspaceNotFound
from boxoffice.domain.records import Company, Workspace
from boxoffice.domain.workspaces import DEFAULT_WORKSPACE_NAME
from boxoffice.services.clock import utcnow
from boxoffice.services.keys import (
    DESIGNER_KEY,
    digest,
    new_secret,
    new_workspace_secret,
    shown_workspace_secret,
)
from boxoffice.storage.uow import Database, UnitOfWork
from boxoffice.storage.workspaces import StoredSecretKey


@dataclass(frozen=True, slots=True)
class NewCompany:
    company: Company
    admin_key: str
    designer_key: str
    workspace: Workspace
    workspace_secret_key: str


@dataclass(frozen=True, slots=True)
class NewWorkspace:
    workspace: Workspace
    secret_key: str


@dataclass(frozen=True, slots=True)
class WorkspaceView:
    """A workspace and those of its secret keys that can be shown (oldest first)."""

    workspace: Workspace
    secret_keys: list[str]


def not_found(key: str) -> WorkspaceNotFound:
    return WorkspaceNotFound(f"No workspace found with public key '{key}'")  # seats.io's words


def _add_workspace(
    uow: UnitOfWork, company_id: int, name: str, *, is_test: bool, is_default: bool, system_secret: str
) -> NewWorkspace:
    now = utcnow()
    secret = new_workspace_secret(system_secret)
    workspace = uow.workspaces.add(
        company_id=company_id, key=str(uuid.uuid4()), name=name, is_test=is_test, is_default=is_default, now=now
    )
    uow.workspaces.add_secret_key(workspace.id, secret.digest, secret.salt, now)
    return NewWorkspace(workspace, secret.secret)


def create_company(
    db: Database,
    name: str = "Company",
    *,
    is_test: bool = False,
    system_secret: str = "",
    email: str | None = None,
) -> NewCompany:
    """A company with its admin key, designer key (services/accounts.py) and default workspace."""
    admin_key = new_secret()
    designer_key = new_workspace_secret(system_secret, DESIGNER_KEY)
    with db.write() as uow:
        company = uow.workspaces.add_company(name, digest(admin_key), utcnow(), email=email)
        uow.accounts.set_designer_key(company.id, designer_key.digest, designer_key.salt)
        made = _add_workspace(
            uow, company.id, DEFAULT_WORKSPACE_NAME, is_test=is_test, is_default=True, system_secret=system_secret
        )
        uow.commit()
    return NewCompany(company, admin_key, designer_key.secret, made.workspace, made.secret_key)


def create_workspace(
    db: Database, company_id: int, name: str, *, is_test: bool = False, system_secret: str = ""
) -> NewWorkspace:
    with db.write() as uow:
        made = _add_workspace(uow, company_id, name, is_test=is_test, is_default=False, system_secret=system_secret)
        uow.commit()
    return made


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is calling: a workspace, and the company if the caller used the company's admin key."""

    workspace: Workspace
    company_admin: bool = False


def _usable(workspace: Workspace) -> Workspace:
    if not workspace.is_active:
        raise WorkspaceInactive(f"Workspace {workspace.key} is inactive")
    return workspace


def authenticate(db: Database, secret_key: str, workspace_key: str | None = None) -> Principal:
    """A workspace secret key, or the company admin key (with an optional workspace key header).

    An inactive workspace refuses every call (WorkspaceInactive); the company admin key without a workspace
    key works in the default workspace, which is always active."""
    if not secret_key:
        raise Unauthorized("No secret key given")
    key_digest = digest(secret_key)
    with db.read() as uow:
        workspace = uow.workspaces.by_secret_key_hash(key_digest)
        if workspace is not None:
            if workspace_key and workspace_key != workspace.key:
                other = uow.workspaces.by_key(workspace_key, workspace.company_id)
                if other is None:
                    raise not_found(workspace_key)
                raise Unauthorized("This secret key does not belong to that workspace")
            return Principal(_usable(workspace))
        company = uow.workspaces.company_by_admin_key_hash(key_digest)
        if company is None:
            raise Unauthorized("Invalid secret key")
        if workspace_key:
            found = uow.workspaces.by_key(workspace_key, company.id)
            if found is None:
                raise not_found(workspace_key)
            return Principal(_usable(found), company_admin=True)
        default = uow.workspaces.default_for_company(company.id)
        if default is None:
            raise WorkspaceNotFound("The company has no workspace")
        return Principal(default, company_admin=True)


def _views(workspaces: list[Workspace], stored: list[StoredSecretKey], system_secret: str) -> list[WorkspaceView]:
    shown: dict[int, list[str]] = {w.id: [] for w in workspaces}
    for key in stored:
        secret = shown_workspace_secret(system_secret, key.salt, key.digest)
        if secret is not None:
            shown[key.workspace_id].append(secret)
    return [WorkspaceView(w, shown[w.id]) for w in workspaces]


def list_workspaces(
    db: Database, company_id: int, *, active: bool | None = None, system_secret: str = ""
) -> list[WorkspaceView]:
    """The company's workspaces (not the deleted ones), all or only the (in)active ones, oldest first."""
    with db.read() as uow:
        found = uow.workspaces.list_for_company(company_id, active=active)
        stored = uow.workspaces.secret_keys([w.id for w in found])
    return _views(found, stored, system_secret)


def get_workspace(db: Database, company_id: int, key: str, *, system_secret: str = "") -> WorkspaceView:
    with db.read() as uow:
        found = uow.workspaces.by_key(key, company_id)
        if found is None:
            raise not_found(key)
        stored = uow.workspaces.secret_keys([found.id])
    return _views([found], stored, system_secret)[0]


def rename_workspace(db: Database, company_id: int, key: str, name: str) -> None:
    with db.write() as uow:
        found = uow.workspaces.by_key(key, company_id)
        if found is None:
            raise not_found(key)
        uow.workspaces.rename(found.id, name)
        uow.commit()
