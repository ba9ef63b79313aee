"""The partner API, mounted at ``/partner``: affiliates resell the venue's seats by quotes.

    POST /v1/auth/token              {"client_id", "client_secret"}  -> a bearer token valid one hour
    GET  /v1/events?q=&from=&to=     events on sale to partners
    GET  /v1/events/{id}/sections    sections and rows: seats available, prices
    POST /v1/quotes                  {"event_id", "section", "row", "quantity"} -> a price held until expires_at
    POST /v1/orders                  {"quote_id"} -> the order, once per unexpired quote
    GET  /v1/quotes/{id}, /v1/orders/{id}

Every answer is an envelope: ``{"success", "data" | "error", "meta": {"request_id", "timestamp"}}``
(envelope.py); ``X-Request-ID`` is echoed. Money is integer minor units of the event's currency. A partner
can trade only once the venue has configured how it pays it (403 PAYOUT_METHOD_REQUIRED before). POSTs take
an ``Idempotency-Key``.
"""

from __future__ import annotations

from fastapi import FastAPI
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Scope

from boxoffice.api import idempotency as shared
from boxoffice.api.body_limit import BodyLimit
from boxoffice.api.dialects import dialect_app
from boxoffice.api.partner import envelope, routes
from boxoffice.api.responses import FastJSONResponse
from boxoffice.config import Settings
from boxoffice.domain.errors import BoxofficeError
from boxoffice.services.clock import utcnow
from boxoffice.storage.uow import Database

MOUNT_PATH = "/partner"


def create_partner_app(db: Database, settings: Settings) -> FastAPI:
    app = dialect_app(db, settings, title="boxoffice partner API (quotes and orders)", description=__doc__)
    envelope.install(app)
    app.include_router(routes.router)
    app.add_middleware(PartnerIdempotency, db=db, system_secret=settings.system_secret)
    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes, render=_too_large)
    return app


def _error(status: int, code: str, message: str, headers: dict[str, str] | None = None) -> ASGIApp:
    body = {
        "success": False,
        "error": {"code": code, "message": message, "details": {}},
        "meta": {"request_id": "", "timestamp": utcnow().strftime("%Y-%m-%dT%H:%M:%SZ")},
    }
    return FastJSONResponse(body, status_code=status, headers=headers)


def _too_large(limit: int) -> ASGIApp:
    return _error(413, "REQUEST_TOO_LARGE", f"Request body is larger than {limit} bytes")


class PartnerIdempotency(shared.IdempotencyMiddleware):
    """Idempotency-Key on the POSTs, per partner (the token's); a request without a valid token passes
    through (the route answers 401, nothing is stored)."""

    def __init__(self, app: ASGIApp, db: Database, system_secret: str) -> None:
        super().__init__(app, db, owner_of=self._owner, render=_error)
        self.system_secret = system_secret

    async def _owner(self, scope: Scope, headers: Headers, _body: bytes) -> str | None:
        try:
            caller = await run_in_threadpool(
                routes.authenticate, self.db, headers.get("authorization", ""), self.system_secret
            )
        except BoxofficeError:
            return None
        scope.setdefault("state", {})[routes.CALLER_STATE] = caller
        return f"partner:{caller.partner.id}"
