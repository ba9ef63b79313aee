"""The production entry point: `uvicorn --factory boxoffice.api.asgi:app_factory` (what `boxoffice serve` runs)."""

from __future__ import annotations

import logging

from fastapi import FastAPI

from boxoffice.api.app import create_app
from boxoffice.config import Settings
from boxoffice.storage.uow import Database


def app_factory() -> FastAPI:
    settings = Settings.from_env()
    logging.basicConfig(level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    return create_app(Database.from_url(settings.database_url), settings)
