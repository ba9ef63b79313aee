"""``Idempotency-Key`` on every POST of the admin API, as ASGI middleware over services.idempotency.

Same key + same credentials + same request (method, path, query, JSON body up to key order and spacing)
-> the first response again, status and body, with ``Idempotent-Replayed: true``. The same key with
another request -> 422 ``IDEMPOTENCY_KEY_REUSED``; while the first is still running -> 409
``IDEMPOTENCY_KEY_IN_FLIGHT``. A request without valid credentials is passed through untouched (the
route answers 401, and nothing is stored). The response is stored before it is sent, so a client that
retries after seeing it always gets the replay.
"""

from __future__ import annotations

from typing import Any

import orjson
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from boxoffice.api.admin.auth import STATE_KEY, authenticate_headers, credential
from boxoffice.api.admin.errors import AdminError, domain_error_response, error_response
from boxoffice.domain.errors import BoxofficeError, InvalidInput
from boxoffice.services import idempotency
from boxoffice.services.keys import digest
from boxoffice.services.workspaces import Principal
from boxoffice.storage.uow import Database

HEADER = "idempotency-key"
MAX_BODY_BYTES = 64 * 1024 * 1024  # chart JSON can be large


def key_scope(caller: Principal, secret: str) -> str:
    """The credential a key belongs to: this dialect, the workspace and the key's digest."""
    return f"admin:{caller.workspace.id}:{digest(secret)[:40]}"


def admin_request_hash(method: str, path: str, query: bytes, body: bytes) -> str:
    return idempotency.request_hash(method.upper(), path, query, canonical_json(body))


def canonical_json(body: bytes) -> bytes:
    """The body with sorted keys and no spacing, so an equivalent JSON body counts as the same request."""
    if not body.strip():
        return b""
    try:
        return orjson.dumps(orjson.loads(body), option=orjson.OPT_SORT_KEYS)
    except orjson.JSONDecodeError:
        return body


class IdempotencyMiddleware:
    def __init__(self, app: ASGIApp, db: Database) -> None:
        self.app = app
        self.db = db

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "POST":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        key = headers.get(HEADER)
        secret = credential(headers)
        if key is None or secret is None:
            await self.app(scope, receive, send)
            return
        try:
            idempotency.check_key(key)
            caller = await run_in_threadpool(authenticate_headers, self.db, headers)
        except InvalidInput as exc:
            await error_response(422, "VALIDATION_ERROR", exc.message, [{"field": "Idempotency-Key"}])(
                scope, receive, send
            )
            return
        except (BoxofficeError, AdminError):
            await self.app(scope, receive, send)  # bad credentials: the route says 401
            return
        scope.setdefault("state", {})[STATE_KEY] = caller
        try:
            body = await _read_body(receive)
        except AdminError as exc:
            await error_response(exc.status, exc.code, exc.message)(scope, receive, send)
            return
        owner = key_scope(caller, secret)
        fingerprint = admin_request_hash("POST", scope["path"], scope.get("query_string", b""), body)
        try:
            stored = await run_in_threadpool(idempotency.claim, self.db, owner, key, fingerprint)
        except BoxofficeError as exc:
            await domain_error_response(exc)(scope, receive, send)
            return
        if stored is not None:
            await _send_json(send, stored.status, stored.body.encode(), replayed=True)
            return
        await self._run(scope, body, receive, send, owner, key)

    async def _run(self, scope: Scope, body: bytes, receive: Receive, send: Send, owner: str, key: str) -> None:
        start: dict[str, Any] = {}
        chunks: list[bytes] = []
        sent_body = False

        async def replay_body() -> Message:
            nonlocal sent_body
            if not sent_body:
                sent_body = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()  # nothing more to read: wait for the client to go away

        async def capture(message: Message) -> None:
            if message["type"] == "http.response.start":
                start.update(message)
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))

        try:
            await self.app(scope, replay_body, capture)
        except BaseException:
            await run_in_threadpool(idempotency.release, self.db, owner, key)
            raise
        status = int(start.get("status", 500))
        content = b"".join(chunks)
        try:
            await run_in_threadpool(idempotency.complete, self.db, owner, key, status, content.decode("utf-8"))
        except (BoxofficeError, UnicodeDecodeError):
            await run_in_threadpool(idempotency.release, self.db, owner, key)
        await send({**start, "type": "http.response.start"})
        await send({"type": "http.response.body", "body": content, "more_body": False})


async def _read_body(receive: Receive) -> bytes:
    parts: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            break
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            raise AdminError(413, "REQUEST_TOO_LARGE", f"Request body is larger than {MAX_BODY_BYTES} bytes")
        parts.append(chunk)
        if not message.get("more_body", False):
            break
    return b"".join(parts)


async def _send_json(send: Send, status: int, body: bytes, *, replayed: bool) -> None:
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    if replayed:
        headers.append((b"idempotent-replayed", b"true"))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body, "more_body": False})
