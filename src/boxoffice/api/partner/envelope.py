"""The partner API's response envelope, for success and error alike:

    {"success": true,  "data": {...},                                  "meta": {"request_id", "timestamp"}}
    {"success": false, "error": {"code", "message", "details": {...}}, "meta": {"request_id", "timestamp"}}

``request_id`` is the caller's ``X-Request-ID`` when it sent one (echoed back as a header too), else one
made up for the request. Errors keep the domain's stable codes (QUOTE_EXPIRED, SEATS_UNAVAILABLE, ...)."""

from __future__ import annotations

import logging
import uuid
from typing import Any, Generic, TypeVar

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ValidationError
from sqlalchemy.exc import DataError, IntegrityError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

from boxoffice.api.responses import HTTP_CODES, FastJSONResponse
from boxoffice.domain.errors import BoxofficeError, Busy, Conflict, ItemError, Unauthorized
from boxoffice.services.clock import utcnow

log = logging.getLogger("boxoffice.partner")
T = TypeVar("T")
MAX_REQUEST_ID = 100


class Meta(BaseModel):
    request_id: str
    timestamp: str


class Envelope(BaseModel, Generic[T]):
    success: bool = True
    data: T
    meta: Meta


class ErrorInfo(BaseModel):
    code: str
    message: str
    details: dict[str, Any] = {}


class ErrorEnvelope(BaseModel):
    success: bool = False
    error: ErrorInfo
    meta: Meta


ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorEnvelope, "description": description}
    for status, description in [
        (400, "Invalid input"),
        (401, "Missing, invalid or expired credentials or token"),
        (403, "The partner may not trade yet (no payout method configured)"),
        (404, "Not found"),
        (409, "A conflict: seats taken meanwhile, a quote already turned into an order"),
        (410, "The quote has expired"),
        (422, "Request validation failed"),
        (503, "The database is busy or unreachable right now (Retry-After)"),
    ]
}


def meta(request: Request) -> Meta:
    given = request.headers.get("x-request-id", "")
    request_id = given if given and len(given) <= MAX_REQUEST_ID and given.isprintable() else str(uuid.uuid4())
    request.state.partner_request_id = request_id
    return Meta(request_id=request_id, timestamp=utcnow().strftime("%Y-%m-%dT%H:%M:%SZ"))


def ok(request: Request, data: T) -> Envelope[T]:
    return Envelope[T](data=data, meta=meta(request))


def _error(
    request: Request, status: int, code: str, message: str, details: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> FastJSONResponse:  # fmt: skip
    body = ErrorEnvelope(error=ErrorInfo(code=code, message=message, details=details or {}), meta=meta(request))
    sent = {"X-Request-ID": body.meta.request_id, **(headers or {})}
    return FastJSONResponse(body.model_dump(), status_code=status, headers=sent)


def install(app: FastAPI) -> None:
    @app.middleware("http")
    async def _echo_request_id(request: Request, call_next: Any) -> Response:
        response: Response = await call_next(request)
        request_id = getattr(request.state, "partner_request_id", None)
        if request_id is not None and "x-request-id" not in response.headers:
            response.headers["X-Request-ID"] = request_id
        return response

    @app.exception_handler(BoxofficeError)
    async def _domain(request: Request, exc: BoxofficeError) -> Response:
        details: dict[str, Any] = {}
        if isinstance(exc, ItemError):
            details = {"index": exc.index, "reason": exc.cause.message}
        headers = {"Retry-After": "1"} if isinstance(exc, Busy) or exc.http_status == 503 else None
        if isinstance(exc, Unauthorized):
            headers = {"WWW-Authenticate": 'Bearer realm="boxoffice-partner"'}
        status = 409 if isinstance(exc, Conflict) and exc.http_status == 400 else exc.http_status
        return _error(request, status, exc.code, exc.message, details, headers)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> Response:
        return _validation_error(request, exc.errors())

    @app.exception_handler(ValidationError)
    async def _pydantic(request: Request, exc: ValidationError) -> Response:
        return _validation_error(request, exc.errors())

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        code = HTTP_CODES.get(exc.status_code, "ERROR")
        message = exc.detail if isinstance(exc.detail, str) else code
        return _error(request, exc.status_code, code, "No such endpoint" if message == "Not Found" else message)

    @app.exception_handler(DataError)
    async def _data(request: Request, _exc: DataError) -> Response:
        return _error(request, 400, "INVALID_INPUT", "A value is too long or out of range")

    @app.exception_handler(IntegrityError)
    async def _integrity(request: Request, _exc: IntegrityError) -> Response:
        return _error(request, 409, "CONFLICT", "The change conflicts with data stored meanwhile; retry")

    @app.exception_handler(Exception)
    async def _bug(request: Request, exc: Exception) -> Response:
        if isinstance(exc, BoxofficeError):
            return await _domain(request, exc)
        log.exception("unhandled error in the partner dialect")
        return _error(request, 500, "INTERNAL_ERROR", "Internal error")


def _validation_error(request: Request, problems: Any) -> FastJSONResponse:
    fields = []
    for problem in problems:
        loc = ".".join(str(part) for part in problem.get("loc", ()) if part != "body")
        fields.append({"field": loc or None, "message": str(problem.get("msg", "invalid"))})
    first = fields[0] if fields else {"field": None, "message": "Invalid request"}
    message = f"{first['field']}: {first['message']}" if first["field"] else str(first["message"])
    return _error(request, 422, "VALIDATION_ERROR", message, {"fields": fields})
