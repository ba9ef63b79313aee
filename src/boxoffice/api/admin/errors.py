"""The admin dialect's one error shape, for every error it answers with:

    {"error": {"code": "ORDER_NOT_FOUND", "message": "Order not found: 01H...", "details": []}}

The status is the domain error's own `http_status`; request validation is 422 ``VALIDATION_ERROR`` with
one detail per problem (``{"field": "prices.0.amount", "message": "...", "type": "int_type"}``); an
unknown route is 404 ``NOT_FOUND``. Bad input is never a 500.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ValidationError
from sqlalchemy.exc import DataError, IntegrityError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

from boxoffice.api.responses import HTTP_CODES, FastJSONResponse
from boxoffice.domain.agent_locks import LockRefusals
from boxoffice.domain.errors import (
    BoxofficeError,
    Busy,
    ChartInvalid,
    Conflict,
    ItemError,
    ObjectNotFound,
    Unauthorized,
)

log = logging.getLogger("boxoffice.admin")

AUTHENTICATE = {"WWW-Authenticate": 'Bearer realm="boxoffice-admin"'}


class ErrorDetail(BaseModel):
    code: str | None = None
    message: str
    field: str | None = None
    label: str | None = None
    index: int | None = None


class ErrorInfo(BaseModel):
    code: str
    message: str
    details: list[ErrorDetail] = []


class ErrorBody(BaseModel):
    error: ErrorInfo


ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorBody, "description": description}
    for status, description in [
        (400, "Invalid input"),
        (401, "Missing or invalid secret key"),
        (404, "Not found"),
        (409, "A conflict with the current data (already cancelled, sold out, not on sale, ...)"),
        (422, "Request validation failed"),
    ]
}


class AdminError(Exception):
    """An error the dialect detects itself, before any service is called."""

    def __init__(self, status: int, code: str, message: str, details: list[dict[str, Any]] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.details = details or []


def error_body(code: str, message: str, details: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "details": details or []}}


def error_response(
    status: int,
    code: str,
    message: str,
    details: list[dict[str, Any]] | None = None,
    headers: dict[str, str] | None = None,
) -> FastJSONResponse:
    return FastJSONResponse(error_body(code, message, details), status_code=status, headers=headers)


def domain_error_response(exc: BoxofficeError) -> FastJSONResponse:
    details: list[dict[str, Any]] = []
    if isinstance(exc, ChartInvalid):
        details = [{"code": p.code, "message": p.message, "label": p.label} for p in exc.problems]
    elif isinstance(exc, ItemError):
        details = [{"code": exc.cause.code, "message": exc.cause.message, "index": exc.index}]
    elif isinstance(exc, ObjectNotFound):
        details = [{"code": exc.code, "message": "Not found", "label": label} for label in exc.labels]
    elif isinstance(exc, LockRefusals):
        details = [{"code": exc.code, "message": reason, "label": label} for label, reason in exc.refusals]
    headers = None
    if isinstance(exc, Busy) or exc.http_status == 503:
        headers = {"Retry-After": "1"}
    elif isinstance(exc, Unauthorized):
        headers = AUTHENTICATE
    # seats.io answers a conflict with 400, which the domain keeps as its default; this API says 409
    status = 409 if isinstance(exc, Conflict) and exc.http_status == 400 else exc.http_status
    return error_response(status, exc.code, exc.message, details, headers)


def validation_response(problems: Any) -> FastJSONResponse:
    details = []
    for problem in problems:
        loc = [str(part) for part in problem.get("loc", ()) if part != "body"]
        details.append(
            {"field": ".".join(loc) or None, "message": str(problem.get("msg", "invalid")), "code": problem.get("type")}
        )
    if not details:
        details = [{"field": None, "message": "Invalid request", "code": None}]
    first = details[0]
    message = f"{first['field']}: {first['message']}" if first["field"] else str(first["message"])
    return error_response(422, "VALIDATION_ERROR", message, details)


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(BoxofficeError)
    async def _domain(_request: Request, exc: BoxofficeError) -> Response:
        return domain_error_response(exc)

    @app.exception_handler(AdminError)
    async def _dialect(_request: Request, exc: AdminError) -> Response:
        headers = AUTHENTICATE if exc.status == 401 else None
        return error_response(exc.status, exc.code, exc.message, exc.details, headers)

    @app.exception_handler(RequestValidationError)
    async def _validation(_request: Request, exc: RequestValidationError) -> Response:
        return validation_response(exc.errors())

    @app.exception_handler(ValidationError)
    async def _pydantic(_request: Request, exc: ValidationError) -> Response:
        return validation_response(exc.errors())

    @app.exception_handler(StarletteHTTPException)
    async def _http(_request: Request, exc: StarletteHTTPException) -> Response:
        code = HTTP_CODES.get(exc.status_code, "ERROR")
        message = exc.detail if isinstance(exc.detail, str) else code
        if exc.status_code == 404 and message == "Not Found":
            message = "No such endpoint"
        return error_response(exc.status_code, code, message, headers=dict(exc.headers) if exc.headers else None)

    # Foreign errors translated at the boundary: a value the database cannot hold is bad input, a
    # constraint that caught a race is a conflict. Neither is a 500.
    @app.exception_handler(DataError)
    async def _data(_request: Request, _exc: DataError) -> Response:
        return error_response(400, "INVALID_INPUT", "A value is too long or out of range")

    @app.exception_handler(IntegrityError)
    async def _integrity(_request: Request, _exc: IntegrityError) -> Response:
        return error_response(409, "CONFLICT", "The change conflicts with data stored meanwhile; retry")

    @app.exception_handler(Exception)
    async def _bug(_request: Request, exc: Exception) -> Response:
        # A domain error that escaped the routes (the Idempotency-Key middleware runs outside the handlers
        # above: a lost database while it stores or releases a key) is still that error, not a 500.
        if isinstance(exc, BoxofficeError):
            return domain_error_response(exc)
        log.exception("unhandled error in the admin dialect")
        return error_response(500, "INTERNAL_ERROR", "Internal error")
