"""Companies and workspaces; secrets are looked up by their SHA-256 digest, never stored in clear."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, Row, insert, select, update

from boxoffice.domain.records import Company, Workspace
from boxoffice.storage.tables import companies, workspaces


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


class WorkspaceRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def add_company(self, name: str, admin_key_hash: str, now: datetime) -> Company:
        cid = self.conn.execute(
            insert(companies).values(name=name, admin_key_hash=admin_key_hash, created_at=now).returning(companies.c.id)
        ).scalar_one()
        return Company(id=cid, name=name)

    def company_by_admin_key_hash(self, digest: str) -> Company | None:
        row = self.conn.execute(select(companies).where(companies.c.admin_key_hash == digest)).first()
        return Company(id=row.id, name=row.name) if row else None

    def add(
        self,
        *,
        company_id: int,
        key: str,
        name: str,
        secret_key_hash: str,
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
                secret_key_hash=secret_key_hash,
                is_test=is_test,
                is_default=is_default,
                is_active=True,
                created_at=now,
            )
            .returning(workspaces.c.id)
        ).scalar_one()
        return Workspace(id=wid, company_id=company_id, key=key, name=name, is_test=is_test, is_default=is_default)

    def by_secret_key_hash(self, digest: str) -> Workspace | None:
        row = self.conn.execute(select(workspaces).where(workspaces.c.secret_key_hash == digest)).first()
        return _workspace(row) if row else None

    def by_key(self, key: str, company_id: int | None = None) -> Workspace | None:
        query = select(workspaces).where(workspaces.c.key == key)
        if company_id is not None:
            query = query.where(workspaces.c.company_id == company_id)
        row = self.conn.execute(query).first()
        return _workspace(row) if row else None

    def default_for_company(self, company_id: int) -> Workspace | None:
        row = self.conn.execute(
            select(workspaces)
            .where(workspaces.c.company_id == company_id)
            .order_by(workspaces.c.is_default.desc(), workspaces.c.id)
        ).first()
        return _workspace(row) if row else None

    def list_for_company(self, company_id: int) -> list[Workspace]:
        rows = self.conn.execute(
            select(workspaces).where(workspaces.c.company_id == company_id).order_by(workspaces.c.id)
        ).all()
        return [_workspace(r) for r in rows]

    def set_secret_key_hash(self, workspace_id: int, digest: str) -> None:
        self.conn.execute(update(workspaces).where(workspaces.c.id == workspace_id).values(secret_key_hash=digest))

    def rename(self, workspace_id: int, name: str) -> None:
        self.conn.execute(update(workspaces).where(workspaces.c.id == workspace_id).values(name=name))
