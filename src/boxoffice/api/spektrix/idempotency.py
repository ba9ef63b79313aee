"""``Idempotency-Key`` on the basket dialect's POSTs: the shared middleware (api/idempotency.py) with this
dialect's callers and error shape.

The key belongs to the signing API user or agent (a verified ``SpektrixAPI3`` signature: each agent's keys
are its own) or, in anonymous web mode, to the browser's basket (the ``boxoffice_basket`` cookie): a
retried ``POST /basket/tickets`` from the same basket with the same key and body adds the tickets once and
gets the first answer again. An anonymous POST with a key but no basket cookie is refused (400
``IDEMPOTENCY_KEY_NEEDS_BASKET``: there is nothing to bind the key to, and ignoring it silently would let a
retry add the tickets twice) -- ``GET /basket`` first.
A request with a bad signature is 401 (the basket routes themselves would take it as anonymous).

Express checkout keeps its own order-level idempotency too (services/checkout.py: the same key returns the
same order). The two agree: the middleware answers a retry from the stored response without running the
checkout again; the service is the backstop when no response could be stored (the database failed just
after the order was written) or the retry comes with other credentials, and both answer a key reused
for something else with 422 ``IDEMPOTENCY_KEY_REUSED``.
"""

from __future__ import annotations

from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Scope

from boxoffice.api import idempotency as shared
from boxoffice.api.spektrix.auth import COOKIE, SCHEME, signer, workspace
from boxoffice.api.spektrix.errors import SpektrixError, error_response
from boxoffice.domain.agents import Agent
from boxoffice.domain.errors import BoxofficeError
from boxoffice.services.keys import digest
from boxoffice.storage.uow import Database


def basket_scope(workspace_id: int, basket_cookie: str) -> str:
    """The owner of keys sent with a basket cookie (anonymous web mode)."""
    return f"spektrix:{workspace_id}:basket:{digest(basket_cookie)[:40]}"


def _render(status: int, code: str, message: str, headers: dict[str, str] | None) -> ASGIApp:
    return error_response(status, message, [{"code": code, "message": message}], headers)


class IdempotencyMiddleware(shared.IdempotencyMiddleware):
    def __init__(self, app: ASGIApp, db: Database) -> None:
        super().__init__(app, db, owner_of=_owner, render=_render)


async def _owner(scope: Scope, _headers: Headers, body: bytes) -> str | None:
    async def receive() -> Message:
        return {"type": "http.request", "body": body, "more_body": False}

    request = Request(scope, receive)
    try:
        ws = await workspace(request)
    except (SpektrixError, BoxofficeError):
        return None  # unknown workspace: the route answers 404
    try:
        caller = await signer(request)  # verifies the signature over this very body
    except SpektrixError as exc:  # a bad signature is 401 here: basket routes would take it as anonymous
        raise shared.Refused(exc.status, exc.code, exc.message, {"WWW-Authenticate": SCHEME}) from None
    except BoxofficeError as exc:  # the database, say: what the route would have answered
        retry = {"Retry-After": "1"} if exc.http_status == 503 else None
        raise shared.Refused(exc.http_status, exc.code, exc.message, retry) from None
    if isinstance(caller, Agent):
        return f"spektrix:{ws.id}:agent:{caller.id}"
    if caller is not None:
        return f"spektrix:{ws.id}:user:{caller.id}"
    basket = request.cookies.get(COOKIE)
    if not basket:
        raise shared.Refused(
            400,
            "IDEMPOTENCY_KEY_NEEDS_BASKET",
            "An Idempotency-Key needs a basket cookie (GET /basket first) or a signed request",
        )
    return basket_scope(ws.id, basket)
