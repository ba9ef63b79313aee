"""The seats.io-compatible seating API, mounted at /seating. A thin adapter: parse, call a service, render.

Point the official SDK at it: ``seatsio.Client(seatsio.Region("http://HOST:PORT/seating"), secret_key)``.
"""

from __future__ import annotations

import importlib
import re
from types import ModuleType

from fastapi import FastAPI
from starlette.routing import Mount
from starlette.types import ASGIApp

from boxoffice.api.dialects import dialect_app
from boxoffice.api.seatsio.errors import install_error_handlers
from boxoffice.api.seatsio.hot_routes import HotRoutes
from boxoffice.api.seatsio.idempotency import IdempotencyMiddleware
from boxoffice.api.seatsio.paths import EncodedSlashes
from boxoffice.api.seatsio.rate_limit import RateLimit
from boxoffice.api.seatsio.schemas import ERROR_RESPONSES, install_openapi
from boxoffice.config import Settings
from boxoffice.storage.uow import Database

# Routes are matched in this order, one by one: the on-sale's hot calls (status changes, hold tokens) first.
ROUTERS = (
    "objects",
    "hold_tokens",
    "system",
    "workspaces",
    "accounts",
    "chart_copies",  # before charts: /charts/archive is no chart key
    "charts",
    "events",
    "seasons",
    "channels",
    "status_changes",
    "reports",
    "chart_reports",
    "ticket_buyers",
    "event_log",
)


def create_seatsio_app(db: Database, settings: Settings) -> FastAPI:
    # redirect_slashes off: a trailing slash is taken off instead (paths.EncodedSlashes); else a 404
    app = dialect_app(db, settings, title="boxoffice seating API (seats.io-compatible)", redirect_slashes=False)
    install_error_handlers(app)
    install_openapi(app)
    # innermost: the on-sale's hot calls answered without the framework's routing (hot_routes.py)
    app.add_middleware(HotRoutes, exception_handlers=app.exception_handlers)
    app.add_middleware(IdempotencyMiddleware, db=db)  # Idempotency-Key on POSTs, per secret key
    app.add_middleware(EncodedSlashes)  # keys and labels may contain "/" sent as %2F; no trailing slash
    if settings.seatsio_rate_limit > 0:
        app.add_middleware(RateLimit, rate=settings.seatsio_rate_limit)  # per secret key; 429 past it
    for name in ROUTERS:
        module = _optional(name)
        if module is not None:
            app.include_router(module.router, responses=ERROR_RESPONSES)
    return app


class SeatsioMount(Mount):
    """Mount the dialect so that any path under it reaches it, one with a decoded newline (``%0A``) too.

    Starlette compiles a mount's remaining path as ``.*``, which stops at a newline: such a request fell
    through to the parent app's plain ``{"detail": "Not Found"}`` instead of this dialect's error shape.
    """

    def __init__(self, path: str, app: ASGIApp) -> None:
        super().__init__(path, app=app)
        self.path_regex = re.compile(self.path_regex.pattern, re.DOTALL)


def _optional(name: str) -> ModuleType | None:
    try:
        module = importlib.import_module(f"boxoffice.api.seatsio.{name}")
    except ModuleNotFoundError as exc:
        if exc.name == f"boxoffice.api.seatsio.{name}":
            return None  # not built yet
        raise
    return module
