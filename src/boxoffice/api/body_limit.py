"""A request body size limit for any dialect, as streaming ASGI middleware.

A body larger than the limit is answered 413 in the dialect's own shape before it is read whole: at once
when ``Content-Length`` says so, else as soon as the bytes streamed in pass the limit (the app's next
read fails, and whatever it would have answered is replaced by the 413). Some paths (chart documents) may
have a larger limit.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from starlette.types import ASGIApp, Message, Receive, Scope, Send

DEFAULT_MAX_BODY_BYTES = 5 * 1024 * 1024
CHART_MAX_BODY_BYTES = 64 * 1024 * 1024  # a 100k-seat chart JSON is ~30 MB

Render413 = Callable[[int], ASGIApp]  # the limit -> the dialect's 413 response


class BodyTooLarge(Exception):
    """Raised into the app when the streamed body passes the limit."""


class BodyLimit:
    def __init__(
        self,
        app: ASGIApp,
        *,
        max_bytes: int,
        render: Render413,
        larger: Sequence[tuple[str, int]] = (),  # (path prefix under the mount, limit)
    ) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.render = render
        self.larger = tuple(larger)

    def limit_for(self, scope: Scope) -> int:
        path = scope["path"].removeprefix(scope.get("root_path", ""))
        for prefix, limit in self.larger:
            if path.startswith(prefix):
                return max(limit, self.max_bytes)
        return self.max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or self.max_bytes <= 0:
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(scope)
        declared = next((v for k, v in scope.get("headers", ()) if k == b"content-length"), b"")
        if declared.isdigit() and int(declared) > limit:
            await self.render(limit)(scope, receive, send)
            return
        size = 0
        exceeded = False
        started = False

        async def counted() -> Message:
            nonlocal size, exceeded
            if exceeded:
                raise BodyTooLarge
            message = await receive()
            if message["type"] == "http.request":
                size += len(message.get("body", b""))
                if size > limit:
                    exceeded = True
                    raise BodyTooLarge
            return message

        async def guarded(message: Message) -> None:
            nonlocal started
            if exceeded:
                return  # the app's answer to a body it never got whole is replaced by the 413
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counted, guarded)
        except Exception:  # BodyTooLarge, or whatever the app made of it
            if not exceeded:
                raise
        if exceeded and not started:
            await self.render(limit)(scope, receive, send)
