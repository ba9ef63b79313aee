"""Hold tokens: a token and its expiry; objects held under it lapse with it."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, insert, select, update

from boxoffice.domain.records import HoldToken
from boxoffice.storage.tables import hold_tokens


class HoldTokenRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def add(self, token: HoldToken) -> None:
        self.add_many([token])

    def add_many(self, tokens: Sequence[HoldToken]) -> None:
        if tokens:
            self.conn.execute(
                insert(hold_tokens),
                [
                    {
                        "token": t.token,
                        "workspace_id": t.workspace_id,
                        "created_at": t.created_at,
                        "expires_at": t.expires_at,
                    }
                    for t in tokens
                ],
            )

    def get_many(self, workspace_id: int, tokens: Sequence[str]) -> list[HoldToken]:
        query = select(hold_tokens).where(hold_tokens.c.workspace_id == workspace_id, hold_tokens.c.token.in_(tokens))
        return [_token(r) for r in self.conn.execute(query)]

    def get(self, workspace_id: int, token: str, *, for_update: bool = False) -> HoldToken | None:
        query = select(hold_tokens).where(hold_tokens.c.token == token, hold_tokens.c.workspace_id == workspace_id)
        if for_update:
            query = query.with_for_update()
        row = self.conn.execute(query).first()
        return _token(row) if row is not None else None

    def set_expiry(self, token: str, expires_at: datetime) -> None:
        self.conn.execute(update(hold_tokens).where(hold_tokens.c.token == token).values(expires_at=expires_at))


def _token(row: Any) -> HoldToken:
    return HoldToken(row.token, row.workspace_id, row.created_at, row.expires_at)
