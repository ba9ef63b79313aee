"""Companies, workspaces and their secret keys; secrets are looked up by their SHA-256 digest, never stored in
clear. A deleted workspace (deleted_at set) is kept but found by none of these queries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, Row, delete, func, insert, select, update

from boxoffice.domain.records import Company, Workspace
from boxoffice.storage.tables import companies, workspace_secret_keys, workspaces


@dataclass(frozen=True, slots=True)
class StoredSecretKey:
    workspace_id: int
    digest: str
    salt: str | None  # what the key is derived from (services/keys.py); None: shown once


def _workspace(row: Row[tuple[object, ...]]) -> Workspace:
    m = row._mapping
    return Workspace(
        id=m["id"],
        company_id=m["company_id"],
        key=m["key"],
        name=m["name"],
        is_test=m["is_test"],
        is_default=m["is_default"],
        is_active=m["is_active"],
    )


_live = workspaces.c.deleted_at.is_(None)


class WorkspaceRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    # -- companies ------------------------------------------------------------------------------------------
    def add_company(self, name: str, admin_key_hash: str, now: datetime, *, email: str | None = None) -> Company:
        cid = self.conn.execute(
            insert(companies)
            .values(name=name, admin_key_hash=admin_key_hash, created_at=now, email=email)
            .returning(companies.c.id)
        ).scalar_one()
        return Company(id=cid, name=name)

    def lock_company(self, company_id: int) -> None:
        """Hold the company's row until the transaction ends, so that changes to its workspaces are decided
        one after the other (PostgreSQL; on SQLite the one writer already holds the database). One lock
        for the company, not one per workspace: making a workspace the default updates them all."""
        self.conn.execute(select(companies.c.id).where(companies.c.id == company_id).with_for_update())

    def company_by_admin_key_hash(self, digest: str) -> Company | None:
        row = self.conn.execute(select(companies).where(companies.c.admin_key_hash == digest)).first()
        return Company(id=row.id, name=row.name) if row else None

    # -- workspaces -----------------------------------------------------------------------------------------
    def add(
        self,
        *,
        company_id: int,
        key: str,
        name: str,
        is_test: bool,
        is_default: bool,
        now: datetime,
    ) -> Workspace:
        wid = self.conn.execute(
            insert(workspaces)
            .values(
                company_id=company_id,
                key=key,
                name=name,
                is_test=is_test,
                is_default=is_default,
                is_active=True,
                created_at=now,
            )
            .returning(workspaces.c.id)
        ).scalar_one()
        return Workspace(id=wid, company_id=company_id, key=key, name=name, is_test=is_test, is_default=is_default)

    def by_secret_key_hash(self, digest: str) -> Workspace | None:
        row = self.conn.execute(
            select(workspaces)
            .join(workspace_secret_keys, workspace_secret_keys.c.workspace_id == workspaces.c.id)
            .where(workspace_secret_keys.c.secret_key_hash == digest, _live)
        ).first()
        return _workspace(row) if row else None

    def by_id(self, workspace_id: int) -> Workspace | None:
        row = self.conn.execute(select(workspaces).where(workspaces.c.id == workspace_id, _live)).first()
        return _workspace(row) if row else None

    def by_key(self, key: str, company_id: int | None = None) -> Workspace | None:
        query = select(workspaces).where(workspaces.c.key == key, _live)
        if company_id is not None:
            query = query.where(workspaces.c.company_id == company_id)
        row = self.conn.execute(query).first()
        return _workspace(row) if row else None

    def default_for_company(self, company_id: int) -> Workspace | None:
        row = self.conn.execute(
            select(workspaces)
            .where(workspaces.c.company_id == company_id, _live)
            .order_by(workspaces.c.is_default.desc(), workspaces.c.id)
        ).first()
        return _workspace(row) if row else None

    def list_for_company(self, company_id: int, *, active: bool | None = None) -> list[Workspace]:
        query = select(workspaces).where(workspaces.c.company_id == company_id, _live)
        if active is not None:
            query = query.where(workspaces.c.is_active == active)
        rows = self.conn.execute(query.order_by(workspaces.c.id)).all()
        return [_workspace(r) for r in rows]

    def rename(self, workspace_id: int, name: str) -> None:
        self.conn.execute(update(workspaces).where(workspaces.c.id == workspace_id).values(name=name))

    def set_active(self, workspace_id: int, active: bool) -> None:
        self.conn.execute(update(workspaces).where(workspaces.c.id == workspace_id).values(is_active=active))

    def set_default(self, company_id: int, workspace_id: int) -> None:
        """The one default of the company, in one statement."""
        self.conn.execute(
            update(workspaces)
            .where(workspaces.c.company_id == company_id)
            .values(is_default=workspaces.c.id == workspace_id)
        )

    def mark_deleted(self, workspace_id: int, now: datetime) -> None:
        self.conn.execute(
            update(workspaces).where(workspaces.c.id == workspace_id).values(deleted_at=now, is_default=False)
        )

    # -- secret keys ----------------------------------------------------------------------------------------
    def add_secret_key(self, workspace_id: int, digest: str, salt: str | None, now: datetime) -> None:
        self.conn.execute(
            insert(workspace_secret_keys).values(
                workspace_id=workspace_id, secret_key_hash=digest, salt=salt, created_at=now
            )
        )

    def secret_keys(self, workspace_ids: list[int]) -> list[StoredSecretKey]:
        """The keys of these workspaces, oldest first."""
        if not workspace_ids:
            return []
        rows = self.conn.execute(
            select(workspace_secret_keys)
            .where(workspace_secret_keys.c.workspace_id.in_(workspace_ids))
            .order_by(workspace_secret_keys.c.id)
        ).all()
        return [StoredSecretKey(r.workspace_id, r.secret_key_hash, r.salt) for r in rows]

    def count_secret_keys(self, workspace_id: int) -> int:
        return int(
            self.conn.execute(
                select(func.count())
                .select_from(workspace_secret_keys)
                .where(workspace_secret_keys.c.workspace_id == workspace_id)
            ).scalar_one()
        )

    def remove_secret_key(self, workspace_id: int, digest: str) -> bool:
        """False when the workspace has no such key."""
        done = self.conn.execute(
            delete(workspace_secret_keys).where(
                workspace_secret_keys.c.workspace_id == workspace_id, workspace_secret_keys.c.secret_key_hash == digest
            )
        )
        return done.rowcount > 0

    def remove_secret_keys(self, workspace_id: int) -> None:
        self.conn.execute(delete(workspace_secret_keys).where(workspace_secret_keys.c.workspace_id == workspace_id))
