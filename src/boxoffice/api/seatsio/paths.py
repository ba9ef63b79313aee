"""Path segments as the seats.io SDKs send them: every path parameter percent-encoded, so an event key
or an object label may contain ``/`` (sent as ``%2F``).

ASGI servers decode the path before routing, which would turn ``/events/a%2Fb`` into three segments.
`EncodedSlashes` re-derives the path from ``raw_path`` keeping ``/`` and ``%`` inside a segment escaped
(``%2F``, ``%25``), and `SeatsioRoute` unescapes the path parameters before the endpoint sees them.
Routers of this dialect use ``APIRouter(route_class=SeatsioRoute)``.

`EncodedSlashes` also takes one trailing slash off a path (``POST /hold-tokens/`` is ``POST /hold-tokens``),
so that such a path is answered exactly as the path without it rather than redirected: a 307 to the
same URL without the slash makes a client send its POST twice, and one that does not follow it gets
nothing done. Any other path that matches no route is a 404 in seats.io's error shape.

`SeatsioRoute` also refuses a NUL character (``%00``) in any path or query parameter: 400
``INVALID_CHARACTER``, before a service (and the database, which cannot compare one) sees it.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any
from urllib.parse import unquote

from fastapi import Request, Response
from fastapi.routing import APIRoute
from starlette.types import ASGIApp, Receive, Scope, Send

from boxoffice.api.seatsio.body import refuse_nul


def _escaped(segment: str) -> str:
    return unquote(segment).replace("%", "%25").replace("/", "%2F")


def escaped_path(raw_path: bytes) -> str:
    """``/events/a%2Fb/objects`` -> ``/events/a%2Fb/objects`` (a one-segment key), ``%41`` -> ``A``."""
    return "/".join(_escaped(part) for part in raw_path.decode("latin-1").split("/"))


def without_trailing_slash(path: str, root_path: str = "") -> str:
    """``/seating/hold-tokens/`` -> ``/seating/hold-tokens``; the root (``/seating/``) stays as it is."""
    if path.endswith("/") and len(path) > len(root_path) + 1:
        return path[:-1]
    return path


class EncodedSlashes:
    """ASGI middleware: route on the raw path, so an encoded slash stays inside its segment; a trailing
    slash is taken off."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            raw = scope.get("raw_path")
            path = escaped_path(raw) if raw and b"%" in raw else scope["path"]
            path = without_trailing_slash(path, scope.get("root_path", ""))
            if path != scope["path"]:
                scope = dict(scope)
                scope["path"] = path
        await self.app(scope, receive, send)


def unescape_and_check(request: Request) -> dict[str, Any]:
    """Unescape the path parameters (escaped by `EncodedSlashes`) in the request's scope, refuse a NUL in
    any path or query parameter; returns the path parameters."""
    params: dict[str, Any] = {
        k: unquote(v) if isinstance(v, str) else v for k, v in request.scope.get("path_params", {}).items()
    }
    request.scope["path_params"] = params
    for name, value in params.items():
        if isinstance(value, str):
            refuse_nul(value, f"Path parameter {name}")
    if request.scope.get("query_string"):  # the hot calls usually have none: no parsing then
        for name, value in request.query_params.multi_items():
            refuse_nul(name, "A query parameter name")
            refuse_nul(value, f"Query parameter {name}")
    return params


class SeatsioRoute(APIRoute):
    """A route whose path parameters arrive escaped by `EncodedSlashes`: unescape them once."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def unescaping_handler(request: Request) -> Response:
            unescape_and_check(request)
            return await handler(request)

        return unescaping_handler
