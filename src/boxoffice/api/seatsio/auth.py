"""seats.io authentication: HTTP Basic with the secret key as the user name and an empty password,
plus an optional ``X-Workspace-Key`` header. Successful look-ups are cached briefly (keys are checked
on every request; the cache spares the hot path a database round trip)."""

from __future__ import annotations

import base64
import binascii

from fastapi import Request
from starlette.concurrency import run_in_threadpool

from boxoffice.api.seatsio.errors import SeatsioError
from boxoffice.api.ttl_cache import TtlCache
from boxoffice.config import Settings
from boxoffice.services.workspaces import Principal, authenticate
from boxoffice.storage.uow import Database

CACHE_SECONDS = 5.0
_principals: TtlCache[tuple[str, str | None], Principal] = TtlCache(CACHE_SECONDS)


def _header(request: Request, name: bytes) -> str | None:
    """One request header (`name` lower-case, as ASGI gives them), straight from the scope: Starlette's
    `headers.get` costs a KeyError for every missing header, and X-Workspace-Key is usually missing."""
    for key, value in request.scope["headers"]:
        if key == name:
            return str(value.decode("latin-1"))
    return None


def basic_user(request: Request) -> str:
    header = _header(request, b"authorization") or ""
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "basic" or not value:
        raise SeatsioError(401, "UNAUTHORIZED", "Missing HTTP Basic authentication with the secret key")
    try:
        decoded = base64.b64decode(value, validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        raise SeatsioError(401, "UNAUTHORIZED", "Malformed HTTP Basic authentication") from None
    user, _, _password = decoded.partition(":")
    if not user:
        raise SeatsioError(401, "UNAUTHORIZED", "Missing secret key")
    return user


async def principal(request: Request) -> Principal:
    """FastAPI dependency: who is calling. Raises 401 (or 404 for an unknown workspace key).

    Async, so that a remembered key costs no hop to the thread pool; only a look-up goes there."""
    secret = basic_user(request)
    db: Database = request.app.state.db
    workspace_key = _header(request, b"x-workspace-key") or None
    found = _principals.get((secret, workspace_key))
    if found is None:
        found = await run_in_threadpool(cached_principal, db, secret, workspace_key)
    return found


def cached_principal(db: Database, secret: str, workspace_key: str | None) -> Principal:
    """`authenticate`, remembered for CACHE_SECONDS."""
    found = _principals.get((secret, workspace_key))
    if found is None:
        found = authenticate(db, secret, workspace_key)
        _principals.put((secret, workspace_key), found)
    return found


def forget_principals() -> None:
    """Forget every remembered key, after a change to who a key belongs to or whether its workspace works
    (this process at once; other server processes within CACHE_SECONDS)."""
    _principals.clear()


def company_admin(caller: Principal, what: str) -> int:
    """The caller's company id, if the caller holds its admin key: `what` (workspaces, the account) is managed
    with that key alone; 403 otherwise."""
    if not caller.company_admin:
        raise SeatsioError(403, "FORBIDDEN", f"{what} managed with the company admin key")
    return caller.workspace.company_id


def system_secret(request: Request) -> str:
    """The server's system secret, from which workspace and designer keys are derived."""
    settings: Settings = request.app.state.settings
    return settings.system_secret


def database(request: Request) -> Database:
    """The server's database, as every seats.io route reaches it."""
    db: Database = request.app.state.db
    return db
