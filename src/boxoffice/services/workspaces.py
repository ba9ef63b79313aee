"""Companies, workspaces and who a secret key belongs to."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from boxoffice.domain.errors import Unauthorized, WorkspaceNotFound
from boxoffice.domain.records import Company, Workspace
from boxoffice.services.clock import utcnow
from boxoffice.services.keys import digest, new_secret
from boxoffice.storage.uow import Database


@dataclass(frozen=True, slots=True)
class NewCompany:
    company: Company
    admin_key: str
    workspace: Workspace
    workspace_secret_key: str


@dataclass(frozen=True, slots=True)
class NewWorkspace:
    workspace: Workspace
    secret_key: str


def create_company(db: Database, name: str = "Company", *, is_test: bool = False) -> NewCompany:
    admin_key = new_secret()
    secret = new_secret()
    now = utcnow()
    with db.write() as uow:
        company = uow.workspaces.add_company(name, digest(admin_key), now)
        workspace = uow.workspaces.add(
            company_id=company.id,
            key=str(uuid.uuid4()),
            name="Default workspace",
            secret_key_hash=digest(secret),
            is_test=is_test,
            is_default=True,
            now=now,
        )
        uow.commit()
    return NewCompany(company, admin_key, workspace, secret)


def create_workspace(db: Database, company_id: int, name: str, *, is_test: bool = False) -> NewWorkspace:
    secret = new_secret()
    with db.write() as uow:
        workspace = uow.workspaces.add(
            company_id=company_id,
            key=str(uuid.uuid4()),
            name=name,
            secret_key_hash=digest(secret),
            is_test=is_test,
            is_default=False,
            now=utcnow(),
        )
        uow.commit()
    return NewWorkspace(workspace, secret)


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is calling: a workspace, and the company if the caller used the company's admin key."""

    workspace: Workspace
    company_admin: bool = False


def authenticate(db: Database, secret_key: str, workspace_key: str | None = None) -> Principal:
    """A workspace secret key, or the company admin key (with an optional workspace key header)."""
    if not secret_key:
        raise Unauthorized("No secret key given")
    key_digest = digest(secret_key)
    with db.read() as uow:
        workspace = uow.workspaces.by_secret_key_hash(key_digest)
        if workspace is not None:
            if workspace_key and workspace_key != workspace.key:
                other = uow.workspaces.by_key(workspace_key, workspace.company_id)
                if other is None:
                    raise WorkspaceNotFound(f"Workspace not found: {workspace_key}")
                raise Unauthorized("This secret key does not belong to that workspace")
            return Principal(workspace)
        company = uow.workspaces.company_by_admin_key_hash(key_digest)
        if company is None:
            raise Unauthorized("Invalid secret key")
        if workspace_key:
            found = uow.workspaces.by_key(workspace_key, company.id)
            if found is None:
                raise WorkspaceNotFound(f"Workspace not found: {workspace_key}")
            return Principal(found, company_admin=True)
        default = uow.workspaces.default_for_company(company.id)
        if default is None:
            raise WorkspaceNotFound("The company has no workspace")
        return Principal(default, company_admin=True)


def list_workspaces(db: Database, company_id: int) -> list[Workspace]:
    with db.read() as uow:
        return uow.workspaces.list_for_company(company_id)


def get_workspace(db: Database, company_id: int, key: str) -> Workspace:
    with db.read() as uow:
        found = uow.workspaces.by_key(key, company_id)
    if found is None:
        raise WorkspaceNotFound(f"Workspace not found: {key}")
    return found


def rename_workspace(db: Database, company_id: int, key: str, name: str) -> Workspace:
    with db.write() as uow:
        found = uow.workspaces.by_key(key, company_id)
        if found is None:
            raise WorkspaceNotFound(f"Workspace not found: {key}")
        uow.workspaces.rename(found.id, name)
        uow.commit()
    return get_workspace(db, company_id, key)
