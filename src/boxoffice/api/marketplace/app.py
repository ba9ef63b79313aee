"""The marketplace API, mounted at ``/marketplace/v1``: how secondary marketplaces sell the venue's seats.

**Order Integration** marketplaces (Ticket Evolution, Gametime, TickPick...) ask, hold, then invoice or
release:

    POST /availability            {"eventKey", "seats": [...]}         is each seat sellable, at what price
    POST /holds                   {"reference", "eventKey", "seats"}  a binding hold, all seats or none
    GET  /holds/{holdId}
    POST /holds/{holdId}/invoice  {"buyer": {...}}                     the sale is confirmed: an order
    POST /holds/{holdId}/release                                       the buyer failed review: seats back

**Instant Notification** marketplaces (StubHub, SeatGeek...) tell the venue what they sold:

    POST /sales        {"reference", "eventKey", "seats", "buyer"}   confirmed at once, or pending
    GET  /sales/{saleId}                                           pending, confirmed, rejected, autoRejected

A pending sale waits for the venue (``/admin/v1/marketplace-sales``: invoice after all, or reject) or is
rejected automatically once the marketplace's window has passed.

Every request is signed with the marketplace's key (shown once by ``POST /admin/v1/marketplaces``):

    X-Marketplace-Id: <marketplace id>
    X-Timestamp: <unix seconds, within 5 minutes of the server clock>
    X-Signature: hex(HMAC-SHA256(key, timestamp + "\\n" + METHOD + "\\n" + path?query + "\\n" + body))

where the path is the full request path (``/marketplace/v1/holds``). A reference is the marketplace's own
id for the hold or sale: sending it again is safe, and answers the same hold or sale. Errors have one
shape, ``{"error": {"code", "message", "details"}}``; money is integer minor units with its currency.
"""

from __future__ import annotations

from fastapi import FastAPI
from starlette.types import ASGIApp

from boxoffice.api.admin.errors import error_response, install_error_handlers
from boxoffice.api.body_limit import BodyLimit
from boxoffice.api.dialects import dialect_app
from boxoffice.api.marketplace import routes
from boxoffice.api.marketplace.idempotency import IdempotencyMiddleware
from boxoffice.config import Settings
from boxoffice.storage.uow import Database

MOUNT_PATH = "/marketplace/v1"


def create_marketplace_app(db: Database, settings: Settings) -> FastAPI:
    app = dialect_app(
        db,
        settings,
        title="boxoffice marketplace API (Order Integration and Instant Notification)",
        description=__doc__,
    )
    install_error_handlers(app)
    app.include_router(routes.router)
    app.add_middleware(IdempotencyMiddleware, db=db, system_secret=settings.system_secret)
    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes, render=_too_large)
    return app


def _too_large(limit: int) -> ASGIApp:
    return error_response(413, "REQUEST_TOO_LARGE", f"Request body is larger than {limit} bytes")
