"""The dialect's error shape, for every error it answers with (Spektrix-like):

    {"statusCode": 400, "message": "Item 2: A-3 is not available: ...",
     "errors": [{"code": "CONFLICT", "message": "A-3 is not available: ...", "index": 1}]}

`index` (0-based) says which item of a request's array failed; it is absent when the whole request failed.
An error never leaves a half-changed basket behind: the services are all or nothing, and multi-item
requests for other items undo what they added (see basket.py).
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

from boxoffice.api.responses import FastJSONResponse
from boxoffice.domain.errors import BoxofficeError, Busy, ItemError, Unauthorized

log = logging.getLogger("boxoffice.spektrix")


class SpektrixError(Exception):
    """An error the dialect detects itself, before any service is called."""

    def __init__(self, status: int, code: str, message: str, index: int | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.index = index


def error_response(
    status: int, message: str, errors: list[dict[str, Any]], headers: dict[str, str] | None = None
) -> FastJSONResponse:
    return FastJSONResponse({"statusCode": status, "message": message, "errors": errors}, status, headers=headers)


def _finish(request: Request, response: Response) -> Response:
    from boxoffice.api.spektrix.auth import apply_basket_cookie

    apply_basket_cookie(request, response)
    return response


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ItemError)
    async def _item(request: Request, exc: ItemError) -> Response:
        entry = {"code": exc.cause.code, "message": exc.cause.message, "index": exc.index}
        return _finish(request, error_response(exc.http_status, exc.message, [entry], _headers(exc)))

    @app.exception_handler(BoxofficeError)
    async def _domain(request: Request, exc: BoxofficeError) -> Response:
        entry = {"code": exc.code, "message": exc.message}
        return _finish(request, error_response(exc.http_status, exc.message, [entry], _headers(exc)))

    @app.exception_handler(SpektrixError)
    async def _dialect(request: Request, exc: SpektrixError) -> Response:
        entry: dict[str, Any] = {"code": exc.code, "message": exc.message}
        if exc.index is not None:
            entry["index"] = exc.index
        headers = {"WWW-Authenticate": "SpektrixAPI3"} if exc.status == 401 else None
        return _finish(request, error_response(exc.status, exc.message, [entry], headers))

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> Response:
        return _finish(request, validation_response(exc.errors()))

    @app.exception_handler(ValidationError)
    async def _pydantic(request: Request, exc: ValidationError) -> Response:
        return _finish(request, validation_response(exc.errors()))

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        message = exc.detail if isinstance(exc.detail, str) else "Error"
        code = {404: "NOT_FOUND", 405: "METHOD_NOT_ALLOWED"}.get(exc.status_code, "ERROR")
        headers = dict(exc.headers) if exc.headers else None
        return error_response(exc.status_code, message, [{"code": code, "message": message}], headers)

    @app.exception_handler(Exception)
    async def _bug(_request: Request, exc: Exception) -> Response:
        log.exception("unhandled error in the Spektrix dialect")
        return error_response(500, "Internal error", [{"code": "INTERNAL_ERROR", "message": "Internal error"}])


def _headers(exc: BoxofficeError) -> dict[str, str] | None:
    if isinstance(exc, Busy) or exc.http_status == 503:
        return {"Retry-After": "1"}
    if isinstance(exc, Unauthorized):
        return {"WWW-Authenticate": "SpektrixAPI3"}
    return None


def validation_response(problems: Any) -> FastJSONResponse:
    errors: list[dict[str, Any]] = []
    for problem in problems:
        loc = [part for part in problem.get("loc", ()) if part != "body"]
        entry: dict[str, Any] = {"code": "VALIDATION_ERROR"}
        if loc and isinstance(loc[0], int):
            entry["index"] = loc[0]
            loc = loc[1:]
        where = ".".join(str(part) for part in loc)
        msg = str(problem.get("msg", "invalid"))
        entry["message"] = f"{where}: {msg}" if where else msg
        errors.append(entry)
    if not errors:
        errors = [{"code": "VALIDATION_ERROR", "message": "Invalid request"}]
    first = errors[0]
    message = f"Item {first['index'] + 1}: {first['message']}" if "index" in first else first["message"]
    return error_response(400, message, errors)
