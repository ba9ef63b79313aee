"""What every API dialect's FastAPI application starts as: its OpenAPI document and docs under its mount,
orjson responses, the telemetry switch, and the database and settings on its state."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI

from boxoffice import __version__
from boxoffice.api.responses import FastJSONResponse
from boxoffice.api.telemetry import telemetry_config
from boxoffice.config import Settings
from boxoffice.storage.uow import Database


def dialect_app(db: Database, settings: Settings, *, title: str, description: str = "", **options: Any) -> FastAPI:
    app = FastAPI(
        title=title,
        version=__version__,
        description=description,
        openapi_url="/openapi.json",
        docs_url="/docs",
        redoc_url=None,
        default_response_class=FastJSONResponse,
        telemetry=telemetry_config(settings),
        **options,
    )
    app.state.db = db
    app.state.settings = settings
    return app
