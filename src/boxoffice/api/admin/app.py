"""The native admin API, mounted at /admin/v1: the catalogue (charts, productions, performances, ticket
types, price lists, funds, stock items, memberships, ticket subscription structures, attribute
definitions), customers and orders. A thin adapter: parse, call a service, render.

Authentication: ``Authorization: Bearer <workspace secret key>`` (or HTTP Basic with the key as user).
Every POST accepts an ``Idempotency-Key`` header (see idempotency.py). Errors have one shape:
``{"error": {"code", "message", "details"}}`` (see errors.py). Money is integer minor units beside a
currency; datetimes are ISO 8601 with a timezone. OpenAPI: /admin/v1/openapi.json, docs at /admin/v1/docs.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Scope

from boxoffice.api.admin import (
    agent_locks,
    agent_reports,
    agents,
    attributes,
    charts,
    customers,
    funds,
    marketplaces,
    memberships,
    orders,
    partners,
    performances,
    price_lists,
    productions,
    resale,
    stock_items,
    subscriptions,
    ticket_types,
)
from boxoffice.api.admin.auth import credential
from boxoffice.api.admin.errors import error_response, install_error_handlers
from boxoffice.api.admin.idempotency import IdempotencyMiddleware
from boxoffice.api.body_limit import CHART_MAX_BODY_BYTES, BodyLimit
from boxoffice.api.dialects import dialect_app
from boxoffice.api.rate_limit import KeyedRateLimit, retry_after
from boxoffice.config import Settings
from boxoffice.services.keys import digest
from boxoffice.storage.uow import Database

MOUNT_PATH = "/admin/v1"
ROUTERS = (
    charts,
    productions,
    performances,
    price_lists,
    ticket_types,
    funds,
    stock_items,
    memberships,
    subscriptions,
    attributes,
    customers,
    orders,
    agents,
    agent_locks,
    agent_reports,
    marketplaces,
    partners,
    resale,
)


def create_admin_app(db: Database, settings: Settings) -> FastAPI:
    app = dialect_app(db, settings, title="boxoffice admin API", description=__doc__)
    install_error_handlers(app)
    for module in ROUTERS:
        app.include_router(module.router)
    app.add_middleware(IdempotencyMiddleware, db=db)
    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes, render=_too_large, larger=CHART_PATHS)
    if settings.rate_limit > 0:  # per secret key; 429 past it
        app.add_middleware(KeyedRateLimit, rate=settings.rate_limit, key_of=_rate_key, render=_too_many)
    app.openapi = lambda: _openapi(app)  # type: ignore[method-assign]
    return app


CHART_PATHS = (("/charts", CHART_MAX_BODY_BYTES),)


def _too_large(limit: int) -> ASGIApp:
    return error_response(413, "REQUEST_TOO_LARGE", f"Request body is larger than {limit} bytes")


def _too_many(rate: float, wait: float) -> ASGIApp:
    message = f"Rate limit exceeded: at most {rate:g} requests a second for this secret key"
    return error_response(429, "RATE_LIMITED", message, headers={"Retry-After": retry_after(wait)})


def _rate_key(scope: Scope) -> str | None:
    secret = credential(Headers(scope=scope))
    return digest(secret) if secret is not None else None  # a digest: the secret is not kept in memory


def _openapi(app: FastAPI) -> dict[str, Any]:
    """FastAPI's document, plus the two ways to authenticate and the Idempotency-Key header of POSTs."""
    if app.openapi_schema is not None:
        return app.openapi_schema
    document = FastAPI.openapi(app)
    components = document.setdefault("components", {})
    components["securitySchemes"] = {
        "secretKey": {"type": "http", "scheme": "bearer", "description": "The workspace secret key"},
        "basic": {"type": "http", "scheme": "basic", "description": "The workspace secret key as the user name"},
    }
    document["security"] = [{"secretKey": []}, {"basic": []}]
    header = {
        "name": "Idempotency-Key",
        "in": "header",
        "required": False,
        "description": "Retry safely: the same key and request get the first response again (for 24 hours)",
        "schema": {"type": "string", "maxLength": 200},
    }
    for operations in document.get("paths", {}).values():
        post = operations.get("post")
        if post is not None:
            post.setdefault("parameters", []).append(header)
    app.openapi_schema = document
    return document
