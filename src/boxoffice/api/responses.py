"""A JSON response rendered by orjson (fast, and it writes datetimes as ISO 8601)."""

from __future__ import annotations

from typing import Any

from starlette.responses import JSONResponse

from boxoffice import json_codec


class FastJSONResponse(JSONResponse):
    def render(self, content: Any) -> bytes:
        return json_codec.dumps(content)


# Stable error codes for plain HTTP errors (unknown route, wrong method, ...), shared by every dialect.
HTTP_CODES = {
    400: "BAD_REQUEST",
    401: "UNAUTHORIZED",
    403: "FORBIDDEN",
    404: "NOT_FOUND",
    405: "METHOD_NOT_ALLOWED",
    409: "CONFLICT",
    413: "REQUEST_TOO_LARGE",
    415: "UNSUPPORTED_MEDIA_TYPE",
    422: "VALIDATION_ERROR",
    429: "RATE_LIMITED",
    500: "INTERNAL_ERROR",
    503: "SERVICE_UNAVAILABLE",
}
