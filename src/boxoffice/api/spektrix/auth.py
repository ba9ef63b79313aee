"""Who is calling, and which basket is theirs.

* Workspace: the ``{workspace}`` path segment is the workspace key (Spektrix's client name).
* Web mode (anonymous): the basket lives server-side; the browser holds only its id in the
  ``boxoffice_basket`` cookie (HttpOnly, SameSite=None, Secure when the request came over https, path
  ``/{workspace}/api/v3``), created on the first basket call. A cookie naming a basket that is unknown or
  already checked out starts a new basket (checkout itself refuses a consumed basket instead).
* Authenticated mode: ``Authorization: SpektrixAPI3 {user}:{signature}`` with a ``Date`` header (RFC 1123,
  within 15 minutes of the server clock), where

      signature = base64(HMAC-SHA1(base64decode(userKey), METHOD + "\\n" + URL + "\\n" + Date
                                   [+ "\\n" + base64(MD5(body))  -- only when there is a body]))

  URL is the full request URL as sent (``https://host/{workspace}/api/v3/...?...``); the path and query
  alone are accepted too, for callers behind a proxy that rewrites the host. Keys come from
  `boxoffice.services.api_users`. A request without ``Authorization`` is anonymous; a wrong one is 401.
* Agent mode: the same scheme, signed as an agent's login with the agent's key (services/agents.py). The
  signer is then an agent: the agent-only routes (agency.py) need one (401 anonymous, 403 an API user),
  and the back-office ones refuse one (403).
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, timedelta
from email.utils import parsedate_to_datetime
from typing import Any, TypeVar

from fastapi import Depends, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from boxoffice.api.spektrix.errors import SpektrixError
from boxoffice.api.spektrix.serialize import basket_json
from boxoffice.api.ttl_cache import TtlCache
from boxoffice.domain.agents import Agent
from boxoffice.domain.baskets import Basket
from boxoffice.domain.errors import BasketConsumed, BasketNotFound, Unauthorized
from boxoffice.domain.records import Workspace
from boxoffice.services import agent_sales, baskets
from boxoffice.services.baskets import BasketPolicy
from boxoffice.services.clock import utcnow
from boxoffice.services.lookups import Lookup
from boxoffice.storage.api_users import ApiUser
from boxoffice.storage.uow import Database

COOKIE = "boxoffice_basket"
SIGNATURE_WINDOW = timedelta(minutes=15)
SCHEME = "SpektrixAPI3"
# A workspace read for one request serves the next ones for this long, as seats.io's keys do: every basket
# call names its workspace, and reading it each time was a database transaction and a thread hop per call.
WORKSPACE_CACHE_SECONDS = 5.0
T = TypeVar("T")


@dataclass
class SpektrixConfig:
    """Mutable at run time (tests shorten the TTL, operators could reload origins)."""

    policy: BasketPolicy
    cors_origins: frozenset[str]
    system_secret: str
    workspaces: TtlCache[str, Workspace] = field(default_factory=lambda: TtlCache(WORKSPACE_CACHE_SECONDS))


def config(request: Request) -> SpektrixConfig:
    found: SpektrixConfig = request.app.state.spektrix
    return found


def database(request: Request) -> Database:
    db: Database = request.app.state.db
    return db


def _lookup_workspace(db: Database, key: str) -> Workspace | None:
    with db.read() as uow:
        return uow.workspaces.by_key(key)


async def workspace(request: Request) -> Workspace:
    """FastAPI dependency: the workspace named by the path (404 when there is none). Every route depends on
    it, so it also refuses a NUL (``%00``) in any path or query parameter: 400 ``INVALID_CHARACTER``
    (PostgreSQL cannot compare one, a 500; SQLite would, and the two must agree)."""
    for name, value in [*request.path_params.items(), *request.query_params.multi_items()]:
        if isinstance(value, str) and "\x00" in value:
            raise SpektrixError(400, "INVALID_CHARACTER", f"{name} must not contain NUL (U+0000) characters")
    key = request.path_params.get("workspace", "")
    known = config(request).workspaces
    found = known.get(key)
    if found is None:
        found = await run_in_threadpool(_lookup_workspace, database(request), key)
        if found is not None:
            known.put(key, found)
    if found is None or not found.is_active:
        raise SpektrixError(404, "CLIENT_NOT_FOUND", f"Unknown client: {key}")
    return found


# -- authenticated mode -----------------------------------------------------------------------------------
async def signer(request: Request) -> ApiUser | Agent | None:
    """FastAPI dependency: the signing API user or agent, or None for an anonymous (web mode) request."""
    header = request.headers.get("authorization")
    if not header:
        return None
    scheme, _, credentials = header.partition(" ")
    user, _, signature = credentials.strip().rpartition(":")
    if scheme != SCHEME or not user or not signature:
        raise SpektrixError(401, "UNAUTHORIZED", f"Authorization must be '{SCHEME} user:signature'")
    date = request.headers.get("date", "")
    try:
        sent = parsedate_to_datetime(date)
    except (TypeError, ValueError):
        raise SpektrixError(401, "UNAUTHORIZED", "A signed request needs an RFC 1123 Date header") from None
    if sent.tzinfo is None:
        sent = sent.replace(tzinfo=UTC)
    if abs(utcnow() - sent) > SIGNATURE_WINDOW:
        raise SpektrixError(401, "UNAUTHORIZED", "The Date header is more than 15 minutes from the server clock")
    body = await request.body()
    suffix = "\n" + base64.b64encode(hashlib.md5(body).digest()).decode() if body else ""
    path = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    messages = [f"{request.method}\n{url}\n{date}{suffix}" for url in (str(request.url), path)]
    ws = await workspace(request)
    try:
        return await run_in_threadpool(
            agent_sales.authenticate,
            database(request),
            ws,
            user,
            messages,
            signature,
            system_secret=config(request).system_secret,
        )
    except Unauthorized as exc:
        raise SpektrixError(401, "UNAUTHORIZED", exc.message) from None


async def api_user(caller: ApiUser | Agent | None = Depends(signer)) -> ApiUser | None:
    """FastAPI dependency: the signing API user, or None for an anonymous request; 403 for an agent (these
    are back-office calls: an agent sells through its own baskets)."""
    if isinstance(caller, Agent):
        raise SpektrixError(403, "FORBIDDEN", "Agents cannot make this call: they sell through /baskets")
    return caller


async def agent(caller: ApiUser | Agent | None = Depends(signer)) -> Agent:
    """FastAPI dependency: the signing agent; 401 for an anonymous request, 403 for an API user."""
    if caller is None:
        raise SpektrixError(401, "UNAUTHORIZED", f"This call needs a request signed ({SCHEME}) by an agent")
    if not isinstance(caller, Agent):
        raise SpektrixError(403, "FORBIDDEN", "Only agents make this call (agent mode)")
    return caller


def require_api_user(user: ApiUser | None) -> ApiUser:
    if user is None:
        raise SpektrixError(401, "UNAUTHORIZED", f"This call needs an authenticated ({SCHEME}) request")
    return user


# -- the basket cookie ------------------------------------------------------------------------------------
@dataclass
class BasketSession:
    """The caller's basket: the one its cookie names, or a new one opened on first use."""

    request: Request
    workspace: Workspace
    basket_id: str | None
    db: Database
    policy: BasketPolicy
    opened: bool = field(default=False)

    def run(self, operation: Callable[[str], T], *, renew_consumed: bool = True) -> T:
        """`operation(basket_id)`, on a new basket if the cookie names none (or a checked-out one)."""
        if self.basket_id is None:
            self._open()
        assert self.basket_id is not None
        try:
            return operation(self.basket_id)
        except (BasketNotFound, BasketConsumed) as exc:
            if self.opened or (isinstance(exc, BasketConsumed) and not renew_consumed):
                raise
            self._open()
            return operation(self.basket_id)

    def basket(self) -> Basket:
        return self.run(lambda basket_id: baskets.get_basket(self.db, self.workspace, basket_id, policy=self.policy))

    def render(self, lookup: Lookup, basket: Basket) -> dict[str, Any]:
        return basket_json(lookup, basket, basket.expires_at(self.policy.ttl))

    def _open(self) -> None:
        self.basket_id = baskets.open_basket(self.db, self.workspace, channel="web", policy=self.policy).id
        self.opened = True
        self.request.state.spektrix_new_basket = (self.basket_id, self.workspace.key)


async def basket_session(request: Request) -> BasketSession:
    ws = await workspace(request)
    cfg = config(request)
    return BasketSession(request, ws, request.cookies.get(COOKIE) or None, database(request), cfg.policy)


def apply_basket_cookie(request: Request, response: Response) -> None:
    """Set the cookie if this request opened a basket (on success and on error alike)."""
    opened = getattr(request.state, "spektrix_new_basket", None)
    if opened is None:
        return
    basket_id, workspace_key = opened
    response.set_cookie(
        COOKIE,
        basket_id,
        path=f"/{workspace_key}/api/v3",
        httponly=True,
        samesite="none",
        secure=request.url.scheme == "https",
    )
