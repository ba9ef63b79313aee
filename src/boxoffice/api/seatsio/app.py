"""The seats.io-compatible seating API, mounted at /seating. A thin adapter: parse, call a service, render.

Point the official SDK at it: ``seatsio.Client(seatsio.Region("http://HOST:PORT/seating"), secret_key)``.
"""

from __future__ import annotations

import importlib
from types import ModuleType

from fastapi import FastAPI

from boxoffice import __version__
from boxoffice.api.responses import FastJSONResponse
from boxoffice.api.seatsio import system
from boxoffice.api.seatsio.errors import install_error_handlers
from boxoffice.api.seatsio.paths import EncodedSlashes
from boxoffice.api.seatsio.rate_limit import RateLimit
from boxoffice.config import Settings
from boxoffice.storage.uow import Database

ROUTERS = (
    "system",
    "workspaces",
    "charts",
    "events",
    "objects",
    "hold_tokens",
    "channels",
    "status_changes",
    "reports",
)


def create_seatsio_app(db: Database, settings: Settings) -> FastAPI:
    app = FastAPI(
        title="boxoffice seating API (seats.io-compatible)",
        version=__version__,
        openapi_url="/openapi.json",
        docs_url="/docs",
        redoc_url=None,
        default_response_class=FastJSONResponse,
    )
    app.state.db = db
    app.state.settings = settings
    install_error_handlers(app)
    app.add_middleware(EncodedSlashes)  # keys and labels may contain "/" sent as %2F
    if settings.seatsio_rate_limit > 0:
        app.add_middleware(RateLimit, rate=settings.seatsio_rate_limit)  # per secret key; 429 past it
    app.include_router(system.router)
    for name in ROUTERS[1:]:
        module = _optional(name)
        if module is not None:
            app.include_router(module.router)
    return app


def _optional(name: str) -> ModuleType | None:
    try:
        module = importlib.import_module(f"boxoffice.api.seatsio.{name}")
    except ModuleNotFoundError as exc:
        if exc.name == f"boxoffice.api.seatsio.{name}":
            return None  # not built yet
        raise
    return module
