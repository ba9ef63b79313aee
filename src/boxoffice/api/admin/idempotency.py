"""``Idempotency-Key`` on every POST of the admin API: the shared middleware (api/idempotency.py) with the
admin dialect's credentials and error shape.

Same key + same credentials + same request (method, path, query, JSON body up to key order and spacing)
-> the first response again, status and body, with ``Idempotent-Replayed: true``. The same key with
another request -> 422 ``IDEMPOTENCY_KEY_REUSED``; while the first is still running -> 409
``IDEMPOTENCY_KEY_IN_FLIGHT`` (with ``Retry-After``). A request without valid credentials is passed
through untouched (the route answers 401, and nothing is stored).
"""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Scope

from boxoffice.api import idempotency as shared
from boxoffice.api.admin.auth import STATE_KEY, authenticate_headers, credential
from boxoffice.api.admin.errors import AdminError, error_response
from boxoffice.domain.errors import BoxofficeError
from boxoffice.services.keys import digest
from boxoffice.services.workspaces import Principal
from boxoffice.storage.uow import Database

HEADER = shared.HEADER
MAX_BODY_BYTES = shared.MAX_BODY_BYTES
canonical_json = shared.canonical_json


def key_scope(caller: Principal, secret: str) -> str:
    """The credential a key belongs to: this dialect, the workspace and the key's digest."""
    return f"admin:{caller.workspace.id}:{digest(secret)[:40]}"


def admin_request_hash(method: str, path: str, query: bytes, body: bytes) -> str:
    return shared.http_request_hash(method, path, query, body)


def _render(status: int, code: str, message: str, headers: dict[str, str] | None) -> ASGIApp:
    details = [{"field": "Idempotency-Key", "message": message, "code": code}] if code == "VALIDATION_ERROR" else []
    return error_response(status, code, message, details, headers)


class IdempotencyMiddleware(shared.IdempotencyMiddleware):
    def __init__(self, app: ASGIApp, db: Database) -> None:
        super().__init__(app, db, owner_of=self._owner, render=_render)

    async def _owner(self, scope: Scope, headers: Headers, _body: bytes) -> str | None:
        secret = credential(headers)
        if secret is None:
            return None
        try:
            caller = await run_in_threadpool(authenticate_headers, self.db, headers)
        except (BoxofficeError, AdminError):
            return None  # bad credentials: the route says 401
        scope.setdefault("state", {})[STATE_KEY] = caller
        return key_scope(caller, secret)
