"""``Idempotency-Key`` on every POST of the marketplace API: the shared middleware (api/idempotency.py),
keys belonging to the signing marketplace, errors in the dialect's shape (the admin API's). A request
that is not validly signed passes through untouched (the route answers 401, and nothing is stored).

Holds and sales are idempotent by the marketplace's own reference as well; the key makes every other POST
(invoice, release) safe to retry with the first answer, as in every dialect."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.types import ASGIApp, Scope

from boxoffice.api import idempotency as shared
from boxoffice.api.admin.errors import AdminError, error_response
from boxoffice.api.marketplace.routes import CALLER_STATE, authenticate_signed
from boxoffice.domain.errors import BoxofficeError
from boxoffice.storage.uow import Database


def _render(status: int, code: str, message: str, headers: dict[str, str] | None) -> ASGIApp:
    return error_response(status, code, message, None, headers)


class IdempotencyMiddleware(shared.IdempotencyMiddleware):
    def __init__(self, app: ASGIApp, db: Database, system_secret: str) -> None:
        super().__init__(app, db, owner_of=self._owner, render=_render)
        self.system_secret = system_secret

    async def _owner(self, scope: Scope, headers: Headers, body: bytes) -> str | None:
        url = Request(scope).url  # as the route sees it: the full path, the mount's included
        target = url.path + (f"?{url.query}" if url.query else "")
        try:
            caller = await run_in_threadpool(
                authenticate_signed, self.db, headers, scope.get("method", "POST"), target, body, self.system_secret
            )
        except (BoxofficeError, AdminError):
            return None  # not validly signed: the route says 401
        scope.setdefault("state", {})[CALLER_STATE] = caller
        return f"marketplace:{caller.marketplace.id}"
