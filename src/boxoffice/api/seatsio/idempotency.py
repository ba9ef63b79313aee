"""``Idempotency-Key`` on the seats.io dialect's POSTs: the shared middleware (api/idempotency.py), the
key bound to the HTTP Basic secret key (and ``X-Workspace-Key``), errors in seats.io's shape.

A retried ``POST /seating/events/groups/actions/change-object-status`` with the same key and body books
once and gets the first answer again (``Idempotent-Replayed: true``); another body with the key is 422
``IDEMPOTENCY_KEY_REUSED``; a duplicate while the first runs is 409 ``IDEMPOTENCY_KEY_IN_FLIGHT`` with
``Retry-After``. Without valid credentials the request passes through (and is answered 401).
"""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.types import ASGIApp, Scope

from boxoffice.api import idempotency as shared
from boxoffice.api.seatsio.auth import basic_user, cached_principal
from boxoffice.api.seatsio.errors import SeatsioError, error_response
from boxoffice.domain.errors import BoxofficeError
from boxoffice.services.keys import digest
from boxoffice.storage.uow import Database


def key_scope(workspace_id: int, secret: str) -> str:
    """The credential a key belongs to: this dialect, the workspace and the secret key's digest."""
    return f"seatsio:{workspace_id}:{digest(secret)[:40]}"


def _render(status: int, code: str, message: str, headers: dict[str, str] | None) -> ASGIApp:
    return error_response(status, code, message, headers)


class IdempotencyMiddleware(shared.IdempotencyMiddleware):
    def __init__(self, app: ASGIApp, db: Database) -> None:
        super().__init__(app, db, owner_of=self._owner, render=_render)

    async def _owner(self, scope: Scope, headers: Headers, _body: bytes) -> str | None:
        try:
            secret = basic_user(Request(scope))
            caller = await run_in_threadpool(cached_principal, self.db, secret, headers.get("x-workspace-key") or None)
        except (SeatsioError, BoxofficeError):
            return None  # the route answers 401 (or 404 for an unknown workspace key)
        return key_scope(caller.workspace.id, secret)
