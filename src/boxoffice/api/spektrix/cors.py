"""CORS with credentials, so a site on another origin can keep its basket cookie (``withCredentials``).

Only origins in the allowed list (``BOXOFFICE_CORS_ORIGINS``, comma-separated; kept on the app state so it
can change at run time) are reflected in ``Access-Control-Allow-Origin``, always with
``Access-Control-Allow-Credentials: true`` (a wildcard is never sent: browsers refuse it with credentials).
Preflights from an allowed origin are answered here; from any other origin they get 403 and no CORS headers.
Responses to an allowed origin expose ``Retry-After`` and ``Idempotent-Replayed`` to the page.
"""

from __future__ import annotations

from collections.abc import Callable

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

ALLOW_METHODS = "GET, POST, PUT, PATCH, DELETE, OPTIONS"
ALLOW_HEADERS = "Accept, Content-Type, Authorization, Date, Idempotency-Key"
MAX_AGE = "600"
# Response headers a page may read besides the CORS-safelisted ones: when to retry (429, 409 in flight) and
# whether an Idempotency-Key answer was a replay.
EXPOSE_HEADERS = "Retry-After, Idempotent-Replayed"


class CredentialedCors:
    def __init__(self, app: ASGIApp, allowed: Callable[[], frozenset[str]]) -> None:
        self.app = app
        self.allowed = allowed

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        origin = headers.get("origin")
        if origin is None:
            await self.app(scope, receive, send)
            return
        ok = origin.rstrip("/") in self.allowed()
        if scope["method"] == "OPTIONS" and "access-control-request-method" in headers:
            await self._preflight(origin, ok, headers, send)
            return

        async def send_with_cors(message: Message) -> None:
            if message["type"] == "http.response.start":
                out = MutableHeaders(scope=message)
                out.add_vary_header("Origin")
                if ok:
                    out["Access-Control-Allow-Origin"] = origin
                    out["Access-Control-Allow-Credentials"] = "true"
                    out["Access-Control-Expose-Headers"] = EXPOSE_HEADERS
            await send(message)

        await self.app(scope, receive, send_with_cors)

    async def _preflight(self, origin: str, ok: bool, headers: Headers, send: Send) -> None:
        out: list[tuple[bytes, bytes]] = [(b"vary", b"Origin"), (b"content-length", b"0")]
        if ok:
            requested = headers.get("access-control-request-headers")
            out += [
                (b"access-control-allow-origin", origin.encode("latin-1")),
                (b"access-control-allow-credentials", b"true"),
                (b"access-control-allow-methods", ALLOW_METHODS.encode()),
                (b"access-control-allow-headers", (requested or ALLOW_HEADERS).encode("latin-1")),
                (b"access-control-max-age", MAX_AGE.encode()),
            ]
        await send({"type": "http.response.start", "status": 204 if ok else 403, "headers": out})
        await send({"type": "http.response.body", "body": b""})
