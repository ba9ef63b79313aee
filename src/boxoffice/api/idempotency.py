"""``Idempotency-Key`` on the POSTs of any dialect, as ASGI middleware over services.idempotency.

Same key + same credentials + same request (method, path, query, JSON body up to key order and spacing)
-> the first response again, status and body (and its ``Set-Cookie``/``Location``), with
``Idempotent-Replayed: true``. The same key with another request -> 422 ``IDEMPOTENCY_KEY_REUSED``; while
the first is still running -> 409 ``IDEMPOTENCY_KEY_IN_FLIGHT`` with ``Retry-After``. The response is
stored before it is sent, so a client that retries after seeing it always gets the replay.

A dialect supplies two things:

* ``owner_of(scope, headers, body)``: the credential the key belongs to (a short string naming the dialect,
  the workspace and a digest of the credential), or None when the request has no valid credential -- it
  is then passed through untouched, and the route answers it (a 401: nothing happened, nothing to
  remember). A dialect that lets anonymous callers change things must refuse a key it cannot bind to a
  caller itself (raise `Refused`) rather than ignore it silently.
* ``render(status, code, message, headers)``: an error response in the dialect's own shape.

Releasing a key that could not be released (the database was down when the request failed): the claim
stays "in flight" in the table. Other processes take it over only once this one has stopped beating
(services/heartbeats.py: it crashed) or after services.idempotency.IN_FLIGHT_TIMEOUT (5 minutes: a live
request may run that long). This process knows the request is over: it remembers such keys and releases
them on its next keyed request, before claiming anything, so a retry after the database is back runs
afresh at once instead of seeing 409s for 5 minutes.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Awaitable, Callable
from typing import Any

import orjson
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from boxoffice import json_codec
from boxoffice.domain.errors import BoxofficeError, Busy, InvalidInput
from boxoffice.services import idempotency
from boxoffice.services.idempotency import IdempotencyKeyInFlight
from boxoffice.storage.uow import Database

log = logging.getLogger("boxoffice.idempotency")

HEADER = "idempotency-key"
MAX_BODY_BYTES = 64 * 1024 * 1024  # chart JSON can be large; the dialect's body limit is usually tighter
IN_FLIGHT_RETRY_AFTER = "1"
REPLAYED_HEADERS = frozenset({b"set-cookie", b"location"})  # kept with the stored body and sent on replay
_ENVELOPE = "\x1e"  # a stored body with headers: RS + JSON list of [name, value] + RS + body (JSON never has RS)

Render = Callable[[int, str, str, dict[str, str] | None], ASGIApp]
OwnerOf = Callable[[Scope, Headers, bytes], Awaitable[str | None]]


class Refused(Exception):
    """The dialect refuses this keyed request outright (it cannot bind the key to a caller)."""

    def __init__(self, status: int, code: str, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers


def canonical_json(body: bytes) -> bytes:
    """The body with sorted keys and no spacing, so an equivalent JSON body counts as the same request."""
    if not body.strip():
        return b""
    try:
        return json_codec.dumps(json_codec.loads(body), sort_keys=True)
    except orjson.JSONDecodeError:
        return body


def http_request_hash(method: str, path: str, query: bytes, body: bytes) -> str:
    return idempotency.request_hash(method.upper(), path, query, canonical_json(body))


def pack(body: str, headers: list[tuple[bytes, bytes]]) -> str:
    """The stored form of a response: the body, prefixed with the headers a replay must repeat."""
    kept = [[name.decode("latin-1"), value.decode("latin-1")] for name, value in headers if name in REPLAYED_HEADERS]
    if not kept:
        return body
    return f"{_ENVELOPE}{orjson.dumps(kept).decode()}{_ENVELOPE}{body}"


def unpack(stored: str) -> tuple[str, list[tuple[bytes, bytes]]]:
    if not stored.startswith(_ENVELOPE):
        return stored, []
    head, _, body = stored[1:].partition(_ENVELOPE)
    return body, [(name.encode("latin-1"), value.encode("latin-1")) for name, value in orjson.loads(head)]


class IdempotencyMiddleware:
    def __init__(self, app: ASGIApp, db: Database, *, owner_of: OwnerOf, render: Render) -> None:
        self.app = app
        self.db = db
        self.owner_of = owner_of
        self.render = render
        self._unreleased: set[tuple[str, str]] = set()  # claims this process could not release
        self._lock = threading.Lock()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "POST":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        key = headers.get(HEADER)
        if key is None:
            await self.app(scope, receive, send)
            return
        try:
            idempotency.check_key(key)
        except InvalidInput as exc:
            await self.render(422, "VALIDATION_ERROR", exc.message, None)(scope, receive, send)
            return
        body = await _read_body(receive)
        try:
            owner = await self.owner_of(scope, headers, body)
        except Refused as exc:
            await self.render(exc.status, exc.code, exc.message, exc.headers)(scope, receive, send)
            return
        if owner is None:  # no valid credential: the route answers (401), nothing is remembered
            await self.app(scope, _replaying(body, receive), send)
            return
        if self._unreleased:
            await run_in_threadpool(self._release_leftovers)
        fingerprint = http_request_hash("POST", scope["path"], scope.get("query_string", b""), body)
        try:
            stored = await run_in_threadpool(idempotency.claim, self.db, owner, key, fingerprint)
        except BoxofficeError as exc:
            retry = isinstance(exc, IdempotencyKeyInFlight | Busy) or exc.http_status == 503
            headers_out = {"Retry-After": IN_FLIGHT_RETRY_AFTER} if retry else None
            await self.render(exc.http_status, exc.code, exc.message, headers_out)(scope, receive, send)
            return
        if stored is not None:
            content, extra = unpack(stored.body)
            await _send_json(send, stored.status, content.encode(), extra)
            return
        await self._run(scope, body, receive, send, owner, key)

    async def _run(self, scope: Scope, body: bytes, receive: Receive, send: Send, owner: str, key: str) -> None:
        start: dict[str, Any] = {}
        chunks: list[bytes] = []

        async def capture(message: Message) -> None:
            if message["type"] == "http.response.start":
                start.update(message)
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))

        try:
            await self.app(scope, _replaying(body, receive), capture)
        except BaseException:
            await run_in_threadpool(self._release, owner, key)
            raise
        status = int(start.get("status", 500))
        content = b"".join(chunks)
        try:
            text = pack(content.decode("utf-8"), list(start.get("headers", [])))
            await run_in_threadpool(idempotency.complete, self.db, owner, key, status, text)
        except Exception:  # not stored (the database failed, or the body is not text): retries run afresh
            await run_in_threadpool(self._release, owner, key)
        await send({**start, "type": "http.response.start"})
        await send({"type": "http.response.body", "body": content, "more_body": False})

    def _release(self, owner: str, key: str) -> None:
        """Release a claim; if the database will not let us, remember it and try again later."""
        try:
            idempotency.release(self.db, owner, key)
        except Exception:
            log.warning("could not release Idempotency-Key claim %r; retrying on the next request", key)
            with self._lock:
                self._unreleased.add((owner, key))

    def _release_leftovers(self) -> None:
        with self._lock:
            pending = list(self._unreleased)
        for owner, key in pending:
            try:
                idempotency.release(self.db, owner, key)
            except Exception:
                return  # still down: keep them all for next time
            with self._lock:
                self._unreleased.discard((owner, key))


def _replaying(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()  # nothing more to read: wait for the client to go away

    return replay


async def _read_body(receive: Receive) -> bytes:
    """The whole body (the dialect's body limit, outside this middleware, bounds it)."""
    parts: list[bytes] = []
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            break
        parts.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    return b"".join(parts)


async def _send_json(send: Send, status: int, body: bytes, extra: list[tuple[bytes, bytes]]) -> None:
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    headers.extend(extra)
    headers.append((b"idempotent-replayed", b"true"))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body, "more_body": False})
