"""API users of the Spektrix-style dialect: who may sign requests for a workspace. No key is stored."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, insert, select, update

from boxoffice.storage.tables import api_users


@dataclass(frozen=True, slots=True)
class ApiUser:
    id: str
    workspace_id: int
    name: str
    created_at: datetime
    active: bool = True


def _user(m: Any) -> ApiUser:
    return ApiUser(m["id"], m["workspace_id"], m["name"], m["created_at"], bool(m["active"]))


class ApiUserRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def add(self, user: ApiUser) -> None:
        self.conn.execute(
            insert(api_users).values(
                id=user.id,
                workspace_id=user.workspace_id,
                name=user.name,
                created_at=user.created_at,
                active=user.active,
            )
        )

    def by_name(self, workspace_id: int, name: str) -> ApiUser | None:
        row = (
            self.conn.execute(
                select(api_users).where(api_users.c.workspace_id == workspace_id, api_users.c.name == name)
            )
            .mappings()
            .first()
        )
        return _user(row) if row else None

    def list(self, workspace_id: int) -> list[ApiUser]:
        rows = (
            self.conn.execute(
                select(api_users).where(api_users.c.workspace_id == workspace_id).order_by(api_users.c.name)
            )
            .mappings()
            .all()
        )
        return [_user(r) for r in rows]

    def set_active(self, user_id: str, active: bool) -> None:
        self.conn.execute(update(api_users).where(api_users.c.id == user_id).values(active=active))
