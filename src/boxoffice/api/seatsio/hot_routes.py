"""The on-sale's hot calls, answered by the innermost of the dialect's own middleware (`HotRoutes`).

The same endpoint functions (objects.py, hold_tokens.py), behind the same middleware (rate limit, encoded
slashes, idempotency), with the same exception handlers; what is skipped is the framework's per-request
machinery around them: FastAPI's router-by-router matching and dependency solving (`principal` is called
directly), and Starlette's exception middleware, exit stack, router and request-response wrapper, each a
layer of coroutines that did nothing for these three calls. Their FastAPI routes stay registered for the
OpenAPI document and answer any other method on these paths.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Match, Route
from starlette.types import ASGIApp, Receive, Scope, Send

from boxoffice.api.seatsio import hold_tokens, objects
from boxoffice.api.seatsio.auth import principal
from boxoffice.api.seatsio.paths import unescape_and_check

Endpoint = Callable[..., Awaitable[Response]]
Handle = Callable[[Request], Awaitable[Response]]


def _route(path: str, endpoint: Endpoint) -> tuple[Route, Handle]:
    async def handle(request: Request) -> Response:
        params = unescape_and_check(request)  # as SeatsioRoute does
        caller = await principal(request)
        return await endpoint(request=request, caller=caller, **params)

    return Route(path, handle, methods=["POST"], include_in_schema=False), handle


HOT_ROUTES = (
    _route("/hold-tokens", hold_tokens.create_hold_token),
    _route("/events/groups/actions/change-object-status", objects.change_object_status),
    _route("/events/{key}/actions/change-object-status", objects.change_event_object_status),
)


class HotRoutes:
    """ASGI middleware: a request for one of HOT_ROUTES is answered here; any other goes on to the app.

    An exception from the endpoint goes to the application's handler for its class, as Starlette's
    exception middleware would send it; one without a handler there (a bug) is raised to the server-error
    middleware outside, which answers 500 in the dialect's shape."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        exception_handlers: Mapping[Any, Callable[..., Any]],
        routes: Sequence[tuple[Route, Handle]] = HOT_ROUTES,
    ) -> None:
        self.app = app
        self.exception_handlers = exception_handlers  # the application's own dict, filled before any request
        self.routes = routes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            for route, handle in self.routes:
                match, child_scope = route.matches(scope)
                if match is Match.FULL:
                    scope.update(child_scope)
                    request = Request(scope, receive, send)
                    try:
                        response = await handle(request)
                    except Exception as exc:
                        response = await self._handled(request, exc)
                    await response(scope, receive, send)
                    return
        await self.app(scope, receive, send)

    async def _handled(self, request: Request, exc: Exception) -> Response:
        for cls in type(exc).__mro__:
            # Exception's own handler belongs to the server-error middleware, which also logs the bug
            handler = self.exception_handlers.get(cls) if cls is not Exception else None
            if handler is not None:
                response = handler(request, exc)
                return await response if inspect.isawaitable(response) else response  # type: ignore[no-any-return]
        raise exc
