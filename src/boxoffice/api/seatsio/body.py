"""Request bodies as the seats.io SDKs send them: often with no Content-Type, sometimes ``null`` or
empty. We read the raw bytes ourselves and validate with pydantic; the OpenAPI document still shows
the schema (see `documented`)."""

from __future__ import annotations

from typing import Any, TypeVar

import orjson
from fastapi import Request
from pydantic import BaseModel

from boxoffice.api.seatsio.errors import SeatsioError

MAX_BODY_BYTES = 5 * 1024 * 1024  # a 100k-seat chart JSON is ~30 MB; charts have their own, larger limit
M = TypeVar("M", bound=BaseModel)


async def json_body(request: Request, *, max_bytes: int = MAX_BODY_BYTES) -> Any:
    raw = await request.body()
    if len(raw) > max_bytes:
        raise SeatsioError(413, "REQUEST_TOO_LARGE", f"Request body is larger than {max_bytes} bytes")
    if not raw.strip():
        return None
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise SeatsioError(400, "INVALID_JSON", f"Request body is not valid JSON: {exc}") from None


async def read_model(request: Request, model: type[M], *, max_bytes: int = MAX_BODY_BYTES) -> M:
    """The body validated as `model`; an empty body or ``null`` is the model's defaults."""
    data = await json_body(request, max_bytes=max_bytes)
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise SeatsioError(400, "VALIDATION_ERROR", "Request body must be a JSON object")
    return model.model_validate(data)


def documented(model: type[BaseModel]) -> dict[str, Any]:
    """`openapi_extra` that shows `model` as the JSON request body of a route that reads it itself."""
    return {
        "requestBody": {
            "required": False,
            "content": {"application/json": {"schema": model.model_json_schema()}},
        }
    }
