"""Hold tokens: a token and its expiry; objects held under it lapse with it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, insert, select, update

from boxoffice.domain.records import HoldToken
from boxoffice.storage.tables import hold_tokens


class HoldTokenRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def add(self, token: HoldToken) -> None:
        self.conn.execute(
            insert(hold_tokens).values(
                token=token.token,
                workspace_id=token.workspace_id,
                created_at=token.created_at,
                expires_at=token.expires_at,
            )
        )

    def get(self, workspace_id: int, token: str, *, for_update: bool = False) -> HoldToken | None:
        query = select(hold_tokens).where(hold_tokens.c.token == token, hold_tokens.c.workspace_id == workspace_id)
        if for_update:
            query = query.with_for_update()
        row = self.conn.execute(query).first()
        if row is None:
            return None
        return HoldToken(row.token, row.workspace_id, row.created_at, row.expires_at)

    def set_expiry(self, token: str, expires_at: datetime) -> None:
        self.conn.execute(update(hold_tokens).where(hold_tokens.c.token == token).values(expires_at=expires_at))
