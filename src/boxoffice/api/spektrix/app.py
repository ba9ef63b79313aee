"""The Spektrix API v3-style basket dialect, mounted at ``/{workspace}/api/v3`` (``{workspace}`` is the
workspace key, Spektrix's client name). A thin adapter: parse, call a service, render.

Web mode is anonymous: the basket is server-side, keyed by the ``boxoffice_basket`` cookie; a site on
another origin listed in ``BOXOFFICE_CORS_ORIGINS`` may call it with credentials. Authenticated mode
(``Authorization: SpektrixAPI3 user:signature``, see auth.py) unlocks the richer seat status detail and
setting a basket's customer. Agent mode (the Agency API, agency.py): an agent signs as its login and keeps
many baskets at once under ``/baskets``, confirmed into its orders (``/orders``), paid on account.
Baskets lapse after ``BOXOFFICE_BASKET_TTL_MINUTES`` (default 20) of API inactivity. OpenAPI:
``/{workspace}/api/v3/openapi.json`` (docs at ``.../docs``).

Mapping: event = production (id: production id); instance = performance (id: event key); planId = chart
key; an unreserved area's id = ``{chartKey}:{areaLabel}`` (the label alone is accepted too); seat id =
object label; price band id = category key; ticket type id = ticket type id; the price list id = the
instance id. Money is in decimal major units with the document's ``currency``.
"""

from __future__ import annotations

from datetime import timedelta

from fastapi import FastAPI
from starlette.types import ASGIApp, Scope

from boxoffice.api.body_limit import BodyLimit
from boxoffice.api.dialects import dialect_app
from boxoffice.api.rate_limit import KeyedRateLimit, retry_after
from boxoffice.api.spektrix import agency, basket, catalogue, checkout, events, instances
from boxoffice.api.spektrix.auth import SCHEME, SpektrixConfig
from boxoffice.api.spektrix.cors import CredentialedCors
from boxoffice.api.spektrix.errors import error_response, install_error_handlers
from boxoffice.api.spektrix.idempotency import IdempotencyMiddleware
from boxoffice.config import Settings
from boxoffice.services.baskets import BasketPolicy
from boxoffice.storage.uow import Database

MOUNT_PATH = "/{workspace}/api/v3"


def create_spektrix_app(db: Database, settings: Settings) -> FastAPI:
    app = dialect_app(db, settings, title="boxoffice basket API (Spektrix API v3-style)", description=__doc__)
    app.state.spektrix = SpektrixConfig(
        policy=BasketPolicy(ttl=timedelta(minutes=settings.basket_ttl_minutes)),
        cors_origins=frozenset(o.rstrip("/") for o in settings.cors_origins),
        system_secret=settings.system_secret,
    )
    install_error_handlers(app)
    for module in (events, instances, catalogue, basket, checkout, agency):
        app.include_router(module.router)
    app.add_middleware(IdempotencyMiddleware, db=db)  # Idempotency-Key on POSTs, per API user or basket
    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes, render=_too_large)
    if settings.rate_limit > 0:  # per API user, or per client address for anonymous callers; 429 past it
        app.add_middleware(KeyedRateLimit, rate=settings.rate_limit, key_of=_rate_key, render=_too_many)
    app.add_middleware(CredentialedCors, allowed=lambda: app.state.spektrix.cors_origins)  # outermost
    return app


def _too_large(limit: int) -> ASGIApp:
    message = f"Request body is larger than {limit} bytes"
    return error_response(413, message, [{"code": "REQUEST_TOO_LARGE", "message": message}])


def _too_many(rate: float, wait: float) -> ASGIApp:
    message = f"Rate limit exceeded: at most {rate:g} requests a second"
    return error_response(
        429, message, [{"code": "RATE_LIMITED", "message": message}], {"Retry-After": retry_after(wait)}
    )


def _rate_key(scope: Scope) -> str | None:
    """The signing API user from this client address (the name is not verified here: keyed by address
    too, a forged name cannot spend the real user's tokens), else the client address."""
    workspace = scope.get("path_params", {}).get("workspace", "")
    client = scope.get("client")
    address = client[0] if client else "?"
    for name, value in scope.get("headers", ()):
        if name == b"authorization":
            scheme, _, credentials = value.decode("latin-1").partition(" ")
            user = credentials.strip().rpartition(":")[0]
            if scheme == SCHEME and user:
                return f"user:{workspace}:{user}:{address}"
    return f"ip:{address}"
