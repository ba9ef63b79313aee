"""The on-sale's hot calls as plain Starlette routes, matched before every FastAPI route of the dialect.

The same endpoint functions (objects.py, hold_tokens.py), the same middleware (idempotency, rate limit,
encoded slashes) and the same error handlers; what is skipped is FastAPI's per-request machinery around
them: matching through every included router in turn, and solving the one dependency (`principal`),
which the profile showed as about a fifth of the event loop's time on an on-sale. The FastAPI routes stay
registered for the OpenAPI document (and answer any other method on these paths, as before).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from boxoffice.api.seatsio import hold_tokens, objects
from boxoffice.api.seatsio.auth import principal
from boxoffice.api.seatsio.paths import unescape_and_check

Endpoint = Callable[..., Awaitable[Response]]


def _route(path: str, endpoint: Endpoint) -> Route:
    async def handle(request: Request) -> Response:
        params = unescape_and_check(request)  # as SeatsioRoute does
        caller = await principal(request)
        return await endpoint(request=request, caller=caller, **params)

    return Route(path, handle, methods=["POST"], include_in_schema=False)


HOT_ROUTES: tuple[BaseRoute, ...] = (
    _route("/hold-tokens", hold_tokens.create_hold_token),
    _route("/events/groups/actions/change-object-status", objects.change_object_status),
    _route("/events/{key}/actions/change-object-status", objects.change_event_object_status),
)
