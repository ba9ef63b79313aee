"""seats.io's error shape, for every error this dialect answers with:

{"status": 400, "messages": ["..."], "errors": [{"code": "ILLEGAL_STATUS_CHANGE", "message": "..."}],
 "warnings": [], "requestId": "..."}
"""

from __future__ import annotations

import logging
import uuid
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException

from boxoffice.api.responses import HTTP_CODES
from boxoffice.api.responses import FastJSONResponse as JSONResponse
from boxoffice.domain.errors import BoxofficeError, Busy, ChartInvalid, DrawingInvalid, RateLimited

log = logging.getLogger("boxoffice.seatsio")


class SeatsioError(Exception):
    """An error raised by the dialect itself (bad input it detects before reaching a service)."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


def error_response(
    status: int,
    code: str,
    message: str,
    headers: dict[str, str] | None = None,
    *,
    errors: list[dict[str, Any]] | None = None,
    warnings: list[dict[str, Any]] | None = None,
    messages: list[str] | None = None,
) -> JSONResponse:
    body: dict[str, Any] = {
        "status": status,
        "messages": messages or [message],
        "errors": errors or [{"code": code, "message": message}],
        "warnings": warnings or [],
        "requestId": str(uuid.uuid4()),
    }
    return JSONResponse(body, status_code=status, headers=headers)


def _domain_status(exc: BoxofficeError) -> int:
    return exc.http_status


# A drawing may have thousands of problems (every seat of a category taken away): an answer names the first
# hundred and counts the rest, as an unknown-events error names ten keys and counts the others.
MAX_PROBLEMS_SHOWN = 100


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(BoxofficeError)
    async def _domain(_request: Request, exc: BoxofficeError) -> JSONResponse:
        status = _domain_status(exc)
        headers = {"Retry-After": "1"} if isinstance(exc, Busy) or status == 503 else None
        if isinstance(exc, RateLimited):
            headers = {"Retry-After": str(exc.retry_after)}
        if isinstance(exc, ChartInvalid) and exc.problems:  # a problem an entry, the first MAX_PROBLEMS_SHOWN
            shown = exc.problems[:MAX_PROBLEMS_SHOWN]
            problems = [{"code": exc.code, "message": p.message, "problem": p.code} for p in shown]
            if len(exc.problems) > len(shown):
                more = len(exc.problems) - len(shown)
                problems.append({"code": exc.code, "message": f"... and {more} more problems", "problem": "MORE"})
            return error_response(status, exc.code, exc.message, headers, errors=problems)
        if isinstance(exc, DrawingInvalid):  # as seats.io's publish-a-draft-version documents it
            return _drawing_invalid(status, exc)
        return error_response(status, exc.code, exc.message, headers)

    @app.exception_handler(SeatsioError)
    async def _dialect(_request: Request, exc: SeatsioError) -> JSONResponse:
        return error_response(exc.status, exc.code, exc.message)

    @app.exception_handler(RequestValidationError)
    async def _validation(_request: Request, exc: RequestValidationError) -> JSONResponse:
        return _validation_response(exc.errors())

    @app.exception_handler(ValidationError)
    async def _pydantic(_request: Request, exc: ValidationError) -> JSONResponse:
        return _validation_response(exc.errors())

    @app.exception_handler(StarletteHTTPException)
    async def _http(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = HTTP_CODES.get(exc.status_code, "ERROR")
        message = exc.detail if isinstance(exc.detail, str) else code
        return error_response(exc.status_code, code, message, dict(exc.headers) if exc.headers else None)

    @app.exception_handler(Exception)
    async def _bug(_request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error in the seats.io dialect")
        return error_response(500, "INTERNAL_ERROR", "Internal error")


def _drawing_invalid(status: int, exc: DrawingInvalid) -> JSONResponse:
    """The failed checks in ``data.failedValidations``, the error ones as an error and the warning ones as a
    warning: ``{"code": "DRAWING_VALIDATION_FAILED", "message": ..., "data": {"failedValidations": [...]}}``."""
    errors = [{"code": exc.code, "message": exc.summary, "data": {"failedValidations": list(exc.failed)}}]
    warnings = [{"code": exc.code, "message": exc.short, "data": {"failedValidations": list(exc.warned)}}]
    return error_response(
        status,
        exc.code,
        exc.summary,
        errors=errors,
        warnings=warnings if exc.warned else None,
        messages=[exc.summary, exc.short],
    )


# seats.io answers a body it cannot read as the types it expects (a string where an object belongs: its
# JSON mapping fails before any rule is checked) with a message that says "400 Bad Request"; the SDK's own
# tests look for those words (tests/charts/testUpdateChart.py, test_update_categories_post_garbage).
UNREADABLE = "400 Bad Request"


def unreadable(problem_type: str) -> bool:
    """A pydantic problem that means "not the type expected" rather than "a rule broken"."""
    return problem_type.endswith(("_type", "_parsing")) or problem_type == "json_invalid"


def _validation_response(problems: Any) -> JSONResponse:
    errors = []
    for problem in problems:
        where = ".".join(str(part) for part in problem.get("loc", ()) if part not in ("body",))
        message = f"{where}: {problem.get('msg', 'invalid')}" if where else str(problem.get("msg", "invalid"))
        if unreadable(str(problem.get("type", ""))):
            message = f"{UNREADABLE}: {message}"
        errors.append({"code": "VALIDATION_ERROR", "message": message})
    if not errors:
        errors = [{"code": "VALIDATION_ERROR", "message": "Invalid request"}]
    return error_response(400, "VALIDATION_ERROR", errors[0]["message"], errors=errors)
