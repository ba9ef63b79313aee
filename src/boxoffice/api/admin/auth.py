"""Who is calling the admin API: the workspace secret key, as ``Authorization: Bearer <key>`` or as the
user name of HTTP Basic (password empty or ignored). The company admin key works too, for its default
workspace or the one named by ``X-Workspace-Key``. Anything else is 401."""

from __future__ import annotations

import base64
import binascii
from typing import Annotated

from fastapi import Depends, Request
from starlette.datastructures import Headers

from boxoffice.api.admin.errors import AdminError
from boxoffice.domain.records import Workspace
from boxoffice.services.workspaces import Principal, authenticate
from boxoffice.storage.uow import Database

STATE_KEY = "admin_principal"  # the idempotency middleware authenticates first and leaves its answer here


def credential(headers: Headers) -> str | None:
    """The secret key in the Authorization header, or None if there is none (or it is malformed)."""
    scheme, _, value = headers.get("authorization", "").partition(" ")
    value = value.strip()
    if not value:
        return None
    if scheme.lower() == "bearer":
        return value
    if scheme.lower() == "basic":
        try:
            user = base64.b64decode(value, validate=True).decode("utf-8").partition(":")[0]
        except (binascii.Error, UnicodeDecodeError):
            return None
        return user or None
    return None


def authenticate_headers(db: Database, headers: Headers) -> Principal:
    secret = credential(headers)
    if secret is None:
        raise AdminError(401, "UNAUTHORIZED", "Send the workspace secret key: Authorization: Bearer <secret key>")
    return authenticate(db, secret, headers.get("x-workspace-key") or None)


def database(request: Request) -> Database:
    db: Database = request.app.state.db
    return db


def principal(request: Request) -> Principal:
    """FastAPI dependency: the caller, or 401."""
    known = getattr(request.state, STATE_KEY, None)
    if isinstance(known, Principal):
        return known
    return authenticate_headers(database(request), request.headers)


def workspace(request: Request, caller: Annotated[Principal, Depends(principal)]) -> Workspace:
    """The caller's workspace. Every route depends on it, so it also refuses a NUL (``%00``) in any path or
    query parameter: PostgreSQL cannot compare one (a 500), SQLite would, and the two must agree."""
    params = [*request.path_params.items(), *request.query_params.multi_items()]
    for name, value in params:
        if isinstance(value, str) and "\x00" in value:
            raise AdminError(422, "VALIDATION_ERROR", f"{name}: must not contain NUL (U+0000) characters")
    return caller.workspace


WorkspaceDep = Annotated[Workspace, Depends(workspace)]
DatabaseDep = Annotated[Database, Depends(database)]
